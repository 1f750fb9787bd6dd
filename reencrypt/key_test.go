package reencrypt

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func TestEncapsulateDecapsulateRoundTrip(t *testing.T) {
	sk, err := GenerateSecretKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk := sk.PublicKey()
	c, key, err := Encapsulate(rand.Reader, pk)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := ParseCapsule(c.Bytes())
	if err != nil {
		t.Fatalf("parse own capsule: %v", err)
	}
	got, err := Decapsulate(sk, c2)
	if err != nil {
		t.Fatal(err)
	}
	if got != key {
		t.Fatal("decapsulated key differs from encapsulated key")
	}
	other, _ := GenerateSecretKey(rand.Reader)
	wrong, err := Decapsulate(other, c2)
	if err != nil {
		t.Fatal(err)
	}
	if wrong == key {
		t.Fatal("another secret key opened the capsule")
	}
}

func TestSecretKeyEncoding(t *testing.T) {
	sk, _ := GenerateSecretKey(rand.Reader)
	b := sk.Bytes()
	sk2, err := SecretKeyFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if !sk.Equal(sk2) || !sk.PublicKey().Equal(sk2.PublicKey()) {
		t.Fatal("secret key round trip changed the key")
	}
	if _, err := SecretKeyFromBytes(make([]byte, 32)); !errors.Is(err, ErrZeroScalar) {
		t.Fatalf("zero key: got %v", err)
	}
	if _, err := SecretKeyFromBytes(bytes.Repeat([]byte{0xff}, 32)); !errors.Is(err, ErrNonCanonical) {
		t.Fatalf("unreduced key: got %v", err)
	}
	if _, err := SecretKeyFromBytes(b[:31]); !errors.Is(err, ErrLength) {
		t.Fatalf("short key: got %v", err)
	}
	sk.Wipe()
	if !bytes.Equal(sk.Bytes(), make([]byte, 32)) {
		t.Fatal("Wipe left key material")
	}
}

func TestZeroValueAndWipedKeysRefused(t *testing.T) {
	if _, _, err := Encapsulate(rand.Reader, new(PublicKey)); !errors.Is(err, ErrIdentity) {
		t.Fatalf("encapsulate to zero-value public key: %v", err)
	}
	if _, _, err := Encapsulate(rand.Reader, nil); err == nil {
		t.Fatal("encapsulate to nil public key succeeded")
	}
	sk, _ := GenerateSecretKey(rand.Reader)
	c, _, err := Encapsulate(rand.Reader, sk.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	sk.Wipe()
	if _, err := Decapsulate(sk, c); !errors.Is(err, ErrZeroScalar) {
		t.Fatalf("decapsulate with wiped key: %v", err)
	}
	if sk.PublicKey() != nil {
		t.Fatal("wiped key still has a public key")
	}
	if _, err := Decapsulate(new(SecretKey), c); !errors.Is(err, ErrZeroScalar) {
		t.Fatalf("decapsulate with zero-value key: %v", err)
	}
	if _, err := Decapsulate(sk, new(Capsule)); err == nil {
		t.Fatal("zero-value capsule accepted")
	}
}

func TestGenerateSecretKeyReaderFailure(t *testing.T) {
	if _, err := GenerateSecretKey(bytes.NewReader(make([]byte, 10))); !errors.Is(err, ErrRandom) {
		t.Fatalf("short random source: %v", err)
	}
}
