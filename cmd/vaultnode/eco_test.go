package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fhirExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "node", "testdata", "fhir", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// signFHIR writes a FHIR document into the work dir and returns the device
// cgm-1's signature of it.
func (r *repo) signFHIR(name, doc string) string {
	r.t.Helper()
	r.write(name, doc)
	return strings.TrimSpace(r.must("device", "sign", "--fhir", "--key", "dev.key", name))
}

// consentFor writes the example Consent naming the clinician key in keyFile.
func (r *repo) consentFor(name, keyFile string, edit func(string) string) string {
	r.t.Helper()
	var k struct {
		Public string `json:"public"`
	}
	if err := json.Unmarshal([]byte(r.read(keyFile)), &k); err != nil || k.Public == "" {
		r.t.Fatalf("clinician key file: %v", err)
	}
	doc := strings.Replace(fhirExample(r.t, "consent-glucose-clinician.json"),
		"50010e042284a5a1deb90f813fd1bf119940ff3d1bd132b665ef5e588f539f6d1635ef1ceb44ecce9b9f3e6d07f94c0495b40b890006bb59029d95ca1e62fc5b1d28", k.Public, 1)
	if edit != nil {
		doc = edit(doc)
	}
	return r.write(name, doc)
}

func countBatches(t *testing.T, r *repo) int {
	t.Helper()
	var vs []any
	if err := json.Unmarshal([]byte(r.must("--json", "verify", "--patient", "MRN-1")), &vs); err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

// FHIR in, Consent to grants, AuditEvent and disclosures out, on one node
// without a daemon.
func TestEcoFHIRConsentAudit(t *testing.T) {
	r := newRepo(t)
	// A Bundle with one bad entry: refused whole, naming the element.
	bad := r.signFHIR("bad.json", fhirExample(t, "bundle-invalid-unit.json"))
	r.want(1, "Bundle.entry[3].resource.valueQuantity.unit", "", "ingest", "--device", "cgm-1", "--sig", bad, "bad.json")
	// The good transaction Bundle: 4 readings in 3 streams.
	sig := r.signFHIR("tx.json", fhirExample(t, "bundle-transaction.json"))
	out := r.must("ingest", "--device", "cgm-1", "--sig", sig, "tx.json")
	for _, want := range []string{"4 readings from cgm-1", "glucose seq 1", "spo2 seq 1", "heart-rate seq 1"} {
		if !strings.Contains(out, want) {
			t.Fatalf("transaction Bundle: %q missing in %s", want, out)
		}
	}
	if n := countBatches(t, r); n != 3 {
		t.Fatalf("%d batches after the transaction Bundle, want 3", n)
	}
	// The refused Bundle again, after data exists: still nothing stored.
	r.want(1, "valueQuantity.unit", "", "ingest", "--device", "cgm-1", "--sig", bad, "bad.json")
	if n := countBatches(t, r); n != 3 {
		t.Fatalf("%d batches after a refused Bundle, want 3", n)
	}
	csig := r.signFHIR("coll.json", fhirExample(t, "bundle-collection.json"))
	if out := r.must("ingest", "--device", "cgm-1", "--sig", csig, "coll.json"); !strings.Contains(out, "glucose seq 2") {
		t.Fatalf("collection Bundle: %s", out)
	}

	// Consent: two grants (glucose, spo2) for the clinician named by key.
	r.must("keygen", "--out", "clin.key")
	r.consentFor("deny.json", "clin.key", func(s string) string { return strings.Replace(s, `"type": "permit"`, `"type": "deny"`, 1) })
	r.want(1, "Consent.provision.type", "", "consent", "import", "deny.json")
	r.consentFor("nested.json", "clin.key", func(s string) string {
		return strings.Replace(s, `"type": "permit",`, `"type": "permit", "provision": [{"type": "deny"}],`, 1)
	})
	r.want(1, "Consent.provision.provision", "", "consent", "import", "nested.json")
	r.want(3, "", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose") // refused consents granted nothing
	r.consentFor("consent.json", "clin.key", nil)
	var cres struct {
		Grants []struct {
			ID string `json:"id"`
		} `json:"grants"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "consent", "import", "consent.json")), &cres); err != nil {
		t.Fatal(err)
	}
	if len(cres.Grants) != 2 {
		t.Fatalf("%d grants from the consent, want 2 (glucose, spo2)", len(cres.Grants))
	}
	if got := parseFetched(t, r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose")); len(got) != 4 {
		t.Fatalf("fetched %d glucose readings, want 4", len(got))
	}
	r.want(3, "", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "heart-rate") // not in the consent
	// The consent's purpose (TREAT) is enforced by the proxies: payment is refused.
	r.want(3, "purpose-not-consented", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose", "--purpose", "HPAYMT")

	// AuditEvent export: one per access, with the patient entity.
	var pl []struct {
		Pseudonym string `json:"pseudonym"`
		MRN       string `json:"mrn"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "patient", "list")), &pl); err != nil || len(pl) != 1 {
		t.Fatalf("patient list: %v %v", pl, err)
	}
	var bundle struct {
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
				Outcome      string `json:"outcome"`
				Type         struct {
					Code string `json:"code"`
				} `json:"type"`
				Entity []struct {
					What struct {
						Identifier struct {
							Value string `json:"value"`
						} `json:"identifier"`
					} `json:"what"`
					Role struct {
						Code string `json:"code"`
					} `json:"role"`
				} `json:"entity"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(r.must("audit", "--fhir", "--patient", "MRN-1")), &bundle); err != nil {
		t.Fatal(err)
	}
	granted := 0
	for _, e := range bundle.Entry {
		ev := e.Resource
		if ev.ResourceType != "AuditEvent" || ev.Type.Code != "rest" {
			t.Fatalf("not a BALP AuditEvent: %+v", ev)
		}
		patients := 0
		for _, en := range ev.Entity {
			if en.Role.Code == "1" && en.What.Identifier.Value == pl[0].Pseudonym {
				patients++
			}
		}
		if patients != 1 {
			t.Fatalf("AuditEvent without exactly one patient entity: %+v", ev)
		}
		if ev.Outcome == "0" {
			granted++
		}
	}
	if granted != 2 { // two glucose batches, one proxy
		t.Fatalf("%d granted AuditEvents, want 2", granted)
	}

	// Accounting of disclosures with proofs, verified against the chain.
	r.must("disclosures", "--patient", "MRN-1", "-o", "d.json")
	var rep struct {
		Disclosures []struct {
			Recipient     string          `json:"recipient"`
			RecipientName string          `json:"recipientName"`
			Purpose       string          `json:"purpose"`
			Stream        string          `json:"stream"`
			Proof         json.RawMessage `json:"proof"`
		} `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(r.read("d.json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Disclosures) != 2 {
		t.Fatalf("%d disclosures, want 2", len(rep.Disclosures))
	}
	for _, d := range rep.Disclosures {
		if d.RecipientName != "Dr. A. Osei" || d.Purpose != "TREAT" || d.Stream != "glucose" || len(d.Proof) < 10 {
			t.Fatalf("disclosure %+v", d)
		}
	}
	if out := r.must("disclosures", "verify", "d.json"); strings.Count(out, "proven against the chain") != 2 {
		t.Fatalf("verify: %s", out)
	}
	r.write("d2.json", strings.Replace(r.read("d.json"), `"purpose": "TREAT"`, `"purpose": "HRESCH"`, 1))
	r.want(4, "purpose", "", "disclosures", "verify", "d2.json")
	r.want(1, "not an accounting of disclosures", "", "disclosures", "verify", "consent.json")
}

// The daemon: FHIR endpoints answer with OperationOutcome, /readyz, the
// operator metrics, Consent over HTTP, and READY=1 to systemd.
func TestEcoDaemon(t *testing.T) {
	r := newRepo(t)
	sock := filepath.Join(t.TempDir(), "notify.sock")
	ln, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r.env = append(r.env, "NOTIFY_SOCKET="+sock)
	bad := r.signFHIR("bad.json", fhirExample(t, "bundle-invalid-unit.json"))
	good := r.signFHIR("tx.json", fhirExample(t, "bundle-transaction.json"))
	obs := r.signFHIR("obs.json", fhirExample(t, "observation-glucose.json"))
	r.must("keygen", "--out", "clin.key")
	r.consentFor("consent.json", "clin.key", nil)
	r.consentFor("deny.json", "clin.key", func(s string) string { return strings.Replace(s, `"type": "permit"`, `"type": "deny"`, 1) })
	r.consentFor("hr.json", "clin.key", func(s string) string {
		s = strings.Replace(s, `"code": "2339-0"`, `"code": "8867-4"`, 1)
		return strings.Replace(s, `{"coding": [{"system": "urn:vaultnode:stream", "code": "spo2"}]}`, `{"coding": [{"system": "urn:vaultnode:stream", "code": "heart-rate"}]}`, 1)
	})
	// Before the daemon (fetch runs on the repo): data, a consent, one access.
	csig := r.signFHIR("coll.json", fhirExample(t, "bundle-collection.json"))
	r.must("ingest", "--device", "cgm-1", "--sig", csig, "coll.json")
	r.must("consent", "import", "consent.json")
	r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "spo2")
	api := startDaemon(t, r)

	_ = ln.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 256)
	n, err := ln.Read(buf)
	if err != nil || !strings.Contains(string(buf[:n]), "READY=1") {
		t.Fatalf("no READY=1 from the daemon: %q %v", buf[:n], err)
	}

	tok := strings.TrimSpace(r.read("repo/tokens/device"))
	post := func(path, file, sig string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", api+path+"?device=cgm-1", strings.NewReader(r.read(file)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("X-Vaultnode-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m
	}
	expr := func(m map[string]any) string {
		b, _ := json.Marshal(m["issue"])
		return string(b)
	}
	if code, m := post("/fhir", "bad.json", bad); code != 400 || m["resourceType"] != "OperationOutcome" || !strings.Contains(expr(m), "Bundle.entry[3].resource.valueQuantity.unit") {
		t.Fatalf("invalid Bundle: %d %v", code, m)
	}
	// The CLI asks for the plain {error, code} body and shows the element.
	r.want(1, "Bundle.entry[3].resource.valueQuantity.unit", "", "ingest", "--device", "cgm-1", "--sig", bad, "bad.json")
	if code, m := post("/fhir/Observation", "tx.json", good); code != 400 || m["resourceType"] != "OperationOutcome" {
		t.Fatalf("Bundle to /fhir/Observation: %d %v", code, m)
	}
	if code, m := post("/fhir", "tx.json", bad); code != 422 || m["resourceType"] != "OperationOutcome" {
		t.Fatalf("wrong signature: %d %v", code, m)
	}
	if code, m := post("/fhir", "tx.json", good); code != 200 || m["readings"] != float64(4) {
		t.Fatalf("transaction Bundle: %d %v", code, m)
	}
	if code, m := post("/fhir/Observation", "obs.json", obs); code != 200 || m["readings"] != float64(1) {
		t.Fatalf("Observation: %d %v", code, m)
	}

	// Consent through the daemon (the CLI finds it running).
	r.want(1, "Consent.provision.type", "", "consent", "import", "deny.json")
	if out := r.must("consent", "import", "hr.json"); strings.Count(out, "grant ") != 1 || !strings.Contains(out, "heart-rate") {
		t.Fatalf("consent import through the API: %s", out)
	}
	if out := r.must("disclosures", "--patient", "MRN-1"); !strings.Contains(out, "1 disclosure(s)") || !strings.Contains(out, "Dr. A. Osei") {
		t.Fatalf("disclosures through the API: %s", out)
	}
	code, body := getText(t, api+"/v1/audit?format=fhir&patient=MRN-1", strings.TrimSpace(r.read("repo/tokens/operator")))
	if code != 200 || !strings.Contains(body, `"AuditEvent"`) || !strings.Contains(body, `"purposeOfEvent"`) {
		t.Fatalf("GET /v1/audit?format=fhir: %d %s", code, body)
	}

	code, body = getText(t, api+"/readyz", "")
	var rd struct {
		Ready  bool `json:"ready"`
		Checks map[string]struct {
			OK bool `json:"ok"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &rd); code != 200 || err != nil || !rd.Ready || len(rd.Checks) != 4 {
		t.Fatalf("readyz: %d %s", code, body)
	}
	code, body = getText(t, api+"/metrics", "")
	for _, want := range []string{
		"vaultnode_readings_ingested_total 5", "vaultnode_fhir_refused_total 5", `vaultnode_proxy_requests_total{outcome="granted"}`,
		`vaultnode_proxy_requests_total{outcome="revoked"} 0`, "vaultnode_replication_deficit 0", "vaultnode_erasures_total 0",
		"vaultnode_pending_commitments", "vaultnode_refused_connections_total", "vaultnode_chain_commitments_total",
		"vaultnode_chain_tx_failures_total 0", "vaultnode_batches_under_replicated 0", "vaultnode_block_fetch_stalls_total",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics: no %q", want)
		}
	}
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
}


func getText(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func patientMRNs(t *testing.T, r *repo, extra ...string) string {
	t.Helper()
	var pl []struct {
		MRN string `json:"mrn"`
	}
	args := append(append([]string{}, extra...), "--json", "patient", "list")
	if err := json.Unmarshal([]byte(r.must(args...)), &pl); err != nil {
		t.Fatal(err)
	}
	var ms []string
	for _, p := range pl {
		ms = append(ms, p.MRN)
	}
	return strings.Join(ms, ",")
}

// Backup and restore never bring back an erased patient's keys: not from a
// backup taken after the erasure, and not from an older backup restored
// onto a node whose chain records the erasure.
func TestEcoBackupRestore(t *testing.T) {
	r := newRepo(t)
	r.env = append(r.env, "VAULTNODE_BACKUP_PASSPHRASE=backup secret", "VAULTNODE_ARGON2=1,64,1")
	r.must("patient", "create", "--mrn", "MRN-2")
	var lines []string
	for i := 0; i < 3; i++ {
		lines = append(lines, readingLine("cgm-1", "MRN-1", i, 5.5), readingLine("cgm-1", "MRN-2", i, 6.5))
	}
	r.signed("b.jsonl", strings.Join(lines, "\n")+"\n")
	r.must("ingest", "--device", "cgm-1", "b.jsonl")
	r.want(2, "--out", "", "backup")
	r.want(2, "outside the repo", "", "backup", "--out", "repo/inside.vnbk")
	r.must("backup", "--out", "old.vnbk")
	r.must("erase", "--patient", "MRN-1", "--request-ref", "DSAR-9", "--certificate", "cert.json")
	r.must("backup", "--out", "new.vnbk")
	if mrns := patientMRNs(t, r); mrns != "MRN-2" {
		t.Fatalf("patients after erasure: %s", mrns)
	}

	// Bad inputs: wrong secret, altered or cut file, existing repo. Nothing written.
	r2 := filepath.Join(r.dir, "r2")
	wrong := *r
	wrong.env = append(append([]string{}, r.env...), "VAULTNODE_BACKUP_PASSPHRASE=guess")
	wrong.want(1, "wrong passphrase", "", "--repo", r2, "restore", "new.vnbk")
	raw := []byte(r.read("new.vnbk"))
	flipped := append([]byte(nil), raw...)
	flipped[len(flipped)/2] ^= 0x40
	r.write("flipped.vnbk", string(flipped))
	r.want(1, "does not authenticate", "", "--repo", r2, "restore", "flipped.vnbk")
	r.write("cut.vnbk", string(raw[:len(raw)-100]))
	r.want(1, "", "", "--repo", r2, "restore", "cut.vnbk")
	if _, err := os.Stat(filepath.Join(r2, "config.json")); err == nil {
		t.Fatal("a refused restore wrote a repo")
	}
	r.want(1, "already holds a repo", "", "restore", "new.vnbk")

	// Full restore of the backup taken after the erasure.
	out := r.must("--repo", r2, "restore", "new.vnbk")
	if !strings.Contains(out, "1 patients") {
		t.Fatalf("restore: %s", out)
	}
	if mrns := patientMRNs(t, r, "--repo", r2); mrns != "MRN-2" {
		t.Fatalf("restored patients: %s", mrns)
	}
	r.must("--repo", r2, "verify", "--patient", "MRN-2")

	// The keystore is lost; the only backup predates the erasure. Restoring
	// its keys must leave MRN-1 out (the chain's deletion registry says so).
	if err := os.RemoveAll(filepath.Join(r.dir, "repo", "keystore")); err != nil {
		t.Fatal(err)
	}
	out = r.must("--json", "restore", "--keys-only", "old.vnbk")
	var res struct {
		ErasedSkipped int `json:"erasedSkipped"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.ErasedSkipped != 1 {
		t.Fatalf("keys-only restore of the old backup: %s", out)
	}
	if mrns := patientMRNs(t, r); mrns != "MRN-2" {
		t.Fatalf("patients after restoring the old backup: %s (the erased patient came back)", mrns)
	}
	r.want(1, "", "", "verify", "--patient", "MRN-1")
	r.must("verify", "--patient", "MRN-2")
}

func TestEcoKeysRotate(t *testing.T) {
	r := newRepo(t)
	r.want(2, "VAULTNODE_NEW_PASSPHRASE", "", "keys", "rotate")
	r.must("keys", "rotate", "--new-key-file", "new.key")
	if !strings.Contains(r.read("repo/config.json"), "new.key") {
		t.Fatal("config does not name the new key file")
	}
	r.must("patient", "list")
	// The old key file no longer opens the keystore.
	cfg := r.read("repo/config.json")
	r.write("repo/config.json", strings.Replace(cfg, "new.key", "master.key", 1))
	r.want(1, "wrong passphrase or key file", "", "patient", "list")
	r.write("repo/config.json", cfg)
	// To a passphrase.
	r.env = append(r.env, "VAULTNODE_NEW_PASSPHRASE=correct horse", "VAULTNODE_ARGON2=1,64,1")
	r.must("keys", "rotate")
	r.env = append(r.env, "VAULTNODE_PASSPHRASE=correct horse")
	if mrns := patientMRNs(t, r); mrns != "MRN-1" {
		t.Fatalf("after rotation to a passphrase: %s", mrns)
	}
	r.env = append(r.env, "VAULTNODE_PASSPHRASE=battery staple")
	r.want(1, "wrong passphrase", "", "patient", "list")
}
