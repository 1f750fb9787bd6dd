package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/pointers"
)

// benchNode initialises a repo (key file, embedded chain) with a patient
// MRN-1 and a device cgm-17, and opens it offline (no replication: the
// node-local ingest path).
func benchNode(tb testing.TB, claimStreams ...string) (*Node, ed25519.PrivateKey) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := DefaultConfig()
	c.P2P.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	c.Claims.Streams = claimStreams
	if _, err := Init(ctx, filepath.Join(dir, "repo"), InitOptions{Config: c, KeyFile: filepath.Join(dir, "master.key"), Logger: lg}); err != nil {
		tb.Fatal(err)
	}
	n, err := Open(ctx, filepath.Join(dir, "repo"), Options{Logger: lg, Offline: true, CommitInterval: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { n.Close() })
	if _, err := n.Keys.CreatePatient(ctx, "MRN-1"); err != nil {
		tb.Fatal(err)
	}
	_, priv, err := n.EnrollDevice(ctx, "cgm-17")
	if err != nil {
		tb.Fatal(err)
	}
	return n, priv
}

// signedReadings renders count readings of device cgm-17 for MRN-1,
// starting at minute off, as a signed batch.
func signedReadings(priv ed25519.PrivateKey, count, off int) []byte {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	lines := make([][]byte, count)
	for i := range lines {
		lines[i] = fmt.Appendf(nil, `{"device":"cgm-17","patient":"MRN-1","stream":"glucose","time":"%s","value":%.1f,"unit":"mmol/L","code":"loinc:15074-8"}`,
			t0.Add(time.Duration(off+i)*time.Minute).Format(time.RFC3339Nano), 5+float64(i%40)/10)
	}
	return SignedBatch(priv, "cgm-17", lines)
}

// BenchmarkParseBatch100k: JSON lines → DeviceBatch (the parse step alone).
func BenchmarkParseBatch100k(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(nil)
	raw := signedReadings(priv, 100_000, 0)
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := ParseBatch(bytes.NewReader(raw), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "readings/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkNodeIngest100k is the node ingest path of `vaultnode ingest` and
// POST /v1/readings for one signed submission of 100,000 readings: parse,
// signature and device checks (keystore + chain), patient resolution,
// sealing (2 batches of 50,000 in parallel), durable store write, batch
// index and commitment journal. Replication is not included (offline).
func BenchmarkNodeIngest100k(b *testing.B) { benchNodeIngest(b) }

// BenchmarkNodeIngest100kClaims is the same with claims.streams naming the stream: every batch (at most
// 8192 readings, 13 per submission) also gets its claim root (docs/ZK.md).
func BenchmarkNodeIngest100kClaims(b *testing.B) { benchNodeIngest(b, "glucose") }

func benchNodeIngest(b *testing.B, claimStreams ...string) {
	n, priv := benchNode(b, claimStreams...)
	ctx := context.Background()
	const count = 100_000
	// Distinct readings per iteration (same bytes are fine for the store,
	// but keep the data realistic).
	raws := make([][]byte, 0, 8)
	for i := range 8 {
		raws = append(raws, signedReadings(priv, count, i*count))
	}
	b.SetBytes(int64(len(raws[0])))
	b.ResetTimer()
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		// Every submission distinct: the same one again is a retry, answered
		// from its record without storing anything.
		if i >= len(raws) {
			b.StopTimer()
			raws = append(raws, signedReadings(priv, count, i*count))
			b.StartTimer()
		}
		db, err := ParseBatch(bytes.NewReader(raws[i]), 0)
		if err != nil {
			b.Fatal(err)
		}
		rc, err := n.Ingest(ctx, "cgm-17", db)
		if err != nil || rc.Replayed {
			b.Fatal(err, rc.Replayed)
		}
		i++
	}
	b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "readings/s")
	// CPU time of the whole process (all threads, GC included) per
	// submission: what the path costs, less disturbed by other load on a
	// shared machine than wall time.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkNodeIngest100kFirmware is BenchmarkNodeIngest100k from a registered unit that declares its
// firmware: the release is read from the lifecycle registry for every submission and every reading is
// sealed with its firmware flag (docs/DEVICES.md).
func BenchmarkNodeIngest100kFirmware(b *testing.B) {
	n, _ := benchNode(b)
	ctx := context.Background()
	signer, signerPriv, _ := ed25519.GenerateKey(nil)
	if _, err := n.Chain.AddManufacturer(ctx, n.Chain.Account(), signer, "Bench Devices"); err != nil {
		b.Fatal(err)
	}
	gtin, _ := pointers.ParseGTIN("00614141999996")
	if _, err := n.Chain.RegisterModel(ctx, gtin); err != nil {
		b.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	if _, _, err := n.Chain.RegisterUnit(ctx, gtin, "CGM-1", pub); err != nil {
		b.Fatal(err)
	}
	fw := &Firmware{Version: "2.1", Image: [32]byte{0xaa}}
	if _, _, err := n.Chain.PublishRelease(ctx, gtin, fw.Version, fw.Image, ed25519.Sign(signerPriv, pointers.ReleaseMessage(gtin, fw.Version, fw.Image))); err != nil {
		b.Fatal(err)
	}
	if _, err := n.EnrollUnit(ctx, "cgm-u1", "(01)00614141999996(21)CGM-1", pub); err != nil {
		b.Fatal(err)
	}
	const count = 100_000
	mk := func(off int) []byte {
		t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		lines := make([][]byte, count)
		for i := range lines {
			lines[i] = fmt.Appendf(nil, `{"device":"cgm-u1","patient":"MRN-1","stream":"glucose","time":"%s","value":%.1f,"unit":"mmol/L","code":"loinc:15074-8"}`,
				t0.Add(time.Duration(off+i)*time.Minute).Format(time.RFC3339Nano), 5+float64(i%40)/10)
		}
		return SignedBatchFirmware(priv, "cgm-u1", fw, lines)
	}
	raws := make([][]byte, 0, 8)
	for i := range 8 {
		raws = append(raws, mk(i*count))
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		if i >= len(raws) {
			b.StopTimer()
			raws = append(raws, mk(i*count))
			b.StartTimer()
		}
		db, err := ParseBatch(bytes.NewReader(raws[i]), 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := n.Ingest(ctx, "cgm-u1", db); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "readings/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}
