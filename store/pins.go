package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/ipfs/boxo/ipld/merkledag"
	cid "github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

func pinKey(root cid.Cid) []byte { return prefixedKey(prefixPin, root.Bytes()) }

var pinValue = []byte{1} // recursive pin

// streamKey is the per-stream index entry of a pinned batch, written and
// removed with its pin, so that erasure finds a stream's batches without
// reading the root of every pin.
func streamKey(tag [32]byte, root cid.Cid) []byte {
	b := root.Bytes()
	k := make([]byte, 0, 1+32+len(b))
	k = append(k, prefixStream)
	k = append(k, tag[:]...)
	return append(k, b...)
}

// pinEntries pins root and indexes it under its stream tag.
func pinEntries(root cid.Cid, tag [32]byte) []kv {
	return []kv{{pinKey(root), pinValue}, {streamKey(tag, root), nil}}
}

func batchEntries(b *SealedBatch) []kv {
	e := make([]kv, 0, len(b.Blocks)+2)
	for _, bl := range b.Blocks {
		e = append(e, kv{blockKey(bl.Cid()), bl.RawData()})
	}
	return append(e, pinEntries(b.Root, b.Header.StreamTag)...)
}

// rootTag reads the stream tag from a stored batch root (false: no such
// block, or not a batch root).
func (s *Store) rootTag(ctx context.Context, root cid.Cid) ([32]byte, bool) {
	b, err := s.Get(ctx, root)
	if err != nil {
		return [32]byte{}, false
	}
	h, _, err := DecodeRoot(b.RawData())
	if err != nil {
		return [32]byte{}, false
	}
	return h.StreamTag, true
}

// RootsOfStream lists the pinned batches of the stream with tag, from the
// per-stream index (its cost grows with the stream, not with the store).
func (s *Store) RootsOfStream(ctx context.Context, tag [32]byte) ([]cid.Cid, error) {
	pre := append([]byte{prefixStream}, tag[:]...)
	out, err := s.cidsUnder(ctx, pre, cid.Undef, 0)
	if err != nil {
		return nil, fmt.Errorf("store: batches of a stream: %w", err)
	}
	return out, nil
}

// cidsUnder lists the CIDs that end the keys under prefix, in key order,
// starting after CID after (cid.Undef: from the first), at most limit of
// them (0: all).
func (s *Store) cidsUnder(ctx context.Context, prefix []byte, after cid.Cid, limit int) ([]cid.Cid, error) {
	var out []cid.Cid
	err := s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		opt.Prefix = prefix
		it := txn.NewIterator(opt)
		defer it.Close()
		start := prefix
		if after.Defined() {
			start = append(slices.Clone(prefix), after.Bytes()...)
		}
		for it.Seek(start); it.Valid() && (limit == 0 || len(out) < limit); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := it.Item().Key()
			if after.Defined() && bytes.Equal(k[len(prefix):], after.Bytes()) {
				continue
			}
			c, err := cid.Cast(k[len(prefix):])
			if err != nil {
				return fmt.Errorf("corrupt key %x: %w", k, err)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// indexStreams builds the per-stream index of a store written before it
// existed, once (the meta key "streams-indexed" records that it is done).
func (s *Store) indexStreams() error {
	done := []byte{prefixMeta, 's', 't', 'r', 'e', 'a', 'm', 's'}
	err := s.db.View(func(txn *badger.Txn) error { _, err := txn.Get(done); return err })
	if err == nil {
		return nil
	}
	if !errors.Is(err, badger.ErrKeyNotFound) {
		return fmt.Errorf("store: stream index: %w", err)
	}
	ctx := context.Background()
	after := cid.Undef
	n := 0
	for {
		page, err := s.PinsAfter(ctx, after, 4096)
		if err != nil {
			return err
		}
		var es []kv
		for _, root := range page {
			if tag, ok := s.rootTag(ctx, root); ok {
				es = append(es, kv{streamKey(tag, root), nil})
			}
		}
		if len(es) > 0 {
			if err := s.db.Update(func(txn *badger.Txn) error {
				for _, e := range es {
					if err := txn.Set(e.k, e.v); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				return fmt.Errorf("store: stream index: %w", err)
			}
			n += len(es)
		}
		if len(page) < 4096 {
			break
		}
		after = page[len(page)-1]
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(done, []byte{1}) }); err != nil {
		return fmt.Errorf("store: stream index: %w", err)
	}
	if n > 0 {
		s.log.Info("indexed the pinned batches by stream", "batches", n)
	}
	return nil
}

// entriesSize estimates what entries count against badger's transaction
// size limit (values in the value log count as a 12-byte pointer), with a
// margin for badger's per-entry overhead.
func entriesSize(es []kv) int64 {
	var n int64
	for _, e := range es {
		if len(e.v) >= vlogThreshold {
			n += int64(len(e.k)) + 12 + 32
		} else {
			n += int64(len(e.k)+len(e.v)) + 32
		}
	}
	return n
}

// maxGroupBytes bounds the bytes the committer puts in one transaction
// (memory and latency), whatever badger's limit allows.
const maxGroupBytes = 64 << 20

func entriesBytes(es []kv) int64 {
	var n int64
	for _, e := range es {
		n += int64(len(e.k) + len(e.v))
	}
	return n
}

// PutBatch stores a sealed batch and pins its root, atomically (one badger
// transaction: after a crash either the whole batch is there or nothing)
// and durably (acknowledged only after the write is synced).
func (s *Store) PutBatch(ctx context.Context, b *SealedBatch) error {
	return s.PutBatches(ctx, []*SealedBatch{b})
}

// PutBatches stores and pins many sealed batches with as few synced writes
// as possible (group commit): batches are packed into badger transactions
// up to its size limit, each batch entirely inside one. When it returns nil
// every batch is durable. A batch too large for one transaction is refused
// with ErrBatchTooLarge before anything is written.
func (s *Store) PutBatches(ctx context.Context, bs []*SealedBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	limit := s.db.MaxBatchSize() * 9 / 10
	countLimit := s.db.MaxBatchCount() * 9 / 10
	groups := [][]kv{}
	var cur []kv
	var curSize int64
	for _, b := range bs {
		for _, bl := range b.Blocks {
			if len(bl.RawData()) > MaxBlockSize {
				return fmt.Errorf("%w: %s is %d bytes", ErrBlockTooLarge, bl.Cid(), len(bl.RawData()))
			}
		}
		es := batchEntries(b)
		sz := entriesSize(es)
		if sz > limit || int64(len(es)) > countLimit {
			return fmt.Errorf("%w: batch %s is %d bytes, one atomic write holds about %d", ErrBatchTooLarge, b.Root, sz, limit)
		}
		if curSize+sz > limit || int64(len(cur)+len(es)) > countLimit {
			groups = append(groups, cur)
			cur, curSize = nil, 0
		}
		cur = append(cur, es...)
		curSize += sz
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	reqs := make([]*commitReq, len(groups))
	for i, g := range groups {
		reqs[i] = &commitReq{entries: g, size: entriesSize(g), bytes: entriesBytes(g), done: make(chan error, 1)}
		s.commitCh <- reqs[i]
	}
	var first error
	for _, r := range reqs {
		if err := <-r.done; err != nil && first == nil {
			first = err
		}
	}
	return first
}

var errClosed = errors.New("store: closed")

// commitReq is one atomic group of entries waiting for the committer.
type commitReq struct {
	entries []kv
	size    int64 // against badger's limit
	bytes   int64 // actual bytes
	done    chan error
}

// committer owns group commit: it takes every request queued at the time,
// up to badger's transaction limit, writes them in one synced transaction
// and acknowledges them all. Each request stays inside one transaction, so
// batches remain atomic. Callers hold s.mu shared while they wait, so the
// committer never runs during a physical deletion. It stops when Close
// closes commitCh.
func (s *Store) committer() {
	defer close(s.commitDone)
	limit := s.db.MaxBatchSize() * 9 / 10
	countLimit := s.db.MaxBatchCount() * 9 / 10
	var pending *commitReq
	for {
		req := pending
		pending = nil
		if req == nil {
			var ok bool
			if req, ok = <-s.commitCh; !ok {
				return
			}
		}
		group := []*commitReq{req}
		size, count, nbytes := req.size, int64(len(req.entries)), req.bytes
	fill:
		for {
			select {
			case more, ok := <-s.commitCh:
				if !ok {
					break fill
				}
				if size+more.size > limit || count+int64(len(more.entries)) > countLimit || nbytes+more.bytes > maxGroupBytes {
					pending = more
					break fill
				}
				group = append(group, more)
				size += more.size
				count += int64(len(more.entries))
				nbytes += more.bytes
			default:
				break fill
			}
		}
		if err := s.commitGroup(group); err != nil && len(group) > 1 {
			// Do not let one request fail the others: retry each alone.
			for _, r := range group {
				r.done <- s.commitGroup([]*commitReq{r})
			}
		} else {
			for _, r := range group {
				r.done <- err
			}
		}
	}
}

func (s *Store) commitGroup(group []*commitReq) error {
	entries := make([][]kv, len(group))
	for i, r := range group {
		entries[i] = r.entries
	}
	return s.writeAtomicLocked(entries...)
}

// SealAndPut seals readings (see Seal) and stores the batch (see PutBatch).
func (s *Store) SealAndPut(ctx context.Context, p SealParams, readings []Reading) (*SealedBatch, error) {
	b, err := Seal(p, readings)
	if err != nil {
		return nil, err
	}
	if err := s.PutBatch(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Pin pins root recursively (it and every block it links to survive GC).
// The root block must be present.
func (s *Store) Pin(ctx context.Context, root cid.Cid) error {
	ok, err := s.Has(ctx, root)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("store: pin %s: %w", root, ipld.ErrNotFound{Cid: root})
	}
	es := []kv{{pinKey(root), pinValue}}
	if tag, ok := s.rootTag(ctx, root); ok {
		es = pinEntries(root, tag)
	}
	return s.writeAtomic(ctx, es)
}

// Unpin removes root's pin (its blocks go at the next GC). Unpinning a root
// that is not pinned is not an error.
func (s *Store) Unpin(ctx context.Context, root cid.Cid) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tag, indexed := s.rootTag(ctx, root)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.db.Update(func(txn *badger.Txn) error {
		if indexed {
			if err := txn.Delete(streamKey(tag, root)); err != nil {
				return err
			}
		}
		return txn.Delete(pinKey(root))
	}); err != nil {
		return fmt.Errorf("store: unpin %s: %w", root, err)
	}
	return nil
}

// IsPinned reports whether root is pinned.
func (s *Store) IsPinned(ctx context.Context, root cid.Cid) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(pinKey(root))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: pin of %s: %w", root, err)
	}
	return true, nil
}

// PinsAfter lists at most limit pinned roots in key order, starting after
// root after (cid.Undef: from the first), so that a caller can walk every pin
// page by page without holding them all in memory or one read transaction
// open for the whole walk.
func (s *Store) PinsAfter(ctx context.Context, after cid.Cid, limit int) ([]cid.Cid, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%w: page of %d pins", ErrInvalidParams, limit)
	}
	out, err := s.cidsUnder(ctx, []byte{prefixPin}, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list pins: %w", err)
	}
	return out, nil
}

// Pins lists the pinned roots.
func (s *Store) Pins(ctx context.Context) ([]cid.Cid, error) {
	out, err := s.cidsUnder(ctx, []byte{prefixPin}, cid.Undef, 0)
	if err != nil {
		return nil, fmt.Errorf("store: list pins: %w", err)
	}
	return out, nil
}

// links returns the CIDs c links to (none for raw blocks or missing blocks).
func (s *Store) links(ctx context.Context, c cid.Cid) ([]cid.Cid, bool, error) {
	if c.Type() != cid.DagProtobuf {
		ok, err := s.Has(ctx, c)
		return nil, ok, err
	}
	var out []cid.Cid
	err := s.View(ctx, c, func(raw []byte) error {
		nd, err := merkledag.DecodeProtobuf(raw)
		if err != nil {
			return err
		}
		for _, l := range nd.Links() {
			out = append(out, l.Cid)
		}
		return nil
	})
	if ipld.IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: links of %s: %w", c, err)
	}
	return out, true, nil
}

// walk adds the multihash of root and every block below it that is present
// to set. It reports whether root itself is present.
func (s *Store) walk(ctx context.Context, root cid.Cid, set map[string]struct{}) error {
	stack := []cid.Cid{root}
	for len(stack) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, seen := set[string(c.Hash())]; seen {
			continue
		}
		ls, ok, err := s.links(ctx, c)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		set[string(c.Hash())] = struct{}{}
		stack = append(stack, ls...)
	}
	return nil
}

// GC physically deletes every block not reachable from a pin and returns
// how many it removed. When it returns, the removed blocks' bytes are in no
// file of the store's directory (badger's memtable log is flushed and every
// table holding them is rewritten). Writes wait while it runs. Blocks must be
// pinned to survive: write batches with PutBatch(es)/ImportCAR, which pin
// atomically, or Pin right after Put.
func (s *Store) GC(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	live := map[string]struct{}{}
	pins, err := s.Pins(ctx)
	if err != nil {
		return 0, err
	}
	for _, p := range pins {
		if err := s.walk(ctx, p, live); err != nil {
			return 0, err
		}
	}
	var dead []string
	err = s.db.View(func(txn *badger.Txn) error {
		return forEachBlockKey(txn, func(k []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, ok := live[string(k)]; !ok {
				dead = append(dead, string(k))
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("store: gc scan: %w", err)
	}
	n, err := s.purgeLocked(ctx, dead, nil)
	if err != nil {
		return 0, err
	}
	// Also unlink packs no pointer refers to (left by a crash mid-add).
	if err := s.sweepPacksLocked(nil); err != nil {
		return 0, err
	}
	return n, nil
}

// DeleteBatch unpins root and physically deletes the batch's blocks (the
// root and every chunk present), returning how many blocks were removed.
// It is idempotent: deleting a deleted batch returns 0. Chunks are unique to
// their batch (each is encrypted under the batch's own keys), so no other
// batch loses a block. Used by erasure.
func (s *Store) DeleteBatch(ctx context.Context, root cid.Cid) (int, error) {
	return s.DeleteBatches(ctx, []cid.Cid{root})
}

// DeleteBatches is DeleteBatch for many roots at once (one physical purge
// for all, much cheaper than one per batch). Every Datastore entry under
// the forget prefixes (ds key strings) is removed physically in the same
// purge: an erased patient's indexes leave no byte behind either.
func (s *Store) DeleteBatches(ctx context.Context, roots []cid.Cid, forget ...string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]struct{}{}
	for _, r := range roots {
		if err := s.walk(ctx, r, set); err != nil {
			return 0, err
		}
	}
	hs := make([]string, 0, len(set))
	for h := range set {
		hs = append(hs, h)
	}
	extra := make([][]byte, 0, len(roots)+len(forget))
	for _, r := range roots {
		extra = append(extra, pinKey(r))
		if tag, ok := s.rootTag(ctx, r); ok {
			extra = append(extra, streamKey(tag, r))
		}
	}
	for _, p := range forget {
		if p == "" || p == "/" {
			return 0, fmt.Errorf("store: purge: refusing to forget the whole datastore")
		}
		extra = append(extra, append([]byte{prefixDatastore}, p...))
	}
	return s.purgeLocked(ctx, hs, extra)
}

// purgeLocked physically removes the blocks with multihashes hs (inline or
// packed) and the extra keys, with s.mu held exclusively. It returns how
// many of the blocks existed.
func (s *Store) purgeLocked(ctx context.Context, hs []string, extra [][]byte) (int, error) {
	keys := make([][]byte, 0, 2*len(hs)+len(extra))
	touched := map[uint64]bool{}
	present := 0
	err := s.db.View(func(txn *badger.Txn) error {
		for _, h := range hs {
			bk := mhKey(mh.Multihash(h))
			pk := packedKey(bk)
			_, errB := txn.Get(bk)
			it, errK := txn.Get(pk)
			if errB == nil || errK == nil {
				present++
			}
			if errB == nil {
				keys = append(keys, bk)
			}
			if errK == nil {
				keys = append(keys, pk)
				if err := it.Value(func(v []byte) error {
					p, err := decodePackPtr(v)
					touched[p.pack] = true
					return err
				}); err != nil {
					return err
				}
			}
			for _, e := range []error{errB, errK} {
				if e != nil && !errors.Is(e, badger.ErrKeyNotFound) {
					return e
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	if _, err := s.dropKeysLocked(ctx, append(keys, extra...)); err != nil {
		return 0, err
	}
	if present > 0 {
		if err := s.vlogPurgeLocked(); err != nil {
			return 0, err
		}
	}
	if len(touched) > 0 {
		if err := s.sweepPacksLocked(touched); err != nil {
			return 0, err
		}
	}
	return present, nil
}

// dropKeysLocked removes keys physically with badger's DropPrefix: it
// flushes the memtables without those keys (deleting their log files) and
// rewrites every SST table that holds one. Our keys are self-delimiting
// (a multihash or CID after a one-byte tag), so a key used as a prefix
// matches only itself. Returns how many of keys existed.
func (s *Store) dropKeysLocked(ctx context.Context, keys [][]byte) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	present := 0
	err := s.db.View(func(txn *badger.Txn) error {
		for _, k := range keys {
			if _, err := txn.Get(k); err == nil {
				present++
			} else if !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	const perCall = 4096
	for i := 0; i < len(keys); i += perCall {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := s.db.DropPrefix(keys[i:min(i+perCall, len(keys))]...); err != nil {
			return 0, fmt.Errorf("store: purge %d keys: %w", len(keys), err)
		}
	}
	return present, nil
}
