// Package console is the daemon's web console at /ui/ (docs/UI.md): one page
// for clinicians, patients, DPOs and operators, served from assets embedded
// in the binary (no CDN, no framework fetched at run time).
//
// It promises that the clinician's keys never leave the browser: the page
// opens the sealed key file with its passphrase inside a WebAssembly build
// of internal/fetch (internal/console/wasm), which talks to the same API as
// `vaultnode --api` and decrypts and verifies there. Every other view calls
// the API with the token the user typed, so the console can do nothing the
// token could not do with curl: a patient token sees its own patient only.
//
// The WebAssembly module is built by scripts/build-wasm.sh (make build, make
// demo, make test) into assets/vaultnode.wasm.gz before the binary; a binary
// built without it serves the console and says, on the clinician's screen,
// how to build it.
package console
