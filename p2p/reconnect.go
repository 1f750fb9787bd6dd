package p2p

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
)

// Redial pacing for members that are not connected. Each member has its own
// backoff, doubled on every failed dial from redialMin up to redialMax, and
// jittered so members that lost the same peer do not redial in step.
const (
	redialMin = time.Second
	redialMax = 30 * time.Second
	// stableConnection: a connection that lasted this long before it dropped
	// resets the member's backoff; one that drops sooner (a flapping peer)
	// does not, so it is not redialled every second forever.
	stableConnection = time.Minute
	// redialTimeout bounds one dial of a member (all its addresses).
	redialTimeout = 10 * time.Second
	// keeperPoll is how often membership and connectedness are re-read when
	// no dial is due: a member added on-chain is dialled within it.
	keeperPoll = time.Second
	// maxBookAddrs bounds the addresses kept for one member.
	maxBookAddrs = 16
)

// ErrClosed is returned when asking a closed Node to start work.
var ErrClosed = errors.New("p2p: node is closed")

// KeepMembersConnected keeps this node connected to every other active
// member, for as long as ctx is live and the node is open (Close stops it).
// A member that is not connected is redialled with its own exponential
// backoff (1 s doubling to 30 s, jittered), forever; one whose connection
// drops after a minute or more is redialled within a second, and its
// backoff starts over. A member's addresses come from bootstrap
// (multiaddrs ending in /p2p/<peer id>), from the peerstore (addresses
// learned from earlier connections), and from the address book
// (Config.AddrBookPath), which this keeps up to date with what members
// announce, so that after a restart the node finds members it learned about
// before even without bootstrap peers.
//
// It returns at once. A malformed bootstrap address is an error, and so is
// a second call while the first still runs; then nothing is started.
func (n *Node) KeepMembersConnected(ctx context.Context, bootstrap []string) error {
	boot := make(map[peer.ID][]ma.Multiaddr)
	for _, s := range bootstrap {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return fmt.Errorf("p2p: bootstrap address %q: %w", s, err)
		}
		boot[ai.ID] = append(boot[ai.ID], ai.Addrs...)
	}
	n.lifeMu.Lock()
	defer n.lifeMu.Unlock()
	if n.closing {
		return ErrClosed
	}
	if n.keeping {
		return errors.New("p2p: KeepMembersConnected is already running")
	}
	// Subscribed before the loop starts, so no identification or
	// disconnection in between is missed.
	sub, err := n.Host.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted))
	if err != nil {
		return fmt.Errorf("p2p: keep members connected: subscribe to identify events: %w", err)
	}
	k := &memberKeeper{
		n:         n,
		bootstrap: boot,
		drops:     make(chan memberDrop, 64),
		results:   make(chan dialResult),
		state:     make(map[peer.ID]*redial),
	}
	n.Host.Network().Notify(k)
	n.keeping = true
	n.wg.Add(1)
	go k.run(ctx, sub)
	return nil
}

// UnreachableMembers returns the active members, other than this node, it
// is not connected to right now, sorted.
func (n *Node) UnreachableMembers() []peer.ID {
	self := n.ID()
	var out []peer.ID
	for _, id := range n.members.List() {
		if id != self && !n.Connected(id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// memberKeeper is KeepMembersConnected's state. Everything but the channels
// is owned by its run goroutine.
type memberKeeper struct {
	network.NoopNotifiee

	n         *Node
	bootstrap map[peer.ID][]ma.Multiaddr
	drops     chan memberDrop // from Disconnected; a full channel drops, the poll catches up
	results   chan dialResult
	state     map[peer.ID]*redial
	dials     sync.WaitGroup
}

type memberDrop struct {
	id     peer.ID
	lasted time.Duration // how long the last connection was open
}

type dialResult struct {
	id  peer.ID
	err error
}

// redial is one member's backoff.
type redial struct {
	wait     time.Duration // the pause before the dial after the next failure
	next     time.Time     // no dial before
	dialing  bool
	failures int // in a row
}

// backoff schedules the next dial after a failure or a drop.
func (r *redial) backoff(now time.Time) {
	r.next = now.Add(r.wait/2 + rand.N(r.wait/2))
	r.wait = min(2*r.wait, redialMax)
}

// Disconnected is called by the swarm for every closed connection; it must
// not block.
func (k *memberKeeper) Disconnected(nw network.Network, c network.Conn) {
	id := c.RemotePeer()
	if nw.Connectedness(id) == network.Connected || !k.n.members.IsMember(id) {
		return
	}
	select {
	case k.drops <- memberDrop{id: id, lasted: time.Since(c.Stat().Opened)}:
	default:
	}
}

func (k *memberKeeper) run(ctx context.Context, sub event.Subscription) {
	n := k.n
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		_ = sub.Close() // first: an unread subscription holds up identify
		n.Host.Network().StopNotify(k)
		k.dials.Wait()
		k.saveBook()
		n.lifeMu.Lock()
		n.keeping = false
		n.lifeMu.Unlock()
		n.wg.Done()
	}()
	k.seed()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.stop:
			return
		case d := <-k.drops:
			k.dropped(d, time.Now())
		case e, ok := <-sub.Out():
			if !ok {
				return
			}
			if ev, ok := e.(event.EvtPeerIdentificationCompleted); ok {
				k.learn(ev.Peer, ev.ListenAddrs)
			}
		case r := <-k.results:
			k.dialed(r, time.Now())
		case <-timer.C:
		}
		timer.Reset(k.dialDue(ctx, time.Now()))
		k.saveBook()
	}
}

// seed allowlists the members' bootstrap and address-book addresses, and
// learns the addresses of members connected before the keeper started
// (their identification is over, the peerstore has what they announced).
func (k *memberKeeper) seed() {
	n := k.n
	for id, addrs := range k.bootstrap {
		if !n.members.IsMember(id) {
			n.log.Warn("bootstrap peer is not a member: dialled once it is one", "peer", id.String())
			continue
		}
		n.allow.add(id, addrs...)
	}
	if n.book != nil {
		for id, addrs := range n.book.addrs {
			if n.members.IsMember(id) {
				n.allow.add(id, addrs...)
			}
		}
	}
	for _, id := range n.Host.Network().Peers() {
		k.learn(id, n.Host.Peerstore().Addrs(id))
	}
}

// learn records the addresses a member announced.
func (k *memberKeeper) learn(id peer.ID, addrs []ma.Multiaddr) {
	n := k.n
	if id == n.ID() || !n.members.IsMember(id) {
		return
	}
	var keep []ma.Multiaddr
	for _, a := range addrs {
		if _, err := a.ValueForProtocol(ma.P_CIRCUIT); err == nil {
			continue // relayed: members connect directly
		}
		if len(keep) == maxBookAddrs {
			break
		}
		keep = append(keep, a)
	}
	if len(keep) == 0 {
		return
	}
	n.allow.add(id, keep...)
	if n.book != nil {
		n.book.set(id, keep)
	}
}

// dropped schedules a redial of a member that lost its last connection.
func (k *memberKeeper) dropped(d memberDrop, now time.Time) {
	st := k.state[d.id]
	if st == nil {
		st = &redial{wait: redialMin}
		k.state[d.id] = st
	}
	if d.lasted >= stableConnection {
		st.wait, st.failures = redialMin, 0
	}
	if !st.dialing {
		st.backoff(now)
	}
}

func (k *memberKeeper) dialed(r dialResult, now time.Time) {
	st := k.state[r.id]
	if st == nil {
		return // no longer a member
	}
	st.dialing = false
	log := k.n.log
	if r.err == nil || k.n.Connected(r.id) {
		if st.failures > 0 {
			log.Info("member reconnected", "peer", r.id.String(), "failed_dials", st.failures)
		}
		st.failures = 0
		return
	}
	st.failures++
	st.backoff(now)
	if st.failures == 1 && len(k.addrs(r.id)) == 0 {
		// No address known (a member that only runs one-shot commands, or
		// one never seen): nothing an operator can act on.
		log.Debug("member without a known address: redialling with backoff", "peer", r.id.String())
	} else if st.failures == 1 {
		log.Warn("member unreachable: redialling with backoff", "peer", r.id.String(), "err", r.err)
	} else {
		log.Debug("member still unreachable", "peer", r.id.String(), "failed_dials", st.failures,
			"next_in", st.next.Sub(now).Round(time.Millisecond).String(), "err", r.err)
	}
}

// dialDue dials every member that is not connected and whose backoff is
// over, and returns how long until the next one is due.
func (k *memberKeeper) dialDue(ctx context.Context, now time.Time) time.Duration {
	n := k.n
	self := n.ID()
	wake := keeperPoll
	active := make(map[peer.ID]bool)
	for _, id := range n.members.List() {
		if id == self {
			continue
		}
		active[id] = true
		if n.Connected(id) {
			continue
		}
		st := k.state[id]
		if st == nil {
			st = &redial{wait: redialMin, next: now}
			k.state[id] = st
		}
		if st.dialing {
			continue
		}
		if d := st.next.Sub(now); d > 0 {
			wake = min(wake, d)
			continue
		}
		st.dialing = true
		k.dial(ctx, peer.AddrInfo{ID: id, Addrs: k.addrs(id)})
	}
	for id := range k.state {
		if !active[id] {
			delete(k.state, id)
		}
	}
	return wake
}

// addrs is what the keeper adds to the peerstore's addresses of id.
func (k *memberKeeper) addrs(id peer.ID) []ma.Multiaddr {
	out := slices.Clone(k.bootstrap[id])
	if k.n.book != nil {
		out = append(out, k.n.book.get(id)...)
	}
	return out
}

func (k *memberKeeper) dial(ctx context.Context, ai peer.AddrInfo) {
	k.dials.Add(1)
	go func() {
		defer k.dials.Done()
		// The keeper paces its dials itself: the swarm's own backoff (5 s
		// and up, per address) would hold back a redial of a member that
		// has just restarted.
		dctx, cancel := context.WithTimeout(network.WithForceDirectDial(ctx, "keep members connected"), redialTimeout)
		err := k.n.Connect(dctx, ai)
		cancel()
		select {
		case k.results <- dialResult{id: ai.ID, err: err}:
		case <-ctx.Done():
		}
	}()
}

// bookRetry is how long after a failed write the address book is written
// again: the loop must not retry (and log) every second.
const bookRetry = time.Minute

func (k *memberKeeper) saveBook() {
	b := k.n.book
	if b == nil || !b.dirty || time.Since(b.failed) < bookRetry {
		return
	}
	if err := b.save(k.n.members); err != nil {
		b.failed = time.Now()
		k.n.log.Error("address book not saved", "path", b.path, "err", err)
	}
}

// addrBook is the members' last known addresses, persisted so a restarted
// node can redial them. The keeper changes it; mu guards the map against
// readers on other goroutines (KnownAddrs).
type addrBook struct {
	path   string
	mu     sync.Mutex
	addrs  map[peer.ID][]ma.Multiaddr
	dirty  bool      // addrs differ from the file
	failed time.Time // of the last failed write
}

// addrBookFile is the address book on disk.
type addrBookFile struct {
	// Members maps a member's peer id to the addresses it last announced.
	Members map[string][]string `json:"members"`
}

// loadAddrBook reads the address book at path; a missing file is an empty
// book. A file that does not parse is only a lost cache: it is logged and
// replaced on the next save.
func loadAddrBook(path string, log *slog.Logger) (*addrBook, error) {
	b := &addrBook{path: path, addrs: make(map[peer.ID][]ma.Multiaddr)}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("p2p: read address book: %w", err)
	}
	var f addrBookFile
	if err := json.Unmarshal(data, &f); err != nil {
		log.Warn("address book unreadable: starting without it", "path", path, "err", err)
		return b, nil
	}
	for s, list := range f.Members {
		id, err := peer.Decode(s)
		if err != nil {
			log.Warn("address book entry ignored", "path", path, "peer", s, "err", err)
			continue
		}
		for _, a := range list {
			if m, err := ma.NewMultiaddr(a); err == nil && len(b.addrs[id]) < maxBookAddrs {
				b.addrs[id] = append(b.addrs[id], m)
			}
		}
	}
	return b, nil
}

func (b *addrBook) get(id peer.ID) []ma.Multiaddr {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.addrs[id])
}

func (b *addrBook) set(id peer.ID, addrs []ma.Multiaddr) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if slices.EqualFunc(b.addrs[id], addrs, ma.Multiaddr.Equal) {
		return
	}
	b.addrs[id] = addrs
	b.dirty = true
}

// save writes the book atomically, keeping members only.
func (b *addrBook) save(members Membership) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := addrBookFile{Members: make(map[string][]string, len(b.addrs))}
	for id, addrs := range b.addrs {
		if !members.IsMember(id) {
			delete(b.addrs, id)
			continue
		}
		list := make([]string, len(addrs))
		for i, a := range addrs {
			list[i] = a.String()
		}
		f.Members[id.String()] = list
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if err := atomicfile.Write(b.path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	b.dirty = false
	return nil
}

// KnownAddrs are the addresses the address book holds for member id (none
// without Config.AddrBookPath): how a node that starts without the member
// keeper (a one-shot command, a restore) still finds the members.
func (n *Node) KnownAddrs(id peer.ID) []ma.Multiaddr {
	if n.book == nil {
		return nil
	}
	return n.book.get(id)
}
