package p2p

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
)

func sampleRequest(t testing.TB) (*ReencryptRequest, []byte) {
	t.Helper()
	g, err := GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sk, _ := reencrypt.GenerateSecretKey(rand.Reader)
	c, _, _ := reencrypt.Encapsulate(rand.Reader, sk.PublicKey())
	req := &ReencryptRequest{Capsule: c, Delegating: sk.PublicKey(), Grantee: g.Public(), Purpose: "TREAT", Expires: time.Unix(1_900_000_000, 0)}
	req.Sign(g.Sign)
	b, err := req.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return req, b
}

func TestRequestRoundTripAndStrictness(t *testing.T) {
	req, b := sampleRequest(t)
	got, err := ParseReencryptRequest(b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.VerifySignature() || got.Binding() != req.Binding() {
		t.Fatal("decoded request differs")
	}
	// Every single-byte change is either rejected by the decoder or breaks
	// the signature.
	for i := range b {
		mut := bytes.Clone(b)
		mut[i] ^= 0x01
		r, err := ParseReencryptRequest(mut)
		if err == nil && r.VerifySignature() {
			t.Fatalf("byte %d flipped: still a valid request", i)
		}
	}
	for _, bad := range [][]byte{nil, b[:len(b)-1], append(bytes.Clone(b), 0)} {
		if _, err := ParseReencryptRequest(bad); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%d bytes: got %v, want ErrMalformed", len(bad), err)
		}
	}
}

func TestAccessLogTamperAndTornTail(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	l, err := OpenAccessLog(dir, [32]byte{1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if err := l.Append(ctx, AccessEntry{Time: time.Now(), Purpose: "TREAT", Outcome: Granted}); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	path := filepath.Join(dir, accessLogName)
	raw, _ := os.ReadFile(path)

	// A torn last record (crash mid-append) is cut, the rest kept.
	if err := os.WriteFile(path, raw[:len(raw)-10], 0o600); err != nil {
		t.Fatal(err)
	}
	l, err = OpenAccessLog(dir, [32]byte{1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 3 {
		t.Fatalf("after a torn tail: %d entries, want 3", l.Len())
	}
	if err := l.Append(ctx, AccessEntry{Time: time.Now(), Purpose: "TREAT"}); err != nil {
		t.Fatal(err)
	}
	l.Close()

	// Editing an entry in place breaks the chain.
	raw, _ = os.ReadFile(path)
	edited := bytes.Clone(raw)
	edited[4+2+8+8] ^= 0xff // first record's grantee hash
	os.WriteFile(path, edited, 0o600)
	if _, err := OpenAccessLog(dir, [32]byte{1}, nil); !errors.Is(err, ErrLogTampered) {
		t.Fatalf("edited log opened: %v", err)
	}
	// Removing an entry from the middle breaks it too.
	first := 4 + int(binary.BigEndian.Uint32(raw))
	removed := append(bytes.Clone(raw[:0]), raw[first:]...)
	os.WriteFile(path, removed, 0o600)
	if _, err := OpenAccessLog(dir, [32]byte{1}, nil); !errors.Is(err, ErrLogTampered) {
		t.Fatalf("log with an entry removed opened: %v", err)
	}
}

func TestKFragSealing(t *testing.T) {
	pk, _ := GenerateProxyKey(rand.Reader)
	other, _ := GenerateProxyKey(rand.Reader)
	grant := [32]byte{7}
	secret := []byte("kfrag bytes")
	sealed, err := SealKFrag(rand.Reader, pk.PublicBytes(), grant, secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Fatal("sealed kfrag contains the plaintext")
	}
	got, err := pk.OpenKFrag(grant, nil, sealed)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := other.OpenKFrag(grant, nil, sealed); err == nil {
		t.Fatal("another proxy opened the kfrag")
	}
	if _, err := pk.OpenKFrag([32]byte{8}, nil, sealed); err == nil {
		t.Fatal("kfrag opened for another grant")
	}
	// The purposes are bound: a kfrag sealed for TREAT does not open as
	// unrestricted or for other purposes.
	treat, err := SealKFragFor(rand.Reader, pk.PublicBytes(), grant, []string{"TREAT"}, secret)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := pk.OpenKFrag(grant, []string{"TREAT"}, treat); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open with its purposes: %v", err)
	}
	for _, ps := range [][]string{nil, {"HPAYMT"}, {"TREAT", "HPAYMT"}} {
		if _, err := pk.OpenKFrag(grant, ps, treat); err == nil {
			t.Fatalf("a kfrag sealed for TREAT opened with purposes %v", ps)
		}
	}
}

func TestStoredKFragRecord(t *testing.T) {
	kf := bytes.Repeat([]byte{7}, reencrypt.KFragSize)
	kf2 := bytes.Repeat([]byte{8}, reencrypt.KFragSize)
	for _, ps := range [][]string{nil, {"TREAT"}, {"TREAT", "ETREAT", "HPAYMT"}} {
		rec, err := EncodeStoredKFrags(ps, [][]byte{kf, kf2})
		if err != nil {
			t.Fatal(err)
		}
		got, kbs, err := DecodeStoredKFrags(rec)
		if err != nil || len(kbs) != 2 || !bytes.Equal(kbs[0], kf) || !bytes.Equal(kbs[1], kf2) || !slices.Equal(got, ps) {
			t.Fatalf("round trip of %v: %v %d kfrags %v", ps, got, len(kbs), err)
		}
	}
	// A record written before key epochs (version 1, one kfrag) still reads.
	v1 := append([]byte{storedKFragTag, 1, 1, 5}, "TREAT"...)
	if ps, kbs, err := DecodeStoredKFrags(append(v1, kf...)); err != nil || len(kbs) != 1 || !slices.Equal(ps, []string{"TREAT"}) {
		t.Fatalf("version-1 record: %v %d %v", ps, len(kbs), err)
	}
	if _, _, err := DecodeStoredKFrags(append(append(v1, kf...), kf2...)); err == nil {
		t.Error("a version-1 record with two kfrags decoded")
	}
	for _, bad := range [][]string{{""}, {strings.Repeat("x", MaxPurposeLen+1)}, make([]string, MaxPurposes+1)} {
		if _, err := EncodeStoredKFrags(bad, [][]byte{kf}); err == nil {
			t.Errorf("purposes %q accepted", bad)
		}
	}
	if _, err := EncodeStoredKFrags(nil, [][]byte{[]byte("short")}); err == nil {
		t.Error("a kfrag of the wrong size was stored")
	}
	if _, err := EncodeStoredKFrags(nil, nil); err == nil {
		t.Error("a record without kfrags was encoded")
	}
	if _, _, err := DecodeStoredKFrags([]byte("kfrag without a record header")); err == nil {
		t.Error("a raw kfrag decoded as a record")
	}
}

func FuzzParseReencryptRequest(f *testing.F) {
	_, b := sampleRequest(f)
	f.Add(b)
	f.Add([]byte("Q\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseReencryptRequest(b)
		if err != nil {
			return
		}
		out, err := r.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("accepted encoding does not round-trip")
		}
	})
}

func FuzzParseReencryptResponse(f *testing.F) {
	ok := &ReencryptResponse{Outcome: RefusedRevoked, Message: "grant revoked"}
	b, _ := ok.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseReencryptResponse(b)
		if err != nil {
			return
		}
		out, err := r.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("accepted encoding does not round-trip")
		}
	})
}

func FuzzDecodeAccessRecord(f *testing.F) {
	e := LoggedAccess{AccessEntry: AccessEntry{Time: time.Unix(5, 0).UTC(), Purpose: "TREAT", Outcome: RefusedReplay}, Index: 3}
	f.Add(encodeAccessRecord(&e))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeAccessRecord(b)
		if err != nil {
			return
		}
		if !bytes.Equal(encodeAccessRecord(&e), b) {
			t.Fatalf("accepted record does not round-trip")
		}
	})
}

func FuzzKFragDelivery(f *testing.F) {
	pk, _ := GenerateProxyKey(rand.Reader)
	sealed, _ := SealKFragFor(rand.Reader, pk.PublicBytes(), [32]byte{1}, []string{"TREAT"}, []byte("x"))
	msg, _ := encodeDelivery([32]byte{1}, [32]byte{2}, []string{"TREAT"}, sealed)
	f.Add(msg)
	f.Fuzz(func(t *testing.T, b []byte) {
		grant, stream, purposes, sealed, err := decodeDelivery(b)
		if err != nil {
			return
		}
		again, err := encodeDelivery(grant, stream, purposes, sealed)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("delivery does not re-encode to its bytes: %v", err)
		}
		_, _ = pk.OpenKFrag(grant, purposes, sealed) // must not panic
	})
}

func FuzzDecodeStoredKFrag(f *testing.F) {
	rec, _ := EncodeStoredKFrags([]string{"TREAT", "ETREAT"}, [][]byte{make([]byte, reencrypt.KFragSize)})
	f.Add(rec)
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, kbs, err := DecodeStoredKFrags(b)
		if err != nil {
			return
		}
		again, err := EncodeStoredKFrags(ps, kbs)
		if err == nil && b[1] == 1 { // version 1 re-encodes as version 2
			again[1] = 1
		}
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("stored kfrag does not re-encode to its bytes: %v", err)
		}
	})
}

func FuzzParseGranteeKey(f *testing.F) {
	g, _ := GenerateGrantee(rand.Reader)
	f.Add(g.Public().Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseGranteeKey(b)
		if err != nil {
			return
		}
		if !bytes.Equal(k.Bytes(), b) {
			t.Fatal("accepted key does not round-trip")
		}
	})
}
