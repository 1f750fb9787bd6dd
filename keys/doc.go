// Package keys is the node's keystore: every secret a vaultnode peer holds,
// encrypted at rest, with provable physical destruction of a patient's keys.
//
// # What it holds
//
//   - the node identity: a libp2p Ed25519 private key (NodeIdentity);
//   - the node tag key, under which StreamTag and SubjectTag are keyed hashes
//     (HMAC-SHA256, domain-separated) of a pseudonym and stream name: what
//     goes on-chain, unlinkable without this key;
//   - devices: id, Ed25519 public key, status; a device's private key is
//     generated at enrolment and returned once, kept only if asked;
//   - patients: a random 32-byte Pseudonym, a random 32-byte root key, and the
//     local MRN → pseudonym mapping;
//   - per stream of a patient, a random delegating PRE key pair
//     (reencrypt.SecretKey), the secret wrapped by the patient's root key.
//
// Every key has a KeyID, a public commitment (hash of the public part, or of
// the symmetric key under a domain tag), so that an erasure certificate can
// list the destroyed keys.
//
// # Layout and encryption
//
// A keystore is a directory with a KEYSTORE header file and a badger/v4
// database in db/. The header holds the Argon2id parameters and salt (or
// marks a key-file keystore), a key check value, and the random data key
// wrapped (XChaCha20-Poly1305) under the node master key. The master key is
// derived from a passphrase (Argon2id; DefaultArgon2 is t=3, 64 MiB, p=4) or
// a key file (HKDF-SHA256) and is never stored. Every database value is
// sealed with XChaCha20-Poly1305, bound to its database key and keystore id:
// node records under a key derived from the data key, a patient's records
// under a key derived from the patient's root key, itself sealed under the
// data key. The format is specified in docs/KEYSTORE.md.
//
// # Promises
//
//   - No key, MRN or master key is ever written to disk in clear (tests scan
//     every file of the directory for them).
//   - Destroy is physical: afterwards no byte of the destroyed keys, of their
//     encrypted records, of the MRN or of the pseudonym remains in any file
//     of the keystore directory, badger's write-ahead log, tables and value
//     log included. It uses badger's DropPrefix with all values stored inline
//     in the LSM tree, then checks over all versions that nothing is left.
//     Destroy is idempotent and completes after a crash (at the next Open or
//     Destroy). A destroyed patient gives ErrDestroyed forever, is never
//     exported, and never comes back from an older backup imported here.
//   - Errors say what was wrong: ErrWrongPassphrase, ErrUnknownPatient,
//     ErrDestroyed, ErrCorrupt (tampered data, with the record named), ...
//   - Key check and tag comparisons are constant-time; key buffers are wiped
//     after use where Go allows (cipher key schedules and immutable strings
//     cannot be).
//   - A Keystore is safe for concurrent use; reads run in parallel, writes
//     are serialised. Stream (the ingest hot path) is served from a cache of
//     public data.
//
// Limits: physical destruction covers the keystore directory's files. It
// cannot reach copies outside it (backups exported earlier, swap, file
// system or SSD remapping of freed blocks); a backup taken before an
// erasure still holds the keys, which is why Import takes a Skip hook for
// the on-chain deletion registry.
package keys
