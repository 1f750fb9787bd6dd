package apispec

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vaultnode/vaultnode/docs"
)

func checker(t *testing.T) *Checker {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

var health = `{"status":"ok","peerId":"12D3KooWabc","chainHead":12,"chainReachable":true,"pendingCommitments":0,"pendingWrites":0,"peers":2,"batchesUnderReplicated":0}`

func jsonHeader(extra ...string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(extra); i += 2 {
		h.Add(extra[i], extra[i+1])
	}
	return h
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	return b.Bytes()
}

// Check accepts what the document says and refuses a wrong status, a wrong
// content type, a body that does not match its schema, a missing documented
// header, and an unknown route answered with anything but the JSON 404/405.
func TestCheck(t *testing.T) {
	c := checker(t)
	for _, tc := range []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body         []byte
		wantErr      string // "" - conforms
	}{
		{"health", "GET", "/healthz", 200, jsonHeader(), []byte(health), ""},
		{"health with charset", "GET", "/healthz?x=1", 200, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, []byte(health), ""},
		{"undocumented status", "GET", "/healthz", 418, jsonHeader(), []byte(health), "status 418 is not documented"},
		{"wrong content type", "GET", "/healthz", 200, http.Header{"Content-Type": {"text/plain"}}, []byte(health), "Content-Type"},
		{"no content type", "GET", "/healthz", 200, http.Header{}, []byte(health), "Content-Type"},
		{"missing field", "GET", "/healthz", 200, jsonHeader(), []byte(`{"status":"ok","chainHead":12,"chainReachable":true,"pendingCommitments":0,"pendingWrites":0,"peers":2,"batchesUnderReplicated":0}`), "peerId"},
		{"wrong field type", "GET", "/healthz", 200, jsonHeader(), []byte(strings.Replace(health, `12,`, `"12",`, 1)), "chainHead"},
		{"undocumented field", "GET", "/healthz", 200, jsonHeader(), []byte(strings.Replace(health, `}`, `,"extra":1}`, 1)), "extra"},
		{"not JSON", "GET", "/healthz", 200, jsonHeader(), []byte(`ok`), "decode"},
		{"error body", "GET", "/v1/grants/" + hex64, 503, jsonHeader(), []byte(`{"error":"dial tcp: refused","code":"chain_unavailable"}`), ""},
		{"error code of another status", "GET", "/v1/grants/" + hex64, 503, jsonHeader(), []byte(`{"error":"x","code":"internal"}`), "code"},
		{"error body of another shape", "GET", "/v1/grants/" + hex64, 503, jsonHeader(), []byte(`{"error":"chain_unavailable","message":"x"}`), "message"},
		{"null array", "GET", "/v1/patients", 200, jsonHeader(), []byte(`[{"pseudonym":"` + hex64 + `","mrn":"","streams":null,"created":"2025-01-02T03:04:05Z","subjectTag":"` + hex64 + `"}]`), "streams"},
		{"path parameter", "GET", "/v1/grants/" + hex64, 404, jsonHeader(), []byte(`{"error":"no grant","code":"not_found"}`), ""},
		{"binary block", "GET", "/v1/records/bafy", 200, http.Header{"Content-Type": {"application/octet-stream"}}, []byte{0, 1, 2}, ""},
		{"required header", "POST", "/v1/erasures", 201, jsonHeader(), []byte(`{}`), "Location"},
		{"FHIR refusal", "POST", "/fhir", 400, http.Header{"Content-Type": {"application/fhir+json"}},
			[]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"bad unit","expression":["Bundle.entry[3].resource.valueQuantity.unit"]}]}`), ""},
		{"FHIR refusal as JSON", "POST", "/fhir", 400, jsonHeader(), []byte(`{"error":"bad unit","code":"bad_input"}`), ""},
		{"FHIR refusal not an OperationOutcome", "POST", "/fhir", 400, http.Header{"Content-Type": {"application/fhir+json"}}, []byte(`{"error":"bad unit","code":"bad_input"}`), "resourceType"},
		{"metrics, gzip", "GET", "/metrics", 200, http.Header{"Content-Type": {"text/plain; version=0.0.4; charset=utf-8"}, "Content-Encoding": {"gzip"}}, gz("up 1\n"), ""},
		{"this document", "GET", "/v1/openapi.yaml", 200, http.Header{"Content-Type": {"application/yaml"}}, docs.OpenAPI, ""},
		{"HEAD", "HEAD", "/healthz", 200, jsonHeader(), nil, ""},
		{"HEAD, undocumented status", "HEAD", "/healthz", 201, jsonHeader(), nil, "status 201"},
		{"unknown path", "GET", "/v2/nothing", 404, jsonHeader(), []byte(`{"error":"no such route","code":"not_found"}`), ""},
		{"unknown path, text body", "GET", "/v2/nothing", 404, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, []byte("404 page not found\n"), "GET /v2/nothing"},
		{"unknown path, 200", "GET", "/v2/nothing", 200, jsonHeader(), []byte(health), "must be 404"},
		{"other method", "POST", "/healthz", 405, jsonHeader("Allow", "GET, HEAD"), []byte(`{"error":"POST not allowed","code":"method_not_allowed"}`), ""},
		{"other method, no Allow", "POST", "/healthz", 405, jsonHeader(), []byte(`{"error":"POST not allowed","code":"method_not_allowed"}`), "Allow"},
		{"other method, 404", "DELETE", "/v1/devices", 404, jsonHeader(), []byte(`{"error":"x","code":"not_found"}`), "must be 405"},
		{"FHIR unknown path", "GET", "/fhir/Patient/1", 404, http.Header{"Content-Type": {"application/fhir+json"}},
			[]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"no such endpoint"}]}`), ""},
		{"FHIR unknown path, JSON error", "GET", "/fhir/Patient/1", 404, jsonHeader(), []byte(`{"error":"no such endpoint","code":"not_found"}`), ""},
		{"FHIR other method", "GET", "/fhir", 405, http.Header{"Content-Type": {"application/fhir+json"}, "Allow": {"POST"}},
			[]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-supported","diagnostics":"GET /fhir"}]}`), ""},
		{"OperationOutcome outside /fhir", "GET", "/v2/nothing", 404, http.Header{"Content-Type": {"application/fhir+json"}},
			[]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}`), "Content-Type"},
		{"identity", "GET", "/v1/id", 200, jsonHeader(), []byte(`{"peerId":"12D3KooWabc","chainAccount":"0x00000000000000000000000000000000000000aB","addrs":[]}`), ""},
		{"identity with the repo", "GET", "/v1/id", 200, jsonHeader(), []byte(`{"peerId":"12D3KooWabc","chainAccount":"0x00000000000000000000000000000000000000aB","addrs":[],"repo":"/srv/vaultnode"}`), "repo"},
		{"other method on a path with a parameter", "PUT", "/v1/grants/" + hex64, 405, jsonHeader("Allow", "DELETE, GET, HEAD"), []byte(`{"error":"x","code":"method_not_allowed"}`), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:40000"+tc.path, nil)
			err := c.Check(req, tc.status, tc.header, tc.body)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("conforming response refused: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("non-conforming response accepted (want an error about %q)", tc.wantErr)
			case err != nil && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not mention %q", err, tc.wantErr)
			case err != nil && !strings.HasPrefix(err.Error(), tc.method+" "+strings.Split(tc.path, "?")[0]+": "):
				t.Fatalf("error %q does not start with the method and path", err)
			}
		})
	}
}

// Handler passes responses through unchanged and reports each one that
// does not conform.
func TestHandler(t *testing.T) {
	c := checker(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("bad") != "" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"ok"}`) // implicit 200, fields missing
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Header().Set("Content-Type", "text/plain") // after WriteHeader: not sent, not checked
		_, _ = io.WriteString(w, health)
	})
	mux.HandleFunc("GET /v1/patients", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `[]`) // no Content-Type: sniffed as text/plain, as net/http does
	})
	var mu sync.Mutex
	var reported []string
	srv := httptest.NewServer(c.Handler(mux, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err.Error())
	}))
	defer srv.Close()
	get := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := c.CheckResponse(resp); err != nil && path == "/healthz" && method == "GET" {
			t.Errorf("CheckResponse: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("GET", "/healthz"); code != 200 || body != health {
		t.Fatalf("the response was changed: %d %s", code, body)
	}
	get("GET", "/healthz?bad=1")
	get("GET", "/v1/patients")
	get("GET", "/nowhere")  // ServeMux's text/plain 404
	get("POST", "/healthz") // ServeMux's text/plain 405
	get("HEAD", "/healthz") // served by the GET handler
	mu.Lock()
	defer mu.Unlock()
	want := []string{"GET /healthz: 200: ", "GET /v1/patients: 200: ", "GET /nowhere: 404: ", "POST /healthz: 405: "}
	if len(reported) != len(want) {
		t.Fatalf("reported %d mismatches, want %d:\n%s", len(reported), len(want), strings.Join(reported, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(reported[i], w) {
			t.Errorf("report %d: %q, want it to start with %q", i, reported[i], w)
		}
	}
	t.Logf("reported:\n%s", strings.Join(reported, "\n"))
}

// Every error code of the document's Error schema is one a refusal can
// carry, and the per-status error schemas accept their own codes only.
func TestErrorCodes(t *testing.T) {
	c := checker(t)
	for status, code := range map[int]string{400: "bad_input", 401: "unauthenticated", 403: "forbidden", 409: "replay", 413: "too_large", 500: "integrity", 503: "chain_unavailable"} {
		body, _ := json.Marshal(map[string]string{"error": "x", "code": code})
		req := httptest.NewRequest("POST", "/v1/grants", nil)
		if err := c.Check(req, status, jsonHeader(), body); err != nil {
			t.Errorf("%d %s: %v", status, code, err)
		}
		if err := c.Check(req, status, jsonHeader(), []byte(`{"error":"x","code":"no_such_code"}`)); err == nil {
			t.Errorf("%d accepted an unknown code", status)
		}
	}
}
