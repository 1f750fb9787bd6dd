package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The whole story on one node: ingest, grant, fetch, audit, revoke, erase,
// certificate verification; every refusal with its exit code.
func TestCLIStory(t *testing.T) {
	r := newRepo(t)
	data, values := readings(500)
	r.signed("batch.jsonl", data)
	var rc struct {
		Readings int `json:"readings"`
		Batches  []struct {
			Root string `json:"root"`
			Seq  uint64 `json:"seq"`
		} `json:"batches"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "ingest", "--device", "cgm-1", "batch.jsonl")), &rc); err != nil {
		t.Fatal(err)
	}
	if rc.Readings != 500 || len(rc.Batches) != 1 || rc.Batches[0].Seq != 1 {
		t.Fatalf("receipt %+v", rc)
	}
	// Ingest from stdin too.
	more, _ := readings(3)
	r.write("more.raw", strings.ReplaceAll(more, "T08:", "T20:"))
	stdin := r.must("device", "sign", "--key", "dev.key", "more.raw")
	if res := r.run(stdin, "ingest", "--device", "cgm-1", "-"); res.code != 0 {
		t.Fatalf("ingest from stdin: %d %s", res.code, res.stderr)
	}

	r.must("keygen", "--out", "clin.key")
	if st, err := os.Stat(filepath.Join(r.dir, "clin.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	r.want(1, "exists", "", "keygen", "--out", "clin.key") // never overwritten
	var g struct {
		ID     string `json:"id"`
		Ticket string `json:"ticket"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--from", "-1m", "--until", "1h", "--threshold", "1")), &g); err != nil {
		t.Fatal(err)
	}
	out := r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose")
	got := parseFetched(t, out)
	if len(got) != 503 {
		t.Fatalf("fetched %d readings, want 503", len(got))
	}
	for i, v := range values {
		if got[i].Value != v {
			t.Fatalf("reading %d: %v, want %v", i, got[i].Value, v)
		}
	}
	// -o FILE and a time window.
	r.must("fetch", "--key", "clin.key", "--ticket", g.Ticket, "--from", "2026-03-01T08:00:00Z", "--until", "2026-03-01T09:00:00Z", "-o", "window.jsonl")
	if w := parseFetched(t, r.read("window.jsonl")); len(w) != 12 {
		t.Fatalf("window: %d readings, want 12", len(w))
	}

	// Another clinician: refused by the proxy (exit 3).
	r.must("keygen", "--out", "other.key")
	r.want(3, "wrong-grantee", "", "fetch", "--key", "other.key", "--ticket", g.Ticket)
	// A file that is not a clinician key: clear error, exit 1.
	r.write("junk.key", `{"hello":"world"}`)
	r.want(1, "not a vaultnode clinician key file", "", "fetch", "--key", "junk.key", "--ticket", g.Ticket)
	r.want(1, "no such file", "", "fetch", "--key", "missing.key", "--ticket", g.Ticket)

	// The audit shows both accesses, proven against an on-chain anchor.
	var audit []struct {
		Outcome string `json:"outcome"`
		Proven  bool   `json:"proven"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "audit", "--patient", "MRN-1")), &audit); err != nil {
		t.Fatal(err)
	}
	granted := 0
	for _, e := range audit {
		if !e.Proven {
			t.Fatalf("audit entry not proven: %+v", e)
		}
		if e.Outcome == "granted" {
			granted++
		}
	}
	// Two successful fetches of the stream's 2 batches, each batch re-encrypted
	// once by the single proxy; the refused clinician was stopped before.
	if granted != 4 {
		t.Fatalf("audit: %d granted re-encryptions, want 4", granted)
	}
	if !strings.Contains(r.must("audit", "--fhir"), `"AuditEvent"`) {
		t.Fatal("audit --fhir is not a FHIR AuditEvent bundle")
	}
	r.must("verify", "--patient", "MRN-1")
	r.must("verify", rc.Batches[0].Root)

	// Revocation: refused from the next block on (exit 3).
	r.must("revoke", g.ID)
	r.want(3, "revoked", "", "fetch", "--key", "clin.key", "--ticket", g.Ticket)
	r.want(1, "", "", "revoke", g.ID) // twice: the chain refuses

	// Erasure with certificate; the certificate verifies, a tampered one does not (exit 4).
	r.must("erase", "--patient", "MRN-1", "--request-ref", "DSAR-1", "--reason", "test", "--certificate", "cert.json")
	r.must("erasure", "verify", "cert.json")
	r.write("bad.json", strings.Replace(r.read("cert.json"), "DSAR-1", "DSAR-2", 1))
	r.want(4, "does not hold", "", "erasure", "verify", "bad.json")
	// The patient is gone: ingest refused, nothing fetched.
	r.want(1, "unknown patient", "", "ingest", "--device", "cgm-1", "batch.jsonl")
	if res := r.run("", "fetch", "--key", "clin.key", "--ticket", g.Ticket); res.code == 0 {
		t.Fatal("fetch after erasure succeeded")
	}
	if strings.Contains(r.must("patient", "list"), "MRN-1") {
		t.Fatal("erased patient still listed")
	}
}

// Bad input is refused with a clear error, and nothing is stored.
func TestIngestBadInput(t *testing.T) {
	r := newRepo(t)
	good := readingLine("cgm-1", "MRN-1", 0, 5.5) + "\n" + readingLine("cgm-1", "MRN-1", 1, 5.6) + "\n"
	cases := []struct {
		name, device, body, want string
		code                     int
	}{
		{"malformed JSON line", "cgm-1", readingLine("cgm-1", "MRN-1", 0, 5) + "\n" + `{"device":"cgm-1","patient":` + "\n", "line 2", 1},
		{"unknown field", "cgm-1", strings.Replace(good, `"unit"`, `"unitz"`, 1), "unknown field", 1},
		{"missing value", "cgm-1", strings.Replace(good, `"value":5.5,`, ``, 1), `missing "value"`, 1},
		{"unknown patient", "cgm-1", strings.ReplaceAll(good, "MRN-1", "MRN-404"), "unknown patient", 1},
		{"other device in batch", "cgm-1", readingLine("cgm-9", "MRN-1", 0, 5) + "\n", "cgm-9", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.t = t
			p := r.signed("case.jsonl", c.body)
			r.want(c.code, c.want, "", "ingest", "--device", c.device, p)
		})
	}
	r.t = t
	signed := r.read(filepath.Base(r.signed("good.jsonl", good)))
	t.Run("bad signature", func(t *testing.T) {
		r.t = t
		r.write("tampered.jsonl", strings.Replace(signed, `"value":5.5`, `"value":9.5`, 1))
		r.want(1, "signature", "", "ingest", "--device", "cgm-1", "tampered.jsonl")
		r.write("nosig.jsonl", good)
		r.want(1, "no signature line", "", "ingest", "--device", "cgm-1", "nosig.jsonl")
	})
	t.Run("unknown device", func(t *testing.T) {
		r.t = t
		// A refused device exits 3 (refused), on the repo as through a daemon
		// (it exited 1 here and 3 there).
		r.want(3, `unknown device "cgm-404"`, "", "ingest", "--device", "cgm-404", "good.jsonl")
	})
	r.t = t
	// Nothing of the refused batches was stored: the patient has no stream yet.
	if out := r.must("--json", "patient", "list"); strings.Contains(out, "glucose") {
		t.Fatalf("a refused batch created data: %s", out)
	}
	r.must("ingest", "--device", "cgm-1", "good.jsonl")
	t.Run("revoked device", func(t *testing.T) {
		r.t = t
		r.must("device", "revoke", "cgm-1")
		r.want(3, "revoked", "", "ingest", "--device", "cgm-1", "good.jsonl")
		if !strings.Contains(r.must("device", "list"), "revoked") {
			t.Fatal("device list does not show the revocation")
		}
	})
}

func TestExpiredGrant(t *testing.T) {
	r := newRepo(t)
	data, _ := readings(5)
	r.signed("b.jsonl", data)
	r.must("ingest", "--device", "cgm-1", "b.jsonl")
	r.must("keygen", "--out", "clin.key")
	r.must("grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--from", "-1m", "--until", "3s", "--threshold", "1")
	time.Sleep(4 * time.Second)
	r.want(3, "grant-expired", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose")
	// A window already over is refused at grant time (usage of the command, exit 1).
	r.want(1, "already ended", "", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--from", "-2h", "--until", "-1h")
}

func TestMissingRepoAndUsage(t *testing.T) {
	d := t.TempDir()
	r := &repo{t: t, dir: d, env: []string{"VAULTNODE_REPO=" + filepath.Join(d, "nothing-here")}}
	r.want(1, "no vaultnode repo", "", "patient", "list")
	r.want(1, "no vaultnode repo", "", "--repo", filepath.Join(d, "other"), "device", "list")
	r.want(2, "unknown command", "", "frobnicate")
	r.want(2, "unknown flag", "", "patient", "list", "--nope")
	r.want(2, "--device ID is required", "", "ingest")
	r.want(2, "accepts 1 arg", "", "revoke")
	r.want(2, "RFC 3339", "", "grant", "--patient", "x", "--stream", "s", "--to", "00", "--until", "tomorrow-ish")
	r.want(2, "--out FILE is required", "", "keygen")
	r.want(2, "needs a subcommand", "", "device")
}

// A passphrase-protected repo (Argon2 parameters from VAULTNODE_ARGON2):
// the wrong passphrase is refused.
func TestPassphraseRepo(t *testing.T) {
	d := t.TempDir()
	r := &repo{t: t, dir: d, env: []string{"VAULTNODE_REPO=" + filepath.Join(d, "repo"), "VAULTNODE_ARGON2=1,64,1", "VAULTNODE_PASSPHRASE=correct horse"}}
	r.must("init", "--listen", "/ip4/127.0.0.1/tcp/0")
	r.want(1, "already holds a repo", "", "init")
	r.must("patient", "list")
	r.env = append(r.env, "VAULTNODE_PASSPHRASE=wrong")
	r.want(1, "wrong passphrase", "", "patient", "list")
	r.env = append(r.env, "VAULTNODE_PASSPHRASE=")
	r.want(1, "VAULTNODE_PASSPHRASE", "", "patient", "list")
}

// FHIR R4: an Observation Bundle signed by the device is ingested; the same
// document with a changed value is refused.
func TestIngestFHIR(t *testing.T) {
	r := newRepo(t)
	doc := `{"resourceType":"Bundle","type":"collection","entry":[
 {"resource":{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/MRN-1"},"device":{"reference":"Device/cgm-1"},
  "code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"effectiveDateTime":"2026-03-01T08:00:00Z","valueQuantity":{"value":5.8,"unit":"mmol/L"}}},
 {"resource":{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/MRN-1"},"device":{"reference":"Device/cgm-1"},
  "code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"effectiveDateTime":"2026-03-01T08:05:00Z","valueQuantity":{"value":6.1,"unit":"mmol/L"}}}]}`
	r.write("bundle.json", doc)
	sig := strings.TrimSpace(r.must("device", "sign", "--fhir", "--key", "dev.key", "bundle.json"))
	r.want(2, "needs --sig", "", "ingest", "--device", "cgm-1", "bundle.json")
	r.write("tampered.json", strings.Replace(doc, "6.1", "9.1", 1))
	r.want(1, "signature", "", "ingest", "--device", "cgm-1", "--sig", sig, "tampered.json")
	out := r.must("ingest", "--device", "cgm-1", "--sig", sig, "bundle.json")
	if !strings.Contains(out, "2 readings from cgm-1") || !strings.Contains(out, "glucose seq 1") {
		t.Fatalf("FHIR ingest: %s", out)
	}
}
