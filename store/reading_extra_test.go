package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"testing"
)

// A reading's Extra (a FHIR Observation's identifier, interpretation and
// referenceRange, kept by the node) goes through sealing and opening, and is
// covered by the Merkle root; readings without one keep format 1, so batches
// written before format 2 existed still open.
func TestReadingExtraSealedAndOpened(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	rs := testReadings(4, "")
	rs[1].Extra = `{"identifier":[{"system":"urn:example:obs","value":"cgm-1-0800"}]}`
	rs[3].Extra = `{"referenceRange":[{"low":{"value":3.9}}]}`
	p := testParams(t, 1)
	sb, err := Seal(p, rs)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutBatch(ctx, sb); err != nil {
		t.Fatal(err)
	}
	ob, err := s.Open(ctx, sb.Root, p.DEK)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		if ob.Readings[i] != rs[i] {
			t.Fatalf("reading %d: %+v, want %+v", i, ob.Readings[i], rs[i])
		}
		pr, err := ob.Proof(i)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyReading(sb.Header.MerkleRoot, &rs[i], pr); err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
	}
	if err := ob.VerifyAll(sb.Header.MerkleRoot); err != nil {
		t.Fatal(err)
	}
	// The Extra is committed: another one fails the proof.
	alt := rs[1]
	alt.Extra = `{"identifier":[{"system":"urn:example:obs","value":"cgm-1-0805"}]}`
	pr, _ := ob.Proof(1)
	if err := VerifyReading(sb.Header.MerkleRoot, &alt, pr); !errors.Is(err, ErrProof) {
		t.Fatalf("a changed extra verified: %v", err)
	}
}

// Format 1 bytes (as written before format 2) decode unchanged, with no
// Extra; format 2 is refused when it is not canonical.
func TestReadingFormats(t *testing.T) {
	// testReadings(1, "")[0] encoded by the format-1 encoder.
	v1, _ := hex.DecodeString("0663676d2d3137" + hex.EncodeToString(testPatient[:]) +
		"07676c75636f7365" + "1898a8c0f848d4c0" + "4017333333333333" + "066d6d6f6c2f4c" + "0d6c6f696e633a31353037342d38")
	r, n, err := DecodeReading(v1)
	if err != nil || n != len(v1) || r != testReadings(1, "")[0] {
		t.Fatalf("format 1: %+v, %d of %d bytes, %v", r, n, len(v1), err)
	}
	if enc, _ := EncodeReading(&r); !bytes.Equal(enc, v1) {
		t.Fatalf("a reading without extra no longer encodes to format 1:\n%x\n%x", enc, v1)
	}
	r.Extra = `{"interpretation":[{"text":"high"}]}`
	v2, err := EncodeReading(&r)
	if err != nil || v2[0] != readingV2Marker || v2[1] != readingV2Version || !bytes.Equal(v2[2:2+len(v1)], v1) {
		t.Fatalf("format 2: %x %v", v2, err)
	}
	if r2, n, err := DecodeReading(v2); err != nil || n != len(v2) || r2 != r {
		t.Fatalf("format 2 round trip: %+v %d %v", r2, n, err)
	}
	for name, b := range map[string][]byte{
		"empty extra":     append(append([]byte{readingV2Marker, readingV2Version}, v1...), 0, 0),
		"unknown version": append([]byte{readingV2Marker, 3}, v2[2:]...),
		"truncated extra": v2[:len(v2)-1],
		"marker alone":    {readingV2Marker},
		"bad UTF-8 extra": append(append([]byte{readingV2Marker, readingV2Version}, v1...), 0, 1, 0xff),
	} {
		if _, _, err := DecodeReading(b); !errors.Is(err, ErrInvalidReading) {
			t.Errorf("%s: %v", name, err)
		}
	}
	r.Extra = string(make([]byte, MaxExtraLen+1))
	if _, err := EncodeReading(&r); !errors.Is(err, ErrReadingTooLarge) {
		t.Fatalf("over-long extra: %v", err)
	}
}
