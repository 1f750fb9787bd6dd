package httpapi

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/internal/fhirschema"
	"github.com/vaultnode/vaultnode/internal/node"
)

// MRNSystem is the identifier system the test node's MRNs belong to.
const MRNSystem = "urn:oid:1.2.36.146.595.217.0.1"

// fhirEnv is one node (offline, embedded chain) behind its API handler,
// with patient MRN-1 and device cgm-1.
type fhirEnv struct {
	dir    string
	n      *node.Node
	h      http.Handler
	dev    ed25519.PrivateKey
	tokens map[string]string
}

func newFHIREnv(t testing.TB, maxBody int64) *fhirEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	lg := slog.New(slog.DiscardHandler)
	c := node.DefaultConfig()
	c.P2P.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	c.Patients.IdentifierSystems = []string{MRNSystem}
	if maxBody > 0 {
		c.API.MaxBodyBytes = maxBody
	}
	repo := filepath.Join(dir, "repo")
	if _, err := node.Init(ctx, repo, node.InitOptions{Config: c, KeyFile: filepath.Join(dir, "master.key"), Logger: lg}); err != nil {
		t.Fatal(err)
	}
	e := &fhirEnv{dir: dir, tokens: map[string]string{}}
	e.open(t)
	if _, err := e.n.Keys.CreatePatient(ctx, "MRN-1"); err != nil {
		t.Fatal(err)
	}
	_, priv, err := e.n.EnrollDevice(ctx, "cgm-1")
	if err != nil {
		t.Fatal(err)
	}
	e.dev = priv
	for _, r := range node.Roles {
		tok, err := node.ReadToken(repo, r)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = tok
	}
	return e
}

// open (re)opens the node and its API, as a daemon restart does.
func (e *fhirEnv) open(t testing.TB) {
	t.Helper()
	lg := slog.New(slog.DiscardHandler)
	repo := filepath.Join(e.dir, "repo")
	n, err := node.Open(context.Background(), repo, node.Options{Logger: lg, Offline: true, CommitInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	tc, err := node.LoadTokens(repo)
	if err != nil {
		t.Fatal(err)
	}
	e.n, e.h = n, New(n, tc, lg).Handler()
}

func (e *fhirEnv) restart(t testing.TB) {
	t.Helper()
	if err := e.n.Close(); err != nil {
		t.Fatal(err)
	}
	e.open(t)
}

// post sends body signed by the device, as an EHR interface does (Accept
// application/fhir+json) unless accept says otherwise.
func (e *fhirEnv) post(t testing.TB, path string, body []byte, accept string) *httptest.ResponseRecorder {
	t.Helper()
	sig := ed25519.Sign(e.dev, append([]byte(node.FHIRDomain+"cgm-1\n"), body...))
	r := httptest.NewRequest("POST", path+"?device=cgm-1", bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+e.tokens["device"])
	r.Header.Set("Content-Type", "application/fhir+json")
	r.Header.Set("X-Vaultnode-Signature", base64.StdEncoding.EncodeToString(sig))
	if accept == "" {
		accept = "application/fhir+json"
	}
	r.Header.Set("Accept", accept)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	return rec
}

func example(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "node", "testdata", "fhir", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fhirBody checks a FHIR answer: its content type and the R4 schema.
func fhirBody(t *testing.T, what string, rec *httptest.ResponseRecorder, status int) map[string]any {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("%s: status %d, want %d: %s", what, rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/fhir+json" {
		t.Errorf("%s: Content-Type %q, want application/fhir+json", what, ct)
	}
	fhirschema.Check(t, what, rec.Body.Bytes())
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return m
}

var locationRE = regexp.MustCompile(`^Observation/[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/_history/1$`)

func responses(t *testing.T, m map[string]any, typ string) []map[string]any {
	t.Helper()
	if m["resourceType"] != "Bundle" || m["type"] != typ {
		t.Fatalf("got %v %v, want a %s Bundle", m["resourceType"], m["type"], typ)
	}
	var out []map[string]any
	for _, e := range m["entry"].([]any) {
		out = append(out, e.(map[string]any)["response"].(map[string]any))
	}
	return out
}

// A transaction is answered with a transaction-response Bundle, one entry
// per Observation with its status and location (it was a vaultnode
// receipt); the CLI (Accept: application/json) still gets the receipt.
func TestFHIRTransactionResponse(t *testing.T) {
	fhirschema.Require(t)
	e := newFHIREnv(t, 0)
	body := example(t, "bundle-transaction.json")
	rs := responses(t, fhirBody(t, "transaction-response", e.post(t, "/fhir", body, ""), 200), "transaction-response")
	if len(rs) != 4 {
		t.Fatalf("%d response entries, want 4", len(rs))
	}
	seen := map[string]bool{}
	for i, r := range rs {
		loc, _ := r["location"].(string)
		if r["status"] != "201 Created" || !locationRE.MatchString(loc) || seen[loc] || r["outcome"] == nil {
			t.Errorf("entry %d: %v", i, r)
		}
		seen[loc] = true
	}
	// The CLI's receipt, for the same bytes (a retry: nothing stored again).
	rec := e.post(t, "/fhir", body, "application/json")
	var rc node.Receipt
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || json.Unmarshal(rec.Body.Bytes(), &rc) != nil || !rc.Replayed || rc.Readings != 4 {
		t.Fatalf("CLI receipt: %d %s", rec.Code, rec.Body)
	}
	// A batch Bundle gets a batch-response; a single create 201 + Location.
	batch := bytes.Replace(example(t, "bundle-batch.json"), []byte("2026-03-01T08:0"), []byte("2026-03-02T08:0"), -1)
	responses(t, fhirBody(t, "batch-response", e.post(t, "/fhir", batch, ""), 200), "batch-response")
	rec = e.post(t, "/fhir/Observation", example(t, "observation-glucose.json"), "")
	fhirBody(t, "create", rec, 201)
	if !locationRE.MatchString(rec.Header().Get("Location")) {
		t.Fatalf("create: Location %q", rec.Header().Get("Location"))
	}
}

// conditionalBundle: n Observations, each with identifier
// urn:example:obs|<id> and ifNoneExist on it.
func conditionalBundle(ids []string, bundleID string) []byte {
	var es []string
	for i, id := range ids {
		es = append(es, fmt.Sprintf(`{"fullUrl":"urn:uuid:00000000-0000-4000-8000-%012d","resource":{"resourceType":"Observation","identifier":[{"system":"urn:example:obs","value":%q}],"status":"final",
"code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"subject":{"reference":"Patient/MRN-1"},"effectiveDateTime":"2026-03-01T08:%02d:00Z",
"valueQuantity":{"value":5.%d,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}},
"request":{"method":"POST","url":"Observation","ifNoneExist":"identifier=urn:example:obs|%s"}}`, i, id, i, i, id))
	}
	return []byte(`{"resourceType":"Bundle","id":"` + bundleID + `","type":"transaction","entry":[` + strings.Join(es, ",") + `]}`)
}

// ifNoneExist is honoured: a re-posted transaction (other bytes, same
// identifiers) stores nothing and answers 200 with the existing locations,
// also after a restart. Before, it was stored again.
func TestFHIRConditionalCreate(t *testing.T) {
	fhirschema.Require(t)
	e := newFHIREnv(t, 0)
	first := responses(t, fhirBody(t, "first", e.post(t, "/fhir", conditionalBundle([]string{"a", "b"}, "upload-1"), ""), 200), "transaction-response")
	for i, r := range first {
		if r["status"] != "201 Created" {
			t.Fatalf("first post, entry %d: %v", i, r)
		}
	}
	check := func(label string) {
		t.Helper()
		// Other bytes (another Bundle id), the same two identifiers and a new one.
		rec := e.post(t, "/fhir", conditionalBundle([]string{"a", "b", "c"}, "upload-2-"+label), "")
		again := responses(t, fhirBody(t, label, rec, 200), "transaction-response")
		for i := range 2 {
			if again[i]["status"] != "200 OK" || again[i]["location"] != first[i]["location"] {
				t.Fatalf("%s, entry %d: %v, want 200 at %v", label, i, again[i], first[i]["location"])
			}
		}
		if !locationRE.MatchString(again[2]["location"].(string)) {
			t.Fatalf("%s, new entry: %v", label, again[2])
		}
		// Re-posting only the known ones stores nothing at all.
		rec = e.post(t, "/fhir", conditionalBundle([]string{"a", "b"}, "upload-3-"+label), "application/json")
		var rc node.Receipt
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &rc) != nil || len(rc.Batches) != 0 {
			t.Fatalf("%s: known identifiers stored again: %d %s", label, rec.Code, rec.Body)
		}
	}
	check("re-posted")
	e.restart(t)
	check("after-restart")
	// An ifNoneExist without a system, or naming another identifier, is refused.
	bad := bytes.Replace(conditionalBundle([]string{"d"}, "x"), []byte("identifier=urn:example:obs|d"), []byte("identifier=d"), 1)
	oo := fhirBody(t, "ifNoneExist without system", e.post(t, "/fhir", bad, ""), 400)
	if !strings.Contains(mustJSON(oo), "Bundle.entry[0].request.ifNoneExist") {
		t.Fatalf("refusal does not name the element: %v", oo)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The patient is never matched by an identifier's value alone: another
// system (an SSN whose value happens to be a local MRN), no system, or a
// Patient/ reference the node cannot resolve are refused naming the
// element. The SSN case was filed under MRN-1 before.
func TestFHIRPatientIdentity(t *testing.T) {
	fhirschema.Require(t)
	e := newFHIREnv(t, 0)
	obs := func(subject string) []byte {
		return []byte(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"subject":` + subject +
			`,"effectiveDateTime":"2026-03-01T09:00:00Z","valueQuantity":{"value":5.8,"unit":"mmol/L"}}`)
	}
	for _, c := range []struct {
		name, subject, expr string
	}{
		{"other system", `{"identifier":{"system":"http://hl7.org/fhir/sid/us-ssn","value":"MRN-1"}}`, "Observation.subject.identifier.system"},
		{"no system", `{"identifier":{"value":"MRN-1"}}`, "Observation.subject.identifier.system"},
		{"unknown MRN", `{"identifier":{"system":"` + MRNSystem + `","value":"MRN-404"}}`, "Observation.subject.identifier.value"},
		{"unresolvable reference", `{"reference":"Patient/MRN-404"}`, "Observation.subject.reference"},
	} {
		oo := fhirBody(t, c.name, e.post(t, "/fhir/Observation", obs(c.subject), ""), 400)
		if !strings.Contains(mustJSON(oo), `"expression":["`+c.expr+`"]`) {
			t.Errorf("%s: %v, want the expression %s", c.name, oo, c.expr)
		}
	}
	fhirBody(t, "configured system", e.post(t, "/fhir/Observation", obs(`{"identifier":{"system":"`+MRNSystem+`","value":"MRN-1"}}`), ""), 201)
}

// Every error under /fhir is an OperationOutcome (application/fhir+json,
// valid R4): 401, 403, 404, 405, 413, 415, and the refusals of the node.
func TestFHIRErrorsAreOperationOutcomes(t *testing.T) {
	fhirschema.Require(t)
	e := newFHIREnv(t, 64<<10)
	req := func(method, path, token, ctype string, body []byte) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, bytes.NewReader(body))
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		return rec
	}
	obs := example(t, "observation-glucose.json")
	for _, c := range []struct {
		name   string
		rec    *httptest.ResponseRecorder
		status int
	}{
		{"401 no token", req("POST", "/fhir", "", "application/fhir+json", obs), 401},
		{"401 unknown token", req("POST", "/fhir", "nope", "application/fhir+json", obs), 401},
		{"403 dpo token", req("POST", "/fhir", e.tokens["dpo"], "application/fhir+json", obs), 403},
		{"404 unknown resource", req("GET", "/fhir/Patient/1", e.tokens["device"], "", nil), 404},
		{"405 read", req("GET", "/fhir/Observation", e.tokens["device"], "", nil), 405},
		{"413 too large", e.post(t, "/fhir", bytes.Repeat([]byte(" "), 100<<10), ""), 413},
		{"415 form", req("POST", "/fhir?device=cgm-1", e.tokens["device"], "application/x-www-form-urlencoded", obs), 415},
		{"400 no signature", req("POST", "/fhir?device=cgm-1", e.tokens["device"], "application/fhir+json", obs), 422},
		{"400 invalid", e.post(t, "/fhir", []byte(`{"resourceType":"Observation"}`), ""), 400},
		{"403 unknown device", func() *httptest.ResponseRecorder {
			noDev := []byte(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"subject":{"reference":"Patient/MRN-1"},"effectiveDateTime":"2026-03-01T09:00:00Z","valueQuantity":{"value":5.8,"unit":"mmol/L"}}`)
			r := httptest.NewRequest("POST", "/fhir?device=pump-9", bytes.NewReader(noDev))
			r.Header.Set("Authorization", "Bearer "+e.tokens["device"])
			r.Header.Set("X-Vaultnode-Signature", base64.StdEncoding.EncodeToString(make([]byte, 64)))
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, r)
			return rec
		}(), 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := fhirBody(t, c.name, c.rec, c.status)
			if m["resourceType"] != "OperationOutcome" {
				t.Fatalf("%v", m)
			}
		})
	}
}

// GET /fhir/metadata: a valid CapabilityStatement listing what /fhir does.
func TestFHIRMetadata(t *testing.T) {
	fhirschema.Require(t)
	e := newFHIREnv(t, 0)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest("GET", "/fhir/metadata", nil))
	m := fhirBody(t, "CapabilityStatement", rec, 200)
	s := mustJSON(m)
	for _, want := range []string{`"resourceType":"CapabilityStatement"`, `"fhirVersion":"4.0.0"`, `"type":"Observation"`, `"conditionalCreate":true`,
		`"type":"Consent"`, `"code":"transaction"`, `"code":"batch"`} {
		if !strings.Contains(s, want) {
			t.Errorf("CapabilityStatement lacks %s", want)
		}
	}
	if strings.Contains(s, `"code":"read"`) || strings.Contains(s, `"code":"search-type"`) {
		t.Error("CapabilityStatement claims read or search")
	}
}

var _ = io.Discard

// GET /v1/streams/{tag}/pending: the custodian tells a fetch through the
// API how many acknowledged batches the chain does not list yet; another
// node's stream is not known.
func TestStreamPending(t *testing.T) {
	e := newFHIREnv(t, 0)
	get := func(tag string) map[string]any {
		t.Helper()
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/streams/"+tag+"/pending", nil))
		var m map[string]any
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &m) != nil {
			t.Fatalf("pending: %d %s", rec.Code, rec.Body)
		}
		return m
	}
	if m := get(strings.Repeat("ab", 32)); m["known"] != false || m["pending"] != float64(0) {
		t.Fatalf("unknown stream: %v", m)
	}
	if rec := e.post(t, "/fhir/Observation", example(t, "observation-glucose.json"), ""); rec.Code != 201 {
		t.Fatalf("ingest: %d %s", rec.Code, rec.Body)
	}
	pt, err := e.n.Keys.ResolvePatient(context.Background(), "MRN-1")
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.n.Keys.Stream(context.Background(), pt.Pseudonym, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("%x", st.Tag[:])
	if m := get(tag); m["known"] != true {
		t.Fatalf("custodian's stream: %v", m)
	}
	deadline := time.Now().Add(30 * time.Second)
	for get(tag)["pending"] != float64(0) {
		if time.Now().After(deadline) {
			t.Fatalf("the batch was never committed: %v", get(tag))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
