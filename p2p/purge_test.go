package p2p

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/vaultnode/vaultnode/store"
)

func testOrder(t testing.TB, key crypto.PrivKey, roots []cid.Cid, tags ...[32]byte) *PurgeOrder {
	t.Helper()
	o := &PurgeOrder{Issued: time.Now().UTC(), StreamTags: tags, Roots: roots}
	_, _ = rand.Read(o.SubjectTag[:])
	o.Grants = [][32]byte{{1}, {2}}
	if err := o.Sign(key); err != nil {
		t.Fatal(err)
	}
	return o
}

func sealPurgeBatch(t *testing.T, st *store.Store, tag [32]byte, seq uint64) cid.Cid {
	t.Helper()
	var dek [32]byte
	_, _ = rand.Read(dek[:])
	var patient [32]byte
	patient[0] = 7
	rs := []store.Reading{{Device: "cgm-1", Patient: patient, Stream: "glucose", Time: time.Unix(1700000000+int64(seq), 0), Value: 5.5, Unit: "mmol/L", Code: "loinc:15074-8"}}
	b, err := st.SealAndPut(context.Background(), store.SealParams{DEK: &dek, Capsule: []byte("capsule"), StreamTag: tag, Seq: seq, Stream: "glucose", Patient: patient}, rs)
	if err != nil {
		t.Fatal(err)
	}
	return b.Root
}

func TestPurgeOrderAndAckEncoding(t *testing.T) {
	sk, id := newIdentity(t)
	root, _ := cid.Decode("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
	o := testOrder(t, sk, []cid.Cid{root}, [32]byte{9})
	b, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	o2, err := ParsePurgeOrder(b)
	if err != nil {
		t.Fatal(err)
	}
	if o2.Custodian != id || !o2.Issued.Equal(o.Issued) || len(o2.Roots) != 1 || !o2.Roots[0].Equals(root) {
		t.Fatalf("round trip changed the order: %+v", o2)
	}
	if err := o2.Verify(); err != nil {
		t.Fatal(err)
	}
	// Any altered byte of the signed body breaks the signature or the parse.
	for i := 0; i < len(b); i++ {
		c := bytes.Clone(b)
		c[i] ^= 0x01
		if o3, err := ParsePurgeOrder(c); err == nil && o3.Verify() == nil {
			t.Fatalf("order with byte %d flipped still verifies", i)
		}
	}
	if _, err := ParsePurgeOrder(append(b, 0)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing byte: %v", err)
	}
	h, _ := o.Hash()
	a := &PurgeAck{Order: h, KFrags: 3, Blocks: 42, Time: time.Now().UTC()}
	if err := a.Sign(sk); err != nil {
		t.Fatal(err)
	}
	ab, _ := a.MarshalBinary()
	a2, err := ParsePurgeAck(ab)
	if err != nil || a2.Verify() != nil || a2.Blocks != 42 || a2.KFrags != 3 || a2.Peer != id {
		t.Fatalf("ack round trip: %+v %v", a2, err)
	}
	for i := 0; i < len(ab); i++ {
		c := bytes.Clone(ab)
		c[i] ^= 0x80
		if a3, err := ParsePurgeAck(c); err == nil && a3.Verify() == nil {
			t.Fatalf("ack with byte %d flipped still verifies", i)
		}
	}
	// Another key cannot sign for the custodian.
	other, _ := newIdentity(t)
	forged := *o2
	forged.Sig, _ = other.Sign([]byte("x"))
	if forged.Verify() == nil {
		t.Fatal("forged order verifies")
	}
}

type countingForgetter struct{ calls, n int }

func (c *countingForgetter) ForgetStream(_ context.Context, _ [32]byte, grants [][32]byte) (int, error) {
	c.calls++
	if c.calls > 1 {
		return 0, nil // already forgotten
	}
	c.n += len(grants)
	return len(grants), nil
}

func TestPurgeOverTheNetwork(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	peers := storeConsortium(t, 2)
	custodianKey, _ := newIdentity(t) // a custodian key that is not a member
	members := NewMemberSet(peers[0].ID(), peers[1].ID())
	tag, other := [32]byte{1, 2, 3}, [32]byte{4, 5, 6}
	var mine []cid.Cid
	for s := uint64(0); s < 3; s++ {
		mine = append(mine, sealPurgeBatch(t, peers[1].st, tag, s))
	}
	keep := sealPurgeBatch(t, peers[1].st, other, 0)
	fg := &countingForgetter{}
	pu, err := NewPurger(PurgerConfig{Identity: peers[1].Host.Peerstore().PrivKey(peers[1].ID()), Members: members,
		Store: peers[1].st, KFrags: fg, Dir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	pu.Serve(peers[1].Host)

	// An order signed by a non-member custodian is refused; nothing is deleted.
	bad := testOrder(t, custodianKey, nil, tag)
	if _, err := SendPurgeOrder(ctx, peers[0].Host, peers[1].ID(), bad, 0); !errors.Is(err, ErrPurgeRefused) {
		t.Fatalf("non-member order: %v", err)
	}
	if ok, _ := peers[1].st.IsPinned(ctx, mine[0]); !ok {
		t.Fatal("a refused order deleted a batch")
	}

	// The member custodian's order, naming one root only: the other two are
	// found by the stream tag in their root headers.
	ck := peers[0].Host.Peerstore().PrivKey(peers[0].ID())
	o := testOrder(t, ck, mine[:1], tag)
	a, err := SendPurgeOrder(ctx, peers[0].Host, peers[1].ID(), o, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Blocks < 6 || a.KFrags != 2 || a.Peer != peers[1].ID() {
		t.Fatalf("ack: %+v", a)
	}
	for _, r := range mine {
		if has, _ := peers[1].st.Has(ctx, r); has {
			t.Fatalf("batch %s survived the purge", r)
		}
	}
	if ok, _ := peers[1].st.IsPinned(ctx, keep); !ok {
		t.Fatal("a batch of another stream was purged")
	}
	// Again: same acknowledgement, nothing more to remove.
	a2, err := SendPurgeOrder(ctx, peers[0].Host, peers[1].ID(), o, 0)
	if err != nil || !bytes.Equal(a2.Sig, a.Sig) {
		t.Fatalf("repeated order: %v (ack changed: %v)", err, a2 != nil && !bytes.Equal(a2.Sig, a.Sig))
	}
	// The order is served to a peer that missed it, and survives a restart.
	orders, err := FetchPurgeOrders(ctx, peers[0].Host, peers[1].ID(), 0)
	if err != nil || len(orders) != 1 {
		t.Fatalf("fetch orders: %d %v", len(orders), err)
	}
	pu2, err := NewPurger(PurgerConfig{Identity: ck, Members: members, Store: peers[1].st, Dir: pu.cfg.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := o.Hash(); !pu2.Has(h) {
		t.Fatal("executed order forgotten after restart")
	}
}

func TestPurgeSyncBeforeServing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	peers := storeConsortium(t, 2)
	members := NewMemberSet(peers[0].ID(), peers[1].ID())
	tag := [32]byte{7}
	root := sealPurgeBatch(t, peers[1].st, tag, 0)
	// peers[0] holds an order it executed while peers[1] was away.
	k0 := peers[0].Host.Peerstore().PrivKey(peers[0].ID())
	p0, err := NewPurger(PurgerConfig{Identity: k0, Members: members, Store: peers[0].st, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	p0.Serve(peers[0].Host)
	if _, err := p0.Execute(ctx, testOrder(t, k0, []cid.Cid{root}, tag)); err != nil {
		t.Fatal(err)
	}
	gate := NewGatedBlockstore(peers[1].st)
	if ok, _ := gate.Has(ctx, root); ok {
		t.Fatal("closed gate serves")
	}
	k1 := peers[1].Host.Peerstore().PrivKey(peers[1].ID())
	p1, err := NewPurger(PurgerConfig{Identity: k1, Members: members, Store: peers[1].st, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	n, err := p1.Sync(ctx, peers[1].Host, members.List())
	if err != nil || n != 1 {
		t.Fatalf("sync: %d %v", n, err)
	}
	gate.Open()
	if ok, _ := gate.Has(ctx, root); ok {
		t.Fatal("block of the purged batch still served after sync")
	}
}

// A peer that has just started serves the blocks it wrote itself since
// (a batch ingested there, which members are replicating) before its purge
// sync; everything else waits for the gate. A member replicating a fresh
// batch used to wait for the full replication timeout (2 min).
func TestGateServesFreshBlocksOnly(t *testing.T) {
	ctx := context.Background()
	peers := storeConsortium(t, 1)
	old := sealPurgeBatch(t, peers[0].st, [32]byte{8}, 0)
	gate := NewGatedBlockstore(peers[0].st)
	fresh := sealPurgeBatch(t, peers[0].st, [32]byte{9}, 0)
	gate.Admit(fresh)
	if ok, _ := gate.Has(ctx, fresh); !ok {
		t.Fatal("a block written since the start is not served before the sync")
	}
	if _, err := gate.Get(ctx, fresh); err != nil {
		t.Fatalf("get fresh block: %v", err)
	}
	if ok, _ := gate.Has(ctx, old); ok {
		t.Fatal("a block from before the start is served before the sync")
	}
	gate.Open()
	if ok, _ := gate.Has(ctx, old); !ok {
		t.Fatal("open gate does not serve")
	}
}

func FuzzParsePurgeOrder(f *testing.F) {
	sk, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	root, _ := cid.Decode("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
	o := testOrder(f, sk, []cid.Cid{root}, [32]byte{1})
	b, _ := o.MarshalBinary()
	f.Add(b)
	f.Add([]byte(orderMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := ParsePurgeOrder(b)
		if err != nil {
			return
		}
		out, err := o.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("accepted order does not re-encode to its bytes: %v", err)
		}
	})
}

func FuzzParsePurgeAck(f *testing.F) {
	sk, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	a := &PurgeAck{Order: [32]byte{1}, KFrags: 1, Blocks: 2, Time: time.Now().UTC()}
	_ = a.Sign(sk)
	b, _ := a.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParsePurgeAck(b)
		if err != nil {
			return
		}
		out, err := a.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("accepted ack does not re-encode to its bytes: %v", err)
		}
	})
}

func FuzzParseOrderList(f *testing.F) {
	sk, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	o := testOrder(f, sk, nil, [32]byte{1})
	b, _ := o.MarshalBinary()
	f.Add(encodeOrderList([][]byte{b, b}))
	f.Add(encodeOrderList(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		os, err := parseOrderList(b)
		if err != nil {
			return
		}
		var raw [][]byte
		for _, o := range os {
			ob, err := o.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			raw = append(raw, ob)
		}
		if !bytes.Equal(encodeOrderList(raw), b) {
			t.Fatal("accepted list does not re-encode to its bytes")
		}
	})
}
