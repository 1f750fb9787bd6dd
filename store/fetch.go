package store

import (
	"context"
	"fmt"

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

// fetchInOrder calls fn with the verified bytes of each of cs, in order.
// From a multiGetter it requests windows of chunks at once (bitswap then
// fetches them in parallel); otherwise it gets them one by one. A block
// that is missing or does not hash to its CID is an *IntegrityError.
func fetchInOrder(ctx context.Context, bg BlockGetter, cs []cid.Cid, what string, fn func(i int, data []byte) error) error {
	mg, ok := bg.(multiGetter)
	if !ok || len(cs) <= 1 {
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
		wctx, cancel := context.WithCancel(ctx)
		got := make(map[string]blocks.Block, len(win))
		for b := range mg.GetBlocks(wctx, win) {
			got[string(b.Cid().Hash())] = b
		}
		cancel()
		if err := ctx.Err(); err != nil {
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
