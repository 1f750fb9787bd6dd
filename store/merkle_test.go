package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
)

// rfc6962Root is an independent, recursive implementation of the RFC 6962
// tree shape over already-hashed leaves, to check the bottom-up one.
func rfc6962Root(leaves [][32]byte) [32]byte {
	if len(leaves) == 1 {
		return leaves[0]
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := rfc6962Root(leaves[:k]), rfc6962Root(leaves[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

func TestMerkleShapeAndProofs(t *testing.T) {
	for n := 1; n <= 70; n++ {
		leaves := make([][32]byte, n)
		for i := range leaves {
			leaves[i] = sha256.Sum256([]byte{byte(i), byte(n)})
		}
		want := rfc6962Root(leaves)
		got := merkleRoot(append([][32]byte(nil), leaves...))
		if got != want {
			t.Fatalf("n=%d: bottom-up root differs from RFC 6962 shape", n)
		}
		for i := range n {
			p := buildProof(leaves, i, [32]byte{})
			if err := verifyLeaf(want, leaves[i], p); err != nil {
				t.Fatalf("n=%d i=%d: %v", n, i, err)
			}
			if n > 1 {
				// The same proof must not verify another leaf or position.
				if err := verifyLeaf(want, leaves[(i+1)%n], p); err == nil {
					t.Fatalf("n=%d i=%d: proof verified the wrong leaf", n, i)
				}
				q := *p
				q.Index = uint32((i + 1) % n)
				if err := verifyLeaf(want, leaves[i], &q); err == nil && leaves[i] != leaves[(i+1)%n] {
					t.Fatalf("n=%d i=%d: proof verified at the wrong index", n, i)
				}
			}
		}
	}
}

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
