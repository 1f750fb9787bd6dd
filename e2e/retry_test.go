package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// testKillRetrySameBatch: the daemon is SIGKILLed while it ingests a large
// signed batch, restarted, and the device retries the same bytes (as a
// device does after a timeout or a reset connection). The batch is stored
// exactly once: the retry finishes or replays the first attempt under its
// sequence numbers, a third post is answered from the record (replayed,
// same roots), the clinician fetches every reading once and the chain holds
// one commitment per batch whose counts add up to the batch.
func testKillRetrySameBatch(t *testing.T, c *cluster) {
	b := c.nodes[1]
	dev, _ := b.enrol(t, "cgm-retry", "MRN-RETRY")
	var sent []reading
	var roots []string
	// Four submissions, killed at different points of their ingest (the
	// body upload and parse, sealing, the durable write, replication).
	for round, delay := range []time.Duration{250 * time.Millisecond, 700 * time.Millisecond, 1100 * time.Millisecond, 1500 * time.Millisecond} {
		rs := mkReadings(dev.id, "MRN-RETRY", round*60_000, 60_000) // two sealed batches of up to 50,000
		sent = append(sent, rs...)
		roots = append(roots, killAndRetry(t, b, dev, rs, delay)...)
	}
	// Exactly one copy: every reading fetched once, one commitment per batch,
	// the on-chain counts adding up to what was sent (checkAcknowledged).
	c.checkAcknowledged(t, b, "MRN-RETRY", "retry-clin", sent, sent, roots)
}

// killAndRetry posts rs, SIGKILLs b delay later, restarts it and posts the
// same bytes until acknowledged; a third post must be the recorded receipt.
// It returns the batches' roots.
func killAndRetry(t *testing.T, b *node, dev *device, rs []reading, delay time.Duration) []string {
	t.Helper()
	body := dev.signBatch(lines(rs))
	post := func() (int, []byte, error) {
		return rawCall("POST", b.api()+"/v1/readings?device="+dev.id, b.token(t, "device"), "application/x-ndjson", body)
	}
	type answer struct {
		status int
		raw    []byte
		err    error
	}
	first := make(chan answer, 1)
	go func() {
		s, raw, err := post()
		first <- answer{s, raw, err}
	}()
	time.Sleep(delay)
	b.kill() // SIGKILL, with the submission in flight
	a := <-first
	b.restart(t)
	var rc retryReceipt
	waitFor(t, 60*time.Second, "the retry to be acknowledged", func() bool {
		s, raw, err := post()
		return err == nil && s == 200 && json.Unmarshal(raw, &rc) == nil
	})
	if rc.Readings != len(rs) {
		t.Fatalf("retry receipt for %d readings, sent %d", rc.Readings, len(rs))
	}
	s, raw, err := post()
	var again retryReceipt
	if err != nil || s != 200 || json.Unmarshal(raw, &again) != nil || !again.Replayed || len(again.Batches) != len(rc.Batches) {
		t.Fatalf("third post: %d %s %v (want the recorded receipt, replayed)", s, raw, err)
	}
	var roots, seqs []string
	for i := range rc.Batches {
		if again.Batches[i].Seq != rc.Batches[i].Seq || again.Batches[i].Root != rc.Batches[i].Root {
			t.Fatalf("third post answered batch %d as seq %d %s, the retry as seq %d %s", i,
				again.Batches[i].Seq, again.Batches[i].Root, rc.Batches[i].Seq, rc.Batches[i].Root)
		}
		roots = append(roots, rc.Batches[i].Root)
		seqs = append(seqs, fmt.Sprint(rc.Batches[i].Seq))
	}
	t.Logf("killed %s after sending: first attempt %d %v; the retry was acknowledged as seq %s (replayed %v)",
		delay, a.status, a.err, strings.Join(seqs, ","), rc.Replayed)
	return roots
}

// retryReceipt is the ingest receipt with its replay mark.
type retryReceipt struct {
	receipt
	Replayed bool `json:"replayed"`
}
