package pointers

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/vaultnode/vaultnode/pointers/bindings"
)

// Config configures a Client.
type Config struct {
	// ChainDir holds the journal of this node's chain writes and contracts.json (the deployed contract
	// addresses); with the embedded chain (RPCURL empty) also the chain data. Required.
	ChainDir string
	// RPCURL, when set (--chain-rpc), uses that EVM JSON-RPC endpoint instead of the embedded chain.
	RPCURL string
	// Key signs this node's transactions. Its account must hold funds on the chain (the embedded chain
	// funds it in its genesis block when it creates the chain). Required.
	Key *ecdsa.PrivateKey
	// Contracts, when set and ChainDir has no contracts.json yet, are the addresses of an existing
	// deployment to join (e.g. the embedded chain of another local daemon). Without either, the client
	// deploys the contracts and its account becomes the first admin and member.
	Contracts *Addresses
	// PeerID and ProxyKey are recorded for this node when it deploys the contracts (first member).
	PeerID, ProxyKey []byte
	// ServeRPC (embedded chain only): serve JSON-RPC on this loopback address, e.g. "127.0.0.1:8545".
	ServeRPC string
	// CommitInterval is how often the background committer packs pending commitments into a
	// transaction (default 5 s).
	CommitInterval time.Duration
	// MaxCommitmentsPerTx caps the commitments of one transaction (default 500; a batch is also split
	// when its gas would exceed the per-transaction gas cap).
	MaxCommitmentsPerTx int
	// TxTimeout bounds the wait for one transaction to be mined (default 2 min).
	TxTimeout time.Duration
	// PollInterval is how often receipts and events are polled (default 100 ms embedded, 1 s RPC).
	PollInterval time.Duration
	// JournalRetainBlocks: finished journal entries are kept until their block is this deep (default 1024).
	JournalRetainBlocks uint64
	// Logger (default slog.Default()).
	Logger *slog.Logger
}

// Receipt describes the transaction that carried a write.
type Receipt struct {
	TxHash    common.Hash
	Block     uint64
	BlockHash common.Hash
	GasUsed   uint64
}

// Client is the chain API used by the rest of vaultnode. All methods are safe for concurrent use.
type Client struct {
	cfg     Config
	log     *slog.Logger
	eth     *ethclient.Client
	chain   *EmbeddedChain // nil with RPCURL
	key     *ecdsa.PrivateKey
	from    common.Address
	chainID *big.Int
	addrs   Addresses
	journal *journal

	consortium  *bindings.Consortium
	commitments *bindings.Commitments
	grants      *bindings.Grants
	erasures    *bindings.Erasures
	anchors     *bindings.AuditAnchors
	errTable    map[[4]byte]abiError

	txMu sync.Mutex // serialises nonce assignment
	// replacedAfter is how long a transaction's nonce may be used on chain
	// while its own receipt is missing before it counts as replaced
	// (default droppedReplacedAfter; tests shorten it).
	replacedAfter time.Duration
	txFailed      atomic.Uint64
	inflight      sync.Map // opID -> true while a caller is waiting for that registry write
	committer     *committer

	closeOnce sync.Once
	closed    chan struct{}
	wg        sync.WaitGroup
}

// Open connects to the chain (starting the embedded one unless cfg.RPCURL is set), deploys the
// contracts on first use, reconciles the journal with the chain (re-submitting what the chain lost) and
// starts the background committer.
func Open(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.ChainDir == "" {
		return nil, fmt.Errorf("pointers: open: %w: no chain directory", ErrBadInput)
	}
	if cfg.Key == nil {
		return nil, fmt.Errorf("pointers: open: %w: no signing key", ErrBadInput)
	}
	if cfg.CommitInterval <= 0 {
		cfg.CommitInterval = 5 * time.Second
	}
	if cfg.MaxCommitmentsPerTx <= 0 {
		cfg.MaxCommitmentsPerTx = 500
	}
	if cfg.TxTimeout <= 0 {
		cfg.TxTimeout = 2 * time.Minute
	}
	if cfg.JournalRetainBlocks == 0 {
		cfg.JournalRetainBlocks = 1024
	}
	if cfg.PollInterval <= 0 {
		if cfg.RPCURL == "" {
			cfg.PollInterval = 20 * time.Millisecond
		} else {
			cfg.PollInterval = time.Second
		}
	}
	lg := cfg.Logger
	if lg == nil {
		lg = slog.Default()
	}
	c := &Client{
		cfg:         cfg,
		log:         lg.With("component", "pointers"),
		key:         cfg.Key,
		from:        crypto.PubkeyToAddress(cfg.Key.PublicKey),
		consortium:  bindings.NewConsortium(),
		commitments: bindings.NewCommitments(),
		grants:      bindings.NewGrants(),
		erasures:    bindings.NewErasures(),
		anchors:     bindings.NewAuditAnchors(),
		closed:      make(chan struct{}),
	}
	c.errTable = buildErrTable(c.consortium.GetABI(), c.commitments.GetABI(), c.grants.GetABI(), c.erasures.GetABI(), c.anchors.GetABI())
	if cfg.RPCURL == "" {
		ch, err := OpenEmbedded(EmbeddedConfig{Dir: filepath.Join(cfg.ChainDir, "embedded"), Funded: c.from, RPCAddr: cfg.ServeRPC, Logger: lg})
		if err != nil {
			return nil, err
		}
		c.chain = ch
		c.eth = ch.Client()
	} else {
		rc, err := rpc.DialContext(ctx, cfg.RPCURL)
		if err != nil {
			return nil, fmt.Errorf("pointers: dial %s: %w", cfg.RPCURL, err)
		}
		c.eth = ethclient.NewClient(rc)
	}
	fail := func(err error) (*Client, error) {
		c.eth.Close()
		if c.chain != nil {
			c.chain.Close()
		}
		if c.journal != nil {
			c.journal.close()
		}
		return nil, err
	}
	id, err := c.eth.ChainID(ctx)
	if err != nil {
		return fail(fmt.Errorf("pointers: chain id: %w", err))
	}
	c.chainID = id
	if err := c.loadOrDeploy(ctx); err != nil {
		return fail(err)
	}
	j, err := openJournal(filepath.Join(cfg.ChainDir, "journal.log"), c.log)
	if err != nil {
		return fail(err)
	}
	c.journal = j
	c.committer = newCommitter(c)
	if err := c.reconcile(ctx); err != nil {
		return fail(err)
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.committer.loop()
	}()
	return c, nil
}

// Close stops the committer (pending commitments stay in the journal and are committed on the next
// Open), then the chain.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.closed)
		c.wg.Wait()
		c.eth.Close()
		if c.chain != nil {
			err = c.chain.Close()
		}
		if jerr := c.journal.close(); err == nil {
			err = jerr
		}
	})
	return err
}

// Account is this node's chain account.
func (c *Client) Account() common.Address { return c.from }

// Contracts returns the deployed contract addresses.
func (c *Client) Contracts() Addresses { return c.addrs }

// Embedded returns the embedded chain, or nil when the client talks to an RPC endpoint.
func (c *Client) Embedded() *EmbeddedChain { return c.chain }

// BlockNumber is the chain's current head.
func (c *Client) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := c.eth.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("pointers: block number: %w", err)
	}
	return n, nil
}

// Fund sends wei from this node's account to another (e.g. a new member joining the embedded chain).
func (c *Client) Fund(ctx context.Context, to common.Address, wei *big.Int) (Receipt, error) {
	return c.send(ctx, "fund", &to, nil, wei)
}

// call runs a read-only contract call at the latest block, mapping reverts to typed errors.
func (c *Client) call(ctx context.Context, op string, to common.Address, data []byte) ([]byte, error) {
	out, err := c.eth.CallContract(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: data}, nil)
	if err != nil {
		return nil, c.wrapRevert(op, err)
	}
	return out, nil
}

// send signs and sends one transaction and waits until it is mined (and, on the embedded chain, synced
// to disk). It first estimates gas, so a call that would revert returns the contract's typed error and
// sends nothing.
func (c *Client) send(ctx context.Context, op string, to *common.Address, data []byte, value *big.Int) (Receipt, error) {
	tx, err := c.signAndSend(ctx, op, to, data, value, 0)
	if err != nil {
		c.txFailed.Add(1)
		return Receipt{}, err
	}
	r, err := c.waitMined(ctx, op, tx, to, data)
	if err != nil {
		c.txFailed.Add(1)
	}
	return r, err
}

// TxFailures is the number of transactions this client failed to get mined
// since Open: refused by the node, reverted, or not mined in time (each
// retry that fails counts again). Operators alert on its rate.
func (c *Client) TxFailures() uint64 { return c.txFailed.Load() }

func (c *Client) signAndSend(ctx context.Context, op string, to *common.Address, data []byte, value *big.Int, gas uint64) (*types.Transaction, error) {
	if value == nil {
		value = new(big.Int)
	}
	if gas == 0 {
		est, err := c.eth.EstimateGas(ctx, ethereum.CallMsg{From: c.from, To: to, Data: data, Value: value})
		if err != nil {
			return nil, c.wrapRevert(op, err)
		}
		gas = est + est/5 + 10_000
		if gas > params.MaxTxGas {
			gas = params.MaxTxGas
		}
	}
	head, err := c.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("pointers: %s: head: %w", op, err)
	}
	tip, err := c.eth.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, fmt.Errorf("pointers: %s: gas tip: %w", op, err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	c.txMu.Lock()
	defer c.txMu.Unlock()
	nonce, err := c.eth.PendingNonceAt(ctx, c.from)
	if err != nil {
		return nil, fmt.Errorf("pointers: %s: nonce: %w", op, err)
	}
	tx, err := types.SignNewTx(c.key, types.LatestSignerForChainID(c.chainID), &types.DynamicFeeTx{
		ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Value: value, Data: data,
	})
	if err != nil {
		return nil, fmt.Errorf("pointers: %s: sign: %w", op, err)
	}
	if err := c.eth.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("pointers: %s: send: %w", op, err)
	}
	return tx, nil
}

// droppedCheckEvery is how often waitMined asks whether the node still has
// the transaction; droppedReplacedAfter is how long the transaction's nonce
// may be used on chain while its receipt is missing before it counts as
// replaced (a receipt normally follows its block at once).
const (
	droppedCheckEvery    = time.Second
	droppedReplacedAfter = 10 * time.Second
)

// dropWatch is what waitMined remembers between its checks of whether the
// node still has a transaction.
type dropWatch struct {
	next       time.Time // when to check next
	nonceUsed  time.Time // when tx's nonce was first seen used on chain
	pendingLow int       // checks in a row that saw the pending nonce not above tx's
}

// txDropped tells whether tx will never be mined: the node's pending nonce
// for this account is not above tx's nonce, twice in a row (the node has
// neither mined nor queued it: a chain node that restarted has lost its
// pool), or tx's nonce has been used on chain, by another transaction, for
// longer than replacedAfter without a receipt for tx.
func (c *Client) txDropped(ctx context.Context, tx *types.Transaction, w *dropWatch) bool {
	pending, err := c.eth.PendingNonceAt(ctx, c.from)
	if err != nil {
		return false
	}
	if pending <= tx.Nonce() {
		w.pendingLow++
		return w.pendingLow >= 2
	}
	w.pendingLow = 0
	mined, err := c.eth.NonceAt(ctx, c.from, nil)
	if err != nil || mined <= tx.Nonce() {
		w.nonceUsed = time.Time{}
		return false
	}
	if w.nonceUsed.IsZero() {
		w.nonceUsed = time.Now()
		return false
	}
	after := c.replacedAfter
	if after <= 0 {
		after = droppedReplacedAfter
	}
	return time.Since(w.nonceUsed) >= after
}

func (c *Client) waitMined(ctx context.Context, op string, tx *types.Transaction, to *common.Address, data []byte) (Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.TxTimeout)
	defer cancel()
	tick := time.NewTicker(c.cfg.PollInterval)
	defer tick.Stop()
	w := dropWatch{next: time.Now().Add(droppedCheckEvery)}
	for {
		rc, err := c.eth.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			r := Receipt{TxHash: tx.Hash(), Block: rc.BlockNumber.Uint64(), BlockHash: rc.BlockHash, GasUsed: rc.GasUsed}
			if rc.Status != types.ReceiptStatusSuccessful {
				// Replay at the parent block for the revert reason.
				_, cerr := c.eth.CallContract(ctx, ethereum.CallMsg{From: c.from, To: to, Data: data, Gas: tx.Gas()}, new(big.Int).Sub(rc.BlockNumber, big.NewInt(1)))
				if cerr != nil {
					return r, c.wrapRevert(op, cerr)
				}
				return r, fmt.Errorf("pointers: %s: %w (tx %s in block %d)", op, ErrReverted, tx.Hash(), r.Block)
			}
			if c.chain != nil {
				if err := c.chain.WaitDurable(ctx, r.Block); err != nil {
					return r, err
				}
			}
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			c.log.Debug("receipt poll", "tx", tx.Hash(), "err", err)
		} else if time.Now().After(w.next) {
			// A transaction the node has lost (it restarted) would
			// otherwise be waited for until TxTimeout.
			w.next = time.Now().Add(droppedCheckEvery)
			if c.txDropped(ctx, tx, &w) {
				return Receipt{}, fmt.Errorf("pointers: %s: tx %s (nonce %d): %w", op, tx.Hash(), tx.Nonce(), ErrTxDropped)
			}
		}
		select {
		case <-ctx.Done():
			return Receipt{}, fmt.Errorf("pointers: %s: waiting for tx %s: %w", op, tx.Hash(), ctx.Err())
		case <-c.closed:
			return Receipt{}, fmt.Errorf("pointers: %s: waiting for tx %s: %w", op, tx.Hash(), ErrClosed)
		case <-tick.C:
		}
	}
}

// abiError maps a contract custom error to a typed error.
type abiError struct {
	abi      abi.Error
	sentinel error
}

var errSentinels = map[string]error{
	"NotMember": ErrNotMember, "NotAdmin": ErrNotAdmin, "DuplicateSequence": ErrDuplicateSequence,
	"UnknownGrant": ErrUnknownGrant, "GrantExists": ErrGrantExists, "AlreadyRevoked": ErrGrantRevoked,
	"BadWindow": ErrBadInput, "BadThreshold": ErrBadInput, "BadSignatureLength": ErrBadSignature,
	"ProxyNotMember": ErrBadInput, "BadInput": ErrBadInput, "BadCommitment": ErrBadInput,
	"LengthMismatch": ErrBadInput, "MemberExists": ErrMemberExists, "UnknownMember": ErrUnknownMember,
	"AdminExists": ErrBadInput, "UnknownAdmin": ErrBadInput, "LastAdmin": ErrBadInput,
	"DeviceExists": ErrDeviceExists, "UnknownDevice": ErrUnknownDevice, "DeviceAlreadyRevoked": ErrDeviceRevoked,
	"NotDeviceOwner": ErrNotOwner, "AlreadyErased": ErrAlreadyErased, "AlreadyRefused": ErrAlreadyRefused,
	"UnknownErasure": ErrUnknownErasure, "UnknownRefusal": ErrUnknownRefusal, "NotLogOwner": ErrNotOwner,
	"AnchorGap": ErrAnchorGap, "EmptyRange": ErrBadInput, "NoAnchor": ErrNoAnchor,
}

func buildErrTable(abis ...abi.ABI) map[[4]byte]abiError {
	t := map[[4]byte]abiError{}
	for _, a := range abis {
		for name, e := range a.Errors {
			var sel [4]byte
			copy(sel[:], e.ID[:4])
			s := errSentinels[name]
			if s == nil {
				s = ErrReverted
			}
			t[sel] = abiError{abi: e, sentinel: s}
		}
	}
	return t
}

// wrapRevert turns an RPC error carrying revert data into a typed error naming the contract error and
// its arguments; other errors are wrapped as they are.
func (c *Client) wrapRevert(op string, err error) error {
	data := revertData(err)
	if len(data) >= 4 {
		var sel [4]byte
		copy(sel[:], data[:4])
		if e, ok := c.errTable[sel]; ok {
			args, uerr := e.abi.Inputs.Unpack(data[4:])
			if uerr == nil {
				return fmt.Errorf("pointers: %s: %w (%s%v)", op, e.sentinel, e.abi.Name, fmtArgs(args))
			}
			return fmt.Errorf("pointers: %s: %w (%s)", op, e.sentinel, e.abi.Name)
		}
		return fmt.Errorf("pointers: %s: %w (revert data %x)", op, ErrReverted, data)
	}
	if data != nil {
		return fmt.Errorf("pointers: %s: %w: %v", op, ErrReverted, err)
	}
	return fmt.Errorf("pointers: %s: %w", op, err)
}

func revertData(err error) []byte {
	var de rpc.DataError
	if errors.As(err, &de) {
		switch d := de.ErrorData().(type) {
		case string:
			if b, derr := hexutil.Decode(d); derr == nil {
				return b
			}
		case []byte:
			return d
		}
		return []byte{}
	}
	return nil
}

func fmtArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case [32]byte:
			out[i] = common.Hash(v).Hex()
		default:
			out[i] = v
		}
	}
	return out
}

func bigU(n uint64) *big.Int { return new(big.Int).SetUint64(n) }
