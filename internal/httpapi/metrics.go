package httpapi

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/store"
)

// metrics are the API's own counters; the node's state is read at scrape
// time by opsCollector.
type metrics struct {
	ingested    prometheus.Counter
	refused     prometheus.Counter
	fhirRefused prometheus.Counter
}

// countRefusal counts a batch refused for its signature or device.
func (m metrics) countRefusal(err error) {
	if errors.Is(err, node.ErrBadSignature) || errors.Is(err, node.ErrDeviceRefused) {
		m.refused.Inc()
	}
}

func newMetrics(reg *prometheus.Registry, n *node.Node) metrics {
	m := metrics{
		ingested: prometheus.NewCounter(prometheus.CounterOpts{Name: "vaultnode_readings_ingested_total", Help: "Readings acknowledged."}),
		refused:  prometheus.NewCounter(prometheus.CounterOpts{Name: "vaultnode_batches_refused_total", Help: "Device batches refused (signature or device status)."}),
		fhirRefused: prometheus.NewCounter(prometheus.CounterOpts{Name: "vaultnode_fhir_refused_total",
			Help: "FHIR submissions refused (invalid resource, signature, device), answered with an OperationOutcome."}),
	}
	peers := func() float64 {
		if n.P2P == nil {
			return 0
		}
		return float64(len(n.P2P.Host.Network().Peers()))
	}
	reg.MustRegister(m.ingested, m.refused, m.fhirRefused, &opsCollector{n: n},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vaultnode_pending_commitments", Help: "Commitments journaled, not yet on chain."}, func() float64 { return float64(n.Chain.PendingCommitments()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vaultnode_peers", Help: "Connected members."}, peers),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vaultnode_refused_connections_total", Help: "Connections refused (not a member)."}, func() float64 { return float64(n.P2P.RefusedConnections()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vaultnode_reencrypt_granted_total", Help: "Re-encryptions granted."}, func() float64 { return float64(n.Proxy.Count(p2p.Granted)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vaultnode_access_log_entries", Help: "Entries in the access log."}, func() float64 { return float64(n.Access.Len()) }),
		prometheus.NewGoCollector(),
	)
	return m
}

// opsCollector exports node.Stats on /metrics at scrape time.
type opsCollector struct{ n *node.Node }

var (
	descProxy = prometheus.NewDesc("vaultnode_proxy_requests_total",
		"Re-encryption requests handled by this node's proxy, by outcome (granted or the refusal reason).", []string{"outcome"}, nil)
	descReplFactor = prometheus.NewDesc("vaultnode_replication_factor", "Configured replication factor R.", nil, nil)
	descReplLive   = prometheus.NewDesc("vaultnode_replication_live_members", "Members considered alive for replication (this node included).", nil, nil)
	descReplDef    = prometheus.NewDesc("vaultnode_replication_deficit",
		"Replicas the live membership cannot provide: max(0, min(R, members) - live members). Above 0, new batches are under-replicated.", nil, nil)
	descErasures  = prometheus.NewDesc("vaultnode_erasures_total", "Erasures completed by this node (certificates written).", nil, nil)
	descCommitTxs = prometheus.NewDesc("vaultnode_chain_commit_transactions_total", "Batch-commitment transactions mined since start.", nil, nil)
	descCommits   = prometheus.NewDesc("vaultnode_chain_commitments_total", "Batch commitments put on chain since start.", nil, nil)
	descUnderRepl = prometheus.NewDesc("vaultnode_batches_under_replicated",
		"Batches held here whose last placement (at ingest or by a repair) reached fewer than R members; a repair that succeeds takes them off.", nil, nil)
	descStalls = prometheus.NewDesc("vaultnode_block_fetch_stalls_total",
		"Multi-block requests (replicating or reading a batch) that delivered nothing for 5 s while blocks were missing, and were asked again through a new bitswap session.", nil, nil)
	descDegraded = prometheus.NewDesc("vaultnode_degraded",
		"1 when /healthz says degraded (chain unreachable or stalled, a chain endpoint down, members unreachable, batches under-replicated), else 0.", nil, nil)
	descChainUp  = prometheus.NewDesc("vaultnode_chain_reachable", "1 when the chain answers and the journal is reconciled with it, else 0.", nil, nil)
	descEndpoint = prometheus.NewDesc("vaultnode_chain_endpoint_up",
		"Each configured chain JSON-RPC endpoint (credentials redacted): 1 when it answered last time and serves this chain.", []string{"endpoint"}, nil)
	descMembersDown   = prometheus.NewDesc("vaultnode_members_unreachable", "Members that run a daemon and are not connected now.", nil, nil)
	descPendingWrites = prometheus.NewDesc("vaultnode_pending_chain_writes",
		"Registry writes (revocations, erasure records, ...) journaled while the chain could not take them, not yet on chain.", nil, nil)
	descTxFailed = prometheus.NewDesc("vaultnode_chain_tx_failures_total",
		"Chain transactions that failed since start (refused, reverted, or not mined in time; every failed retry counts).", nil, nil)
)

func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descProxy, descReplFactor, descReplLive, descReplDef, descErasures, descCommitTxs, descCommits, descTxFailed, descUnderRepl, descStalls,
		descDegraded, descChainUp, descEndpoint, descMembersDown, descPendingWrites} {
		ch <- d
	}
}

func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.n.Stats()
	for o, v := range s.ProxyOutcomes {
		ch <- prometheus.MustNewConstMetric(descProxy, prometheus.CounterValue, float64(v), o)
	}
	ch <- prometheus.MustNewConstMetric(descReplFactor, prometheus.GaugeValue, float64(s.ReplicationFactor))
	ch <- prometheus.MustNewConstMetric(descReplLive, prometheus.GaugeValue, float64(s.LiveMembers))
	ch <- prometheus.MustNewConstMetric(descReplDef, prometheus.GaugeValue, float64(s.ReplicationDeficit))
	ch <- prometheus.MustNewConstMetric(descErasures, prometheus.CounterValue, float64(s.Erasures))
	ch <- prometheus.MustNewConstMetric(descCommitTxs, prometheus.CounterValue, float64(s.CommitTxs))
	ch <- prometheus.MustNewConstMetric(descCommits, prometheus.CounterValue, float64(s.Commitments))
	ch <- prometheus.MustNewConstMetric(descTxFailed, prometheus.CounterValue, float64(c.n.Chain.TxFailures()))
	ch <- prometheus.MustNewConstMetric(descUnderRepl, prometheus.GaugeValue, float64(s.UnderReplicated))
	ch <- prometheus.MustNewConstMetric(descStalls, prometheus.CounterValue, float64(store.FetchStalls()))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	h := node.Health(ctx, c.n)
	ch <- prometheus.MustNewConstMetric(descDegraded, prometheus.GaugeValue, b2f(h.Status != "ok"))
	ch <- prometheus.MustNewConstMetric(descChainUp, prometheus.GaugeValue, b2f(h.ChainReachable))
	for _, e := range h.ChainEndpoints {
		ch <- prometheus.MustNewConstMetric(descEndpoint, prometheus.GaugeValue, b2f(e.Up), e.URL)
	}
	ch <- prometheus.MustNewConstMetric(descMembersDown, prometheus.GaugeValue, float64(len(h.UnreachableMembers)))
	ch <- prometheus.MustNewConstMetric(descPendingWrites, prometheus.GaugeValue, float64(h.PendingWrites))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
