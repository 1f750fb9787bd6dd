// Package erasure erases a patient everywhere (GDPR Art. 17), driven from the
// custodian node, and proves it with a signed certificate; or records a
// refusal with its Art. 17(3) ground.
//
// An erasure (Eraser.Erase) runs journaled steps:
//
//  1. open: the request (reference, reason, receipt time, deadline one
//     month later), the patient's streams and key ids are journaled;
//  2. revoke: every live grant of the patient's streams is revoked on-chain
//     with the patient-side signature (RevokeSigner) and its grantee listed
//     as a recipient (Art. 19). This comes before the keys go, so a signer
//     kept with the patient's keys still works;
//  3. destroy: the keystore destroys the root and stream keys physically;
//     the journal drops the pseudonym;
//  4. purge: a purge order (p2p.PurgeOrder, signed by the custodian node
//     key) goes to every member over /vaultnode/purge/1.0.0; each deletes
//     the patient's kfrags and batches physically and answers a signed
//     acknowledgement. A peer that does not answer is pending;
//  5. record: the deletion record (subject tag, key-id commitment, request
//     reference hash) goes on-chain;
//  6. verify: no reachable proxy answers a cfrag for the patient's grants,
//     no batch root is served over bitswap, no key remains usable;
//  7. certify: the certificate (docs/ERASURE.md) is signed by the custodian
//     node key and written.
//
// What it promises:
//
//   - Crash safety: each step is idempotent and journaled (fsynced, atomic
//     rename) when done; running Erase, Resume or ResumeAll again finishes
//     the same erasure. Keys are never recorded erased on-chain before they
//     are destroyed (record follows destroy), and a destruction is never left
//     unrecorded: the journal is written before the keys go and drives the
//     record on the next run. Erasing twice returns the same certificate.
//   - A peer that is down is listed as pending; its purge happens when it
//     comes back (it fetches missed orders from members before serving,
//     p2p.Purger.Sync with p2p.GatedBlockstore; and RetryPending re-sends the
//     order and re-issues the certificate with its acknowledgement).
//   - Verify rejects a certificate whose any field, acknowledgement or
//     signature was altered, that was signed by another key than the member
//     that recorded the erasure on-chain, or that disagrees with the chain.
//   - The journal and certificate hold no key, no plaintext, no MRN; the
//     pseudonym is kept only until the keys are destroyed.
package erasure
