package reencrypt

import (
	"bytes"
	"testing"
)

// Every decoder: never panics; whatever it accepts re-encodes to exactly the
// input (one encoding per value); a decoded fragment can be verified without
// panicking.

func fuzzFixture(f *testing.F) (*fixture, *CFrag) {
	fx := newFixture(f, seededRand("vaultnode/reencrypt fuzz fixture"), 2, 3)
	cf, err := ReEncrypt(seededRand("fuzz tau"), fx.capsule, fx.kfrags[0], fx.req)
	if err != nil {
		f.Fatal(err)
	}
	return fx, cf
}

func FuzzParsePublicKey(f *testing.F) {
	fx, _ := fuzzFixture(f)
	f.Add(fx.alice.pk.Bytes())
	f.Add(append([]byte{tagPublicKey, version1}, identityEnc...))
	f.Fuzz(func(t *testing.T, b []byte) {
		pk, err := ParsePublicKey(b)
		if err != nil {
			return
		}
		if !bytes.Equal(pk.Bytes(), b) {
			t.Fatalf("accepted %x but re-encodes to %x", b, pk.Bytes())
		}
	})
}

func FuzzSecretKeyFromBytes(f *testing.F) {
	fx, _ := fuzzFixture(f)
	f.Add(fx.alice.sk.Bytes())
	f.Add(scalarL)
	f.Fuzz(func(t *testing.T, b []byte) {
		sk, err := SecretKeyFromBytes(b)
		if err != nil {
			return
		}
		if !bytes.Equal(sk.Bytes(), b) {
			t.Fatalf("accepted %x but re-encodes to %x", b, sk.Bytes())
		}
		if sk.PublicKey() == nil {
			t.Fatal("accepted key has no public key")
		}
	})
}

func FuzzParseCapsule(f *testing.F) {
	fx, _ := fuzzFixture(f)
	f.Add(fx.capsule.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCapsule(b)
		if err != nil {
			return
		}
		if !bytes.Equal(c.Bytes(), b) {
			t.Fatalf("accepted %x but re-encodes to %x", b, c.Bytes())
		}
		if _, err := Decapsulate(fx.alice.sk, c); err != nil {
			t.Fatalf("accepted capsule cannot be decapsulated: %v", err)
		}
	})
}

func FuzzParseKFrag(f *testing.F) {
	fx, _ := fuzzFixture(f)
	f.Add(fx.kfrags[0].Bytes())
	f.Add(fx.kfrags[2].Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		kf, err := ParseKFrag(b)
		if err != nil {
			return
		}
		if !bytes.Equal(kf.Bytes(), b) {
			t.Fatalf("accepted %x but re-encodes to %x", b, kf.Bytes())
		}
		if err := kf.Verify(fx.signerPub, fx.alice.pk, fx.bob.pk, fx.binding); err == nil && !bytes.Equal(b, fx.kfrags[0].Bytes()) &&
			!bytes.Equal(b, fx.kfrags[1].Bytes()) && !bytes.Equal(b, fx.kfrags[2].Bytes()) {
			t.Fatalf("a kfrag that was never signed verified: %x", b)
		}
	})
}

func FuzzParseCFrag(f *testing.F) {
	fx, cf := fuzzFixture(f)
	f.Add(cf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseCFrag(b)
		if err != nil {
			return
		}
		if !bytes.Equal(p.Bytes(), b) {
			t.Fatalf("accepted %x but re-encodes to %x", b, p.Bytes())
		}
		if err := p.Verify(fx.capsule, fx.signerPub, fx.alice.pk, fx.bob.pk, fx.binding, fx.req); err == nil && !bytes.Equal(b, cf.Bytes()) {
			// Only an honest re-encryption verifies; the fuzzer cannot produce one.
			t.Fatalf("a forged cfrag verified: %x", b)
		}
	})
}
