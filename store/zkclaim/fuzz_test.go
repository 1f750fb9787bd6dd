package zkclaim

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Every decoder of this package: proofs and verifying keys (read from strangers), proving-key files (the
// custodian's own) and roots. None may panic or allocate what the input claims; whatever decodes must
// re-encode to the same bytes.

// The fuzz targets do no setup (a worker process would repeat it, coverage-instrumented, before its first
// input): valid encodings are in testdata/fuzz/<target>/, written by TestWriteFuzzSeeds. A valid proving key
// (hundreds of kilobytes even at capacity 2) is not among them; TestKeyFilesRoundTrip decodes real ones.

func FuzzUnmarshalProof(f *testing.F) {
	f.Add([]byte("VNZP\x01\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := UnmarshalProof(b)
		if err != nil {
			return
		}
		enc, err := p.MarshalBinary()
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("proof does not re-encode to its bytes: %v", err)
		}
	})
}

func FuzzUnmarshalVerifyingKey(f *testing.F) {
	f.Add([]byte("VNZV\x01\x02\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, b []byte) {
		vk, err := UnmarshalVerifyingKey(b)
		if err != nil {
			return
		}
		enc, err := vk.MarshalBinary()
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("verifying key does not re-encode to its bytes: %v", err)
		}
	})
}

func FuzzUnmarshalProvingKey(f *testing.F) {
	f.Add([]byte("VNZK\x01\x01\x00\x00\x00\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pk, err := UnmarshalProvingKey(b)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := pk.WriteTo(&out); err != nil {
			t.Fatalf("decoded proving key does not encode: %v", err)
		}
		if !bytes.Equal(out.Bytes(), b) {
			t.Fatal("proving key does not re-encode to its bytes")
		}
	})
}

func FuzzParseRoot(f *testing.F) {
	f.Add("1e0f2a8a71c7b0d1b8f2fe5a6e7a0a3e2b5c4d7e8f9a0b1c2d3e4f5a6b7c8d9e")
	f.Add("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001") // the field order: refused
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRoot(s)
		if err != nil {
			return
		}
		if r2, err := ParseRoot(r.String()); err != nil || r2 != r {
			t.Fatalf("root %q does not round-trip: %v", s, err)
		}
	})
}

// TestWriteFuzzSeeds writes valid encodings (from setups of capacity 2) as seed corpus entries of the fuzz
// targets; it runs with ZKCLAIM_WRITE_FUZZ_SEEDS=1 after an encoding changes.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("ZKCLAIM_WRITE_FUZZ_SEEDS") != "1" {
		t.Skip("set ZKCLAIM_WRITE_FUZZ_SEEDS=1 to rewrite testdata/fuzz seeds")
	}
	const capacity = 2
	rs := batch[:2] // 540, 610
	write := func(target, name string, value string) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("go test fuzz v1\n"+value+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, st := range []Statement{
		{Kind: KindExceeds, From: base, To: hour(1), Threshold: 600},
		{Kind: KindCount, From: base, To: hour(1), Threshold: 600, AtLeast: 1},
	} {
		pk, vk := testKeys(t, st.Kind, capacity)
		p, err := Prove(st.Kind, pk, testKey, rs, st)
		if err != nil {
			t.Fatal(err)
		}
		pb, _ := p.MarshalBinary()
		write("FuzzUnmarshalProof", st.Kind.String(), fmt.Sprintf("[]byte(%q)", pb))
		vb, _ := vk.MarshalBinary()
		write("FuzzUnmarshalVerifyingKey", st.Kind.String(), fmt.Sprintf("[]byte(%q)", vb))
		root, _ := CommitCapacity(testKey, rs, capacity)
		write("FuzzParseRoot", "root", fmt.Sprintf("string(%q)", root.String()))
	}
}
