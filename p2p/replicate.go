package p2p

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ipfs/boxo/exchange"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/identify"

	"github.com/vaultnode/vaultnode/store"
)

// ReplicateProtocol is the libp2p protocol a peer uses to ask another member
// to hold a batch: the receiver fetches the batch DAG over bitswap, pins it
// durably, and only then acknowledges.
const ReplicateProtocol = "/vaultnode/replicate/1.0.0"

// Pinner is the part of the store replication needs. *store.Store
// implements it: Pin is durable when it returns.
type Pinner interface {
	IsPinned(ctx context.Context, root cid.Cid) (bool, error)
	// PinsAfter lists at most limit pins after root after (cid.Undef:
	// from the first), in a fixed order: a repair walks the pins page by
	// page instead of loading them all.
	PinsAfter(ctx context.Context, after cid.Cid, limit int) ([]cid.Cid, error)
	// Replicate fetches the batch at root from the source, verifies every
	// block and the batch's structure, and stores and pins it durably.
	Replicate(ctx context.Context, from store.BlockGetter, root cid.Cid) (int, error)
}

var _ Pinner = (*store.Store)(nil)

// ReplicatorConfig configures replication.
type ReplicatorConfig struct {
	// Factor is R, the number of members that pin each batch (default 2).
	Factor int
	// LossTimeout is how long a member may be unreachable before the
	// survivors restore R without it (default 30 s).
	LossTimeout time.Duration
	// CheckInterval is how often liveness is checked (default 2 s).
	CheckInterval time.Duration
	// FetchTimeout bounds one replication (default 2 min).
	FetchTimeout time.Duration
	// HedgeAfter is how long a placement waits on the members asked so far before it also asks the next
	// member in placement order (default 10 s): one member that takes a request and never answers (a stuck
	// fetch, a half-dead peer) delays an acknowledgement by this much, not by FetchTimeout.
	HedgeAfter time.Duration
	// Passive: this node takes no replicas (a one-shot CLI process that
	// joins the network for one command and leaves). It does not serve
	// ReplicateProtocol, so the other members never choose it as a holder.
	Passive bool
	Logger  *slog.Logger
}

// Replicator keeps every batch this node holds pinned on R live members,
// chosen deterministically by rendezvous hashing of the root CID over the
// live members, and restores R when a member is lost.
type Replicator struct {
	node    *Node
	pins    Pinner
	members *MemberSet
	cfg     ReplicatorConfig
	log     *slog.Logger

	mu       sync.Mutex
	lastSeen map[peer.ID]time.Time
	live     []peer.ID       // sorted; includes self
	dirty    bool            // the live set changed since Run last repaired
	short    map[string]bool // roots (held here) last placed on fewer than R members
	failed   []cid.Cid       // roots the last repair could not place; retried alone
	// replicate places one root (Replicate; a test replaces it).
	replicate func(ctx context.Context, root cid.Cid) ([]peer.ID, error)

	stop chan struct{}
	wg   sync.WaitGroup
}

// NewReplicator registers the replication handler on node and returns the
// replicator; Run starts its repair loop.
func NewReplicator(node *Node, pins Pinner, members *MemberSet, cfg ReplicatorConfig) *Replicator {
	if cfg.Factor <= 0 {
		cfg.Factor = 2
	}
	if cfg.LossTimeout <= 0 {
		cfg.LossTimeout = 30 * time.Second
	}
	if cfg.CheckInterval <= 0 {
		cfg.CheckInterval = 2 * time.Second
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = 2 * time.Minute
	}
	if cfg.HedgeAfter <= 0 {
		cfg.HedgeAfter = 10 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	r := &Replicator{node: node, pins: pins, members: members, cfg: cfg, log: log.With("component", "replication"),
		lastSeen: map[peer.ID]time.Time{}, short: map[string]bool{}, stop: make(chan struct{})}
	r.replicate = r.Replicate
	if !cfg.Passive {
		node.Host.SetStreamHandler(ReplicateProtocol, r.handle)
	}
	r.refreshLive(time.Now())
	return r
}

// ReplicaSet returns the r members that should hold root among live, by
// rendezvous (highest random weight) hashing: every node computes the same
// set from the same live list, and losing one member moves only its share.
func ReplicaSet(root cid.Cid, live []peer.ID, r int) []peer.ID {
	type scored struct {
		id    peer.ID
		score [32]byte
	}
	s := make([]scored, 0, len(live))
	for _, id := range live {
		h := sha256.New()
		h.Write([]byte("vaultnode/replica/v1\x00"))
		h.Write(root.Bytes())
		h.Write([]byte(id))
		s = append(s, scored{id: id, score: [32]byte(h.Sum(nil))})
	}
	sort.Slice(s, func(i, j int) bool { return bytes.Compare(s[i].score[:], s[j].score[:]) > 0 })
	if r > len(s) {
		r = len(s)
	}
	out := make([]peer.ID, r)
	for i := range out {
		out[i] = s[i].id
	}
	return out
}

// Live returns the members considered alive: this node, and every member
// connected now or within LossTimeout.
func (r *Replicator) Live() []peer.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]peer.ID(nil), r.live...)
}

// refreshLive recomputes the live set and reports whether it changed.
func (r *Replicator) refreshLive(now time.Time) bool {
	self := r.node.ID()
	var live []peer.ID
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range r.members.List() {
		if id == self {
			live = append(live, id)
			continue
		}
		if r.node.Connected(id) {
			switch r.takesReplicas(id) {
			case roleHolder:
				r.lastSeen[id] = now
			case rolePassive:
				delete(r.lastSeen, id)
			}
		}
		if seen, ok := r.lastSeen[id]; ok && now.Sub(seen) <= r.cfg.LossTimeout {
			live = append(live, id)
		}
	}
	if !r.members.IsMember(self) {
		live = append(live, self)
	}
	sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
	changed := len(live) != len(r.live)
	for i := 0; !changed && i < len(live); i++ {
		changed = live[i] != r.live[i]
	}
	r.live = live
	r.dirty = r.dirty || changed
	return changed
}

type replicaRole int

const (
	roleUnknown replicaRole = iota // identify has not told yet
	roleHolder                     // serves ReplicateProtocol
	rolePassive                    // announced its protocols, without ReplicateProtocol
)

// takesReplicas tells whether a connected member serves ReplicateProtocol,
// as its identify exchange announced. A member whose announcement has not
// arrived yet does not count yet (Replicate waits for it briefly); a passive
// member (one-shot CLI) never counts.
func (r *Replicator) takesReplicas(id peer.ID) replicaRole {
	protos, err := r.node.Host.Peerstore().GetProtocols(id)
	if err != nil || len(protos) == 0 {
		return roleUnknown
	}
	for _, p := range protos {
		if p == ReplicateProtocol {
			return roleHolder
		}
	}
	return rolePassive
}

// identifyWait bounds how long Replicate waits for a just-connected
// member's identify exchange.
const identifyWait = 2 * time.Second

// awaitIdentify waits (up to identifyWait) until every connected member has
// announced its protocols, so one that connected a moment ago is not
// passed over as a replica holder.
func (r *Replicator) awaitIdentify(ctx context.Context) {
	ids, ok := r.node.Host.(interface{ IDService() identify.IDService })
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, identifyWait)
	defer cancel()
	for _, id := range r.members.List() {
		if id == r.node.ID() {
			continue
		}
		for _, c := range r.node.Host.Network().ConnsToPeer(id) {
			select {
			case <-ids.IDService().IdentifyWait(c):
			case <-ctx.Done():
				return
			}
		}
	}
}

// takeDirty reports whether the live set changed since the last call.
func (r *Replicator) takeDirty() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.dirty
	r.dirty = false
	return d
}

// Replicate makes sure root (already pinned here) is pinned on its replica
// set among live members. It returns the members that confirmed, this node
// included when it is in the set.
func (r *Replicator) Replicate(ctx context.Context, root cid.Cid) ([]peer.ID, error) {
	// The live set as of now, not as of the last tick: a node that has just
	// (re)connected to the members must not settle for fewer replicas.
	r.awaitIdentify(ctx)
	r.refreshLive(time.Now())
	live := r.Live()
	set := ReplicaSet(root, live, r.cfg.Factor)
	// Every live member in placement order: when one of the set fails (it
	// died since the last liveness check), the next in order takes its
	// place, so the batch still gets R replicas when R members are up.
	order := ReplicaSet(root, live, len(live))
	var confirmed []peer.ID
	var others []peer.ID
	var fallback peer.ID
	for i, id := range order {
		switch {
		case id != r.node.ID():
			others = append(others, id)
		case i < len(set):
			// This node is one of the set: it holds the batch already.
			confirmed = append(confirmed, id)
		default:
			// Outside the set it does not count while members of the set can be asked, as placement says;
			// it holds a copy all the same, so it counts once no member is left to ask.
			fallback = id
		}
	}
	need := len(set) - len(confirmed)
	got, errs := r.askHedged(ctx, root, others, need, fallback)
	confirmed = append(confirmed, got...)
	// R, or every member when the consortium is smaller than R.
	want := min(r.cfg.Factor, max(len(r.members.List()), 1))
	r.mu.Lock()
	if len(confirmed) < want {
		r.short[root.KeyString()] = true
	} else {
		delete(r.short, root.KeyString())
	}
	r.mu.Unlock()
	if len(confirmed) < len(set) {
		return confirmed, fmt.Errorf("p2p: replicate %s: %d of %d replicas: %w", root, len(confirmed), len(set), errors.Join(errs...))
	}
	return confirmed, nil
}

// UnderReplicated is the number of batches held here whose last placement
// (at ingest or by a repair) reached fewer than R members (or than every
// member, in a consortium smaller than R): too few live
// members, or members that failed to pin. A repair that succeeds later
// takes a batch off the count.
func (r *Replicator) UnderReplicated() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.short)
}

// askHedged asks members, in order, to pin root until need of them confirmed: need at first, then one more
// whenever one refuses, and one more each HedgeAfter while none has answered. When no member is left to ask,
// fallback (this node when placement left it out of the set; "" for none), which holds the batch already,
// counts as one. The asks still running when need confirmed are cancelled (those members may still pin: one
// extra copy, which repair tolerates). It returns the members that confirmed, in the order they did, and why
// the others did not.
func (r *Replicator) askHedged(ctx context.Context, root cid.Cid, members []peer.ID, need int, fallback peer.ID) ([]peer.ID, []error) {
	if need <= 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		id  peer.ID
		err error
	}
	answers := make(chan answer, len(members)) // buffered: cancelled asks never block
	next, inflight := 0, 0
	launch := func() {
		id := members[next]
		next++
		inflight++
		go func() { answers <- answer{id, r.ask(ctx, id, root)} }()
	}
	for inflight < need && next < len(members) {
		launch()
	}
	hedge := time.NewTicker(r.cfg.HedgeAfter)
	defer hedge.Stop()
	var confirmed []peer.ID
	var errs []error
	// useFallback counts fallback once no member is left to ask.
	useFallback := func() {
		if fallback != "" && next >= len(members) && len(confirmed) < need {
			confirmed = append(confirmed, fallback)
			fallback = ""
		}
	}
	for len(confirmed) < need && inflight > 0 {
		select {
		case a := <-answers:
			inflight--
			if a.err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", a.id, a.err))
				if next < len(members) {
					launch()
				} else {
					useFallback()
				}
				continue
			}
			confirmed = append(confirmed, a.id)
		case <-hedge.C:
			if next < len(members) {
				r.log.Warn("replica slow to confirm; asking the next member too", "root", root.String(), "after", r.cfg.HedgeAfter)
				launch()
			} else {
				useFallback()
			}
		}
	}
	useFallback()
	return confirmed, errs
}

func (r *Replicator) ask(ctx context.Context, id peer.ID, root cid.Cid) error {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.FetchTimeout)
	defer cancel()
	b, err := roundTrip(ctx, r.node.Host, id, ReplicateProtocol, root.Bytes())
	if err != nil {
		return err
	}
	if len(b) == 0 || b[0] != 0 {
		return fmt.Errorf("peer refused: %s", string(b[min(1, len(b)):]))
	}
	return nil
}

func (r *Replicator) handle(s network.Stream) {
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(r.cfg.FetchTimeout))
	b, err := readFrame(s, maxFrame)
	if err != nil {
		_ = s.Reset()
		return
	}
	reply := func(err error) {
		if err == nil {
			_ = writeFrame(s, []byte{0})
			return
		}
		msg := err.Error()
		if len(msg) > 256 {
			msg = msg[:256]
		}
		_ = writeFrame(s, append([]byte{1}, msg...))
	}
	root, err := cid.Cast(b)
	if err != nil {
		reply(fmt.Errorf("bad root CID: %w", err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.FetchTimeout)
	defer cancel()
	reply(r.pinLocal(ctx, root))
}

// pinLocal fetches root's DAG from members (a no-op for blocks already
// here) and pins it durably.
func (r *Replicator) pinLocal(ctx context.Context, root cid.Cid) error {
	if ok, err := r.pins.IsPinned(ctx, root); err == nil && ok {
		return nil
	}
	// A bitswap session, not the blockservice: the store writes the
	// verified batch once, in a few synced groups, and pins it atomically.
	if _, err := r.pins.Replicate(ctx, newFetcher(ctx, r.node), root); err != nil {
		return fmt.Errorf("replicate %s: %w", root, err)
	}
	r.log.Info("replica pinned", "root", root.String())
	return nil
}

// repairPage is how many pins a repair reads from the store at a time.
const repairPage = 4096

// Repair re-establishes the replica set of every batch pinned here among the
// live members. Each holder does this for its own pins; requests are
// idempotent, so overlapping repairs are harmless. The pins are read page by
// page; the roots that could not be placed are kept for retryFailed.
func (r *Replicator) Repair(ctx context.Context) error {
	var errs []error
	var failed []cid.Cid
	after := cid.Undef
	for {
		page, err := r.pins.PinsAfter(ctx, after, repairPage)
		if err != nil {
			return fmt.Errorf("p2p: repair: list pins: %w", err)
		}
		for _, root := range page {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if _, err := r.replicate(ctx, root); err != nil {
				errs = append(errs, err)
				failed = append(failed, root)
			}
		}
		if len(page) < repairPage {
			break
		}
		after = page[len(page)-1]
	}
	r.dropUnheld(ctx)
	r.mu.Lock()
	r.failed = failed
	r.mu.Unlock()
	return errors.Join(errs...)
}

// retryFailed places again only the roots the last repair could not place
// and those placed short (at ingest or since),
// instead of the whole pass: one batch no member accepts no longer makes
// every repair tick walk every pin.
func (r *Replicator) retryFailed(ctx context.Context) error {
	r.mu.Lock()
	roots := slices.Clone(r.failed)
	seen := map[string]bool{}
	for _, c := range roots {
		seen[c.KeyString()] = true
	}
	for k := range r.short { // placed short at ingest, or by an earlier pass
		if c, err := cid.Cast([]byte(k)); err == nil && !seen[k] {
			roots = append(roots, c)
		}
	}
	r.mu.Unlock()
	var errs []error
	var failed []cid.Cid
	for _, root := range roots {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if ok, err := r.pins.IsPinned(ctx, root); err == nil && !ok {
			r.mu.Lock()
			delete(r.short, root.KeyString())
			r.mu.Unlock()
			continue // deleted or erased meanwhile
		}
		if _, err := r.replicate(ctx, root); err != nil {
			errs = append(errs, err)
			failed = append(failed, root)
		}
	}
	r.mu.Lock()
	r.failed = failed
	r.mu.Unlock()
	return errors.Join(errs...)
}

// dropUnheld takes batches no longer held here (deleted, erased) off the
// under-replicated count.
func (r *Replicator) dropUnheld(ctx context.Context) {
	r.mu.Lock()
	short := make([]string, 0, len(r.short))
	for k := range r.short {
		short = append(short, k)
	}
	r.mu.Unlock()
	for _, k := range short {
		c, err := cid.Cast([]byte(k))
		if err != nil {
			continue
		}
		if ok, err := r.pins.IsPinned(ctx, c); err == nil && !ok {
			r.mu.Lock()
			delete(r.short, k)
			r.mu.Unlock()
		}
	}
}

// Run checks liveness every CheckInterval and repairs when the live set
// changes, until ctx ends or Close. It is owned by the caller's goroutine.
func (r *Replicator) Run(ctx context.Context) {
	// Registered under r.mu, after checking stop: a Run that starts while
	// Close waits neither races the WaitGroup nor outlives Close.
	r.mu.Lock()
	select {
	case <-r.stop:
		r.mu.Unlock()
		return
	default:
	}
	r.wg.Add(1)
	r.mu.Unlock()
	defer r.wg.Done()
	t := time.NewTicker(r.cfg.CheckInterval)
	defer t.Stop()
	pending := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.stop:
			return
		case now := <-t.C:
			r.refreshLive(now)
			if dirty := r.takeDirty(); dirty || pending {
				rctx, cancel := context.WithTimeout(ctx, 10*r.cfg.FetchTimeout)
				var err error
				if dirty {
					err = r.Repair(rctx)
				} else {
					err = r.retryFailed(rctx)
				}
				cancel()
				pending = err != nil
				if err != nil {
					r.log.Warn("replication repair incomplete; will retry", "err", err)
				}
			}
		}
	}
}

// Close stops Run (if running) and waits for it to return.
func (r *Replicator) Close() {
	r.mu.Lock()
	select {
	case <-r.stop:
	default:
		close(r.stop)
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// fetcher adapts one bitswap session of node, bound to ctx, to the store's
// block getters: GetBlock, GetBlocks for many blocks at once (which the store
// uses to fetch a batch's chunks in parallel windows), and Renew, which
// starts a new session for a request that stalled.
type fetcher struct {
	ctx  context.Context
	node *Node
	f    exchange.Fetcher
}

func newFetcher(ctx context.Context, n *Node) fetcher {
	return fetcher{ctx: ctx, node: n, f: n.Bitswap.NewSession(ctx)}
}

var _ store.Renewer = fetcher{}

// Renew returns a getter over a new session (store.Renewer): a stalled
// request is asked again there.
func (s fetcher) Renew() store.BlockGetter { return newFetcher(s.ctx, s.node) }

func (s fetcher) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return s.f.GetBlock(ctx, c)
}

// VerifiesOnRead reports that every block a bitswap session returns has
// been hashed on receipt: boxo's message decoding computes a block's CID from
// its bytes (message.NewWantlistBlock), and the session only delivers blocks
// whose CID was wanted. The store need not hash them again.
func (fetcher) VerifiesOnRead() bool { return true }

func (s fetcher) GetBlocks(ctx context.Context, ks []cid.Cid) <-chan blocks.Block {
	ch, err := s.f.GetBlocks(ctx, ks)
	if err != nil {
		closed := make(chan blocks.Block)
		close(closed)
		return closed
	}
	return ch
}
