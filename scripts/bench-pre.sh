#!/usr/bin/env bash
# Benchmarks reencrypt (Go) against the reference Umbral implementation
# @nucypher/umbral-pre (Rust compiled to WASM, run in plain node) in the same
# run, and prints: op | ours µs | reference µs | ratio (reference / ours).
# Times are CPU time per operation (user+system of the whole process, GC
# included): what "per core" means, and robust when other jobs share the
# machine. Wall-clock times of the same runs are printed below the table.
#
# Usage: scripts/bench-pre.sh            (make bench-pre)
# Env:   ROUNDS=3       rounds of (Go benchmarks, reference benchmarks); per op the
#                       fastest round counts (least disturbed by other load)
#        BENCHTIME=1s   go test -benchtime per benchmark and round
#        REF_MS=1000    milliseconds per reference op and round
#        UMBRAL_REF_VERSION=0.10.0
# The reference is installed once into .tools/umbral-ref (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
BENCHTIME=${BENCHTIME:-1s}
REF_MS=${REF_MS:-1000}
REF_VERSION=${UMBRAL_REF_VERSION:-0.10.0}
REF_DIR=.tools/umbral-ref

command -v node >/dev/null || { echo "bench-pre: node is required for the reference benchmark" >&2; exit 1; }
if [[ ! -f "$REF_DIR/node_modules/@nucypher/umbral-pre/package.json" ]] ||
   ! grep -q "\"version\": \"$REF_VERSION\"" "$REF_DIR/node_modules/@nucypher/umbral-pre/package.json"; then
  echo "bench-pre: installing @nucypher/umbral-pre@$REF_VERSION into $REF_DIR"
  mkdir -p "$REF_DIR"
  npm install --prefix "$REF_DIR" --no-audit --no-fund --silent "@nucypher/umbral-pre@$REF_VERSION" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Compiled like the shipped binary (make build): with the PGO profile.
go test -c -pgo=cmd/vaultnode/vaultnode.pgo -o "$tmp/reencrypt.test" ./reencrypt

# Go benchmark name -> op name shared with scripts/bench-pre-ref.js
declare -A OP=(
  [Encapsulate]="encapsulate"
  [Decapsulate]="decapsulate"
  [GenerateKFrags2of3]="kfrags M=2 N=3"
  [ReEncrypt]="reencrypt+proof"
  [VerifyCFrag]="verify cfrag"
  [DecapsulateFrags2]="decapsulate 2 cfrags"
  [ProxyRequest]="proxy: reencrypt+proof+verify"
)

for ((round = 1; round <= ROUNDS; round++)); do
  echo "bench-pre: round $round/$ROUNDS" >&2
  "$tmp/reencrypt.test" -test.run '^$' -test.bench . -test.benchtime "$BENCHTIME" -test.cpu 1 |
    awk '/^Benchmark/ {
      name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name); cpu = ""
      for (i = 2; i <= NF; i++) if ($i == "cpu-ns/op") cpu = $(i - 1)
      printf "%s\t%.1f\t%.1f\n", name, $3 / 1000, cpu / 1000 }' |
    while IFS=$'\t' read -r name wall cpu; do
      if [[ -n "${OP[$name]:-}" ]]; then
        printf '%s\t%s\n' "${OP[$name]}" "$cpu" >> "$tmp/ours.tsv"
        printf '%s\t%s\n' "${OP[$name]}" "$wall" >> "$tmp/ours-wall.tsv"
      fi
    done
  node scripts/bench-pre-ref.js "$REF_DIR/node_modules" "$REF_MS" > "$tmp/ref-round.tsv"
  cut -f1,3 "$tmp/ref-round.tsv" >> "$tmp/ref.tsv"
  cut -f1,2 "$tmp/ref-round.tsv" >> "$tmp/ref-wall.tsv"
done

# Fastest round per op.
best() { awk -F'\t' '{ if (!($1 in m) || $2 < m[$1]) m[$1] = $2 } END { for (k in m) printf "%s\t%s\n", k, m[k] }' "$1"; }
best "$tmp/ours.tsv" > "$tmp/ours.best"
best "$tmp/ref.tsv" > "$tmp/ref.best"
best "$tmp/ours-wall.tsv" > "$tmp/ours-wall.best"
best "$tmp/ref-wall.tsv" > "$tmp/ref-wall.best"

echo
echo "reencrypt vs @nucypher/umbral-pre $REF_VERSION (node $(node --version)), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "CPU time per op, best of $ROUNDS rounds; go benchtime $BENCHTIME with -cpu 1; reference ${REF_MS} ms per op; target ratio >= 3"
echo
printf '| %-30s | %10s | %14s | %7s | %s\n' "op" "ours µs" "reference µs" "ratio" "target"
printf '|%s|%s|%s|%s|%s\n' "--------------------------------" "------------" "----------------" "---------" "-------"
missed=0
for op in "encapsulate" "decapsulate" "kfrags M=2 N=3" "reencrypt+proof" "verify cfrag" "decapsulate 2 cfrags"; do
  ours=$(awk -F'\t' -v op="$op" '$1 == op { print $2 }' "$tmp/ours.best")
  ref=$(awk -F'\t' -v op="$op" '$1 == op { print $2 }' "$tmp/ref.best")
  ratio=$(awk -v o="$ours" -v r="$ref" 'BEGIN { printf "%.1f", r / o }')
  ok=$(awk -v x="$ratio" 'BEGIN { print (x >= 3) ? "ok" : "MISSED" }')
  [[ $ok == ok ]] || missed=1
  printf '| %-30s | %10s | %14s | %6sx | %s\n' "$op" "$ours" "$ref" "$ratio" "$ok"
done
proxy=$(awk -F'\t' '$1 ~ /^proxy/ { print $2 }' "$tmp/ours.best")
reenc=$(awk -F'\t' '$1 == "reencrypt+proof" { print $2 }' "$tmp/ours.best")
echo
awk -v p="$reenc" 'BEGIN { printf "proxy throughput: %.0f re-encryptions with proof /s/core (target >= 2000)\n", 1e6 / p }'
awk -v p="$proxy" 'BEGIN { printf "                  %.0f re-encryptions with proof, each also verified, /s/core (%s µs each)\n", 1e6 / p, p }'
echo
echo "wall-clock µs per op (best round; inflated by any other load on the machine):"
for op in "encapsulate" "decapsulate" "kfrags M=2 N=3" "reencrypt+proof" "verify cfrag" "decapsulate 2 cfrags"; do
  printf '  %-22s ours %10s   reference %10s\n' "$op" \
    "$(awk -F'\t' -v op="$op" '$1 == op { print $2 }' "$tmp/ours-wall.best")" \
    "$(awk -F'\t' -v op="$op" '$1 == op { print $2 }' "$tmp/ref-wall.best")"
done
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((missed)); then echo "bench-pre: at least one op is below 3x the reference (see table)"; fi
