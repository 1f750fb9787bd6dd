package p2p

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"
)

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting: %s", what)
}

func TestWatchChainRevocationAndMembership(t *testing.T) {
	w := newProxyWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	p1 := w.peers[1]
	done := make(chan error, 1)
	go func() {
		done <- WatchChain(ctx, w.chain, w.members, p1.proxy, p1.vault, 200*time.Millisecond, testLogger(t))
	}()
	defer func() {
		cancel()
		<-done
	}()
	// The on-chain members are the 4 peers: nobody is dropped by the sync.
	time.Sleep(300 * time.Millisecond)
	for _, p := range w.peers {
		if !w.members.IsMember(p.ID()) {
			t.Fatalf("on-chain member %s missing from the set", p.ID())
		}
	}

	clinician, _ := GenerateGrantee(rand.Reader)
	now := w.clock.Now()
	g := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(time.Hour))
	if !holds(p1.vault, g.ID) {
		t.Fatal("proxy holds no kfrag")
	}
	// A revocation deletes the kfrag without any request arriving.
	if _, err := w.chain.Revoke(ctx, g.ID, ed25519.Sign(w.signer, w.chain.RevokeMessage(g.ID))); err != nil {
		t.Fatal(err)
	}
	eventually(t, "kfrag of the revoked grant deleted", func() bool { return !holds(p1.vault, g.ID) })

	// Removing a member on-chain disconnects it.
	p3 := w.peers[3]
	if !w.peers[1].Connected(p3.ID()) {
		t.Fatal("members not connected")
	}
	if _, err := w.chain.RemoveMember(ctx, p3.account); err != nil {
		t.Fatal(err)
	}
	eventually(t, "removed member dropped from the set", func() bool { return !w.members.IsMember(p3.ID()) })
	eventually(t, "removed member disconnected", func() bool { return !w.peers[1].Connected(p3.ID()) })
}

func TestSweepExpiredKFrags(t *testing.T) {
	w := newProxyWorld(t)
	clinician, _ := GenerateGrantee(rand.Reader)
	now := w.clock.Now()
	short := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(5*time.Minute))
	long := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(time.Hour))
	p1 := w.peers[1]
	w.clock.Advance(10 * time.Minute)
	n, err := p1.proxy.SweepKFrags(context.Background(), p1.vault)
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if holds(p1.vault, short.ID) || !holds(p1.vault, long.ID) {
		t.Fatal("sweep deleted the wrong kfrags")
	}
}
