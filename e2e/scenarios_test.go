package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2E runs the scenario table on both chains: the embedded chain hosted
// by daemon A (B, C and D join it over A's JSON-RPC), and a separate
// `geth --dev` process all four use over JSON-RPC. The scenarios share one
// cluster per chain and run in order; each uses its own device and patient,
// and leaves every daemon running when it ends.
func TestE2E(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{chainEmbedded, chainGeth} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel() // the two chains' clusters run side by side: most of the time is waiting
			newCluster(t, kind).runScenarios(t, scenarios)
		})
	}
}

// runScenarios runs the scenarios meant for c's chain in order on the one
// cluster; after a failed one it goes on only while every daemon still runs.
func (c *cluster) runScenarios(t *testing.T, list []scenario) {
	for _, s := range list {
		if s.only != "" && s.only != c.kind {
			continue
		}
		ok := t.Run(s.name, func(t *testing.T) {
			start := time.Now()
			s.run(t, c)
			t.Logf("%s/%s took %v", c.kind, s.name, time.Since(start).Round(time.Millisecond))
		})
		if !ok {
			// Later scenarios need a working cluster.
			for _, n := range c.nodes {
				if !n.running() {
					t.Fatalf("%s is down after a failed scenario: stopping", n.name)
				}
			}
		}
	}
}

type scenario struct {
	name string
	only string // run on this chain only ("" = both)
	run  func(t *testing.T, c *cluster)
}

var scenarios = []scenario{
	{"story", "", testStory},
	{"non-member refused", "", testNonMember},
	{"SIGKILL during ingest", "", testKillDuringIngest},
	{"SIGKILL during ingest, same batch retried", "", testKillRetrySameBatch},
	{"peer lost for good", "", testPeerLost},
	{"block altered on disk", "", testTamperedBlock},
	{"chain node restarted mid-ingest", "", testChainRestart},
	{"chain host killed after revoke and erase", "", testHostKilledAfterRevokeErase},
	{"chain host lost: members restart and keep ingesting", chainEmbedded, testChainHostLost},
	{"outsider holds 1,000 idle sockets and 100 stalled handshakes", chainEmbedded, testOutsiderSockets},
	{"returning member's gate stays shut", chainGeth, testGateStaysShut},
	{"clock skew and grant windows", chainEmbedded, testClock},
	{"replicas right after connect", chainEmbedded, testReplicasRightAfterConnect},
	{"CLI member is not a replica", chainEmbedded, testCLIMemberNotAReplica},
	{"chain host's backup from before an erasure restored", chainEmbedded, testRestoreAfterErasure},
	{"recall across hospitals", chainEmbedded, testRecallAcrossHospitals},
}

// testStory: ingest at A → grant 2-of-3 proxies → a clinician fetches from D
// → another clinician refused → revoke → refused by every proxy → erase →
// certificate valid from another member, blocks gone from every peer.
func testStory(t *testing.T, c *cluster) {
	a, b, cc := c.nodes[0], c.nodes[1], c.nodes[2]
	dev, pseudo := a.enrol(t, "cgm-story", "MRN-STORY")
	rs := mkReadings(dev.id, "MRN-STORY", 0, 300)
	rc1 := a.mustIngest(t, dev, rs[:200])
	rc2 := a.mustIngest(t, dev, rs[200:])
	roots := []string{rc1.Batches[0].Root, rc2.Batches[0].Root}
	for _, rc := range []*receipt{rc1, rc2} {
		if len(rc.Batches) != 1 || rc.Batches[0].Patient != pseudo || len(rc.Batches[0].Replicas) < 2 {
			t.Fatalf("receipt: %+v (want one batch of %s replicated on 2 peers)", rc, pseudo)
		}
	}
	// The replicas really hold the ciphertext, and only ciphertext.
	for _, rc := range []*receipt{rc1, rc2} {
		for _, rep := range rc.Batches[0].Replicas {
			n := c.byPeer(t, rep)
			status, raw, err := rawCall("GET", n.api()+"/v1/records/"+rc.Batches[0].Root, "", "", nil)
			if err != nil || status != 200 {
				t.Fatalf("replica %s does not serve %s: %d %v", n.name, rc.Batches[0].Root, status, err)
			}
			if strings.Contains(string(raw), "mmol/L") || strings.Contains(string(raw), "MRN-STORY") {
				t.Fatalf("replica %s serves plaintext", n.name)
			}
		}
	}

	ito := c.clinician(t, "ito")
	g := a.grant(t, "MRN-STORY", ito, "--until", "1h", "--threshold", "2", "--proxies", "3")
	if g.Threshold != 2 || len(g.Proxies) != 3 {
		t.Fatalf("grant: %+v, want 2 of 3 proxies", g)
	}
	a.waitCommitted(t)
	c.mustFetchAll(t, ito, g.Ticket, rs)
	if cs := c.commitments(t, g.Ticket, g.StreamTag); len(cs) != 2 {
		t.Fatalf("%d commitments on chain, want 2", len(cs))
	}

	// Another clinician with the same ticket: refused (exit 3).
	other := c.clinician(t, "other")
	c.D.want(t, 3, "wrong-grantee", "fetch", "--key", other, "--ticket", g.Ticket)

	// The proxies logged the granted accesses.
	granted := 0
	for _, n := range c.nodes {
		for _, e := range n.audit(t) {
			if e.Grant == g.ID && e.Outcome == "granted" {
				granted++
			}
		}
	}
	if granted < 4 { // 2 batches × at least 2 proxies
		t.Fatalf("audit: %d granted re-encryptions over the proxies, want ≥ 4", granted)
	}
	// The custodian's accounting of disclosures has every one of them,
	// whichever member's proxy served it (D, not running, is unreachable).
	status, raw, err := rawCall("GET", a.api()+"/v1/audit/disclosures?patient=MRN-STORY", a.token(t, "dpo"), "", nil)
	if err != nil || status != 200 {
		t.Fatalf("disclosures: %d %s %v", status, raw, err)
	}
	var rep struct {
		Disclosures []struct {
			Purpose string `json:"purpose"`
		} `json:"disclosures"`
		Unreachable []string `json:"unreachable"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Disclosures) != granted {
		t.Fatalf("accounting of disclosures lists %d, the proxies logged %d granted accesses (unreachable %v)", len(rep.Disclosures), granted, rep.Unreachable)
	}
	for _, u := range rep.Unreachable {
		if u != c.D.peerID {
			t.Fatalf("running member %s unreachable for the disclosures report", u)
		}
	}

	// Revoke: refused from the next block on, whatever proxy is asked.
	a.must(t, "revoke", g.ID)
	c.D.want(t, 3, "revoked", "fetch", "--key", ito, "--ticket", g.Ticket)
	ask := c.reencryptAsker(t, ito, g, roots[0])
	for _, n := range c.nodes {
		ask.wantRefused(t, n, "revoked")
	}

	// Erase: blocks gone everywhere. D runs no daemon, so the first
	// certificate lists it pending and verifies as incomplete (exit 4); the
	// check from D's repo goes on the network, where D executes the order and
	// delivers its acknowledgement; the custodian re-issues the certificate,
	// which then verifies as valid with all four members.
	cert := filepath.Join(c.dir, "story-cert.json")
	eraseArgs := []string{"erase", "--patient", "MRN-STORY", "--request-ref", "DSAR-STORY", "--reason", "e2e", "--certificate", cert}
	a.must(t, eraseArgs...)
	type verification struct {
		Valid   bool     `json:"valid"`
		Status  string   `json:"status"`
		Acks    int      `json:"acks"`
		Missing []string `json:"missing"`
		Pending []string `json:"pending"`
	}
	r := c.D.cli(t, "", "--json", "erasure", "verify", cert)
	var v verification
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != 4 || v.Valid || v.Status != "incomplete" || v.Acks != 3 ||
		len(v.Missing) != 1 || v.Missing[0] != c.D.peerID || len(v.Pending) != 1 || v.Pending[0] != c.D.peerID {
		t.Fatalf("erasure verify before D purged: %v %s (want exit 4, incomplete, 3 daemons acknowledging, D missing)", err, r)
	}
	if err := json.Unmarshal([]byte(c.certifiedByAll(t, a, eraseArgs, cert)), &v); err != nil {
		t.Fatal(err)
	}
	if v.Status != "valid" || v.Acks != 4 || len(v.Missing) != 0 || len(v.Pending) != 0 {
		t.Fatalf("re-issued certificate: %+v (want valid, 4 acknowledgements)", v)
	}
	for _, n := range []*node{a, b, cc} {
		for _, root := range roots {
			if status, m := call(t, "GET", n.api()+"/v1/records/"+root, "", "", nil); status != 404 {
				t.Fatalf("%s still answers %d %v for erased batch %s", n.name, status, m, root)
			}
		}
	}
	c.D.want(t, 3, "", "fetch", "--key", ito, "--ticket", g.Ticket)
	// The custodian no longer knows the patient; a new batch for it is refused.
	if strings.Contains(a.must(t, "patient", "list"), "MRN-STORY") {
		t.Fatal("erased patient still listed")
	}
	if status, _, _ := a.ingest(t, dev, mkReadings(dev.id, "MRN-STORY", 1000, 2)); status == 200 {
		t.Fatal("ingest for an erased patient accepted")
	}
	_ = os.Remove(cert)
}

// byPeer returns the daemon with this peer id.
func (c *cluster) byPeer(t testing.TB, id string) *node {
	t.Helper()
	for _, n := range c.nodes {
		if n.peerID == id {
			return n
		}
	}
	t.Fatalf("peer %s is not a daemon of the cluster", id)
	return nil
}

type auditEntry struct {
	Grant   string `json:"grant"`
	Outcome string `json:"outcome"`
	Proven  bool   `json:"proven"`
	Anchor  int    `json:"anchor"`
}

func (n *node) audit(t testing.TB) []auditEntry {
	t.Helper()
	status, raw, err := rawCall("GET", n.api()+"/v1/audit", n.token(t, "operator"), "", nil)
	if err != nil || status != 200 {
		t.Fatalf("%s audit: %d %s %v", n.name, status, raw, err)
	}
	var es []auditEntry
	if err := json.Unmarshal(raw, &es); err != nil {
		t.Fatalf("%s audit: %v", n.name, err)
	}
	return es
}

// certifiedByAll waits until the certificate of an erasure verifies as
// valid from D's repo, every member acknowledging: D, which runs no daemon,
// executes the order and delivers its acknowledgement when its check goes
// on the network; the custodian re-issues the certificate, which running
// the same erase command again returns. It returns the last verification.
func (c *cluster) certifiedByAll(t testing.TB, custodian *node, eraseArgs []string, cert string) string {
	t.Helper()
	var out string
	waitFor(t, 60*time.Second, "a certificate with every member's acknowledgement", func() bool {
		custodian.must(t, eraseArgs...)
		out = c.D.must(t, "--json", "erasure", "verify", "--allow-incomplete", cert)
		return strings.Contains(out, `"status": "valid"`)
	})
	return out
}
