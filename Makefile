# vaultnode — build, test, benchmark.
# The README promises two commands: `make demo` and `make test`. CI (.ci/run) runs `make test`.

GO        ?= go
# Packages whose tests run under the race detector in `make test` (the core: crypto, storage, keys, network).
RACE_PKGS := ./reencrypt/... ./store/... ./keys/... ./p2p/... ./erasure/...
FUZZTIME_QUICK ?= 3s
FUZZTIME_LONG  ?= 2m

.PHONY: all build wasm pgo tools test test-unit test-race test-wasm fuzz-quick fuzz demo bench bench-pre bench-store bench-chain \
        bench-p2p bench-erasure bench-console bench-ingest-replicated bench-zk contracts e2e-long interop vet clean

all: build

# The binary is built with profile-guided optimization from cmd/vaultnode/vaultnode.pgo (the hot paths of a
# running node: proxy re-encryption, decapsulation, ingest); `make pgo` regenerates the profile.
PGO := cmd/vaultnode/vaultnode.pgo

build: wasm
	$(GO) build -pgo=$(PGO) -o bin/vaultnode ./cmd/vaultnode

## wasm: the console's clinician client as WebAssembly, embedded by the next build (docs/UI.md).
wasm:
	scripts/build-wasm.sh

pgo:
	scripts/pgo.sh

vet:
	$(GO) vet ./...

## test: everything CI runs (unit, race on the core packages, a short pass of every fuzz target).
## It installs what the tests need first: geth (for the chain tests against a separate geth --dev node), HL7's
## FHIR R4 JSON schema (every FHIR resource the product emits is validated against it in the tests) and Debian's
## Chromium (the console's browser tests), and builds the console's WebAssembly client.
test: tools vet test-race test-unit test-wasm fuzz-quick

tools: wasm
	scripts/install-geth.sh
	scripts/install-fhir-schema.sh
	scripts/install-chromium.sh

test-race:
	$(GO) test -race -count=1 -timeout 10m $(RACE_PKGS)

test-unit:
	$(GO) test -count=1 -timeout 12m $$($(GO) list ./... | grep -vE '/(reencrypt|store|keys|p2p|erasure)(/|$$)')

## test-wasm: store's browser code path (WebCrypto) as the console runs it, compiled to WebAssembly under Node.js.
test-wasm:
	PATH="$$PATH:$$($(GO) env GOROOT)/lib/wasm" GOOS=js GOARCH=wasm $(GO) test -count=1 -run 'WebCrypto' ./store

fuzz-quick:
	scripts/fuzz.sh $(FUZZTIME_QUICK)

## fuzz: every fuzz target for longer (FUZZTIME_LONG each).
fuzz:
	scripts/fuzz.sh $(FUZZTIME_LONG)

## demo: the whole story on an embedded chain with three in-process peers.
demo: wasm
	$(GO) run ./cmd/vaultnode demo

## bench: every benchmark of docs/PRODUCT.md §9.
bench: bench-pre bench-store bench-chain bench-p2p bench-erasure

bench-pre:
	scripts/bench-pre.sh

bench-store:
	scripts/bench-store.sh

bench-chain:
	scripts/bench-chain.sh

bench-p2p:
	scripts/bench-p2p.sh

bench-erasure:
	scripts/bench-erasure.sh

## bench-console: the console's per-batch CPU natively and as WebAssembly under Node.js (docs/BENCHMARKS.md).
bench-console:
	scripts/bench-console.sh

## bench-ingest-replicated: two daemons, signed batches through the API acknowledged at write concern R=2 beside R=1 (docs/BENCHMARKS.md).
bench-ingest-replicated:
	scripts/bench-ingest-replicated.sh

## bench-zk: zero-knowledge claims over one batch of 5,000 readings (store/zkclaim, docs/BENCHMARKS.md): prove and
## verify times with circuit sizes, then the exported Solidity verifiers' gas on go-ethereum's simulated chain.
## The count and range setups (3.3 M constraints each) run once per kind and take tens of minutes on 2 cores.
bench-zk:
	@echo "== machine: $$(nproc) cores, $$(lscpu | sed -n 's/^Model name: *//p'), $$($(GO) version | cut -d' ' -f3), load $$(cut -d' ' -f1-3 /proc/loadavg)"
	$(GO) test -run '^$$' -bench 'Exceeds|Commit' -benchtime 20x ./store/zkclaim
	$(GO) test -run '^$$' -bench 'ProveCount5000|ProveRange5000' -benchtime 1x -timeout 3h ./store/zkclaim
	VAULTNODE_ZK_FULL=1 $(GO) test -count=1 -run 'SolidityVerifiersOnChain' -v ./store/zkclaim

## contracts: recompile the Solidity contracts with the pinned solc and regenerate the Go bindings.
contracts:
	scripts/contracts.sh

e2e-long:
	scripts/e2e-long.sh

## interop: build kubo once and check that a stock kubo member fetches our batches (and a non-member cannot).
interop:
	scripts/kubo.sh
	$(GO) test -count=1 -run Kubo -v ./p2p

clean:
	rm -rf bin .bench
