package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

// The Store is a boxo blockstore (usable by bitswap, blockservice and
// merkledag), with zero-copy views and error-reporting enumeration.
var (
	_ blockstore.Blockstore           = (*Store)(nil)
	_ blockstore.Viewer               = (*Store)(nil)
	_ blockstore.AllKeysChanWithErrer = (*Store)(nil)
)

// Blocks are keyed by multihash, like boxo's own blockstore: the same bytes
// under a raw and a dag-pb CID are one block.
func blockKey(c cid.Cid) []byte { return mhKey(c.Hash()) }

func mhKey(h mh.Multihash) []byte { return prefixedKey(prefixBlock, h) }

// prefixedKey is the database key prefix‖b.
func prefixedKey(prefix byte, b []byte) []byte {
	k := make([]byte, 1+len(b))
	k[0] = prefix
	copy(k[1:], b)
	return k
}

// verifyBlock checks that data hashes to c.
func verifyBlock(c cid.Cid, data []byte) error {
	if dm, err := mh.Decode(c.Hash()); err == nil && dm.Code == mh.SHA2_256 && dm.Length == sha256.Size {
		// Every block vaultnode writes (sha2-256): hashed by blockSHA256,
		// the browser's own SHA-256 in the console's WebAssembly client.
		got, err := blockSHA256(data)
		if err != nil {
			return fmt.Errorf("hash block %s: %w", c, err)
		}
		if !bytes.Equal(got[:], dm.Digest) {
			return integrityErr(c, "block bytes do not match the CID's hash", nil)
		}
		return nil
	}
	got, err := c.Prefix().Sum(data)
	if err != nil {
		return fmt.Errorf("hash block %s: %w", c, err)
	}
	if !bytes.Equal(got.Hash(), c.Hash()) {
		return integrityErr(c, "block bytes do not match the CID's hash", nil)
	}
	return nil
}

// locate finds c in one read transaction: inline bytes are passed to
// inline (valid only during the call), a pack pointer is returned.
// Missing blocks are badger.ErrKeyNotFound.
func (s *Store) locate(c cid.Cid, inline func(*badger.Item) error) (*packPtr, error) {
	key := blockKey(c)
	var ptr *packPtr
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(key)
		if err == nil {
			return inline(it)
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		it, err = txn.Get(packedKey(key))
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error {
			p, err := decodePackPtr(v)
			ptr = &p
			return err
		})
	})
	return ptr, err
}

// Has reports whether the block is stored.
func (s *Store) Has(ctx context.Context, c cid.Cid) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	_, err := s.locate(c, func(*badger.Item) error { return nil })
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, badger.ErrKeyNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("store: has %s: %w", c, err)
	}
}

// Get returns the block, verifying its bytes against the CID. A missing
// block is ipld.ErrNotFound; corrupted bytes are an *IntegrityError.
func (s *Store) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var data []byte
	ptr, err := s.locate(c, func(it *badger.Item) error {
		var err error
		data, err = it.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	if err == nil && ptr != nil {
		data, err = s.readPacked(c, *ptr)
	}
	if err != nil {
		return nil, fmt.Errorf("store: get %s: %w", c, err)
	}
	if err := verifyBlock(c, data); err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

// VerifiesOnRead reports that Get checks every block against its CID and
// returns an *IntegrityError for a corrupted one, so wrappers need not hash
// again.
func (s *Store) VerifiesOnRead() bool { return true }

// GetBlock is Get; it makes the Store a BlockGetter (like a blockservice).
func (s *Store) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return s.Get(ctx, c)
}

// View calls fn with the stored bytes of c, without copying them when they
// are inline (fn must not retain or modify them). The bytes are not
// hash-verified.
func (s *Store) View(ctx context.Context, c cid.Cid, fn func([]byte) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ptr, err := s.locate(c, func(it *badger.Item) error { return it.Value(fn) })
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ipld.ErrNotFound{Cid: c}
	}
	if err != nil {
		return err
	}
	if ptr != nil {
		data, err := s.readPacked(c, *ptr)
		if err != nil {
			return err
		}
		return fn(data)
	}
	return nil
}

// readPacked reads a packed block; if its pack was just rewritten by a
// concurrent deletion (repack), it looks the block up again.
func (s *Store) readPacked(c cid.Cid, ptr packPtr) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		data, err := s.packs.read(ptr)
		if err == nil || attempt == 2 {
			return data, err
		}
		np, lerr := s.locate(c, func(*badger.Item) error { return nil })
		if lerr != nil {
			if errors.Is(lerr, badger.ErrKeyNotFound) {
				return nil, ipld.ErrNotFound{Cid: c}
			}
			return nil, err
		}
		if np == nil || *np == ptr {
			return nil, err
		}
		ptr = *np
	}
}

// GetSize returns the block's size, or -1 and ipld.ErrNotFound.
func (s *Store) GetSize(ctx context.Context, c cid.Cid) (int, error) {
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	size := -1
	ptr, err := s.locate(c, func(it *badger.Item) error {
		size = int(it.ValueSize())
		return nil
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return -1, ipld.ErrNotFound{Cid: c}
	}
	if err != nil {
		return -1, fmt.Errorf("store: size of %s: %w", c, err)
	}
	if ptr != nil {
		size = int(ptr.n)
	}
	return size, nil
}

// Put stores one block durably. Its bytes must hash to its CID.
func (s *Store) Put(ctx context.Context, b blocks.Block) error {
	return s.PutMany(ctx, []blocks.Block{b})
}

// PutMany stores blocks atomically (one badger transaction) and durably.
// Every block is verified against its CID first; nothing is written if one
// fails or the set is too large for one transaction.
func (s *Store) PutMany(ctx context.Context, bs []blocks.Block) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, b := range bs {
		if len(b.RawData()) > MaxBlockSize {
			return fmt.Errorf("%w: %s is %d bytes, limit %d", ErrBlockTooLarge, b.Cid(), len(b.RawData()), MaxBlockSize)
		}
		if err := verifyBlock(b.Cid(), b.RawData()); err != nil {
			return err
		}
	}
	entries := make([]kv, len(bs))
	for i, b := range bs {
		entries[i] = kv{blockKey(b.Cid()), b.RawData()}
	}
	return s.writeAtomic(ctx, entries)
}

type kv struct{ k, v []byte }

// writeAtomic writes entries in one badger transaction, durably, through
// the group committer (concurrent writers share one synced write).
func (s *Store) writeAtomic(ctx context.Context, entries []kv) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	req := &commitReq{entries: entries, size: entriesSize(entries), bytes: entriesBytes(entries), done: make(chan error, 1)}
	if req.size > s.db.MaxBatchSize()*9/10 {
		return fmt.Errorf("%w: does not fit in one atomic write (limit about %d bytes)", ErrBatchTooLarge, s.db.MaxBatchSize())
	}
	s.commitCh <- req
	return <-req.done
}

// writeAtomicLocked is writeAtomic for a caller holding s.mu.
func (s *Store) writeAtomicLocked(entries ...[]kv) error {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	for _, es := range entries {
		for _, e := range es {
			if err := txn.Set(e.k, e.v); err != nil {
				if errors.Is(err, badger.ErrTxnTooBig) {
					return fmt.Errorf("%w: does not fit in one atomic write (limit about %d bytes)", ErrBatchTooLarge, s.db.MaxBatchSize())
				}
				return fmt.Errorf("store: write: %w", err)
			}
		}
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// DeleteBlock removes a block physically: when it returns, the block's bytes
// are gone from badger's files (memtable log, SST tables). It is expensive
// (it flushes the memtable and rewrites the tables holding the key); to
// remove many blocks use DeleteBatch or GC, which do it once for all.
// Deleting a missing block is not an error.
func (s *Store) DeleteBlock(ctx context.Context, c cid.Cid) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.purgeLocked(ctx, []string{string(c.Hash())}, nil)
	return err
}

// AllKeysChan lists every stored block as a CIDv1 with the raw codec (blocks
// are keyed by multihash). The channel closes when done or ctx ends.
func (s *Store) AllKeysChan(ctx context.Context) (<-chan cid.Cid, error) {
	ch, _, err := s.AllKeysChanWithErr(ctx)
	return ch, err
}

// forEachBlockKey calls f with the multihash part of every block key in txn,
// stored (prefixBlock) and packed (prefixPacked), and stops at f's first
// error. The bytes are valid only during the call.
func forEachBlockKey(txn *badger.Txn, f func(hash []byte) error) error {
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	for _, prefix := range []byte{prefixBlock, prefixPacked} {
		opt.Prefix = []byte{prefix}
		if err := func() error {
			it := txn.NewIterator(opt)
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				if err := f(it.Item().Key()[1:]); err != nil {
					return err
				}
			}
			return nil
		}(); err != nil {
			return err
		}
	}
	return nil
}

// AllKeysChanWithErr is AllKeysChan plus a function reporting, after the
// channel is drained, whether enumeration stopped early.
func (s *Store) AllKeysChanWithErr(ctx context.Context) (<-chan cid.Cid, func() error, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	out := make(chan cid.Cid, 64)
	done := make(chan error, 1)
	go func() {
		defer close(out)
		done <- s.db.View(func(txn *badger.Txn) error {
			return forEachBlockKey(txn, func(k []byte) error {
				h, err := mh.Cast(k)
				if err != nil {
					return nil // not a block key: cannot be a retrievable block
				}
				select {
				case out <- cid.NewCidV1(cid.Raw, h):
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		})
	}()
	var final error
	var got bool
	wait := func() error {
		if !got {
			final, got = <-done, true
		}
		return final
	}
	return out, wait, nil
}
