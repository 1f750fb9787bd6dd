// Package node assembles one vaultnode storage peer from the library
// packages: a repo directory (config.json, keystore/, blocks/, chain/,
// accesslog/, purges/, erasures/, tokens/; docs/CONFIG.md) opened into the
// keystore, the record store, the chain client, and unless offline the
// members-only libp2p host with bitswap, the re-encryption proxy, the access
// log, the replicator, the purger and the eraser.
//
// It implements the flows of docs/PRODUCT.md §3 on top of them: Ingest (verify the
// device signature over the canonical batch bytes and the device's on-chain
// status, group by patient and stream, one fresh DEK per batch encapsulated
// to the stream key, seal, store durably, replicate, receipt, enqueue
// commitments), Grant/Revoke (kfrags, patient-side signature, delivery to
// N proxies), Fetch (commitments from the chain, blocks over bitswap, M signed
// cfrag requests, cfrag verification, decryption, check against the on-chain
// commitment), Erase (through package erasure), Audit and Verify.
//
// Promises:
//   - Nothing of a refused batch is stored: every check (JSON, fields, device
//     key and status, signature, patients, reading encoding) runs before the
//     first write. Errors wrap ErrBadInput, ErrBadSignature,
//     ErrDeviceRefused, ErrAccessRefused, ErrIntegrity or ErrNotFound so the
//     CLI maps them to exit codes and the API to statuses.
//   - A receipt is returned only once every batch of the submission is
//     durable in the store and its commitment is in the chain journal.
//     Sequence numbers are reserved durably before sealing: a crash leaves a
//     gap, never a reused number.
//   - No secret is written outside the keystore: the chain key, the
//     patient-side grant signer and the device-tag key are derived from the
//     node identity (HKDF, distinct labels), clinician and device key files
//     are written 0600 and never overwritten.
//   - Every goroutine a Node starts stops in Close.
package node
