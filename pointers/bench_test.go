package pointers

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

// Benchmark parameters (docs/PRODUCT.md §9: ≥ 200,000 readings/s per node, ≤ 1 transaction per 10 s per node).
const (
	benchStreams        = 200
	benchReadingsPerBat = 5000
	benchIngestRate     = 200_000 // readings/s
	benchWindow         = 10      // seconds per transaction allowed
)

// benchStream is the chain secret of bench stream number stream.
func benchStream(stream int) StreamSecret {
	return StreamSecret(TagOf(fmt.Sprintf("bench-stream-%d", stream)))
}

func benchCommitment(stream int, seq uint64) Commitment {
	tag := benchStream(stream)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seq)
	h := sha256.Sum256(append(tag[:], s[:]...))
	// A realistic binary CIDv1 (dag-pb, sha2-256): 0x01 0x70 0x12 0x20 + 32-byte digest = 36 bytes.
	cid := append([]byte{0x01, 0x70, 0x12, 0x20}, h[:]...)
	c := testCommitment(tag, seq, cid, sha256.Sum256(h[:]), benchReadingsPerBat)
	if benchClaimRoots {
		c.ClaimRoot = sha256.Sum256(append(h[:], 'z'))
		c = StreamSecret(tag).Seal(c)
	}
	return c
}

// benchClaimRoots gives every commitment a claim root (a stream in claims.streams), the worst case for gas:
// VAULTNODE_BENCH_CLAIMS=1.
var benchClaimRoots = os.Getenv("VAULTNODE_BENCH_CLAIMS") == "1"

// commitRound enqueues cs, waits until the committer has put all of them on chain and returns the
// transactions, gas and wall time it took.
func commitRound(b *testing.B, cl *Client, cs []Commitment) (txs, gas uint64, wall time.Duration) {
	ctx := context.Background()
	tx0, _, gas0 := cl.CommitterStats()
	start := time.Now()
	if err := cl.EnqueueCommitments(ctx, cs); err != nil {
		b.Fatal(err)
	}
	select {
	case cl.committer.flush <- struct{}{}:
	default:
	}
	for cl.PendingCommitments() > 0 {
		time.Sleep(5 * time.Millisecond)
	}
	wall = time.Since(start)
	tx1, _, gas1 := cl.CommitterStats()
	return tx1 - tx0, gas1 - gas0, wall
}

// BenchmarkChainCommit: 1,000,000 readings' worth of commitments (200 streams × one batch of 5,000
// readings, the streams' first commitments) on the embedded chain, then the steady state: what 10 s of
// ingest at 200,000 readings/s produces (400 batches of 5,000 readings, streams already known), which
// must fit in one transaction.
func BenchmarkChainCommit(b *testing.B) {
	key, _ := crypto.GenerateKey()
	cl, err := Open(context.Background(), Config{ChainDir: b.TempDir(), Key: key, CommitInterval: time.Hour, MaxCommitmentsPerTx: 1000})
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	seq := uint64(1)
	fresh := 0 // -count runs sub-benchmarks several times on the same chain: new streams every time
	b.Run("million-readings-first-commitments", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cs := make([]Commitment, benchStreams)
			for s := range cs {
				cs[s] = benchCommitment(fresh*1_000_000+s, seq)
			}
			fresh++
			txs, gas, wall := commitRound(b, cl, cs)
			b.ReportMetric(float64(txs), "txs")
			b.ReportMetric(float64(gas)/float64(len(cs)), "gas/commitment")
			b.ReportMetric(wall.Seconds(), "wall-s")
			b.ReportMetric(float64(len(cs)*benchReadingsPerBat), "readings")
		}
	})
	b.Run("steady-10s-at-200k-readings-per-s", func(b *testing.B) {
		perTx := benchIngestRate * benchWindow / benchReadingsPerBat // 400 commitments per 10 s
		for i := 0; i < b.N; i++ {
			cs := make([]Commitment, 0, perTx)
			for len(cs) < perTx {
				seq++
				for s := 0; s < benchStreams && len(cs) < perTx; s++ {
					cs = append(cs, benchCommitment(s, seq))
				}
			}
			txs, gas, wall := commitRound(b, cl, cs)
			b.ReportMetric(float64(txs), "txs")
			b.ReportMetric(float64(gas)/float64(len(cs)), "gas/commitment")
			b.ReportMetric(float64(gas)/float64(txs), "gas/tx")
			b.ReportMetric(wall.Seconds(), "wall-s")
			b.ReportMetric(float64(len(cs)), "commitments")
		}
	})
}
