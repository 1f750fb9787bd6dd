// Package zkclaim proves statements about a batch of readings without revealing the readings: "at least
// one glucose reading between Monday and Sunday was ≤ 3.89 mmol/L", "at least 100 readings were ≥ 13.91",
// "every reading lay within [3.0, 15.0]". It is the library core of issue 19; docs/ZK.md describes the
// construction, the setup's trust model and what a claim reveals.
//
// # Commitment
//
// Commit turns a batch of up to DefaultCapacity (8192) readings into a Root: a Poseidon2 Merkle tree over
// BN254 (gnark-crypto's default 2-to-1 compression, width 2, 6 full and 50 partial rounds) whose leaves are
//
//	Poseidon2(time + (value + 2^47)·2^48 + padding·2^96, salt_i)
//
// with time in Unix milliseconds, value in the stream's fixed point (value × 10^scale, see Reading), and
// salt_i = HMAC-SHA512(batch key, domain ‖ i) mod p. The tree always has its full capacity; leaves after
// the last reading are padding, flagged so that no claim can count or open one as a reading. Without the
// batch key the root is a hiding commitment; with it the custodian recomputes every leaf when proving.
//
// # Claims
//
// Three Groth16 circuits on BN254 (gnark v0.14.0), one per Kind, each with public inputs root, window
// [From, To] and the claim's parameters (Statement):
//
//   - exceeds opens one leaf: its Merkle path (13 siblings) to the root, the leaf being a reading in the
//     window with value ≥ Threshold (≤ with Below). About 3,000 constraints whatever the batch size; the
//     opened index stays private.
//   - count and range recompute the whole root from all 8192 leaves (about 3.4 million constraints) and
//     count, or bound, the readings in the window.
//
// Every time, value and threshold is range-checked to 48 bits inside the circuits, which is what makes
// their comparisons (and the leaf packing) sound; see geq.
//
// # Promises
//
//   - A false statement cannot be proven: Prove refuses it (ErrStatementFalse) and so does the constraint
//     system (the tests bypass the first check to show the second), for a value on the wrong side of the
//     threshold, a reading outside the window, a reading of another batch, padding passed off as a reading.
//   - Verify accepts a proof only with the root, statement and kind it was made for.
//   - A proof reveals the statement and the root it is about, nothing else: not which reading, not how many
//     readings the batch holds, not any value or time (Groth16 is zero-knowledge; the tests check the bytes).
//   - Proofs verify off chain (Verify) and with the exported Solidity verifiers (ExportSolidity), which use
//     the same Keccak-256 hash to field for the commitments.
//   - The decoders of what strangers send (proofs, verifying keys, roots) refuse malformed input without
//     panicking or allocating what the input claims. A proving-key file, the custodian's own, reaches
//     gnark's decoder only once its SHA-256 checksum matches. Each decoder has a fuzz target.
//
// # Trust
//
// Soundness rests on the setup: Setup draws the Groth16 toxic waste and discards it, and whoever ran it
// could have kept it and could then prove anything. For now a consortium runs Setup once (vaultnode
// tooling) and distributes the keys; a multi-party ceremony, where one honest participant suffices, is the
// way to remove that trust. It also rests on the commitment being made honestly at ingest: a custodian that
// committed false readings can prove true statements about them.
package zkclaim
