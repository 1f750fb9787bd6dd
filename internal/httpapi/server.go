package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vaultnode/vaultnode/docs"
	"github.com/vaultnode/vaultnode/internal/console"
	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// Server is the HTTP API of one node.
type Server struct {
	n      *node.Node
	svc    *service.Local
	tokens *node.TokenChecker
	log    *slog.Logger
	max    int64
	reg    *prometheus.Registry
	m      metrics
	// hosts are the Host header values the API answers (set by
	// AllowHosts); empty: any.
	hosts map[string]bool
	authz *authState // auth.go
}

// AllowHosts makes the API answer only requests whose Host header names the
// address it listens on (addr, host:port): its IP, or localhost for a
// loopback address. A web page whose DNS name was rebound to 127.0.0.1
// sends its own name and is refused, so it cannot read even the public
// routes.
func (s *Server) AllowHosts(addr string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return
	}
	s.hosts = map[string]bool{net.JoinHostPort(host, port): true}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
			s.hosts[net.JoinHostPort(h, port)] = true
		}
	}
}

// checkHost refuses requests for another host than the API's (see
// AllowHosts).
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Answers name patients, grants and access history, and carry
		// encrypted records: no browser or proxy cache keeps a copy (a
		// shared workstation's disk cache would outlive the session and an
		// erasure), and no browser guesses another content type.
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if s.hosts != nil && !s.hosts[strings.ToLower(r.Host)] {
			s.failFor(w, r, fmt.Errorf("%w: this API answers only for its own address, not for host %q", fault.ErrForbidden, r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// New is the API of n, authenticating with tokens and logging to lg.
func New(n *node.Node, tokens *node.TokenChecker, lg *slog.Logger) *Server {
	s := &Server{n: n, svc: service.NewLocal(n), tokens: tokens, log: lg, max: n.Cfg.API.MaxBodyBytes, reg: prometheus.NewRegistry()}
	s.m = newMetrics(s.reg, n)
	s.authz = newAuthState(s.reg, nil)
	return s
}

// apiError is the JSON error body of the API.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers err with the status and code of its class. An internal
// error is logged; its message still goes to the (authenticated, local)
// caller.
func (s *Server) fail(w http.ResponseWriter, err error) {
	c := fault.Classify(err)
	if c == fault.Internal {
		s.log.Error("request failed", "err", err)
	}
	writeJSON(w, c.Status, apiError{Error: err.Error(), Code: c.Code})
}

// badInput answers 400 with msg.
func (s *Server) badInput(w http.ResponseWriter, format string, a ...any) {
	s.fail(w, fmt.Errorf("%w: %s", node.ErrBadInput, fmt.Sprintf(format, a...)))
}

// failFor answers err as the route of r does: an OperationOutcome under
// /fhir, else the JSON error body.
func (s *Server) failFor(w http.ResponseWriter, r *http.Request, err error) {
	if r.URL.Path == "/fhir" || strings.HasPrefix(r.URL.Path, "/fhir/") {
		s.failFHIR(w, r, err)
		return
	}
	s.fail(w, err)
}

// Handler is the API's root handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	dev := s.auth("device", "operator")
	op := s.auth("operator")
	dpo := s.auth("dpo")
	opdpo := s.auth("operator", "dpo")
	mux.HandleFunc("POST /v1/readings", dev(s.readings))
	mux.HandleFunc("POST /fhir/Observation", dev(s.fhirIngest))
	mux.HandleFunc("POST /fhir", dev(s.fhirIngest))
	mux.HandleFunc("POST /fhir/Consent", op(s.bounded(4, 1<<20, s.fhirConsent)))
	mux.HandleFunc("GET /fhir/metadata", s.fhirMetadata)
	mux.HandleFunc("GET /v1/records/{cid}", s.bounded(16, 0, s.record))
	mux.HandleFunc("POST /v1/grants", op(limitBody(smallBody, s.grant)))
	mux.HandleFunc("POST /v1/claims", op(limitBody(smallBody, s.proveClaim)))
	mux.HandleFunc("POST /v1/claims/verify", s.bounded(4, 64<<10, s.claimVerify))
	mux.HandleFunc("DELETE /v1/grants/{id}", op(s.revoke))
	mux.HandleFunc("GET /v1/grants/{id}", s.grantGet)
	mux.HandleFunc("POST /v1/reencrypt", s.bounded(32, 64<<10, s.reencrypt))
	mux.HandleFunc("POST /v1/erasures", dpo(limitBody(smallBody, s.erase)))
	mux.HandleFunc("GET /v1/erasures/{id}", dpo(s.erasureGet))
	mux.HandleFunc("POST /v1/erasures/refusals", dpo(limitBody(smallBody, s.refuse)))
	mux.HandleFunc("POST /v1/erasures/verify", s.bounded(4, 1<<20, s.erasureVerify))
	mux.HandleFunc("GET /v1/audit", opdpo(s.audit))
	mux.HandleFunc("GET /v1/audit/disclosures", opdpo(s.disclosures))
	mux.HandleFunc("GET /v1/audit/calls", opdpo(s.calls))
	mux.HandleFunc("GET /v1/members", op(s.memberList))
	mux.HandleFunc("POST /v1/members", op(limitBody(smallBody, s.member)))
	mux.HandleFunc("POST /v1/manufacturers", op(limitBody(smallBody, s.manufacturer)))
	mux.HandleFunc("POST /v1/devices", op(limitBody(smallBody, s.deviceEnroll)))
	mux.HandleFunc("POST /v1/devices/units", op(limitBody(smallBody, s.unitEnroll)))
	mux.HandleFunc("GET /v1/devices/{id}/history", op(s.deviceHistory))
	mux.HandleFunc("GET /v1/recalls/impact", op(s.recallImpact))
	mux.HandleFunc("GET /v1/recalls/impact/consortium", op(s.consortiumRecallImpact))
	mux.HandleFunc("POST /v1/devices/{id}/updates", dev(limitBody(smallBody, s.deviceUpdate)))
	mux.HandleFunc("DELETE /v1/devices/{id}/quarantine", op(s.deviceReleaseQuarantine))
	mux.HandleFunc("POST /v1/devices/{id}/custody", op(limitBody(smallBody, s.deviceCustody)))
	mux.HandleFunc("DELETE /v1/devices/{id}", op(s.deviceRevoke))
	mux.HandleFunc("GET /v1/devices", op(s.deviceList))
	mux.HandleFunc("POST /v1/patients", op(limitBody(smallBody, s.patientCreate)))
	mux.HandleFunc("GET /v1/patients", op(s.patientList))
	mux.HandleFunc("GET /v1/patients/{patient}/implants", op(s.patientImplants))
	mux.HandleFunc("POST /v1/commitments", s.bounded(16, smallBody, s.commitments))
	mux.HandleFunc("GET /v1/streams/{tag}/pending", s.bounded(16, 0, s.streamPending))
	mux.HandleFunc("GET /v1/tickets", s.auth("operator", node.ClinicianRole)(s.ticket))
	mux.HandleFunc("GET /v1/verify", opdpo(s.verify))
	mux.HandleFunc("GET /v1/id", s.identity)
	mux.HandleFunc("GET /v1/whoami", s.auth(node.TokenRoles...)(s.whoami))
	mux.HandleFunc("POST /v1/tokens/patient", op(limitBody(smallBody, s.patientToken)))
	mux.HandleFunc("GET /v1/me", s.patientOnly(s.me))
	mux.HandleFunc("POST /v1/me/grants", limitBody(smallBody, s.patientOnly(s.meGrant)))
	mux.HandleFunc("DELETE /v1/me/grants/{id}", s.patientOnly(s.meRevoke))
	mux.HandleFunc("GET /v1/me/access", s.patientOnly(s.meAccess))
	mux.HandleFunc("POST /v1/me/erasure-requests", limitBody(smallBody, s.patientOnly(s.meErasureRequest)))
	mux.HandleFunc("GET /v1/erasures/requests", dpo(s.erasureRequests))
	mux.HandleFunc("GET /v1/openapi.yaml", s.openAPI)
	mux.Handle("GET /ui/", console.Handler("/ui/"))
	mux.Handle("GET /ui", http.RedirectHandler("/ui/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	return s.checkHost(http.MaxBytesHandler(s.jsonMisses(mux), s.max))
}

// bounded serves h to at most n requests at a time (others are refused as
// rate limited at once, not queued) with bodies of at most maxBody bytes
// (0: the API's limit). It guards the routes that need no token, and so
// could be flooded by anyone who reaches the API, from holding memory and
// goroutines without bound.
func (s *Server) bounded(n int, maxBody int64, h http.HandlerFunc) http.HandlerFunc {
	sem := make(chan struct{}, n)
	// One client takes at most half of the route's slots (limits.go).
	perClient := newInFlight(max(1, n/2))
	return func(w http.ResponseWriter, r *http.Request) {
		key := clientKey(r)
		if !perClient.acquire(key) {
			s.failFor(w, r, rateLimited("this client already has %d requests of %s in progress", perClient.max, r.URL.Path))
			return
		}
		defer perClient.release(key)
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		default:
			s.failFor(w, r, fmt.Errorf("%w: %d requests of %s are already being served; try again", fault.ErrRateLimited, n, r.URL.Path))
			return
		}
		if maxBody > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		h(w, r)
	}
}

// jsonMisses answers the requests mux has no route for (unknown path 404,
// known path with another method 405) with the API's error body instead of
// the mux's text.
func (s *Server) jsonMisses(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		if allow := rec.Header().Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		var err error
		switch rec.Code {
		case http.StatusMethodNotAllowed:
			err = fmt.Errorf("%w: %s %s (allowed: %s)", fault.ErrMethodNotAllowed, r.Method, r.URL.Path, rec.Header().Get("Allow"))
		case http.StatusNotFound:
			err = fmt.Errorf("%w: no such endpoint: %s %s", node.ErrNotFound, r.Method, r.URL.Path)
		default:
			// A redirect the mux chose (a path to clean): pass it on.
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		s.failFor(w, r, err)
	})
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(docs.OpenAPI)
}

// decodeJSON decodes one JSON document, with no unknown field and nothing
// after it, into v. The body must be valid UTF-8: the decoder would turn
// invalid bytes into U+FFFD, so that two different byte strings (two MRNs)
// would become one.
func decodeJSON(r *http.Request, v any) error {
	body, err := readAll(r)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		return fmt.Errorf("%w: JSON body: not valid UTF-8", node.ErrBadInput)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// A time the decoder cannot read: name the value, not Go's layout.
		var pe *time.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%w: JSON body: %q is not an RFC 3339 time (2026-03-01T08:00:00Z)", node.ErrBadInput, strings.Trim(pe.Value, `"`))
		}
		return fmt.Errorf("%w: JSON body: %v", node.ErrBadInput, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: JSON body: more than one JSON document", node.ErrBadInput)
	}
	return nil
}

// readAll reads a whole request body (the route's limit applies).
func readAll(r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}
