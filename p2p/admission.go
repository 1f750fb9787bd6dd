package p2p

import (
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"golang.org/x/time/rate"
)

// Membership answers whether a peer is a consortium member right now. The
// on-chain member registry (package pointers) is the source of truth; a
// MemberSet mirrors it in memory so the connection gater never waits on I/O.
type Membership interface {
	IsMember(id peer.ID) bool
	// List returns the members (the node itself included, if it is one):
	// the peers a node keeps connected (KeepMembersConnected).
	List() []peer.ID
}

// admitter is what the connection gater asks of a Membership: admission
// decides on one peer at a time and never needs the whole list.
type admitter interface {
	IsMember(id peer.ID) bool
}

// MemberSet is a concurrency-safe set of admitted peer ids. The zero value
// admits nobody.
type MemberSet struct {
	mu      sync.RWMutex
	members map[peer.ID]struct{}
	onDrop  []func(peer.ID)
}

// NewMemberSet returns a set holding ids.
func NewMemberSet(ids ...peer.ID) *MemberSet {
	s := &MemberSet{}
	s.Replace(ids)
	return s
}

// IsMember reports whether id is in the set.
func (s *MemberSet) IsMember(id peer.ID) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.members[id]
	return ok
}

// Add admits id.
func (s *MemberSet) Add(id peer.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.members == nil {
		s.members = make(map[peer.ID]struct{})
	}
	s.members[id] = struct{}{}
}

// Remove drops id and tells every subscriber (OnDrop), which disconnects it.
func (s *MemberSet) Remove(id peer.ID) {
	s.mu.Lock()
	_, had := s.members[id]
	delete(s.members, id)
	subs := append([]func(peer.ID){}, s.onDrop...)
	s.mu.Unlock()
	if had {
		for _, f := range subs {
			f(id)
		}
	}
}

// Replace sets the membership to exactly ids, as read from the chain, and
// notifies subscribers of every peer that was dropped.
func (s *MemberSet) Replace(ids []peer.ID) {
	next := make(map[peer.ID]struct{}, len(ids))
	for _, id := range ids {
		next[id] = struct{}{}
	}
	s.mu.Lock()
	var dropped []peer.ID
	for id := range s.members {
		if _, ok := next[id]; !ok {
			dropped = append(dropped, id)
		}
	}
	s.members = next
	subs := append([]func(peer.ID){}, s.onDrop...)
	s.mu.Unlock()
	for _, id := range dropped {
		for _, f := range subs {
			f(id)
		}
	}
}

// List returns the members in no particular order.
func (s *MemberSet) List() []peer.ID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]peer.ID, 0, len(s.members))
	for id := range s.members {
		out = append(out, id)
	}
	return out
}

// OnDrop registers f to be called (outside the lock) for every peer removed
// from the set.
func (s *MemberSet) OnDrop(f func(peer.ID)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onDrop = append(s.onDrop, f)
}

// admissionGater is a libp2p connection gater that admits consortium members
// only. Refusals happen once the remote peer's identity is authenticated (the
// security handshake), for inbound and outbound connections alike, and are
// logged and counted.
type admissionGater struct {
	members admitter
	log     *slog.Logger
	refused atomic.Uint64

	// Logging is throttled: an outsider's single attempt can be refused at
	// several steps and on several transports, and a flood of attempts must
	// not flood the log. The counter above counts every refusal.
	logMu    sync.Mutex
	logLimit *rate.Limiter
	unlogged uint64
}

// refusalLogRate is how many refusal lines per second the gater writes at
// most (with a burst of refusalLogBurst); the rest are counted and named in
// the next line.
const (
	refusalLogRate  = rate.Limit(1)
	refusalLogBurst = 5
)

// logRefusal writes msg (with args) unless the log budget is spent.
func (g *admissionGater) logRefusal(msg string, args ...any) {
	g.logMu.Lock()
	if g.logLimit == nil {
		g.logLimit = rate.NewLimiter(refusalLogRate, refusalLogBurst)
	}
	if !g.logLimit.Allow() {
		g.unlogged++
		g.logMu.Unlock()
		return
	}
	skipped := g.unlogged
	g.unlogged = 0
	g.logMu.Unlock()
	if skipped > 0 {
		args = append(args, "unlogged_refusals_before", skipped)
	}
	g.log.Warn(msg, args...)
}

var _ interface {
	InterceptPeerDial(peer.ID) bool
	InterceptAddrDial(peer.ID, ma.Multiaddr) bool
	InterceptAccept(network.ConnMultiaddrs) bool
	InterceptSecured(network.Direction, peer.ID, network.ConnMultiaddrs) bool
	InterceptUpgraded(network.Conn) (bool, control.DisconnectReason)
} = (*admissionGater)(nil)

func (g *admissionGater) refuse(dir string, id peer.ID, remote ma.Multiaddr) bool {
	g.refused.Add(1)
	g.logRefusal("refused connection from non-member", "direction", dir, "peer", id.String(), "remote", remote.String())
	return false
}

func (g *admissionGater) InterceptPeerDial(id peer.ID) bool {
	if g.members.IsMember(id) {
		return true
	}
	g.refused.Add(1)
	g.logRefusal("refused dial to non-member", "peer", id.String())
	return false
}

func (g *admissionGater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }

// InterceptAccept lets the handshake run: the peer id is not known yet.
func (g *admissionGater) InterceptAccept(network.ConnMultiaddrs) bool { return true }

func (g *admissionGater) InterceptSecured(dir network.Direction, id peer.ID, addrs network.ConnMultiaddrs) bool {
	if g.members.IsMember(id) {
		return true
	}
	return g.refuse(dir.String(), id, addrs.RemoteMultiaddr())
}

func (g *admissionGater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) {
	return true, 0
}
