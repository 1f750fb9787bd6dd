package zkclaim

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the process's user+system CPU time so far: on a machine shared with other jobs it says what
// an operation costs better than wall time (as in reencrypt's benchmarks, "cpu-ns/op").
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The benchmarks of docs/BENCHMARKS.md (## store/zkclaim, `make bench-zk`): claims over one batch of 5,000
// glucose readings in a tree of DefaultCapacity (8192) leaves. Setup runs once per kind and binary, outside
// the timed loop; its duration and the circuit's size are reported as metrics.

const benchReadings = 5000

// benchBatch: 5,000 readings every 2 minutes (about 7 days), values cycling 3.2–14.5 mmol/L (× 100).
func benchBatch() []Reading {
	rs := make([]Reading, benchReadings)
	for i := range rs {
		rs[i] = Reading{Time: base + int64(i)*2*minute, Value: 320 + int64(i*37%1130)}
	}
	return rs
}

// benchStatements: one true statement per kind over the whole week.
var benchStatements = map[Kind]Statement{
	// a hypoglycaemic episode: some reading < 3.9 mmol/L (≤ 389)
	KindExceeds: {Kind: KindExceeds, From: base, To: base + 7*24*60*minute, Threshold: 389, Below: true},
	// at least 100 readings > 13.9 mmol/L (≥ 1391)
	KindCount: {Kind: KindCount, From: base, To: base + 7*24*60*minute, Threshold: 1391, AtLeast: 100},
	// every reading within [3.0, 15.0] mmol/L, and at least 4,000 of them
	KindRange: {Kind: KindRange, From: base, To: base + 7*24*60*minute, Lo: 300, Hi: 1500, MinInWindow: 4000},
}

func benchKeys(b *testing.B, kind Kind) (*ProvingKey, *VerifyingKey) {
	b.Helper()
	start := time.Now()
	pk, vk := testKeys(b, kind, DefaultCapacity)
	if d := time.Since(start); d > time.Second {
		b.Logf("%s: compile + setup for capacity %d took %v", kind, DefaultCapacity, d.Round(time.Millisecond))
	}
	return pk, vk
}

func benchProve(b *testing.B, kind Kind) {
	pk, vk := benchKeys(b, kind)
	rs, st := benchBatch(), benchStatements[kind]
	root, err := Commit(testKey, rs)
	if err != nil {
		b.Fatal(err)
	}
	var proof *Proof
	cpu, n := processCPU(), 0
	for b.Loop() {
		if proof, err = Prove(kind, pk, testKey, rs, st); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(n), "cpu-ns/op")
	if err := Verify(kind, vk, st, root, proof); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(pk.NbConstraints()), "constraints")
}

func BenchmarkProveExceeds5000(b *testing.B) { benchProve(b, KindExceeds) }
func BenchmarkProveCount5000(b *testing.B)   { benchProve(b, KindCount) }
func BenchmarkProveRange5000(b *testing.B)   { benchProve(b, KindRange) }

func BenchmarkVerifyExceeds(b *testing.B) {
	pk, vk := benchKeys(b, KindExceeds)
	rs, st := benchBatch(), benchStatements[KindExceeds]
	root, err := Commit(testKey, rs)
	if err != nil {
		b.Fatal(err)
	}
	proof, err := Prove(KindExceeds, pk, testKey, rs, st)
	if err != nil {
		b.Fatal(err)
	}
	cpu, n := processCPU(), 0
	for b.Loop() {
		if err := Verify(KindExceeds, vk, st, root, proof); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(n), "cpu-ns/op")
}

// BenchmarkCommit5000 is what ingest would add per 5,000-reading batch: salts and the Poseidon2 tree.
func BenchmarkCommit5000(b *testing.B) {
	rs := benchBatch()
	for b.Loop() {
		if _, err := Commit(testKey, rs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchReadings)*float64(b.N)/b.Elapsed().Seconds(), "readings/s")
}
