package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/vaultnode/vaultnode/internal/node"
)

// Refused authentications are counted, each, and logged at most once per
// reason every authLogEvery: a client trying tokens cannot flood the log.
func TestAuthFailuresCountedAndLogRateLimited(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, node.TokensDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, node.TokensDir, "operator"), []byte("vno_good\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tc, err := node.LoadTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := &Server{tokens: tc, log: slog.New(slog.NewTextHandler(&logs, nil))}
	s.authz = newAuthState(prometheus.NewRegistry(), nil)
	h := s.auth("operator")(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	for i := range 50 {
		req := httptest.NewRequest("GET", "/v1/patients", nil)
		req.Header.Set("Authorization", "Bearer guess-"+string(rune('a'+i%26)))
		rec := httptest.NewRecorder()
		h(rec, req)
		if rec.Code != 401 {
			t.Fatalf("unknown token: %d", rec.Code)
		}
	}
	req := httptest.NewRequest("GET", "/v1/patients", nil)
	req.Header.Set("Authorization", "Bearer vno_good")
	rec := httptest.NewRecorder()
	h(rec, req)
	if rec.Code != 204 {
		t.Fatalf("good token: %d", rec.Code)
	}
	var m dto.Metric
	if err := s.authz.failures.WithLabelValues("unknown").Write(&m); err != nil {
		t.Fatal(err)
	}
	if n := m.GetCounter().GetValue(); n != 50 {
		t.Fatalf("counted %v unknown-token failures, want 50", n)
	}
	if n := strings.Count(logs.String(), "API authentication refused"); n != 1 {
		t.Fatalf("%d log lines for 50 refusals within %v, want 1:\n%s", n, authLogEvery, logs.String())
	}
	if strings.Contains(logs.String(), "guess-") {
		t.Fatal("the log holds a presented token")
	}
}
