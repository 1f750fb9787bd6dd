// Package fetch is the grantee's side of reading a stream under a grant:
// the ticket, one signed re-encryption request per batch relayed to the
// grant's proxies, the check of every cfrag's proof, decapsulation, and the
// check of every reading against the batch's on-chain Merkle root
// (FetchFrom).
//
// It promises that nothing it returns was taken on trust from where it read
// it (a FetchSource: the node itself, or a daemon's HTTP API through
// HTTPSource): blocks are checked against their CIDs, cfrags against their
// proofs, commitments against the stream's chain secret, readings against
// the commitments. The source's view of the grant on the chain is trusted;
// the proxies check the chain themselves before they serve. The grantee's
// secret keys never leave the caller.
//
// It has no network or storage code of its own, so it builds for
// GOOS=js GOARCH=wasm: the console (internal/console) runs it in the
// clinician's browser.
package fetch
