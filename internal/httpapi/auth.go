package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/node"
)

// Authentication (docs/API.md): a bearer token names a person or system
// (node.TokenChecker) with a role; each route allows some roles. Every
// mutating call that passed authentication is recorded in the API's call
// log with the token's name; every refused authentication is counted
// (vaultnode_api_auth_failures_total{reason}) and logged, at most one line
// per reason every authLogEvery (with the number left out).

const authLogEvery = 10 * time.Second

type identityKey struct{}

// identityOf is the identity auth found for r, if any.
func identityOf(r *http.Request) (node.Identity, bool) {
	id, ok := r.Context().Value(identityKey{}).(node.Identity)
	return id, ok
}

// authState is the server's authentication bookkeeping.
type authState struct {
	failures *prometheus.CounterVec
	calls    *node.APILog
	perToken *inFlight

	mu         sync.Mutex
	lastLog    map[string]time.Time
	suppressed map[string]int
}

func newAuthState(reg *prometheus.Registry, calls *node.APILog) *authState {
	a := &authState{
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vaultnode_api_auth_failures_total",
			Help: "API requests refused for their bearer token, by reason (missing, unknown, expired, revoked, forbidden)."}, []string{"reason"}),
		calls: calls, perToken: newInFlight(perTokenInFlight), lastLog: map[string]time.Time{}, suppressed: map[string]int{},
	}
	for _, r := range []string{"missing", "unknown", "expired", "revoked", "forbidden"} {
		a.failures.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(a.failures)
	}
	return a
}

// SetCallLog makes the server record its authenticated mutating calls in l.
func (s *Server) SetCallLog(l *node.APILog) { s.authState().calls = l }

func (s *Server) authState() *authState {
	if s.authz == nil {
		s.authz = newAuthState(nil, nil)
	}
	return s.authz
}

// refused counts and (rate-limited) logs a refused authentication.
func (s *Server) refused(r *http.Request, reason, name string) {
	a := s.authState()
	a.failures.WithLabelValues(reason).Inc()
	a.mu.Lock()
	now := time.Now()
	if now.Sub(a.lastLog[reason]) < authLogEvery {
		a.suppressed[reason]++
		a.mu.Unlock()
		return
	}
	n := a.suppressed[reason]
	a.lastLog[reason], a.suppressed[reason] = now, 0
	a.mu.Unlock()
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	s.log.Warn("API authentication refused", "reason", reason, "token", name, "method", r.Method, "path", r.URL.Path, "remote", host, "moreSinceLastLine", n)
}

// auth checks the bearer token's role against the allowed roles, and
// records the call when it changes something.
func (s *Server) auth(roles ...string) func(http.HandlerFunc) http.HandlerFunc {
	return func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || tok == "" {
				s.refused(r, "missing", "")
				s.failFor(w, r, fmt.Errorf("%w: missing bearer token", fault.ErrUnauthenticated))
				return
			}
			id, err := s.tokens.Check(tok)
			if err != nil {
				reason := "unknown"
				switch {
				case errors.Is(err, node.ErrTokenExpired):
					reason = "expired"
				case errors.Is(err, node.ErrTokenRevoked):
					reason = "revoked"
				}
				s.refused(r, reason, id.Name)
				s.failFor(w, r, fmt.Errorf("%w: %w", fault.ErrUnauthenticated, err))
				return
			}
			allowed := false
			for _, want := range roles {
				allowed = allowed || id.Role == want
			}
			if !allowed {
				s.refused(r, "forbidden", id.Name)
				s.failFor(w, r, fmt.Errorf("%w: the %s token may not call this endpoint", fault.ErrForbidden, id.Role))
				return
			}
			// One person or system (a named token) has at most
			// perTokenInFlight requests in progress (limits.go). A role token
			// is shared by design (every device of the node sends the device
			// token): it is bounded by the routes' own limits only.
			if id.Name != id.Role {
				if !s.authState().perToken.acquire(id.Name) {
					s.failFor(w, r, rateLimited("the token %s already has %d requests in progress", id.Name, perTokenInFlight))
					return
				}
				defer s.authState().perToken.release(id.Name)
			}
			r = r.WithContext(context.WithValue(r.Context(), identityKey{}, id))
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				h(w, r)
				return
			}
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			h(sw, r)
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			call := node.APICall{Time: time.Now().UTC(), Token: id.Name, Role: id.Role, Method: r.Method, Path: r.URL.Path, Status: sw.status, Remote: host}
			if err := s.authState().calls.Record(call); err != nil {
				s.log.Error("API call log", "err", err)
			}
		}
	}
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// calls serves the API's call log: the last ?limit= calls (default 1000).
func (s *Server) calls(w http.ResponseWriter, r *http.Request) {
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			s.badInput(w, "limit: a number from 1 to 100000")
			return
		}
		limit = n
	}
	cs, err := s.authState().calls.Calls(limit)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}
