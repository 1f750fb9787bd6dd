package store

import (
	"bytes"
	"context"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
)

// blockSamples returns 32-byte samples from the middle of each block (long
// enough to be unique, away from any framing).
func blockSamples(bs []blocks.Block) [][]byte {
	var out [][]byte
	for _, b := range bs {
		d := b.RawData()
		if len(d) >= 64 {
			out = append(out, d[len(d)/2:len(d)/2+32])
		}
	}
	return out
}

func countSamples(t *testing.T, dir string, samples [][]byte) int {
	return scanDirAll(t, dir, samples)
}

// GC must remove unpinned blocks from every file of the store, not just
// hide them: after GC and Close, a raw scan of the directory finds none of
// their bytes, while pinned batches still open.
func TestGCPhysicallyDeletesUnpinned(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSmall(t, dir)
	var keep, drop []*SealedBatch
	var keepP []SealParams
	for i := range 6 {
		p := testParams(t, uint64(i))
		p.ChunkSize = 8192
		b, err := s.SealAndPut(ctx, p, testReadings(300, ""))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			keep, keepP = append(keep, b), append(keepP, p)
		} else {
			drop = append(drop, b)
		}
	}
	// Flush some of them into SST tables first, so GC has to rewrite
	// tables as well as drop memtable entries.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openSmall(t, dir)
	loose := blocks.NewBlock(bytes.Repeat([]byte("unpinned loose block "), 20))
	if err := s.Put(ctx, loose); err != nil {
		t.Fatal(err)
	}
	var dropBlocks []blocks.Block
	for _, b := range drop {
		if err := s.Unpin(ctx, b.Root); err != nil {
			t.Fatal(err)
		}
		dropBlocks = append(dropBlocks, b.Blocks...)
	}
	dropBlocks = append(dropBlocks, loose)
	samples := blockSamples(dropBlocks)
	if n := countSamples(t, dir, samples); n == 0 {
		t.Fatal("test is void: the blocks to collect are not on disk before GC")
	}
	removed, err := s.GC(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if removed != len(dropBlocks) {
		t.Fatalf("GC removed %d blocks, want %d", removed, len(dropBlocks))
	}
	for _, b := range dropBlocks {
		if ok, _ := s.Has(ctx, b.Cid()); ok {
			t.Fatalf("collected block %s still readable", b.Cid())
		}
	}
	for i, b := range keep {
		if _, err := s.Open(ctx, b.Root, keepP[i].DEK); err != nil {
			t.Fatalf("pinned batch lost by GC: %v", err)
		}
	}
	if n := countSamples(t, dir, samples); n != 0 {
		t.Fatalf("after GC (store open) %d copies of collected blocks remain on disk", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := countSamples(t, dir, samples); n != 0 {
		t.Fatalf("after GC and close, %d copies of collected blocks remain on disk", n)
	}
	keepSamples := blockSamples(keep[0].Blocks)
	if n := countSamples(t, dir, keepSamples); n == 0 {
		t.Fatal("scan is blind: pinned blocks not found on disk")
	}
}

// Erasure's DeleteBatch: the batch's blocks and pin vanish physically and
// the count is exact; other batches are untouched; repeating is a no-op.
func TestDeleteBatchPhysical(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSmall(t, dir)
	defer func() { s.Close() }()
	var victims []*SealedBatch
	for i := range 3 {
		p := testParams(t, uint64(i))
		p.ChunkSize = 8192
		b, err := s.SealAndPut(ctx, p, testReadings(200, ""))
		if err != nil {
			t.Fatal(err)
		}
		victims = append(victims, b)
	}
	op := testParams(t, 99)
	other, err := s.SealAndPut(ctx, op, testReadings(200, ""))
	if err != nil {
		t.Fatal(err)
	}
	// Half on SSTs, half in the memtable.
	s.Close()
	s = openSmall(t, dir)
	p := testParams(t, 50)
	p.ChunkSize = 8192
	late, err := s.SealAndPut(ctx, p, testReadings(200, ""))
	if err != nil {
		t.Fatal(err)
	}
	victims = append(victims, late)
	var all []blocks.Block
	var roots []cid.Cid
	for _, v := range victims {
		all = append(all, v.Blocks...)
		roots = append(roots, v.Root)
	}
	samples := blockSamples(all)
	if countSamples(t, dir, samples) == 0 {
		t.Fatal("test is void: victims not on disk")
	}
	n, err := s.DeleteBatch(ctx, roots[0])
	if err != nil || n != len(victims[0].Blocks) {
		t.Fatalf("DeleteBatch = %d, %v; want %d", n, err, len(victims[0].Blocks))
	}
	n, err = s.DeleteBatches(ctx, roots)
	want := len(all) - len(victims[0].Blocks)
	if err != nil || n != want {
		t.Fatalf("DeleteBatches = %d, %v; want %d", n, err, want)
	}
	if n, err := s.DeleteBatches(ctx, roots); err != nil || n != 0 {
		t.Fatalf("repeated delete = %d, %v", n, err)
	}
	for _, r := range roots {
		if ok, _ := s.IsPinned(ctx, r); ok {
			t.Fatal("deleted batch still pinned")
		}
	}
	if _, err := s.Open(ctx, other.Root, op.DEK); err != nil {
		t.Fatalf("unrelated batch damaged: %v", err)
	}
	if c := countSamples(t, dir, samples); c != 0 {
		t.Fatalf("%d copies of deleted blocks remain on disk (store open)", c)
	}
	s.Close()
	if c := countSamples(t, dir, samples); c != 0 {
		t.Fatalf("%d copies of deleted blocks remain on disk (closed)", c)
	}
	s = openSmall(t, dir)
}

// A readings plaintext marker never reaches the disk: only ciphertext does.
func TestPlaintextNeverOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSmall(t, dir)
	const marker = "PLAINTEXT-MARKER-7f3a9c"
	for i := range 5 {
		if _, err := s.SealAndPut(ctx, testParams(t, uint64(i)), testReadings(500, marker)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	f, _ := Seal(testParams(t, 9), testReadings(3, marker))
	if err := s.PutBatch(ctx, f); err != nil {
		t.Fatal(err)
	}
	buf.WriteString(marker)
	if _, err := s.AddFile(ctx, bytes.NewReader(bytes.Repeat(buf.Bytes(), 10000)), testParams(t, 10)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := scanDir(t, dir, []byte(marker)); n != 0 {
		t.Fatalf("plaintext marker found %d times on disk", n)
	}
	if n := scanDir(t, dir, []byte("cgm-17")); n != 0 {
		t.Fatalf("a device id was found %d times on disk", n)
	}
}

// openSmall opens a store with a small memtable (so its log files, which
// the scans read, stay small).
func openSmall(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, &Options{MemTableSize: 8 << 20, ValueLogFileSize: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
