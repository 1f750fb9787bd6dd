package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vaultnode/vaultnode/store/merkle"
)

// The readings Merkle tree (docs/STORE.md "Merkle tree") is a store/merkle
// tree (RFC 6962) whose leaf data is a reading's salt and canonical encoding:
//
//	leaf_i = SHA-256(0x00 || salt_i || canonical(reading_i))
//	node   = SHA-256(0x01 || left || right)
//
// salt_i is 32 bytes of AES-256-CTR keystream under a key derived from the
// batch DEK and the batch nonce, so the root on chain reveals nothing about
// low-entropy readings, and a proof for one reading (which carries only that
// reading's salt) reveals nothing about the others.

// maxProofDepth bounds proofs: 2^32 leaves at most.
const maxProofDepth = 32

// ErrProof is returned (wrapped) when an inclusion proof does not verify or
// cannot be decoded.
var ErrProof = errors.New("store: invalid Merkle proof")

func readingLeaf(salt *[32]byte, body []byte) [32]byte { return merkle.LeafHash(salt[:], body) }

// Proof is an inclusion proof of one reading in a batch's Merkle tree.
type Proof struct {
	Index uint32     // position of the reading in the batch
	Count uint32     // number of readings in the batch
	Salt  [32]byte   // the reading's salt (reveals nothing about other readings)
	Path  [][32]byte // sibling hashes, leaf level first (the RFC 6962 §2.1.1 audit path)
}

// VerifyReading checks that r is reading number p.Index of the batch whose
// Merkle root (as committed on chain) is root. It fails with ErrProof.
func VerifyReading(root [32]byte, r *Reading, p *Proof) error {
	body, err := EncodeReading(r)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrProof, err)
	}
	if err := merkle.VerifyInclusion(root, readingLeaf(&p.Salt, body), uint64(p.Index), uint64(p.Count), p.Path); err != nil {
		return fmt.Errorf("%w: reading %d: %w", ErrProof, p.Index, err)
	}
	return nil
}

var proofMagic = [4]byte{'V', 'N', 'P', 1}

// MarshalBinary encodes the proof: "VNP\x01" | u32 index | u32 count |
// salt[32] | u8 n | n × hash[32].
func (p *Proof) MarshalBinary() ([]byte, error) {
	if len(p.Path) > maxProofDepth {
		return nil, fmt.Errorf("%w: path of %d hashes", ErrProof, len(p.Path))
	}
	b := make([]byte, 0, 4+8+32+1+32*len(p.Path))
	b = append(b, proofMagic[:]...)
	b = binary.BigEndian.AppendUint32(b, p.Index)
	b = binary.BigEndian.AppendUint32(b, p.Count)
	b = append(b, p.Salt[:]...)
	b = append(b, byte(len(p.Path)))
	for i := range p.Path {
		b = append(b, p.Path[i][:]...)
	}
	return b, nil
}

// UnmarshalProof decodes a proof written by MarshalBinary, exactly (no
// trailing bytes).
func UnmarshalProof(b []byte) (*Proof, error) {
	const fixed = 4 + 8 + 32 + 1
	if len(b) < fixed || [4]byte(b[:4]) != proofMagic {
		return nil, fmt.Errorf("%w: not a vaultnode proof (bad magic or too short)", ErrProof)
	}
	p := &Proof{
		Index: binary.BigEndian.Uint32(b[4:]),
		Count: binary.BigEndian.Uint32(b[8:]),
	}
	copy(p.Salt[:], b[12:44])
	n := int(b[44])
	if n > maxProofDepth {
		return nil, fmt.Errorf("%w: path of %d hashes", ErrProof, n)
	}
	if len(b) != fixed+32*n {
		return nil, fmt.Errorf("%w: %d bytes for a path of %d hashes", ErrProof, len(b), n)
	}
	if p.Count == 0 || p.Index >= p.Count {
		return nil, fmt.Errorf("%w: index %d outside batch of %d", ErrProof, p.Index, p.Count)
	}
	p.Path = make([][32]byte, n)
	for i := range p.Path {
		copy(p.Path[i][:], b[fixed+32*i:])
	}
	return p, nil
}
