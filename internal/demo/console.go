package demo

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/internal/httpapi"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
)

// ConsolePassphrase seals the demo clinician's key file (a demo, on this
// machine only: a real key file's passphrase is the clinician's).
const ConsolePassphrase = "demo clinician"

// serveConsole gives hospital A's API, with its web console (/ui/), a story
// to show once the narrated one (whose patient ends erased) is over: a
// second patient with a week of CGM readings, a clinician key file granted
// them, and the tokens to sign in with; then serves it until ctx ends.
func serveConsole(ctx context.Context, w io.Writer, a *node.Node, repo, dir string, readings int) error {
	pt, err := a.Keys.CreatePatient(ctx, "MRN-0043")
	if err != nil {
		return err
	}
	_, priv, err := a.EnrollDevice(ctx, "cgm-18")
	if err != nil {
		return err
	}
	defer clear(priv)
	start := time.Now().Add(-time.Duration(readings) * 5 * time.Minute).Truncate(time.Minute)
	lines := make([][]byte, readings)
	for i := range lines {
		lines[i] = fmt.Appendf(nil, `{"device":"cgm-18","patient":"MRN-0043","stream":"glucose","time":"%s","value":%.1f,"unit":"mmol/L","code":"loinc:15074-8"}`,
			start.Add(time.Duration(i)*5*time.Minute).Format(time.RFC3339), glucoseAt(i))
	}
	b, err := node.ParseBatch(strings.NewReader(string(node.SignedBatch(priv, "cgm-18", lines))), 0)
	if err != nil {
		return err
	}
	if _, err := a.Ingest(ctx, "cgm-18", b); err != nil {
		return err
	}
	keyFile := filepath.Join(dir, "dr-ito.key")
	pub, err := node.WriteGranteeKey(keyFile, "", keys.Passphrase([]byte(ConsolePassphrase)), keys.Argon2Params{})
	if err != nil {
		return err
	}
	if _, err := a.Grant(ctx, node.GrantRequest{Patient: pt.Pseudonym.String(), Stream: "glucose", Grantee: pub,
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(7 * 24 * time.Hour), M: 2, N: 3}); err != nil {
		return err
	}
	clinTok, _, err := node.CreateToken(repo, "dr-ito", node.ClinicianRole, 24*time.Hour, time.Now())
	if err != nil {
		return err
	}
	patTok, _, err := node.CreatePatientToken(repo, "mrn-0043", pt.Pseudonym.String(), 24*time.Hour, time.Now())
	if err != nil {
		return err
	}
	tokens, err := node.LoadTokens(repo)
	if err != nil {
		return err
	}
	dpoTok, _ := node.ReadToken(repo, "dpo")
	opTok, _ := node.ReadToken(repo, "operator")
	tlsConf, certFile, err := a.APITLS(repo)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	api := httpapi.New(a, tokens, a.Log)
	api.AllowHosts(ln.Addr().String())
	srv := &http.Server{Handler: api.Handler(), TLSConfig: tlsConf, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, "", "") }()
	for a.Chain.PendingCommitments() > 0 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprintf(w, `
The web console of hospital A: https://%s/ui/
  (its certificate is the node's own, %s: let your browser accept it)
Sign in with one of these tokens (valid 24 h, this demo only):
  clinician  %s   then open %s, passphrase %q
  patient    %s   (MRN-0043)
  DPO        %s
  operator   %s
Serving until Ctrl-C.
`, ln.Addr(), certFile, clinTok, keyFile, ConsolePassphrase, patTok, dpoTok, opTok)
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// glucoseAt is a day's glucose curve with meals, in mmol/L.
func glucoseAt(i int) float64 {
	h := float64(i%288) / 12
	v := 6.0
	for _, meal := range []float64{7.5, 12.5, 19} {
		if d := h - meal; d > 0 && d < 3 {
			v += 4.5 * d * (3 - d) / 2.25
		}
	}
	return v + jitter()
}
