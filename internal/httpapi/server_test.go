package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vaultnode/vaultnode/internal/fault"
)

func bareServer() *Server {
	return &Server{log: slog.New(slog.DiscardHandler), m: metrics{fhirRefused: prometheus.NewCounter(prometheus.CounterOpts{Name: "x"})}}
}

// Every error class is answered with its status and code on /v1 and with
// its status and FHIR issue code on /fhir (a chain outage was 500 on /fhir
// and 503 on /v1), and the client turns each answer back into the class.
func TestEveryClassAnsweredAsClassified(t *testing.T) {
	s := bareServer()
	for _, c := range fault.Classes {
		err := fmt.Errorf("%w: detail", c.Sentinel)
		rec := httptest.NewRecorder()
		s.fail(rec, err)
		var body apiError
		if jerr := json.Unmarshal(rec.Body.Bytes(), &body); jerr != nil || rec.Code != c.Status || body.Code != c.Code || body.Error != err.Error() {
			t.Errorf("%s on /v1: %d %s", c.Code, rec.Code, rec.Body)
		}
		if rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s on /v1: content type %q", c.Code, rec.Header().Get("Content-Type"))
		}
		if back := fault.Classify(fault.FromAPI(rec.Code, body.Code, body.Error)); back != c {
			t.Errorf("%s: the client reads it as %s", c.Code, back.Code)
		}

		rec = httptest.NewRecorder()
		s.failFHIR(rec, httptest.NewRequest("POST", "/fhir", nil), err)
		var oo struct {
			ResourceType string `json:"resourceType"`
			Issue        []struct {
				Code string `json:"code"`
			} `json:"issue"`
		}
		if jerr := json.Unmarshal(rec.Body.Bytes(), &oo); jerr != nil || rec.Code != c.Status || oo.ResourceType != "OperationOutcome" ||
			len(oo.Issue) != 1 || oo.Issue[0].Code != c.FHIR {
			t.Errorf("%s on /fhir: %d %s", c.Code, rec.Code, rec.Body)
		}
		if rec.Header().Get("Content-Type") != "application/fhir+json" {
			t.Errorf("%s on /fhir: content type %q", c.Code, rec.Header().Get("Content-Type"))
		}
	}
}

// Requests no route takes get the API's error body: JSON on /v1 (404, 405
// with Allow), an OperationOutcome under /fhir.
func TestMissesAreJSON(t *testing.T) {
	s := bareServer()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/patients", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, []string{}) })
	mux.HandleFunc("POST /fhir/Observation", func(w http.ResponseWriter, _ *http.Request) {})
	h := s.jsonMisses(mux)
	for _, tc := range []struct {
		method, path string
		status       int
		ctype, code  string
	}{
		{"GET", "/v1/nope", 404, "application/json", "not_found"},
		{"PUT", "/v1/patients", 405, "application/json", "method_not_allowed"},
		{"GET", "/fhir/Patient", 404, "application/fhir+json", "not-found"},
		{"GET", "/fhir/Observation", 405, "application/fhir+json", "not-supported"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status || rec.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("%s %s: %d %q %s", tc.method, tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			continue
		}
		if tc.status == 405 && rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
		}
		var m map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &m)
		got, _ := m["code"].(string)
		if is, ok := m["issue"].([]any); ok && len(is) > 0 {
			got, _ = is[0].(map[string]any)["code"].(string)
		}
		if got != tc.code {
			t.Errorf("%s %s: code %q, want %q (%s)", tc.method, tc.path, got, tc.code, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/patients", nil))
	if rec.Code != 200 {
		t.Errorf("a routed request: %d", rec.Code)
	}
}

// decodeJSON takes one JSON document: a second one after it is bad input,
// not silently ignored.
func TestDecodeJSONOneDocument(t *testing.T) {
	var v map[string]any
	r := httptest.NewRequest("POST", "/v1/grants", strings.NewReader(`{"a":1} {"a":2}`))
	if err := decodeJSON(r, &v); fault.Classify(err) != fault.BadInput {
		t.Fatalf("two documents: %v", err)
	}
	r = httptest.NewRequest("POST", "/v1/grants", strings.NewReader("{\"a\":1}\n"))
	if err := decodeJSON(r, &v); err != nil {
		t.Fatalf("one document: %v", err)
	}
	var g struct{ NotAfter time.Time }
	r = httptest.NewRequest("POST", "/v1/grants", strings.NewReader(`{"notAfter":"tomorrow"}`))
	if err := decodeJSON(r, &g); fault.Classify(err) != fault.BadInput || strings.Contains(err.Error(), "2006") || !strings.Contains(err.Error(), `"tomorrow"`) {
		t.Fatalf("a bad time: %v", err)
	}
	var mbe *http.MaxBytesError
	r = httptest.NewRequest("POST", "/v1/grants", strings.NewReader(`{"a":"`+strings.Repeat("x", 100)+`"}`))
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 10)
	if err := decodeJSON(r, &v); !errors.As(err, &mbe) {
		t.Fatalf("over the limit: %v", err)
	}
}

// A request naming another host (a DNS-rebinding page) is refused; the
// API's own address, by IP or as localhost, is answered.
func TestHostChecked(t *testing.T) {
	s := bareServer()
	s.AllowHosts("127.0.0.1:5780")
	h := s.checkHost(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, "ok") }))
	for host, want := range map[string]int{"127.0.0.1:5780": 200, "localhost:5780": 200, "[::1]:5780": 200, "LOCALHOST:5780": 200,
		"evil.example:5780": 403, "127.0.0.1:80": 403, "": 403} {
		r := httptest.NewRequest("GET", "/healthz", nil)
		r.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != want {
			t.Errorf("Host %q: %d, want %d", host, rec.Code, want)
		}
	}
}

// The token-free routes serve a bounded number of requests at a time and
// bodies of a bounded size: the others are refused at once (429), not
// queued, and an oversized body is 413.
func TestBoundedRoutes(t *testing.T) {
	s := bareServer()
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	h := s.bounded(2, 10, func(w http.ResponseWriter, r *http.Request) {
		if _, err := readAll(r); err != nil {
			s.fail(w, err)
			return
		}
		entered <- struct{}{}
		<-release
		writeJSON(w, 200, "ok")
	})
	done := make(chan int, 2)
	for i := range 2 {
		go func() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/v1/reencrypt", strings.NewReader("{}"))
			req.RemoteAddr = fmt.Sprintf("192.0.2.%d:1234", 10+i) // two clients: one may hold half the slots
			h(rec, req)
			done <- rec.Code
		}()
	}
	<-entered
	<-entered
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("POST", "/v1/reencrypt", strings.NewReader("{}")))
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("third concurrent request: %d %s", rec.Code, rec.Body)
	}
	close(release)
	if a, b := <-done, <-done; a != 200 || b != 200 {
		t.Fatalf("the admitted requests: %d %d", a, b)
	}
	rec = httptest.NewRecorder()
	h(rec, httptest.NewRequest("POST", "/v1/reencrypt", strings.NewReader(strings.Repeat("x", 11))))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("an 11-byte body on a 10-byte route: %d", rec.Code)
	}
}
