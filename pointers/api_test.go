package pointers

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// apiEnv is a chain with an admin client (deployer) and a factory for funded non-member clients.
type apiEnv struct {
	admin    *Client
	newOther func(t *testing.T) *Client
}

// embeddedEnv: the embedded chain serving RPC on 127.0.0.1; other clients join over --chain-rpc.
func embeddedEnv(t *testing.T) apiEnv {
	admin := servedEmbedded(t)
	if admin.Embedded().RPCURL() == "" {
		t.Fatal("embedded chain did not report its RPC URL")
	}
	return apiEnv{admin: admin, newOther: func(t *testing.T) *Client {
		return joinClient(t, admin, admin.Embedded().RPCURL())
	}}
}

// joinClient funds a fresh key from the admin and opens a client on rpcURL with the admin's contracts.
func joinClient(t *testing.T, admin *Client, rpcURL string) *Client {
	t.Helper()
	key, _ := crypto.GenerateKey()
	ctx := context.Background()
	if _, err := admin.Fund(ctx, crypto.PubkeyToAddress(key.PublicKey), new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	addrs := admin.Contracts()
	cl, err := Open(ctx, Config{ChainDir: t.TempDir(), RPCURL: rpcURL, Key: key, Contracts: &addrs,
		CommitInterval: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

func TestAPIEmbedded(t *testing.T) {
	runAPISuite(t, embeddedEnv(t))
}

func mustErr(t *testing.T, err error, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

func runAPISuite(t *testing.T, env apiEnv) {
	ctx := context.Background()
	admin := env.admin
	other := env.newOther(t)

	t.Run("membership", func(t *testing.T) {
		ok, err := admin.IsMember(ctx, admin.Account())
		if err != nil || !ok {
			t.Fatalf("deployer is not a member: %v %v", ok, err)
		}
		m, err := admin.ResolveMember(ctx, admin.Account())
		if err != nil {
			t.Fatal(err)
		}
		if env.admin.Embedded() != nil && string(m.PeerID) != "peer-admin" {
			t.Fatalf("member record %+v", m)
		}
		// A non-member cannot write anything, and nothing is stored.
		var id [32]byte = testTag("dev-nonmember")
		pub, _, _ := ed25519.GenerateKey(nil)
		_, err = other.RegisterDevice(ctx, id, pub)
		mustErr(t, err, ErrNotMember, "non-member registers device")
		_, err = admin.ResolveDevice(ctx, id)
		mustErr(t, err, ErrUnknownDevice, "device after refused registration")
		failedBefore := other.TxFailures()
		_, err = other.CommitBatches(ctx, []Commitment{testCommitment(testTag("nm"), 1, []byte("x"), testTag("r"), 1)})
		mustErr(t, err, ErrNotMember, "non-member commits")
		if other.TxFailures() == failedBefore {
			t.Error("a refused commitment transaction is not counted in TxFailures")
		}
		// Non-admin cannot add members.
		_, err = other.AddMember(ctx, other.Account(), []byte("p"), []byte("k"))
		mustErr(t, err, ErrNotAdmin, "non-admin adds member")
		if _, err := admin.AddMember(ctx, other.Account(), []byte("peer-other"), []byte("proxy-other")); err != nil {
			t.Fatal(err)
		}
		_, err = admin.AddMember(ctx, other.Account(), []byte("peer-other"), []byte("proxy-other"))
		mustErr(t, err, ErrMemberExists, "adding a member twice")
		if _, err := other.UpdateSelf(ctx, []byte("peer-other-2"), []byte("proxy-other-2")); err != nil {
			t.Fatal(err)
		}
		m, err = admin.ResolveMember(ctx, other.Account())
		if err != nil || !m.Active || string(m.PeerID) != "peer-other-2" || string(m.ProxyKey) != "proxy-other-2" {
			t.Fatalf("updated member %+v %v", m, err)
		}
		ms, err := admin.Members(ctx)
		if err != nil || len(ms) != 2 {
			t.Fatalf("members %+v %v", ms, err)
		}
		_, err = admin.RemoveAdmin(ctx, admin.Account())
		mustErr(t, err, ErrBadInput, "removing the last admin")
	})

	t.Run("devices", func(t *testing.T) {
		id := testTag("dev-1")
		pub, _, _ := ed25519.GenerateKey(nil)
		_, err := admin.RegisterDevice(ctx, id, pub[:31])
		mustErr(t, err, ErrBadInput, "short device key")
		if _, err := admin.RegisterDevice(ctx, id, pub); err != nil {
			t.Fatal(err)
		}
		_, err = other.RegisterDevice(ctx, id, pub)
		mustErr(t, err, ErrDeviceExists, "device registered twice")
		d, err := other.ActiveDevice(ctx, id)
		if err != nil || !d.PubKey.Equal(pub) || d.Owner != admin.Account() || d.Revoked {
			t.Fatalf("device %+v %v", d, err)
		}
		_, err = other.RevokeDevice(ctx, id)
		mustErr(t, err, ErrNotOwner, "other member revokes a device it does not own")
		if _, err := admin.RevokeDevice(ctx, id); err != nil {
			t.Fatal(err)
		}
		_, err = other.ActiveDevice(ctx, id)
		mustErr(t, err, ErrDeviceRevoked, "revoked device")
		_, err = admin.ResolveDevice(ctx, testTag("no-such-device"))
		mustErr(t, err, ErrUnknownDevice, "unknown device")
	})

	t.Run("commitments", func(t *testing.T) {
		a, b := StreamSecret(testTag(t.Name()+"a")), StreamSecret(testTag(t.Name()+"b"))
		cs := []Commitment{
			a.Commitment(1, []byte("cid-a1"), testTag("a1"), 5000),
			b.Commitment(7, []byte("cid-b7"), testTag("b7"), 10),
			a.Commitment(2, []byte("cid-a2"), testTag("a2"), 4999),
		}
		r, err := admin.CommitBatches(ctx, cs)
		if err != nil {
			t.Fatal(err)
		}
		if r.Block == 0 || r.TxHash == (common.Hash{}) {
			t.Fatalf("receipt %+v", r)
		}
		// Looked up by another node, from the chain, with the stream's secret.
		got, err := other.StreamCommitments(ctx, a, admin.Account())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !got[0].equal(cs[0]) || !got[1].equal(cs[2]) || got[0].Block != r.Block || got[1].By != admin.Account() {
			t.Fatalf("stream a: %+v", got)
		}
		if got, err := other.StreamCommitments(ctx, b, admin.Account()); err != nil || len(got) != 1 || got[0].Seq != 7 {
			t.Fatalf("stream b (first sequence 7): %+v %v", got, err)
		}
		// Without the secret a reader finds nothing, and a wrong custodian has none of them.
		if got, err := other.StreamCommitments(ctx, StreamSecret(testTag("another")), admin.Account()); err != nil || len(got) != 0 {
			t.Fatalf("another secret: %+v %v", got, err)
		}
		if got, err := other.StreamCommitments(ctx, a, other.Account()); err != nil || len(got) != 0 {
			t.Fatalf("another custodian: %+v %v", got, err)
		}
		// Tampered log answers are detected against the member's on-chain log.
		if _, err := other.VerifyMemberLog(ctx, admin.Account()); err != nil {
			t.Fatal(err)
		}
		all, err := other.filterCommitted(ctx, other.addrs.DeployBlock, 0, [][]any{nil, {admin.Account()}})
		if err != nil {
			t.Fatal(err)
		}
		st, err := other.MemberLogAt(ctx, admin.Account(), nil)
		if err != nil || st.Count != uint64(len(all)) {
			t.Fatalf("member log %+v %v (%d events)", st, err, len(all))
		}
		from := all[len(all)-3] // stream a's first commitment
		if err := verifyChainFrom(all, from, st.Head); err != nil {
			t.Fatal(err)
		}
		altered := append([]CommittedBatch(nil), all...)
		altered[len(all)-1].MerkleRoot[0] ^= 1
		dropped := append(append([]CommittedBatch(nil), all[:len(all)-2]...), all[len(all)-1])
		for name, l := range map[string][]CommittedBatch{"dropped last": all[:len(all)-1], "dropped middle": dropped, "altered": altered,
			"added": append(append([]CommittedBatch(nil), all...), all[len(all)-1])} {
			if err := verifyChainFrom(l, from, st.Head); !errors.Is(err, ErrTampered) {
				t.Fatalf("%s commitment not detected: %v", name, err)
			}
		}
		found, err := other.LookupCommitment(ctx, b.BatchTag(7))
		if err != nil || len(found) != 1 || !found[0].sameOnChain(cs[1]) {
			t.Fatalf("lookup b/7: %+v %v", found, err)
		}
		byRoot, err := other.CommitmentsOfRoot(ctx, []byte("cid-b7"))
		if err != nil || len(byRoot) != 1 || !byRoot[0].sameOnChain(cs[1]) {
			t.Fatalf("lookup by root: %+v %v", byRoot, err)
		}
		// Committing the same again is a no-op (no transaction).
		txs, _, _ := admin.CommitterStats()
		if _, err := admin.CommitBatches(ctx, cs[:1]); err != nil {
			t.Fatal(err)
		}
		if txs2, _, _ := admin.CommitterStats(); txs2 != txs {
			t.Fatalf("identical re-commit sent a transaction (%d -> %d)", txs, txs2)
		}
		// Different content under a committed sequence: duplicate sequence, nothing changes.
		_, err = admin.CommitBatches(ctx, []Commitment{a.Commitment(1, []byte("evil"), testTag("evil"), 1)})
		mustErr(t, err, ErrDuplicateSequence, "different commitment under a journaled sequence")
		// Twice in one call with different content.
		_, err = admin.CommitBatches(ctx, []Commitment{a.Commitment(9, []byte("x"), testTag("x"), 1), a.Commitment(9, []byte("y"), testTag("y"), 1)})
		mustErr(t, err, ErrDuplicateSequence, "duplicate in one call")
		// Bad input is refused before anything is journaled.
		_, err = admin.CommitBatches(ctx, []Commitment{a.Commitment(10, nil, testTag("x"), 1)})
		mustErr(t, err, ErrBadInput, "empty CID")
		_, err = admin.CommitBatches(ctx, []Commitment{a.Commitment(10, []byte("c"), testTag("x"), 0)})
		mustErr(t, err, ErrBadInput, "zero count")
		noMAC := a.Commitment(10, []byte("c"), testTag("x"), 1)
		noMAC.MAC = [16]byte{}
		_, err = admin.CommitBatches(ctx, []Commitment{noMAC})
		mustErr(t, err, ErrBadInput, "zero MAC")
	})

	// Another member can copy a stream's batch tag (it is public once
	// committed) but not its MAC: a forged commitment under the tag is
	// ignored by every holder of the secret, and the same member's second
	// authentic commitment of one sequence is tampering.
	t.Run("copies by another member", func(t *testing.T) {
		s := StreamSecret(testTag(t.Name()))
		real := s.Commitment(1, []byte("root-1"), testTag("m1"), 1)
		if _, err := admin.CommitBatches(ctx, []Commitment{real}); err != nil {
			t.Fatal(err)
		}
		forged := real
		forged.RootCID, forged.MerkleRoot = []byte("forged"), testTag("forged")
		if _, err := other.CommitBatches(ctx, []Commitment{forged}); err != nil {
			t.Fatalf("the chain takes any tag from a member: %v", err)
		}
		got, err := admin.StreamCommitments(ctx, s, admin.Account())
		if err != nil || len(got) != 1 || !got[0].equal(real) {
			t.Fatalf("the custodian's commitments: %+v %v", got, err)
		}
		// Even named as the custodian, the copier's forged commitment fails its MAC.
		if got, err := admin.StreamCommitments(ctx, s, other.Account()); err != nil || len(got) != 0 {
			t.Fatalf("forged commitments accepted: %+v %v", got, err)
		}
	})

	t.Run("grants", func(t *testing.T) {
		signerPub, signerPriv, _ := ed25519.GenerateKey(nil)
		now := time.Now().Truncate(time.Second)
		key := GrantKeyOf(testTag(t.Name() + "glucose"))
		g := Grant{ID: testTag(t.Name() + "g1"), GranteeKeyHash: testTag("clinician"),
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), M: 2,
			Proxies: []common.Address{admin.Account(), other.Account()}, SignerKey: signerPub}
		g.StreamBinding = key.Binding(g.ID)
		// Wrong signature: signed by another key.
		_, wrongPriv, _ := ed25519.GenerateKey(nil)
		g.Signature = ed25519.Sign(wrongPriv, admin.GrantMessage(g))
		_, err := admin.Grant(ctx, g)
		mustErr(t, err, ErrBadSignature, "grant with wrong signature")
		_, err = admin.GetGrant(ctx, g.ID)
		mustErr(t, err, ErrUnknownGrant, "grant after refused grant")
		// Signature over different fields.
		g2 := g
		g2.NotAfter = now.Add(48 * time.Hour)
		g2.Signature = ed25519.Sign(signerPriv, admin.GrantMessage(g))
		_, err = admin.Grant(ctx, g2)
		mustErr(t, err, ErrBadSignature, "grant whose window differs from the signed one")

		g.Signature = ed25519.Sign(signerPriv, admin.GrantMessage(g))
		if _, err := admin.Grant(ctx, g); err != nil {
			t.Fatal(err)
		}
		_, err = other.Grant(ctx, g)
		mustErr(t, err, ErrGrantExists, "same grant id twice")
		ids, err := other.GrantsByStream(ctx, key, admin.Account())
		if err != nil || len(ids) == 0 || ids[len(ids)-1] != g.ID {
			t.Fatalf("grants of the stream: %x %v", ids, err)
		}
		if ids, err := other.GrantsByStream(ctx, GrantKeyOf(testTag(t.Name()+"no-grants")), admin.Account()); err != nil || len(ids) != 0 {
			t.Fatalf("grants of a stream without any: %x %v", ids, err)
		}
		// Another member that knows the stream tag (it holds the stream's blocks) can record a grant
		// under a valid binding of the stream; it is not the custodian's, so it is not listed as one
		// of the stream's grants (nobody could revoke it for the patient, and it opens nothing).
		rogue := g
		rogue.ID = testTag(t.Name() + "rogue")
		rogue.StreamBinding = key.Binding(rogue.ID)
		rogue.Signature = ed25519.Sign(signerPriv, other.GrantMessage(rogue))
		if _, err := other.Grant(ctx, rogue); err != nil {
			t.Fatal(err)
		}
		if ids, err := other.GrantsByStream(ctx, key, admin.Account()); err != nil || slices.Contains(ids, rogue.ID) || !slices.Contains(ids, g.ID) {
			t.Fatalf("grants of the stream by its custodian: %x %v", ids, err)
		}
		if ids, err := other.GrantsByStream(ctx, key, other.Account()); err != nil || len(ids) != 1 || ids[0] != rogue.ID {
			t.Fatalf("grants of the stream by the other member: %x %v", ids, err)
		}
		rec, err := other.CheckGrant(ctx, g.ID, now)
		if err != nil || rec.M != 2 || len(rec.Proxies) != 2 || rec.GranteeKeyHash != g.GranteeKeyHash {
			t.Fatalf("check grant: %+v %v", rec, err)
		}
		_, err = other.CheckGrant(ctx, g.ID, now.Add(-2*time.Hour))
		mustErr(t, err, ErrGrantNotYetValid, "before window")
		_, err = other.CheckGrant(ctx, g.ID, now.Add(time.Hour))
		mustErr(t, err, ErrGrantExpired, "at notAfter")
		_, err = other.CheckGrant(ctx, testTag("no-such-grant"), now)
		mustErr(t, err, ErrUnknownGrant, "unknown grant")

		// Bad shapes.
		bad := g
		bad.ID = testTag(t.Name() + "bad")
		bad.M = 3
		bad.Signature = ed25519.Sign(signerPriv, admin.GrantMessage(bad))
		_, err = admin.Grant(ctx, bad)
		mustErr(t, err, ErrBadInput, "M > N")
		bad.M = 1
		bad.Proxies = []common.Address{common.HexToAddress("0x1234")}
		bad.Signature = ed25519.Sign(signerPriv, admin.GrantMessage(bad))
		_, err = admin.Grant(ctx, bad)
		mustErr(t, err, ErrBadInput, "proxy not a member")
		bad.Proxies = []common.Address{admin.Account()}
		bad.NotAfter = bad.NotBefore
		bad.Signature = ed25519.Sign(signerPriv, admin.GrantMessage(bad))
		_, err = admin.Grant(ctx, bad)
		mustErr(t, err, ErrBadInput, "empty window")

		// Revocation needs the patient side's signature.
		_, err = other.Revoke(ctx, g.ID, ed25519.Sign(wrongPriv, admin.RevokeMessage(g.ID)))
		mustErr(t, err, ErrBadSignature, "revoke with wrong signature")
		if _, err := other.CheckGrant(ctx, g.ID, now); err != nil {
			t.Fatalf("grant after refused revocation: %v", err)
		}
		_, err = other.Revoke(ctx, testTag("no-such-grant"), ed25519.Sign(signerPriv, admin.RevokeMessage(testTag("no-such-grant"))))
		mustErr(t, err, ErrUnknownGrant, "revoke unknown grant")
		if _, err := other.Revoke(ctx, g.ID, ed25519.Sign(signerPriv, admin.RevokeMessage(g.ID))); err != nil {
			t.Fatal(err)
		}
		_, err = admin.CheckGrant(ctx, g.ID, now)
		mustErr(t, err, ErrGrantRevoked, "revoked grant")
		_, err = admin.Revoke(ctx, g.ID, ed25519.Sign(signerPriv, admin.RevokeMessage(g.ID)))
		mustErr(t, err, ErrGrantRevoked, "revoke twice")
	})

	t.Run("erasures", func(t *testing.T) {
		subj, keys, ref, order := testTag(t.Name()+"subject"), testTag("key-ids"), testTag("request-ref"), testTag("purge-order")
		_, err := admin.LookupErasure(ctx, subj)
		mustErr(t, err, ErrUnknownErasure, "before erasure")
		r, err := admin.RecordErasure(ctx, subj, keys, ref, order)
		if err != nil {
			t.Fatal(err)
		}
		e, err := other.LookupErasure(ctx, subj)
		if err != nil || e.KeyIDsCommitment != keys || e.RequestRefHash != ref || e.PurgeOrderHash != order || e.DPO != admin.Account() || e.Block != r.Block || e.TxHash != r.TxHash {
			t.Fatalf("erasure %+v %v (receipt %+v)", e, err, r)
		}
		// Idempotent: same record again returns the original receipt.
		r2, err := admin.RecordErasure(ctx, subj, keys, ref, order)
		if err != nil || r2.TxHash != r.TxHash {
			t.Fatalf("repeated erasure: %+v %v", r2, err)
		}
		_, err = other.RecordErasure(ctx, subj, testTag("other-keys"), ref, order)
		mustErr(t, err, ErrAlreadyErased, "different erasure for an erased subject")
		_, err = admin.RecordErasure(ctx, testTag("s2"), [32]byte{}, ref, order)
		mustErr(t, err, ErrBadInput, "zero key commitment")
		_, err = admin.RecordErasure(ctx, testTag("s2"), keys, ref, [32]byte{})
		mustErr(t, err, ErrBadInput, "zero purge order hash")

		if _, err := admin.RecordRefusal(ctx, testTag(t.Name()+"s3"), testTag(t.Name()+"ref3"), 17); err != nil {
			t.Fatal(err)
		}
		rf, err := other.LookupRefusal(ctx, testTag(t.Name()+"ref3"))
		if err != nil || rf.LegalGround != 17 || rf.SubjectTag != testTag(t.Name()+"s3") {
			t.Fatalf("refusal %+v %v", rf, err)
		}
		_, err = admin.RecordRefusal(ctx, testTag(t.Name()+"s3"), testTag(t.Name()+"ref3"), 17)
		mustErr(t, err, ErrAlreadyRefused, "refusal twice")
		_, err = admin.LookupRefusal(ctx, testTag("nope"))
		mustErr(t, err, ErrUnknownRefusal, "unknown refusal")
	})

	t.Run("anchors", func(t *testing.T) {
		log := testTag(t.Name() + "log")
		if _, err := admin.AnchorAudit(ctx, log, 0, 10, testTag("root0")); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.AnchorAudit(ctx, log, 10, 25, testTag("root1")); err != nil {
			t.Fatal(err)
		}
		_, err := admin.AnchorAudit(ctx, log, 30, 40, testTag("root2"))
		mustErr(t, err, ErrAnchorGap, "gap")
		_, err = admin.AnchorAudit(ctx, log, 25, 25, testTag("root2"))
		mustErr(t, err, ErrBadInput, "empty range")
		_, err = other.AnchorAudit(ctx, log, 25, 30, testTag("root2"))
		mustErr(t, err, ErrNotOwner, "another member anchors my log")
		a, err := other.LookupAnchor(ctx, log, 12)
		if err != nil || a.Index != 1 || a.From != 10 || a.To != 25 || a.Root != testTag("root1") {
			t.Fatalf("anchor %+v %v", a, err)
		}
		_, err = other.LookupAnchor(ctx, log, 25)
		mustErr(t, err, ErrNoAnchor, "entry beyond last anchor")
		if n, err := other.AnchorCount(ctx, log); err != nil || n != 2 {
			t.Fatalf("anchor count %d %v", n, err)
		}
	})

	t.Run("watch", func(t *testing.T) {
		wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		now0, err := other.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		from := now0 + 1
		evs, err := other.WatchEvents(wctx, WatchOptions{FromBlock: &from, Kinds: []EventKind{EventGrantRevoked, EventErased, EventMemberAdded}})
		if err != nil {
			t.Fatal(err)
		}
		confirmed, err := other.WatchEvents(wctx, WatchOptions{FromBlock: &from, Confirmations: 2, Kinds: []EventKind{EventErased}})
		if err != nil {
			t.Fatal(err)
		}
		// A grant (not watched) and its revocation (watched), then an erasure.
		signerPub, signerPriv, _ := ed25519.GenerateKey(nil)
		now := time.Now()
		g := Grant{ID: testTag(t.Name() + "grant"), StreamBinding: GrantKeyOf(testTag("ecg")).Binding(testTag(t.Name() + "grant")), GranteeKeyHash: testTag("clin"),
			NotBefore: now, NotAfter: now.Add(time.Hour), M: 1, Proxies: []common.Address{admin.Account()}, SignerKey: signerPub}
		g.Signature = ed25519.Sign(signerPriv, admin.GrantMessage(g))
		if _, err := admin.Grant(ctx, g); err != nil {
			t.Fatal(err)
		}
		rr, err := admin.Revoke(ctx, g.ID, ed25519.Sign(signerPriv, admin.RevokeMessage(g.ID)))
		if err != nil {
			t.Fatal(err)
		}
		subj := testTag(t.Name() + "subject")
		r, err := admin.RecordErasure(ctx, subj, testTag("k"), testTag("r"), testTag("o"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []Event{
			{Kind: EventGrantRevoked, GrantID: g.ID, Block: rr.Block, TxHash: rr.TxHash, By: admin.Account()},
			{Kind: EventErased, Subject: subj, Request: testTag("r"), Block: r.Block, TxHash: r.TxHash, By: admin.Account()},
		} {
			select {
			case e := <-evs:
				if e != want {
					t.Fatalf("event %+v, want %+v", e, want)
				}
			case <-wctx.Done():
				t.Fatalf("no %s event", want.Kind)
			}
		}
		// With 2 confirmations nothing arrives until two more blocks exist.
		select {
		case e := <-confirmed:
			t.Fatalf("event delivered before 2 confirmations: %+v", e)
		case <-time.After(500 * time.Millisecond):
		}
		for i := 0; i < 2; i++ {
			if _, err := admin.Fund(ctx, other.Account(), big.NewInt(1)); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case e := <-confirmed:
			if e.Subject != subj {
				t.Fatalf("confirmed event %+v", e)
			}
			head, _ := admin.BlockNumber(ctx)
			if head < e.Block+2 {
				t.Fatalf("event from block %d delivered at head %d", e.Block, head)
			}
		case <-wctx.Done():
			t.Fatal("no confirmed erasure event")
		}
		cancel()
		for range evs { // closed when ctx ends
		}
	})

	t.Run("committer", func(t *testing.T) {
		// 300 commitments over 30 streams enqueued in pieces: packed into few transactions.
		txs0, _, _ := admin.CommitterStats()
		var all []Commitment
		for seq := uint64(1); seq <= 10; seq++ {
			var cs []Commitment
			for s := 0; s < 30; s++ {
				cs = append(cs, testCommitment(testTag(fmt.Sprintf("%s-%d", t.Name(), s)), seq, []byte(fmt.Sprintf("cid-%d-%d", s, seq)), testTag("m"), 100))
			}
			if err := admin.EnqueueCommitments(ctx, cs); err != nil {
				t.Fatal(err)
			}
			all = append(all, cs...)
		}
		deadline := time.Now().Add(60 * time.Second)
		for admin.PendingCommitments() > 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if n := admin.PendingCommitments(); n != 0 {
			t.Fatalf("%d commitments still pending", n)
		}
		txs1, _, _ := admin.CommitterStats()
		if txs1-txs0 > 10 {
			t.Fatalf("300 commitments took %d transactions", txs1-txs0)
		}
		for s := 0; s < 30; s += 7 {
			got, err := other.StreamCommitments(ctx, StreamSecret(testTag(fmt.Sprintf("%s-%d", t.Name(), s))), admin.Account())
			if err != nil || len(got) != 10 {
				t.Fatalf("stream %d: %d commitments, %v", s, len(got), err)
			}
		}
		t.Logf("300 commitments in %d transactions", txs1-txs0)
	})
}
