//go:build !js

package pointers

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	gethlog "github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rpc"
)

// EmbeddedGasLimit is the block gas limit of the embedded chain. Transactions are still capped at
// MaxTxGas (EIP-7825) by the fork rules, so this only lets several full transactions share a block.
const EmbeddedGasLimit = 60_000_000

// EmbeddedChain is an in-process go-ethereum node (like `geth --dev --datadir DIR`): a proof-of-stake
// dev chain driven by go-ethereum's simulated beacon, that seals a block as soon as transactions are
// pending. Its state survives restarts and SIGKILL: it runs the hash state scheme in archive mode, so the
// state of every block is written to the database with the block, and after each sealed block the
// database's write-ahead log is synced before the block is reported durable (see WaitDurable). See
// docs/CHAIN.md for the probes that led to this design.
type EmbeddedChain struct {
	stack  *node.Node
	eth    *eth.Ethereum
	beacon *catalyst.SimulatedBeacon
	log    *slog.Logger
	rpcURL string

	mu       sync.Mutex
	durable  uint64        // highest block number known to be synced to disk
	durableC chan struct{} // closed and replaced whenever durable advances

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// OpenEmbedded starts (creating on first use) the embedded chain under cfg.Dir.
func OpenEmbedded(cfg EmbeddedConfig) (*EmbeddedChain, error) {
	if cfg.Dir == "" {
		return nil, errors.New("pointers: embedded chain: no data directory")
	}
	lg := cfg.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg = lg.With("component", "chain")
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("pointers: embedded chain dir: %w", err)
	}
	ncfg := &node.Config{
		Name:    "vaultnode-chain",
		DataDir: filepath.Join(cfg.Dir, "geth-data"),
		P2P: p2p.Config{
			MaxPeers:    0,
			NoDiscovery: true,
			ListenAddr:  "",
		},
		IPCPath: "", // no IPC socket
		Logger:  gethLogger(lg),
	}
	if cfg.RPCAddr != "" {
		host, portStr, err := net.SplitHostPort(cfg.RPCAddr)
		if err != nil {
			return nil, fmt.Errorf("pointers: embedded chain RPC address %q: %w", cfg.RPCAddr, err)
		}
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("pointers: embedded chain RPC address %q: must be a loopback IP", cfg.RPCAddr)
		}
		port, err := strconv.Atoi(portStr)
		if err != nil || port < 0 || port > 65535 {
			return nil, fmt.Errorf("pointers: embedded chain RPC address %q: bad port", cfg.RPCAddr)
		}
		ncfg.HTTPHost = host
		ncfg.HTTPPort = port
		ncfg.HTTPModules = []string{"eth", "net", "web3"}
		ncfg.HTTPVirtualHosts = []string{"localhost", "127.0.0.1"}
	}
	stack, err := node.New(ncfg)
	if err != nil {
		return nil, fmt.Errorf("pointers: embedded chain node: %w", err)
	}
	ecfg := ethconfig.Defaults
	ecfg.NetworkId = EmbeddedChainID
	ecfg.SyncMode = ethconfig.FullSync
	ecfg.Genesis = embeddedGenesis(cfg.Funded)
	// Durability: hash scheme + archive writes every block's state to disk with the block; no snapshot
	// layer (its journal is only written on a clean stop); small caches (the chain is small).
	ecfg.StateScheme = rawdb.HashScheme
	ecfg.NoPruning = true
	ecfg.SnapshotCache = 0
	if unsafeProfile == "geth-dev" { // probe only: what `geth --dev --datadir` does
		ecfg.StateScheme = rawdb.PathScheme
		ecfg.NoPruning = false
		ecfg.SnapshotCache = 64
		ecfg.TrieDirtyCache = 64
	}
	ecfg.DatabaseCache = 64
	ecfg.TrieCleanCache = 32
	ecfg.TrieDirtyCache = 0
	ecfg.TxPool.NoLocals = true
	ecfg.TxPool.Journal = ""
	ecfg.Miner.GasCeil = EmbeddedGasLimit
	ecfg.Miner.PendingFeeRecipient = cfg.Funded
	ecfg.RPCTxFeeCap = 0
	backend, err := eth.New(stack, &ecfg)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("pointers: embedded chain backend: %w", err)
	}
	// eth_getLogs and friends (geth's cmd registers these separately from the eth service).
	stack.RegisterAPIs([]rpc.API{{
		Namespace: "eth",
		Service: filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{
			LogCacheSize: ecfg.FilterLogCacheSize, LogQueryLimit: ecfg.LogQueryLimit, RangeLimit: ecfg.RangeLimit,
		})),
	}})
	beacon, err := catalyst.NewSimulatedBeacon(0, cfg.Funded, backend)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("pointers: embedded chain beacon: %w", err)
	}
	stack.RegisterLifecycle(beacon)
	if err := stack.Start(); err != nil {
		stack.Close()
		return nil, fmt.Errorf("pointers: embedded chain start: %w", err)
	}
	c := &EmbeddedChain{
		stack:    stack,
		eth:      backend,
		beacon:   beacon,
		log:      lg,
		durableC: make(chan struct{}),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	if cfg.RPCAddr != "" {
		c.rpcURL = stack.HTTPEndpoint()
	}
	// Everything on disk at open is durable by definition; sync once in case the last run was killed
	// between a write and its sync.
	if err := c.syncDB(); err != nil {
		stack.Close()
		return nil, err
	}
	c.setDurable(backend.BlockChain().CurrentBlock().Number.Uint64())
	head := backend.BlockChain().CurrentBlock()
	lg.Info("embedded chain open", "dir", cfg.Dir, "head", head.Number, "hash", head.Hash(), "rpc", c.rpcURL)
	go c.sealLoop()
	return c, nil
}

func embeddedGenesis(funded common.Address) *core.Genesis {
	g := core.DeveloperGenesisBlock(EmbeddedGasLimit, &funded)
	g.Config.ChainID = big.NewInt(EmbeddedChainID)
	return g
}

// RPCURL is the HTTP JSON-RPC endpoint ("" unless EmbeddedConfig.RPCAddr was set).
func (c *EmbeddedChain) RPCURL() string { return c.rpcURL }

// Client returns an ethclient talking to the chain in-process.
func (c *EmbeddedChain) Client() *ethclient.Client {
	return ethclient.NewClient(c.stack.Attach())
}

// Head is the number of the current head block.
func (c *EmbeddedChain) Head() uint64 { return c.eth.BlockChain().CurrentBlock().Number.Uint64() }

// DurableHead is the highest block number whose data is synced to disk.
func (c *EmbeddedChain) DurableHead() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.durable
}

// WaitDurable blocks until block number n is synced to disk.
func (c *EmbeddedChain) WaitDurable(ctx context.Context, n uint64) error {
	for {
		c.mu.Lock()
		d, ch := c.durable, c.durableC
		c.mu.Unlock()
		if d >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("pointers: waiting for block %d to be durable: %w", n, ctx.Err())
		case <-c.done:
			return fmt.Errorf("pointers: waiting for block %d to be durable: %w", n, ErrClosed)
		}
	}
}

func (c *EmbeddedChain) setDurable(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > c.durable {
		c.durable = n
		close(c.durableC)
		c.durableC = make(chan struct{})
	}
}

// unsafeProfile switches off parts of the durability design, for the probe test that shows they are
// needed (see TestSIGKILLProbe). Never set outside tests.
var unsafeProfile string

func (c *EmbeddedChain) syncDB() error {
	if unsafeProfile != "" {
		return nil
	}
	if err := c.eth.ChainDb().SyncKeyValue(); err != nil {
		return fmt.Errorf("pointers: embedded chain sync: %w", err)
	}
	return nil
}

// sealLoop seals a block whenever transactions are pending (like `geth --dev` with period 0), then syncs
// the database and publishes the new durable head.
func (c *EmbeddedChain) sealLoop() {
	defer close(c.done)
	newTxs := make(chan core.NewTxsEvent, 16)
	sub := c.eth.TxPool().SubscribeTransactions(newTxs, true)
	defer sub.Unsubscribe()
	tick := time.NewTicker(500 * time.Millisecond) // also catches txs whose event we coalesced away
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-sub.Err():
			return
		case <-newTxs:
		case <-tick.C:
		}
		for i := 0; i < 64; i++ {
			if err := c.eth.TxPool().Sync(); err != nil {
				break
			}
			if pending, _ := c.eth.TxPool().Stats(); pending == 0 {
				break
			}
			before := c.Head()
			c.beacon.Commit()
			if c.Head() == before {
				break // nothing sealable (e.g. fee too low); the ticker retries
			}
		}
		head := c.Head()
		if head > c.DurableHead() {
			if err := c.syncDB(); err != nil {
				c.log.Error("embedded chain: sync failed", "err", err)
				continue
			}
			c.setDurable(head)
		}
	}
}

// Close stops the chain cleanly.
func (c *EmbeddedChain) Close() error {
	var err error
	c.once.Do(func() {
		close(c.stop)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
		}
		err = c.stack.Close()
	})
	return err
}

// NewKey returns a fresh secp256k1 signing key (for tests and for `vaultnode init`).
func NewKey() (*ecdsa.PrivateKey, error) { return crypto.GenerateKey() }

// gethLogger routes go-ethereum's logs to slog, keeping warnings and errors only (the chain logs a line
// per block at info level).
func gethLogger(lg *slog.Logger) gethlog.Logger {
	return gethlog.NewLogger(minLevelHandler{h: lg.Handler(), min: slog.LevelWarn})
}

type minLevelHandler struct {
	h   slog.Handler
	min slog.Level
}

func (m minLevelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}
func (m minLevelHandler) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m minLevelHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return minLevelHandler{h: m.h.WithAttrs(a), min: m.min}
}
func (m minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{h: m.h.WithGroup(name), min: m.min}
}
