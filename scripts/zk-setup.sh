#!/usr/bin/env bash
# Runs a new Groth16 setup of the exceeds claim circuit: new pilot keys in store/zkclaim/pilot, a new
# verifier in pointers/contracts, then recompiles the contracts and bindings. Every claim proven with the
# previous keys stops verifying. Whoever runs it could keep the setup's secrets (docs/ZK.md §4).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./store/zkclaim/internal/pilotsetup
scripts/contracts.sh
