#!/usr/bin/env bash
# Regenerates cmd/vaultnode/vaultnode.pgo, the CPU profile `make build` and the
# benchmarks compile with (profile-guided optimization, go build -pgo): the
# hot paths of a running node — the proxy answering re-encryption requests,
# a clinician decapsulating, ingest sealing readings — taken from their Go
# benchmarks and merged. Commit the result; rerun after large changes to
# those paths.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prof() { # $1 = package, $2 = benchmark regexp, $3 = benchtime
  local name
  name=$(echo "$1" | tr '/.' '__')
  go test -run '^$' -bench "$2" -benchtime "$3" -cpuprofile "$tmp/$name.prof" -o "$tmp/$name.test" "$1" >/dev/null
  echo "$tmp/$name.prof"
}
profiles=(
  "$(prof ./reencrypt . 1s)"
  "$(prof ./p2p 'BenchmarkProxyHandle$' 3000x)"
  "$(prof ./store 'BenchmarkSeal1000$|BenchmarkIngestConcurrent$' 1s)"
  "$(prof ./internal/node 'BenchmarkNodeIngest100k$' 3x)"
)
go tool pprof -proto "${profiles[@]}" > cmd/vaultnode/vaultnode.pgo 2>/dev/null
echo "wrote cmd/vaultnode/vaultnode.pgo ($(stat -c %s cmd/vaultnode/vaultnode.pgo) bytes)"
