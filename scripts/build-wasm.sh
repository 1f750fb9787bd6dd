#!/usr/bin/env bash
# Builds the console's clinician client (internal/console/wasm) to WebAssembly and puts it, gzip-compressed,
# with Go's matching wasm_exec.js into internal/console/assets/, where the binary embeds them (docs/UI.md).
# Run before building the binary (make build, make demo and make test do). Idempotent: rebuilds only when a
# Go file of the module or the Go version changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
dst=internal/console/assets
stamp=$dst/.wasm-stamp
want="$(go version) $(git ls-files -co --exclude-standard '*.go' go.mod go.sum | xargs cat | sha256sum | cut -d' ' -f1)"
if [ -s "$dst/vaultnode.wasm.gz" ] && [ -s "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$tmp/vaultnode.wasm" ./internal/console/wasm
gzip -9 -n -c "$tmp/vaultnode.wasm" > "$tmp/vaultnode.wasm.gz"
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$tmp/wasm_exec.js"
mv "$tmp/vaultnode.wasm.gz" "$dst/vaultnode.wasm.gz"
mv "$tmp/wasm_exec.js" "$dst/wasm_exec.js"
echo "$want" > "$stamp"
echo "build-wasm: $dst/vaultnode.wasm.gz ($(wc -c < "$dst/vaultnode.wasm.gz") bytes compressed, $(wc -c < "$tmp/vaultnode.wasm") uncompressed)"
