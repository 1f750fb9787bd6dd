package store

import (
	"errors"
	"fmt"

	cid "github.com/ipfs/go-cid"
)

// IntegrityError reports stored or received data that fails verification:
// a block whose bytes do not hash to its CID, a chunk that does not
// authenticate, a missing or swapped block, a Merkle root mismatch. CID names
// the block at fault (the batch root when the fault is not in one block).
// Match it with errors.As.
type IntegrityError struct {
	CID    cid.Cid
	Reason string
	Err    error // optional underlying cause
}

func (e *IntegrityError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("store: integrity failure at %s: %s: %v", e.CID, e.Reason, e.Err)
	}
	return fmt.Sprintf("store: integrity failure at %s: %s", e.CID, e.Reason)
}

func (e *IntegrityError) Unwrap() error { return e.Err }

func integrityErr(c cid.Cid, reason string, err error) error {
	return &IntegrityError{CID: c, Reason: reason, Err: err}
}

// Input errors. They are returned wrapped with details (which reading, which
// field); match them with errors.Is.
var (
	// ErrEmptyBatch: a batch must hold at least one reading.
	ErrEmptyBatch = errors.New("store: empty batch")
	// ErrBatchTooLarge: too many readings, or too many bytes for one atomic write.
	ErrBatchTooLarge = errors.New("store: batch too large")
	// ErrReadingTooLarge: a reading (or one of its fields) exceeds its limit.
	ErrReadingTooLarge = errors.New("store: reading too large")
	// ErrInvalidReading: a reading field is malformed (bad UTF-8, NaN, time out of range...).
	ErrInvalidReading = errors.New("store: invalid reading")
	// ErrUnknownStream: a reading's stream or patient is not the batch's.
	ErrUnknownStream = errors.New("store: reading does not belong to the batch's stream")
	// ErrBlockTooLarge: a block larger than MaxBlockSize was offered.
	ErrBlockTooLarge = errors.New("store: block too large")
	// ErrNotBatch: the root is not a vaultnode batch root node.
	ErrNotBatch = errors.New("store: not a vaultnode batch root")
	// ErrInvalidParams: bad sealing parameters (missing capsule, chunk size out of range...).
	ErrInvalidParams = errors.New("store: invalid parameters")
)
