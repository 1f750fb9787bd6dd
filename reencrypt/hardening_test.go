package reencrypt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
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

// forgeKFrags is the review's forgery: kfrags for pkA → pkB made by someone
// who does not know pkA's secret, signed by a signer the grantee accepts.
// Every share is the same k, so any M of them combine to k, and the forger
// knows d (it chose the precursor): it can predict the key the grantee
// would compute, k·d·(E+V).
func forgeKFrags(t *testing.T, pkA, pkB *PublicKey, signer ed25519.PrivateKey, m, n int, b KFragBinding) ([]*KFrag, *r255.Scalar, *r255.Scalar) {
	t.Helper()
	var k, xA, d r255.Scalar
	if err := randomNonZeroScalar(rand.Reader, &k); err != nil {
		t.Fatal(err)
	}
	if err := randomNonZeroScalar(rand.Reader, &xA); err != nil {
		t.Fatal(err)
	}
	var precursor, dh r255.Element
	precursor.ScalarBaseMult(&xA)
	var precursorEnc [pointSize]byte
	precursor.Encode(precursorEnc[:0])
	dh.ScalarMult(&xA, &pkB.p)
	dhFactor(&d, precursorEnc[:], pkB, &dh)
	var out []*KFrag
	for i := 0; i < n; i++ {
		kf := &KFrag{delegating: pkA, receiving: pkB, threshold: uint8(m), shares: uint8(n), binding: truncateBinding(b), precursor: precursor, rk: k}
		kf.precursorEnc = precursorEnc
		if _, err := rand.Read(kf.id[:]); err != nil {
			t.Fatal(err)
		}
		kf.commitment.ScalarMult(&k, generatorU)
		kf.commitment.Encode(kf.commitmentEnc[:0])
		copy(kf.sig[:], ed25519.Sign(signer, kf.signedMessage()))
		kf.verified.Store(true)
		out = append(out, kf)
	}
	return out, &k, &d
}

// Kfrags forged without the delegating secret pass every signature and
// proof check (the signer is one the grantee accepts), but the combined
// cfrags do not open the capsule for the delegating key: decapsulation
// refuses instead of returning the key the forger predicted.
func TestForgedDelegationRefused(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	forged, k, d := forgeKFrags(t, f.alice.pk, f.bob.pk, f.signer, 2, 3, f.binding)
	var cfs []*CFrag
	for _, kf := range forged {
		if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); err != nil {
			t.Fatalf("the forged kfrag does not even pass Verify (the test proves nothing): %v", err)
		}
		cf, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req)
		if err != nil {
			t.Fatal(err)
		}
		if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); err != nil {
			t.Fatalf("the forged cfrag does not verify (the test proves nothing): %v", err)
		}
		cfs = append(cfs, cf)
	}
	// What the forger predicts the grantee would compute.
	var kd r255.Scalar
	kd.Multiply(k, d)
	var predicted r255.Element
	predicted.ScalarMult(&kd, &f.capsule.w)
	forgedDEK := deriveDEK(&predicted, f.capsule)
	dek, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, cfs[:2])
	if err == nil {
		if dek == forgedDEK {
			t.Fatal("a forged delegation yields the DEK the forger predicted")
		}
		t.Fatal("a forged delegation was accepted")
	}
	if !errors.Is(err, ErrDelegation) {
		t.Fatalf("forged delegation refused for another reason: %v", err)
	}
	// The honest delegation still opens it.
	got, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, f.cfrags(t)[:2])
	if err != nil || got != f.dek {
		t.Fatalf("honest delegation: %v", err)
	}
}

// The verified mark covers the signer and the grant too: cfrags checked
// under different signers or grant bindings are not combined, even when
// their capsule and keys agree.
func TestVerifiedMarkCoversSignerAndGrant(t *testing.T) {
	f := newFixture(t, nil, 2, 2)
	cfs := f.cfrags(t)
	if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, cfs); err != nil {
		t.Fatal(err)
	}
	v := *cfs[1].verified.Load()
	v.grant[0] ^= 1 // as if verified under another signer or grant
	cfs[1].verified.Store(&v)
	if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, cfs); !errors.Is(err, ErrMixedCFrags) {
		t.Fatalf("cfrags verified under different grants combined: %v", err)
	}
}
