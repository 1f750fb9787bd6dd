package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
)

// Sealing alone (CPU): one 1,000-reading batch per op.
func BenchmarkSeal1000(b *testing.B) {
	p := testParams(b, 1)
	rs := testReadings(1000, "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Seal(p, rs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000/b.Elapsed().Seconds(), "readings/s")
}

// Durable ingest, the docs/PRODUCT.md §9 target: 1,000-reading batches sealed on every
// core and stored with PutBatch by 32 concurrent callers (the store's
// committer groups them into shared synced writes). One op = one batch.
func BenchmarkIngestConcurrent(b *testing.B) {
	benchIngest(b, 32, func(ctx context.Context, s *Store, work <-chan *SealedBatch) error {
		for sb := range work {
			if err := s.PutBatch(ctx, sb); err != nil {
				return err
			}
		}
		return nil
	})
}

// Durable ingest with explicit grouping: sealers feed one caller that
// passes whatever is queued (up to 64 batches) to one PutBatches.
func BenchmarkIngestGroupCommit(b *testing.B) {
	benchIngest(b, 1, func(ctx context.Context, s *Store, work <-chan *SealedBatch) error {
		group := make([]*SealedBatch, 0, 64)
		for sb := range work {
			group = append(group[:0], sb)
		fill:
			for len(group) < cap(group) {
				select {
				case more, ok := <-work:
					if !ok {
						break fill
					}
					group = append(group, more)
				default:
					break fill
				}
			}
			if err := s.PutBatches(ctx, group); err != nil {
				return err
			}
		}
		return nil
	})
}

func benchIngest(b *testing.B, callers int, commit func(context.Context, *Store, <-chan *SealedBatch) error) {
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rs := testReadings(1000, "")
	p := testParams(b, 1)
	var next atomic.Int64
	n := int64(b.N)
	b.ResetTimer()
	work := make(chan *SealedBatch, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pp := p
			for {
				i := next.Add(1)
				if i > n {
					return
				}
				pp.Seq = uint64(i)
				sb, err := Seal(pp, rs)
				if err != nil {
					b.Error(err)
					return
				}
				work <- sb
			}
		}()
	}
	errc := make(chan error, callers)
	var cw sync.WaitGroup
	for range callers {
		cw.Add(1)
		go func() { defer cw.Done(); errc <- commit(ctx, s, work) }()
	}
	wg.Wait()
	close(work)
	cw.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000/b.Elapsed().Seconds(), "readings/s")
}

// Bulk add of a 64 MiB random file (make bench-store runs 256 MiB against kubo).
func BenchmarkAddFile64MiB(b *testing.B) {
	data := make([]byte, 64<<20)
	rand.Read(data)
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := testParams(b, 1)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := s.AddFile(ctx, bytes.NewReader(data), p); err != nil {
			b.Fatal(err)
		}
	}
}

// Erasure's storage half (docs/PRODUCT.md §9: erase a patient with 1 M readings): the
// patient's 1,000 batches of 1,000 readings, interleaved on disk with as
// many batches of other patients, removed physically by one DeleteBatches.
func BenchmarkDeletePatient1M(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		rs := testReadings(1000, "")
		var victim []*SealedBatch
		for i := range 1000 {
			var group []*SealedBatch
			for j := range 2 {
				sb, err := Seal(testParams(b, uint64(2*i+j)), rs)
				if err != nil {
					b.Fatal(err)
				}
				group = append(group, sb)
			}
			victim = append(victim, group[0])
			if err := s.PutBatches(ctx, group); err != nil {
				b.Fatal(err)
			}
		}
		roots := make([]cid.Cid, len(victim))
		for i, v := range victim {
			roots[i] = v.Root
		}
		b.StartTimer()
		n, err := s.DeleteBatches(ctx, roots)
		b.StopTimer()
		if err != nil || n != 2000 {
			b.Fatalf("deleted %d blocks: %v", n, err)
		}
		s.Close()
		b.StartTimer()
	}
}

// Why the Store implements boxo's Blockstore directly instead of only
// wrapping the Datastore adapter with blockstore.NewBlockstore: 16
// concurrent writers (as bitswap and ingest are) each storing 5 × 64 KiB
// blocks per PutMany; the direct path group-commits them.
func BenchmarkPutManyDirect(b *testing.B)        { benchPutMany(b, false) }
func BenchmarkPutManyBoxoDatastore(b *testing.B) { benchPutMany(b, true) }

func benchPutMany(b *testing.B, viaDatastore bool) {
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var bs blockstore.Blockstore = s
	if viaDatastore {
		bs = blockstore.NewBlockstore(s.Datastore())
	}
	b.SetBytes(5 * 64 << 10)
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 64<<10)
		for pb.Next() {
			var many []blocks.Block
			for range 5 {
				rand.Read(buf[:16])
				many = append(many, blocks.NewBlock(append([]byte(nil), buf...)))
			}
			if err := bs.PutMany(ctx, many); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
