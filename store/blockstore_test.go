package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/boxo/ipld/merkledag"
	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"
	dstest "github.com/ipfs/go-datastore/test"
	ipld "github.com/ipfs/go-ipld-format"
)

// Both ways of getting a boxo blockstore must honour the interface: the
// direct Store and boxo's NewBlockstore over our Datastore adapter.
func blockstores(t *testing.T) map[string]blockstore.Blockstore {
	s := openTest(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	return map[string]blockstore.Blockstore{
		"direct":         s,
		"boxo-datastore": blockstore.NewBlockstore(s.Datastore()),
	}
}

func TestBlockstoreInterface(t *testing.T) {
	for name, bs := range blockstores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b1 := blocks.NewBlock([]byte("block one"))
			missing := blocks.NewBlock([]byte("never stored"))

			if ok, err := bs.Has(ctx, missing.Cid()); err != nil || ok {
				t.Fatalf("Has(missing) = %v, %v", ok, err)
			}
			_, err := bs.Get(ctx, missing.Cid())
			if !ipld.IsNotFound(err) {
				t.Fatalf("Get(missing) error %v, want ipld.ErrNotFound", err)
			}
			var nf ipld.ErrNotFound
			if !errors.As(err, &nf) || !nf.Cid.Equals(missing.Cid()) {
				t.Fatalf("not-found error does not name the CID: %v", err)
			}
			if sz, err := bs.GetSize(ctx, missing.Cid()); !ipld.IsNotFound(err) || sz != -1 {
				t.Fatalf("GetSize(missing) = %d, %v", sz, err)
			}

			if err := bs.Put(ctx, b1); err != nil {
				t.Fatal(err)
			}
			got, err := bs.Get(ctx, b1.Cid())
			if err != nil || string(got.RawData()) != "block one" || !got.Cid().Equals(b1.Cid()) {
				t.Fatalf("Get = %v, %v", got, err)
			}
			if sz, err := bs.GetSize(ctx, b1.Cid()); err != nil || sz != len("block one") {
				t.Fatalf("GetSize = %d, %v", sz, err)
			}
			// Keyed by multihash: the same bytes under a raw CIDv1 are the same block.
			raw := cid.NewCidV1(cid.Raw, b1.Cid().Hash())
			if ok, _ := bs.Has(ctx, raw); !ok {
				t.Fatal("block not found under a CIDv1 of the same multihash")
			}

			var many []blocks.Block
			for i := range 50 {
				many = append(many, blocks.NewBlock(fmt.Appendf(nil, "block %d", i)))
			}
			if err := bs.PutMany(ctx, many); err != nil {
				t.Fatal(err)
			}
			ch, err := bs.AllKeysChan(ctx)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for c := range ch {
				seen[string(c.Hash())] = true
			}
			for _, b := range append(many, b1) {
				if !seen[string(b.Cid().Hash())] {
					t.Fatalf("AllKeysChan missed %s", b.Cid())
				}
			}
			if len(seen) != 51 {
				t.Fatalf("AllKeysChan listed %d blocks, want 51", len(seen))
			}

			if err := bs.DeleteBlock(ctx, b1.Cid()); err != nil {
				t.Fatal(err)
			}
			if ok, _ := bs.Has(ctx, b1.Cid()); ok {
				t.Fatal("block still there after DeleteBlock")
			}
			if err := bs.DeleteBlock(ctx, b1.Cid()); err != nil {
				t.Fatalf("deleting a missing block: %v", err)
			}

			// A cancelled context stops enumeration and refuses calls.
			var more []blocks.Block
			for i := range 1000 {
				more = append(more, blocks.NewBlock(fmt.Appendf(nil, "more %d", i)))
			}
			if err := bs.PutMany(ctx, more); err != nil {
				t.Fatal(err)
			}
			cctx, cancel := context.WithCancel(ctx)
			ch, err = bs.AllKeysChan(cctx)
			if err != nil {
				t.Fatal(err)
			}
			<-ch
			cancel()
			n := 0
			for range ch {
				n++
			}
			if n >= 1000 {
				t.Fatalf("enumeration continued after cancel (%d more keys)", n)
			}
			if _, err := bs.Get(cctx, many[0].Cid()); !errors.Is(err, context.Canceled) && name == "direct" {
				t.Fatalf("Get with cancelled context: %v", err)
			}
		})
	}
}

func TestPutRefusesMismatchedAndOversizedBlocks(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	good := blocks.NewBlock([]byte("good"))
	forged, _ := blocks.NewBlockWithCid([]byte("evil"), good.Cid())
	err := s.PutMany(ctx, []blocks.Block{blocks.NewBlock([]byte("other")), forged})
	var ie *IntegrityError
	if !errors.As(err, &ie) || !ie.CID.Equals(good.Cid()) {
		t.Fatalf("forged block: %v", err)
	}
	if ok, _ := s.Has(ctx, blocks.NewBlock([]byte("other")).Cid()); ok {
		t.Fatal("PutMany half-wrote a set containing a bad block")
	}
	big := blocks.NewBlock(make([]byte, MaxBlockSize+1))
	if err := s.Put(ctx, big); !errors.Is(err, ErrBlockTooLarge) {
		t.Fatalf("oversized block: %v", err)
	}
}

func TestAllKeysChanWithErrReportsCancel(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	for i := range 300 {
		if err := s.Put(ctx, blocks.NewBlock(fmt.Appendf(nil, "b%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	ch, done, err := s.AllKeysChanWithErr(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range ch {
		n++
	}
	if err := done(); err != nil || n != 300 {
		t.Fatalf("full enumeration: %d keys, err %v", n, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	ch, done, _ = s.AllKeysChanWithErr(cctx)
	<-ch
	cancel()
	for range ch {
	}
	if err := done(); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled enumeration reported %v", err)
	}
}

// The go-datastore conformance suite (put/get, not-found, prefixes, orders,
// limits, filters, sizes, sync, batching).
func TestDatastoreSuite(t *testing.T) {
	d, err := OpenDatastore(context.Background(), t.TempDir(), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dstest.SubtestAll(t, d)
}

func TestDatastoreNamespaceAndNotFound(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	d := s.Datastore()
	if _, err := d.Get(ctx, ds.NewKey("/nope")); !errors.Is(err, ds.ErrNotFound) {
		t.Fatalf("Get missing: %v", err)
	}
	if err := s.Put(ctx, blocks.NewBlock([]byte("a block"))); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"/a/1", "/a/2", "/ab/3", "/b/4"} {
		if err := d.Put(ctx, ds.NewKey(k), []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := d.Query(ctx, dsq.Query{Prefix: "/a"})
	if err != nil {
		t.Fatal(err)
	}
	es, err := res.Rest()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Key != "/a/1" || es[1].Key != "/a/2" {
		t.Fatalf("prefix /a returned %+v", es)
	}
	res, _ = d.Query(ctx, dsq.Query{KeysOnly: true})
	all, _ := res.Rest()
	if len(all) != 4 {
		t.Fatalf("datastore sees %d keys (blocks leaking into its namespace?)", len(all))
	}
	b, err := d.Batch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b.Put(ctx, ds.NewKey("/c/1"), []byte("x"))
	b.Delete(ctx, ds.NewKey("/a/1"))
	if ok, _ := d.Has(ctx, ds.NewKey("/c/1")); ok {
		t.Fatal("batch applied before Commit")
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _ := d.Has(ctx, ds.NewKey("/a/1")); ok {
		t.Fatal("batched delete not applied")
	}
	if v, _ := d.Get(ctx, ds.NewKey("/c/1")); string(v) != "x" {
		t.Fatal("batched put not applied")
	}
}

// The Store plugs into boxo's stack: a blockservice over it (as bitswap
// would use) serves batches that OpenBatch verifies, and merkledag walks
// the batch DAG.
func TestBoxoInterop(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	p := testParams(t, 1)
	p.ChunkSize = MinChunkSize
	sb, err := s.SealAndPut(ctx, p, testReadings(100, ""))
	if err != nil {
		t.Fatal(err)
	}
	bsvc := blockservice.New(s, nil)
	defer bsvc.Close()
	o, err := OpenBatch(ctx, bsvc, sb.Root, p.DEK)
	if err != nil || len(o.Readings) != 100 {
		t.Fatalf("open through a blockservice: %v", err)
	}
	// A plain boxo blockstore works through FromBlockstore.
	if _, err := OpenBatch(ctx, FromBlockstore(blockstore.NewBlockstore(s.Datastore())), sb.Root, p.DEK); err == nil {
		t.Fatal("a blockstore over the (empty) datastore namespace found the batch")
	}
	if _, err := OpenBatch(ctx, FromBlockstore(s), sb.Root, p.DEK); err != nil {
		t.Fatal(err)
	}
	dag := merkledag.NewDAGService(bsvc)
	nd, err := dag.Get(ctx, sb.Root)
	if err != nil {
		t.Fatal(err)
	}
	if len(nd.Links()) != len(sb.Blocks)-1 {
		t.Fatalf("merkledag sees %d links, want %d", len(nd.Links()), len(sb.Blocks)-1)
	}
	seen := 0
	err = merkledag.Walk(ctx, merkledag.GetLinksWithDAG(dag), sb.Root, func(c cid.Cid) bool { seen++; return true })
	if err != nil || seen != len(sb.Blocks) {
		t.Fatalf("merkledag walk saw %d blocks, want %d: %v", seen, len(sb.Blocks), err)
	}
	// A chunk missing behind the blockservice's batched GetBlocks is still
	// an integrity error naming it.
	gone := sb.Blocks[4].Cid()
	if err := s.DeleteBlock(ctx, gone); err != nil {
		t.Fatal(err)
	}
	_, err = OpenBatch(ctx, bsvc, sb.Root, p.DEK)
	var ie *IntegrityError
	if !errors.As(err, &ie) || !ie.CID.Equals(gone) {
		t.Fatalf("missing chunk via blockservice: %v", err)
	}
}
