package reencrypt

import (
	"crypto/subtle"
	"fmt"
	"io"

	r255 "github.com/gtank/ristretto255"
)

const (
	pointSize  = 32
	scalarSize = 32
	headerSize = 2 // type tag, version

	version1 = 0x01
	// versionCFrag is the cfrag's version: 2 carries E1 and V1 apart (the
	// grantee checks the combined fragments against the capsule and the
	// delegating key); 1 carried only W1 = E1 + V1.
	versionCFrag = 0x02

	tagPublicKey = 'P'
	tagCapsule   = 'C'
	tagKFrag     = 'K'
	tagCFrag     = 'F'
)

// checkHeader checks the fixed length, type tag and version of an encoding
// and returns the body after the header.
func checkHeader(b []byte, tag byte, size int, what string) ([]byte, error) {
	return checkHeaderVersion(b, tag, version1, size, what)
}

// checkHeaderVersion is checkHeader for an encoding at version ver.
func checkHeaderVersion(b []byte, tag, ver byte, size int, what string) ([]byte, error) {
	if len(b) < size {
		return nil, fmt.Errorf("%s: got %d bytes, want %d: %w", what, len(b), size, ErrLength)
	}
	if len(b) > size {
		return nil, fmt.Errorf("%s: %d bytes after the %d-byte encoding: %w", what, len(b)-size, size, ErrTrailing)
	}
	if b[0] != tag {
		return nil, fmt.Errorf("%s: type tag 0x%02x, want 0x%02x: %w", what, b[0], tag, ErrVersion)
	}
	if b[1] != ver {
		return nil, fmt.Errorf("%s: version %d, want %d: %w", what, b[1], ver, ErrVersion)
	}
	return b[headerSize:], nil
}

// decodePoint decodes a canonical, non-identity ristretto255 point.
func decodePoint(p *r255.Element, b []byte, what string) error {
	if len(b) != pointSize {
		return fmt.Errorf("%s: got %d bytes, want %d: %w", what, len(b), pointSize, ErrLength)
	}
	if err := p.Decode(b); err != nil {
		return fmt.Errorf("%s: not a canonical ristretto255 encoding: %w", what, ErrNonCanonical)
	}
	if isIdentity(p) {
		return fmt.Errorf("%s: %w", what, ErrIdentity)
	}
	return nil
}

// decodeScalar decodes a canonical scalar (< group order). Zero is allowed
// here; callers that need non-zero check it.
func decodeScalar(s *r255.Scalar, b []byte, what string) error {
	if len(b) != scalarSize {
		return fmt.Errorf("%s: got %d bytes, want %d: %w", what, len(b), scalarSize, ErrLength)
	}
	if err := s.Decode(b); err != nil {
		return fmt.Errorf("%s: scalar not reduced modulo the group order: %w", what, ErrNonCanonical)
	}
	return nil
}

var identityElement = r255.NewElement()

func isIdentity(p *r255.Element) bool { return p.Equal(identityElement) == 1 }

var zeroScalar = r255.NewScalar()

func isZero(s *r255.Scalar) bool { return s.Equal(zeroScalar) == 1 }

// randomScalar sets s to a uniform scalar from 64 bytes of rand (wide
// reduction). All randomness of the package goes through here.
func randomScalar(rand io.Reader, s *r255.Scalar) error {
	var buf [64]byte
	defer wipeBytes(buf[:])
	if _, err := io.ReadFull(rand, buf[:]); err != nil {
		return fmt.Errorf("%w: %w", ErrRandom, err)
	}
	s.FromUniformBytes(buf[:])
	return nil
}

// randomNonZeroScalar is randomScalar retried until non-zero (a zero has
// probability about 2^-252).
func randomNonZeroScalar(rand io.Reader, s *r255.Scalar) error {
	for {
		if err := randomScalar(rand, s); err != nil {
			return err
		}
		if !isZero(s) {
			return nil
		}
	}
}

// wipeBytes overwrites b with zeros.
func wipeBytes(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// equalBytes compares in constant time.
func equalBytes(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
