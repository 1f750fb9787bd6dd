package fetch

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/store"
)

// The CPU a fetch spends per batch once the blocks and cfrags are in:
// opening (decrypting, decoding, checking every reading against the Merkle
// root) a batch of 10,000 readings. scripts/bench-console.sh runs it natively
// and as WebAssembly under Node.js (the engine of the console's browser), so
// the two are compared in one run (docs/BENCHMARKS.md, "Console").

func BenchmarkOpenBatch10k(b *testing.B) {
	var dek, patient [32]byte
	if _, err := rand.Read(dek[:]); err != nil {
		b.Fatal(err)
	}
	rs := make([]store.Reading, 10000)
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range rs {
		rs[i] = store.Reading{Device: "cgm-17", Patient: patient, Stream: "glucose", Time: t0.Add(time.Duration(i) * 5 * time.Minute),
			Value: 4 + float64(i%7000)/1000, Unit: "mmol/L", Code: "loinc:15074-8"}
	}
	d := dek
	sb, err := store.Seal(store.SealParams{DEK: &d, Capsule: make([]byte, 98), Stream: "glucose", Patient: patient, Seq: 1}, rs)
	if err != nil {
		b.Fatal(err)
	}
	m := sb.Getter()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := dek
		if _, err := store.OpenBatch(context.Background(), m, sb.Root, &d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rs)), "ns/reading")
}
