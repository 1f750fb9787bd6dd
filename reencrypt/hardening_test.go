package reencrypt

import (
	"bytes"
	"testing"

	r255 "github.com/gtank/ristretto255"
)

// repeatReader gives the same bytes on every read: a broken or replayed
// random source.
type repeatReader struct{ b byte }

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.b
	}
	return len(p), nil
}

// With a random source that repeats, two cfrags of one share for two
// requests must not let anyone solve for the share: τ must differ. With τ
// from the random source alone (it was), rk = (z1 − z2)/(c1 − c2).
func TestProofNonceHedgedAgainstRepeatedRandomness(t *testing.T) {
	f := newFixture(t, seededRand("hedged nonce"), 1, 1)
	kf := f.kfrags[0]
	cf1, err := ReEncrypt(repeatReader{7}, f.capsule, kf, testRequest("request-1"))
	if err != nil {
		t.Fatal(err)
	}
	cf2, err := ReEncrypt(repeatReader{7}, f.capsule, kf, testRequest("request-2"))
	if err != nil {
		t.Fatal(err)
	}
	var dz, dc, inv, recovered r255.Scalar
	dz.Subtract(&cf1.z, &cf2.z)
	dc.Subtract(&cf1.c, &cf2.c)
	inv.Invert(&dc)
	recovered.Multiply(&dz, &inv)
	if recovered.Equal(&kf.rk) == 1 {
		t.Fatal("two proofs made with a repeated random source give away the proxy's share")
	}
	// The same inputs and the same randomness still give one cfrag (the
	// nonce is a function of them), and it verifies.
	again, err := ReEncrypt(repeatReader{7}, f.capsule, kf, testRequest("request-1"))
	if err != nil || !bytes.Equal(again.Bytes(), cf1.Bytes()) {
		t.Fatalf("same inputs, same randomness: %v", err)
	}
	if err := cf1.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, testRequest("request-1")); err != nil {
		t.Fatal(err)
	}
}
