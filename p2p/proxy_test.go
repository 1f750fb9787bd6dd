package p2p

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// testVault opens a real keystore (small Argon2 parameters) as the proxy's
// kfrag vault.
func testVault(t testing.TB) *keys.Keystore {
	t.Helper()
	ks, err := keys.Create(context.Background(), t.TempDir()+"/keystore", keys.Passphrase([]byte("test")),
		keys.Options{Argon2: keys.Argon2Params{Time: 1, MemoryKiB: 1024, Threads: 1}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ks.Close() })
	return ks
}

func holds(v *keys.Keystore, grant [32]byte) bool {
	kf, err := v.KFrag(context.Background(), grant)
	clear(kf)
	return err == nil
}

type proxyPeer struct {
	*testPeer
	proxy   *Proxy
	vault   *keys.Keystore
	log     *AccessLog
	account common.Address
	key     *ProxyKey
}

type proxyWorld struct {
	chain   *pointers.Client
	members *MemberSet
	peers   []*proxyPeer // peers[0] is the custodian; 1..3 are proxies
	clock   *testClock
	signer  ed25519.PrivateKey // the patient side's grant signer
	stream  *reencrypt.SecretKey
	tag     [32]byte
	// purposes the next grant is restricted to (nil: any).
	purposes []string
}

type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func newProxyWorld(t testing.TB) *proxyWorld {
	t.Helper()
	ctx := context.Background()
	adminKey, err := ethcrypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := pointers.Open(ctx, pointers.Config{ChainDir: t.TempDir(), Key: adminKey, CommitInterval: 200 * time.Millisecond,
		PeerID: []byte("custodian"), ProxyKey: []byte("none"), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	peers, members := consortium(t, 4)
	w := &proxyWorld{chain: cl, clock: &testClock{}, members: members}
	for i, tp := range peers {
		pp := &proxyPeer{testPeer: tp, vault: testVault(t)}
		if i == 0 {
			pp.account = cl.Account()
			pid, _ := tp.ID().Marshal()
			if _, err := cl.UpdateSelf(ctx, pid, []byte("none")); err != nil {
				t.Fatal(err)
			}
		} else {
			k, err := ethcrypto.GenerateKey()
			if err != nil {
				t.Fatal(err)
			}
			pp.account = ethcrypto.PubkeyToAddress(k.PublicKey)
			pp.key, err = GenerateProxyKey(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			pid, _ := tp.ID().Marshal()
			if _, err := cl.AddMember(ctx, pp.account, pid, pp.key.PublicBytes()); err != nil {
				t.Fatal(err)
			}
		}
		var logID [32]byte
		copy(logID[:], pp.account[:])
		pp.log, err = OpenAccessLog(t.TempDir(), logID, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pp.log.Close() })
		pp.proxy, err = NewProxy(ProxyConfig{Ledger: cl, Self: pp.account, Vault: pp.vault, Log: pp.log, Now: w.clock.Now, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		pp.proxy.Serve(tp.Host)
		if pp.key != nil {
			pp.proxy.ServeKFrags(tp.Host, pp.key)
		}
		w.peers = append(w.peers, pp)
	}
	_, w.signer, _ = ed25519.GenerateKey(rand.Reader)
	w.stream, err = reencrypt.GenerateSecretKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = rand.Read(w.tag[:])
	return w
}

// grant records a 2-of-3 grant for grantee on-chain and delivers its kfrags.
func (w *proxyWorld) grant(t testing.TB, grantee GranteeKey, notBefore, notAfter time.Time) pointers.Grant {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	g := pointers.Grant{GranteeKeyHash: grantee.Hash(), NotBefore: notBefore, NotAfter: notAfter, M: 2,
		SignerKey: w.signer.Public().(ed25519.PublicKey)}
	_, _ = rand.Read(g.ID[:])
	g.StreamBinding = pointers.GrantKeyOf(w.tag).Binding(g.ID)
	var targets []ProxyTarget
	for _, p := range w.peers[1:] {
		g.Proxies = append(g.Proxies, p.account)
		targets = append(targets, ProxyTarget{Peer: p.ID(), ProxyKey: p.key.PublicBytes()})
	}
	g.Signature = ed25519.Sign(w.signer, w.chain.GrantMessage(g))
	if _, err := w.chain.Grant(ctx, g); err != nil {
		t.Fatal(err)
	}
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	kfrags, err := reencrypt.GenerateKFrags(rand.Reader, w.stream, grantee.PRE, w.signer, 2, 3, binding)
	if err != nil {
		t.Fatal(err)
	}
	if err := DeliverKFrags(ctx, w.peers[0].Host, rand.Reader, g.ID, w.tag, w.purposes, kfrags, targets); err != nil {
		t.Fatal(err)
	}
	return g
}

func (w *proxyWorld) request(t testing.TB, who *Grantee, grant [32]byte, capsule *reencrypt.Capsule) *ReencryptRequest {
	t.Helper()
	req := &ReencryptRequest{GrantID: grant, Capsule: capsule, Delegating: w.stream.PublicKey(), Grantee: who.Public(), Purpose: "TREAT", Expires: w.clock.Now().Add(time.Minute)}
	_, _ = rand.Read(req.Nonce[:])
	req.Sign(who.Sign)
	return req
}

func (w *proxyWorld) ask(t testing.TB, proxy int, req *ReencryptRequest) (*reencrypt.CFrag, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return RequestCFrag(ctx, w.peers[0].Host, w.peers[proxy].ID(), req)
}

func wantRefusal(t testing.TB, err error, want Outcome) {
	t.Helper()
	var re *RefusalError
	if !errors.As(err, &re) || re.Outcome != want {
		t.Fatalf("got %v, want refusal %q", err, want)
	}
}

func TestProxyGrantFetchAndRefusals(t *testing.T) {
	w := newProxyWorld(t)
	clinician, err := GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	g := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(time.Hour))
	for _, p := range w.peers[1:] {
		if !holds(p.vault, g.ID) {
			t.Fatalf("proxy %s holds no kfrag after delivery", p.ID())
		}
	}
	capsule, dek, err := reencrypt.Encapsulate(rand.Reader, w.stream.PublicKey())
	if err != nil {
		t.Fatal(err)
	}

	// Any 2 of the 3 proxies let the clinician open the capsule.
	for _, pair := range [][2]int{{1, 2}, {2, 3}, {1, 3}} {
		var cfrags []*reencrypt.CFrag
		for _, i := range pair {
			req := w.request(t, clinician, g.ID, capsule)
			cf, err := w.ask(t, i, req)
			if err != nil {
				t.Fatalf("proxy %d: %v", i, err)
			}
			binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
			if err := cf.Verify(capsule, g.SignerKey, w.stream.PublicKey(), clinician.PRE.PublicKey(), binding, req.Binding()); err != nil {
				t.Fatalf("cfrag from proxy %d does not verify: %v", i, err)
			}
			// The proof is bound to this request: it does not verify for another.
			other := w.request(t, clinician, g.ID, capsule)
			if err := cf.Verify(capsule, g.SignerKey, w.stream.PublicKey(), clinician.PRE.PublicKey(), binding, other.Binding()); err == nil {
				t.Fatal("cfrag verified against a different request")
			}
			cf2, _ := reencrypt.ParseCFrag(cf.Bytes())
			if err := cf2.Verify(capsule, g.SignerKey, w.stream.PublicKey(), clinician.PRE.PublicKey(), binding, req.Binding()); err != nil {
				t.Fatal(err)
			}
			cfrags = append(cfrags, cf2)
		}
		got, err := reencrypt.DecapsulateFrags(clinician.PRE, w.stream.PublicKey(), capsule, cfrags)
		if err != nil {
			t.Fatalf("proxies %v: %v", pair, err)
		}
		if !bytes.Equal(got[:], dek[:]) {
			t.Fatalf("proxies %v: wrong DEK", pair)
		}
	}

	// Refusals, each with its reason.
	t.Run("replay", func(t *testing.T) {
		req := w.request(t, clinician, g.ID, capsule)
		if _, err := w.ask(t, 1, req); err != nil {
			t.Fatal(err)
		}
		_, err := w.ask(t, 1, req)
		wantRefusal(t, err, RefusedReplay)
	})
	t.Run("bad signature", func(t *testing.T) {
		req := w.request(t, clinician, g.ID, capsule)
		req.Purpose = "HRESCH" // changed after signing
		_, err := w.ask(t, 1, req)
		wantRefusal(t, err, RefusedBadSignature)
	})
	t.Run("expired request", func(t *testing.T) {
		req := w.request(t, clinician, g.ID, capsule)
		req.Expires = w.clock.Now().Add(-time.Second)
		req.Sign(clinician.Sign)
		_, err := w.ask(t, 1, req)
		wantRefusal(t, err, RefusedExpiredRequest)
	})
	t.Run("no grant", func(t *testing.T) {
		var unknown [32]byte
		_, _ = rand.Read(unknown[:])
		_, err := w.ask(t, 1, w.request(t, clinician, unknown, capsule))
		wantRefusal(t, err, RefusedNoGrant)
	})
	t.Run("another clinician", func(t *testing.T) {
		other, _ := GenerateGrantee(rand.Reader)
		_, err := w.ask(t, 1, w.request(t, other, g.ID, capsule))
		wantRefusal(t, err, RefusedWrongGrantee)
	})
	t.Run("not a proxy of the grant", func(t *testing.T) {
		// The custodian holds no share of this grant.
		_, err := RequestCFrag(context.Background(), w.peers[1].Host, w.peers[0].ID(), w.request(t, clinician, g.ID, capsule))
		wantRefusal(t, err, RefusedNotProxy)
	})
	t.Run("malformed", func(t *testing.T) {
		resp := w.peers[1].proxy.HandleBytes(context.Background(), []byte("Q\x01garbage"))
		if resp.Outcome != RefusedMalformed {
			t.Fatalf("got %v", resp.Outcome)
		}
	})

	// Revocation takes effect at once, and the proxy drops its kfrag.
	ctx := context.Background()
	if _, err := w.chain.Revoke(ctx, g.ID, ed25519.Sign(w.signer, w.chain.RevokeMessage(g.ID))); err != nil {
		t.Fatal(err)
	}
	_, err = w.ask(t, 2, w.request(t, clinician, g.ID, capsule))
	wantRefusal(t, err, RefusedRevoked)
	if holds(w.peers[2].vault, g.ID) {
		t.Fatal("proxy kept the kfrag of a revoked grant")
	}

	// Every request, granted or refused, is in the proxy's access log.
	p1 := w.peers[1]
	total := uint64(0)
	for o := Outcome(0); o < OutcomeCount; o++ {
		total += p1.proxy.Count(o)
	}
	if p1.log.Len() != total || total < 7 {
		t.Fatalf("proxy 1 answered %d requests but logged %d", total, p1.log.Len())
	}
	outcomes := map[Outcome]int{}
	for _, e := range p1.log.Entries(0, p1.log.Len()) {
		outcomes[e.Outcome]++
	}
	for _, o := range []Outcome{Granted, RefusedReplay, RefusedBadSignature, RefusedExpiredRequest, RefusedNoGrant, RefusedWrongGrantee, RefusedMalformed} {
		if outcomes[o] == 0 {
			t.Errorf("no %q entry in the access log", o)
		}
	}
}

func TestProxyGrantWindow(t *testing.T) {
	w := newProxyWorld(t)
	clinician, _ := GenerateGrantee(rand.Reader)
	now := w.clock.Now()
	g := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(10*time.Minute))
	capsule, _, _ := reencrypt.Encapsulate(rand.Reader, w.stream.PublicKey())
	if _, err := w.ask(t, 1, w.request(t, clinician, g.ID, capsule)); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(11 * time.Minute) // the proxies' clock passes the window
	_, err := w.ask(t, 1, w.request(t, clinician, g.ID, capsule))
	wantRefusal(t, err, RefusedGrantExpired)
	if holds(w.peers[1].vault, g.ID) {
		t.Fatal("proxy kept the kfrag of an expired grant")
	}
	// Not yet valid.
	w.clock.Advance(-11 * time.Minute)
	later := w.grant(t, clinician.Public(), now.Add(time.Hour), now.Add(2*time.Hour))
	_, err = w.ask(t, 2, w.request(t, clinician, later.ID, capsule))
	wantRefusal(t, err, RefusedNotYetValid)
}

// A grant restricted to purposes of use (a FHIR Consent's provision.purpose)
// is answered only for those purposes, by every proxy, and a refusal is
// logged; the restriction survives a proxy restart (it is in the vault).
func TestProxyPurposeEnforced(t *testing.T) {
	w := newProxyWorld(t)
	clinician, _ := GenerateGrantee(rand.Reader)
	now := w.clock.Now()
	w.purposes = []string{"TREAT", "ETREAT"}
	g := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(time.Hour))
	capsule, _, _ := reencrypt.Encapsulate(rand.Reader, w.stream.PublicKey())
	ask := func(proxy int, purpose string) error {
		req := &ReencryptRequest{GrantID: g.ID, Capsule: capsule, Delegating: w.stream.PublicKey(), Grantee: clinician.Public(), Purpose: purpose, Expires: w.clock.Now().Add(time.Minute)}
		_, _ = rand.Read(req.Nonce[:])
		req.Sign(clinician.Sign)
		_, err := w.ask(t, proxy, req)
		return err
	}
	for proxy := 1; proxy <= 3; proxy++ {
		if err := ask(proxy, "ETREAT"); err != nil {
			t.Fatalf("proxy %d refused a consented purpose: %v", proxy, err)
		}
		for _, other := range []string{"HPAYMT", "PATRQT"} {
			wantRefusal(t, ask(proxy, other), RefusedPurpose)
		}
		// Not a PurposeOfUse code at all: malformed, whatever was consented.
		for _, text := range []string{"treat", "TREATX"} {
			wantRefusal(t, ask(proxy, text), RefusedMalformed)
		}
	}
	// The same after the cached kfrag is gone: the purposes come from the vault.
	p1 := w.peers[1]
	p1.proxy.mu.Lock()
	delete(p1.proxy.kfrags, g.ID)
	p1.proxy.mu.Unlock()
	wantRefusal(t, ask(1, "HPAYMT"), RefusedPurpose)
	if err := ask(1, "TREAT"); err != nil {
		t.Fatal(err)
	}
	var logged bool
	for _, e := range p1.log.Entries(0, p1.log.Len()) {
		logged = logged || (e.Outcome == RefusedPurpose && e.Purpose == "HPAYMT")
	}
	if !logged {
		t.Fatal("the purpose refusal is not in the access log")
	}
}

func TestProxyErasedStreamRefused(t *testing.T) {
	w := newProxyWorld(t)
	clinician, _ := GenerateGrantee(rand.Reader)
	now := w.clock.Now()
	g := w.grant(t, clinician.Public(), now.Add(-time.Minute), now.Add(time.Hour))
	capsule, _, _ := reencrypt.Encapsulate(rand.Reader, w.stream.PublicKey())
	for _, p := range w.peers[1:] {
		n, err := p.proxy.ForgetStream(context.Background(), w.tag, [][32]byte{g.ID})
		if err != nil || n != 1 {
			t.Fatalf("purge: %d, %v", n, err)
		}
	}
	_, err := w.ask(t, 1, w.request(t, clinician, g.ID, capsule))
	wantRefusal(t, err, RefusedNoKFrag)
}

func TestAccessLogAnchorAndProve(t *testing.T) {
	w := newProxyWorld(t)
	ctx := context.Background()
	l := w.peers[0].log
	for i := 0; i < 5; i++ {
		if err := l.Append(ctx, AccessEntry{Time: time.Now(), Purpose: "TREAT", Outcome: Outcome(i % 3)}); err != nil {
			t.Fatal(err)
		}
	}
	if from, to, err := l.Anchor(ctx, w.chain); err != nil || from != 0 || to != 5 {
		t.Fatalf("anchor: [%d,%d) %v", from, to, err)
	}
	for i := 0; i < 2; i++ {
		_ = l.Append(ctx, AccessEntry{Time: time.Now(), Purpose: "ETREAT", Outcome: RefusedRevoked})
	}
	if from, to, err := l.Anchor(ctx, w.chain); err != nil || from != 5 || to != 7 {
		t.Fatalf("second anchor: [%d,%d) %v", from, to, err)
	}
	for i := uint64(0); i < 7; i++ {
		p, err := l.Prove(ctx, w.chain, i)
		if err != nil {
			t.Fatalf("prove %d: %v", i, err)
		}
		// Any change to the entry breaks the proof.
		p.Entry.Purpose = "OTHER"
		if p.Verify() == nil {
			t.Fatalf("altered entry %d still proves", i)
		}
	}
}

// A proxy whose chain view does not show the grant yet (its endpoint a
// block behind the granter's, a validator catching up after a restart)
// gets the kfrag once it does: the delivery is sent again while the proxy
// answers no-grant. It was refused at once, and the grant failed.
func TestKFragDeliveryWaitsForTheProxysChain(t *testing.T) {
	w := newProxyWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	grantee, err := GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	g := pointers.Grant{GranteeKeyHash: grantee.Public().Hash(), NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour), M: 1,
		SignerKey: w.signer.Public().(ed25519.PublicKey)}
	_, _ = rand.Read(g.ID[:])
	g.StreamBinding = pointers.GrantKeyOf(w.tag).Binding(g.ID)
	p := w.peers[1]
	g.Proxies = []common.Address{p.account}
	g.Signature = ed25519.Sign(w.signer, w.chain.GrantMessage(g))
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	kfrags, err := reencrypt.GenerateKFrags(rand.Reader, w.stream, grantee.Public().PRE, w.signer, 1, 1, binding)
	if err != nil {
		t.Fatal(err)
	}
	// The grant lands a second after the delivery starts.
	landed := make(chan error, 1)
	go func() {
		time.Sleep(time.Second)
		_, err := w.chain.Grant(ctx, g)
		landed <- err
	}()
	if err := DeliverKFrags(ctx, w.peers[0].Host, rand.Reader, g.ID, w.tag, nil, kfrags, []ProxyTarget{{Peer: p.ID(), ProxyKey: p.key.PublicBytes()}}); err != nil {
		t.Fatalf("delivery to a proxy whose chain was a second behind: %v", err)
	}
	if err := <-landed; err != nil {
		t.Fatal(err)
	}
	if _, err := p.vault.KFrag(ctx, g.ID); err != nil {
		t.Fatalf("the proxy kept no kfrag: %v", err)
	}
}
