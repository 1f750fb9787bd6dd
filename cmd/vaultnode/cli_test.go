package main

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run the vaultnode binary as a user does: built once in
// TestMain, run in temporary repos, checking outputs, files and exit codes.

var bin string

// pinnedTransport is the tests' HTTP transport (under the OpenAPI check,
// installSpecCheck): for the daemons' HTTPS APIs it accepts exactly the
// certificates in an api.crt of a repo directly under a test's work dir
// (read at each handshake).
func pinnedTransport() http.RoundTripper {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true, VerifyConnection: func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 || !trustedAPICert(cs.PeerCertificates[0].Raw) {
			return errors.New("test: the API's certificate is not the api.crt of a test repo")
		}
		return nil
	}}
	return tr
}

var (
	trustedMu   sync.Mutex
	trustedDirs = map[string]bool{}
)

func trustDir(dir string) {
	trustedMu.Lock()
	defer trustedMu.Unlock()
	trustedDirs[dir] = true
}

func trustedAPICert(der []byte) bool {
	trustedMu.Lock()
	defer trustedMu.Unlock()
	for dir := range trustedDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*", "api.crt"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if blk, _ := pem.Decode(b); blk != nil && bytes.Equal(blk.Bytes, der) {
				return true
			}
		}
	}
	return false
}

// testKeyPassphrase seals the clinician key files of these tests.
const testKeyPassphrase = "clinician test passphrase"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vaultnode-cli-test-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "vaultnode")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	spec, err := installSpecCheck()
	if err != nil {
		fmt.Fprintf(os.Stderr, "docs/openapi.yaml: %v\n", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if err := spec.report(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

type repo struct {
	t   *testing.T
	dir string // work dir; the repo is dir/repo
	env []string
}

func (r *repo) run(stdin string, args ...string) result {
	r.t.Helper()
	trustDir(r.dir)
	cmd := exec.Command(bin, args...)
	cmd.Dir = r.dir
	// Clinician key files are sealed under testKeyPassphrase, with cheap
	// Argon2id parameters (a test's own env wins).
	cmd.Env = append(append(os.Environ(), "VAULTNODE_KEY_PASSPHRASE="+testKeyPassphrase, "VAULTNODE_ARGON2=1,64,1"), r.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	res := result{stdout: so.String(), stderr: se.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatalf("run %v: %v", args, err)
	}
	return res
}

// must runs a command that must succeed.
func (r *repo) must(args ...string) string {
	r.t.Helper()
	res := r.run("", args...)
	if res.code != 0 {
		r.t.Fatalf("vaultnode %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	return res.stdout
}

func (r *repo) want(code int, contains string, stdin string, args ...string) result {
	r.t.Helper()
	res := r.run(stdin, args...)
	if res.code != code {
		r.t.Fatalf("vaultnode %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), res.code, code, res.stdout, res.stderr)
	}
	if contains != "" && !strings.Contains(res.stderr+res.stdout, contains) {
		r.t.Fatalf("vaultnode %s: output does not mention %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), contains, res.stdout, res.stderr)
	}
	return res
}

func (r *repo) write(name, content string) string {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
	return p
}

func (r *repo) read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// newRepo initialises a repo protected by a key file, with a device cgm-1
// (key in dev.key) and a patient MRN-1.
func newRepo(t *testing.T) *repo {
	t.Helper()
	d := t.TempDir()
	r := &repo{t: t, dir: d, env: []string{"VAULTNODE_REPO=" + filepath.Join(d, "repo"), "VAULTNODE_PASSPHRASE="}}
	r.must("init", "--key-file", "master.key", "--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0")
	r.must("device", "enroll", "cgm-1", "--out", "dev.key")
	r.must("patient", "create", "--mrn", "MRN-1")
	return r
}

func readingLine(device, patient string, i int, v float64) string {
	ts := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 5 * time.Minute).Format(time.RFC3339Nano)
	return fmt.Sprintf(`{"device":%q,"patient":%q,"stream":"glucose","time":%q,"value":%v,"unit":"mmol/L","code":"loinc:15074-8"}`, device, patient, ts, v)
}

func readings(n int) (string, []float64) {
	var b strings.Builder
	var vs []float64
	for i := 0; i < n; i++ {
		v := 5 + float64(i%30)/10
		vs = append(vs, v)
		b.WriteString(readingLine("cgm-1", "MRN-1", i, v) + "\n")
	}
	return b.String(), vs
}

func (r *repo) signed(name, content string) string {
	r.t.Helper()
	r.write(name+".raw", content)
	out := r.must("device", "sign", "--key", "dev.key", name+".raw")
	return r.write(name, out)
}

type fetched struct {
	Patient string    `json:"patient"`
	Time    time.Time `json:"time"`
	Value   float64   `json:"value"`
}

func parseFetched(t *testing.T, s string) []fetched {
	t.Helper()
	var out []fetched
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l == "" {
			continue
		}
		var f fetched
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("fetch output line %q: %v", l, err)
		}
		out = append(out, f)
	}
	return out
}
