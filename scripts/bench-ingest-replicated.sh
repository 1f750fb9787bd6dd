#!/usr/bin/env bash
# make bench-ingest-replicated: replicated ingest through the API, recorded in docs/BENCHMARKS.md
# (## e2e: replicated ingest). Two daemons on this machine (A hosting the embedded chain, B a member,
# replication.factor 2); concurrent clients post pre-signed 5,000-reading device batches to A. Sub-benchmarks
# R=1 (replication.writeConcern 1) and R=2 (writeConcern 2: acknowledged once A and B both hold each batch
# durably) run in one process invocation, COUNT rounds each, so they are compared in the same run.
# Target (docs/PRODUCT.md §9): >= 200,000 readings/s at R=2.
# The daemons are the shipped binary, built like `make build` (PGO profile) into .bench/vaultnode.
# Env: BENCHTIME (default 150x: 150 submissions = 750,000 readings per sub-benchmark and round),
#      COUNT (default 6, benchstat's minimum for a confidence interval),
#      VAULTNODE_BENCH_CLIENTS / VAULTNODE_BENCH_READINGS / VAULTNODE_BENCH_STREAMS (e2e/bench_replicated_test.go).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCHTIME=${BENCHTIME:-150x}
COUNT=${COUNT:-6}
mkdir -p .bench
out=.bench/ingest-replicated.txt

echo "== machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(go version | cut -d' ' -f3)"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
go build -pgo=cmd/vaultnode/vaultnode.pgo -o .bench/vaultnode ./cmd/vaultnode

echo "== go test -run '^\$' -bench BenchmarkIngestReplicated -benchtime $BENCHTIME -count $COUNT ./e2e"
VAULTNODE_E2E_BIN=$PWD/.bench/vaultnode \
  go test -run '^$' -bench 'BenchmarkIngestReplicated' -benchtime "$BENCHTIME" -count "$COUNT" -timeout 60m ./e2e | tee "$out"
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== summary (mean of $COUNT rounds)"
awk '
  /^BenchmarkIngestReplicated\/R=/ {
    split($1, a, "[=-]"); r = a[2]; n[r]++
    for (i = 3; i < NF; i++) {
      if ($(i+1) == "readings/s") rs[r] += $i
      if ($(i+1) == "cpu-s/Mreadings") cpu[r] += $i
      if ($(i+1) == "A-cpu-s/Mreadings") ca[r] += $i
      if ($(i+1) == "B-cpu-s/Mreadings") cb[r] += $i
    }
  }
  END {
    if (!n[1] || !n[2]) { print "missing results (see above)"; exit 1 }
    for (r = 1; r <= 2; r++)
      printf "R=%d: %9.0f readings/s   %5.2f CPU-s per million readings (A %.2f, B %.2f)\n", r, rs[r]/n[r], cpu[r]/n[r], ca[r]/n[r], cb[r]/n[r]
    printf "ratio R=2/R=1: %.2f\n", (rs[2]/n[2]) / (rs[1]/n[1])
    printf "target >= 200000 readings/s at R=2: %s\n", (rs[2]/n[2] >= 200000 ? "met" : "NOT met")
  }' "$out"

echo "== benchstat"
if command -v benchstat >/dev/null; then
  benchstat -col /R "$out"
elif ! go run golang.org/x/perf/cmd/benchstat@latest -col /R "$out"; then
  echo "(benchstat not available: go run golang.org/x/perf/cmd/benchstat@latest failed)"
fi
