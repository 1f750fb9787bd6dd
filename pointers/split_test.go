package pointers

import (
	"context"
	"testing"
	"time"
)

// A backlog larger than one transaction can carry (the txpool size limit: about 490 commitments of
// 36-byte CIDs; gas is not the limit since no commitment creates storage) is split over several
// transactions; every commitment lands exactly once.
func TestCommitterSplitsLargeBacklog(t *testing.T) {
	cl, _, _ := openEmbedded(t)
	ctx := context.Background()
	var cs []Commitment
	for s := 0; s < 300; s++ {
		cs = append(cs, benchCommitment(s, 1))
	}
	for s := 0; s < 900; s++ {
		cs = append(cs, benchCommitment(s%300, uint64(2+s/300)))
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := cl.CommitBatches(ctx, cs); err != nil {
		t.Fatal(err)
	}
	txs, n, gas := cl.CommitterStats()
	if n != uint64(len(cs)) || txs < 3 {
		t.Fatalf("%d commitments in %d transactions (%d gas); want %d in >= 3", n, txs, gas, len(cs))
	}
	for _, s := range []int{0, 151, 299} {
		got, err := cl.StreamCommitments(ctx, benchStream(s), cl.Account())
		if err != nil || len(got) != 4 {
			t.Fatalf("stream %d: %d commitments, %v", s, len(got), err)
		}
	}
	t.Logf("%d commitments in %d transactions, %d gas", n, txs, gas)
}
