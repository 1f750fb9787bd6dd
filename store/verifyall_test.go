package store

import (
	"context"
	"errors"
	"testing"
)

// Every reading of a batch verifies against the on-chain root in one pass;
// any change to any reading, their order or their number, or a wrong root,
// is detected.
func TestVerifyAll(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	p := testParams(t, 1)
	for _, n := range []int{1, 2, 3, 1000} {
		sb, err := s.SealAndPut(ctx, p, testReadings(n, ""))
		if err != nil {
			t.Fatal(err)
		}
		p.Seq++
		root := sb.Header.MerkleRoot
		o, err := s.Open(ctx, sb.Root, p.DEK)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.VerifyAll(root); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		wrong := root
		wrong[0] ^= 1
		if err := o.VerifyAll(wrong); !errors.Is(err, ErrProof) {
			t.Fatalf("n=%d: wrong root accepted: %v", n, err)
		}
		for _, i := range []int{0, n / 2, n - 1} {
			orig := o.Readings[i]
			o.Readings[i].Value += 0.1
			if err := o.VerifyAll(root); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d: changed value of reading %d accepted: %v", n, i, err)
			}
			o.Readings[i] = orig
			o.Readings[i].Time = orig.Time.Add(1)
			if err := o.VerifyAll(root); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d: changed time of reading %d accepted: %v", n, i, err)
			}
			o.Readings[i] = orig
		}
		if n > 1 {
			o.Readings[0], o.Readings[1] = o.Readings[1], o.Readings[0]
			if err := o.VerifyAll(root); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d: swapped readings accepted: %v", n, err)
			}
			o.Readings[0], o.Readings[1] = o.Readings[1], o.Readings[0]
			all := o.Readings
			o.Readings = all[:n-1]
			if err := o.VerifyAll(root); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d: a dropped reading was accepted: %v", n, err)
			}
			o.Readings = all
		}
		if err := o.VerifyAll(root); err != nil {
			t.Fatalf("n=%d after restoring: %v", n, err)
		}
	}
}

func BenchmarkVerifyAll50000(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	defer s.Close()
	p := testParams(b, 1)
	sb, err := s.SealAndPut(ctx, p, testReadings(50000, ""))
	if err != nil {
		b.Fatal(err)
	}
	o, err := s.Open(ctx, sb.Root, p.DEK)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := o.VerifyAll(sb.Header.MerkleRoot); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(50000*b.N)/b.Elapsed().Seconds(), "readings/s")
}
