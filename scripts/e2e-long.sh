#!/usr/bin/env bash
# make e2e-long: the end-to-end soak (e2e/soak_test.go). Three daemons per chain, on the embedded chain and on
# a separate geth --dev side by side, ingesting continuously while daemons are SIGKILLed, lost for 40 s and the
# chain node restarted at random; at the end every acknowledged reading must be fetched back once, committed once.
# Bounded: fault injection stops after VAULTNODE_E2E_DURATION (default 8m, at most 30m), the final checks take
# a minute or two, and go test's -timeout stops everything in any case.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-geth.sh
export VAULTNODE_E2E_LONG=1
export VAULTNODE_E2E_DURATION="${VAULTNODE_E2E_DURATION:-8m}"
echo "e2e-long: soak for $VAULTNODE_E2E_DURATION on the embedded chain and on geth --dev"
start=$(date +%s)
go test -count=1 -timeout 45m -v -run 'TestSoak' ./e2e/
echo "e2e-long: done in $(( $(date +%s) - start ))s"
