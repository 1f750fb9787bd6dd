//go:build js && wasm

package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"testing"
)

// TestWebCryptoMatchesGo: in a JavaScript host, chunks opened, salts drawn
// and blocks hashed with WebCrypto are exactly Go's, and a tampered chunk, a wrong
// nonce or wrong associated data is refused as Go refuses it.
func TestWebCryptoMatchesGo(t *testing.T) {
	if !haveWebCrypto() {
		t.Skip("no crypto.subtle in this JavaScript host")
	}
	var key [32]byte
	rand.Read(key[:])
	g, err := goChunkAEAD(key[:])
	if err != nil {
		t.Fatal(err)
	}
	w, err := newChunkAEAD(key[:])
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := w.(*webGCM); !ok {
		t.Fatalf("newChunkAEAD gave %T, want WebCrypto's", w)
	}
	nonce, ad := make([]byte, 12), []byte("associated")
	rand.Read(nonce)
	for _, n := range []int{1, 4096, 256 << 10} {
		pt := make([]byte, n)
		rand.Read(pt)
		ct := g.Seal(nil, nonce, pt, ad)
		got, err := w.Open([]byte("prefix"), nonce, ct, ad)
		if err != nil || !bytes.Equal(got, append([]byte("prefix"), pt...)) {
			t.Fatalf("%d bytes: WebCrypto opened %d bytes, %v", n, len(got), err)
		}
		bad := bytes.Clone(ct)
		bad[n/2] ^= 1
		if _, err := w.Open(nil, nonce, bad, ad); err == nil {
			t.Fatalf("%d bytes: a flipped bit was opened", n)
		}
		if _, err := w.Open(nil, nonce, ct, []byte("other")); err == nil {
			t.Fatalf("%d bytes: opened under other associated data", n)
		}
		wrong := bytes.Clone(nonce)
		wrong[0] ^= 1
		if _, err := w.Open(nil, wrong, ct, ad); err == nil {
			t.Fatalf("%d bytes: opened under another nonce", n)
		}
	}
	for _, n := range []int{100, webDigestMin, 256 << 10} {
		b := make([]byte, n)
		rand.Read(b)
		if got, err := blockSHA256(b); err != nil || got != sha256.Sum256(b) {
			t.Fatalf("%d bytes: SHA-256 %x, %v; want Go's", n, got, err)
		}
	}
	for _, n := range []int{32, 32 * 10000} {
		a, err := saltStream(&key, n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := goSaltStream(&key, n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("%d bytes of salt: WebCrypto's AES-CTR differs from Go's", n)
		}
	}
}

// TestOpenBatchWithWebCrypto: a batch sealed by Go opens through the
// WebCrypto path with every reading and the Merkle root intact, and a
// wrong key is reported as an integrity failure.
func TestOpenBatchWithWebCrypto(t *testing.T) {
	if !haveWebCrypto() {
		t.Skip("no crypto.subtle in this JavaScript host")
	}
	p := testParams(t, 1)
	p.ChunkSize = MinChunkSize
	rs := testReadings(3000, "")
	sb, ob := sealInMemory(t, p, rs)
	if len(ob.Readings) != len(rs) || ob.Readings[len(rs)-1] != rs[len(rs)-1] {
		t.Fatalf("opened %d readings", len(ob.Readings))
	}
	// A wrong DEK: the first chunk does not authenticate.
	d := *p.DEK
	d[0] ^= 1
	var ie *IntegrityError
	if _, err := OpenBatch(context.Background(), sb.Getter(), sb.Root, &d); !errors.As(err, &ie) {
		t.Fatalf("a wrong key: %v, want an integrity error", err)
	}
}
