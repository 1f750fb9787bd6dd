package pointers

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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
	// RPCURL, when set (--chain-rpc), uses EVM JSON-RPC endpoints instead of the embedded chain: one
	// URL, or several separated by commas in order of preference (a hospital's own chain node first,
	// other members' nodes after it); the client fails over between them (see failover).
	RPCURL string
	// Confirmations is the finality rule: a write counts as done once its block is this many blocks
	// deep. 0 (the default) suits a BFT chain (CometBFT: final when mined) and the embedded chain; a
	// chain with probabilistic finality needs more.
	Confirmations uint64
	// LogPageBlocks bounds the block range of one eth_getLogs request (providers cap it; default
	// 5,000 over RPC, unbounded on the embedded chain).
	LogPageBlocks uint64
	// MaxHeadAge, when set, is how old the chain's newest block may be before the chain counts as
	// stalled: grant checks then fail closed (ErrChainUnavailable) instead of answering from a chain
	// that has stopped. Only for chains that make blocks steadily (CometBFT makes empty blocks);
	// leave 0 for chains that seal on demand (the embedded chain, geth --dev).
	MaxHeadAge time.Duration
	// DeviceMaxStale is how long a device's last on-chain status may be used for ingest while the
	// chain cannot be reached (default 1 h; see ActiveDevice).
	DeviceMaxStale time.Duration
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
	cfg   Config
	log   *slog.Logger
	eth   *ethclient.Client
	chain *EmbeddedChain // nil with RPCURL
	fo    *failover      // nil on the embedded chain
	// ready is set once the chain has answered, its identity was checked and the journal was
	// reconciled with it; until then writes are journaled and sent later.
	ready  atomic.Bool
	liveAt atomic.Int64 // unix nanos of the last CheckLive that found the chain making blocks
	cache  *statusCache
	// releases caches the firmware releases ingest reads (releasecache.go).
	releases releaseCache
	key      *ecdsa.PrivateKey
	from     common.Address
	chainID  *big.Int
	addrs    Addresses
	journal  *journal

	consortium  *bindings.Consortium
	commitments *bindings.Commitments
	grants      *bindings.Grants
	erasures    *bindings.Erasures
	anchors     *bindings.AuditAnchors
	claims      *bindings.Claims
	verifier    *bindings.ZKClaimExceedsVerifier
	lifecycle   *bindings.Lifecycle
	errTable    map[[4]byte]abiError

	txMu      sync.Mutex // serialises nonce assignment
	nextNonce uint64     // the nonce after the last transaction sent (0: ask the node); under txMu
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
	c := newClient(cfg, lg)
	c.key, c.from = cfg.Key, crypto.PubkeyToAddress(cfg.Key.PublicKey)
	if cfg.DeviceMaxStale <= 0 {
		cfg.DeviceMaxStale = time.Hour
		c.cfg.DeviceMaxStale = cfg.DeviceMaxStale
	}
	if cfg.RPCURL == "" {
		ch, err := OpenEmbedded(EmbeddedConfig{Dir: filepath.Join(cfg.ChainDir, "embedded"), Funded: c.from, RPCAddr: cfg.ServeRPC, Logger: lg})
		if err != nil {
			return nil, err
		}
		c.chain = ch
		c.eth = ch.Client()
	} else {
		urls, err := SplitEndpoints(cfg.RPCURL)
		if err != nil {
			return nil, err
		}
		if c.cfg.LogPageBlocks == 0 {
			c.cfg.LogPageBlocks = 5000
		}
		c.fo = newFailover(urls, c.log)
		rc, err := rpc.DialOptions(ctx, urls[0], rpc.WithHTTPClient(&http.Client{Transport: c.fo}))
		if err != nil {
			return nil, fmt.Errorf("pointers: chain endpoint %s: %w", redactURL(urls[0]), err)
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
	if err := os.MkdirAll(cfg.ChainDir, 0o700); err != nil {
		return fail(fmt.Errorf("pointers: chain dir: %w", err))
	}
	known, err := c.loadAddresses()
	if err != nil {
		return fail(err)
	}
	if c.cache, err = openStatusCache(filepath.Join(cfg.ChainDir, statusCacheFile), c.log); err != nil {
		return fail(err)
	}
	j, err := openJournal(filepath.Join(cfg.ChainDir, "journal.log"), c.log)
	if err != nil {
		return fail(err)
	}
	c.journal = j
	c.committer = newCommitter(c)
	err = c.connect(ctx)
	switch {
	case err == nil:
	case known && c.fo != nil && IsUnavailable(err):
		// A member that already joined starts without the chain: ingest goes on for known devices,
		// writes are journaled, and the chain is connected to (and the journal reconciled) as soon as
		// an endpoint answers.
		c.log.Warn("chain unreachable at start; serving what does not need it and retrying", "err", err)
	default:
		return fail(err)
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if !c.ready.Load() && !c.connectUntilReady() {
			return
		}
		c.committer.loop()
	}()
	return c, nil
}

// newClient is a Client with its contract bindings and error table, and
// nothing connected.
func newClient(cfg Config, lg *slog.Logger) *Client {
	c := &Client{
		cfg:         cfg,
		log:         lg.With("component", "pointers"),
		consortium:  bindings.NewConsortium(),
		commitments: bindings.NewCommitments(),
		grants:      bindings.NewGrants(),
		erasures:    bindings.NewErasures(),
		anchors:     bindings.NewAuditAnchors(),
		claims:      bindings.NewClaims(),
		verifier:    bindings.NewZKClaimExceedsVerifier(),
		lifecycle:   bindings.NewLifecycle(),
		closed:      make(chan struct{}),
	}
	c.errTable = buildErrTable(c.consortium.GetABI(), c.commitments.GetABI(), c.grants.GetABI(), c.erasures.GetABI(), c.anchors.GetABI(), c.claims.GetABI(), c.verifier.GetABI(), c.lifecycle.GetABI())
	return c
}

// connect checks the chain's identity, deploys or adopts the contracts on a new repo, and
// reconciles the journal; it marks the client ready.
func (c *Client) connect(ctx context.Context) error {
	id, err := c.eth.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("pointers: chain id: %w", err)
	}
	if err := c.loadOrDeploy(ctx, id); err != nil {
		return err
	}
	if err := c.reconcile(ctx); err != nil {
		return err
	}
	c.ready.Store(true)
	return nil
}

// connectUntilReady retries connect (backing off from 1 s to 30 s) until it succeeds or the
// client closes; it reports whether it succeeded.
func (c *Client) connectUntilReady() bool {
	wait := time.Second
	for {
		select {
		case <-c.closed:
			return false
		case <-time.After(wait):
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.TxTimeout)
		go func() {
			select {
			case <-c.closed:
				cancel()
			case <-ctx.Done():
			}
		}()
		err := c.connect(ctx)
		cancel()
		if err == nil {
			c.log.Info("chain reachable again; journal reconciled")
			return true
		}
		if !IsUnavailable(err) {
			c.log.Error("chain connection refused", "err", err)
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// Ready reports whether the chain has answered since Open (its identity checked, the journal
// reconciled). Before that, reads fail with ErrChainUnavailable and writes are journaled.
func (c *Client) Ready() bool { return c.ready.Load() }

// Endpoints reports each configured JSON-RPC endpoint (nil on the embedded chain).
func (c *Client) Endpoints() []EndpointStatus {
	if c.fo == nil {
		return nil
	}
	return c.fo.status()
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
		if c.journal != nil {
			if jerr := c.journal.close(); err == nil {
				err = jerr
			}
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
	if errors.Is(err, ErrTxDropped) {
		c.txMu.Lock()
		c.nextNonce = 0 // the transactions after it may be gone too: re-learn from the node
		c.txMu.Unlock()
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
	// The nonce is the larger of what the node says is next (its pool included, on nodes that count
	// it) and what this client sent last: not every EVM node counts pooled transactions in its
	// pending nonce, and after a failover the new node may not have seen them yet.
	nonce, err := c.eth.PendingNonceAt(ctx, c.from)
	if err != nil {
		return nil, fmt.Errorf("pointers: %s: nonce: %w", op, err)
	}
	if c.nextNonce > nonce {
		if mined, err := c.eth.NonceAt(ctx, c.from, nil); err == nil && mined <= nonce {
			nonce = c.nextNonce
		}
	}
	tx, err := types.SignNewTx(c.key, types.LatestSignerForChainID(c.chainID), &types.DynamicFeeTx{
		ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Value: value, Data: data,
	})
	if err != nil {
		return nil, fmt.Errorf("pointers: %s: sign: %w", op, err)
	}
	if err := c.eth.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
		c.nextNonce = 0 // re-learn from the node
		return nil, fmt.Errorf("pointers: %s: send: %w", op, err)
	}
	c.nextNonce = nonce + 1
	return tx, nil
}

// alreadyKnown: the node already holds this very transaction (a resend after a failover, or to a
// node the first one had gossiped it to). The transaction is sent.
func alreadyKnown(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "already known") || strings.Contains(m, "tx already in mempool") || strings.Contains(m, "already exists in cache")
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
	next        time.Time // when to check next
	nonceUsed   time.Time // when tx's nonce was first seen used on chain
	unknownSeen int       // checks in a row that found tx unknown to the node
}

// txDropped tells whether tx will never be mined: the node does not know
// it, neither pooled nor mined, twice in a row (a chain node that restarted
// has lost its pool; after a failover the new node may never have seen it),
// or tx's nonce has been used on chain, by another transaction, for longer
// than replacedAfter without a receipt for tx. It asks for the transaction
// itself rather than trusting the pending nonce, which not every EVM node
// computes from its pool.
func (c *Client) txDropped(ctx context.Context, tx *types.Transaction, w *dropWatch) bool {
	_, _, err := c.eth.TransactionByHash(ctx, tx.Hash())
	switch {
	case errors.Is(err, ethereum.NotFound):
		w.unknownSeen++
		if w.unknownSeen >= 2 {
			return true
		}
	case err != nil:
		return false
	default:
		w.unknownSeen = 0
	}
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
			if err := c.waitFinal(ctx, op, r); err != nil {
				return r, err
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

// waitFinal waits until r's block is Config.Confirmations deep and still carries the
// transaction (a reorganisation that drops it is ErrTxDropped: the caller resends).
//
// With no confirmations it still waits until the node's head is r's block: a
// node can answer the receipt before its head moves to the receipt's block
// (go-ethereum writes a block's receipts and their lookup before it sets the
// new head), and a read at "latest" in that window sees the state without the
// transaction. A member that registered a device and read it back over
// JSON-RPC was told the device is unknown (TestStaleDeviceStatusRefused, in
// CI); a manufacturer's next custody step was estimated against the state
// without the previous one.
func (c *Client) waitFinal(ctx context.Context, op string, r Receipt) error {
	tick := time.NewTicker(c.cfg.PollInterval)
	defer tick.Stop()
	for {
		head, err := c.eth.BlockNumber(ctx)
		if err == nil && head >= r.Block && c.cfg.Confirmations == 0 {
			return nil
		}
		if err == nil && head >= r.Block+c.cfg.Confirmations {
			rc, err := c.eth.TransactionReceipt(ctx, r.TxHash)
			if err == nil && rc.BlockHash == r.BlockHash {
				return nil
			}
			if err == nil || errors.Is(err, ethereum.NotFound) {
				return fmt.Errorf("pointers: %s: tx %s left block %d in a reorganisation: %w", op, r.TxHash, r.Block, ErrTxDropped)
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pointers: %s: waiting for %d confirmations of tx %s: %w", op, c.cfg.Confirmations, r.TxHash, ctx.Err())
		case <-c.closed:
			return fmt.Errorf("pointers: %s: %w", op, ErrClosed)
		case <-tick.C:
		}
	}
}

// blockHash is the hash the node reports for block n ("hash" of
// eth_getBlockByNumber), the same hash its receipts and logs carry. It is
// not always the hash go-ethereum computes from the header: CometBFT-based
// EVMs (evmd) report the consensus block's hash, so a hash computed here
// would never match theirs.
func (c *Client) blockHash(ctx context.Context, n uint64) (common.Hash, error) {
	var b *struct {
		Hash common.Hash `json:"hash"`
	}
	if err := c.eth.Client().CallContext(ctx, &b, "eth_getBlockByNumber", hexutil.EncodeUint64(n), false); err != nil {
		return common.Hash{}, err
	}
	if b == nil {
		return common.Hash{}, ethereum.NotFound
	}
	return b.Hash, nil
}

// filterLogs is eth_getLogs paged by block range (Config.LogPageBlocks): JSON-RPC providers cap the
// range of one request. A nil ToBlock means the current head.
func (c *Client) filterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	page := c.cfg.LogPageBlocks
	if page == 0 {
		return c.eth.FilterLogs(ctx, q)
	}
	from := uint64(0)
	if q.FromBlock != nil {
		from = q.FromBlock.Uint64()
	}
	var to uint64
	if q.ToBlock != nil {
		to = q.ToBlock.Uint64()
	} else {
		head, err := c.eth.BlockNumber(ctx)
		if err != nil {
			return nil, err
		}
		to = head
	}
	var out []types.Log
	for lo := from; lo <= to; {
		hi := min(to, lo+page-1)
		pq := q
		pq.FromBlock, pq.ToBlock = bigU(lo), bigU(hi)
		logs, err := c.eth.FilterLogs(ctx, pq)
		if err != nil {
			return nil, err
		}
		out = append(out, logs...)
		if hi == to {
			break
		}
		lo = hi + 1
	}
	return out, nil
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
	"NotDeviceOwner": ErrNotOwner, "NotStreamOwner": ErrNotOwner, "AlreadyErased": ErrAlreadyErased, "AlreadyRefused": ErrAlreadyRefused,
	"UnknownErasure": ErrUnknownErasure, "UnknownRefusal": ErrUnknownRefusal, "NotLogOwner": ErrNotOwner,
	"AnchorGap": ErrAnchorGap, "EmptyRange": ErrBadInput, "NoAnchor": ErrNoAnchor,
	"ProofInvalid": ErrClaimRefused, "PublicInputNotInField": ErrClaimRefused,
	"NotManufacturer": ErrNotOwner, "NotModelOwner": ErrNotOwner, "ManufacturerExists": ErrBadInput,
	"UnknownManufacturer": ErrBadInput, "ModelExists": ErrBadInput, "UnknownModel": ErrUnknownModel,
	"UnitExists": ErrBadInput, "UnknownUnit": ErrUnknownUnit, "ReleaseExists": ErrBadInput,
	"UnknownRelease": ErrUnknownRelease, "BadStatus": ErrBadInput, "CustodyOutOfOrder": ErrCustody,
	"CustodyWrongParty": ErrCustody,
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
