package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	cid "github.com/ipfs/go-cid"
)

// PinsAfter walks every pin once, in pages of at most the limit, in the
// same order as Pins.
func TestPinsAfterPagesThroughEveryPin(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	defer s.Close()
	for i := 0; i < 7; i++ {
		data := make([]byte, 100)
		rand.Read(data)
		p := testParams(t, uint64(i))
		p.ChunkSize = MinChunkSize
		if _, err := s.AddFile(ctx, bytes.NewReader(data), p); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Pins(ctx)
	if err != nil || len(all) != 7 {
		t.Fatalf("Pins = %d, %v", len(all), err)
	}
	var walked []cid.Cid
	after := cid.Undef
	for {
		page, err := s.PinsAfter(ctx, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 3 {
			t.Fatalf("page of %d pins, limit 3", len(page))
		}
		walked = append(walked, page...)
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1]
	}
	if len(walked) != len(all) {
		t.Fatalf("walked %d pins, have %d", len(walked), len(all))
	}
	for i := range all {
		if !walked[i].Equals(all[i]) {
			t.Fatalf("pin %d: walked %s, Pins has %s", i, walked[i], all[i])
		}
	}
	if _, err := s.PinsAfter(ctx, cid.Undef, 0); !errors.Is(err, ErrInvalidParams) {
		t.Fatalf("limit 0: %v", err)
	}
}

// Every batch pinned here is indexed under its stream tag (put, CAR import,
// replication, file), so erasure finds a stream's batches without reading
// the root of every pin; delete and unpin remove the entry, and a store
// written before the index is indexed once when opened.
func TestStreamIndexFollowsPins(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	var roots []cid.Cid
	for seq := uint64(1); seq <= 3; seq++ {
		p := testParams(t, 1) // same stream tag for all three
		p.Seq = seq
		sb, err := Seal(p, testReadings(5, "idx"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PutBatch(ctx, sb); err != nil {
			t.Fatal(err)
		}
		roots = append(roots, sb.Root)
	}
	other := testParams(t, 2)
	osb, _ := Seal(other, testReadings(5, "other"))
	if err := s.PutBatch(ctx, osb); err != nil {
		t.Fatal(err)
	}
	tag := testParams(t, 1).StreamTag
	got, err := s.RootsOfStream(ctx, tag)
	if err != nil || len(got) != 3 {
		t.Fatalf("RootsOfStream = %d roots, %v; want 3", len(got), err)
	}
	if _, err := s.DeleteBatches(ctx, roots[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.Unpin(ctx, roots[1]); err != nil {
		t.Fatal(err)
	}
	got, _ = s.RootsOfStream(ctx, tag)
	if len(got) != 1 || !got[0].Equals(roots[2]) {
		t.Fatalf("after a delete and an unpin the stream lists %v; want only %s", got, roots[2])
	}

	// A store from before the index: drop the index and its done-mark, reopen.
	if err := s.db.DropPrefix([]byte{prefixStream}, []byte{prefixMeta, 's', 't', 'r', 'e', 'a', 'm', 's'}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.RootsOfStream(ctx, tag); len(got) != 0 {
		t.Fatal("index not dropped")
	}
	s.Close()
	s = openTest(t, dir)
	defer s.Close()
	got, _ = s.RootsOfStream(ctx, tag)
	if len(got) != 1 || !got[0].Equals(roots[2]) {
		t.Fatalf("reopened store lists %v for the stream; want %s", got, roots[2])
	}
	if got, _ := s.RootsOfStream(ctx, other.StreamTag); len(got) != 1 {
		t.Fatal("the other stream's batch was not indexed at reopen")
	}
}
