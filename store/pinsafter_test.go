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
