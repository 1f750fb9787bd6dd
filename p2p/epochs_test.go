package p2p

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// After the stream's key is rotated, a grant gets kfrags for the new key
// epoch next to the old ones: the proxies answer requests for capsules of
// both epochs with the matching kfrag, refuse a key the grant holds none
// for, and refuse a second delivery that would change the grant's purposes.
func TestProxyKeepsOneKFragPerKeyEpoch(t *testing.T) {
	w := newProxyWorld(t)
	clinician, err := GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	g := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(time.Hour))
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}

	epoch1, _ := reencrypt.GenerateSecretKey(rand.Reader)
	kfrags, err := reencrypt.GenerateKFrags(rand.Reader, epoch1, clinician.PRE.PublicKey(), w.signer, 2, 3, binding)
	if err != nil {
		t.Fatal(err)
	}
	var targets []ProxyTarget
	for _, p := range w.peers[1:] {
		targets = append(targets, ProxyTarget{Peer: p.ID(), ProxyKey: p.key.PublicBytes()})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := DeliverKFrags(ctx, w.peers[0].Host, rand.Reader, g.ID, w.tag, w.purposes, kfrags, targets); err != nil {
		t.Fatal(err)
	}

	open := func(sk *reencrypt.SecretKey) {
		t.Helper()
		capsule, dek, err := reencrypt.Encapsulate(rand.Reader, sk.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		var cfrags []*reencrypt.CFrag
		for _, i := range []int{1, 3} {
			req := w.request(t, clinician, g.ID, capsule)
			req.Delegating = sk.PublicKey()
			req.Sign(clinician.Sign)
			cf, err := w.ask(t, i, req)
			if err != nil {
				t.Fatalf("proxy %d: %v", i, err)
			}
			if err := cf.Verify(capsule, g.SignerKey, sk.PublicKey(), clinician.PRE.PublicKey(), binding, req.Binding()); err != nil {
				t.Fatalf("proxy %d: cfrag does not verify for the epoch's key: %v", i, err)
			}
			cfrags = append(cfrags, cf)
		}
		got, err := reencrypt.DecapsulateFrags(clinician.PRE, sk.PublicKey(), capsule, cfrags)
		if err != nil || got != dek {
			t.Fatalf("decapsulate: %v", err)
		}
	}
	open(w.stream) // the first epoch still works
	open(epoch1)   // and the new one

	stranger, _ := reencrypt.GenerateSecretKey(rand.Reader)
	capsule, _, _ := reencrypt.Encapsulate(rand.Reader, stranger.PublicKey())
	req := w.request(t, clinician, g.ID, capsule)
	req.Delegating = stranger.PublicKey()
	req.Sign(clinician.Sign)
	_, err = w.ask(t, 2, req)
	wantRefusal(t, err, RefusedNoKFrag)

	w.purposes = []string{"HPAYMT"}
	more, _ := reencrypt.GenerateKFrags(rand.Reader, epoch1, clinician.PRE.PublicKey(), w.signer, 2, 3, binding)
	err = DeliverKFrags(ctx, w.peers[0].Host, rand.Reader, g.ID, w.tag, w.purposes, more[:1], targets[:1])
	wantRefusal(t, err, RefusedMalformed)
}
