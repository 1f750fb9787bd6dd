package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/vaultnode/vaultnode/internal/apispec"
)

// specTransport checks every answer a test gets from a daemon's API
// against docs/openapi.yaml (status, content type, body schema); TestMain
// fails the run when any did not match.
type specTransport struct {
	next http.RoundTripper
	chk  *apispec.Checker

	mu         sync.Mutex
	violations []string
	checked    int
}

func (s *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(req)
	if err != nil || !isAPIPath(req.URL.Path) {
		return resp, err
	}
	b, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if rerr != nil {
		return resp, nil
	}
	cerr := s.chk.Check(req, resp.StatusCode, resp.Header, b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checked++
	if cerr != nil {
		s.violations = append(s.violations, fmt.Sprintf("%s %s → %d: %v", req.Method, req.URL.Path, resp.StatusCode, cerr))
	}
	return resp, nil
}

func isAPIPath(p string) bool {
	for _, pre := range []string{"/v1/", "/fhir", "/healthz", "/readyz", "/metrics"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// installSpecCheck makes the default HTTP client check every API answer.
func installSpecCheck() (*specTransport, error) {
	chk, err := apispec.New()
	if err != nil {
		return nil, err
	}
	st := &specTransport{next: pinnedTransport(), chk: chk}
	http.DefaultTransport = st
	return st, nil
}

// report is the check's verdict: an error listing every answer that did
// not match the document.
func (s *specTransport) report() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(os.Stderr, "%d API answers checked against docs/openapi.yaml\n", s.checked)
	if len(s.violations) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d API answers do not match docs/openapi.yaml:\n  %s", len(s.violations), s.checked, strings.Join(s.violations, "\n  "))
}
