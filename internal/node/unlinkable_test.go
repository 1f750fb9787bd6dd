package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// What a reader of the chain alone sees must not link the records of one
// stream (docs/CHAIN.md, "What a reader of the chain learns"). The test runs
// a stream's life on a real node (batches committed one by one, two grants
// to two clinicians, a revocation, then the patient's erasure, which revokes
// the other grant and records the deletion), then reads every transaction
// and every event of the chain as an observer would: each 32-byte word of
// the calldata, topics and event data. A word that identifies nothing of the
// stream — a member account, the node's grant signer key, a small integer
// (counts, times, offsets, lengths) — may repeat; any other word seen in two
// of the stream's transactions links them, and fails the test. The only
// allowed exception is a grant id, shared by the grant and its revocation
// (which must name it). The stream tag, the subject tag and the chain secret
// must appear nowhere outside the erasure record's own subject tag.
func TestChainRecordsOfAStreamAreUnlinkable(t *testing.T) {
	ctx := context.Background()
	// With claim roots on, so that they are checked too.
	n, _, ingest := onlineNodeWith(t, func(c *Config) { c.Claims.Streams = []string{"glucose"} })
	const batches = 4
	for i := 0; i < batches; i++ {
		ingest(5, 10*i)
	}
	pt, st := mustStream(t, n, "MRN-1", "glucose")
	secret := pointers.StreamSecret(st.ChainSecret)
	waitFor(t, func() bool {
		cs, err := n.Commitments(ctx, secret, n.Chain.Account())
		return err == nil && len(cs) == batches
	})
	now := time.Now()
	var grantIDs [][32]byte
	for range 2 {
		g, _ := p2p.GenerateGrantee(rand.Reader)
		res, err := n.Grant(ctx, GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		id, _ := ParseGrantID(res.ID)
		grantIDs = append(grantIDs, id)
	}
	if _, err := n.Revoke(ctx, grantIDs[0]); err != nil {
		t.Fatal(err)
	}
	subject := [32]byte(n.Keys.SubjectTag(pt))
	if _, err := n.Erase(ctx, "MRN-1", "DSAR-unlinkable", "test"); err != nil {
		t.Fatal(err)
	}

	// The observer's view: every transaction and event of the chain.
	eth := n.Chain.Embedded().Client()
	head, err := eth.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type record struct {
		tx    common.Hash
		words map[[32]byte]bool
		logs  []*types.Log
	}
	var records []*record
	for b := uint64(0); b <= head; b++ {
		blk, err := eth.BlockByNumber(ctx, new(big.Int).SetUint64(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			rc, err := eth.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				t.Fatal(err)
			}
			r := &record{tx: tx.Hash(), words: map[[32]byte]bool{}, logs: rc.Logs}
			if in := tx.Data(); len(in) >= 4 {
				addWords(r.words, in[4:])
			}
			for _, l := range rc.Logs {
				for _, tp := range l.Topics[1:] {
					r.words[tp] = true
				}
				addWords(r.words, l.Data)
			}
			records = append(records, r)
		}
	}

	// Which transactions are the stream's: they carry its batch tags, its
	// grant ids, or the subject's erasure record.
	mine := map[[32]byte]bool{}
	for seq := uint64(1); seq <= batches; seq++ {
		mine[secret.BatchTag(seq)] = true
	}
	for _, id := range grantIDs {
		mine[id] = true
	}
	mine[subject] = true
	var streamTxs []*record
	for _, r := range records {
		for w := range mine {
			if r.words[w] {
				streamTxs = append(streamTxs, r)
				break
			}
		}
	}
	// batches commits (at least one transaction; several batches may share
	// one), 2 grants, 2 revocations, 1 erasure record.
	if len(streamTxs) < 6 {
		t.Fatalf("found %d transactions of the stream, want at least 6", len(streamTxs))
	}

	allowed := map[[32]byte]bool{}
	for _, a := range []common.Address{n.Chain.Account()} {
		allowed[common.BytesToHash(a.Bytes())] = true
	}
	allowed[[32]byte(n.d.grantSigner.Public().(ed25519.PublicKey))] = true
	grantID := map[[32]byte]bool{}
	for _, id := range grantIDs {
		grantID[id] = true
	}
	seen := map[[32]byte]common.Hash{}
	for _, r := range streamTxs {
		for w := range r.words {
			if allowed[w] || grantID[w] || new(big.Int).SetBytes(w[:]).BitLen() <= 48 {
				continue
			}
			if other, ok := seen[w]; ok && other != r.tx {
				t.Errorf("value %s appears in two of the stream's transactions (%s and %s): they are linkable", hex.EncodeToString(w[:]), other.Hex()[:10], r.tx.Hex()[:10])
			}
			seen[w] = r.tx
		}
	}
	// A grant id links exactly its grant and its revocation.
	for id := range grantID {
		k := 0
		for _, r := range streamTxs {
			if r.words[id] {
				k++
			}
		}
		if k != 2 {
			t.Errorf("grant %x appears in %d transactions, want 2 (its grant and its revocation)", id[:4], k)
		}
	}
	// Never on chain: the stream tag and the chain secret; the subject tag
	// only in the erasure record.
	for _, r := range records {
		if r.words[st.Tag] || r.words[st.ChainSecret] {
			t.Errorf("transaction %s carries the stream tag or its chain secret", r.tx.Hex()[:10])
		}
		if r.words[subject] && !(len(r.logs) == 1 && bytes.Equal(r.logs[0].Topics[1][:], subject[:])) {
			t.Errorf("transaction %s carries the subject tag outside its erasure record", r.tx.Hex()[:10])
		}
	}
}

// addWords adds each 32-byte word of ABI-encoded data.
func addWords(dst map[[32]byte]bool, b []byte) {
	for ; len(b) >= 32; b = b[32:] {
		dst[[32]byte(b[:32])] = true
	}
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
