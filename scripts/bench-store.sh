#!/usr/bin/env bash
# make bench-store: the store's docs/PRODUCT.md §9 numbers, recorded in docs/BENCHMARKS.md (## store).
#  (a) durable ingest: 1,000-reading batches sealed on every core and stored with PutBatch
#      (acknowledged only after a synced write; concurrent callers are group-committed).
#  (b) bulk add of a 256 MiB random file, encrypted (AddFile), vs kubo v0.42.0 `ipfs add`
#      of the same plaintext, same run, each into a fresh repo; prints the ratio.
# kubo is built once from its module source into .tools/bin/ipfs by scripts/kubo.sh (takes minutes on 2 cores).
# Env: BATCHES (default 5000), RUNS (default 3), SIZE_MIB (default 256), BENCHTIME (default 2s),
#      PART=all|ingest|bulk (default all).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
KUBO_VERSION=v0.42.0
BATCHES=${BATCHES:-5000}
RUNS=${RUNS:-3}
SIZE_MIB=${SIZE_MIB:-256}
BENCHTIME=${BENCHTIME:-2s}
PART=${PART:-all}
mkdir -p .bench .tools/bin

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3)"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"

go build -o .bench/storebench ./store/internal/storebench

if [ "$PART" != bulk ]; then
echo "== go test -bench (store)"
go test -run '^$' -bench 'BenchmarkSeal1000|BenchmarkIngest|BenchmarkAddFile|BenchmarkDeletePatient1M' -benchtime "$BENCHTIME" ./store | grep -E '^(Benchmark|ok|PASS|FAIL)'

echo "== (a) durable ingest, $BATCHES batches x 1000 readings"
best=0
for i in $(seq "$RUNS"); do
  rm -rf .bench/store-ingest
  line=$(.bench/storebench -mode readings -dir .bench/store-ingest -batches "$BATCHES")
  echo "   $line"
  r=$(echo "$line" | sed -n 's/.*readings_per_s=\([0-9]*\).*/\1/p')
  [ "$r" -gt "$best" ] && best=$r
done
rm -rf .bench/store-ingest
echo "ingest readings/s (best of $RUNS): $best   target >= 200000"
fi
[ "$PART" = ingest ] && exit 0

echo "== (b) bulk add, ${SIZE_MIB} MiB"
KUBO_VERSION=$KUBO_VERSION scripts/kubo.sh
.tools/bin/ipfs version

file=.bench/random-${SIZE_MIB}m.bin
if [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" != "$((SIZE_MIB << 20))" ]; then
  head -c "$((SIZE_MIB << 20))" /dev/urandom > "$file"
fi
cat "$file" > /dev/null # warm the page cache for both

now() { date +%s.%N; }
kubo_times=()
ours_times=()
for i in $(seq "$RUNS"); do
  # kubo: fresh repo (default flatfs datastore, sync on), offline add with pinning.
  # `sync` first so neither tool waits for the other's (or earlier phases') writeback.
  export IPFS_PATH
  IPFS_PATH=$(mktemp -d "$root/.bench/kubo-repo.XXXXXX")
  .tools/bin/ipfs init --profile test >/dev/null
  sync
  t0=$(now)
  .tools/bin/ipfs add -q --offline "$file" >/dev/null
  t1=$(now)
  rm -rf "$IPFS_PATH"
  unset IPFS_PATH
  kubo_times+=("$(echo "$t1 - $t0" | bc)")
  # ours: fresh store, the whole process timed the same way.
  rm -rf .bench/store-add
  sync
  t0=$(now)
  .bench/storebench -mode file -dir .bench/store-add -file "$file" >/dev/null
  t1=$(now)
  rm -rf .bench/store-add
  ours_times+=("$(echo "$t1 - $t0" | bc)")
  echo "   run $i: kubo ${kubo_times[-1]} s, vaultnode ${ours_times[-1]} s"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
k=$(median "${kubo_times[@]}")
o=$(median "${ours_times[@]}")
echo "bulk add ${SIZE_MIB} MiB (median of $RUNS): kubo ${k} s, vaultnode (encrypted) ${o} s"
echo "ratio kubo/vaultnode = $(echo "scale=2; $k / $o" | bc)   (>= 1.00 means vaultnode is at least as fast)"
