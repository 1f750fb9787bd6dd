// Package reencrypt implements the key-encapsulation part of Umbral, NuCypher's
// threshold proxy re-encryption scheme, over the ristretto255 group, built from
// the Umbral paper (github.com/nucypher/umbral-doc). The full construction, its
// domain-separation tags, encodings, security argument and test vectors are in
// docs/PRE.md.
//
// # What it is for
//
// A delegator (one patient stream) encapsulates a fresh 32-byte DEK per batch:
//
//	capsule, dek, err := reencrypt.Encapsulate(rand, streamPK)
//
// and grants a grantee access by splitting a re-encryption key into N kfrags,
// any M of which suffice, each signed (Ed25519) over the delegator's and the
// grantee's keys, M, N, the grant id and the validity window:
//
//	kfrags, err := reencrypt.GenerateKFrags(rand, streamSK, granteePK, signer, m, n, binding)
//
// A proxy holding one kfrag checks it once (kf.Verify) and then answers
// requests with a capsule fragment carrying a proof bound to the request:
//
//	cfrag, err := reencrypt.ReEncrypt(rand, capsule, kfrag, requestBinding)
//
// The grantee verifies every cfrag (cf.Verify) and combines M of them:
//
//	dek, err := reencrypt.DecapsulateFrags(granteeSK, streamPK, capsule, cfrags)
//
// # What it promises
//
//   - Only the delegating secret key, or the receiving secret key with M
//     distinct verified cfrags of one delegation, yields a capsule's DEK;
//     duplicates count once; fewer than M fail.
//   - A kfrag or cfrag for another delegator, grantee, signer, grant, window,
//     capsule or request does not verify; a tampered capsule, kfrag or cfrag
//     is refused.
//   - Decoders are strict and versioned: identity points, non-canonical points
//     and scalars, wrong lengths, trailing bytes and unknown tags or versions
//     are refused with an error naming the field (errors.Is with the Err*
//     sentinels).
//   - All randomness comes from the io.Reader the caller passes (so runs are
//     reproducible from a seeded reader, see testdata/vectors.json).
//   - Secret scalars are handled with constant-time group operations and
//     compared in constant time; variable-time arithmetic is used only on
//     public data (capsule and cfrag checks). SecretKey.Wipe and KFrag.Wipe
//     zero secrets; the package zeroes its own temporaries.
//
// # What it does not do
//
// It reads no clock (callers check KFragBinding.Covers and request expiry),
// keeps no state (replay protection, revocation and audit belong to the
// proxy), does no symmetric encryption (the DEM is the store's AEAD, which
// should bind the capsule as associated data) and does no I/O. Objects are
// immutable after construction except for the "verified" mark set by Verify
// (safe for concurrent use) and Wipe.
//
// The group backend is github.com/gtank/ristretto255 (RFC 9496); hashing to
// scalars and points uses circl's RFC 9380 expander, and the encodings and
// hashes agree with circl's group.Ristretto255 (tested).
package reencrypt
