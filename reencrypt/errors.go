package reencrypt

import "errors"

// Sentinel errors. Every error returned by this package wraps one of these
// (test with errors.Is) and adds context naming the field that was wrong.
var (
	// ErrLength: an encoding is shorter than its fixed size.
	ErrLength = errors.New("reencrypt: wrong length")
	// ErrTrailing: an encoding has bytes after its fixed size.
	ErrTrailing = errors.New("reencrypt: trailing bytes")
	// ErrVersion: an encoding has an unknown type tag or version byte.
	ErrVersion = errors.New("reencrypt: unknown type tag or version")
	// ErrNonCanonical: a point or scalar is not in its unique canonical encoding.
	ErrNonCanonical = errors.New("reencrypt: non-canonical encoding")
	// ErrIdentity: a point is the identity element, which is never valid here.
	ErrIdentity = errors.New("reencrypt: identity point")
	// ErrZeroScalar: a scalar that must be non-zero is zero.
	ErrZeroScalar = errors.New("reencrypt: zero scalar")
	// ErrInvalidCapsule: a capsule fails its validity check (s·G = V + h·E).
	ErrInvalidCapsule = errors.New("reencrypt: invalid capsule")
	// ErrDelegation: verified cfrags that do not open the capsule for the
	// delegating key: the kfrags were not made with its secret key (a forged
	// delegation), so the combined key would not be the capsule's DEK.
	ErrDelegation = errors.New("reencrypt: cfrags do not re-encrypt for the delegating key")
	// ErrRandom: the caller's random source failed.
	ErrRandom = errors.New("reencrypt: random source failed")
)
