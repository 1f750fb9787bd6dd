package reencrypt

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	r255 "github.com/gtank/ristretto255"
)

// flips yields, for every byte position, the encoding with that byte XORed
// with each mask (a single low bit and all bits).
func flips(b []byte, fn func(pos int, mask byte, tampered []byte)) {
	for pos := range b {
		for _, mask := range []byte{0x01, 0xff} {
			t := bytes.Clone(b)
			t[pos] ^= mask
			fn(pos, mask, t)
		}
	}
}

func TestTamperedCapsuleRejected(t *testing.T) {
	f := newFixture(t, nil, 1, 1)
	flips(f.capsule.Bytes(), func(pos int, mask byte, b []byte) {
		if _, err := ParseCapsule(b); err == nil {
			t.Errorf("capsule with byte %d ^ %#x accepted", pos, mask)
		}
	})
}

func TestTamperedKFragRejected(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	flips(f.kfrags[0].Bytes(), func(pos int, mask byte, b []byte) {
		kf, err := ParseKFrag(b)
		if err != nil {
			return
		}
		if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); err == nil {
			t.Errorf("kfrag with byte %d ^ %#x verified", pos, mask)
		}
	})
}

func TestTamperedCFragRejected(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	cf, err := ReEncrypt(rand.Reader, f.capsule, f.kfrags[0], f.req)
	if err != nil {
		t.Fatal(err)
	}
	f.verify(t, cf)
	flips(cf.Bytes(), func(pos int, mask byte, b []byte) {
		p, err := ParseCFrag(b)
		if err != nil {
			return
		}
		if err := p.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); err == nil {
			t.Errorf("cfrag with byte %d ^ %#x verified", pos, mask)
		}
	})
}

func TestTamperedPublicKeyRejectedOrDifferent(t *testing.T) {
	f := newFixture(t, nil, 1, 1)
	flips(f.alice.pk.Bytes(), func(pos int, mask byte, b []byte) {
		pk, err := ParsePublicKey(b)
		if err == nil && pk.Equal(f.alice.pk) {
			t.Errorf("public key with byte %d ^ %#x parsed to the same key", pos, mask)
		}
	})
}

// identityEnc and nonCanonicalEnc are ristretto255 encodings every decoder
// must refuse: the identity, a value ≥ p, and a "negative" field element.
var (
	identityEnc = make([]byte, 32)
	// p = 2^255 - 19 itself: not reduced.
	nonCanonicalP = append([]byte{0xed}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...)
	// 1 is odd, i.e. negative in the ristretto sense: never a valid encoding.
	negativeEnc = append([]byte{0x01}, make([]byte, 31)...)
	// the group order l: a non-canonical scalar.
	scalarL = []byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}
)

func TestDecodersRejectBadPointsAndScalars(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	cf, err := ReEncrypt(rand.Reader, f.capsule, f.kfrags[0], f.req)
	if err != nil {
		t.Fatal(err)
	}
	type field struct {
		name   string
		enc    []byte
		offset int
		scalar bool
		parse  func([]byte) error
	}
	parsePK := func(b []byte) error { _, err := ParsePublicKey(b); return err }
	parseC := func(b []byte) error { _, err := ParseCapsule(b); return err }
	parseK := func(b []byte) error { _, err := ParseKFrag(b); return err }
	parseF := func(b []byte) error { _, err := ParseCFrag(b); return err }
	pk, cb, kb, fb := f.alice.pk.Bytes(), f.capsule.Bytes(), f.kfrags[0].Bytes(), cf.Bytes()
	h := headerSize
	fields := []field{
		{"public key point", pk, h, false, parsePK},
		{"capsule point E", cb, h, false, parseC},
		{"capsule point V", cb, h + 32, false, parseC},
		{"capsule scalar s", cb, h + 64, true, parseC},
		{"kfrag share rk", kb, h + 32, true, parseK},
		{"kfrag precursor X_A", kb, h + 64, false, parseK},
		{"kfrag commitment U1", kb, h + 96, false, parseK},
		{"kfrag delegating key", kb, h + 128, false, parseK},
		{"kfrag receiving key", kb, h + 160, false, parseK},
		{"cfrag point E1", fb, h, false, parseF},
		{"cfrag point V1", fb, h + 32, false, parseF},
		{"cfrag precursor X_A", fb, h + 96, false, parseF},
		{"cfrag commitment U1", fb, h + 128, false, parseF},
		{"cfrag proof challenge c", fb, cfragProofOffset, true, parseF},
		{"cfrag proof response z", fb, cfragProofOffset + 32, true, parseF},
	}
	for _, fd := range fields {
		var bad map[string][]byte
		if fd.scalar {
			bad = map[string][]byte{"non-canonical": scalarL}
		} else {
			bad = map[string][]byte{"identity": identityEnc, "non-canonical": nonCanonicalP, "negative": negativeEnc}
		}
		for kind, val := range bad {
			b := bytes.Clone(fd.enc)
			copy(b[fd.offset:], val)
			err := fd.parse(b)
			if err == nil {
				t.Errorf("%s: %s value accepted", fd.name, kind)
				continue
			}
			want := ErrNonCanonical
			if kind == "identity" {
				want = ErrIdentity
			}
			if !errors.Is(err, want) {
				t.Errorf("%s: %s value: got %v, want %v", fd.name, kind, err, want)
			}
			if !bytes.Contains([]byte(err.Error()), []byte(fd.name)) {
				t.Errorf("%s: error %q does not name the field", fd.name, err)
			}
		}
	}
	// Lengths, trailing bytes, tags and versions, for every encoding.
	for name, tc := range map[string]struct {
		enc   []byte
		parse func([]byte) error
	}{"public key": {pk, parsePK}, "capsule": {cb, parseC}, "kfrag": {kb, parseK}, "cfrag": {fb, parseF}} {
		if err := tc.parse(tc.enc); err != nil {
			t.Fatalf("%s: valid encoding refused: %v", name, err)
		}
		if err := tc.parse(tc.enc[:len(tc.enc)-1]); !errors.Is(err, ErrLength) {
			t.Errorf("%s: truncated: %v", name, err)
		}
		if err := tc.parse(nil); !errors.Is(err, ErrLength) {
			t.Errorf("%s: empty: %v", name, err)
		}
		if err := tc.parse(append(bytes.Clone(tc.enc), 0)); !errors.Is(err, ErrTrailing) {
			t.Errorf("%s: trailing byte: %v", name, err)
		}
		for _, pos := range []int{0, 1} {
			b := bytes.Clone(tc.enc)
			b[pos]++
			if err := tc.parse(b); !errors.Is(err, ErrVersion) {
				t.Errorf("%s: header byte %d changed: %v", name, pos, err)
			}
		}
	}
	// Encodings of one type are refused as another.
	if _, err := ParseCFrag(append(bytes.Clone(kb[:2]), fb[2:]...)); !errors.Is(err, ErrVersion) {
		t.Errorf("cfrag with kfrag tag: %v", err)
	}
}

func TestSecretKeyFromBytesRejectsOrderAndLength(t *testing.T) {
	if _, err := SecretKeyFromBytes(scalarL); !errors.Is(err, ErrNonCanonical) {
		t.Fatalf("scalar = group order accepted: %v", err)
	}
	if _, err := SecretKeyFromBytes(make([]byte, 33)); !errors.Is(err, ErrLength) {
		t.Fatalf("33-byte key: %v", err)
	}
}

// A capsule with V = −E passes the Schnorr-style check if its maker wants it
// to, but E + V = 0 would give a DEK anyone can compute: refused.
func TestCapsuleWithZeroSumRefused(t *testing.T) {
	var r, u, h, s r255.Scalar
	if err := randomNonZeroScalar(rand.Reader, &r); err != nil {
		t.Fatal(err)
	}
	u.Negate(&r)
	var e, v r255.Element
	e.ScalarBaseMult(&r)
	v.ScalarBaseMult(&u)
	b := []byte{tagCapsule, version1}
	b = e.Encode(b)
	b = v.Encode(b)
	capsuleChallenge(&h, b[headerSize:])
	s.Multiply(&r, &h).Add(&s, &u)
	b = s.Encode(b)
	if _, err := ParseCapsule(b); !errors.Is(err, ErrIdentity) {
		t.Fatalf("capsule with E + V = 0: %v", err)
	}
	// The same construction with u ≠ −r is accepted (the test builds capsules right).
	randomNonZeroScalar(rand.Reader, &u)
	v.ScalarBaseMult(&u)
	b = []byte{tagCapsule, version1}
	b = e.Encode(b)
	b = v.Encode(b)
	capsuleChallenge(&h, b[headerSize:])
	s.Multiply(&r, &h).Add(&s, &u)
	b = s.Encode(b)
	if _, err := ParseCapsule(b); err != nil {
		t.Fatalf("hand-built valid capsule refused: %v", err)
	}
}
