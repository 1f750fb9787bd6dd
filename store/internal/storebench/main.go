// Command storebench measures the store's two docs/PRODUCT.md §9 numbers for
// scripts/bench-store.sh:
//
//	storebench -mode readings -dir D [-batches N] [-size 1000]
//	    durable ingest: 1,000-reading batches sealed on every core and
//	    stored with PutBatch by concurrent callers (the store group-commits
//	    them); prints readings/s.
//	storebench -mode file -dir D -file F
//	    bulk add of F, encrypted (AddFile), into a fresh store; prints seconds.
//
// It is a benchmark driver, not part of the product.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vaultnode/vaultnode/store"
)

func main() {
	mode := flag.String("mode", "readings", "readings | file")
	dir := flag.String("dir", "", "store directory (must not exist or be empty)")
	batches := flag.Int("batches", 2000, "readings mode: batches to write")
	size := flag.Int("size", 1000, "readings mode: readings per batch")
	callers := flag.Int("callers", 32, "readings mode: concurrent PutBatch callers")
	file := flag.String("file", "", "file mode: file to add")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "storebench: -dir is required")
		os.Exit(2)
	}
	ctx := context.Background()
	var err error
	switch *mode {
	case "readings":
		err = readings(ctx, *dir, *batches, *size, *callers)
	case "file":
		err = addFile(ctx, *dir, *file)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

func params(seq uint64) store.SealParams {
	var dek [32]byte
	rand.Read(dek[:])
	capsule := make([]byte, 98) // the size of an Umbral capsule (2 points + scalar)
	rand.Read(capsule)
	var tag, patient [32]byte
	rand.Read(tag[:])
	patient[0] = 7
	return store.SealParams{DEK: &dek, Capsule: capsule, StreamTag: tag, Seq: seq, Stream: "glucose", Patient: patient}
}

func readings(ctx context.Context, dir string, batches, size, callers int) error {
	s, err := store.Open(ctx, dir, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	p := params(0)
	rs := make([]store.Reading, size)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := range rs {
		rs[i] = store.Reading{Device: "cgm-17", Patient: p.Patient, Stream: "glucose",
			Time: t0.Add(time.Duration(i) * time.Second), Value: 5.8 + float64(i%13)/10, Unit: "mmol/L", Code: "loinc:15074-8"}
	}
	work := make(chan *store.SealedBatch, 2*callers)
	var next atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	var sealers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		sealers.Add(1)
		go func() {
			defer sealers.Done()
			for {
				i := next.Add(1)
				if i > int64(batches) {
					return
				}
				pp := params(uint64(i))
				sb, err := store.Seal(pp, rs)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				work <- sb
			}
		}()
	}
	var writers sync.WaitGroup
	for range callers {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for sb := range work {
				if err := s.PutBatch(ctx, sb); err != nil {
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	sealers.Wait()
	close(work)
	writers.Wait()
	el := time.Since(start)
	if e := firstErr.Load(); e != nil {
		return e.(error)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := batches * size
	fmt.Printf("readings %d batches=%d size=%d elapsed=%.3fs readings_per_s=%.0f heap_sys_mib=%d\n",
		n, batches, size, el.Seconds(), float64(n)/el.Seconds(), ms.HeapSys>>20)
	return nil
}

func addFile(ctx context.Context, dir, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	s, err := store.Open(ctx, dir, nil)
	if err != nil {
		return err
	}
	sb, err := s.AddFile(ctx, f, params(1))
	if err != nil {
		return err
	}
	added := time.Since(start)
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Printf("file root=%s bytes=%d chunks=%d add_s=%.3f\n", sb.Root, sb.Header.PlainLen, sb.Header.ChunkCount, added.Seconds())
	return nil
}
