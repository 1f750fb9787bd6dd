package store

import (
	"context"
	"errors"
	"fmt"
	"io"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
)

// MaxImportSize bounds the bytes of blocks ImportCAR holds while checking a
// CAR before writing it.
const MaxImportSize = 1 << 30

// ExportCAR writes the batch at root as a CARv1 (root first, then the
// chunks in order) to w. Every block is verified against its CID on the
// way out; a missing or corrupted block is an *IntegrityError.
func (s *Store) ExportCAR(ctx context.Context, root cid.Cid, w io.Writer) error {
	_, chunks, err := ReadRoot(ctx, s, root)
	if err != nil {
		return err
	}
	cw, err := storage.NewWritable(w, []cid.Cid{root}, carv2.WriteAsCarV1(true), carv2.AllowDuplicatePuts(true))
	if err != nil {
		return fmt.Errorf("store: car writer: %w", err)
	}
	for _, c := range append([]cid.Cid{root}, chunks...) {
		data, err := getBlock(ctx, s, c, "block")
		if err != nil {
			return err
		}
		if err := cw.Put(ctx, c.KeyString(), data); err != nil {
			return fmt.Errorf("store: write %s to car: %w", c, err)
		}
	}
	if err := cw.Finalize(); err != nil {
		return fmt.Errorf("store: finish car: %w", err)
	}
	return nil
}

// ImportCAR reads a CAR (v1 or v2) holding exactly one vaultnode batch (one
// root, the root block and all its chunks, nothing else), verifies every
// block against its CID and the root's structure, then stores and pins the
// batch (atomically when it fits one transaction; otherwise the root and
// pin last). Nothing is written if any check fails. It does not decrypt:
// the DEK is not needed to move ciphertext.
func (s *Store) ImportCAR(ctx context.Context, r io.Reader) (cid.Cid, error) {
	sb, err := ReadCAR(r)
	if err != nil {
		return cid.Undef, err
	}
	if err := s.putDAG(ctx, sb); err != nil {
		return cid.Undef, err
	}
	return sb.Root, nil
}

// ReadCAR parses and verifies a batch CAR without storing it (see ImportCAR).
func ReadCAR(r io.Reader) (*SealedBatch, error) {
	br, err := carv2.NewBlockReader(r, carv2.MaxAllowedSectionSize(MaxBlockSize+128))
	if err != nil {
		return nil, fmt.Errorf("store: read car header: %w", err)
	}
	if len(br.Roots) != 1 {
		return nil, fmt.Errorf("%w: car has %d roots, want 1", ErrNotBatch, len(br.Roots))
	}
	root := br.Roots[0]
	got := map[string]blocks.Block{}
	total := 0
	for {
		b, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("store: read car block: %w", err)
		}
		if len(b.RawData()) > MaxBlockSize {
			return nil, fmt.Errorf("%w: %s", ErrBlockTooLarge, b.Cid())
		}
		if err := verifyBlock(b.Cid(), b.RawData()); err != nil {
			return nil, err
		}
		total += len(b.RawData())
		if total > MaxImportSize || len(got) > MaxChunks+1 {
			return nil, fmt.Errorf("%w: car larger than %d bytes / %d blocks", ErrBatchTooLarge, MaxImportSize, MaxChunks+1)
		}
		got[string(b.Cid().Hash())] = b
	}
	return assembleBatch(root, got)
}

// assembleBatch checks that got (blocks by multihash, already verified
// against their CIDs) is exactly the batch at root: a valid root node, every
// chunk it links to, nothing else.
func assembleBatch(root cid.Cid, got map[string]blocks.Block) (*SealedBatch, error) {
	rb, ok := got[string(root.Hash())]
	if !ok {
		return nil, integrityErr(root, "root block missing", nil)
	}
	if root.Type() != cid.DagProtobuf {
		return nil, fmt.Errorf("%w: root %s is not dag-pb", ErrNotBatch, root)
	}
	h, chunks, err := decodeRoot(root, rb.RawData())
	if err != nil {
		return nil, err
	}
	sb := &SealedBatch{Root: root, Header: *h}
	for _, c := range chunks {
		b, ok := got[string(c.Hash())]
		if !ok {
			return nil, integrityErr(c, "chunk missing", nil)
		}
		if len(b.RawData()) > int(h.ChunkSize)+16 {
			return nil, integrityErr(c, "chunk larger than the header's chunk size", nil)
		}
		sb.Blocks = append(sb.Blocks, b)
	}
	sb.Blocks = append(sb.Blocks, rb)
	if len(got) != len(chunks)+1 {
		return nil, fmt.Errorf("%w: %d blocks that are not part of batch %s", ErrNotBatch, len(got)-len(chunks)-1, root)
	}
	return sb, nil
}

// Replicate copies the batch at root from another block source (a
// blockservice session fetching over bitswap, another store) into this
// store: every block is fetched and verified against its CID, the structure
// is checked, then the batch is stored and pinned like ImportCAR (nothing
// is written if a block is missing or corrupt: *IntegrityError naming it).
// It returns the bytes stored. It needs no key. Replicating a batch already
// pinned here is a cheap no-op.
func (s *Store) Replicate(ctx context.Context, from BlockGetter, root cid.Cid) (int, error) {
	if ok, err := s.IsPinned(ctx, root); err != nil || ok {
		return 0, err
	}
	rootRaw, h, chunks, err := readRoot(ctx, from, root)
	if err != nil {
		return 0, err
	}
	if mg, ok := from.(multiGetter); ok && uint64(h.ChunkCount)*uint64(h.ChunkSize) >= replicatePackThreshold {
		return s.replicatePacked(ctx, mg, from, root, rootRaw, h, chunks)
	}
	got := make(map[string]blocks.Block, len(chunks)+1)
	// The root came with readRoot (verified against its CID there); asking
	// a bitswap session for it a second time could wait forever: the
	// replication tests saw such a second want never sent.
	rb, err := blocks.NewBlockWithCid(rootRaw, root)
	if err != nil {
		return 0, err
	}
	got[string(root.Hash())] = rb
	total := len(rootRaw)
	err = fetchInOrder(ctx, from, chunks, "chunk", func(i int, data []byte) error {
		total += len(data)
		if total > MaxImportSize {
			return fmt.Errorf("%w: batch %s larger than %d bytes", ErrBatchTooLarge, root, MaxImportSize)
		}
		b, err := blocks.NewBlockWithCid(data, chunks[i])
		if err != nil {
			return err
		}
		got[string(chunks[i].Hash())] = b
		return nil
	})
	if err != nil {
		return 0, err
	}
	sb, err := assembleBatch(root, got)
	if err != nil {
		return 0, err
	}
	if err := s.putDAG(ctx, sb); err != nil {
		return 0, err
	}
	return total, nil
}

// putDAG stores and pins a batch: in one transaction when it fits, else the
// chunks in groups and the root with its pin last.
func (s *Store) putDAG(ctx context.Context, sb *SealedBatch) error {
	err := s.PutBatch(ctx, sb)
	if !errors.Is(err, ErrBatchTooLarge) {
		return err
	}
	limit := s.db.MaxBatchSize() * 8 / 10
	var group []kv
	var size int64
	for _, b := range sb.Blocks[:len(sb.Blocks)-1] {
		e := kv{blockKey(b.Cid()), b.RawData()}
		if size+int64(len(e.k)+len(e.v)+32) > limit {
			if err := s.writeAtomic(ctx, group); err != nil {
				return err
			}
			group, size = group[:0], 0
		}
		group = append(group, e)
		size += int64(len(e.k) + len(e.v) + 32)
	}
	rb := sb.Blocks[len(sb.Blocks)-1]
	group = append(append(group, kv{blockKey(rb.Cid()), rb.RawData()}), pinEntries(sb.Root, sb.Header.StreamTag)...)
	return s.writeAtomic(ctx, group)
}
