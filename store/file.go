package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
)

// AddFile encrypts everything read from r as a blob batch (KindBlob) and
// stores it: chunks of p.ChunkSize are sealed in parallel on all cores and
// appended to a new pack file; once the pack is synced, its index, the root
// node and the pin are written in one synced transaction, so a crash leaves
// either the pinned batch or an unreferenced pack (which GC removes). p.Stream/p.Patient are ignored. Returns the batch
// (its Blocks field is nil: the chunks are not kept in memory).
func (s *Store) AddFile(ctx context.Context, r io.Reader, p SealParams) (*SealedBatch, error) {
	cs, err := checkParams(&p)
	if err != nil {
		return nil, err
	}
	h := Header{Version: headerVersion, Kind: KindBlob, StreamTag: p.StreamTag, Seq: p.Seq,
		ChunkSize: uint32(cs), Capsule: append([]byte(nil), p.Capsule...)}
	if _, err := rand.Read(h.Nonce[:]); err != nil {
		return nil, fmt.Errorf("store: batch nonce: %w", err)
	}
	keys, err := deriveKeys(p.DEK, &h.Nonce)
	if err != nil {
		return nil, err
	}
	defer keys.wipe()
	bind := bindDigest(&h)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		i     int
		buf   []byte // plaintext, then ciphertext in place
		final bool
		blk   blocks.Block
		err   error
		done  chan struct{}
	}
	pool := sync.Pool{New: func() any { return make([]byte, cs+16) }}
	jobs := make(chan *job, 8)
	ordered := make(chan *job, 16) // in input order, for the writer
	var readErr error

	// Reader: reads one chunk ahead to know which chunk is final.
	go func() {
		defer close(jobs)
		defer close(ordered)
		next := pool.Get().([]byte)[:cs]
		n, err := io.ReadFull(r, next)
		for i := 0; ; i++ {
			if err == io.EOF {
				return
			}
			if err != nil && err != io.ErrUnexpectedEOF {
				readErr = fmt.Errorf("store: read input: %w", err)
				return
			}
			if i >= MaxChunks {
				readErr = fmt.Errorf("%w: input exceeds %d chunks of %d bytes", ErrBatchTooLarge, MaxChunks, cs)
				return
			}
			cur := &job{i: i, buf: next[:n], done: make(chan struct{})}
			if err == io.ErrUnexpectedEOF {
				cur.final = true
			} else {
				next = pool.Get().([]byte)[:cs]
				n, err = io.ReadFull(r, next)
				cur.final = err == io.EOF
			}
			select {
			case jobs <- cur:
			case <-ctx.Done():
				return
			}
			select {
			case ordered <- cur:
			case <-ctx.Done():
				return
			}
			if cur.final {
				return
			}
		}
	}()
	// Sealers.
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ad, nonce := chunkAD(&bind, uint64(j.i), j.final)
				ct := keys.aead.Seal(j.buf[:0], nonce[:], j.buf, ad[:])
				j.blk, j.err = rawBlock(ct)
				close(j.done)
			}
		}()
	}
	defer wg.Wait()
	defer cancel()

	// Writer: appends chunks to a new pack file in order; the index
	// (pointers), root node and pin follow in one synced transaction once
	// the pack is synced.
	pw, err := s.packs.create()
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			pw.abort()
		}
	}()
	var index []kv
	var plainLen uint64
	var chunkRefs []chunkRef
	for j := range ordered {
		select {
		case <-j.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if j.err != nil {
			return nil, j.err
		}
		data := j.blk.RawData()
		ptr, err := pw.append(data)
		if err != nil {
			return nil, err
		}
		plainLen += uint64(len(data) - 16)
		chunkRefs = append(chunkRefs, chunkRef{j.blk.Cid(), len(data)})
		index = append(index, kv{packedKey(blockKey(j.blk.Cid())), ptr.encode()})
		pool.Put(j.buf[:cap(j.buf)])
	}
	if readErr != nil {
		return nil, readErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h.PlainLen = plainLen
	h.ChunkCount = uint32(len(chunkRefs))
	root, err := buildRoot(&h, chunkRefs)
	if err != nil {
		return nil, err
	}
	if err := pw.finish(); err != nil {
		return nil, err
	}
	index = append(append(index, kv{blockKey(root.Cid()), root.RawData()}), pinEntries(root.Cid(), h.StreamTag)...)
	if err := s.writeAtomic(ctx, index); err != nil {
		return nil, err
	}
	ok = true
	pw.done()
	return &SealedBatch{Root: root.Cid(), Header: h}, nil
}

// ReadFile decrypts the blob batch at root into w, verifying every chunk.
// Failures are *IntegrityError naming the CID at fault; bytes already
// written to w before a failure must be discarded by the caller.
func ReadFile(ctx context.Context, bg BlockGetter, root cid.Cid, dek *[32]byte, w io.Writer) (*Header, error) {
	h, chunks, keys, err := openRoot(ctx, bg, root, dek, KindBlob)
	if err != nil {
		return nil, err
	}
	defer keys.wipe()
	err = decryptChunks(ctx, bg, h, chunks, keys, root, func(p []byte) error {
		_, err := w.Write(p)
		return err
	})
	if err != nil {
		var ie *IntegrityError
		if errors.As(err, &ie) {
			return nil, err
		}
		return nil, fmt.Errorf("store: read blob %s: %w", root, err)
	}
	return h, nil
}
