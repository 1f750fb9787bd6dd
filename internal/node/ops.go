package node

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// ReadyCheck is the result of one readiness check.
type ReadyCheck struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// ReadyReport says whether a node can serve: every check must pass.
type ReadyReport struct {
	Ready  bool                  `json:"ready"`
	Checks map[string]ReadyCheck `json:"checks"`
}

// Readiness checks that the chain answers, the keystore is open and
// readable, libp2p listens and the access log is open.
func Readiness(ctx context.Context, n *Node) ReadyReport {
	r := ReadyReport{Ready: true, Checks: map[string]ReadyCheck{}}
	set := func(name string, err error, detail string) {
		c := ReadyCheck{OK: err == nil, Detail: detail}
		if err != nil {
			c.Detail = err.Error()
			r.Ready = false
		}
		r.Checks[name] = c
	}
	head, err := n.Chain.BlockNumber(ctx)
	set("chain", err, "head "+itoa(head))
	_, err = n.Keys.Devices(ctx)
	set("keystore", err, "open")
	switch {
	case n.P2P == nil:
		set("p2p", errString("libp2p is not running (offline node)"), "")
	case len(n.P2P.Host.Network().ListenAddresses()) == 0:
		set("p2p", errString("libp2p listens on no address"), "")
	default:
		set("p2p", nil, itoa(uint64(len(n.P2P.Host.Network().Peers())))+" peers connected")
	}
	if n.Gate != nil {
		if n.Gate.IsOpen() {
			set("purgeSync", nil, "purge orders missed while down are executed; blocks are served")
		} else {
			set("purgeSync", errString("serving no block until the purge orders missed while down are synced from a member (none has answered yet)"), "")
		}
	}
	if n.Access == nil {
		set("accessLog", errString("access log is not open"), "")
	} else {
		set("accessLog", nil, itoa(n.Access.Len())+" entries")
	}
	return r
}

// HealthReport is the liveness answer: the process serves ("ok"), or
// serves with a fault an operator must look at ("degraded", with every
// reason).
type HealthReport struct {
	Status             string   `json:"status"` // "ok" or "degraded"
	Reasons            []string `json:"reasons,omitempty"`
	PeerID             string   `json:"peerId"`
	ChainHead          uint64   `json:"chainHead"`
	ChainReachable     bool     `json:"chainReachable"`
	PendingCommitments int      `json:"pendingCommitments"`
	PendingWrites      int      `json:"pendingWrites"`
	Peers              int      `json:"peers"`
	UnreachableMembers []string `json:"unreachableMembers,omitempty"`
	UnderReplicated    int      `json:"batchesUnderReplicated"`
	// ChainEndpoints: each --chain-rpc endpoint and whether it answers.
	ChainEndpoints []pointers.EndpointStatus `json:"chainEndpoints,omitempty"`
}

// Health is the liveness report: degraded when the chain cannot be reached
// or has stalled, when active members are unreachable, or when batches held
// here have fewer replicas than the replication factor.
func Health(ctx context.Context, n *Node) HealthReport {
	r := HealthReport{Status: "ok", PeerID: n.PeerID().String(), PendingCommitments: n.Chain.PendingCommitments(),
		PendingWrites: n.Chain.PendingWrites(), ChainEndpoints: n.Chain.Endpoints()}
	degrade := func(format string, a ...any) {
		r.Status = "degraded"
		r.Reasons = append(r.Reasons, fmt.Sprintf(format, a...))
	}
	head, err := n.Chain.BlockNumber(ctx)
	switch {
	case err != nil:
		degrade("chain unreachable: %v", err)
	case !n.Chain.Ready():
		degrade("chain not yet connected (journal not reconciled)")
	default:
		r.ChainHead, r.ChainReachable = head, true
		if err := n.Chain.CheckLive(ctx); err != nil {
			degrade("chain stalled: %v", err)
		}
	}
	for _, e := range r.ChainEndpoints {
		if !e.Up {
			what := "unreachable"
			if e.Problem != "" {
				what = e.Problem
			}
			degrade("chain endpoint %s: %s", e.URL, what)
		}
	}
	if n.P2P != nil {
		r.Peers = len(n.P2P.Host.Network().Peers())
		for _, m := range n.P2P.UnreachableMembers() {
			if n.runsDaemon(m) {
				r.UnreachableMembers = append(r.UnreachableMembers, m.String())
			}
		}
		if k := len(r.UnreachableMembers); k > 0 {
			degrade("%d member(s) unreachable", k)
		}
	}
	if n.Replicator != nil {
		if r.UnderReplicated = n.Replicator.UnderReplicated(); r.UnderReplicated > 0 {
			degrade("%d batch(es) under-replicated", r.UnderReplicated)
		}
	}
	return r
}

// runsDaemon tells whether member id is expected to be reachable: it is a
// bootstrap peer, or it announced that it holds replicas when it was last
// connected. A member that only ever runs one-shot CLI commands is never
// reachable, and its absence is no fault.
func (n *Node) runsDaemon(id peer.ID) bool {
	for _, a := range n.bootstrap {
		if ai, err := peer.AddrInfoFromString(a); err == nil && ai.ID == id {
			return true
		}
	}
	protos, err := n.P2P.Host.Peerstore().GetProtocols(id)
	return err == nil && slices.Contains(protos, p2p.ReplicateProtocol)
}

type errString string

func (e errString) Error() string { return string(e) }

func itoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

// OpsStats are the operator figures exported on /metrics beyond the
// daemon's own counters.
type OpsStats struct {
	ProxyOutcomes      map[string]uint64 // re-encryption requests by outcome
	ReplicationFactor  int
	LiveMembers        int
	ReplicationDeficit int    // replicas the live membership cannot provide: max(0, factor - live members)
	UnderReplicated    int    // batches held here last placed on fewer than R members
	Erasures           int    // erasures completed (certificates written) by this node
	CommitTxs          uint64 // commitment transactions sent since start
	Commitments        uint64 // commitments put on chain since start
	PendingCommitments int
}

// Stats collects OpsStats (cheap: counters and one directory listing).
func (n *Node) Stats() OpsStats {
	s := OpsStats{ProxyOutcomes: map[string]uint64{}, ReplicationFactor: n.Cfg.Replication.Factor}
	if s.ReplicationFactor <= 0 {
		s.ReplicationFactor = 2
	}
	if n.Proxy != nil {
		for _, o := range p2p.Outcomes() {
			s.ProxyOutcomes[o.String()] = n.Proxy.Count(o)
		}
	}
	if n.Replicator != nil {
		s.LiveMembers = len(n.Replicator.Live())
		want := s.ReplicationFactor
		if ms := len(n.Members.List()); ms < want {
			want = ms // cannot ask more replicas than members exist
		}
		if d := want - s.LiveMembers; d > 0 {
			s.ReplicationDeficit = d
		}
		s.UnderReplicated = n.Replicator.UnderReplicated()
	}
	if es, err := os.ReadDir(filepath.Join(n.Dir, ErasuresDir)); err == nil {
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".certificate.json") {
				s.Erasures++
			}
		}
	}
	if n.Chain != nil {
		s.CommitTxs, s.Commitments, _ = n.Chain.CommitterStats()
		s.PendingCommitments = n.Chain.PendingCommitments()
	}
	return s
}

// RotateMasterKey re-protects the node's keystore under a new credential
// and records in the config where it now comes from: keyFile (absolute) for
// a key file, "" for a passphrase ($VAULTNODE_PASSPHRASE). The old
// credential no longer opens the keystore.
func (n *Node) RotateMasterKey(ctx context.Context, newCred keys.Credential, keyFile string) error {
	if err := n.Keys.RotateMasterKey(ctx, newCred); err != nil {
		return err
	}
	if n.Cfg.Keystore.KeyFile == keyFile {
		return nil
	}
	n.Cfg.Keystore.KeyFile = keyFile
	if err := SaveConfig(n.Dir, n.Cfg); err != nil {
		return fmt.Errorf("the keystore now opens with the new credential, but the config could not record it (set keystore.keyFile to %q in %s by hand): %w",
			keyFile, filepath.Join(n.Dir, ConfigFile), err)
	}
	return nil
}
