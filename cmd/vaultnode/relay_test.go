package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// relayAnswer mirrors the JSON of POST /v1/reencrypt (relay form).
type relayReply struct {
	Grant     string `json:"grant"`
	Threshold int    `json:"threshold"`
	Outcome   string `json:"outcome"`
	Code      string `json:"code"`
	Answers   []struct {
		Proxy   string `json:"proxy"`
		Outcome string `json:"outcome"`
		Message string `json:"message"`
		CFrag   []byte `json:"cfrag"`
	} `json:"answers"`
}

func postRelay(t *testing.T, api string, body []byte) (int, relayReply) {
	t.Helper()
	resp, err := http.Post(api+"/v1/reencrypt", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var rep relayReply
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("relay answer is not JSON: %d %s", resp.StatusCode, b)
	}
	if resp.StatusCode != 200 && rep.Code == "" {
		t.Fatalf("relay error %d without a code: %s", resp.StatusCode, b)
	}
	return resp.StatusCode, rep
}

// POST /v1/reencrypt relays a grantee's signed request to the grant's
// proxies and returns their cfrags and refusals: a cfrag that verifies
// against the capsule, the grant and this very request; a replay, another
// clinician and a revoked grant refused by the proxy; a forged signature
// refused before any proxy is asked. A clinician without any repo fetches
// through the daemon with --api.
func TestReencryptRelay(t *testing.T) {
	r := newRepo(t)
	data, _ := readings(20)
	r.signed("b.jsonl", data)
	var rc struct {
		Batches []struct{ Root string } `json:"batches"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "ingest", "--device", "cgm-1", "b.jsonl")), &rc); err != nil {
		t.Fatal(err)
	}
	root := rc.Batches[0].Root
	r.must("keygen", "--out", "clin.key")
	r.must("keygen", "--out", "other.key")
	var gr struct{ ID, Ticket string }
	if err := json.Unmarshal([]byte(r.must("--json", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--until", "1h", "--threshold", "1")), &gr); err != nil {
		t.Fatal(err)
	}
	api := startDaemon(t, r)

	resp, err := http.Get(api + "/v1/records/" + root)
	if err != nil {
		t.Fatal(err)
	}
	rawRoot, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h, _, err := store.DecodeRoot(rawRoot)
	if err != nil {
		t.Fatal(err)
	}
	ticket, err := node.ParseTicket(gr.Ticket)
	if err != nil {
		t.Fatal(err)
	}
	capsule, streamKey, err := node.ParseBatchCapsule(h.Capsule, ticket.StreamKey)
	if err != nil {
		t.Fatal(err)
	}
	clin, err := node.ReadGranteeKey(filepath.Join(r.dir, "clin.key"), keys.Passphrase([]byte(testKeyPassphrase)))
	if err != nil {
		t.Fatal(err)
	}
	other, err := node.ReadGranteeKey(filepath.Join(r.dir, "other.key"), keys.Passphrase([]byte(testKeyPassphrase)))
	if err != nil {
		t.Fatal(err)
	}
	request := func(g *p2p.Grantee) (*p2p.ReencryptRequest, []byte) {
		req := &p2p.ReencryptRequest{GrantID: ticket.GrantID, Capsule: capsule, Delegating: streamKey, Grantee: g.Public(), Purpose: "TREAT", Expires: time.Now().Add(time.Minute)}
		if _, err := rand.Read(req.Nonce[:]); err != nil {
			t.Fatal(err)
		}
		req.Sign(g.Sign)
		raw, err := req.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(map[string]any{"request": raw})
		return req, body
	}

	// Granted: the cfrag verifies against capsule, grant, clinician and request.
	req, body := request(clin)
	status, rep := postRelay(t, api, body)
	if status != 200 || rep.Outcome != "granted" || rep.Threshold != 1 || len(rep.Answers) != 1 || rep.Answers[0].Outcome != "granted" {
		t.Fatalf("relay: %d %+v", status, rep)
	}
	var gj service.GrantView
	gresp, err := http.Get(api + "/v1/grants/" + gr.ID)
	if err != nil || gresp.StatusCode != 200 {
		t.Fatalf("GET /v1/grants/{id}: %v %v", err, gresp)
	}
	_ = json.NewDecoder(gresp.Body).Decode(&gj)
	gresp.Body.Close()
	grec, err := gj.Record()
	if err != nil || gj.State != "live" {
		t.Fatalf("grant record: %v %+v", err, gj)
	}
	cf, err := reencrypt.ParseCFrag(rep.Answers[0].CFrag)
	if err != nil {
		t.Fatal(err)
	}
	binding := reencrypt.KFragBinding{GrantID: grec.ID, NotBefore: grec.NotBefore, NotAfter: grec.NotAfter}
	if err := cf.Verify(capsule, grec.SignerKey, ticket.StreamKey, clin.PRE.PublicKey(), binding, req.Binding()); err != nil {
		t.Fatalf("relayed cfrag does not verify: %v", err)
	}
	// The cfrag is bound to the request: it does not verify for another one.
	req2, _ := request(clin)
	if err := cf.Verify(capsule, grec.SignerKey, ticket.StreamKey, clin.PRE.PublicKey(), binding, req2.Binding()); err == nil {
		t.Fatal("cfrag verified against another request")
	}

	// The same request again: the proxy refuses a replay.
	if status, rep := postRelay(t, api, body); status != 409 || rep.Code != "replay" || rep.Answers[0].Outcome != "replay" || rep.Answers[0].CFrag != nil {
		t.Fatalf("replayed request: %d %+v", status, rep)
	}
	// Another clinician, correctly signed: refused by the proxy, no cfrag.
	_, obody := request(other)
	if status, rep := postRelay(t, api, obody); status != 403 || rep.Code != "access_refused" || rep.Outcome != "refused" ||
		len(rep.Answers) != 1 || rep.Answers[0].Outcome != "wrong-grantee" || rep.Answers[0].CFrag != nil {
		t.Fatalf("other clinician: %d %+v", status, rep)
	}
	// A forged signature is refused before any proxy is asked.
	_, fbody := request(clin)
	var fb map[string][]byte
	_ = json.Unmarshal(fbody, &fb)
	fb["request"][len(fb["request"])-1] ^= 1
	forged, _ := json.Marshal(fb)
	if status, rep := postRelay(t, api, forged); status != 422 || rep.Code != "invalid_signature" || len(rep.Answers) != 0 {
		t.Fatalf("forged request: %d %+v", status, rep)
	}
	if code, m := call(t, "POST", api+"/v1/reencrypt", "", `{"request":"`+base64.StdEncoding.EncodeToString([]byte("nope"))+`"}`); code != 400 || m["code"] != "bad_input" {
		t.Fatalf("malformed relay request: %d %v", code, m)
	}

	// A clinician with no repo at all fetches through --api.
	nr := &repo{t: t, dir: r.dir, env: []string{"VAULTNODE_REPO=" + filepath.Join(t.TempDir(), "none")}}
	if got := parseFetched(t, nr.must("--api", api, "--api-cert", filepath.Join(r.dir, "repo", "api.crt"), "fetch", "--key", "clin.key", "--ticket", gr.Ticket)); len(got) != 20 {
		t.Fatalf("fetch with --api and no repo: %d readings, want 20", len(got))
	}
	nr.want(3, "wrong-grantee", "", "--api", api, "--api-cert", filepath.Join(r.dir, "repo", "api.crt"), "fetch", "--key", "other.key", "--ticket", gr.Ticket)

	// Revoked: the relay returns the proxy's refusal; the CLI exits 3.
	r.must("revoke", gr.ID)
	_, body = request(clin)
	if status, rep := postRelay(t, api, body); status != 403 || rep.Answers[0].Outcome != "revoked" {
		t.Fatalf("after revocation: %d %+v", status, rep)
	}
	nr.want(3, "revoked", "", "--api", api, "--api-cert", filepath.Join(r.dir, "repo", "api.crt"), "fetch", "--key", "clin.key", "--ticket", gr.Ticket)
	if !strings.Contains(r.must("--json", "audit"), "wrong-grantee") {
		t.Fatal("the proxy's access log does not show the refused relayed request")
	}
}
