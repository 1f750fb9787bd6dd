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
