package store

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
)

// losingSource behaves like a bitswap session whose answer for one block
// was lost: the first request that includes that block delivers the others
// and then neither sends it nor closes the channel until the request is
// canceled. Asked again, it delivers.
type losingSource struct {
	s    *Store
	lose cid.Cid

	mu      sync.Mutex
	lost    bool
	calls   int
	renewed int
}

// Renew stands for a new bitswap session: the same source, counted.
func (f *losingSource) Renew() BlockGetter {
	f.mu.Lock()
	f.renewed++
	f.mu.Unlock()
	return f
}

func (f *losingSource) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return f.s.Get(ctx, c)
}

func (f *losingSource) GetBlocks(ctx context.Context, ks []cid.Cid) <-chan blocks.Block {
	ch := make(chan blocks.Block, len(ks))
	f.mu.Lock()
	f.calls++
	hang := false
	for _, c := range ks {
		if c.Equals(f.lose) && !f.lost {
			hang, f.lost = true, true
			continue
		}
		if b, err := f.s.Get(ctx, c); err == nil {
			ch <- b
		}
	}
	f.mu.Unlock()
	if !hang {
		close(ch)
		return ch
	}
	go func() { <-ctx.Done(); close(ch) }()
	return ch
}

// A lost block in a multi-block request does not hold a replication until
// its deadline: the missing block is asked for again after stallTimeout.
// Both paths (small batches through fetchInOrder, large ones streamed into a
// pack) are covered.
func TestReplicateRecoversFromStalledRequest(t *testing.T) {
	old := stallTimeout
	stallTimeout = 100 * time.Millisecond
	defer func() { stallTimeout = old }()
	ctx := context.Background()
	a := openTest(t, t.TempDir())
	defer a.Close()
	for _, tc := range []struct {
		name string
		size int
	}{{"small batch", 600 << 10}, {"large batch (pack)", replicatePackThreshold + 200<<10}} {
		t.Run(tc.name, func(t *testing.T) {
			data, p, root, chunks := addRandomFile(t, a, tc.size, uint64(tc.size))
			src := &losingSource{s: a, lose: chunks[len(chunks)/2]}
			stallsBefore := FetchStalls()
			b := openTest(t, t.TempDir())
			defer b.Close()
			// Well inside the deadline: without asking again, the request
			// would wait for the lost block until ctx ends.
			rctx, cancel := context.WithTimeout(ctx, 20*stallTimeout)
			defer cancel()
			if _, err := b.Replicate(rctx, src, root); err != nil {
				t.Fatalf("replication with one lost answer: %v", err)
			}
			if src.calls < 2 {
				t.Fatalf("the lost block was never asked for again (%d requests)", src.calls)
			}
			if src.renewed == 0 {
				t.Fatal("asked again through the stalled session, not a new one")
			}
			if FetchStalls() == stallsBefore {
				t.Error("the stall is not counted in FetchStalls (vaultnode_block_fetch_stalls_total)")
			}
			var out bytes.Buffer
			if _, err := ReadFile(ctx, b, root, p.DEK, &out); err != nil || !bytes.Equal(out.Bytes(), data) {
				t.Fatalf("replica does not decrypt to the original: %v", err)
			}
		})
	}
}
