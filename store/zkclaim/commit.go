package zkclaim

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// DefaultCapacity is the number of leaves of a production tree (depth 13): a batch of up to 8192 readings,
// so the 5,000-reading batches of the issue fit. Every tree of one capacity has the same shape, which is
// what lets one circuit (and one proving key) serve every batch.
const DefaultCapacity = 8192

// maxCapacity bounds the capacity a caller may ask for (a circuit of 2^20 leaves would not prove anyway).
const maxCapacity = 1 << 20

// MinKeyLen is the shortest batch key accepted: the salts are only as unguessable as the key.
const MinKeyLen = 16

// saltDomain separates this package's HMAC uses from any other use of the same key.
const saltDomain = "vaultnode/zkclaim/v1 salt"

// Poseidon2 over BN254 as gnark-crypto defines its default 2-to-1 compression: width 2, 6 full rounds,
// 50 partial rounds, x^5 S-box, output = permutation(left, right)[1] + right. The circuit instantiates the
// gadget with the same parameters (circuit.go); TestNativeHashMatchesCircuit checks that both agree.
const (
	poseidonWidth         = 2
	poseidonFullRounds    = 6
	poseidonPartialRounds = 50
)

var permutation = poseidon2.NewPermutation(poseidonWidth, poseidonFullRounds, poseidonPartialRounds)

// compress is gnark-crypto's Poseidon2 Compress, on field elements instead of their byte encodings (the
// tree hashes thousands of them per batch and the byte round trip would dominate).
func compress(left, right fr.Element) fr.Element {
	x := [2]fr.Element{left, right}
	if err := permutation.Permutation(x[:]); err != nil {
		panic(err) // only for a width other than 2, fixed above
	}
	x[1].Add(&x[1], &right)
	return x[1]
}

// Root is a batch's SNARK-friendly commitment: the Poseidon2 Merkle root, a BN254 scalar field element,
// big-endian. It is the public input "root" of every claim about the batch.
type Root [fr.Bytes]byte

func (r Root) String() string { return hex.EncodeToString(r[:]) }

// element returns the root as a field element; a root not below the field modulus is refused.
func (r Root) element() (fr.Element, error) {
	var e fr.Element
	if err := e.SetBytesCanonical(r[:]); err != nil {
		return e, fmt.Errorf("zkclaim: root %s is not a canonical field element: %w", r, err)
	}
	return e, nil
}

// ParseRoot decodes a root from its 64 hex digits.
func ParseRoot(s string) (Root, error) {
	var r Root
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(r) {
		return r, fmt.Errorf("zkclaim: root %q: want %d hex bytes", s, len(r))
	}
	copy(r[:], b)
	if _, err := r.element(); err != nil {
		return Root{}, err
	}
	return r, nil
}

// Salt is the salt of leaf index of a batch whose batch key is key: HMAC-SHA512(key, domain || u32 index)
// reduced modulo the BN254 scalar field (64 bytes, so the reduction's bias is below 2^-250). The custodian
// keeps (or re-derives) the key and can recompute every salt when it proves a claim; without it the leaves
// of a batch, and so its root, reveal nothing about low-entropy readings. Each batch needs its own key:
// two batches under one key share their salts. Destroying the key (erasure) leaves no way to prove
// anything new about the batch.
func Salt(key []byte, index int) fr.Element {
	mac := hmac.New(sha512.New, key)
	mac.Write([]byte(saltDomain))
	var idx [4]byte
	binary.BigEndian.PutUint32(idx[:], uint32(index))
	mac.Write(idx[:])
	var e fr.Element
	e.SetBytes(mac.Sum(nil)) // SetBytes reduces an input longer than 32 bytes modulo the field order
	return e
}

// leaf is one leaf's preimage: what the circuit receives as private input for it.
type leaf struct {
	time    int64
	value   int64 // signed; the circuit sees value + 2^(ValueBits-1)
	padding bool
	salt    fr.Element
}

func (l leaf) hash() fr.Element {
	var packed fr.Element
	packed.SetBigInt(packLeaf(l.time, l.value, l.padding))
	return compress(packed, l.salt)
}

// paddingLeaf fills the tree after the last reading. Its flag bit (2^96 in the packed element) cannot be
// set by a reading, whose packing stops below 2^96, so no proof can pass padding off as a reading. Padding
// needs no salt: it carries no information, and a constant padding leaf makes every all-padding subtree a
// constant (paddingHashes), so a batch of n readings costs about 2n hashes whatever the capacity.
var paddingLeaf = leaf{padding: true}

// paddingHashes[l] is the hash of an all-padding subtree of height l (up to the largest capacity).
var paddingHashes = func() []fr.Element {
	h := make([]fr.Element, bits.Len(maxCapacity))
	h[0] = paddingLeaf.hash()
	for l := 1; l < len(h); l++ {
		h[l] = compress(h[l-1], h[l-1])
	}
	return h
}()

// tree is a batch's Merkle tree. levels[0] are the leaf hashes of the readings, levels[l] the nodes of
// level l that have at least one reading below them; every other node is paddingHashes[l].
type tree struct {
	capacity int
	depth    int
	leaves   []leaf // the readings' leaves only
	levels   [][]fr.Element
}

func (t *tree) root() fr.Element { return t.levels[t.depth][0] }

// node returns node i of level l.
func (t *tree) node(l, i int) fr.Element {
	if i < len(t.levels[l]) {
		return t.levels[l][i]
	}
	return paddingHashes[l]
}

// leafAt returns leaf i's preimage, padding after the readings.
func (t *tree) leafAt(i int) leaf {
	if i < len(t.leaves) {
		return t.leaves[i]
	}
	return paddingLeaf
}

// path returns leaf i's siblings, leaf level first.
func (t *tree) path(i int) []fr.Element {
	sib := make([]fr.Element, t.depth)
	for l := 0; l < t.depth; l++ {
		sib[l] = t.node(l, i^1)
		i >>= 1
	}
	return sib
}

func checkCapacity(capacity int) (depth int, err error) {
	if capacity < 2 || capacity > maxCapacity || capacity&(capacity-1) != 0 {
		return 0, fmt.Errorf("%w: got %d", ErrCapacity, capacity)
	}
	return bits.Len(uint(capacity)) - 1, nil
}

// buildTree validates the readings and builds their tree. Readings need not be sorted and may share a
// time: every claim is about the multiset of committed readings, and the order only decides which leaf a
// reading occupies.
func buildTree(key []byte, readings []Reading, capacity int) (*tree, error) {
	depth, err := checkCapacity(capacity)
	if err != nil {
		return nil, err
	}
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("%w: %d bytes, want at least %d", ErrBadKey, len(key), MinKeyLen)
	}
	if len(readings) == 0 {
		return nil, ErrNoReadings
	}
	if len(readings) > capacity {
		return nil, fmt.Errorf("%w: %d readings, capacity %d", ErrTooManyReadings, len(readings), capacity)
	}
	t := &tree{capacity: capacity, depth: depth, leaves: make([]leaf, len(readings)), levels: make([][]fr.Element, depth+1)}
	level := make([]fr.Element, len(readings))
	for i, r := range readings {
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("reading %d: %w", i, err)
		}
		t.leaves[i] = leaf{time: r.Time, value: r.Value, salt: Salt(key, i)}
		level[i] = t.leaves[i].hash()
	}
	t.levels[0] = level
	for l := 1; l <= depth; l++ {
		below := t.levels[l-1]
		n := (len(below) + 1) / 2
		up := make([]fr.Element, n)
		for i := range up {
			up[i] = compress(below[2*i], t.node(l-1, 2*i+1))
		}
		t.levels[l] = up
	}
	return t, nil
}

// Commit computes the root of a batch of readings in a tree of DefaultCapacity leaves, salted under the
// batch key. It refuses an empty batch, more readings than the capacity, a time or value out of range and
// a key shorter than MinKeyLen.
func Commit(key []byte, readings []Reading) (Root, error) {
	return CommitCapacity(key, readings, DefaultCapacity)
}

// CommitCapacity is Commit for a tree of the given capacity (a power of two); claims about the batch must
// use keys set up for the same capacity.
func CommitCapacity(key []byte, readings []Reading, capacity int) (Root, error) {
	t, err := buildTree(key, readings, capacity)
	if err != nil {
		return Root{}, fmt.Errorf("zkclaim: commit: %w", err)
	}
	root := t.root()
	return Root(root.Bytes()), nil
}

const batchKeyDomain = "vaultnode/zkclaim/batch-key/v1\x00"

// BatchKey is the batch key of a stream's batch seq, derived from the stream's claim secret:
// HMAC-SHA256(secret, domain ‖ u64 seq). One secret per stream gives every batch its own key (and so its
// own salts), and destroying the secret destroys every batch key of the stream.
func BatchKey(secret [32]byte, seq uint64) []byte {
	mac := hmac.New(sha256.New, secret[:])
	mac.Write([]byte(batchKeyDomain))
	mac.Write(binary.BigEndian.AppendUint64(nil, seq))
	return mac.Sum(nil)
}
