package p2p

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/ipfs/boxo/bitswap"
	bsnet "github.com/ipfs/boxo/bitswap/network/bsnet"
	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/boxo/ipld/merkledag"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/pnet"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// Config describes one storage peer.
type Config struct {
	// Identity is the node's libp2p key (from the keystore). Required.
	Identity crypto.PrivKey
	// ListenAddrs are multiaddrs to listen on. Default: TCP and QUIC on
	// 127.0.0.1 with OS-chosen ports.
	ListenAddrs []string
	// Members decides who may connect. Required: a node never runs open.
	Members Membership
	// PrivateNetworkKey, when set, makes the node speak only to peers holding
	// the same libp2p private-network key (TCP only: QUIC cannot carry a PSK).
	PrivateNetworkKey pnet.PSK
	// Blockstore holds this node's blocks (the store package's badger
	// blockstore in production). Blocks are re-hashed on every read before
	// they are served (see VerifyingBlockstore).
	Blockstore blockstore.Blockstore
	// Logger receives structured logs. Default: slog.Default().
	Logger *slog.Logger
	// AddrBookPath is a JSON file in which KeepMembersConnected keeps the
	// last known addresses of every member, so that a restarted node redials
	// members it learned about before, bootstrap peers or not. Empty: no
	// address book.
	AddrBookPath string
	// MaxConnsPerIP caps the connections with one remote IPv4 address or
	// IPv6 /56, authenticated or not (loopback is exempt). Default
	// DefaultMaxConnsPerIP.
	MaxConnsPerIP int
}

// Node is a running storage peer: a libp2p host admitting members only, and
// bitswap serving and fetching blocks over the node's blockstore.
type Node struct {
	Host    host.Host
	Bitswap *bitswap.Bitswap
	// Blocks fetches from the local store first, then from members.
	Blocks blockservice.BlockService
	// DAG resolves whole batch DAGs through Blocks.
	DAG format.DAGService

	gater   *admissionGater
	bstore  *VerifyingBlockstore
	log     *slog.Logger
	members Membership
	allow   *memberAllowlist
	book    *addrBook // nil without Config.AddrBookPath

	lifeMu  sync.Mutex
	closing bool // set by Close: no new owned goroutines
	keeping bool // KeepMembersConnected is running

	repairQ   chan cid.Cid  // corrupted local blocks to re-fetch from members
	stop      chan struct{} // closed by Close: ends the repair loop and KeepMembersConnected
	wg        sync.WaitGroup
	repaired  atomic.Uint64
	closeOnce sync.Once
	closeErr  error
}

// ErrNotMember is returned when asked to talk to a peer that is not a
// consortium member.
var ErrNotMember = errors.New("p2p: peer is not a consortium member")

// NewNode starts a storage peer. Its lifetime is bound to Close, not to ctx;
// ctx only bounds start-up.
func NewNode(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Identity == nil {
		return nil, errors.New("p2p: config has no node identity")
	}
	if cfg.Members == nil {
		return nil, errors.New("p2p: config has no membership source")
	}
	if cfg.Blockstore == nil {
		return nil, errors.New("p2p: config has no blockstore")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "p2p")
	listen := cfg.ListenAddrs
	if len(listen) == 0 {
		listen = []string{"/ip4/127.0.0.1/tcp/0"}
		if cfg.PrivateNetworkKey == nil {
			listen = append(listen, "/ip4/127.0.0.1/udp/0/quic-v1")
		}
	}
	var book *addrBook
	if cfg.AddrBookPath != "" {
		var err error
		if book, err = loadAddrBook(cfg.AddrBookPath, log); err != nil {
			return nil, err
		}
	}
	g := &admissionGater{members: cfg.Members, log: log}
	rm, al, err := memberResourceManager(cfg.MaxConnsPerIP)
	if err != nil {
		return nil, err
	}
	cm, err := memberConnManager()
	if err != nil {
		_ = rm.Close()
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(cfg.Identity),
		libp2p.ListenAddrStrings(listen...),
		libp2p.ConnectionGater(g),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionManager(cm),
		withHandshakeTimeout(handshakeTimeout),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.DisableRelay(),
		libp2p.Ping(true),
		libp2p.DialRanker(tcpFirst),
	}
	if cfg.PrivateNetworkKey != nil {
		opts = append(opts, libp2p.PrivateNetwork(cfg.PrivateNetworkKey))
	} else {
		opts = append(opts, libp2p.Transport(quic.NewTransport))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		// libp2p closes them on some failures, not all; closing is idempotent.
		_ = cm.Close()
		_ = rm.Close()
		return nil, fmt.Errorf("p2p: start libp2p host: %w", err)
	}
	if err := ctx.Err(); err != nil {
		_ = h.Close()
		return nil, err
	}
	vbs := NewVerifyingBlockstore(cfg.Blockstore, log)
	// The bitswap instance outlives ctx: it stops on Close.
	bs := bitswap.New(context.Background(), bsnet.NewFromIpfsHost(h), &memberRouting{h: h, members: cfg.Members},
		vbs, bitswap.SetSendDontHaves(true), bitswap.ProviderSearchDelay(providerSearchDelay),
		// Members are few and trusted, on fast links: keep more bytes in flight
		// per peer than the public-network defaults (1 MiB).
		bitswap.MaxOutstandingBytesPerPeer(32<<20), bitswap.WithTargetMessageSize(1<<20))
	blocks := blockservice.New(vbs, bs)
	n := &Node{
		Host:    h,
		Bitswap: bs,
		Blocks:  blocks,
		DAG:     merkledag.NewDAGService(blocks),
		gater:   g,
		bstore:  vbs,
		log:     log,
		members: cfg.Members,
		allow:   newMemberAllowlist(al),
		book:    book,
		repairQ: make(chan cid.Cid, repairQueue),
		stop:    make(chan struct{}),
	}
	h.Network().Notify(&memberNotifiee{members: cfg.Members, cm: cm, allow: n.allow})
	vbs.OnCorrupt = n.queueRepair
	n.wg.Add(1)
	go n.repairLoop()
	if ms, ok := cfg.Members.(*MemberSet); ok {
		ms.OnDrop(func(id peer.ID) {
			cm.Unprotect(id, "member")
			n.allow.drop(id)
			if err := h.Network().ClosePeer(id); err != nil {
				log.Warn("disconnect dropped member", "peer", id.String(), "err", err)
			}
		})
	}
	log.Info("storage peer started", "peer", h.ID().String(), "addrs", fmt.Sprint(h.Addrs()))
	return n, nil
}

// ID is the node's peer id.
func (n *Node) ID() peer.ID { return n.Host.ID() }

// AddrInfo is how other peers reach this one.
func (n *Node) AddrInfo() peer.AddrInfo {
	return peer.AddrInfo{ID: n.Host.ID(), Addrs: n.Host.Addrs()}
}

// RefusedConnections counts connections refused because the peer is not a
// consortium member.
func (n *Node) RefusedConnections() uint64 { return n.gater.refused.Load() }

// CorruptBlocks counts blocks found corrupted in the local store on read.
func (n *Node) CorruptBlocks() uint64 { return n.bstore.corrupt.Load() }

// Connect dials a member. Dialling a non-member fails with ErrNotMember.
func (n *Node) Connect(ctx context.Context, ai peer.AddrInfo) error {
	if !n.gater.members.IsMember(ai.ID) {
		return fmt.Errorf("connect %s: %w", ai.ID, ErrNotMember)
	}
	if err := n.Host.Connect(ctx, ai); err != nil {
		return fmt.Errorf("p2p: connect %s: %w", ai.ID, err)
	}
	return nil
}

// Connected reports whether a live connection to id exists.
func (n *Node) Connected(id peer.ID) bool {
	return n.Host.Network().Connectedness(id) == network.Connected
}

// Provide announces blocks that were written to the local store directly
// (not fetched through Blocks) so that peers waiting for them are served.
func (n *Node) Provide(ctx context.Context, blks ...cid.Cid) error {
	for _, c := range blks {
		b, err := n.bstore.Get(ctx, c)
		if err != nil {
			return fmt.Errorf("p2p: provide %s: %w", c, err)
		}
		if err := n.Bitswap.NotifyNewBlocks(ctx, b); err != nil {
			return fmt.Errorf("p2p: provide %s: %w", c, err)
		}
	}
	return nil
}

// FetchDAG fetches every block of the DAG rooted at root that is not in the
// local store from members, stores it, and returns the number of blocks in
// the DAG. Each block's CID is checked on receipt; a peer serving bad bytes
// is ignored and the block is fetched elsewhere. Fetched blocks are written
// in groups (one synced write per group), so a large batch costs a few
// fsyncs, not one per block.
func (n *Node) FetchDAG(ctx context.Context, root cid.Cid) (int, error) {
	sess := n.Bitswap.NewSession(ctx)
	seen := map[cid.Cid]struct{}{root: {}}
	level := []cid.Cid{root}
	count := 0
	var next []cid.Cid
	visit := func(b blocks.Block) error {
		count++
		links, err := blockLinks(b)
		if err != nil {
			return err
		}
		for _, l := range links {
			if _, ok := seen[l]; !ok {
				seen[l] = struct{}{}
				next = append(next, l)
			}
		}
		return nil
	}
	for len(level) > 0 {
		next = nil
		var missing []cid.Cid
		for _, c := range level {
			b, err := n.bstore.Get(ctx, c)
			if err != nil {
				missing = append(missing, c)
				continue
			}
			if err := visit(b); err != nil {
				return count, fmt.Errorf("p2p: fetch DAG %s: %w", root, err)
			}
		}
		if len(missing) > 0 {
			ch, err := sess.GetBlocks(ctx, missing)
			if err != nil {
				return count, fmt.Errorf("p2p: fetch DAG %s: %w", root, err)
			}
			var buf []blocks.Block
			bufBytes := 0
			flush := func() error {
				if len(buf) == 0 {
					return nil
				}
				if err := n.bstore.PutMany(ctx, buf); err != nil {
					return err
				}
				buf, bufBytes = buf[:0], 0
				return nil
			}
			got := 0
			for b := range ch {
				got++
				if err := visit(b); err != nil {
					return count, fmt.Errorf("p2p: fetch DAG %s: %w", root, err)
				}
				buf = append(buf, b)
				bufBytes += len(b.RawData())
				if len(buf) >= 64 || bufBytes >= 8<<20 {
					if err := flush(); err != nil {
						return count, fmt.Errorf("p2p: fetch DAG %s: store: %w", root, err)
					}
				}
			}
			if err := flush(); err != nil {
				return count, fmt.Errorf("p2p: fetch DAG %s: store: %w", root, err)
			}
			if got != len(missing) {
				if err := ctx.Err(); err != nil {
					return count, fmt.Errorf("p2p: fetch DAG %s: %w", root, err)
				}
				return count, fmt.Errorf("p2p: fetch DAG %s: got %d of %d blocks", root, got, len(missing))
			}
		}
		level = next
	}
	return count, nil
}

// blockLinks returns the CIDs a block links to: dag-pb links, none for raw
// blocks. Other codecs are not part of a vaultnode batch.
func blockLinks(b blocks.Block) ([]cid.Cid, error) {
	switch b.Cid().Type() {
	case cid.Raw:
		return nil, nil
	case cid.DagProtobuf:
		nd, err := merkledag.DecodeProtobuf(b.RawData())
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", b.Cid(), err)
		}
		out := make([]cid.Cid, 0, len(nd.Links()))
		for _, l := range nd.Links() {
			out = append(out, l.Cid)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("block %s has codec %#x, not dag-pb or raw", b.Cid(), b.Cid().Type())
	}
}

// Close stops the node's background work (repair, KeepMembersConnected),
// bitswap and the host.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		n.lifeMu.Lock()
		n.closing = true
		n.lifeMu.Unlock()
		close(n.stop)
		n.wg.Wait()
		n.closeErr = errors.Join(n.Blocks.Close(), n.Host.Close())
	})
	return n.closeErr
}

// memberRouting is content discovery without a DHT: every connected member
// is a candidate provider. The consortium is small and fully meshed, so
// asking members is both complete and private.
type memberRouting struct {
	h       host.Host
	members Membership
}

func (r *memberRouting) FindProvidersAsync(ctx context.Context, _ cid.Cid, limit int) <-chan peer.AddrInfo {
	peers := r.h.Network().Peers()
	out := make(chan peer.AddrInfo, len(peers))
	for _, p := range peers {
		if limit > 0 && len(out) >= limit {
			break
		}
		if r.members.IsMember(p) {
			out <- peer.AddrInfo{ID: p, Addrs: r.h.Peerstore().Addrs(p)}
		}
	}
	close(out)
	return out
}

// quicFallbackDelay is how long a dial waits for TCP before also trying QUIC.
const quicFallbackDelay = 250 * time.Millisecond

// tcpFirst ranks a member's addresses TCP first, QUIC after
// quicFallbackDelay: between members' machines bulk block transfer over TCP
// (kernel stack, Noise, yamux) costs less CPU per byte than over QUIC
// (user-space congestion control and packet encryption) — measured in
// BenchmarkTransfer, see docs/BENCHMARKS.md. QUIC still connects when TCP
// is blocked.
func tcpFirst(addrs []ma.Multiaddr) []network.AddrDelay {
	out := make([]network.AddrDelay, 0, len(addrs))
	for _, a := range addrs {
		d := time.Duration(0)
		if _, err := a.ValueForProtocol(ma.P_QUIC_V1); err == nil {
			d = quicFallbackDelay
		}
		out = append(out, network.AddrDelay{Addr: a, Delay: d})
	}
	return out
}

// repairQueue bounds the corrupted blocks waiting for repair; more are
// dropped (and found again the next time they are read).
const repairQueue = 256

// repairTimeout bounds one block's re-fetch from the members.
const repairTimeout = 30 * time.Second

// queueRepair is the VerifyingBlockstore's OnCorrupt: it never blocks the
// reader (bitswap's server) that found the corruption.
func (n *Node) queueRepair(c cid.Cid) {
	select {
	case n.repairQ <- c:
	default:
		n.log.Warn("repair queue full: corrupted block left for a later read", "cid", c.String())
	}
}

// repairLoop re-fetches each corrupted local block from the other members
// over bitswap (the received bytes are hashed against the CID) and writes
// the good copy over the bad one, so a peer whose disk altered a block
// serves it again. It is owned by the Node and ends on Close.
func (n *Node) repairLoop() {
	defer n.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-n.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	pending := map[string]bool{}
	for {
		select {
		case <-n.stop:
			return
		case c := <-n.repairQ:
			if pending[c.KeyString()] {
				continue
			}
			pending[c.KeyString()] = true
			err := n.repairBlock(ctx, c)
			delete(pending, c.KeyString())
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				n.log.Error("repair of corrupted block failed", "cid", c.String(), "err", err)
				continue
			}
			n.repaired.Add(1)
			n.log.Info("corrupted block repaired from a member", "cid", c.String())
		}
	}
}

func (n *Node) repairBlock(ctx context.Context, c cid.Cid) error {
	ctx, cancel := context.WithTimeout(ctx, repairTimeout)
	defer cancel()
	// The bitswap session asks the members only: the local (bad) copy is
	// not consulted, unlike the blockservice.
	b, err := n.Bitswap.NewSession(ctx).GetBlock(ctx, c)
	if err != nil {
		return fmt.Errorf("fetch from members: %w", err)
	}
	if got, err := c.Prefix().Sum(b.RawData()); err != nil || !got.Equals(c) {
		return fmt.Errorf("member sent bytes that do not hash to %s", c)
	}
	// The vaultnode store's Put always writes, and the new copy supersedes
	// the bad one; a store that skips blocks it "has" gets the bad copy
	// deleted first.
	bs := n.bstore.Blockstore
	if err := bs.Put(ctx, b); err != nil {
		return fmt.Errorf("write repaired block: %w", err)
	}
	if n.intact(ctx, b) {
		return nil
	}
	if err := bs.DeleteBlock(ctx, c); err != nil {
		return fmt.Errorf("delete corrupted block: %w", err)
	}
	if err := bs.Put(ctx, b); err != nil {
		return fmt.Errorf("write repaired block: %w", err)
	}
	if !n.intact(ctx, b) {
		return errors.New("the store still returns bad bytes after the rewrite")
	}
	return nil
}

// intact reports whether the local store now returns b's exact bytes.
func (n *Node) intact(ctx context.Context, b blocks.Block) bool {
	got, err := n.bstore.Blockstore.Get(ctx, b.Cid())
	return err == nil && bytes.Equal(got.RawData(), b.RawData())
}

// Repaired is the number of corrupted local blocks repaired from members.
func (n *Node) Repaired() uint64 { return n.repaired.Load() }

// LocalBlock reads a block from this peer's own store the way the peer
// serves it to members: verified against its CID, and a corrupted block is
// reported as not found, counted and queued for repair from a member.
func (n *Node) LocalBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return n.bstore.Get(ctx, c)
}

// providerSearchDelay is how long a bitswap session waits without receiving
// a block before it broadcasts its wants again and asks the members (its
// content routing) for providers. It must not be 0: boxo multiplies it by the
// number of idle ticks, so 0 makes a session re-broadcast in a tight loop,
// which under load flooded the members and stalled replication.
const providerSearchDelay = 200 * time.Millisecond
