package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	cid "github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// onlineNode is a one-member consortium on the embedded chain, with its own
// p2p host and proxy: grants, revocations and fetches run for real.
func onlineNode(t *testing.T) (*Node, func(count, off int) *Receipt) {
	t.Helper()
	n, _, ingest := onlineNodeWith(t, nil)
	return n, ingest
}

// onlineNodeWith is onlineNode with a configuration change; it also returns the device's key.
func onlineNodeWith(t testing.TB, configure func(*Config)) (*Node, ed25519.PrivateKey, func(count, off int) *Receipt) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := DefaultConfig()
	c.P2P.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	if configure != nil {
		configure(&c)
	}
	if _, err := Init(ctx, filepath.Join(dir, "repo"), InitOptions{Config: c, KeyFile: filepath.Join(dir, "master.key"), Logger: lg}); err != nil {
		t.Fatal(err)
	}
	n, err := Open(ctx, filepath.Join(dir, "repo"), Options{Logger: lg, CommitInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if _, err := n.Keys.CreatePatient(ctx, "MRN-1"); err != nil {
		t.Fatal(err)
	}
	_, priv, err := n.EnrollDevice(ctx, "cgm-17")
	if err != nil {
		t.Fatal(err)
	}
	ingest := func(count, off int) *Receipt {
		t.Helper()
		b, err := ParseBatch(bytes.NewReader(signedReadings(priv, count, off)), 0)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := n.Ingest(ctx, "cgm-17", b)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	return n, priv, ingest
}

// waitCommitted waits until the stream's commitments on-chain number want.
func waitCommitted(t testing.TB, n *Node, st keys.Stream, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		cs, err := n.Commitments(context.Background(), pointers.StreamSecret(st.ChainSecret), n.Chain.Account())
		if err == nil && len(cs) >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d commitments on-chain, want %d (%v)", len(cs), want, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A revocation starts a new key epoch of the stream. The review's attack:
// M proxies that kept their kfrags plus the revoked grantee rebuild the
// stream's delegating key (Umbral's collusion bound) and read every batch
// sealed later. After the rotation that key opens nothing sealed after the
// revocation, while a grantee whose grant is still live reads both epochs.
func TestRevocationRotatesTheStreamKey(t *testing.T) {
	ctx := context.Background()
	n, ingest := onlineNode(t)
	before := ingest(10, 0)
	pt, st := mustStream(t, n, "MRN-1", "glucose")
	waitCommitted(t, n, st, 1)
	// What the colluders can rebuild: the key of the epoch they were granted.
	old, err := n.Keys.StreamSecretKey(ctx, pt, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Wipe()

	revoked, _ := p2p.GenerateGrantee(rand.Reader)
	kept, _ := p2p.GenerateGrantee(rand.Reader)
	now := time.Now()
	grant := func(g *p2p.Grantee) *GrantResult {
		t.Helper()
		res, err := n.Grant(ctx, GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	gRevoked, gKept := grant(revoked), grant(kept)
	id, _ := ParseGrantID(gRevoked.ID)
	if _, err := n.Revoke(ctx, id); err != nil {
		t.Fatal(err)
	}
	after := ingest(10, 100)
	waitCommitted(t, n, st, 2)

	st2, _ := n.Keys.Stream(ctx, pt, "glucose")
	if st2.Epoch != 1 || st2.PublicKey.Equal(old.PublicKey()) {
		t.Fatalf("after a revocation the stream is at epoch %d with the same key", st2.Epoch)
	}
	// The rebuilt old key opens the batch sealed before the revocation and
	// nothing sealed after it.
	openWith := func(root string) error {
		c, err := cid.Decode(root)
		if err != nil {
			t.Fatal(err)
		}
		h, _, err := store.ReadRoot(ctx, n.Store, c)
		if err != nil {
			t.Fatal(err)
		}
		capsule, _, err := ParseBatchCapsule(h.Capsule, st.FirstKey)
		if err != nil {
			t.Fatal(err)
		}
		dek, err := reencrypt.Decapsulate(old, capsule)
		if err != nil {
			return err
		}
		_, err = store.OpenBatch(ctx, n.Store, c, &dek)
		return err
	}
	if err := openWith(before.Batches[0].Root); err != nil {
		t.Fatalf("the old epoch's key does not open the old batch: %v", err)
	}
	if err := openWith(after.Batches[0].Root); err == nil {
		t.Fatal("the key a revoked grantee and its proxies can rebuild opens a batch sealed after the revocation")
	}

	// The live grant was given the new epoch: its grantee reads both batches.
	tk, err := ParseTicket(gKept.Ticket)
	if err != nil {
		t.Fatal(err)
	}
	res, err := n.Fetch(ctx, FetchRequest{Grantee: kept, Ticket: tk, BlockTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("the live grant after a rotation: %v", err)
	}
	if res.Batches != 2 || len(res.Readings) != 20 {
		t.Fatalf("the live grant reads %d batches, %d readings; want 2, 20", res.Batches, len(res.Readings))
	}
	// The custodian's own check opens the batches of both epochs.
	vr, err := n.Verify(ctx, nil, "MRN-1")
	if err != nil || len(vr) != 2 || !vr[0].OK || !vr[1].OK {
		t.Fatalf("verify --patient across key epochs: %+v, %v", vr, err)
	}
	// A grant made after the rotation covers both epochs too.
	late, _ := p2p.GenerateGrantee(rand.Reader)
	tk2, _ := ParseTicket(grant(late).Ticket)
	res, err = n.Fetch(ctx, FetchRequest{Grantee: late, Ticket: tk2, BlockTimeout: 10 * time.Second})
	if err != nil || len(res.Readings) != 20 {
		t.Fatalf("a grant made after the rotation: %v", err)
	}
}

// A grant that missed a rotation (its proxy was down, or the revocation ran
// without the p2p network) is given every key epoch by RetryRekeys, which
// the daemon runs periodically.
func TestRetryRekeysRestoresAGrantThatMissedARotation(t *testing.T) {
	ctx := context.Background()
	n, ingest := onlineNode(t)
	ingest(5, 0)
	_, st := mustStream(t, n, "MRN-1", "glucose")
	clin, _ := p2p.GenerateGrantee(rand.Reader)
	other, _ := p2p.GenerateGrantee(rand.Reader)
	now := time.Now()
	var res []*GrantResult
	for _, g := range []*p2p.Grantee{clin, other} {
		r, err := n.Grant(ctx, GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	// The proxy loses the grant's kfrags, as if the rotation's delivery had
	// not reached it, and the grant is listed as missing the new epoch.
	id, _ := ParseGrantID(res[0].ID)
	otherID, _ := ParseGrantID(res[1].ID)
	if _, err := n.Revoke(ctx, otherID); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Proxy.Forget(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := n.Store.Datastore().Put(ctx, rekeyKey(id), st.Tag[:]); err != nil {
		t.Fatal(err)
	}
	ingest(5, 100)
	waitCommitted(t, n, st, 2)
	tk, _ := ParseTicket(res[0].Ticket)
	if _, err := n.Fetch(ctx, FetchRequest{Grantee: clin, Ticket: tk, BlockTimeout: 5 * time.Second}); err == nil {
		t.Fatal("fetch worked without the grant's kfrags")
	}
	done, err := n.RetryRekeys(ctx)
	if err != nil || done != 1 {
		t.Fatalf("RetryRekeys = %d, %v; want 1", done, err)
	}
	got, err := n.Fetch(ctx, FetchRequest{Grantee: clin, Ticket: tk, BlockTimeout: 5 * time.Second})
	if err != nil || len(got.Readings) != 10 {
		t.Fatalf("after the retry: %v", err)
	}
	if done, _ := n.RetryRekeys(ctx); done != 0 {
		t.Fatal("a re-keyed grant stayed on the retry list")
	}
}
