package store

import (
	"context"
	"fmt"
	"sync"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
)

// replicatePackThreshold is the batch size (by its header: chunks × chunk
// size) from which Replicate streams the chunks into a pack file instead of
// assembling the batch in memory and writing it through badger. Small
// batches (readings) stay in one badger transaction; bulk blobs go to packs,
// as AddFile writes them.
const replicatePackThreshold = 8 << 20

// replicateWindows is how many windows of fetchWindow chunks are requested
// at once when streaming: the next windows are in flight while one is
// written, so the network never waits for the disk.
const replicateWindows = 4

// replicatePacked copies the chunks of a large batch from a multiGetter into
// a new pack in the order they arrive (each verified against its CID, each
// wanted CID accepted once), then makes the pack durable and writes the
// index, the root block and the pin in one synced transaction. Memory is
// bounded by the blocks in flight, not the batch. Nothing becomes visible if
// a block is missing or corrupt: the pack is removed and the error names the
// CID.
func (s *Store) replicatePacked(ctx context.Context, mg multiGetter, bg BlockGetter, root cid.Cid, rootRaw []byte, h *Header, chunks []cid.Cid) (int, error) {
	maxChunk := int(h.ChunkSize) + 16
	want := make(map[string]int, len(chunks)) // multihash -> first index
	var uniq []cid.Cid
	for i, c := range chunks {
		if _, dup := want[string(c.Hash())]; !dup {
			want[string(c.Hash())] = i
			uniq = append(uniq, c)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan blocks.Block, fetchWindow)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // owner: this call; ends when every window is delivered or ctx ends
		defer wg.Done()
		defer close(in)
		sem := make(chan struct{}, replicateWindows)
		var inner sync.WaitGroup
		defer inner.Wait()
		for start := 0; start < len(uniq); start += fetchWindow {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			win := uniq[start:min(start+fetchWindow, len(uniq))]
			inner.Add(1)
			go func() {
				defer inner.Done()
				defer func() { <-sem }()
				_ = getBlocksPatient(ctx, mg, win, func(b blocks.Block) error {
					select {
					case in <- b:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				})
			}()
		}
	}()
	defer wg.Wait()
	defer cancel()

	pw, err := s.packs.create()
	if err != nil {
		return 0, err
	}
	ok := false
	defer func() {
		if !ok {
			pw.abort()
		}
	}()
	// A source that verifies what it returns (this store, a bitswap session:
	// boxo computes a received block's CID from its bytes) need not be
	// hashed again; anything else is.
	vr, _ := mg.(interface{ VerifiesOnRead() bool })
	verified := vr != nil && vr.VerifiesOnRead()
	ptrs := make(map[string]packPtr, len(uniq))
	total := len(rootRaw)
	put := func(c cid.Cid, data []byte) error {
		if _, done := ptrs[string(c.Hash())]; done {
			return nil
		}
		if _, wanted := want[string(c.Hash())]; !wanted {
			return nil // not ours: a getter may deliver extra blocks; they are not stored
		}
		if !verified {
			if err := verifyBlock(c, data); err != nil {
				return err
			}
		}
		if len(data) > maxChunk {
			return integrityErr(c, "chunk larger than the header's chunk size", nil)
		}
		total += len(data)
		if total > MaxImportSize {
			return fmt.Errorf("%w: batch %s larger than %d bytes", ErrBatchTooLarge, root, MaxImportSize)
		}
		ptr, err := pw.append(data)
		if err != nil {
			return err
		}
		ptrs[string(c.Hash())] = ptr
		return nil
	}
	for b := range in {
		if err := put(b.Cid(), b.RawData()); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	// Not delivered by the batch requests: one last direct try each, which
	// reports not-found as an integrity error naming the chunk.
	for _, c := range uniq {
		if _, done := ptrs[string(c.Hash())]; done {
			continue
		}
		data, err := getBlock(ctx, bg, c, fmt.Sprintf("block %d", want[string(c.Hash())]))
		if err != nil {
			return 0, err
		}
		if err := put(c, data); err != nil {
			return 0, err
		}
	}
	if err := pw.finish(); err != nil {
		return 0, err
	}
	index := make([]kv, 0, len(ptrs)+2)
	for _, c := range uniq {
		index = append(index, kv{packedKey(blockKey(c)), ptrs[string(c.Hash())].encode()})
	}
	index = append(append(index, kv{blockKey(root), rootRaw}), pinEntries(root, h.StreamTag)...)
	if err := s.writeAtomic(ctx, index); err != nil {
		return 0, err
	}
	ok = true
	pw.done()
	return total, nil
}
