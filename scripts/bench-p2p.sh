#!/usr/bin/env bash
# make bench-p2p: the network numbers of docs/PRODUCT.md §9, recorded in docs/BENCHMARKS.md (## p2p).
#  (a) a SIZE_MIB (default 256) batch moved between two vaultnode peers over loopback (bitswap),
#      and the same plaintext between two kubo v0.42.0 daemons (127.0.0.1, no bootstrap, routing none),
#      side by side in one run, RUNS times each;
#  (b) the proxy: cfrags/s in process at saturation, verified cfrags/s, and a fixed offered load of
#      PROXY_LOAD_RPS (default 1000) req/s for PROXY_LOAD_SECONDS (default 20) over libp2p: p50/p99.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-256}
RUNS=${RUNS:-3}
export IPFS_TELEMETRY=off
mkdir -p .bench
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3)"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
scripts/kubo.sh
IPFS=$PWD/.tools/bin/ipfs

echo "== (a) transfer of ${SIZE_MIB} MiB between two peers"
ours=$(TRANSFER_MIB=$SIZE_MIB go test -pgo=cmd/vaultnode/vaultnode.pgo -run '^$' -bench '^BenchmarkTransfer$' -benchtime ${RUNS}x ./p2p | tee /dev/stderr |
  awk '/^BenchmarkTransfer/ {print $3/1e9}')
echo "vaultnode: ${ours}s per transfer (mean of $RUNS)"

file=.bench/random-${SIZE_MIB}m.bin
if [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" != "$((SIZE_MIB << 20))" ]; then
  head -c "$((SIZE_MIB << 20))" /dev/urandom > "$file"
fi
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
start_kubo() { # $1 = repo
  IPFS_PATH=$1 $IPFS init --profile test >/dev/null
  IPFS_PATH=$1 $IPFS config Routing.Type none
  IPFS_PATH=$1 $IPFS daemon >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do
    [ -f "$1/api" ] && IPFS_PATH=$1 $IPFS id >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "kubo did not start"; exit 1
}
total=0
for i in $(seq "$RUNS"); do
  a=$tmp/a$i b=$tmp/b$i
  start_kubo "$a"; start_kubo "$b"
  root=$(IPFS_PATH=$a $IPFS add -q --pin "$file" | tail -1)
  addr=$(IPFS_PATH=$a $IPFS id -f '<addrs>' | grep '/tcp/' | head -1)
  IPFS_PATH=$b $IPFS swarm connect "$addr" >/dev/null
  t0=$(date +%s.%N)
  IPFS_PATH=$b $IPFS pin add --progress=false "$root" >/dev/null
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc -l)
  echo "   kubo run $i: ${secs}s"
  total=$(echo "$total + $secs" | bc -l)
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pids=()
  sleep 1
done
kubo=$(echo "$total / $RUNS" | bc -l)
printf 'kubo->kubo: %.3fs per transfer (mean of %d)\n' "$kubo" "$RUNS"
printf 'ratio kubo/vaultnode: %.2f  (>= 1 means vaultnode is at least as fast; target >= 1)\n' "$(echo "$kubo / $ours" | bc -l)"

echo "== (b) proxy"
# Let the transfers' gigabyte of dirty pages reach the disk first: the proxy fsyncs its access log
# before every cfrag, and that measures the disk's writeback queue, not the proxy, if (a) still fills it.
sync
sleep 2
# cfrags/cpu-s is the per-core figure of docs/PRODUCT.md §9 (cfrags per second of CPU time of the whole process, at
# saturation: PROXY_INFLIGHT, default 128, requests in flight per core).
go test -pgo=cmd/vaultnode/vaultnode.pgo -run '^$' -bench 'BenchmarkProxyHandle$|BenchmarkProxyVerifiedCFrags' -benchtime 5000x ./p2p | grep -E '^Benchmark'
go test -pgo=cmd/vaultnode/vaultnode.pgo -run '^$' -bench 'BenchmarkProxyLoad' -benchtime 1x -timeout 20m ./p2p | grep -E '^Benchmark|FAIL'
