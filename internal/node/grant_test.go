package node

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
)

// A grant is limited to purposes of use that are HL7 v3 PurposeOfUse codes:
// text is refused before anything is recorded.
func TestGrantRefusesFreeTextPurpose(t *testing.T) {
	n, _ := benchNode(t)
	g, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.Grant(context.Background(), GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), Purposes: []string{"TREAT", "Jane.Doe-1970"}})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "PurposeOfUse") {
		t.Fatalf("free-text purpose: %v", err)
	}
}

// A window that ends before it starts is refused in the API's words, not
// the CLI's (the API answered "--until must be after --from").
func TestGrantWindowMessageNamesNoFlag(t *testing.T) {
	n, _ := benchNode(t)
	g, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	_, err = n.Grant(context.Background(), GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
		NotBefore: now, NotAfter: now.Add(-time.Hour)})
	if !errors.Is(err, ErrBadInput) || strings.Contains(err.Error(), "--") || !strings.Contains(err.Error(), "window") {
		t.Fatalf("reversed window: %v", err)
	}
}

// Grants spread over the members: proxies were always the first N
// connected members in contract order, so a few hospitals served every
// grant. With rendezvous hashing on the grant id each of 6 equally
// preferred members serves about a third of 600 grants of N=2, the same
// grant always maps to the same members, and preference classes still win.
func TestProxyChoiceSpreadsOverMembers(t *testing.T) {
	var all []proxyInfo
	for i := 0; i < 6; i++ {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		id, err := peer.IDFromPublicKey(mustLibp2pKey(t, pub))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, proxyInfo{peer: id})
	}
	flat := func(proxyInfo) int { return 0 }
	count := map[peer.ID]int{}
	for i := 0; i < 600; i++ {
		var g [32]byte
		_, _ = rand.Read(g[:])
		chosen := chooseProxies(all, flat, g, 2)
		again := chooseProxies(all, flat, g, 2)
		if len(chosen) != 2 || chosen[0].peer == chosen[1].peer || chosen[0].peer != again[0].peer || chosen[1].peer != again[1].peer {
			t.Fatal("the choice is not two distinct, repeatable members")
		}
		for _, p := range chosen {
			count[p.peer]++
		}
	}
	for _, p := range all {
		if c := count[p.peer]; c < 120 || c > 280 { // expected 200
			t.Fatalf("member chosen %d times of 1,200 picks (expected about 200): %v", c, count)
		}
	}
	preferred := func(p proxyInfo) int {
		if p.peer == all[5].peer {
			return 0
		}
		return 1
	}
	if got := chooseProxies(all, preferred, [32]byte{1}, 1); got[0].peer != all[5].peer {
		t.Fatal("a preferred (connected) member was passed over")
	}
}

func mustLibp2pKey(t *testing.T, pub ed25519.PublicKey) libp2pcrypto.PubKey {
	t.Helper()
	k, err := libp2pcrypto.UnmarshalEd25519PublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A grant's threshold defaults to 2: with M = 1 one proxy together with the
// clinician rebuilds the stream key, and M = 1 was the default. A
// one-member consortium must now ask for 1 explicitly and is warned.
func TestGrantThresholdDefaultsToTwo(t *testing.T) {
	ctx := context.Background()
	n, _ := onlineNode(t)
	g, _ := p2p.GenerateGrantee(rand.Reader)
	now := time.Now()
	req := GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), NotBefore: now, NotAfter: now.Add(time.Hour)}
	if _, err := n.Keys.EnsureStream(ctx, mustPseudonym(t, n, "MRN-1"), "glucose"); err != nil {
		t.Fatal(err)
	}
	_, err := n.Grant(ctx, req)
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "threshold 2") || !strings.Contains(err.Error(), "threshold 1 explicitly") {
		t.Fatalf("a default grant in a one-member consortium: %v", err)
	}
	req.M = 1
	res, err := n.Grant(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.M != 1 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "one proxy together with the clinician") {
		t.Fatalf("an explicit threshold of 1: M=%d, warnings %q", res.M, res.Warnings)
	}
}

func mustPseudonym(t testing.TB, n *Node, mrn string) keys.Pseudonym {
	t.Helper()
	p, err := n.Keys.ResolvePatient(context.Background(), mrn)
	if err != nil {
		t.Fatal(err)
	}
	return p.Pseudonym
}

// mustStream is the stream name of the patient mrn, and the patient's pseudonym.
func mustStream(t testing.TB, n *Node, mrn, name string) (keys.Pseudonym, keys.Stream) {
	t.Helper()
	p := mustPseudonym(t, n, mrn)
	st, err := n.Keys.Stream(context.Background(), p, name)
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}
