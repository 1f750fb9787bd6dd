#!/usr/bin/env bash
# make e2e-long: the BFT variant of the e2e suite, the hostile load test (e2e/load_test.go), then the
# end-to-end soak (e2e/soak_test.go).
#
# The BFT variant (e2e/bft_test.go, pointers/evmd_test.go) runs on four Cosmos EVM validators (CometBFT)
# started by scripts/evmd-net.sh, one per hospital, each hospital's daemon on its own validator with the
# others as failover: the story; one validator killed (every flow works); two killed (the chain halts: fetch
# refused, ingest acknowledged, writes journaled and landing once afterwards); a hospital lost for good.
# scripts/install-evmd.sh builds evmd the first time (about 10 minutes on 2 cores).
#
# The soak: Three daemons per chain, on the embedded chain and on
# a separate geth --dev side by side, ingesting continuously while daemons are SIGKILLed, lost for 40 s and the
# chain node restarted at random; at the end every acknowledged reading must be fetched back once, committed once.
# Bounded: fault injection stops after VAULTNODE_E2E_DURATION (default 8m, at most 30m), the final checks take
# a minute or two, and go test's -timeout stops everything in any case.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-geth.sh
scripts/install-evmd.sh
echo "e2e-long: BFT variant (4 evmd validators)"
export VAULTNODE_BFT=1
start=$(date +%s)
go test -count=1 -timeout 30m -v -run 'TestE2EBFT' ./e2e/
go test -count=1 -timeout 15m -v -run 'TestEvmdFourValidators' ./pointers/
echo "e2e-long: BFT variant done in $(( $(date +%s) - start ))s"
echo "e2e-long: hostile load (50 clients against one daemon's API while the story passes; RSS < 1 GiB)"
VAULTNODE_E2E_LOAD=1 go test -count=1 -timeout 10m -v -run 'TestHostileLoad' ./e2e/
export VAULTNODE_E2E_LONG=1
export VAULTNODE_E2E_DURATION="${VAULTNODE_E2E_DURATION:-8m}"
echo "e2e-long: soak for $VAULTNODE_E2E_DURATION on the embedded chain and on geth --dev"
start=$(date +%s)
go test -count=1 -timeout 45m -v -run 'TestSoak' ./e2e/
echo "e2e-long: done in $(( $(date +%s) - start ))s"
