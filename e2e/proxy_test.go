package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	vnode "github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// asker sends re-encryption requests straight to each proxy's
// POST /v1/reencrypt, as a clinician's software would: this checks every
// proxy on its own (a fetch stops at the first M answers).
type asker struct {
	grantee *p2p.Grantee
	grantID [32]byte
	capsule *reencrypt.Capsule
	key     *reencrypt.PublicKey // the delegating key the capsule names
}

// reencryptAsker loads a clinician key file (keygen --out) and the capsule
// of a batch (its root block, from any peer that still has it).
func (c *cluster) reencryptAsker(t testing.TB, keyFile string, g grant, root string) *asker {
	t.Helper()
	gr, err := vnode.ReadGranteeKey(keyFile, keys.Passphrase([]byte(e2eKeyPassphrase)))
	if err != nil {
		t.Fatalf("clinician key file: %v", err)
	}
	a := &asker{grantee: gr, grantID: mustHex32(t, g.ID)}
	if _, err := cid.Decode(root); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	for _, n := range c.nodes {
		if !n.running() {
			continue
		}
		status, body, err := rawCall("GET", n.api()+"/v1/records/"+root, "", "", nil)
		if err == nil && status == 200 {
			raw = body
			break
		}
	}
	if raw == nil {
		t.Fatalf("no peer serves root %s", root)
	}
	h, _, err := store.DecodeRoot(raw)
	if err != nil {
		t.Fatalf("root %s: %v", root, err)
	}
	if a.capsule, a.key, err = vnode.ParseBatchCapsule(h.Capsule, nil); err != nil || a.key == nil {
		t.Fatalf("capsule of %s: %v", root, err)
	}
	return a
}

// request builds a signed request expiring at exp.
func (a *asker) request(t testing.TB, exp time.Time) []byte {
	t.Helper()
	return a.requestSignedBy(t, exp, a.grantee.Sign)
}

// requestSignedBy builds a request for the grantee signed with key (a
// forgery unless key is the grantee's).
func (a *asker) requestSignedBy(t testing.TB, exp time.Time, key ed25519.PrivateKey) []byte {
	t.Helper()
	req := &p2p.ReencryptRequest{GrantID: a.grantID, Capsule: a.capsule, Delegating: a.key, Grantee: a.grantee.Public(), Purpose: "TREAT", Expires: exp}
	if _, err := rand.Read(req.Nonce[:]); err != nil {
		t.Fatal(err)
	}
	req.Sign(key)
	b, err := req.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends raw request bytes to n's proxy and returns the status and body.
func (a *asker) post(t testing.TB, n *node, body []byte) (int, map[string]any) {
	t.Helper()
	return call(t, "POST", n.api()+"/v1/reencrypt", "", "application/octet-stream", body)
}

// wantGranted asks n once (fresh nonce) and wants a cfrag.
func (a *asker) wantGranted(t testing.TB, n *node) {
	t.Helper()
	status, m := a.post(t, n, a.request(t, time.Now().Add(time.Minute)))
	if status != 200 || m["outcome"] != "granted" || m["cfrag"] == nil {
		t.Fatalf("%s proxy: %d %v, want a granted cfrag", n.name, status, m)
	}
}

// wantRefused asks n once (fresh nonce) and wants a refusal mentioning reason.
func (a *asker) wantRefused(t testing.TB, n *node, reason string) {
	t.Helper()
	status, m := a.post(t, n, a.request(t, time.Now().Add(time.Minute)))
	if status == 200 || m["cfrag"] != nil {
		t.Fatalf("%s proxy answered %d with a cfrag, want a refusal (%s)", n.name, status, reason)
	}
	s, _ := json.Marshal(m)
	if !strings.Contains(string(s), reason) {
		t.Fatalf("%s proxy: %d %s, want a refusal mentioning %q", n.name, status, s, reason)
	}
}
