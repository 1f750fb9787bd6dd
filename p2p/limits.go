package p2p

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/pnet"
	"github.com/libp2p/go-libp2p/core/sec"
	"github.com/libp2p/go-libp2p/core/transport"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	bconnmgr "github.com/libp2p/go-libp2p/p2p/net/connmgr"
	tptu "github.com/libp2p/go-libp2p/p2p/net/upgrader"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
	"go.uber.org/fx"
)

// Connection budgets. Before its security handshake completes, an inbound
// connection is anonymous: it may be an outsider's. Such connections live
// in libp2p's transient scope, which at libp2p's defaults ~80 idle TCP
// sockets fill for 15 s, refusing every member meanwhile. The limits below
// keep anonymous connections away from the members' capacity (see doc.go
// for the summary).
const (
	// handshakeTimeout bounds an inbound connection's upgrade: the security
	// handshake and muxer selection. A member completes it in a few round
	// trips (well under a second, even between continents); an idle or
	// stalled socket is cut after it and frees its slot. libp2p's default
	// is 15 s.
	handshakeTimeout = 5 * time.Second

	// DefaultMaxConnsPerIP caps the connections (inbound or outbound,
	// authenticated or not) with one IPv4 address or IPv6 /56, so one
	// outsider's address holds at most this many handshake slots. A member
	// node uses one or two (TCP, QUIC fallback, both directions at worst
	// four); 16 leaves room for a few members behind one NAT address.
	DefaultMaxConnsPerIP = 16

	// Anonymous inbound connections (the transient scope) may use a quarter
	// of the file descriptors libp2p is given (half the process's open-file
	// limit, libp2p's own share), within these bounds. An outsider needs
	// more sockets than this, from more than handshakeBudgetMax /
	// MaxConnsPerIP addresses, to delay members at all.
	handshakeBudgetMin = 64
	handshakeBudgetMax = 2048

	// outboundHandshakes bounds this node's own dials in progress: only
	// members are dialled, so it is small.
	outboundHandshakes = 256

	// memberConns is the budget of authenticated connections (the gater
	// admits members only): connsPerMember for up to 512 members, far more
	// than a consortium of hospitals. Anonymous connections never count
	// against it.
	connsPerMember = 8
	memberConns    = 512 * connsPerMember

	// allowlistedHandshakes is the separate budget of anonymous inbound
	// connections from addresses members are known to use (memberAllowlist):
	// libp2p turns to it when the general budget is full, so an outsider
	// who is not on a member's address cannot take it.
	allowlistedHandshakes = 256

	// maxAllowlistedPerMember bounds the addresses allowlisted for one
	// member (its listen addresses, and those it connected from).
	maxAllowlistedPerMember = 32
)

// memberResourceManager is libp2p's resource manager with limits for a
// members-only network:
//
//   - streams: raised, because a proxy serves many concurrent re-encryption
//     streams from the few member peers that relay clinicians' requests, far
//     more than the defaults meant for anonymous public-network peers allow;
//   - connections: anonymous inbound connections have their own budget
//     (handshakeBudget), apart from the members' (memberConns); connections
//     per IP are capped (maxPerIP; loopback is exempt, as in libp2p, since
//     an outsider cannot connect from this machine's loopback);
//   - an allowlist (returned) holding members' addresses: when the general
//     budget is full, connections from them are still accepted.
//
// Memory limits stay libp2p's, scaled to the machine.
func memberResourceManager(maxPerIP int) (network.ResourceManager, *rcmgr.Allowlist, error) {
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	const streams = 16384
	for _, l := range []*rcmgr.BaseLimit{&limits.SystemBaseLimit, &limits.TransientBaseLimit, &limits.PeerBaseLimit,
		&limits.ProtocolBaseLimit, &limits.ProtocolPeerBaseLimit, &limits.ServiceBaseLimit, &limits.ServicePeerBaseLimit} {
		l.Streams, l.StreamsInbound, l.StreamsOutbound = streams, streams, streams
	}
	scaled := limits.AutoScale()
	fds := int(scaled.ToPartialLimitConfig().System.FD) // libp2p's share: half the open-file limit
	handshakes := handshakeBudget(fds)

	// The transient scopes hold connections until their handshake is over;
	// the system scopes hold every connection. So members' connections, in
	// or out, always find memberConns of room above what anonymous ones
	// (in the transient scope) can take.
	conns := func(in, out, total, fd int) rcmgr.ResourceLimits {
		return rcmgr.ResourceLimits{ConnsInbound: rcmgr.LimitVal(in), ConnsOutbound: rcmgr.LimitVal(out),
			Conns: rcmgr.LimitVal(total), FD: rcmgr.LimitVal(fd)}
	}
	hs, ahs, out := handshakes, allowlistedHandshakes, outboundHandshakes
	partial := rcmgr.PartialLimitConfig{
		Transient:            conns(hs, out, hs+out, hs+out),
		System:               conns(hs+memberConns, out+memberConns, hs+out+memberConns, fds),
		AllowlistedTransient: conns(ahs, out, ahs+out, ahs+out),
		AllowlistedSystem:    conns(ahs+memberConns, out+memberConns, ahs+out+memberConns, fds),
		PeerDefault:          conns(connsPerMember, connsPerMember, connsPerMember, connsPerMember),
	}
	if maxPerIP <= 0 {
		maxPerIP = DefaultMaxConnsPerIP
	}
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(partial.Build(scaled)),
		rcmgr.WithLimitPerSubnet(
			[]rcmgr.ConnLimitPerSubnet{{PrefixLength: 32, ConnCount: maxPerIP}},
			[]rcmgr.ConnLimitPerSubnet{{PrefixLength: 56, ConnCount: maxPerIP}, {PrefixLength: 48, ConnCount: 4 * maxPerIP}}),
		rcmgr.WithNetworkPrefixLimit(
			[]rcmgr.NetworkPrefixLimit{{Network: netip.MustParsePrefix("127.0.0.0/8"), ConnCount: math.MaxInt}},
			[]rcmgr.NetworkPrefixLimit{{Network: netip.MustParsePrefix("::1/128"), ConnCount: math.MaxInt}}))
	if err != nil {
		return nil, nil, fmt.Errorf("p2p: resource manager: %w", err)
	}
	al := rcmgr.GetAllowlist(rm)
	if al == nil {
		_ = rm.Close()
		return nil, nil, errors.New("p2p: resource manager has no allowlist")
	}
	return rm, al, nil
}

// handshakeBudget is the number of anonymous inbound connections allowed
// at once, given libp2p's file-descriptor budget.
func handshakeBudget(fds int) int {
	return min(max(fds/4, handshakeBudgetMin), handshakeBudgetMax)
}

// memberConnManager keeps libp2p from trimming member connections: its
// default manager (low 160, high 192) would start closing a large
// consortium's full mesh. Its watermarks are the members' budget, and
// members are protected besides (memberNotifiee), so it never trims one.
func memberConnManager() (*bconnmgr.BasicConnMgr, error) {
	cm, err := bconnmgr.NewConnManager(memberConns/2, memberConns, bconnmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, fmt.Errorf("p2p: connection manager: %w", err)
	}
	return cm, nil
}

// withHandshakeTimeout sets the inbound handshake timeout on libp2p's
// connection upgrader. libp2p has no option for it, so the upgrader it
// builds is replaced by one built with the same parts and the timeout.
func withHandshakeTimeout(d time.Duration) libp2p.Option {
	return libp2p.WithFxOption(fx.Decorate(fx.Annotate(
		func(_ transport.Upgrader, security []sec.SecureTransport, muxers []tptu.StreamMuxer, psk pnet.PSK,
			rm network.ResourceManager, gater connmgr.ConnectionGater) (transport.Upgrader, error) {
			return tptu.New(security, muxers, psk, rm, gater, tptu.WithAcceptTimeout(d))
		},
		fx.ParamTags(``, `name:"security"`),
	)))
}

// memberAllowlist keeps the addresses members are known to use (their
// listen addresses, and the addresses they connected from) in the resource
// manager's allowlist, so a member dialling in from one of them finds
// capacity even when outsiders fill the anonymous budget.
type memberAllowlist struct {
	al *rcmgr.Allowlist

	mu     sync.Mutex
	byPeer map[peer.ID]map[string]ma.Multiaddr
}

func newMemberAllowlist(al *rcmgr.Allowlist) *memberAllowlist {
	return &memberAllowlist{al: al, byPeer: make(map[peer.ID]map[string]ma.Multiaddr)}
}

// add allowlists the IP addresses of addrs for member id only: a connection
// from one of them that turns out to be another peer is moved back to the
// general budget (or refused) once authenticated.
func (m *memberAllowlist) add(id peer.ID, addrs ...ma.Multiaddr) {
	m.mu.Lock()
	defer m.mu.Unlock()
	entries := m.byPeer[id]
	for _, a := range addrs {
		ip, err := manet.ToIP(a)
		if err != nil {
			continue // no IP (a DNS name): nothing to allowlist
		}
		proto := "ip4"
		if ip.To4() == nil {
			proto = "ip6"
		}
		entry, err := ma.NewMultiaddr(fmt.Sprintf("/%s/%s/p2p/%s", proto, ip, id))
		if err != nil {
			continue
		}
		key := entry.String()
		if _, ok := entries[key]; ok {
			continue
		}
		if len(entries) >= maxAllowlistedPerMember {
			return
		}
		if err := m.al.Add(entry); err != nil {
			continue
		}
		if entries == nil {
			entries = make(map[string]ma.Multiaddr)
			m.byPeer[id] = entries
		}
		entries[key] = entry
	}
}

// drop removes every entry of a peer that is no longer a member.
func (m *memberAllowlist) drop(id peer.ID) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.byPeer[id] {
		_ = m.al.Remove(e)
	}
	delete(m.byPeer, id)
}

// memberNotifiee protects every member connection from the connection
// manager's trimming and allowlists the address it came from.
type memberNotifiee struct {
	network.NoopNotifiee
	members Membership
	cm      *bconnmgr.BasicConnMgr
	allow   *memberAllowlist
}

func (m *memberNotifiee) Connected(_ network.Network, c network.Conn) {
	id := c.RemotePeer()
	if !m.members.IsMember(id) {
		return
	}
	m.cm.Protect(id, "member")
	m.allow.add(id, c.RemoteMultiaddr())
}
