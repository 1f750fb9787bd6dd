package keys

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

func benchKeystore(b *testing.B) *Keystore {
	b.Helper()
	ks, err := Create(context.Background(), filepath.Join(b.TempDir(), "ks"), testPass(), testOptions("bench"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ks.Close() })
	return ks
}

// benchStream is a bench keystore holding one patient with a glucose stream.
func benchStream(b *testing.B) (*Keystore, Pseudonym) {
	b.Helper()
	ctx := context.Background()
	ks := benchKeystore(b)
	p, err := ks.CreatePatient(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ks.CreateStream(ctx, p.Pseudonym, "glucose"); err != nil {
		b.Fatal(err)
	}
	return ks, p.Pseudonym
}

// BenchmarkStream: the ingest hot path (public key + tag of a stream, cached).
func BenchmarkStream(b *testing.B) {
	ctx := context.Background()
	ks, p := benchStream(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ks.Stream(ctx, p, "glucose"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStreamSecretKey: unwrap a stream's delegating key (grant creation).
func BenchmarkStreamSecretKey(b *testing.B) {
	ctx := context.Background()
	ks, p := benchStream(b)
	b.ReportAllocs()
	for b.Loop() {
		sk, err := ks.StreamSecretKey(ctx, p, "glucose")
		if err != nil {
			b.Fatal(err)
		}
		sk.Wipe()
	}
}

// BenchmarkStreamTag: the keyed stream tag.
func BenchmarkStreamTag(b *testing.B) {
	ks := benchKeystore(b)
	var p Pseudonym
	b.ReportAllocs()
	for b.Loop() {
		ks.StreamTag(p, "glucose")
	}
}

// BenchmarkCreatePatient: a patient with an MRN and one stream, durably (synced).
func BenchmarkCreatePatient(b *testing.B) {
	ctx := context.Background()
	ks := benchKeystore(b)
	i := 0
	for b.Loop() {
		i++
		p, err := ks.CreatePatient(ctx, fmt.Sprintf("MRN-%d", i))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ks.CreateStream(ctx, p.Pseudonym, "glucose"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDestroy: physical destruction of one patient (3 streams) in a
// keystore holding 300 other patients.
func BenchmarkDestroy(b *testing.B) {
	ctx := context.Background()
	ks := benchKeystore(b)
	for i := 0; i < 300; i++ {
		p, _ := ks.CreatePatient(ctx, "")
		ks.CreateStream(ctx, p.Pseudonym, "glucose")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, _ := ks.CreatePatient(ctx, "MRN-DESTROY")
		for _, s := range []string{"glucose", "insulin", "ecg"} {
			ks.CreateStream(ctx, p.Pseudonym, s)
		}
		b.StartTimer()
		if _, err := ks.Destroy(ctx, p.Pseudonym); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnlockDefaultArgon2: deriving the master key with the production
// parameters (the cost of Open, and of a passphrase guess).
func BenchmarkUnlockDefaultArgon2(b *testing.B) {
	kb, master, err := newKDFBlock(testPass(), DefaultArgon2, newDetReader("a2"))
	if err != nil {
		b.Fatal(err)
	}
	wipe(master)
	for b.Loop() {
		m, err := kb.unlock(testPass())
		if err != nil {
			b.Fatal(err)
		}
		wipe(m)
	}
}
