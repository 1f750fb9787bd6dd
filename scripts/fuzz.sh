#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time each.
# Usage: scripts/fuzz.sh [FUZZTIME]   (default 10s; `make test` uses a few seconds, `make fuzz` longer)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-10s}
status=0
count=0
while IFS= read -r file; do
  dir=$(dirname "$file")
  for name in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)\(' "$file" | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/'); do
    count=$((count + 1))
    echo "fuzz ./$dir $name ($fuzztime)"
    if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./$dir" > "/tmp/vaultnode-fuzz-$name.log" 2>&1; then
      echo "FAIL: fuzz target $name in ./$dir"; tail -40 "/tmp/vaultnode-fuzz-$name.log"; status=1
    fi
  done
done < <(git ls-files --cached --others --exclude-standard '*_test.go' | sort)
echo "fuzz: $count targets run for $fuzztime each"
exit $status
