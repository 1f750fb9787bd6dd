package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/boxo/ipld/merkledag"
	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
)

func TestSealOpenRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	for _, n := range []int{1, 2, 7, 1000, 50000} {
		p := testParams(t, uint64(n))
		if n < 50000 {
			p.ChunkSize = MinChunkSize // several chunks even for small batches
		}
		in := testReadings(n, "")
		sb, err := s.SealAndPut(ctx, p, in)
		if err != nil {
			t.Fatal(err)
		}
		if sb.Root.Version() != 1 || sb.Root.Type() != cid.DagProtobuf || sb.Root.Prefix().MhType != 0x12 {
			t.Fatalf("root %s is not CIDv1 dag-pb sha2-256", sb.Root)
		}
		o, err := s.Open(ctx, sb.Root, p.DEK)
		if err != nil {
			t.Fatalf("open %d readings: %v", n, err)
		}
		if len(o.Readings) != n {
			t.Fatalf("opened %d readings, sealed %d", len(o.Readings), n)
		}
		for i := range in {
			g, w := o.Readings[i], in[i]
			if g.Device != w.Device || g.Patient != w.Patient || g.Stream != w.Stream || !g.Time.Equal(w.Time) ||
				g.Value != w.Value || g.Unit != w.Unit || g.Code != w.Code {
				t.Fatalf("reading %d: got %+v want %+v", i, g, w)
			}
		}
		h := o.Header
		if h.Seq != p.Seq || h.StreamTag != p.StreamTag || !bytes.Equal(h.Capsule, p.Capsule) || h.Count != uint32(n) || h.MerkleRoot != sb.Header.MerkleRoot {
			t.Fatalf("header mismatch: %+v", h)
		}
		// The header (with the capsule) is readable without the DEK.
		rh, chunks, err := ReadRoot(ctx, s, sb.Root)
		if err != nil || !bytes.Equal(rh.Capsule, p.Capsule) || len(chunks) != int(rh.ChunkCount) {
			t.Fatalf("ReadRoot: %+v %v", rh, err)
		}
		if pinned, _ := s.IsPinned(ctx, sb.Root); !pinned {
			t.Fatal("stored batch is not pinned")
		}
	}
}

func TestSealIsRandomizedAndKeyed(t *testing.T) {
	p := testParams(t, 1)
	in := testReadings(10, "")
	a, err := Seal(p, in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Seal(p, in)
	if a.Root.Equals(b.Root) || a.Header.MerkleRoot == b.Header.MerkleRoot {
		t.Fatal("sealing the same readings twice gave the same root or Merkle root (salts/nonce not fresh)")
	}
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	if err := s.PutBatch(ctx, a); err != nil {
		t.Fatal(err)
	}
	wrong := randDEK(t)
	_, err = s.Open(ctx, a.Root, wrong)
	var ie *IntegrityError
	if !errors.As(err, &ie) || !ie.CID.Equals(a.Blocks[0].Cid()) {
		t.Fatalf("wrong DEK: %v", err)
	}
}

// storeRaw overwrites a stored block's bytes behind the store's back.
func storeRaw(t *testing.T, s *Store, c cid.Cid, data []byte) {
	t.Helper()
	if err := s.writeAtomic(context.Background(), []kv{{blockKey(c), data}}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenDetectsTampering(t *testing.T) {
	ctx := context.Background()
	mk := func(t *testing.T, s *Store, seq uint64) (*SealedBatch, SealParams) {
		p := testParams(t, seq)
		p.ChunkSize = MinChunkSize
		sb, err := s.SealAndPut(ctx, p, testReadings(100, ""))
		if err != nil {
			t.Fatal(err)
		}
		if len(sb.Blocks) < 4 {
			t.Fatalf("want several chunks, got %d blocks", len(sb.Blocks))
		}
		return sb, p
	}
	expectIntegrity := func(t *testing.T, err error, want cid.Cid) {
		t.Helper()
		var ie *IntegrityError
		if !errors.As(err, &ie) {
			t.Fatalf("want *IntegrityError, got %v", err)
		}
		if want.Defined() && !ie.CID.Equals(want) {
			t.Fatalf("error names %s, want %s (%v)", ie.CID, want, err)
		}
		if !strings.Contains(err.Error(), ie.CID.String()) {
			t.Fatalf("message does not name the CID: %v", err)
		}
	}

	t.Run("flipped byte in a stored chunk", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 1)
		c := sb.Blocks[1]
		bad := append([]byte(nil), c.RawData()...)
		bad[10] ^= 1
		storeRaw(t, s, c.Cid(), bad)
		_, err := s.Open(ctx, sb.Root, p.DEK)
		expectIntegrity(t, err, c.Cid())
		if _, err := s.Get(ctx, c.Cid()); err == nil {
			t.Fatal("Get returned a corrupted block")
		}
	})
	t.Run("missing chunk", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 2)
		c := sb.Blocks[2].Cid()
		if err := s.DeleteBlock(ctx, c); err != nil {
			t.Fatal(err)
		}
		_, err := s.Open(ctx, sb.Root, p.DEK)
		expectIntegrity(t, err, c)
		if !ipld.IsNotFound(errors.Unwrap(err)) {
			t.Fatalf("missing chunk error should wrap ErrNotFound: %v", err)
		}
	})
	t.Run("missing root", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 3)
		if err := s.DeleteBlock(ctx, sb.Root); err != nil {
			t.Fatal(err)
		}
		_, err := s.Open(ctx, sb.Root, p.DEK)
		expectIntegrity(t, err, sb.Root)
	})
	// An attacker who can write blocks builds new roots; the chunk AEAD
	// (index, final flag, batch binding) must still refuse them.
	forge := func(t *testing.T, s *Store, h Header, chunks []blocks.Block) cid.Cid {
		refs := make([]chunkRef, len(chunks))
		for i, b := range chunks {
			refs[i] = chunkRef{b.Cid(), len(b.RawData())}
			if err := s.Put(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		h.ChunkCount = uint32(len(chunks))
		root, err := buildRoot(&h, refs)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, root); err != nil {
			t.Fatal(err)
		}
		return root.Cid()
	}
	t.Run("reordered chunks", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 4)
		ch := append([]blocks.Block(nil), sb.Blocks[:len(sb.Blocks)-1]...)
		ch[0], ch[1] = ch[1], ch[0]
		root := forge(t, s, sb.Header, ch)
		_, err := s.Open(ctx, root, p.DEK)
		expectIntegrity(t, err, ch[0].Cid())
	})
	t.Run("truncated batch", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 5)
		ch := sb.Blocks[: len(sb.Blocks)-2 : len(sb.Blocks)-2]
		h := sb.Header
		h.PlainLen = uint64(len(ch)) * uint64(h.ChunkSize)
		root := forge(t, s, h, ch)
		_, err := s.Open(ctx, root, p.DEK)
		expectIntegrity(t, err, ch[len(ch)-1].Cid()) // not the final chunk
	})
	t.Run("chunk swapped from another batch of the same key", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 6)
		p2 := p
		p2.Seq = 7
		other, err := s.SealAndPut(ctx, p2, testReadings(100, ""))
		if err != nil {
			t.Fatal(err)
		}
		ch := append([]blocks.Block(nil), sb.Blocks[:len(sb.Blocks)-1]...)
		ch[1] = other.Blocks[1]
		root := forge(t, s, sb.Header, ch)
		_, err = s.Open(ctx, root, p.DEK)
		expectIntegrity(t, err, other.Blocks[1].Cid())
	})
	t.Run("header rebound to another stream tag or seq", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 8)
		for _, mut := range []func(*Header){
			func(h *Header) { h.Seq++ },
			func(h *Header) { h.StreamTag[0] ^= 1 },
			func(h *Header) { h.Capsule = append([]byte("x"), h.Capsule...) },
		} {
			h := sb.Header
			h.Capsule = append([]byte(nil), h.Capsule...)
			mut(&h)
			root := forge(t, s, h, sb.Blocks[:len(sb.Blocks)-1])
			_, err := s.Open(ctx, root, p.DEK)
			expectIntegrity(t, err, sb.Blocks[0].Cid())
		}
	})
	t.Run("forged Merkle root or count", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		sb, p := mk(t, s, 9)
		h := sb.Header
		h.MerkleRoot[0] ^= 1
		root := forge(t, s, h, sb.Blocks[:len(sb.Blocks)-1])
		_, err := s.Open(ctx, root, p.DEK)
		expectIntegrity(t, err, root)
		h = sb.Header
		h.Count--
		root = forge(t, s, h, sb.Blocks[:len(sb.Blocks)-1])
		_, err = s.Open(ctx, root, p.DEK)
		expectIntegrity(t, err, root)
	})
	t.Run("root that is not a batch", func(t *testing.T) {
		s := openTest(t, t.TempDir())
		defer s.Close()
		nd := merkledag.NodeWithData([]byte("hello"))
		nd.SetCidBuilder(rootPrefix)
		if err := s.Put(ctx, nd); err != nil {
			t.Fatal(err)
		}
		_, err := s.Open(ctx, nd.Cid(), randDEK(t))
		expectIntegrity(t, err, nd.Cid())
		if !errors.Is(err, ErrNotBatch) {
			t.Fatalf("want ErrNotBatch inside: %v", err)
		}
	})
}

func TestSealRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	good := testReadings(5, "")
	cases := []struct {
		name string
		mut  func(p *SealParams, rs []Reading) []Reading
		want error
	}{
		{"empty batch", func(p *SealParams, rs []Reading) []Reading { return nil }, ErrEmptyBatch},
		{"oversized device", func(p *SealParams, rs []Reading) []Reading {
			rs[3].Device = strings.Repeat("d", MaxDeviceLen+1)
			return rs
		}, ErrReadingTooLarge},
		{"oversized code", func(p *SealParams, rs []Reading) []Reading {
			rs[4].Code = strings.Repeat("c", MaxCodeLen+1)
			return rs
		}, ErrReadingTooLarge},
		{"unknown stream", func(p *SealParams, rs []Reading) []Reading { rs[2].Stream = "insulin"; return rs }, ErrUnknownStream},
		{"other patient", func(p *SealParams, rs []Reading) []Reading { rs[1].Patient[0] ^= 1; return rs }, ErrUnknownStream},
		{"NaN value", func(p *SealParams, rs []Reading) []Reading { rs[0].Value = nan(); return rs }, ErrInvalidReading},
		{"zero time", func(p *SealParams, rs []Reading) []Reading { rs[0].Time = time.Time{}; return rs }, ErrInvalidReading},
		{"bad utf-8", func(p *SealParams, rs []Reading) []Reading { rs[0].Unit = "\xff"; return rs }, ErrInvalidReading},
		{"no capsule", func(p *SealParams, rs []Reading) []Reading { p.Capsule = nil; return rs }, ErrInvalidParams},
		{"no DEK", func(p *SealParams, rs []Reading) []Reading { p.DEK = nil; return rs }, ErrInvalidParams},
		{"chunk too big", func(p *SealParams, rs []Reading) []Reading { p.ChunkSize = 1 << 20; return rs }, ErrInvalidParams},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testParams(t, 1)
			rs := c.mut(&p, append([]Reading(nil), good...))
			_, err := s.SealAndPut(ctx, p, rs)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	ch, _ := s.AllKeysChan(ctx)
	for c := range ch {
		t.Fatalf("refused input left block %s behind", c)
	}
}

func TestPutBatchesAtomicAndTooLarge(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), &Options{MemTableSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	small, _ := Seal(testParams(t, 1), testReadings(10, ""))
	// ~60,000 readings ≈ 5 MB in 1 KiB chunks (inline in the LSM tree): more
	// than one transaction of an 8 MiB memtable holds.
	bp := testParams(t, 2)
	bp.ChunkSize = MinChunkSize
	big, err := Seal(bp, testReadings(60000, ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutBatches(ctx, []*SealedBatch{small, big}); !errors.Is(err, ErrBatchTooLarge) {
		t.Fatalf("oversized batch: %v", err)
	}
	for _, b := range append(small.Blocks, big.Blocks...) {
		if ok, _ := s.Has(ctx, b.Cid()); ok {
			t.Fatalf("block %s written although the group was refused", b.Cid())
		}
	}
	// Many batches in one call: all stored and pinned.
	var many []*SealedBatch
	for i := range 40 {
		b, _ := Seal(testParams(t, uint64(10+i)), testReadings(1000, ""))
		many = append(many, b)
	}
	if err := s.PutBatches(ctx, many); err != nil {
		t.Fatal(err)
	}
	for _, b := range many {
		if ok, _ := s.IsPinned(ctx, b.Root); !ok {
			t.Fatalf("batch %s not pinned", b.Root)
		}
	}
}
