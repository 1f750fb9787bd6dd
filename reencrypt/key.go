package reencrypt

import (
	"crypto/subtle"
	"fmt"
	"io"

	r255 "github.com/gtank/ristretto255"
)

// SecretKeySize is the length of SecretKey.Bytes: a canonical little-endian
// ristretto255 scalar.
const SecretKeySize = 32

// PublicKeySize is the length of PublicKey.Bytes: type tag, version, point.
const PublicKeySize = 34

const _ = uint8(PublicKeySize - (headerSize + pointSize))
const _ = uint8((headerSize + pointSize) - PublicKeySize)

// SecretKey is a ristretto255 secret scalar (a delegating or receiving key).
// It is never zero. Call Wipe when done with it.
type SecretKey struct {
	s r255.Scalar
}

// PublicKey is a ristretto255 point, never the identity. It keeps its
// canonical encoding so that it is encoded only once.
type PublicKey struct {
	p   r255.Element
	enc [pointSize]byte
}

// GenerateSecretKey draws a new secret key from rand (64 bytes, reduced
// modulo the group order). All randomness comes from rand.
func GenerateSecretKey(rand io.Reader) (*SecretKey, error) {
	sk := new(SecretKey)
	if err := randomNonZeroScalar(rand, &sk.s); err != nil {
		return nil, fmt.Errorf("generate secret key: %w", err)
	}
	return sk, nil
}

// SecretKeyFromBytes decodes a 32-byte canonical, non-zero scalar.
func SecretKeyFromBytes(b []byte) (*SecretKey, error) {
	sk := new(SecretKey)
	if err := decodeScalar(&sk.s, b, "secret key"); err != nil {
		return nil, err
	}
	if isZero(&sk.s) {
		return nil, fmt.Errorf("secret key: %w", ErrZeroScalar)
	}
	return sk, nil
}

// Bytes returns the 32-byte canonical encoding of the secret scalar. The
// slice is a fresh copy: the caller must wipe it when done.
func (sk *SecretKey) Bytes() []byte {
	return sk.s.Encode(make([]byte, 0, SecretKeySize))
}

// PublicKey returns sk·G.
// A wiped or zero-value key has no public key: the result is then nil.
func (sk *SecretKey) PublicKey() *PublicKey {
	if sk.check() != nil {
		return nil
	}
	pk := new(PublicKey)
	pk.p.ScalarBaseMult(&sk.s)
	pk.p.Encode(pk.enc[:0])
	return pk
}

// Wipe overwrites the secret scalar with zero. The key must not be used
// afterwards.
func (sk *SecretKey) Wipe() {
	if sk != nil {
		sk.s.Zero()
	}
}

// check refuses nil, zero-value and wiped secret keys.
func (sk *SecretKey) check() error {
	if sk == nil {
		return fmt.Errorf("nil secret key: %w", ErrBadParameters)
	}
	if isZero(&sk.s) {
		return fmt.Errorf("secret key is zero (wiped or not initialised): %w", ErrZeroScalar)
	}
	return nil
}

// check refuses nil and zero-value public keys (a valid key never encodes
// to 32 zero bytes, the identity).
func (pk *PublicKey) check() error {
	if pk == nil {
		return fmt.Errorf("nil public key: %w", ErrBadParameters)
	}
	var zero [pointSize]byte
	if pk.enc == zero {
		return fmt.Errorf("public key not initialised: %w", ErrIdentity)
	}
	return nil
}

// Equal reports, in constant time, whether two secret keys are the same.
func (sk *SecretKey) Equal(o *SecretKey) bool {
	return sk.s.Equal(&o.s) == 1
}

// ParsePublicKey decodes the strict, versioned encoding produced by
// PublicKey.Bytes: tag 'P', version 1, a canonical non-identity point.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	rest, err := checkHeader(b, tagPublicKey, PublicKeySize, "public key")
	if err != nil {
		return nil, err
	}
	return parseRawPublicKey(rest, "public key point")
}

// Bytes returns the versioned encoding of pk (PublicKeySize bytes).
func (pk *PublicKey) Bytes() []byte {
	out := make([]byte, 0, PublicKeySize)
	out = append(out, tagPublicKey, version1)
	return append(out, pk.enc[:]...)
}

// Equal reports whether pk and o are the same key. Nil keys are equal only
// to each other.
func (pk *PublicKey) Equal(o *PublicKey) bool {
	if pk == nil || o == nil {
		return pk == o
	}
	return subtle.ConstantTimeCompare(pk.enc[:], o.enc[:]) == 1
}

// String returns a short hex fingerprint (public data only).
func (pk *PublicKey) String() string {
	return fmt.Sprintf("reencrypt.PublicKey(%x)", pk.enc[:8])
}
