package p2p

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"testing"

	cid "github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"

	"github.com/vaultnode/vaultnode/store"
)

// pinList is a Pinner over a sorted list of roots that counts how many it
// hands out per page.
type pinList struct {
	roots    []cid.Cid
	maxPage  int
	pageSeen int
}

func (p *pinList) IsPinned(_ context.Context, root cid.Cid) (bool, error) {
	for _, r := range p.roots {
		if r.Equals(root) {
			return true, nil
		}
	}
	return false, nil
}

func (p *pinList) PinsAfter(_ context.Context, after cid.Cid, limit int) ([]cid.Cid, error) {
	var out []cid.Cid
	for _, r := range p.roots {
		if after.Defined() && bytes.Compare(r.Bytes(), after.Bytes()) <= 0 {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, r)
	}
	p.maxPage = max(p.maxPage, len(out))
	p.pageSeen += len(out)
	return out, nil
}

func (p *pinList) Replicate(context.Context, store.BlockGetter, cid.Cid) (int, error) {
	return 0, errors.New("not used")
}

func testRoots(t *testing.T, n int) []cid.Cid {
	t.Helper()
	var out []cid.Cid
	for i := 0; i < n; i++ {
		h, err := mh.Sum([]byte{byte(i), byte(i >> 8)}, mh.SHA2_256, -1)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cid.NewCidV1(cid.DagProtobuf, h))
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Bytes(), out[j].Bytes()) < 0 })
	return out
}

// A repair walks the pins page by page (never all of them in memory), visits
// each once, and after a pass in which one batch could not be placed, the
// next tick retries that batch alone: one failing pin made every tick
// (every 2 s) replay every pin.
func TestRepairPagesAndRetriesOnlyWhatFailed(t *testing.T) {
	roots := testRoots(t, 2*repairPage+10)
	pins := &pinList{roots: roots}
	bad := roots[repairPage+3]
	visits := map[string]int{}
	r := &Replicator{pins: pins, short: map[string]bool{}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r.replicate = func(_ context.Context, root cid.Cid) ([]peer.ID, error) {
		visits[root.KeyString()]++
		if root.Equals(bad) {
			return nil, errors.New("no member accepts it")
		}
		return nil, nil
	}
	if err := r.Repair(context.Background()); err == nil {
		t.Fatal("a pass with an unplaceable batch reported no error")
	}
	if pins.maxPage > repairPage || pins.pageSeen != len(roots) || len(visits) != len(roots) {
		t.Fatalf("pass read pages of up to %d pins, %d pins in all, placed %d distinct; want pages ≤ %d and %d pins once each",
			pins.maxPage, pins.pageSeen, len(visits), repairPage, len(roots))
	}
	clear(visits)
	if err := r.retryFailed(context.Background()); err == nil {
		t.Fatal("the retry of the unplaceable batch reported no error")
	}
	if len(visits) != 1 || visits[bad.KeyString()] != 1 {
		t.Fatalf("the retry placed %d batches; want only the one that failed", len(visits))
	}
	// Once it can be placed it leaves the retry list.
	bad = cid.Undef
	clear(visits)
	if err := r.retryFailed(context.Background()); err != nil || len(visits) != 1 {
		t.Fatalf("retry: %v, %d placed", err, len(visits))
	}
	clear(visits)
	if err := r.retryFailed(context.Background()); err != nil || len(visits) != 0 {
		t.Fatalf("a placed batch stayed on the retry list (%d placed)", len(visits))
	}
}
