#!/usr/bin/env bash
# Recompiles pointers/contracts/*.sol with the pinned solc (npm package, runs offline once installed) and
# regenerates the committed ABI/bytecode (pointers/contracts/build/) and the Go bindings
# (pointers/bindings/, go-ethereum abigen bind v2 from the go-ethereum version in go.mod).
# Usage: scripts/contracts.sh [OUTDIR]   OUTDIR (default: the repository) lets the freshness test compile
# into a temporary directory and compare with what is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
SOLC_VERSION=0.8.30
EVM_VERSION=cancun   # widely deployed EVM chains support it; the embedded chain runs a later fork
out=${1:-.}
solcdir=.tools/solc
solcjs=$solcdir/node_modules/.bin/solcjs
if ! [ -x "$solcjs" ] || ! "$solcjs" --version 2>/dev/null | grep -q "^$SOLC_VERSION+"; then
  command -v npm >/dev/null || { echo "contracts.sh: npm not found; install Node.js/npm to compile the contracts" >&2; exit 3; }
  echo "contracts.sh: installing solc@$SOLC_VERSION from npm into $solcdir" >&2
  npm install --silent --no-audit --no-fund --prefix "$solcdir" "solc@$SOLC_VERSION" >&2
fi
mkdir -p "$out/pointers/contracts/build" "$out/pointers/bindings"
# Standard JSON input: every source, optimizer on, no metadata hash (keeps bytecode reproducible across paths).
node - "$out/pointers/contracts/build" "$solcdir" "$EVM_VERSION" <<'JS'
const fs = require('fs'), path = require('path');
const [outDir, solcDir, evmVersion] = process.argv.slice(2);
const solc = require(path.resolve(solcDir, 'node_modules/solc'));
const srcDir = 'pointers/contracts';
const sources = {};
for (const f of fs.readdirSync(srcDir).filter(f => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };
}
const input = {
  language: 'Solidity', sources,
  settings: {
    optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion,
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: p => {
  const f = path.join(srcDir, path.basename(p));
  return fs.existsSync(f) ? { contents: fs.readFileSync(f, 'utf8') } : { error: 'not found: ' + p };
}}));
let failed = false;
for (const e of output.errors || []) {
  console.error(e.formattedMessage);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    if (!c.evm.bytecode.object) continue; // interfaces and abstract contracts
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi, null, 1) + '\n');
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object + '\n');
  }
}
JS
# abigen of the go-ethereum version in go.mod, built once into .tools/bin (ignored by git).
gethver=$(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)
abigen=$PWD/.tools/bin/abigen-$gethver
if ! [ -x "$abigen" ]; then
  mkdir -p .tools/bin
  go build -o "$abigen.tmp" github.com/ethereum/go-ethereum/cmd/abigen && mv "$abigen.tmp" "$abigen"
fi
for abi in "$out"/pointers/contracts/build/*.abi; do
  name=$(basename "$abi" .abi)
  lower=$(echo "$name" | tr '[:upper:]' '[:lower:]')
  "$abigen" --v2 --pkg bindings --type "$name" \
    --abi "$abi" --bin "${abi%.abi}.bin" --out "$out/pointers/bindings/$lower.go"
  chmod 644 "$out/pointers/bindings/$lower.go"
done
echo "contracts.sh: compiled with solc $SOLC_VERSION (evm $EVM_VERSION) into $out/pointers/contracts/build and $out/pointers/bindings" >&2
