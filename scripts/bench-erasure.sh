#!/usr/bin/env bash
# make bench-erasure: docs/PRODUCT.md §9 "erasure of a patient with 1 M readings on 3 peers < 10 s, certificate
# included", recorded in docs/BENCHMARKS.md (## erasure).
# Three in-process peers on 127.0.0.1 (real badger stores, libp2p, proxies), the embedded chain and a
# real keystore; the patient holds 200 batches of 5,000 readings (two streams), each batch on 2 of the
# 3 peers, with a live 2-of-3 grant. Timed: Eraser.Erase end to end (revoke on-chain, key destruction,
# purge order and physical deletion on every peer with signed acks, on-chain record, verification
# probes, signed certificate). Setup (sealing and storing 1 M readings) is not timed.
# Env: RUNS (default 3 erasures, each of a fresh patient), ERASURE_BENCH_BATCHES, ERASURE_BENCH_READINGS.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3)"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== go test -bench BenchmarkErase1MReadings -benchtime ${RUNS}x ./erasure"
go test -run '^$' -bench 'BenchmarkErase1MReadings' -benchtime "${RUNS}x" -timeout 30m ./erasure 2>&1 | grep -E '^(Benchmark|ok|PASS|FAIL|---)'
echo "target: < 10 s per erasure (ns/op is the mean over ${RUNS} erasures)"
