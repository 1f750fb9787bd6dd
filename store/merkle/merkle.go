package merkle

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// Hash is a SHA-256 digest: a leaf, node or root hash.
type Hash = [32]byte

// The domain-separation prefixes of RFC 6962 §2.1.
const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

// ErrProof is returned (wrapped) when an inclusion proof does not verify.
var ErrProof = errors.New("merkle: invalid inclusion proof")

// LeafHash is the hash of the leaf whose data is the concatenation of
// parts: SHA-256(0x00 || parts[0] || parts[1] || ...).
func LeafHash(parts ...[]byte) Hash {
	h := sha256.New()
	h.Write([]byte{leafPrefix})
	for _, p := range parts {
		h.Write(p)
	}
	var out Hash
	h.Sum(out[:0])
	return out
}

// NodeHash is the hash of an interior node: SHA-256(0x01 || left || right).
func NodeHash(left, right Hash) Hash {
	var buf [1 + 2*len(Hash{})]byte
	buf[0] = nodePrefix
	copy(buf[1:], left[:])
	copy(buf[1+len(left):], right[:])
	return sha256.Sum256(buf[:])
}

// split is k of RFC 6962 §2.1: the largest power of two smaller than n > 1.
func split(n int) int { return 1 << (bits.Len(uint(n-1)) - 1) }

// Root is the root hash of the tree over leaves (leaf hashes, in order):
// MTH of RFC 6962 §2.1. It allocates nothing and leaves leaves unchanged.
func Root(leaves []Hash) Hash {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return leaves[0]
	}
	k := split(len(leaves))
	return NodeHash(Root(leaves[:k]), Root(leaves[k:]))
}

// InclusionProof is the audit path of leaf index in the tree over leaves
// (PATH of RFC 6962 §2.1.1): the hashes of the siblings of the leaf and of
// its ancestors, leaf level first. It costs one tree's worth of hashing.
func InclusionProof(leaves []Hash, index int) ([]Hash, error) {
	if index < 0 || index >= len(leaves) {
		return nil, fmt.Errorf("merkle: no leaf %d in a tree of %d", index, len(leaves))
	}
	var path []Hash // root level first while descending
	for len(leaves) > 1 {
		k := split(len(leaves))
		if index < k {
			path = append(path, Root(leaves[k:]))
			leaves = leaves[:k]
		} else {
			path = append(path, Root(leaves[:k]))
			leaves, index = leaves[k:], index-k
		}
	}
	slices.Reverse(path)
	return path, nil
}

// VerifyInclusion checks that leaf is leaf index of the tree of size leaves
// whose root is root, by the audit path path (RFC 6962 §2.1.1; the check
// of RFC 9162 §2.1.3.2). A path with a hash too many or too few fails. Its
// errors wrap ErrProof.
func VerifyInclusion(root, leaf Hash, index, size uint64, path []Hash) error {
	if index >= size {
		return fmt.Errorf("%w: leaf %d outside a tree of %d", ErrProof, index, size)
	}
	h, used := leaf, 0
	// Bottom up: at each level the node is index of n; it has a sibling
	// unless it is the last node of an odd level, which is carried up.
	for i, n := index, size; n > 1; i, n = i/2, (n+1)/2 {
		if i^1 >= n {
			continue
		}
		if used == len(path) {
			return fmt.Errorf("%w: path of %d hashes is too short for leaf %d of %d", ErrProof, len(path), index, size)
		}
		if i&1 == 0 {
			h = NodeHash(h, path[used])
		} else {
			h = NodeHash(path[used], h)
		}
		used++
	}
	if used != len(path) {
		return fmt.Errorf("%w: path has %d hashes, leaf %d of %d needs %d", ErrProof, len(path), index, size, used)
	}
	if subtle.ConstantTimeCompare(h[:], root[:]) != 1 {
		return fmt.Errorf("%w: leaf %d of %d does not hash to the root", ErrProof, index, size)
	}
	return nil
}
