#!/usr/bin/env bash
# The console's CPU cost (docs/BENCHMARKS.md, "Console"): internal/fetch's BenchmarkOpenBatch10k natively and
# compiled to WebAssembly, run under Node.js (V8, the engine of the Chromium the console is tested in), in one run.
# The browser figure itself (100,000 readings from the key to the chart) is measured by e2e TestConsole.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3), node $(node --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== native"
go test -run '^$' -bench OpenBatch10k -benchtime 20x -count "$count" ./internal/fetch | grep Benchmark
echo "== js/wasm (Node.js)"
PATH="$PATH:$(go env GOROOT)/lib/wasm" GOOS=js GOARCH=wasm go test -run '^$' -bench OpenBatch10k -benchtime 5x -count "$count" ./internal/fetch | grep Benchmark
