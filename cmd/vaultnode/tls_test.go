package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The API is HTTPS (issue 18): init makes a self-signed certificate
// (repo/api.crt) whose key is derived from the node identity and never
// stored; the daemon serves TLS with it; the CLI pins it (--api-cert, or the
// repo's own daemon's); a client that does not trust it is refused with the
// hint; a plain HTTP request gets no answer. api.plainHTTP is loopback only.
func TestAPIServesTLS(t *testing.T) {
	r := newRepo(t)
	certPath := filepath.Join(r.dir, "repo", "api.crt")
	pemBytes, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatalf("init made no API certificate: %v", err)
	}
	blk, _ := pem.Decode(pemBytes)
	if blk == nil {
		t.Fatalf("api.crt is not PEM:\n%s", pemBytes)
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil || cert.VerifyHostname("127.0.0.1") != nil || cert.VerifyHostname("localhost") != nil {
		t.Fatalf("api.crt: %v; it must cover 127.0.0.1 and localhost", err)
	}
	// No private key anywhere in the repo outside the keystore.
	_ = filepath.Walk(filepath.Join(r.dir, "repo"), func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || strings.Contains(p, string(filepath.Separator)+"keystore"+string(filepath.Separator)) || fi.Size() > 1<<20 {
			return nil
		}
		if b, _ := os.ReadFile(p); strings.Contains(string(b), "PRIVATE KEY") {
			t.Errorf("%s holds a private key", p)
		}
		return nil
	})

	api := startDaemon(t, r)
	if !strings.HasPrefix(api, "https://127.0.0.1:") {
		t.Fatalf("daemon API %s: want https", api)
	}
	var info struct{ APICert string }
	if b, err := os.ReadFile(filepath.Join(r.dir, "repo", "daemon.json")); err != nil || json.Unmarshal(b, &info) != nil || info.APICert == "" {
		t.Fatalf("daemon.json names no API certificate: %v", err)
	}
	// The certificate served is the repo's.
	conn, err := tls.Dial("tcp", strings.TrimPrefix(api, "https://"), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := conn.ConnectionState().PeerCertificates[0].Raw; string(got) != string(blk.Bytes) {
		t.Fatal("the daemon serves another certificate than repo/api.crt")
	}
	conn.Close()
	// Plain HTTP gets no API answer.
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}} // not the OpenAPI check: no API answer is expected
	if resp, err := hc.Get("http://" + strings.TrimPrefix(api, "https://") + "/healthz"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 || strings.Contains(string(b), "peerId") {
			t.Fatalf("plain HTTP answered: %d %s", resp.StatusCode, b)
		}
	}

	// The CLI: on its own repo it finds the certificate; elsewhere it needs
	// --api-cert, and without it is refused naming the flag.
	r.must("patient", "list")
	nr := &repo{t: t, dir: r.dir, env: []string{"VAULTNODE_REPO=" + filepath.Join(t.TempDir(), "none")}}
	nr.want(2, "--api-cert", "", "--api", api, "id")
	if out := nr.must("--json", "--api", api, "--api-cert", certPath, "id"); !strings.Contains(out, "peerId") {
		t.Fatalf("id with --api-cert: %s", out)
	}
	env := &repo{t: t, dir: r.dir, env: append(append([]string{}, nr.env...), "VAULTNODE_API_CERT="+certPath)}
	env.must("--api", api, "id")
	// Another certificate pinned: refused.
	other := newRepo(t)
	nr.want(2, "--api-cert", "", "--api", api, "--api-cert", filepath.Join(other.dir, "repo", "api.crt"), "id")
}

// api.plainHTTP serves the API without TLS, only on a loopback address.
func TestAPIPlainHTTPLoopbackOnly(t *testing.T) {
	r := newRepo(t)
	cfgPath := filepath.Join(r.dir, "repo", "config.json")
	edit := func(f func(api map[string]any)) {
		var c map[string]any
		if err := json.Unmarshal([]byte(r.read("repo/config.json")), &c); err != nil {
			t.Fatal(err)
		}
		f(c["api"].(map[string]any))
		b, _ := json.Marshal(c)
		if err := os.WriteFile(cfgPath, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	edit(func(a map[string]any) { a["plainHTTP"] = true })
	api := startDaemon(t, r)
	if !strings.HasPrefix(api, "http://127.0.0.1:") {
		t.Fatalf("plainHTTP: API %s", api)
	}
	if code, _ := call(t, "GET", api+"/healthz", "", ""); code != 200 {
		t.Fatalf("plain healthz: %d", code)
	}
	r2 := newRepo(t)
	var c map[string]any
	_ = json.Unmarshal([]byte(r2.read("repo/config.json")), &c)
	c["api"].(map[string]any)["plainHTTP"] = true
	c["api"].(map[string]any)["addr"] = "0.0.0.0:0"
	c["api"].(map[string]any)["allowRemote"] = true
	b, _ := json.Marshal(c)
	if err := os.WriteFile(filepath.Join(r2.dir, "repo", "config.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r2.want(1, "plainHTTP", "", "daemon")
}
