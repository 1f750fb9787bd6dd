package store

import (
	"bytes"
	"context"
	"errors"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
	mh "github.com/multiformats/go-multihash"
)

func TestCARRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := openTest(t, t.TempDir())
	defer a.Close()
	b := openTest(t, t.TempDir())
	defer b.Close()
	p := testParams(t, 3)
	p.ChunkSize = 4096
	sb, err := a.SealAndPut(ctx, p, testReadings(500, ""))
	if err != nil {
		t.Fatal(err)
	}
	var car bytes.Buffer
	if err := a.ExportCAR(ctx, sb.Root, &car); err != nil {
		t.Fatal(err)
	}
	// It is a standard CAR: go-car reads it, with the batch root as its root.
	br, err := carv2.NewBlockReader(bytes.NewReader(car.Bytes()))
	if err != nil || len(br.Roots) != 1 || !br.Roots[0].Equals(sb.Root) {
		t.Fatalf("car header: %v %v", br, err)
	}
	root, err := b.ImportCAR(ctx, bytes.NewReader(car.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !root.Equals(sb.Root) {
		t.Fatalf("imported root %s, exported %s", root, sb.Root)
	}
	if ok, _ := b.IsPinned(ctx, root); !ok {
		t.Fatal("imported batch not pinned")
	}
	o, err := b.Open(ctx, root, p.DEK)
	if err != nil || len(o.Readings) != 500 {
		t.Fatalf("open imported: %v", err)
	}
}

// writeCAR builds a CARv1 from arbitrary blocks and roots.
func writeCAR(t *testing.T, roots []cid.Cid, bs []blocks.Block) []byte {
	var buf bytes.Buffer
	w, err := storage.NewWritable(&buf, roots, carv2.WriteAsCarV1(true), carv2.AllowDuplicatePuts(true))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if err := w.Put(context.Background(), b.Cid().KeyString(), b.RawData()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finalize(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportCARRefuses(t *testing.T) {
	ctx := context.Background()
	p := testParams(t, 4)
	p.ChunkSize = 4096
	sb, err := Seal(p, testReadings(300, ""))
	if err != nil {
		t.Fatal(err)
	}
	chunks := sb.Blocks[:len(sb.Blocks)-1]
	rootB := sb.Blocks[len(sb.Blocks)-1]
	forged, _ := blocks.NewBlockWithCid(bytes.Repeat([]byte{7}, len(chunks[1].RawData())), chunks[1].Cid())
	cases := map[string]struct {
		car  []byte
		want func(error) bool
	}{
		"missing chunk": {writeCAR(t, []cid.Cid{sb.Root}, append([]blocks.Block{rootB}, chunks[1:]...)), isIntegrity},
		"missing root":  {writeCAR(t, []cid.Cid{sb.Root}, chunks), isIntegrity},
		"forged chunk": {writeCAR(t, []cid.Cid{sb.Root}, []blocks.Block{rootB, chunks[0], forged, chunks[2]}),
			func(err error) bool { return err != nil }},
		"extra block": {writeCAR(t, []cid.Cid{sb.Root}, append(append([]blocks.Block{rootB}, chunks...), blocks.NewBlock([]byte("x")))),
			func(err error) bool { return errors.Is(err, ErrNotBatch) }},
		"two roots": {writeCAR(t, []cid.Cid{sb.Root, chunks[0].Cid()}, sb.Blocks), func(err error) bool { return errors.Is(err, ErrNotBatch) }},
		"garbage":   {[]byte("not a car at all"), func(err error) bool { return err != nil }},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := openTest(t, t.TempDir())
			defer s.Close()
			_, err := s.ImportCAR(ctx, bytes.NewReader(c.car))
			if !c.want(err) {
				t.Fatalf("got %v", err)
			}
			ch, _ := s.AllKeysChan(ctx)
			for k := range ch {
				t.Fatalf("refused import left block %s", k)
			}
		})
	}
}

func isIntegrity(err error) bool {
	var ie *IntegrityError
	return errors.As(err, &ie)
}

func TestReplicate(t *testing.T) {
	ctx := context.Background()
	a := openTest(t, t.TempDir())
	defer a.Close()
	b := openTest(t, t.TempDir())
	defer b.Close()
	p := testParams(t, 5)
	p.ChunkSize = 4096
	sb, err := a.SealAndPut(ctx, p, testReadings(400, ""))
	if err != nil {
		t.Fatal(err)
	}
	n, err := b.Replicate(ctx, a, sb.Root)
	if err != nil || n != sb.Size() {
		t.Fatalf("Replicate = %d, %v; want %d bytes", n, err, sb.Size())
	}
	if _, err := b.Open(ctx, sb.Root, p.DEK); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.IsPinned(ctx, sb.Root); !ok {
		t.Fatal("replica not pinned")
	}
	// From a source missing one chunk: refused, nothing stored.
	c := openTest(t, t.TempDir())
	defer c.Close()
	p2 := testParams(t, 6)
	p2.ChunkSize = 4096
	sb2, _ := a.SealAndPut(ctx, p2, testReadings(400, ""))
	if err := a.DeleteBlock(ctx, sb2.Blocks[2].Cid()); err != nil {
		t.Fatal(err)
	}
	_, err = c.Replicate(ctx, a, sb2.Root)
	var ie *IntegrityError
	if !errors.As(err, &ie) || !ie.CID.Equals(sb2.Blocks[2].Cid()) {
		t.Fatalf("replicating an incomplete batch: %v", err)
	}
	ch, _ := c.AllKeysChan(ctx)
	for k := range ch {
		t.Fatalf("failed replication left %s", k)
	}
}

// shuffledSource serves a store's blocks the way a bitswap session does:
// GetBlocks delivers a window's blocks in any order; it can also drop one
// block, corrupt one, and add a block nobody asked for.
type shuffledSource struct {
	s       *Store
	drop    cid.Cid
	corrupt cid.Cid
	extra   blocks.Block
}

func (f *shuffledSource) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	if c.Equals(f.drop) {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	b, err := f.s.Get(ctx, c)
	if err != nil || !c.Equals(f.corrupt) {
		return b, err
	}
	bad := append([]byte(nil), b.RawData()...)
	bad[len(bad)/2] ^= 1
	return blocks.NewBlockWithCid(bad, c)
}

func (f *shuffledSource) GetBlocks(ctx context.Context, ks []cid.Cid) <-chan blocks.Block {
	ch := make(chan blocks.Block, len(ks)+1)
	order := mrand.Perm(len(ks))
	for _, i := range order {
		if b, err := f.GetBlock(ctx, ks[i]); err == nil {
			ch <- b
		}
	}
	if f.extra != nil {
		ch <- f.extra
	}
	close(ch)
	return ch
}

// A large batch is replicated by streaming its chunks into a pack as they
// arrive, in any order; a missing or corrupt chunk leaves nothing behind.
func TestReplicateLargeBatchStreamsToPack(t *testing.T) {
	ctx := context.Background()
	a := openTest(t, t.TempDir())
	defer a.Close()
	// 132 chunks of 64 KiB: several fetch windows.
	data, p, root, chunks := addRandomFile(t, a, replicatePackThreshold+3*(64<<10)+123, 1)
	stray, _ := blocks.NewBlockWithCid([]byte("not part of the batch"), mustRawCID(t, []byte("not part of the batch")))

	t.Run("ok", func(t *testing.T) {
		dir := t.TempDir()
		b := openTest(t, dir)
		defer b.Close()
		n, err := b.Replicate(ctx, &shuffledSource{s: a, extra: stray}, root)
		if err != nil {
			t.Fatal(err)
		}
		if n < len(data) {
			t.Fatalf("Replicate stored %d bytes, less than the %d plaintext bytes", n, len(data))
		}
		var out bytes.Buffer
		if _, err := ReadFile(ctx, b, root, p.DEK, &out); err != nil || !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("replica does not decrypt to the original: %v", err)
		}
		if ok, _ := b.IsPinned(ctx, root); !ok {
			t.Fatal("replica not pinned")
		}
		if has, _ := b.Has(ctx, stray.Cid()); has {
			t.Fatal("a block that is not part of the batch was stored")
		}
		if packs, _ := os.ReadDir(filepath.Join(dir, packDirName)); len(packs) != 1 {
			t.Fatalf("want the chunks in one pack, found %d pack files", len(packs))
		}
	})
	for name, src := range map[string]*shuffledSource{
		"missing chunk": {s: a, drop: chunks[len(chunks)/2]},
		"corrupt chunk": {s: a, corrupt: chunks[len(chunks)-1]},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			b := openTest(t, dir)
			defer b.Close()
			_, err := b.Replicate(ctx, src, root)
			var ie *IntegrityError
			bad := src.drop
			if !bad.Defined() {
				bad = src.corrupt
			}
			if !errors.As(err, &ie) || !ie.CID.Equals(bad) {
				t.Fatalf("Replicate = %v; want an integrity error naming %s", err, bad)
			}
			ch, _ := b.AllKeysChan(ctx)
			for k := range ch {
				t.Fatalf("failed replication left block %s", k)
			}
			if packs, _ := os.ReadDir(filepath.Join(dir, packDirName)); len(packs) != 0 {
				t.Fatalf("failed replication left %d pack files", len(packs))
			}
		})
	}
}

func mustRawCID(t *testing.T, data []byte) cid.Cid {
	t.Helper()
	c, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: mh.SHA2_256, MhLength: -1}.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
