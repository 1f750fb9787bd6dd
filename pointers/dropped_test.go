package pointers

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// A transaction the chain node will never mine is given up within seconds
// (ErrTxDropped), not waited for until TxTimeout: the e2e suite saw the
// committer wait 2 minutes for a commitment sent just before the node
// hosting the embedded chain was SIGKILLed, whose restarted pool no longer
// had it.
func TestWaitMinedGivesUpDroppedTx(t *testing.T) {
	env := embeddedEnv(t)
	c := env.admin
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sign := func(nonce uint64) *types.Transaction {
		t.Helper()
		tip, err := c.eth.SuggestGasTipCap(ctx)
		if err != nil {
			t.Fatal(err)
		}
		head, err := c.eth.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		to := common.Address{1}
		tx, err := types.SignNewTx(c.key, types.LatestSignerForChainID(c.chainID), &types.DynamicFeeTx{
			ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
			Gas: 21000, To: &to, Value: big.NewInt(1)})
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}

	t.Run("not in the node's pool", func(t *testing.T) {
		// Signed and never sent: exactly what the node knows of a
		// transaction it lost when it restarted.
		nonce, err := c.eth.PendingNonceAt(ctx, c.from)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.waitMined(ctx, "test", sign(nonce), nil, nil)
		if !errors.Is(err, ErrTxDropped) {
			t.Fatalf("waitMined of a transaction the node does not have: %v, want ErrTxDropped", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("gave up after %v", d)
		}
	})
	t.Run("nonce taken by another transaction", func(t *testing.T) {
		c.replacedAfter = 500 * time.Millisecond
		defer func() { c.replacedAfter = 0 }()
		nonce, err := c.eth.PendingNonceAt(ctx, c.from)
		if err != nil {
			t.Fatal(err)
		}
		lost := sign(nonce)
		if _, err := c.Fund(ctx, common.Address{2}, big.NewInt(1)); err != nil { // mined with the same nonce
			t.Fatal(err)
		}
		if _, err := c.waitMined(ctx, "test", lost, nil, nil); !errors.Is(err, ErrTxDropped) {
			t.Fatalf("waitMined of a transaction whose nonce another one used: %v, want ErrTxDropped", err)
		}
	})
	t.Run("a transaction that is mined is not given up", func(t *testing.T) {
		if _, err := c.Fund(ctx, common.Address{3}, big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
	})
}
