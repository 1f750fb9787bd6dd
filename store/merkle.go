package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
)

// The readings Merkle tree (docs/STORE.md "Merkle tree"):
//
//	leaf_i = SHA-256(0x00 || salt_i || canonical(reading_i))
//	node   = SHA-256(0x01 || left || right)
//
// built bottom-up; a level with an odd number of nodes promotes its last node
// unchanged (the same tree shape as RFC 6962/9162). salt_i is 32 bytes of
// AES-256-CTR keystream under a key derived from the batch DEK and the
// batch nonce, so the root on chain reveals nothing about low-entropy
// readings, and a proof for one reading (which carries only that reading's
// salt) reveals nothing about the others.
const (
	leafTag = 0x00
	nodeTag = 0x01
	// maxProofDepth bounds proofs: 2^32 leaves at most.
	maxProofDepth = 32
)

// ErrProof is returned (wrapped) when an inclusion proof does not verify or
// cannot be decoded.
var ErrProof = errors.New("store: invalid Merkle proof")

func leafHash(salt *[32]byte, body []byte) [32]byte {
	h := sha256.New()
	var tag = [1]byte{leafTag}
	h.Write(tag[:])
	h.Write(salt[:])
	h.Write(body)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

func nodeHash(l, r *[32]byte) [32]byte {
	var buf [65]byte
	buf[0] = nodeTag
	copy(buf[1:33], l[:])
	copy(buf[33:], r[:])
	return sha256.Sum256(buf[:])
}

// merkleRoot computes the root of leaves, overwriting leaves as scratch.
func merkleRoot(leaves [][32]byte) [32]byte {
	n := len(leaves)
	if n == 0 {
		return [32]byte{}
	}
	for n > 1 {
		m := 0
		for i := 0; i+1 < n; i += 2 {
			leaves[m] = nodeHash(&leaves[i], &leaves[i+1])
			m++
		}
		if n%2 == 1 {
			leaves[m] = leaves[n-1]
			m++
		}
		n = m
	}
	return leaves[0]
}

// Proof is an inclusion proof of one reading in a batch's Merkle tree.
type Proof struct {
	Index uint32     // position of the reading in the batch
	Count uint32     // number of readings in the batch
	Salt  [32]byte   // the reading's salt (reveals nothing about other readings)
	Path  [][32]byte // sibling hashes, leaf level first
}

// buildProof computes the proof of leaf idx; leaves is not modified.
func buildProof(leaves [][32]byte, idx int, salt [32]byte) *Proof {
	p := &Proof{Index: uint32(idx), Count: uint32(len(leaves)), Salt: salt}
	level := append([][32]byte(nil), leaves...)
	for n := len(level); n > 1; {
		if sib := idx ^ 1; sib < n {
			p.Path = append(p.Path, level[sib])
		}
		m := 0
		for i := 0; i+1 < n; i += 2 {
			level[m] = nodeHash(&level[i], &level[i+1])
			m++
		}
		if n%2 == 1 {
			level[m] = level[n-1]
			m++
		}
		n, idx = m, idx/2
	}
	return p
}

// VerifyReading checks that r is reading number p.Index of the batch whose
// Merkle root (as committed on chain) is root. It fails with ErrProof.
func VerifyReading(root [32]byte, r *Reading, p *Proof) error {
	body, err := EncodeReading(r)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrProof, err)
	}
	return verifyLeaf(root, leafHash(&p.Salt, body), p)
}

func verifyLeaf(root, h [32]byte, p *Proof) error {
	if p.Count == 0 || p.Index >= p.Count {
		return fmt.Errorf("%w: index %d outside batch of %d", ErrProof, p.Index, p.Count)
	}
	idx, n, used := uint64(p.Index), uint64(p.Count), 0
	for n > 1 {
		if sib := idx ^ 1; sib < n {
			if used >= len(p.Path) {
				return fmt.Errorf("%w: path too short", ErrProof)
			}
			s := &p.Path[used]
			used++
			if idx&1 == 0 {
				h = nodeHash(&h, s)
			} else {
				h = nodeHash(s, &h)
			}
		}
		n, idx = (n+1)/2, idx/2
	}
	if used != len(p.Path) {
		return fmt.Errorf("%w: path has %d extra hashes", ErrProof, len(p.Path)-used)
	}
	if subtle.ConstantTimeCompare(h[:], root[:]) != 1 {
		return fmt.Errorf("%w: reading %d does not hash to the Merkle root", ErrProof, p.Index)
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
