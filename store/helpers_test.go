package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	cid "github.com/ipfs/go-cid"
)

func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, &Options{ValueLogFileSize: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func randDEK(t testing.TB) *[32]byte {
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return &k
}

var testPatient = [32]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}

func testParams(t testing.TB, seq uint64) SealParams {
	return SealParams{
		DEK:       randDEK(t),
		Capsule:   []byte(fmt.Sprintf("opaque-capsule-%d", seq)),
		StreamTag: [32]byte{0xAA, byte(seq)},
		Seq:       seq,
		Stream:    "glucose",
		Patient:   testPatient,
	}
}

// sealInMemory seals rs under p and opens the batch again from memory with
// p's DEK.
func sealInMemory(t testing.TB, p SealParams, rs []Reading) (*SealedBatch, *OpenedBatch) {
	t.Helper()
	sb, err := Seal(p, rs)
	if err != nil {
		t.Fatal(err)
	}
	ob, err := OpenBatch(context.Background(), sb.Getter(), sb.Root, p.DEK)
	if err != nil {
		t.Fatal(err)
	}
	return sb, ob
}

func testReadings(n int, marker string) []Reading {
	rs := make([]Reading, n)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 123e6, time.UTC)
	for i := range rs {
		rs[i] = Reading{
			Device:  "cgm-17" + marker,
			Patient: testPatient,
			Stream:  "glucose",
			Time:    t0.Add(time.Duration(i) * time.Second),
			Value:   5.8 + float64(i%7)/10,
			Unit:    "mmol/L",
			Code:    "loinc:15074-8",
		}
	}
	return rs
}

// scanDir counts occurrences of needle in every file under dir.
func scanDir(t testing.TB, dir string, needle []byte) int {
	t.Helper()
	return scanDirAll(t, dir, [][]byte{needle})
}

// scanDirAll counts occurrences of all needles in every file under dir,
// reading each file once.
func scanDirAll(t testing.TB, dir string, needles [][]byte) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		c := 0
		for _, needle := range needles {
			c += bytes.Count(b, needle)
		}
		if c > 0 {
			t.Logf("%d match(es) in %s", c, p)
			n += c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func nan() float64 { var z float64; return z / z }

// addRandomFile stores size random bytes in s as a blob batch of 64 KiB
// chunks and returns the bytes, the seal parameters (with the DEK), the root
// and the chunk CIDs.
func addRandomFile(t testing.TB, s *Store, size int, seq uint64) ([]byte, SealParams, cid.Cid, []cid.Cid) {
	t.Helper()
	ctx := context.Background()
	data := make([]byte, size)
	_, _ = rand.Read(data)
	p := testParams(t, seq)
	p.ChunkSize = 64 << 10
	sb, err := s.AddFile(ctx, bytes.NewReader(data), p)
	if err != nil {
		t.Fatal(err)
	}
	_, chunks, err := ReadRoot(ctx, s, sb.Root)
	if err != nil {
		t.Fatal(err)
	}
	return data, p, sb.Root, chunks
}
