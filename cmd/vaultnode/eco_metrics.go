package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/store"
)

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
	descTxFailed = prometheus.NewDesc("vaultnode_chain_tx_failures_total",
		"Chain transactions that failed since start (refused, reverted, or not mined in time; every failed retry counts).", nil, nil)
)

func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descProxy, descReplFactor, descReplLive, descReplDef, descErasures, descCommitTxs, descCommits, descTxFailed, descUnderRepl, descStalls} {
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
}
