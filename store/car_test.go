package store

import (
	"bytes"
	"context"
	"errors"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
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
