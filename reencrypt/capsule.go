package reencrypt

import (
	"crypto/sha256"
	"fmt"
	"io"

	r255 "github.com/gtank/ristretto255"
)

// CapsuleSize is the length of Capsule.Bytes: tag, version, E, V, s.
const CapsuleSize = 98

const _ = uint8(CapsuleSize - (headerSize + 2*pointSize + scalarSize))
const _ = uint8((headerSize + 2*pointSize + scalarSize) - CapsuleSize)

// DEKSize is the length of the data-encryption key a capsule carries.
const DEKSize = 32

// Capsule is the key-encapsulation of one DEK to a delegating public key:
// (E, V, s) with E = r·G, V = u·G, s = u + r·H(E, V). Anyone can check it
// (s·G = V + H(E, V)·E); only the holder of the secret key, or M proxies'
// cfrags plus the grantee's key, can open it. A Capsule value obtained from
// Encapsulate or ParseCapsule has always passed that check.
type Capsule struct {
	e, v  r255.Element
	w     r255.Element // E + V, the point every (re-)decapsulation uses
	s     r255.Scalar
	enc   [CapsuleSize]byte // canonical encoding, computed once
	valid bool
}

// Encapsulate draws a fresh DEK for pk and returns its capsule. All
// randomness comes from rand.
func Encapsulate(rand io.Reader, pk *PublicKey) (*Capsule, [DEKSize]byte, error) {
	var key [DEKSize]byte
	if err := pk.check(); err != nil {
		return nil, key, fmt.Errorf("encapsulate: %w", err)
	}
	var r, u r255.Scalar
	defer r.Zero()
	defer u.Zero()
	if err := randomNonZeroScalar(rand, &r); err != nil {
		return nil, key, fmt.Errorf("encapsulate: %w", err)
	}
	// r + u = 0 would make E + V the identity (a capsule anyone can open);
	// probability ~2^-252, redraw.
	var ru r255.Scalar
	defer ru.Zero()
	for {
		if err := randomNonZeroScalar(rand, &u); err != nil {
			return nil, key, fmt.Errorf("encapsulate: %w", err)
		}
		if !isZero(ru.Add(&r, &u)) {
			break
		}
	}
	c := new(Capsule)
	c.e.ScalarBaseMult(&r)
	c.v.ScalarBaseMult(&u)
	c.enc[0], c.enc[1] = tagCapsule, version1
	c.e.Encode(c.enc[headerSize:headerSize])
	c.v.Encode(c.enc[headerSize+pointSize : headerSize+pointSize])
	var h r255.Scalar
	capsuleChallenge(&h, c.enc[headerSize:headerSize+2*pointSize])
	c.s.Multiply(&r, &h).Add(&c.s, &u)
	c.s.Encode(c.enc[headerSize+2*pointSize : headerSize+2*pointSize])
	c.w.Add(&c.e, &c.v)
	c.valid = true

	// shared = (r + u)·pk
	var shared r255.Element
	defer shared.Zero()
	shared.ScalarMult(&ru, &pk.p)
	key = deriveDEK(&shared, c)
	return c, key, nil
}

// Decapsulate opens a capsule with the delegating secret key it was made for.
// It does not detect a capsule made for another key: the result is then
// simply a different key, which the AEAD layer rejects.
func Decapsulate(sk *SecretKey, c *Capsule) ([DEKSize]byte, error) {
	var key [DEKSize]byte
	if err := sk.check(); err != nil {
		return key, fmt.Errorf("decapsulate: %w", err)
	}
	if err := c.check(); err != nil {
		return key, fmt.Errorf("decapsulate: %w", err)
	}
	var shared r255.Element
	defer shared.Zero()
	shared.ScalarMult(&sk.s, &c.w)
	return deriveDEK(&shared, c), nil
}

// deriveDEK = SHA-256(DSTDEK || enc(shared) || capsule encoding). All three
// parts have fixed lengths, so the input is unambiguous; SHA-256 plays the
// paper's KDF (a random oracle). Binding the capsule encoding makes the DEK
// specific to this capsule.
func deriveDEK(shared *r255.Element, c *Capsule) [DEKSize]byte {
	var buf [len(DSTDEK) + pointSize + CapsuleSize]byte
	defer wipeBytes(buf[:])
	copy(buf[:], DSTDEK)
	shared.Encode(buf[len(DSTDEK):len(DSTDEK)])
	copy(buf[len(DSTDEK)+pointSize:], c.enc[:])
	return sha256.Sum256(buf[:])
}

// capsuleChallenge h = H(E || V) with DSTCapsule.
func capsuleChallenge(h *r255.Scalar, ev []byte) {
	hashToScalar(h, DSTCapsule, ev)
}

// check returns nil if c is a capsule from Encapsulate or ParseCapsule.
func (c *Capsule) check() error {
	if c == nil || !c.valid {
		return fmt.Errorf("capsule: not produced by Encapsulate or ParseCapsule: %w", ErrInvalidCapsule)
	}
	return nil
}

// Bytes returns the versioned encoding of c (CapsuleSize bytes).
func (c *Capsule) Bytes() []byte {
	out := make([]byte, CapsuleSize)
	copy(out, c.enc[:])
	return out
}

// Equal reports whether two capsules have the same encoding.
func (c *Capsule) Equal(o *Capsule) bool {
	if c == nil || o == nil {
		return c == o
	}
	return equalBytes(c.enc[:], o.enc[:])
}

// ParseCapsule decodes and checks a capsule: tag 'C', version 1, E and V
// canonical non-identity points, s a canonical scalar, and s·G = V + H(E,V)·E.
func ParseCapsule(b []byte) (*Capsule, error) {
	body, err := checkHeader(b, tagCapsule, CapsuleSize, "capsule")
	if err != nil {
		return nil, err
	}
	c := new(Capsule)
	if err := decodePoint(&c.e, body[:pointSize], "capsule point E"); err != nil {
		return nil, err
	}
	if err := decodePoint(&c.v, body[pointSize:2*pointSize], "capsule point V"); err != nil {
		return nil, err
	}
	if err := decodeScalar(&c.s, body[2*pointSize:], "capsule scalar s"); err != nil {
		return nil, err
	}
	c.w.Add(&c.e, &c.v)
	if isIdentity(&c.w) {
		return nil, fmt.Errorf("capsule: E + V is the identity (a capsule anyone could open): %w", ErrIdentity)
	}
	// Public data: variable time is fine. s·G - h·E must equal V.
	var h, negH r255.Scalar
	capsuleChallenge(&h, body[:2*pointSize])
	negH.Negate(&h)
	var chk r255.Element
	chk.VarTimeDoubleScalarBaseMult(&negH, &c.e, &c.s)
	if chk.Equal(&c.v) != 1 {
		return nil, fmt.Errorf("capsule: s·G ≠ V + H(E,V)·E: %w", ErrInvalidCapsule)
	}
	copy(c.enc[:], b)
	c.valid = true
	return c, nil
}
