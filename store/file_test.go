package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"
)

func TestAddFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	for _, size := range []int{0, 1, MinChunkSize, 3*MinChunkSize + 17, 5 << 20} {
		data := make([]byte, size)
		rand.Read(data)
		p := testParams(t, uint64(size))
		p.ChunkSize = 64 << 10
		if size < 1<<20 {
			p.ChunkSize = MinChunkSize
		}
		sb, err := s.AddFile(ctx, bytes.NewReader(data), p)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if sb.Header.PlainLen != uint64(size) {
			t.Fatalf("size %d: header says %d", size, sb.Header.PlainLen)
		}
		var out bytes.Buffer
		h, err := ReadFile(ctx, s, sb.Root, p.DEK, &out)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(out.Bytes(), data) || h.Kind != KindBlob {
			t.Fatalf("size %d: round trip differs", size)
		}
		if ok, _ := s.IsPinned(ctx, sb.Root); !ok {
			t.Fatal("file not pinned")
		}
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk on fire")
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func TestAddFileReadErrorLeavesNoPin(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	p := testParams(t, 1)
	p.ChunkSize = MinChunkSize
	_, err := s.AddFile(ctx, &failingReader{n: 10 * MinChunkSize}, p)
	if err == nil {
		t.Fatal("read error not reported")
	}
	pins, _ := s.Pins(ctx)
	if len(pins) != 0 {
		t.Fatalf("failed add left %d pins", len(pins))
	}
	// Whatever chunks were written are unpinned and go at the next GC.
	if _, err := s.GC(ctx); err != nil {
		t.Fatal(err)
	}
	ch, _ := s.AllKeysChan(ctx)
	for c := range ch {
		t.Fatalf("block %s left after GC", c)
	}
}

func TestDiskUsageCountsPacks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	before, err := s.DiskUsage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 2<<20)
	rand.Read(data)
	if _, err := s.AddFile(ctx, bytes.NewReader(data), testParams(t, 1)); err != nil {
		t.Fatal(err)
	}
	after, _ := s.DiskUsage(ctx)
	if after < before+uint64(len(data)) {
		t.Fatalf("disk usage grew by %d after adding %d bytes", after-before, len(data))
	}
}
