package reencrypt

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha3"
	"io"
	"testing"
	"time"
)

// seededRand is the deterministic random source of the test vectors: the
// SHAKE256 output stream of a seed (see docs/PRE.md).
func seededRand(seed string) io.Reader {
	h := sha3.NewSHAKE256()
	h.Write([]byte(seed))
	return h
}

// party bundles what one side of a delegation holds in the tests.
type party struct {
	sk *SecretKey
	pk *PublicKey
}

func newParty(t testing.TB, r io.Reader) party {
	t.Helper()
	sk, err := GenerateSecretKey(r)
	if err != nil {
		t.Fatal(err)
	}
	return party{sk: sk, pk: sk.PublicKey()}
}

// fixture is one complete delegation: Alice (delegating, with her Ed25519
// signer) to Bob, M of N, with one capsule.
type fixture struct {
	alice, bob party
	signer     ed25519.PrivateKey
	signerPub  ed25519.PublicKey
	binding    KFragBinding
	capsule    *Capsule
	dek        [DEKSize]byte
	kfrags     []*KFrag
	req        RequestBinding
}

func testBinding() KFragBinding {
	b := KFragBinding{
		NotBefore: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
	}
	copy(b.GrantID[:], "grant-0001-glucose-cardiology...")
	return b
}

func testRequest(label string) RequestBinding {
	var r RequestBinding
	copy(r.RequestID[:], label)
	r.Expires = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	return r
}

func newFixture(t testing.TB, r io.Reader, m, n int) *fixture {
	t.Helper()
	if r == nil {
		r = rand.Reader
	}
	f := &fixture{alice: newParty(t, r), bob: newParty(t, r), binding: testBinding(), req: testRequest("request-1")}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(r, seed); err != nil {
		t.Fatal(err)
	}
	f.signer = ed25519.NewKeyFromSeed(seed)
	f.signerPub = f.signer.Public().(ed25519.PublicKey)
	var err error
	f.capsule, f.dek, err = Encapsulate(r, f.alice.pk)
	if err != nil {
		t.Fatal(err)
	}
	f.kfrags, err = GenerateKFrags(r, f.alice.sk, f.bob.pk, f.signer, m, n, f.binding)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// cfrags re-encrypts f.capsule with every kfrag for f.req and verifies each.
func (f *fixture) cfrags(t testing.TB) []*CFrag {
	t.Helper()
	out := make([]*CFrag, len(f.kfrags))
	for i, kf := range f.kfrags {
		cf, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req)
		if err != nil {
			t.Fatal(err)
		}
		f.verify(t, cf)
		out[i] = cf
	}
	return out
}

func (f *fixture) verify(t testing.TB, cf *CFrag) {
	t.Helper()
	if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); err != nil {
		t.Fatalf("honest cfrag rejected: %v", err)
	}
}

// subsets calls fn with every k-element subset of {0..n-1}.
func subsets(n, k int, fn func([]int)) {
	idx := make([]int, k)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		if depth == k {
			fn(idx)
			return
		}
		for i := start; i < n; i++ {
			idx[depth] = i
			rec(i+1, depth+1)
		}
	}
	rec(0, 0)
}
