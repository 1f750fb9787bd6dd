#!/usr/bin/env bash
# Builds kubo (the reference IPFS implementation) from its module source into
# .tools/bin/ipfs, once. Used by the interoperability test and the benchmarks
# that compare against kubo. `go install ...@v0.42.0` is refused (an exclude
# directive), so the module is downloaded and built in place.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
KUBO_VERSION=${KUBO_VERSION:-v0.42.0}
mkdir -p .tools/bin
if [ -x .tools/bin/ipfs ] && .tools/bin/ipfs version 2>/dev/null | grep -q "${KUBO_VERSION#v}"; then
  exit 0
fi
echo "building kubo $KUBO_VERSION from module source (once; several minutes on 2 cores)..."
dir=$(go mod download -json "github.com/ipfs/kubo@$KUBO_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "cannot download kubo $KUBO_VERSION"; exit 1; }
rm -rf .tools/kubo-src
cp -r "$dir" .tools/kubo-src
chmod -R u+w .tools/kubo-src
(cd .tools/kubo-src && GOWORK=off go build -o "$root/.tools/bin/ipfs" ./cmd/ipfs)
.tools/bin/ipfs version
