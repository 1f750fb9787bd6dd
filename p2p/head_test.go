package p2p

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Every caller gets a head read that started after it called (so a grant
// revoked in a block before its request is never answered from an older
// head), while concurrent callers share reads.
func TestHeadReaderFreshAndShared(t *testing.T) {
	var started atomic.Uint64
	r := newHeadReader(func(context.Context) (uint64, error) {
		n := started.Add(1) // the head "is" the number of the read
		time.Sleep(time.Millisecond)
		return n, nil
	})
	const callers, calls = 64, 40
	var wg sync.WaitGroup
	var stale atomic.Uint64
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				before := started.Load()
				h, err := r.Head(context.Background())
				if err != nil || h <= before {
					stale.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if stale.Load() != 0 {
		t.Fatalf("%d answers came from a read that started before the call", stale.Load())
	}
	if n := started.Load(); n >= callers*calls/4 {
		t.Fatalf("%d reads for %d calls: concurrent callers do not share", n, callers*calls)
	}
	// A caller whose context ends stops waiting.
	blocked := newHeadReader(func(ctx context.Context) (uint64, error) { <-ctx.Done(); return 0, ctx.Err() })
	blocked.timeout = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := blocked.Head(ctx); err == nil {
		t.Fatal("Head returned without a read")
	}
}
