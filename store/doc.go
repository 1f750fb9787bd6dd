// Package store is vaultnode's encrypted record store: sealed batches of
// medical-device readings kept as content-addressed IPLD blocks on
// badger/v4, usable by any boxo component (bitswap, blockservice, merkledag).
//
// What it is for:
//   - Store is a boxo blockstore.Blockstore (plus Viewer and
//     AllKeysChanWithErrer); Datastore is a go-datastore Batching adapter on
//     the same engine.
//   - Seal turns one stream's readings into a batch: canonical encoding →
//     salted Merkle tree (Proof, VerifyReading) → AES-256-GCM chunks under
//     keys derived from the batch DEK, whose associated data binds the
//     capsule, stream tag, sequence number, chunk index and final flag →
//     a dag-pb root (CIDv1, sha2-256) holding the Header and links to raw
//     chunk blocks. OpenBatch reverses it. AddFile/ReadFile do the same for
//     bulk blobs. The capsule is opaque bytes to this package.
//   - PutBatch/PutBatches store and pin batches; ExportCAR/ImportCAR move
//     them as CAR files; GC and DeleteBatch(es) remove them.
//
// What it promises:
//   - Only ciphertext, capsules and metadata reach the disk; no plaintext
//     reading and no DEK is ever written (tested by scanning the files).
//   - A batch is written atomically (one badger transaction) and is
//     acknowledged only once synced: a batch whose PutBatch returned nil
//     survives a SIGKILL right after (tested with a killed child process).
//   - Any alteration, swap, reordering, truncation or loss of a block makes
//     OpenBatch/ReadFile fail with an *IntegrityError naming the CID.
//   - GC, DeleteBlock and DeleteBatch(es) delete physically: when they
//     return, the removed blocks' bytes are in no file under the store's
//     directory (memtable log, SST tables, value log, pack files), tested by
//     scanning every file. Caveat: a value-log file still read by an open
//     iterator is deleted when the iterator closes.
//   - Bad input (empty batch, oversized or malformed reading, a reading of
//     another stream or patient, oversized block) is refused with a clear,
//     errors.Is-matchable error before anything is written.
//
// The on-disk and block formats are documented in docs/STORE.md.
package store
