#!/usr/bin/env bash
# Installs the Cosmos EVM node binary `evmd` (an EVM chain on CometBFT BFT consensus) into .tools/bin.
# It is used by scripts/evmd-net.sh, which runs a local multi-validator chain, and by the pointers test
# TestEvmdFourValidators.
#
# Version: cosmos/evm v1.0.0-rc2. The Go module proxy serves the root module github.com/cosmos/evm but not
# its nested module github.com/cosmos/evm/evmd, so that nested module is vendored in
# third_party/cosmos-evm-v1.0.0-rc2/evmd (see the README there) and joined with the root module here:
#   1. go mod download the root module, copy it to the git-ignored .tools/src/cosmos-evm (made writable);
#   2. copy the vendored evmd/ into it (the root go.mod replaces github.com/cosmos/evm/evmd => ./evmd);
#   3. pin github.com/bytedance/sonic to v1.15.5 (the v1.13.2 in go.mod does not compile on Go 1.26);
#   4. go build ./cmd/evmd, with the version and commit stamped in so `evmd version` reports them.
# Idempotent: does nothing when .tools/bin/evmd already reports the expected version and commit.
# Compiling takes about 13 CPU-minutes (measured on 2 shared cores, Go 1.26: 10.5 min wall clock).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
version=v1.0.0-rc2
commit=578b3468a80b8cea764fb39290115cdece374a7d
vendored=third_party/cosmos-evm-v1.0.0-rc2/evmd
src=.tools/src/cosmos-evm
bin=.tools/bin/evmd
stamp=.tools/bin/evmd.version

# `evmd version --long` prints "version: v1.0.0-rc2" and "commit: 578b…" when the build stamped them.
installed() {
  [ -x "$bin" ] || return 1
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version $commit" ] && return 0
  local long
  long=$("$bin" version --long 2>/dev/null) || return 1
  grep -q "^version: $version\$" <<<"$long" && grep -q "^commit: $commit\$" <<<"$long"
}
if installed; then
  echo "install-evmd: $bin is already $version ($commit)"
  exit 0
fi

start=$(date +%s)
echo "install-evmd: preparing the source of github.com/cosmos/evm@$version in $src"
dir=$(go mod download -json "github.com/cosmos/evm@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "install-evmd: go mod download did not report a module directory" >&2
  exit 1
fi
rm -rf "$src"
mkdir -p "$(dirname "$src")" .tools/bin
cp -R "$dir" "$src"
chmod -R u+w "$src"
rm -rf "$src/evmd"
cp -R "$vendored" "$src/evmd"

cd "$src"
go mod edit -replace github.com/bytedance/sonic=github.com/bytedance/sonic@v1.15.5
echo "install-evmd: go build ./cmd/evmd (takes several minutes)"
ldflags="-X github.com/cosmos/cosmos-sdk/version.Name=evmd -X github.com/cosmos/cosmos-sdk/version.AppName=evmd"
ldflags+=" -X github.com/cosmos/cosmos-sdk/version.Version=$version -X github.com/cosmos/cosmos-sdk/version.Commit=$commit"
go build -mod=mod -ldflags "$ldflags" -o "$repo/$bin" ./cmd/evmd
cd "$repo"
echo "$version $commit" >"$stamp"
echo "install-evmd: done in $(( $(date +%s) - start ))s: $("$bin" version)"
