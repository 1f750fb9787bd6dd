package store

import (
	"crypto/subtle"
	"fmt"

	"github.com/vaultnode/vaultnode/store/merkle"
)

// VerifyAll checks every decoded reading of the batch against root, the
// Merkle root committed on chain: it re-encodes each reading in o.Readings
// (what the caller hands on, not the decrypted bytes they came from), hashes
// it with its salt, builds the tree once and compares the result with root
// in constant time. Cost O(n) for the whole batch, the same as one
// inclusion proof, instead of O(n) per reading. A reading changed after
// OpenBatch (value, time, order, a reading added or dropped) or a root that
// is not the batch's fails with ErrProof.
func (o *OpenedBatch) VerifyAll(root [32]byte) error {
	if len(o.Readings) != len(o.salts) || len(o.Readings) == 0 {
		return fmt.Errorf("%w: %d readings for %d salts", ErrProof, len(o.Readings), len(o.salts))
	}
	leaves := make([][32]byte, len(o.Readings))
	buf := make([]byte, 0, 256)
	for i := range o.Readings {
		r := &o.Readings[i]
		if err := checkReading(r); err != nil {
			return fmt.Errorf("%w: reading %d: %w", ErrProof, i, err)
		}
		buf = AppendReading(buf[:0], r)
		leaves[i] = readingLeaf(&o.salts[i], buf)
	}
	got := merkle.Root(leaves)
	if subtle.ConstantTimeCompare(got[:], root[:]) != 1 {
		return fmt.Errorf("%w: the %d readings do not hash to the committed Merkle root", ErrProof, len(o.Readings))
	}
	return nil
}

// ValidateReading checks r against the canonical encoding's rules (what
// EncodeReading and Seal check) without encoding it.
func ValidateReading(r *Reading) error { return checkReading(r) }
