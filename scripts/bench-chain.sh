#!/usr/bin/env bash
# make bench-chain: the chain load of docs/PRODUCT.md §9 on the embedded chain, recorded in docs/BENCHMARKS.md
# (## pointers).
#  (a) 1,000,000 readings' worth of batch commitments: 200 streams x one batch of 5,000 readings, the
#      streams' first commitments (no commitment creates storage: they cost what later ones do).
#  (b) steady state: what 10 s of ingest at 200,000 readings/s produces, 400 batches of 5,000 readings
#      for known streams, which must fit in ONE transaction (<= 1 tx per 10 s per node).
# Reports transactions used, gas per commitment, gas per transaction and wall time (enqueue to durable).
# Env: COUNT (default 3 runs of each).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-3}
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3)"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== go test -run '^\$' -bench BenchmarkChainCommit -benchtime 1x -count $COUNT ./pointers"
go test -run '^$' -bench BenchmarkChainCommit -benchtime 1x -count "$COUNT" -timeout 30m ./pointers 2>&1 |
  grep -E '^(Benchmark|ok|PASS|FAIL|goos|goarch|cpu)'
echo "== per-transaction gas cap (EIP-7825): 16,777,216; target: 400 commitments (2,000,000 readings) per tx"
