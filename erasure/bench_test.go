package erasure

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkErase1MReadings erases a patient holding 1,000,000 readings
// (200 batches of 5,000, over two streams) stored on 2 of 3 peers each, with
// a live grant whose kfrags sit on the 3 proxies: revoke, destroy, purge on
// every peer (physical deletion), on-chain record, verification probes and
// the signed certificate. Setup (sealing, storing, committing) is not timed.
// ERASURE_BENCH_BATCHES / ERASURE_BENCH_READINGS change the size.
func BenchmarkErase1MReadings(b *testing.B) {
	batches, readings := envInt("ERASURE_BENCH_BATCHES", 200), envInt("ERASURE_BENCH_READINGS", 5000)
	w := newWorld(b, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	// The hook runs after each step's action: it times the steps.
	var mark time.Time
	stepTime := map[Step]time.Duration{}
	e := w.eraser(func(s Step) error {
		stepTime[s] += time.Since(mark)
		mark = time.Now()
		return nil
	})
	var last time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		P := w.newPatient(batches/2, readings, 2)
		b.StartTimer()
		start := time.Now()
		mark = start
		res, err := e.Erase(ctx, Request{Patient: P.p, RequestRef: "BENCH-" + strconv.Itoa(i)})
		if err != nil {
			b.Fatal(err)
		}
		last = time.Since(start)
		b.StopTimer()
		if len(res.Cert.Acks) != 3 {
			b.Fatalf("%d acks", len(res.Cert.Acks))
		}
		if n := w.held(P); n != 0 {
			b.Fatalf("%d roots left", n)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(batches*readings), "readings/erasure")
	b.ReportMetric(last.Seconds(), "s/erasure")
	for s, d := range stepTime {
		b.ReportMetric(d.Seconds()/float64(b.N), s.String()+"-s/op")
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
