package reencrypt

import (
	"bytes"
	"testing"
)

// Every decoder: never panics; whatever it accepts re-encodes to exactly the
// input (one encoding per value); a decoded fragment can be verified without
// panicking.

// canonical parses b; it reports whether parse accepted b and fails t when an
// accepted b does not re-encode to itself.
func canonical[T interface{ Bytes() []byte }](t *testing.T, b []byte, parse func([]byte) (T, error)) (T, bool) {
	t.Helper()
	v, err := parse(b)
	if err != nil {
		return v, false
	}
	if enc := v.Bytes(); !bytes.Equal(enc, b) {
		t.Fatalf("accepted %x but re-encodes to %x", b, enc)
	}
	return v, true
}

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
		canonical(t, b, ParsePublicKey)
	})
}

func FuzzSecretKeyFromBytes(f *testing.F) {
	fx, _ := fuzzFixture(f)
	f.Add(fx.alice.sk.Bytes())
	f.Add(scalarL)
	f.Fuzz(func(t *testing.T, b []byte) {
		sk, ok := canonical(t, b, SecretKeyFromBytes)
		if !ok {
			return
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
		c, ok := canonical(t, b, ParseCapsule)
		if !ok {
			return
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
		kf, ok := canonical(t, b, ParseKFrag)
		if !ok {
			return
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
		p, ok := canonical(t, b, ParseCFrag)
		if !ok {
			return
		}
		if err := p.Verify(fx.capsule, fx.signerPub, fx.alice.pk, fx.bob.pk, fx.binding, fx.req); err == nil && !bytes.Equal(b, cf.Bytes()) {
			// Only an honest re-encryption verifies; the fuzzer cannot produce one.
			t.Fatalf("a forged cfrag verified: %x", b)
		}
	})
}
