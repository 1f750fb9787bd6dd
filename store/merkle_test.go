package store

import (
	"context"
	"errors"
	"testing"
)

// A reading proves against the on-chain Merkle root alone; a changed
// reading, salt, index or root fails; proofs survive serialisation.
func TestReadingInclusionProof(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	p := testParams(t, 1)
	sb, err := s.SealAndPut(ctx, p, testReadings(1000, ""))
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Open(ctx, sb.Root, p.DEK)
	if err != nil {
		t.Fatal(err)
	}
	chainRoot := sb.Header.MerkleRoot
	for _, i := range []int{0, 1, 511, 998, 999} {
		pr, err := o.Proof(i)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := pr.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		pr2, err := UnmarshalProof(enc)
		if err != nil {
			t.Fatal(err)
		}
		r := o.Readings[i]
		if err := VerifyReading(chainRoot, &r, pr2); err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
		bad := r
		bad.Value += 0.1
		if err := VerifyReading(chainRoot, &bad, pr2); !errors.Is(err, ErrProof) {
			t.Fatalf("altered value verified: %v", err)
		}
		bad = r
		bad.Time = bad.Time.Add(1)
		if err := VerifyReading(chainRoot, &bad, pr2); !errors.Is(err, ErrProof) {
			t.Fatalf("altered time verified: %v", err)
		}
		q := *pr2
		q.Salt[0] ^= 1
		if err := VerifyReading(chainRoot, &r, &q); !errors.Is(err, ErrProof) {
			t.Fatalf("altered salt verified: %v", err)
		}
		wrongRoot := chainRoot
		wrongRoot[31] ^= 1
		if err := VerifyReading(wrongRoot, &r, pr2); !errors.Is(err, ErrProof) {
			t.Fatalf("wrong root verified: %v", err)
		}
		q = *pr2
		q.Path = q.Path[:len(q.Path)-1]
		if err := VerifyReading(chainRoot, &r, &q); !errors.Is(err, ErrProof) {
			t.Fatalf("short path verified: %v", err)
		}
	}
	// Salts differ per reading: identical readings get different leaves.
	p0, _ := o.Proof(0)
	p7, _ := o.Proof(7)
	if p0.Salt == p7.Salt {
		t.Fatal("two readings share a salt")
	}
	if _, err := o.Proof(1000); !errors.Is(err, ErrProof) {
		t.Fatalf("proof of a reading past the end: %v", err)
	}
}

func TestUnmarshalProofRejects(t *testing.T) {
	p := &Proof{Index: 2, Count: 5, Path: make([][32]byte, 3)}
	b, _ := p.MarshalBinary()
	for name, bad := range map[string][]byte{
		"short":        b[:10],
		"bad magic":    append([]byte("XXXX"), b[4:]...),
		"trailing":     append(append([]byte(nil), b...), 0),
		"truncated":    b[:len(b)-1],
		"index>=count": func() []byte { c := append([]byte(nil), b...); c[7] = 9; return c }(),
		"deep path":    func() []byte { c := append([]byte(nil), b[:44]...); return append(c, 33) }(),
	} {
		if _, err := UnmarshalProof(bad); !errors.Is(err, ErrProof) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
