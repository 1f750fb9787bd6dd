// Package merkle is vaultnode's one Merkle tree: the tree over a batch's
// salted readings (store) and the tree over a range of access-log entries
// (p2p) whose roots are committed on chain.
//
// Hashing is that of RFC 6962 ("Certificate Transparency"), SHA-256:
//
//	leaf = SHA-256(0x00 || data)          RFC 6962 §2.1, MTH({d0})
//	node = SHA-256(0x01 || left || right) RFC 6962 §2.1, MTH(D[n])
//
// and, for n > 1 leaves, the tree splits at k, the largest power of two
// smaller than n: the left subtree holds leaves [0, k), the right [k, n)
// (RFC 6962 §2.1). The tree of no leaves hashes to SHA-256 of the empty
// string (RFC 6962 §2.1, MTH({})); no committed root is of an empty tree
// (a readings batch has at least one reading, an anchor at least one
// entry). InclusionProof returns the audit path of RFC 6962 §2.1.1 (the
// siblings on the way up, leaf level first, one per level at which the
// leaf's ancestor has a sibling), and VerifyInclusion checks one (RFC 9162
// §2.1.3.2 describes the same check). The package offers no consistency
// proofs (RFC 6962 §2.1.2): access-log anchors cover disjoint ranges, each
// its own tree, so no one needs to prove that a tree extends another.
//
// The trees this package replaced were built bottom up, pairing the nodes
// of each level and carrying an odd last node up unchanged, with the same
// leaf and node hashes. That is the same tree as the RFC 6962 split (the
// carried node is the root of the right subtree the split leaves
// unpaired), so every root committed on chain before this package existed
// is still its root, byte for byte, and every proof written then still
// verifies. The tests check roots and proofs against the independent
// implementation in golang.org/x/mod/sumdb/tlog, and pin roots and a proof
// the old code produced.
//
// A leaf's data is what the caller says it is: store hashes a reading's
// salt followed by its canonical encoding, p2p the hash of an access-log
// record; LeafHash takes the data in parts so that no one concatenates.
// How a proof travels (store's "VNP\x01" encoding, the access log's path
// with zero placeholders) is the business of the package that owns that
// format.
package merkle
