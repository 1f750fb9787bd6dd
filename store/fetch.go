package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
)

// multiGetter is implemented by blockservices and their sessions: one
// request for many blocks, fetched in parallel over bitswap.
type multiGetter interface {
	GetBlocks(ctx context.Context, ks []cid.Cid) <-chan blocks.Block
}

// fetchWindow is how many chunks are requested at once from a multiGetter.
const fetchWindow = 64

// stallTimeout is how long a multi-block request may go without delivering
// a block, while some are still missing, before they are asked for again.
// A bitswap session that has sent a want-block to a peer waits for that
// peer's answer; if the answer is lost, it would wait until the request's
// context ends (the replication tests saw 1 MiB batches stall for 20 s under
// load). Asking again cancels the wants and sends new ones.
var stallTimeout = 5 * time.Second

// fetchStalls counts the requests that stalled and were asked again.
var fetchStalls atomic.Uint64

// FetchStalls is the number of multi-block requests in this process that
// delivered nothing for 5 s while blocks were missing, and were asked again.
// A steady rate means a peer or the network is losing answers.
func FetchStalls() uint64 { return fetchStalls.Load() }

// Renewer is implemented by block getters whose requests go through a
// bitswap session. When a request stalls, the missing blocks are asked for
// again through Renew's getter (a new session), so the old session's
// pending cancels cannot race with the new wants for the same blocks.
type Renewer interface {
	Renew() BlockGetter
}

// getBlocksPatient asks mg for ks and calls fn once for each block delivered
// (the first copy of each multihash). When stallTimeout passes without a
// block while some are missing, it cancels the request and asks again for
// the missing ones, until all arrived, the getter closes its channel of its
// own accord (it has nothing more to give), fn fails, or ctx ends. It asks
// again through mg.Renew() when mg is a Renewer.
func getBlocksPatient(ctx context.Context, mg multiGetter, ks []cid.Cid, fn func(blocks.Block) error) error {
	seen := make(map[string]bool, len(ks))
	missing := ks
	for len(missing) > 0 {
		rctx, cancel := context.WithCancel(ctx)
		ch := mg.GetBlocks(rctx, missing)
		timer := time.NewTimer(stallTimeout)
		stalled, failed := false, error(nil)
	recv:
		for {
			select {
			case b, ok := <-ch:
				if !ok {
					break recv
				}
				k := string(b.Cid().Hash())
				if seen[k] {
					continue
				}
				seen[k] = true
				if err := fn(b); err != nil {
					failed = err
					break recv
				}
				timer.Reset(stallTimeout)
			case <-timer.C:
				stalled = true
				break recv
			}
		}
		timer.Stop()
		cancel()
		if failed != nil {
			return failed
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !stalled {
			return nil
		}
		fetchStalls.Add(1)
		if r, ok := mg.(Renewer); ok {
			if fresh, ok := r.Renew().(multiGetter); ok {
				mg = fresh
			}
		}
		var rest []cid.Cid
		for _, c := range missing {
			if !seen[string(c.Hash())] {
				rest = append(rest, c)
			}
		}
		missing = rest
	}
	return nil
}

// fetchInOrder calls fn with the verified bytes of each of cs, in order.
// From a multiGetter it requests windows of chunks at once (bitswap then
// fetches them in parallel), and asks again for what stalls, even a single
// block; otherwise it gets them one by one. A block
// that is missing or does not hash to its CID is an *IntegrityError.
func fetchInOrder(ctx context.Context, bg BlockGetter, cs []cid.Cid, what string, fn func(i int, data []byte) error) error {
	mg, ok := bg.(multiGetter)
	if !ok {
		for i, c := range cs {
			data, err := getBlock(ctx, bg, c, fmt.Sprintf("%s %d", what, i))
			if err != nil {
				return err
			}
			if err := fn(i, data); err != nil {
				return err
			}
		}
		return nil
	}
	for start := 0; start < len(cs); start += fetchWindow {
		win := cs[start:min(start+fetchWindow, len(cs))]
		got := make(map[string]blocks.Block, len(win))
		if err := getBlocksPatient(ctx, mg, win, func(b blocks.Block) error {
			got[string(b.Cid().Hash())] = b
			return nil
		}); err != nil {
			return err
		}
		for j, c := range win {
			i := start + j
			b, ok := got[string(c.Hash())]
			var data []byte
			if ok {
				if err := verifyBlock(c, b.RawData()); err != nil {
					return err
				}
				data = b.RawData()
			} else {
				// Not delivered by the batch request: one last direct try,
				// which reports not-found as an integrity error naming c.
				var err error
				if data, err = getBlock(ctx, bg, c, fmt.Sprintf("%s %d", what, i)); err != nil {
					return err
				}
			}
			if err := fn(i, data); err != nil {
				return err
			}
		}
	}
	return nil
}
