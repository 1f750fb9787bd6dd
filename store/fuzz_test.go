package store

import (
	"bytes"
	"testing"
)

// Every decoder of untrusted bytes: root nodes (with headers), readings,
// Merkle proofs and CAR files. None may panic; whatever decodes must
// re-encode to the same bytes (canonical forms).

func FuzzDecodeRoot(f *testing.F) {
	sb, err := Seal(testParams(f, 1), testReadings(3, ""))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sb.Blocks[len(sb.Blocks)-1].RawData())
	hb, _ := sb.Header.MarshalBinary()
	f.Add(hb)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, links, err := DecodeRoot(b)
		if err != nil {
			return
		}
		if len(links) != int(h.ChunkCount) {
			t.Fatalf("decoded %d links for %d chunks", len(links), h.ChunkCount)
		}
		enc, err := h.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded header does not re-encode: %v", err)
		}
		h2, err := UnmarshalHeader(enc)
		if err != nil || !bytes.Equal(h2.Capsule, h.Capsule) || h2.Seq != h.Seq || h2.MerkleRoot != h.MerkleRoot {
			t.Fatalf("header round trip: %v", err)
		}
	})
}

func FuzzUnmarshalHeader(f *testing.F) {
	sb, _ := Seal(testParams(f, 1), testReadings(3, ""))
	hb, _ := sb.Header.MarshalBinary()
	f.Add(hb)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := UnmarshalHeader(b)
		if err != nil {
			return
		}
		enc, err := h.MarshalBinary()
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("header is not canonical: %v", err)
		}
	})
}

func FuzzDecodeReading(f *testing.F) {
	for i, r := range testReadings(3, "x") {
		b, _ := EncodeReading(&r)
		f.Add(b)
		r.Extra = `{"identifier":[{"value":"` + string(rune('a'+i)) + `"}]}` // format 2
		b, _ = EncodeReading(&r)
		f.Add(b)
	}
	f.Add([]byte{readingV2Marker, readingV2Version})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, n, err := DecodeReading(b)
		if err != nil {
			return
		}
		enc, err := EncodeReading(&r)
		if err != nil {
			t.Fatalf("decoded reading does not encode: %v", err)
		}
		if !bytes.Equal(enc, b[:n]) {
			t.Fatalf("reading encoding is not canonical:\n%x\n%x", enc, b[:n])
		}
		// Decoding after another reading (OpenBatch shares its strings)
		// gives the same reading.
		prev := testReadings(1, "x")[0]
		r2, n2, err := decodeReading(b, &prev)
		if err != nil || n2 != n || r2 != r {
			t.Fatalf("decoded after another reading: %+v %d %v, want %+v %d", r2, n2, err, r, n)
		}
	})
}

func FuzzUnmarshalProof(f *testing.F) {
	p := &Proof{Index: 3, Count: 9, Path: make([][32]byte, 4)}
	b, _ := p.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := UnmarshalProof(b)
		if err != nil {
			return
		}
		enc, err := p.MarshalBinary()
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("proof is not canonical: %v", err)
		}
		_ = VerifyReading([32]byte{}, &testReadings(1, "")[0], p)
	})
}

func FuzzReadCAR(f *testing.F) {
	p := testParams(f, 1)
	p.ChunkSize = MinChunkSize
	sb, _ := Seal(p, testReadings(30, ""))
	var buf bytes.Buffer
	{
		s, err := Open(f.Context(), f.TempDir(), &Options{NoSync: true})
		if err != nil {
			f.Fatal(err)
		}
		if err := s.PutBatch(f.Context(), sb); err != nil {
			f.Fatal(err)
		}
		if err := s.ExportCAR(f.Context(), sb.Root, &buf); err != nil {
			f.Fatal(err)
		}
		s.Close()
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadCAR(bytes.NewReader(b))
		if err != nil {
			return
		}
		// Whatever is accepted is a complete, hash-verified batch.
		for _, bl := range got.Blocks {
			if err := verifyBlock(bl.Cid(), bl.RawData()); err != nil {
				t.Fatal(err)
			}
		}
		if !got.Blocks[len(got.Blocks)-1].Cid().Equals(got.Root) {
			t.Fatal("root block not last")
		}
	})
}
