package reencrypt

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/cloudflare/circl/group"
	r255 "github.com/gtank/ristretto255"
)

// The group backend (gtank/ristretto255) and circl's group.Ristretto255 are
// both RFC 9496 ristretto255: the same encodings, the same hash-to-scalar and
// hash-to-element (RFC 9380), the same arithmetic. This pins that down so the
// construction is exactly "ristretto255 as in circl".
func TestBackendAgreesWithCircl(t *testing.T) {
	g := group.Ristretto255
	for i := 0; i < 16; i++ {
		msg := make([]byte, i*7)
		rand.Read(msg)

		var s r255.Scalar
		hashToScalar(&s, DSTCFragProof, msg)
		want, _ := g.HashToScalar(msg, []byte(DSTCFragProof)).MarshalBinary()
		if got := s.Encode(nil); !bytes.Equal(got, want) {
			t.Fatalf("hash to scalar: ours %x, circl %x", got, want)
		}

		e := hashToElement(DSTGeneratorU, msg)
		wantE, _ := g.HashToElement(msg, []byte(DSTGeneratorU)).MarshalBinary()
		if got := e.Encode(nil); !bytes.Equal(got, wantE) {
			t.Fatalf("hash to element: ours %x, circl %x", got, wantE)
		}

		// s·G and s·E agree, and circl decodes our encodings.
		var p r255.Element
		p.ScalarBaseMult(&s)
		cs := g.NewScalar()
		if err := cs.UnmarshalBinary(s.Encode(nil)); err != nil {
			t.Fatal(err)
		}
		wantP, _ := g.NewElement().MulGen(cs).MarshalBinary()
		if got := p.Encode(nil); !bytes.Equal(got, wantP) {
			t.Fatalf("s·G: ours %x, circl %x", got, wantP)
		}
		var q r255.Element
		q.ScalarMult(&s, e)
		ce := g.NewElement()
		if err := ce.UnmarshalBinary(e.Encode(nil)); err != nil {
			t.Fatal(err)
		}
		wantQ, _ := g.NewElement().Mul(ce, cs).MarshalBinary()
		if got := q.Encode(nil); !bytes.Equal(got, wantQ) {
			t.Fatalf("s·E: ours %x, circl %x", got, wantQ)
		}
	}
	// circl refuses the same non-canonical encodings we refuse.
	for _, bad := range [][]byte{nonCanonicalP, negativeEnc} {
		if err := g.NewElement().UnmarshalBinary(bad); err == nil {
			t.Fatalf("circl accepts %x, which we refuse", bad)
		}
	}
}
