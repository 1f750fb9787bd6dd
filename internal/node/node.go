package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store"
)

// Options override parts of a repo's configuration for one run.
type Options struct {
	Logger *slog.Logger
	// Listen overrides the p2p listen addresses.
	Listen []string
	// ServeRPC overrides chain.serveRpc (embedded chain only).
	ServeRPC string
	// CommitInterval overrides chain.commitInterval.
	CommitInterval time.Duration
	// Offline skips libp2p, the proxy and replication (local commands that
	// only need the keystore, the store and the chain).
	Offline bool
	// ReplicationCheck is the replicator's liveness check interval (default 2 s).
	ReplicationCheck time.Duration
	// OneShot: the node runs for one CLI command and leaves, so it takes no
	// replicas (the daemons never choose it as a holder).
	OneShot bool
}

// Node is an open vaultnode peer: keystore, store, chain client and, unless
// offline, the libp2p host with bitswap, the re-encryption proxy, the access
// log and the replicator. Every goroutine it starts stops in Close.
type Node struct {
	Dir   string
	Cfg   Config
	Log   *slog.Logger
	Keys  *keys.Keystore
	Store *store.Store
	Chain *pointers.Client

	P2P        *p2p.Node
	Members    *p2p.MemberSet
	Proxy      *p2p.Proxy
	ProxyKey   *p2p.ProxyKey
	Access     *p2p.AccessLog
	Replicator *p2p.Replicator
	Purger     *p2p.Purger
	Gate       *p2p.GatedBlockstore
	bootstrap  []string // members to dial (config p2p.bootstrap)
	Eraser     *erasure.Eraser

	d             *derived
	onChainMember atomic.Bool     // this node is an active member on chain (as last read)
	daemon        bool            // a long-running node (not a one-shot CLI command)
	bg            context.Context // ends at Close: background work the node owns
	seqMu         sync.Mutex
	// ingesting holds the submissions (ingest ids) with an attempt running;
	// another attempt of the same one waits for it (claimIngest).
	ingestMu  sync.Mutex
	ingesting map[[32]byte]chan struct{}
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	once      sync.Once
	cerr      error
}

// Open opens the repo in dir.
func Open(ctx context.Context, dir string, o Options) (*Node, error) {
	c, ks, err := openKeystore(ctx, dir, o.Logger)
	if err != nil {
		return nil, err
	}
	n, err := openWith(ctx, dir, c, ks, o)
	if err != nil {
		ks.Close()
		return nil, err
	}
	return n, nil
}

// openKeystore reads a repo's config and opens its keystore with the
// credential the config names.
func openKeystore(ctx context.Context, dir string, lg *slog.Logger) (Config, *keys.Keystore, error) {
	c, err := LoadConfig(dir)
	if err != nil {
		return Config{}, nil, err
	}
	cred, err := Credential(dir, c)
	if err != nil {
		return Config{}, nil, fmt.Errorf("keystore credential: %w", err)
	}
	defer cred.Wipe()
	if lg == nil {
		lg = slog.Default()
	}
	ks, err := keys.Open(ctx, filepath.Join(dir, KeystoreDir), cred, keys.Options{Logger: lg})
	if err != nil {
		return Config{}, nil, fmt.Errorf("open keystore: %w", err)
	}
	return c, ks, nil
}

func openWith(ctx context.Context, dir string, c Config, ks *keys.Keystore, o Options) (_ *Node, err error) {
	lg := o.Logger
	if lg == nil {
		lg = slog.Default()
	}
	n := &Node{Dir: dir, Cfg: c, Log: lg, Keys: ks, daemon: !o.OneShot}
	defer func() {
		if err != nil {
			n.closeExceptKeystore()
		}
	}()
	id, err := ks.NodeIdentity()
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	if n.d, err = deriveSecrets(id); err != nil {
		return nil, err
	}
	n.Store, err = store.Open(ctx, filepath.Join(dir, BlocksDir), &store.Options{Logger: lg, ValueLogFileSize: 64 << 20})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	seed, err := ks.ProxySeed(ctx)
	if err != nil {
		return nil, err
	}
	n.ProxyKey, err = p2p.ProxyKeyFromSeed(seed)
	wipe(seed)
	if err != nil {
		return nil, fmt.Errorf("proxy key: %w", err)
	}
	pid, err := peer.IDFromPrivateKey(id)
	if err != nil {
		return nil, err
	}
	pidBytes, _ := pid.Marshal()
	ci := time.Duration(c.Chain.CommitInterval)
	if o.CommitInterval > 0 {
		ci = o.CommitInterval
	}
	serve := c.Chain.ServeRPC
	if o.ServeRPC != "" {
		serve = o.ServeRPC
	}
	if c.Chain.RPC != "" {
		serve = ""
	}
	n.Chain, err = pointers.Open(ctx, pointers.Config{
		ChainDir: filepath.Join(dir, ChainDir), RPCURL: c.Chain.RPC, Key: n.d.chainKey, Contracts: c.Chain.Contracts,
		PeerID: pidBytes, ProxyKey: n.ProxyKey.PublicBytes(), ServeRPC: serve, CommitInterval: ci,
		PollInterval: pollInterval(c), Logger: lg, Confirmations: c.Chain.Confirmations, MaxHeadAge: time.Duration(c.Chain.MaxHeadAge),
		DeviceMaxStale: time.Duration(c.Chain.DeviceMaxStale), LogPageBlocks: c.Chain.LogPageBlocks,
	})
	if err != nil {
		return nil, fmt.Errorf("open chain: %w", err)
	}
	if o.Offline {
		return n, nil
	}
	n.Members = p2p.NewMemberSet(pid)
	if err := n.RefreshMembers(ctx); err != nil {
		return nil, err
	}
	listen := c.P2P.Listen
	if len(o.Listen) > 0 {
		listen = o.Listen
	}
	n.Gate = p2p.NewGatedBlockstore(n.Store)
	// The daemon remembers where members were, to find them after a restart
	// without bootstrap peers; a one-shot node only reads it (it runs no
	// keeper that writes), e.g. a restore looking for members to ask.
	book := filepath.Join(dir, PeersFile)
	n.P2P, err = p2p.NewNode(ctx, p2p.Config{Identity: id, ListenAddrs: listen, Members: n.Members, Blockstore: n.Gate, Logger: lg, AddrBookPath: book})
	if err != nil {
		return nil, fmt.Errorf("start libp2p: %w", err)
	}
	var logID [32]byte
	acct := n.Chain.Account()
	copy(logID[:], acct[:])
	n.Access, err = p2p.OpenAccessLog(filepath.Join(dir, AccessLogDir), logID, lg)
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	n.Proxy, err = p2p.NewProxy(p2p.ProxyConfig{Ledger: n.Chain, Self: acct, Vault: vault{ks}, Log: n.Access, Logger: lg})
	if err != nil {
		return nil, err
	}
	n.Proxy.Serve(n.P2P.Host)
	n.Proxy.ServeKFrags(n.P2P.Host, n.ProxyKey)
	n.Access.ServeAudit(n.P2P.Host, n.Chain)
	p2p.ServeRecallImpact(n.P2P.Host, n.sharedRecallImpact)
	n.Purger, err = p2p.NewPurger(p2p.PurgerConfig{Identity: id, Members: n.Members, Store: n.Store, KFrags: n.Proxy, Dir: filepath.Join(dir, PurgesDir), Logger: lg,
		Forget: n.forgetStreams,
		OnAck: func(ctx context.Context, a *p2p.PurgeAck) error {
			if n.Eraser == nil {
				return errors.New("no eraser")
			}
			return n.Eraser.AcceptAck(ctx, a)
		}})
	if err != nil {
		return nil, fmt.Errorf("purger: %w", err)
	}
	n.Purger.Serve(n.P2P.Host)
	n.Eraser, err = erasure.New(erasure.Config{Dir: filepath.Join(dir, ErasuresDir), Keys: ks, Chain: n.Chain, Node: n.P2P, Purger: n.Purger,
		Store: n.Store, Proxy: n.Proxy, Grants: n.findGrants, RevokeSigner: erasure.Ed25519Signer(n.d.grantSigner), Accesses: n.grantAccesses, Logger: lg})
	if err != nil {
		return nil, fmt.Errorf("eraser: %w", err)
	}
	check := o.ReplicationCheck
	if check == 0 {
		check = 2 * time.Second
	}
	n.Replicator = p2p.NewReplicator(n.P2P, n.Store, n.Members, p2p.ReplicatorConfig{Factor: c.Replication.Factor, CheckInterval: check, Passive: o.OneShot, Logger: lg})
	bg, cancel := context.WithCancel(context.Background())
	n.cancel, n.bg = cancel, bg
	n.wg.Add(2)
	go func() { defer n.wg.Done(); n.Replicator.Run(bg) }()
	go func() { defer n.wg.Done(); n.watch(bg) }()
	n.bootstrap = c.P2P.Bootstrap
	for _, a := range n.bootstrap {
		if err := n.ConnectAddr(ctx, a); err != nil {
			lg.Warn("bootstrap peer unreachable", "addr", a, "err", err)
		}
	}
	// A daemon of a member redials members that are down now, or drop
	// later, with backoff for as long as it runs. (A one-shot command
	// leaves before a redial would matter; a non-member would only be
	// refused again and again.)
	if n.daemon && n.onChainMember.Load() {
		if err := n.P2P.KeepMembersConnected(bg, n.bootstrap); err != nil {
			return nil, fmt.Errorf("p2p.bootstrap: %w", err)
		}
	}
	// Before serving any block: execute the purge orders missed while down.
	// Until a member has answered, the gate stays shut (a patient erased
	// meanwhile must not be served from here) and the sync is retried in
	// the background.
	switch err := n.syncPurges(ctx); {
	case err == nil:
		n.Gate.Open()
	case o.OneShot:
		// A CLI command's node serves nobody for longer than the command
		// (it is never a replica holder), and its own reads (a fetch) go
		// through this store: it opens, as a daemon must not.
		lg.Info("purge orders missed while down could not be synced", "err", err)
		n.Gate.Open()
	default:
		lg.Warn("serving no block until the purge orders missed while down are synced", "err", err)
		n.wg.Add(1)
		go func() { defer n.wg.Done(); n.syncUntilOpen(bg) }()
	}
	return n, nil
}

// errNoMemberReachable: the node has other members and reached none, so it
// cannot learn which purge orders it missed.
var errNoMemberReachable = errors.New("no other member reachable to sync purge orders from")

// syncPurges executes the purge orders this node missed, asked of the
// members it is connected to (dialling its bootstrap peers and known
// members first if none is). A consortium of one has nothing to sync.
func (n *Node) syncPurges(ctx context.Context) error {
	self := n.PeerID()
	var others, connected []peer.ID
	for _, m := range n.Members.List() {
		if m != self {
			others = append(others, m)
		}
	}
	if len(others) == 0 {
		return nil
	}
	connect := func() {
		connected = connected[:0]
		for _, m := range others {
			if n.P2P.Connected(m) {
				connected = append(connected, m)
			}
		}
	}
	if connect(); len(connected) == 0 {
		for _, a := range n.bootstrap {
			_ = n.ConnectAddr(ctx, a)
		}
		for _, m := range others {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_ = n.P2P.Connect(cctx, peer.AddrInfo{ID: m, Addrs: n.P2P.KnownAddrs(m)})
			cancel()
		}
		connect()
	}
	if len(connected) == 0 {
		return errNoMemberReachable
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	k, err := n.Purger.Sync(sctx, n.P2P.Host, connected)
	if err != nil {
		return err
	}
	if k > 0 {
		n.Log.Info("executed missed purge orders", "orders", k)
	}
	// Tell each custodian: its certificate lists this node pending until it
	// has the acknowledgement (a member with no daemon is never asked again).
	if d, err := n.Purger.DeliverAcks(sctx, n.P2P.Host); err != nil {
		n.Log.Info("purge acknowledgements not all delivered; tried again on the next start", "delivered", d, "err", err)
	} else if d > 0 {
		n.Log.Info("delivered purge acknowledgements to their custodians", "acks", d)
	}
	return nil
}

// syncUntilOpen retries syncPurges (every 2 s, backing off to 30 s) until
// it succeeds, then opens the gate; it stops with ctx.
func (n *Node) syncUntilOpen(ctx context.Context) {
	wait := 2 * time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if err := n.syncPurges(ctx); err != nil {
			n.Log.Debug("purge sync", "err", err)
			wait = min(2*wait, 30*time.Second)
			continue
		}
		n.Gate.Open()
		n.Log.Info("purge orders synced; serving blocks")
		return
	}
}

func pollInterval(c Config) time.Duration {
	if c.Chain.RPC != "" {
		return 200 * time.Millisecond
	}
	return 0
}

// PeerID is this node's libp2p peer id.
func (n *Node) PeerID() peer.ID {
	id, _ := n.Keys.NodeIdentity()
	pid, _ := peer.IDFromPrivateKey(id)
	return pid
}

// Account is this node's chain account.
func (n *Node) Account() common.Address { return n.Chain.Account() }

// RefreshMembers mirrors the on-chain member registry into the member set.
func (n *Node) RefreshMembers(ctx context.Context) error {
	ms, err := n.Chain.Members(ctx)
	if err != nil {
		return fmt.Errorf("read members: %w", err)
	}
	self := n.PeerID()
	ids := []peer.ID{self}
	listed := false
	for _, m := range ms {
		if !m.Active || len(m.PeerID) == 0 {
			continue
		}
		id, err := peer.IDFromBytes(m.PeerID)
		if err != nil {
			continue
		}
		listed = listed || id == self
		ids = append(ids, id)
	}
	n.onChainMember.Store(listed)
	n.Members.Replace(ids)
	return nil
}

// watch follows the chain: membership changes refresh the member set,
// revoked grants drop their kfrags.
func (n *Node) watch(ctx context.Context) {
	ch, err := n.Chain.WatchEvents(ctx, pointers.WatchOptions{})
	if err != nil {
		if ctx.Err() == nil {
			n.Log.Error("chain watcher", "err", err)
		}
		return
	}
	for ev := range ch {
		switch ev.Kind {
		case pointers.EventMemberAdded, pointers.EventMemberUpdated, pointers.EventMemberRemoved:
			if err := n.RefreshMembers(ctx); err != nil {
				n.Log.Warn("refresh members", "err", err)
			}
			if n.daemon && n.onChainMember.Load() {
				// Admitted while running: keep the members connected from now on
				// (an error only says it already does).
				_ = n.P2P.KeepMembersConnected(ctx, n.bootstrap)
			}
		case pointers.EventGrantRevoked:
			if _, err := n.Proxy.Forget(ctx, ev.GrantID); err != nil {
				n.Log.Warn("drop kfrag of revoked grant", "err", err)
			}
		}
	}
}

// ConnectAddr dials a member at a multiaddr ending in /p2p/<peer id>.
func (n *Node) ConnectAddr(ctx context.Context, addr string) error {
	m, err := ma.NewMultiaddr(addr)
	if err != nil {
		return fmt.Errorf("peer address %q: %w", addr, err)
	}
	ai, err := peer.AddrInfoFromP2pAddr(m)
	if err != nil {
		return fmt.Errorf("peer address %q: %w", addr, err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return n.P2P.Connect(cctx, *ai)
}

// Addrs returns this node's full p2p addresses.
func (n *Node) Addrs() []string {
	if n.P2P == nil {
		return nil
	}
	ai := n.P2P.AddrInfo()
	var out []string
	for _, a := range ai.Addrs {
		out = append(out, a.String()+"/p2p/"+ai.ID.String())
	}
	return out
}

// Close stops every goroutine and closes everything, the keystore last.
// Acknowledged readings are already durable; pending chain commitments stay
// in the journal and are committed at the next start.
func (n *Node) Close() error {
	n.once.Do(func() {
		err := n.closeExceptKeystore()
		if n.Keys != nil {
			err = errors.Join(err, n.Keys.Close())
		}
		n.cerr = err
	})
	return n.cerr
}

func (n *Node) closeExceptKeystore() error {
	var errs []error
	if n.cancel != nil {
		n.cancel()
	}
	if n.Replicator != nil {
		n.Replicator.Close()
	}
	n.wg.Wait()
	if n.P2P != nil {
		errs = append(errs, n.P2P.Close())
	}
	if n.Access != nil {
		errs = append(errs, n.Access.Close())
	}
	if n.Chain != nil {
		errs = append(errs, n.Chain.Close())
	}
	if n.Store != nil {
		errs = append(errs, n.Store.Close())
	}
	n.d.wipe()
	return errors.Join(errs...)
}

// vault adapts the keystore's kfrag records to p2p.KFragVault.
type vault struct{ ks *keys.Keystore }

func (v vault) PutKFrag(ctx context.Context, grant, tag [32]byte, kf []byte) error {
	return v.ks.PutKFrag(ctx, grant, tag, kf)
}
func (v vault) KFrag(ctx context.Context, grant [32]byte) ([]byte, error) {
	b, err := v.ks.KFrag(ctx, grant)
	if errors.Is(err, keys.ErrNoKFrag) {
		return nil, fmt.Errorf("%w: %w", p2p.ErrNoKFrag, err)
	}
	return b, err
}
func (v vault) KFragStream(ctx context.Context, grant [32]byte) ([32]byte, error) {
	t, err := v.ks.KFragStream(ctx, grant)
	if errors.Is(err, keys.ErrNoKFrag) {
		return t, fmt.Errorf("%w: %w", p2p.ErrNoKFrag, err)
	}
	return t, err
}
func (v vault) DeleteKFrag(ctx context.Context, grant [32]byte) (bool, error) {
	return v.ks.DeleteKFrag(ctx, grant)
}
func (v vault) DeleteStreamKFrags(ctx context.Context, tag [32]byte) (int, error) {
	return v.ks.DeleteStreamKFrags(ctx, tag)
}

var _ = os.Getpid
