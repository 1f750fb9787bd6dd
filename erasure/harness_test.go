package erasure

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// A test consortium: peer 0 is the custodian (keystore, chain admin,
// eraser); every peer has a real badger store, a proxy and a purger.

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type memVault struct {
	mu sync.Mutex
	m  map[[32]byte][]byte
	by map[[32]byte][32]byte
}

func newMemVault() *memVault { return &memVault{m: map[[32]byte][]byte{}, by: map[[32]byte][32]byte{}} }

func (v *memVault) PutKFrag(_ context.Context, grant, tag [32]byte, kf []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.m[grant], v.by[grant] = append([]byte(nil), kf...), tag
	return nil
}

func (v *memVault) KFrag(_ context.Context, grant [32]byte) ([]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	kf, ok := v.m[grant]
	if !ok {
		return nil, p2p.ErrNoKFrag
	}
	return append([]byte(nil), kf...), nil
}

func (v *memVault) KFragStream(_ context.Context, grant [32]byte) ([32]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	tag, ok := v.by[grant]
	if !ok {
		return [32]byte{}, p2p.ErrNoKFrag
	}
	return tag, nil
}

func (v *memVault) DeleteKFrag(_ context.Context, grant [32]byte) (bool, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.m[grant]
	delete(v.m, grant)
	delete(v.by, grant)
	return ok, nil
}

func (v *memVault) DeleteStreamKFrags(_ context.Context, tag [32]byte) (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for g, t := range v.by {
		if t == tag {
			delete(v.m, g)
			delete(v.by, g)
			n++
		}
	}
	return n, nil
}

func (v *memVault) count() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.m)
}

type tpeer struct {
	key      crypto.PrivKey
	id       peer.ID
	account  common.Address
	proxyKey *p2p.ProxyKey
	storeDir string
	purgeDir string
	vault    *memVault

	st     *store.Store
	gate   *p2p.GatedBlockstore
	node   *p2p.Node
	proxy  *p2p.Proxy
	purger *p2p.Purger
	alog   *p2p.AccessLog
}

type world struct {
	t       testing.TB
	chain   *pointers.Client
	ks      *keys.Keystore
	members *p2p.MemberSet
	peers   []*tpeer
	signer  ed25519.PrivateKey // patient-side grant signer held by the custodian
	dir     string             // erasure journals

	mu     sync.Mutex
	grants map[[32]byte][][32]byte                    // stream tag → grant ids
	acks   func(context.Context, *p2p.PurgeAck) error // the custodian's eraser takes delivered acks

	hook func(Step) error
}

func newWorld(t testing.TB, n int) *world {
	t.Helper()
	ctx := context.Background()
	ks, err := keys.Create(ctx, t.TempDir(), keys.Passphrase([]byte("test passphrase")),
		keys.Options{Argon2: keys.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ks.Close() })
	w := &world{t: t, ks: ks, members: p2p.NewMemberSet(), dir: t.TempDir(), grants: map[[32]byte][][32]byte{}}
	_, w.signer, _ = ed25519.GenerateKey(rand.Reader)
	for i := 0; i < n; i++ {
		p := &tpeer{storeDir: t.TempDir(), purgeDir: t.TempDir(), vault: newMemVault()}
		if i == 0 {
			p.key, err = ks.NodeIdentity()
		} else {
			p.key, _, err = crypto.GenerateEd25519Key(rand.Reader)
		}
		if err != nil {
			t.Fatal(err)
		}
		p.id, _ = peer.IDFromPrivateKey(p.key)
		if p.proxyKey, err = p2p.GenerateProxyKey(rand.Reader); err != nil {
			t.Fatal(err)
		}
		w.members.Add(p.id)
		w.peers = append(w.peers, p)
	}
	adminKey, err := ethcrypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	custodianPID, _ := w.peers[0].id.Marshal()
	w.chain, err = pointers.Open(ctx, pointers.Config{ChainDir: t.TempDir(), Key: adminKey, CommitInterval: 100 * time.Millisecond,
		PeerID: custodianPID, ProxyKey: w.peers[0].proxyKey.PublicBytes(), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.chain.Close() })
	w.peers[0].account = w.chain.Account()
	for _, p := range w.peers[1:] {
		k, _ := ethcrypto.GenerateKey()
		p.account = ethcrypto.PubkeyToAddress(k.PublicKey)
		pid, _ := p.id.Marshal()
		if _, err := w.chain.AddMember(ctx, p.account, pid, p.proxyKey.PublicBytes()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range w.peers {
		w.start(i, false)
	}
	w.connectAll()
	return w
}

// start opens peer i's store and node; with gated, the store serves nothing
// until the purger synced (the restart path of a peer that was down).
func (w *world) start(i int, gated bool) {
	t := w.t
	t.Helper()
	ctx := context.Background()
	p := w.peers[i]
	var err error
	if p.st, err = store.Open(ctx, p.storeDir, &store.Options{MemTableSize: 8 << 20, ValueLogFileSize: 16 << 20, Logger: quietLogger()}); err != nil {
		t.Fatal(err)
	}
	p.gate = p2p.NewGatedBlockstore(p.st)
	if !gated {
		p.gate.Open()
	}
	if p.node, err = p2p.NewNode(ctx, p2p.Config{Identity: p.key, Members: w.members, Blockstore: p.gate, Logger: quietLogger()}); err != nil {
		t.Fatal(err)
	}
	var logID [32]byte
	copy(logID[:], p.account[:])
	logID[31] ^= byte(i)
	if p.alog, err = p2p.OpenAccessLog(t.TempDir(), logID, quietLogger()); err != nil {
		t.Fatal(err)
	}
	if p.proxy, err = p2p.NewProxy(p2p.ProxyConfig{Ledger: w.chain, Self: p.account, Vault: p.vault, Log: p.alog, Logger: quietLogger()}); err != nil {
		t.Fatal(err)
	}
	p.proxy.Serve(p.node.Host)
	p.proxy.ServeKFrags(p.node.Host, p.proxyKey)
	onAck := func(ctx context.Context, a *p2p.PurgeAck) error {
		w.mu.Lock()
		take := w.acks
		w.mu.Unlock()
		if take == nil || i != 0 {
			return errors.New("no eraser here")
		}
		return take(ctx, a)
	}
	if p.purger, err = p2p.NewPurger(p2p.PurgerConfig{Identity: p.key, Members: w.members, Store: p.st, KFrags: p.proxy, Dir: p.purgeDir, Logger: quietLogger(), OnAck: onAck}); err != nil {
		t.Fatal(err)
	}
	p.purger.Serve(p.node.Host)
	t.Cleanup(func() { w.stop(i) })
}

func (w *world) stop(i int) {
	p := w.peers[i]
	if p.node != nil {
		p.node.Close()
		p.node = nil
	}
	if p.alog != nil {
		p.alog.Close()
		p.alog = nil
	}
	if p.st != nil {
		p.st.Close()
		p.st = nil
	}
}

func (w *world) connectAll() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, a := range w.peers {
		for _, b := range w.peers[i+1:] {
			if a.node == nil || b.node == nil {
				continue
			}
			if err := a.node.Connect(ctx, b.node.AddrInfo()); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

func (w *world) eraser(hook func(Step) error) *Eraser {
	w.t.Helper()
	e, err := New(Config{Dir: w.dir, Keys: w.ks, Chain: w.chain, Node: w.peers[0].node, Purger: w.peers[0].purger, Store: w.peers[0].st, Proxy: w.peers[0].proxy,
		Grants: w.findGrants, RevokeSigner: Ed25519Signer(w.signer), PurgeTimeout: 60 * time.Second, ProbeTimeout: 500 * time.Millisecond,
		Logger: quietLogger(), failAfter: hook})
	if err != nil {
		w.t.Fatal(err)
	}
	w.mu.Lock()
	w.acks = e.AcceptAck
	w.mu.Unlock()
	return e
}

func (w *world) findGrants(_ context.Context, tags [][32]byte) ([][32]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out [][32]byte
	for _, t := range tags {
		out = append(out, w.grants[t]...)
	}
	return out, nil
}

type batchRef struct {
	root    cid.Cid
	capsule *reencrypt.Capsule
	stream  string
}

type patient struct {
	p         keys.Pseudonym
	streams   []keys.Stream
	batches   []batchRef
	grant     pointers.Grant
	clinician *p2p.Grantee
}

// newPatient enrols a patient with two streams, seals `batches` batches of
// `readings` readings per stream, stores each on `replicas` peers, commits
// them on-chain, and grants a clinician 2-of-3 access to the first stream.
func (w *world) newPatient(batches, readings, replicas int) *patient {
	t := w.t
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pt, err := w.ks.CreatePatient(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	P := &patient{p: pt.Pseudonym}
	for _, name := range []string{"glucose", "insulin"} {
		s, err := w.ks.EnsureStream(ctx, pt.Pseudonym, name)
		if err != nil {
			t.Fatal(err)
		}
		P.streams = append(P.streams, s)
	}
	var commits []pointers.Commitment
	perPeer := make([][]*store.SealedBatch, len(w.peers))
	for si, s := range P.streams {
		for b := 0; b < batches; b++ {
			capsule, dek, err := reencrypt.Encapsulate(rand.Reader, s.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			rs := make([]store.Reading, readings)
			base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(b*readings) * time.Second)
			for i := range rs {
				rs[i] = store.Reading{Device: "cgm-17", Patient: pt.Pseudonym, Stream: s.Name, Time: base.Add(time.Duration(i) * time.Second),
					Value: 5.8 + float64(i%10)/10, Unit: "mmol/L", Code: "loinc:15074-8"}
			}
			// Sequence numbers start at 1, as the node's do (the chain is searched from batch 1).
			seq := uint64(b) + 1
			sb, err := store.Seal(store.SealParams{DEK: &dek, Capsule: capsule.Bytes(), StreamTag: s.Tag, Seq: seq, Stream: s.Name, Patient: pt.Pseudonym}, rs)
			clear(dek[:])
			if err != nil {
				t.Fatal(err)
			}
			for k := 0; k < replicas; k++ {
				i := (si*batches + b + k) % len(w.peers)
				perPeer[i] = append(perPeer[i], sb)
			}
			P.batches = append(P.batches, batchRef{root: sb.Root, capsule: capsule, stream: s.Name})
			commits = append(commits, pointers.StreamSecret(s.ChainSecret).Commitment(seq, sb.Root.Bytes(), sb.Header.MerkleRoot, uint32(readings)))
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(w.peers))
	for i, bs := range perPeer {
		if len(bs) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for len(bs) > 0 {
				n := min(len(bs), 8)
				if err := w.peers[i].st.PutBatches(ctx, bs[:n]); err != nil {
					errs[i] = err
					return
				}
				bs = bs[n:]
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.chain.CommitBatches(ctx, commits); err != nil {
		t.Fatal(err)
	}
	// A 2-of-3 grant on the first stream.
	P.clinician, err = p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	g := pointers.Grant{GranteeKeyHash: P.clinician.Public().Hash(), NotBefore: now.Add(-time.Minute),
		NotAfter: now.Add(time.Hour), M: 2, SignerKey: w.signer.Public().(ed25519.PublicKey)}
	_, _ = rand.Read(g.ID[:])
	g.StreamBinding = pointers.GrantKeyOf(P.streams[0].Tag).Binding(g.ID)
	var targets []p2p.ProxyTarget
	for _, p := range w.peers[:3] {
		g.Proxies = append(g.Proxies, p.account)
		targets = append(targets, p2p.ProxyTarget{Peer: p.id, ProxyKey: p.proxyKey.PublicBytes()})
	}
	g.Signature = ed25519.Sign(w.signer, w.chain.GrantMessage(g))
	if _, err := w.chain.Grant(ctx, g); err != nil {
		t.Fatal(err)
	}
	sk, err := w.ks.StreamSecretKey(ctx, pt.Pseudonym, P.streams[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	kfrags, err := reencrypt.GenerateKFrags(rand.Reader, sk, P.clinician.Public().PRE, w.signer, 2, 3,
		reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter})
	sk.Wipe()
	if err != nil {
		t.Fatal(err)
	}
	// A host cannot dial itself: the custodian's own kfrag goes through peer 1
	// (delivery does not depend on the sender; the proxy checks the kfrag).
	for i, tg := range targets {
		from := w.peers[0].node.Host
		if tg.Peer == w.peers[0].id {
			from = w.peers[1].node.Host
		}
		if err := p2p.DeliverKFrags(ctx, from, rand.Reader, g.ID, P.streams[0].Tag, nil, kfrags[i:i+1], targets[i:i+1]); err != nil {
			t.Fatal(err)
		}
	}
	P.grant = g
	w.mu.Lock()
	w.grants[P.streams[0].Tag] = append(w.grants[P.streams[0].Tag], g.ID)
	w.mu.Unlock()
	return P
}

// clinicianRead is what the clinician does: ask proxies 0..2 for cfrags of
// the first batch of the granted stream, decrypt the DEK, fetch the batch
// over bitswap from peer `via`, and open it. It returns the readings
// count or the first failure.
func (w *world) clinicianRead(P *patient, via int) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b := P.batches[0]
	var cfrags []*reencrypt.CFrag
	var lastErr error
	for _, p := range w.peers[:3] {
		if p.node == nil {
			continue
		}
		req := &p2p.ReencryptRequest{GrantID: P.grant.ID, Capsule: b.capsule, Delegating: P.streams[0].PublicKey, Grantee: P.clinician.Public(), Purpose: "TREAT", Expires: time.Now().Add(time.Minute)}
		_, _ = rand.Read(req.Nonce[:])
		req.Sign(P.clinician.Sign)
		var cf *reencrypt.CFrag
		var err error
		if p.id == w.peers[via].id {
			resp := p.proxy.Handle(ctx, req) // a host cannot dial itself
			cf = resp.CFrag
			if resp.Outcome != p2p.Granted {
				err = &p2p.RefusalError{Outcome: resp.Outcome, Message: resp.Message}
			}
		} else {
			cf, err = p2p.RequestCFrag(ctx, w.peers[via].node.Host, p.id, req)
		}
		if err != nil {
			lastErr = err
			continue
		}
		binding := reencrypt.KFragBinding{GrantID: P.grant.ID, NotBefore: P.grant.NotBefore, NotAfter: P.grant.NotAfter}
		if err := cf.Verify(b.capsule, P.grant.SignerKey, P.streams[0].PublicKey, P.clinician.PRE.PublicKey(), binding, req.Binding()); err != nil {
			return 0, err
		}
		cfrags = append(cfrags, cf)
	}
	if len(cfrags) < 2 {
		return 0, fmt.Errorf("only %d cfrags: %w", len(cfrags), lastErr)
	}
	dek, err := reencrypt.DecapsulateFrags(P.clinician.PRE, P.streams[0].PublicKey, b.capsule, cfrags)
	if err != nil {
		return 0, err
	}
	ob, err := store.OpenBatch(ctx, blockGetter{w.peers[via].node}, b.root, &dek)
	if err != nil {
		return 0, err
	}
	return len(ob.Readings), nil
}

// served reports how many of the patient's batch roots any peer but `via`
// still serves over bitswap, within a short timeout.
func (w *world) served(P *patient, via int) int {
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	var roots []cid.Cid
	for _, b := range P.batches {
		roots = append(roots, b.root)
	}
	ch, err := w.peers[via].node.Bitswap.GetBlocks(ctx, roots)
	if err != nil {
		w.t.Fatal(err)
	}
	n := 0
	for range ch {
		n++
	}
	return n
}

// held counts the patient's batch roots still present in any peer's store.
func (w *world) held(P *patient) int {
	n := 0
	for _, p := range w.peers {
		if p.st == nil {
			continue
		}
		for _, b := range P.batches {
			if ok, _ := p.st.Has(context.Background(), b.root); ok {
				n++
			}
		}
	}
	return n
}

type blockGetter struct{ n *p2p.Node }

func (g blockGetter) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return g.n.Blocks.GetBlock(ctx, c)
}

func (g blockGetter) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return g.n.Blocks.GetBlock(ctx, c)
}
