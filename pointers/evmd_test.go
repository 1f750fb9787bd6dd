package pointers

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/vaultnode/vaultnode/pointers/evmdnet"
)

// evmdBinary is the Cosmos EVM node scripts/install-evmd.sh builds (cosmos/evm v1.0.0-rc2).
func evmdBinary(t *testing.T) string {
	if os.Getenv("VAULTNODE_BFT") == "" {
		t.Skip("4-validator evmd test: runs in make e2e-long (set VAULTNODE_BFT=1; needs scripts/install-evmd.sh)")
	}
	root, _ := filepath.Abs("..")
	p, err := evmdnet.Binary(root)
	if err != nil {
		t.Skipf("evmd 4-validator integration test skipped: %v (builds cosmos/evm v1.0.0-rc2's evmd, about 10 minutes on 2 cores)", err)
	}
	return p
}

// syncBuffer is a bytes.Buffer safe for a logger writing from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// evmdNet is a 4-validator network for one test.
type evmdNet struct {
	t *testing.T
	*evmdnet.Net
}

// mustScript runs scripts/evmd-net.sh with the network's environment (fault injection).
func (n *evmdNet) mustScript(args ...string) {
	n.t.Helper()
	start := time.Now()
	out, err := n.Run(args...)
	if err != nil {
		n.t.Fatalf("evmd-net.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	n.t.Logf("evmd-net.sh %s (%.1fs): %s", strings.Join(args, " "), time.Since(start).Seconds(), strings.TrimSpace(out))
}

// startEvmdNet starts 4 validators in a temp dir via scripts/evmd-net.sh and stops them at cleanup.
func startEvmdNet(t *testing.T) *evmdNet {
	bin := evmdBinary(t)
	root, _ := filepath.Abs("..")
	nt, err := evmdnet.Start(root, bin, t.TempDir(), 4)
	if nt != nil {
		t.Cleanup(func() {
			if t.Failed() {
				for i := range nt.Validators {
					t.Logf("--- last lines of node%d/evmd.log:\n%s", i, nt.LogTail(i, 12))
				}
			}
			if err := nt.Stop(); err != nil {
				t.Error(err)
			}
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return &evmdNet{t: t, Net: nt}
}

func (n *evmdNet) rpc(i int) string { return n.RPC(i) }

// head is validator i's eth_blockNumber.
func (n *evmdNet) head(i int) uint64 {
	n.t.Helper()
	c, err := ethclient.Dial(n.rpc(i))
	if err != nil {
		n.t.Fatal(err)
	}
	defer c.Close()
	h, err := c.BlockNumber(context.Background())
	if err != nil {
		n.t.Fatalf("node%d head: %v", i, err)
	}
	return h
}

// logTxsFrom logs the transactions of account in blocks from..head (as validator 0 answers them) and
// whether each succeeded.
func (n *evmdNet) logTxsFrom(account common.Address, from uint64) {
	n.t.Helper()
	rc, err := rpc.Dial(n.rpc(0))
	if err != nil {
		n.t.Fatal(err)
	}
	defer rc.Close()
	ec := ethclient.NewClient(rc)
	head := n.head(0)
	for b := from; b <= head; b++ {
		var blk struct {
			Transactions []struct {
				From  common.Address `json:"from"`
				Hash  common.Hash    `json:"hash"`
				Nonce hexutil.Uint64 `json:"nonce"`
			} `json:"transactions"`
		}
		if err := rc.Call(&blk, "eth_getBlockByNumber", hexutil.Uint64(b), true); err != nil {
			n.t.Fatal(err)
		}
		for _, tx := range blk.Transactions {
			if tx.From != account {
				continue
			}
			status := "no receipt"
			if r, err := ec.TransactionReceipt(context.Background(), tx.Hash); err == nil {
				status = fmt.Sprintf("status %d, gas %d", r.Status, r.GasUsed)
			}
			n.t.Logf("block %d: tx %s from %s nonce %d: %s", b, tx.Hash, tx.From, uint64(tx.Nonce), status)
		}
	}
}

// waitHead waits until validator i has block num: a validator commits a block a little after another
// one answered its receipt, and a read through it before that does not see the write yet.
func (n *evmdNet) waitHead(i int, num uint64) {
	n.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for n.head(i) < num {
		if time.Now().After(deadline) {
			n.t.Fatalf("node%d did not reach block %d in 30s", i, num)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// openEvmdClient opens a Client on rpcURL; with addrs nil it deploys the contracts. evmd reports
// CometBFT block hashes (not the hash go-ethereum computes from a header): the client must use the
// node's own hashes for the genesis check and the journal, or it refuses its own endpoint.
func openEvmdClient(t *testing.T, rpcURL string, key *ecdsa.PrivateKey, addrs *Addresses, txTimeout time.Duration) *Client {
	t.Helper()
	dir := t.TempDir()
	cfg := Config{ChainDir: dir, RPCURL: rpcURL, Key: key, Contracts: addrs,
		CommitInterval: 100 * time.Millisecond, PollInterval: 100 * time.Millisecond, TxTimeout: txTimeout,
		PeerID: []byte("peer-admin"), ProxyKey: []byte("proxy-admin")}
	cl, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// blockHashes reports block num's "hash" as the node's JSON-RPC answers it and the hash go-ethereum
// computes from the same header (equal on geth).
func (n *evmdNet) blockHashes(num uint64) (answered, computed common.Hash, number uint64) {
	n.t.Helper()
	rc, err := rpc.Dial(n.rpc(0))
	if err != nil {
		n.t.Fatal(err)
	}
	defer rc.Close()
	var raw struct {
		Hash   common.Hash    `json:"hash"`
		Number hexutil.Uint64 `json:"number"`
	}
	if err := rc.Call(&raw, "eth_getBlockByNumber", hexutil.Uint64(num), false); err != nil {
		n.t.Fatal(err)
	}
	hdr, err := ethclient.NewClient(rc).HeaderByNumber(context.Background(), new(big.Int).SetUint64(num))
	if err != nil {
		n.t.Fatal(err)
	}
	return raw.Hash, hdr.Hash(), uint64(raw.Number)
}

// TestEvmdFourValidators runs the pointers Client against a real BFT chain: 4 Cosmos EVM validators
// (CometBFT) started by scripts/evmd-net.sh. With one validator SIGKILLed writes through validator 0
// are still mined; with two killed no block is made and a write is not mined; with one of them back the
// pending write lands.
//
// evmd's block "hash" (eth_getBlockByNumber, receipts' blockHash) is the CometBFT block hash: the
// client opens on it (genesis check) and reopens without counting journaled writes as lost.
func TestEvmdFourValidators(t *testing.T) {
	t0 := time.Now()
	n := startEvmdNet(t)
	ctx := context.Background()
	t.Logf("4 validators up in %.1fs, EVM chain id %d", time.Since(t0).Seconds(), n.ChainID)

	funder, err := crypto.HexToECDSA(n.Funder.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := crypto.PubkeyToAddress(funder.PublicKey); got != common.HexToAddress(n.Funder.Address) {
		t.Fatalf("funder key is for %s, net.json says %s", got, n.Funder.Address)
	}

	// The funder deploys the contracts through validator 0 and becomes the first admin and member.
	step := time.Now()
	admin := openEvmdClient(t, n.rpc(0), funder, nil, 30*time.Second)
	t.Logf("contracts deployed in %.1fs: %+v", time.Since(step).Seconds(), admin.Contracts())
	if admin.Contracts().ChainID != n.ChainID {
		t.Fatalf("client chain id %d, net.json %d", admin.Contracts().ChainID, n.ChainID)
	}
	addrs := admin.Contracts()

	// Members with fresh keys: "other" talks to validator 1, "probe" to validator 0 with a short
	// TxTimeout (it makes the write that cannot be mined while the chain is halted).
	var lastWrite uint64
	newMember := func(rpcURL string, txTimeout time.Duration, name string) *Client {
		key, _ := crypto.GenerateKey()
		if _, err := admin.Fund(ctx, crypto.PubkeyToAddress(key.PublicKey), new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
			t.Fatalf("fund %s: %v", name, err)
		}
		cl := openEvmdClient(t, rpcURL, key, &addrs, txTimeout)
		r, err := admin.AddMember(ctx, cl.Account(), []byte("peer-"+name), []byte("proxy-"+name))
		if err != nil {
			t.Fatalf("add member %s: %v", name, err)
		}
		lastWrite = r.Block
		return cl
	}
	step = time.Now()
	other := newMember(n.rpc(1), 30*time.Second, "other")
	probe := newMember(n.rpc(0), 4*time.Second, "probe")
	t.Logf("2 members funded and added (4 transactions) in %.1fs", time.Since(step).Seconds())
	n.waitHead(1, lastWrite)
	if ok, err := other.IsMember(ctx, probe.Account()); err != nil || !ok {
		t.Fatalf("probe is not a member as seen through validator 1: %v %v", ok, err)
	}
	ms, err := other.Members(ctx)
	if err != nil || len(ms) != 3 {
		t.Fatalf("members through validator 1: %+v %v", ms, err)
	}

	// The calls of the API suite's commitments and devices parts: commit through validator 0, read the
	// events back (eth_getLogs) through validator 1 and verify them against the on-chain hash chain.
	a, b := testTag(t.Name()+"a"), testTag(t.Name()+"b")
	cs := []Commitment{
		testCommitment(a, 1, []byte("cid-a1"), testTag("a1"), 5000),
		testCommitment(b, 7, []byte("cid-b7"), testTag("b7"), 10),
		testCommitment(a, 2, []byte("cid-a2"), testTag("a2"), 4999),
	}
	step = time.Now()
	r, err := admin.CommitBatches(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("3 commitments in block %d (gas %d), %.1fs", r.Block, r.GasUsed, time.Since(step).Seconds())
	if answered, computed, num := n.blockHashes(r.Block); answered != computed || answered != r.BlockHash {
		t.Logf("evmd block %d: eth_getBlockByNumber hash %s, receipt blockHash %s, hash computed from the header %s", num, answered, r.BlockHash, computed)
	}
	if answered, computed, num := n.blockHashes(0); answered != computed || num != 0 {
		t.Logf("evmd eth_getBlockByNumber(0x0) answers block %d, hash %s; hash computed from its header %s", num, answered, computed)
	}
	n.waitHead(1, r.Block)
	got, err := other.StreamCommitments(ctx, StreamSecret(a), admin.Account())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].equal(cs[0]) || !got[1].equal(cs[2]) || got[0].Block != r.Block {
		t.Fatalf("stream a through validator 1: %+v", got)
	}
	if _, err := other.VerifyMemberLog(ctx, admin.Account()); err != nil {
		t.Fatal(err)
	}
	if one, err := other.LookupCommitment(ctx, StreamSecret(b).BatchTag(7)); err != nil || len(one) != 1 || !one[0].sameOnChain(cs[1]) {
		t.Fatalf("lookup b/7: %+v %v", one, err)
	}
	// Another member committing under the stream's batch tag is not the custodian: ignored below.
	if _, err = other.CommitBatches(ctx, []Commitment{testCommitment(a, 2, []byte("evil"), testTag("evil"), 1)}); err != nil {
		t.Fatal(err)
	}
	dev := testTag("evmd-dev-1")
	pub, _, _ := ed25519.GenerateKey(nil)
	rd, err := admin.RegisterDevice(ctx, dev, pub)
	if err != nil {
		t.Fatal(err)
	}
	n.waitHead(1, rd.Block)
	_, err = other.RegisterDevice(ctx, dev, pub)
	mustErr(t, err, ErrDeviceExists, "device registered twice")
	if d, err := other.ActiveDevice(ctx, dev); err != nil || !d.PubKey.Equal(pub) || d.Owner != admin.Account() {
		t.Fatalf("device %+v %v", d, err)
	}

	// One of four validators crashes: the other three (3/4 of the voting power > 2/3) go on.
	n.mustScript("kill", n.Dir, "3")
	step = time.Now()
	r1, err := admin.CommitBatches(ctx, []Commitment{testCommitment(a, 3, []byte("cid-a3"), testTag("a3"), 7)})
	if err != nil {
		t.Fatalf("commit with validator 3 down: %v", err)
	}
	subj := testTag(t.Name() + "subject")
	r2, err := admin.RecordErasure(ctx, subj, testTag("key-ids"), testTag("request-ref"), testTag("purge-order"))
	if err != nil {
		t.Fatalf("erasure with validator 3 down: %v", err)
	}
	n.waitHead(1, max(r1.Block, r2.Block))
	if e, err := other.LookupErasure(ctx, subj); err != nil || e.Block != r2.Block || e.TxHash != r2.TxHash {
		t.Fatalf("erasure through validator 1: %+v %v (receipt %+v)", e, err, r2)
	}
	if got, err := other.StreamCommitments(ctx, StreamSecret(a), admin.Account()); err != nil || len(got) != 3 || got[2].Block != r1.Block {
		t.Fatalf("stream a after the commit with validator 3 down: %+v %v", got, err)
	}
	t.Logf("validator 3 down: 2 writes mined (blocks %d, %d) in %.1fs", r1.Block, r2.Block, time.Since(step).Seconds())

	// A second validator crashes: 2/4 of the voting power is not more than 2/3, no block is made.
	n.mustScript("kill", n.Dir, "2")
	time.Sleep(1500 * time.Millisecond) // a block already being committed may still land
	halted := n.head(0)
	step = time.Now()
	subj2 := testTag(t.Name() + "subject-2")
	_, err = probe.RecordErasure(ctx, subj2, testTag("key-ids-2"), testTag("request-ref-2"), testTag("purge-order-2"))
	if err == nil {
		t.Fatalf("a write was mined with 2 of 4 validators down (head was %d, now %d)", halted, n.head(0))
	}
	t.Logf("write with 2 of 4 validators down failed after %.1fs as expected: %v", time.Since(step).Seconds(), err)
	if !errors.Is(err, ErrPending) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrTxDropped) {
		t.Errorf("unexpected error kind for a write on a halted chain: %v", err)
	}
	sentTx := common.Hash{}
	if m := regexp.MustCompile(`tx (0x[0-9a-f]{64})`).FindStringSubmatch(err.Error()); m != nil {
		sentTx = common.HexToHash(m[1])
	}
	for i := 0; i < 2; i++ {
		if h := n.head(i); h != halted {
			t.Fatalf("validator %d made progress while the chain should be halted: head %d -> %d", i, halted, h)
		}
	}
	if _, err := probe.LookupErasure(ctx, subj2); !errors.Is(err, ErrUnknownErasure) {
		t.Fatalf("erasure recorded on a halted chain: %v", err)
	}
	t.Logf("chain halted at block %d for %.1fs", halted, time.Since(step).Seconds()+1.5)

	// Validator 2 comes back (3 of 4): blocks resume and the journaled write lands (the transaction
	// left in validator 0's pool, or the client's journal retry).
	step = time.Now()
	n.mustScript("restart", n.Dir, "2")
	deadline := time.Now().Add(90 * time.Second)
	var e ErasureRecord
	for {
		e, err = probe.LookupErasure(ctx, subj2)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrUnknownErasure) {
			t.Fatalf("lookup erasure after restart: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pending write did not land within 90s after validator 2 restarted (head %d, halted at %d)", n.head(0), halted)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if e.Block <= halted || e.DPO != probe.Account() {
		t.Fatalf("erasure record %+v (halted at %d)", e, halted)
	}
	how := "a re-sent transaction (journal retry)"
	if e.TxHash == sentTx {
		how = "the transaction sent while the chain was halted"
	}
	t.Logf("validator 2 restarted: pending write landed in block %d after %.1fs, carried by %s (%s)", e.Block, time.Since(step).Seconds(), how, e.TxHash)
	time.Sleep(2 * time.Second) // the client's journal retry settles
	n.logTxsFrom(probe.Account(), halted+1)
	r3, err := admin.CommitBatches(ctx, []Commitment{testCommitment(a, 4, []byte("cid-a4"), testTag("a4"), 9)})
	if err != nil {
		t.Fatalf("commit after validator 2 restarted: %v", err)
	}
	n.waitHead(1, r3.Block)
	got, err = other.StreamCommitments(ctx, StreamSecret(a), admin.Account())
	if err != nil || len(got) != 4 || got[3].Block != r3.Block {
		t.Fatalf("stream a at the end: %+v %v", got, err)
	}
	if _, err := other.VerifyMemberLog(ctx, admin.Account()); err != nil {
		t.Fatal(err)
	}

	// Reopen the deployer's repo. Its journal holds receipt block hashes (evmd answers CometBFT block
	// hashes there); reconcile compares them with the hash go-ethereum computes from the header of the
	// same block, which on evmd never matches.
	ec, err := ethclient.Dial(n.rpc(0))
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	nonceBefore, err := ec.NonceAt(ctx, admin.Account(), nil)
	if err != nil {
		t.Fatal(err)
	}
	admin.Close()
	var logs syncBuffer
	cfg := admin.cfg
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	reopened, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("reopen the deployer's repo: %v", err)
	}
	t.Cleanup(func() { reopened.Close() })
	time.Sleep(2 * time.Second) // the committer settles requeued commitments against the chain
	nonceAfter, err := ec.NonceAt(ctx, admin.Account(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if nonceAfter != nonceBefore {
		t.Errorf("reopening the repo sent %d transactions", nonceAfter-nonceBefore)
	}
	// The journal's block hashes are the node's own ("hash" as reported), so nothing counts as lost.
	if out := logs.String(); strings.Contains(out, "journal reconciled with chain") {
		t.Errorf("reopening a repo with no chain change reconciled writes as lost: %s", strings.TrimSpace(out))
	}
	t.Logf("total %.1fs", time.Since(t0).Seconds())
}
