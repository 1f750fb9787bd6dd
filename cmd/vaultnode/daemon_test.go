package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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
	r.must("consent", "import", "--threshold", "1", "consent.json")
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
	// An EHR gets a transaction-response Bundle, one entry per Observation;
	// a single create is 201 with its Location.
	if code, m := post("/fhir", "tx.json", good); code != 200 || m["type"] != "transaction-response" || len(m["entry"].([]any)) != 4 {
		t.Fatalf("transaction Bundle: %d %v", code, m)
	}
	if code, m := post("/fhir/Observation", "obs.json", obs); code != 201 || m["resourceType"] != "OperationOutcome" {
		t.Fatalf("Observation: %d %v", code, m)
	}

	// Consent through the daemon (the CLI finds it running).
	r.want(1, "Consent.provision.type", "", "consent", "import", "deny.json")
	if out := r.must("consent", "import", "--threshold", "1", "hr.json"); strings.Count(out, "grant ") != 1 || !strings.Contains(out, "heart-rate") {
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
	if err := json.Unmarshal([]byte(body), &rd); code != 200 || err != nil || !rd.Ready || len(rd.Checks) != 5 || !rd.Checks["purgeSync"].OK {
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
	code, b := httpDo(t, "GET", url, token, "")
	return code, string(b)
}
