// Package e2e holds the end-to-end and fault tests of vaultnode: they build the
// real vaultnode binary once, run three daemons as separate processes on
// 127.0.0.1 plus a CLI-only clinician member, and break them the way
// production breaks: SIGKILL during ingest, a peer lost for good, a block
// altered on disk, the chain node restarted mid-ingest, the node hosting the
// embedded chain killed right after a revocation and an erasure, skewed
// clocks, and a corpus of hostile input (testdata/badinput).
//
// Every scenario runs twice: on the embedded chain hosted by the first daemon
// (the others join it over its JSON-RPC, as in the README walkthrough) and on a
// separate `geth --dev` process (scripts/install-geth.sh; skipped with a
// message when geth is not installed).
//
// What the suite promises, when it passes:
//   - every reading a daemon acknowledged is fetched back, exactly once, after
//     any of the crashes above, and its batch commitment is on the chain once;
//   - revocations and erasures hold across crashes: no proxy answers for them;
//   - non-members and altered blocks are refused, never served as valid;
//   - every bad input gets its documented status, error code and exit code,
//     the node stays up and nothing is stored.
//
// `go test ./e2e/` runs the fast part (a few minutes on 2 cores, within
// `make test`). VAULTNODE_E2E_LONG=1 (scripts/e2e-long.sh, `make e2e-long`)
// adds a soak run bounded by VAULTNODE_E2E_DURATION (default 8 minutes).
// See docs/TESTING.md.
//
// The package has no non-test code: it is only this documentation.
package e2e
