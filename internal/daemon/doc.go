// Package daemon runs a vaultnode storage peer for as long as its context
// lives: the node (libp2p, bitswap, replication, proxy, chain watcher), the
// HTTP API, the background upkeep (anchoring the access log, retrying
// purges) and the service-manager protocol; on shutdown it finishes the
// requests in flight and gives the committer a bounded moment to put
// acknowledged batches on chain (they are journaled either way).
package daemon
