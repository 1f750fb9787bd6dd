package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// runnable lists the command paths ("device enroll") a user can run: every
// leaf of the cobra tree, and every parent that does something of its own
// (not just "needs a subcommand").
func runnable(c *cobra.Command, prefix string, out map[string]bool) {
	for _, s := range c.Commands() {
		if s.Hidden || s.Name() == "help" || s.Name() == "completion" {
			continue
		}
		p := strings.TrimSpace(prefix + " " + s.Name())
		if !s.HasSubCommands() {
			out[p] = true
			continue
		}
		if s.Use != s.Name() { // a parent with arguments of its own (its Use says more than its name)
			out[p] = true
		}
		runnable(s, p, out)
	}
}

// oneJSON fails unless s is exactly one JSON value (whitespace around).
func oneJSON(t *testing.T, what, s string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s --json: stdout is not JSON: %v\n%s", what, err, s)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("%s --json: stdout has more than one JSON value:\n%s", what, s)
	}
}

// quiet fails if a piped run drew progress (carriage returns, escape codes).
func quiet(t *testing.T, what string, res result) {
	t.Helper()
	if strings.ContainsAny(res.stdout+res.stderr, "\r\x1b") {
		t.Fatalf("%s: piped output has terminal control characters (a progress line):\nstdout %q\nstderr %q", what, res.stdout, res.stderr)
	}
}

// Every command gives machine-readable output with --json (the success
// path), and nothing of a progress display when its output is piped. The
// list of commands comes from the cobra tree: a new command without a case
// here fails the test.
func TestJSONEveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command, the demo and a daemon")
	}
	want := map[string]bool{}
	runnable(newRoot(), "", want)
	r := newRepo(t)
	r.env = append(r.env, "VAULTNODE_BACKUP_PASSPHRASE=backup secret", "VAULTNODE_ARGON2=1,64,1")
	covered := map[string]bool{}
	run := func(path string, args ...string) string {
		t.Helper()
		res := r.run("", append([]string{"--json"}, args...)...)
		if res.code != 0 {
			t.Fatalf("%s --json: exit %d\nstdout: %s\nstderr: %s", path, res.code, res.stdout, res.stderr)
		}
		oneJSON(t, path, res.stdout)
		quiet(t, path, res)
		covered[path] = true
		return res.stdout
	}
	data, _ := readings(300)
	r.signed("b.jsonl", data)
	r.write("b2.raw", strings.ReplaceAll(data, "T08:", "T20:"))

	fresh := filepath.Join(r.dir, "fresh")
	var ini struct {
		PeerID   string `json:"peerId"`
		Account  string `json:"chainAccount"`
		ProxyKey string `json:"proxyKey"`
	}
	if err := json.Unmarshal([]byte(run("init", "--repo", fresh, "init", "--key-file", "fresh.key", "--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0")), &ini); err != nil {
		t.Fatal(err)
	}
	run("member add", "member", "add", "--account", ini.Account, "--peer-id", ini.PeerID, "--proxy-key", ini.ProxyKey)
	// The new member never runs: this repo alone holds its batches, as a pilot
	// (replication.writeConcern 1; with the default 2, ingest answers 503
	// replicas_unavailable until a second member holds each batch).
	var cfg map[string]any
	if err := json.Unmarshal([]byte(r.read("repo/config.json")), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["replication"].(map[string]any)["writeConcern"] = 1
	cfg["claims"] = map[string]any{"streams": []string{"glucose"}} // claim roots at ingest, for `claim prove`
	// The daemon started below serves its chain to the manufacturer's commands.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rpcAddr := l.Addr().String()
	l.Close()
	cfg["chain"].(map[string]any)["serveRpc"] = rpcAddr
	cb, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(r.dir, "repo", "config.json"), cb, 0o600); err != nil {
		t.Fatal(err)
	}
	run("member list", "member", "list")
	run("device enroll", "device", "enroll", "cgm-2", "--out", "dev2.key")
	run("device list", "device", "list")
	run("device history", "device", "history", "cgm-1")
	run("device release", "device", "release", "cgm-1")
	run("recall impact", "recall", "impact", "--model", "00614141999996", "--firmware", "1.0")
	var signed struct{ Batch string }
	if err := json.Unmarshal([]byte(run("device sign", "device", "sign", "--key", "dev.key", "b2.raw")), &signed); err != nil || !strings.Contains(signed.Batch, `{"sig":`) {
		t.Fatalf("device sign --json: %v %q", err, signed.Batch)
	}
	r.write("b2.jsonl", signed.Batch)
	run("device revoke", "device", "revoke", "cgm-2")
	run("patient create", "patient", "create", "--mrn", "MRN-2")
	run("patient list", "patient", "list")
	run("ingest", "ingest", "--device", "cgm-1", "b.jsonl")
	r.must("ingest", "--device", "cgm-1", "b2.jsonl")
	run("keygen", "keygen", "--out", "clin.key")
	var g struct{ ID, Ticket string }
	if err := json.Unmarshal([]byte(run("grant", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--until", "1h", "--threshold", "1")), &g); err != nil {
		t.Fatal(err)
	}
	run("grant show", "grant", "show", g.ID[:8])
	run("id", "id")
	run("version", "version")
	var f struct {
		Readings []json.RawMessage `json:"readings"`
		Verified int               `json:"verified"`
	}
	if err := json.Unmarshal([]byte(run("fetch", "fetch", "--key", "clin.key", "--ticket", g.Ticket)), &f); err != nil || len(f.Readings) != 600 || f.Verified != 600 {
		t.Fatalf("fetch --json: %v, %d readings, %d verified", err, len(f.Readings), f.Verified)
	}
	run("fetch", "fetch", "--key", "clin.key", "--ticket", g.Ticket, "-o", "out.jsonl")
	if n := len(parseFetched(t, r.read("out.jsonl"))); n != 600 {
		t.Fatalf("fetch --json -o: %d readings in the file", n)
	}
	r.write("claim.json", run("claim prove", "claim", "prove", "--patient", "MRN-1", "--stream", "glucose", "--exceeds", "0.1",
		"--from", "2020-01-01T00:00:00Z", "--to", "now"))
	if out := run("claim verify", "claim", "verify", "claim.json"); !strings.Contains(out, `"onChain": "accepted"`) {
		t.Fatalf("claim verify --json: %s", out)
	}
	run("audit", "audit", "--patient", "MRN-1")
	run("audit", "audit", "--fhir")
	run("verify", "verify", "--patient", "MRN-1")
	r.must("keygen", "--out", "clin3.key")
	r.consentFor("consent.json", "clin3.key", func(s string) string { // glucose only (MRN-1 has no spo2 stream)
		return strings.Replace(s, "}]},\n      {\"coding\": [{\"system\": \"urn:vaultnode:stream\", \"code\": \"spo2\"}]}", "}]}", 1)
	})
	run("consent import", "consent", "import", "--threshold", "1", "consent.json")
	run("disclosures", "disclosures", "--patient", "MRN-1")
	r.must("disclosures", "--patient", "MRN-1", "-o", "d.json")
	run("disclosures verify", "disclosures", "verify", "d.json")
	run("revoke", "revoke", g.ID)
	run("backup", "backup", "--out", "b.vnbk")
	run("token create", "token", "create", "--name", "json-kim", "--role", "operator")
	run("token list", "token", "list")
	run("token revoke", "token", "revoke", "json-kim")
	run("token rotate", "token", "rotate", "dpo")
	run("erase", "erase", "--patient", "MRN-1", "--request-ref", "DSAR-J", "--certificate", "cert.json")
	// The member added above runs no node and never acknowledged: the
	// certificate holds but is incomplete (exit 4 unless allowed).
	r.want(4, "certificate incomplete", "", "erasure", "verify", "cert.json")
	if out := run("erasure verify", "erasure", "verify", "--allow-incomplete", "cert.json"); !strings.Contains(out, `"status": "incomplete"`) {
		t.Fatalf("erasure verify: want status incomplete: %s", out)
	}
	run("restore", "--repo", filepath.Join(r.dir, "restored"), "restore", "--skip-erasure-sync", "b.vnbk")
	run("keys rotate", "keys", "rotate", "--new-key-file", "new-master.key")
	run("patient list", "patient", "list") // the repo opens with the new key

	// The daemon: one JSON line per event, "ready" with its API URL.
	cmd := exec.Command(bin, "--json", "daemon")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), r.env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var ready struct{ Event, API string }
	select {
	case l := <-lines:
		if err := json.Unmarshal([]byte(l), &ready); err != nil || ready.Event != "ready" || !strings.HasPrefix(ready.API, "https://127.0.0.1:") {
			t.Fatalf("daemon --json first line %q: %v", l, err)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("daemon --json printed nothing:\n%s", stderr.String())
	}
	if code, m := call(t, "GET", ready.API+"/healthz", "", ""); code != 200 {
		t.Fatalf("healthz at the announced API: %d %v", code, m)
	}
	// A manufacturer against the daemon's chain, and the hospital's side of its unit through the daemon.
	mf := func(args ...string) []string { return append([]string{"manufacturer", "--dir", "acme"}, args...) }
	var mid struct{ Account, SigningKey string }
	if err := json.Unmarshal([]byte(run("manufacturer init", mf("init", "--name", "Acme", "--chain-rpc", "http://"+rpcAddr, "--contracts", "repo/chain/contracts.json")...)), &mid); err != nil {
		t.Fatal(err)
	}
	run("manufacturer admit", "manufacturer", "admit", "--account", mid.Account, "--signing-key", mid.SigningKey, "--name", "Acme")
	run("manufacturer show", mf("show")...)
	run("manufacturer model", mf("model", "00614141999996")...)
	unitPub, _, _ := ed25519.GenerateKey(nil)
	run("manufacturer unit", mf("unit", "--model", "00614141999996", "--serial", "J-1", "--public-key", hex.EncodeToString(unitPub))...)
	run("manufacturer release", mf("release", "--model", "00614141999996", "--version", "1.0", "--image-sha256", strings.Repeat("ab", 32))...)
	run("manufacturer release-status", mf("release-status", "--model", "00614141999996", "--version", "1.0", "--status", "deprecated")...)
	for _, step := range []string{"manufactured", "sterilised", "shipped"} {
		run("manufacturer custody", mf("custody", "(01)00614141999996(21)J-1", step)...)
	}
	r.must("device", "enroll", "unit-j1", "--udi", "(01)00614141999996(21)J-1", "--public-key", hex.EncodeToString(unitPub))
	run("device custody", "device", "custody", "unit-j1", "received")
	run("device custody", "device", "custody", "unit-j1", "implanted", "--patient", "MRN-2")
	if out := run("patient implants", "patient", "implants", "MRN-2"); !strings.Contains(out, `"unit-j1"`) {
		t.Fatalf("patient implants --json: %s", out)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	var rest []string
	for l := range lines {
		rest = append(rest, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("daemon: %v\n%s", err, stderr.String())
	}
	for _, l := range rest {
		if !json.Valid([]byte(l)) {
			t.Fatalf("daemon --json line %q is not JSON", l)
		}
	}
	if len(rest) == 0 || !strings.Contains(rest[len(rest)-1], `"stopped"`) {
		t.Fatalf("daemon --json: no stopped event after SIGTERM: %q", rest)
	}
	quiet(t, "daemon", result{stderr: stderr.String()})
	covered["daemon"] = true

	d := &repo{t: t, dir: t.TempDir(), env: []string{"TMPDIR=" + t.TempDir()}}
	res := d.run("", "--json", "demo", "--readings", "500")
	if res.code != 0 {
		t.Fatalf("demo --json: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	oneJSON(t, "demo", res.stdout)
	quiet(t, "demo", res)
	var sum struct {
		OK    bool
		Steps []struct{ OK bool }
	}
	if err := json.Unmarshal([]byte(res.stdout), &sum); err != nil || !sum.OK || len(sum.Steps) < 9 {
		t.Fatalf("demo --json summary: %v %s", err, res.stdout)
	}
	covered["demo"] = true

	var missing []string
	for p := range want {
		if !covered[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("commands without a --json case here (add one): %v", missing)
	}
}

// On a terminal the long operations draw their progress line (on stderr),
// and erase it before the result. The terminal is a pseudo-terminal made by
// script(1); the test is skipped where it is not installed.
func TestProgressOnTerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed")
	}
	r := newRepo(t)
	data, _ := readings(5000)
	r.signed("b.jsonl", data)
	r.must("keygen", "--out", "clin.key")
	line := strings.Join([]string{bin, "--repo", filepath.Join(r.dir, "repo"), "ingest", "--device", "cgm-1", "b.jsonl"}, " ")
	cmd := exec.Command(script, "-qefc", line, "/dev/null")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), r.env...)
	cmd.Env = append(cmd.Env, "TERM=xterm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ingest on a terminal: %v\n%q", err, out)
	}
	s := string(out)
	if !strings.Contains(s, "ingest [") || !strings.Contains(s, "\r\x1b[K") || !strings.Contains(s, "5000 readings from cgm-1 acknowledged") {
		t.Fatalf("no progress bar on a terminal:\n%q", s)
	}
	// The bar is erased before the receipt is printed.
	if i, j := strings.LastIndex(s, "\r\x1b[K"), strings.Index(s, "5000 readings"); i > j {
		t.Fatalf("progress drawn after the result:\n%q", s)
	}
}
