package node

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
)

func ingestRaw(t *testing.T, n *Node, raw []byte) *Receipt {
	t.Helper()
	db, err := ParseBatch(bytes.NewReader(raw), 0)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := n.Ingest(context.Background(), "cgm-17", db)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func sameBatches(a, b *Receipt) bool {
	if len(a.Batches) != len(b.Batches) {
		return false
	}
	for i := range a.Batches {
		x, y := a.Batches[i], b.Batches[i]
		if x.Seq != y.Seq || x.Root != y.Root || x.Count != y.Count || x.Stream != y.Stream || x.Patient != y.Patient {
			return false
		}
	}
	return true
}

// A retry of an acknowledged submission gets the original receipt (same
// sequence, same root) and stores nothing: the stream still has one batch
// per submission. It was stored again as the next sequence, and the
// clinician got every reading twice.
func TestIngestRetryStoresNothing(t *testing.T) {
	n, priv := benchNode(t)
	raw := signedReadings(priv, 30, 0)
	first := ingestRaw(t, n, raw)
	again := ingestRaw(t, n, raw)
	if !again.Replayed || first.Replayed || !sameBatches(first, again) {
		t.Fatalf("retry: %+v, first %+v", again, first)
	}
	other := ingestRaw(t, n, signedReadings(priv, 30, 1000))
	if other.Replayed || other.Batches[0].Seq != first.Batches[0].Seq+1 {
		t.Fatalf("a new submission after a retry: %+v", other)
	}
	tag, roots := streamRoots(t, n)
	if len(roots) != 2 {
		t.Fatalf("stream %x holds %d batches after 2 submissions and 1 retry", tag, len(roots))
	}
}

// A retry sent while the first attempt is still being ingested waits for it
// and gets its receipt: one copy, whatever the interleaving.
func TestIngestConcurrentRetriesOneCopy(t *testing.T) {
	n, priv := benchNode(t)
	raw := signedReadings(priv, 2000, 0)
	var wg sync.WaitGroup
	rcs := make([]*Receipt, 4)
	for i := range rcs {
		wg.Go(func() { rcs[i] = ingestRaw(t, n, raw) })
	}
	wg.Wait()
	replays := 0
	for _, rc := range rcs {
		if !sameBatches(rc, rcs[0]) {
			t.Fatalf("receipts differ: %+v vs %+v", rc, rcs[0])
		}
		if rc.Replayed {
			replays++
		}
	}
	if replays != len(rcs)-1 {
		t.Fatalf("%d of %d concurrent attempts replayed, want all but one", replays, len(rcs))
	}
	if _, roots := streamRoots(t, n); len(roots) != 1 {
		t.Fatalf("%d batches stored for one submission", len(roots))
	}
}

// An attempt that stopped after storing its batch but before acknowledging
// (a crash) is finished by the retry with the same sequence and the stored
// batch, not sealed again under a new sequence.
func TestIngestRetryAfterInterruptedAttempt(t *testing.T) {
	n, priv := benchNode(t)
	raw := signedReadings(priv, 30, 0)
	first := ingestRaw(t, n, raw)
	// Make the record look as a crash after the batch was stored would
	// leave it: sequence reserved, not done.
	db, _ := ParseBatch(bytes.NewReader(raw), 0)
	id := n.d.ingestID("cgm-17", db.message("cgm-17"))
	rec, err := n.loadIngest(context.Background(), id)
	if err != nil || rec == nil {
		t.Fatal(rec, err)
	}
	rec.Done, rec.Roots, rec.Replicas = false, nil, nil
	if err := n.saveIngest(context.Background(), id, rec, false); err != nil {
		t.Fatal(err)
	}
	again := ingestRaw(t, n, raw)
	if again.Replayed || !sameBatches(first, again) {
		t.Fatalf("resumed attempt: %+v, first %+v", again, first)
	}
	if _, roots := streamRoots(t, n); len(roots) != 1 {
		t.Fatalf("%d batches after a resumed attempt", len(roots))
	}
	if third := ingestRaw(t, n, raw); !third.Replayed || !sameBatches(first, third) {
		t.Fatalf("after resuming: %+v", third)
	}
}

// Records older than the retry window are forgotten.
func TestIngestRecordsPruned(t *testing.T) {
	n, priv := benchNode(t)
	raw := signedReadings(priv, 5, 0)
	ingestRaw(t, n, raw)
	if err := n.pruneIngest(context.Background(), time.Now().Add(IngestRetryWindow+time.Hour), 100); err != nil {
		t.Fatal(err)
	}
	db, _ := ParseBatch(bytes.NewReader(raw), 0)
	if rec, err := n.loadIngest(context.Background(), n.d.ingestID("cgm-17", db.message("cgm-17"))); err != nil || rec != nil {
		t.Fatalf("record kept past the window: %+v %v", rec, err)
	}
}

// streamRoots lists the batches of MRN-1's glucose stream stored here.
func streamRoots(t *testing.T, n *Node) ([32]byte, []cid.Cid) {
	t.Helper()
	_, st := mustStream(t, n, "MRN-1", "glucose")
	roots, err := n.LocalBatches(context.Background(), st.Tag)
	if err != nil {
		t.Fatal(err)
	}
	return st.Tag, slices.Clip(roots)
}
