#!/usr/bin/env bash
# Installs the geth binary used by the pointers integration test (TestGethDev*) into .tools/bin.
# The version is the go-ethereum version pinned in go.mod, so the test node speaks the same protocol as
# the library. Idempotent: does nothing when .tools/bin/geth already reports that version.
# Compiling geth takes several minutes on 2 cores (measured: see docs/CHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)
bin=.tools/bin/geth
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "^Version: ${version#v}"; then
  echo "install-geth: $bin is already $version"
  exit 0
fi
mkdir -p .tools/bin
echo "install-geth: go install github.com/ethereum/go-ethereum/cmd/geth@$version (takes several minutes)"
start=$(date +%s)
GOBIN="$PWD/.tools/bin" go install "github.com/ethereum/go-ethereum/cmd/geth@$version"
echo "install-geth: done in $(( $(date +%s) - start ))s: $("$bin" version | head -2 | tr '\n' ' ')"
