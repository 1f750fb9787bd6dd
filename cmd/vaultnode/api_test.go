package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// launchDaemon runs `vaultnode daemon` on r's repo and returns the process,
// its output so far and its API URL once daemon.json names it. A daemon not
// started within 30 s is killed and fails the test.
func launchDaemon(t *testing.T, r *repo) (*exec.Cmd, *bytes.Buffer, string) {
	t.Helper()
	cmd := exec.Command(bin, "daemon")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), r.env...)
	logs := new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	df := filepath.Join(r.dir, "repo", "daemon.json")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(df); err == nil {
			var d struct {
				API string `json:"api"`
			}
			if json.Unmarshal(b, &d) == nil && d.API != "" {
				return cmd, logs, d.API
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("daemon did not start:\n%s", logs.String())
		}
	}
}

// startDaemon runs `vaultnode daemon` on r's repo and returns its API URL.
// The daemon is stopped with SIGTERM at the end of the test and must exit 0.
func startDaemon(t *testing.T, r *repo) string {
	t.Helper()
	cmd, logs, api := launchDaemon(t, r)
	t.Cleanup(func() {
		// Clean shutdown: exit 0, daemon.json removed.
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Error(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("daemon exit after SIGTERM: %v\n%s", err, logs.String())
		}
		if _, err := os.Stat(filepath.Join(r.dir, "repo", "daemon.json")); err == nil {
			t.Error("daemon.json left behind after shutdown")
		}
	})
	return api
}

// waitCommitted waits until the daemon has put every acknowledged batch's
// commitment on chain (its commit interval is seconds).
func waitCommitted(t *testing.T, api string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, m := call(t, "GET", api+"/healthz", "", "")
		if m["pendingCommitments"] == float64(0) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("commitments still pending: %v", m)
		}
	}
}

// httpDo sends one request with an optional bearer token and returns the
// status and body.
func httpDo(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	code, b := httpDo(t, method, url, token, body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if code >= 400 && (m["error"] == nil || m["code"] == nil) {
		t.Fatalf("%s %s: status %d without a JSON error body: %s", method, url, code, b)
	}
	return code, m
}

func TestAPI(t *testing.T) {
	r := newRepo(t)
	// A small body limit to test 413.
	cfgPath := filepath.Join(r.dir, "repo", "config.json")
	var cfg map[string]any
	if err := json.Unmarshal([]byte(r.read("repo/config.json")), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["api"].(map[string]any)["maxBodyBytes"] = 64 << 10
	b, _ := json.Marshal(cfg)
	if err := os.WriteFile(cfgPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	data, _ := readings(20)
	signed := r.read(filepath.Base(r.signed("b.jsonl", data)))
	api := startDaemon(t, r)
	tok := func(role string) string { return strings.TrimSpace(r.read("repo/tokens/" + role)) }

	if code, m := call(t, "GET", api+"/healthz", "", ""); code != 200 || m["status"] != "ok" {
		t.Fatalf("healthz: %d %v", code, m)
	}
	cases := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"no token", "POST", "/v1/readings?device=cgm-1", "", signed, 401, "unauthenticated"},
		{"unknown token", "POST", "/v1/readings?device=cgm-1", "vnd_nope", signed, 401, "unauthenticated"},
		{"device token cannot grant", "POST", "/v1/grants", tok("device"), `{}`, 403, "forbidden"},
		{"device token cannot erase", "POST", "/v1/erasures", tok("device"), `{}`, 403, "forbidden"},
		{"operator cannot erase", "POST", "/v1/erasures", tok("operator"), `{}`, 403, "forbidden"},
		{"bad signature", "POST", "/v1/readings?device=cgm-1", tok("device"), strings.Replace(signed, `"value":5`, `"value":7`, 1), 422, "invalid_signature"},
		{"malformed line", "POST", "/v1/readings?device=cgm-1", tok("device"), "{nope\n", 400, "bad_input"},
		{"unknown device", "POST", "/v1/readings?device=cgm-404", tok("device"), signed, 403, "device_refused"},
		{"too large", "POST", "/v1/readings?device=cgm-1", tok("device"), strings.Repeat(data, 100), 413, "too_large"},
		{"bad grant JSON", "POST", "/v1/grants", tok("operator"), `{"patient":1}`, 400, "bad_input"},
		{"unknown grant", "DELETE", "/v1/grants/" + strings.Repeat("ab", 32), tok("operator"), "", 404, "not_found"},
		{"unknown erasure", "GET", "/v1/erasures/" + strings.Repeat("cd", 32), tok("dpo"), "", 404, "not_found"},
		{"bad CID", "GET", "/v1/records/nope", "", "", 400, "bad_input"},
		{"malformed reencrypt", "POST", "/v1/reencrypt", "", "garbage", 400, "bad_input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, m := call(t, c.method, api+c.path, c.token, c.body)
			if status != c.status || m["code"] != c.code {
				t.Fatalf("got %d %v, want %d %s", status, m, c.status, c.code)
			}
		})
	}
	// Accepted: receipt, then the block is served as ciphertext.
	status, m := call(t, "POST", api+"/v1/readings?device=cgm-1", tok("device"), signed)
	if status != 200 || m["readings"].(float64) != 20 {
		t.Fatalf("ingest: %d %v", status, m)
	}
	root := m["batches"].([]any)[0].(map[string]any)["root"].(string)
	resp, err := http.Get(api + "/v1/records/" + root)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || bytes.Contains(blk, []byte("mmol/L")) {
		t.Fatalf("record: %d, plaintext in block: %v", resp.StatusCode, bytes.Contains(blk, []byte("mmol/L")))
	}
	// The CLI finds the running daemon and goes through the API.
	r.must("keygen", "--out", "clin.key")
	out := r.must("--json", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--until", "1h", "--threshold", "1")
	var g struct{ ID string }
	if err := json.Unmarshal([]byte(out), &g); err != nil || g.ID == "" {
		t.Fatalf("grant through the daemon: %v %s", err, out)
	}
	if status, _ := call(t, "DELETE", api+"/v1/grants/"+g.ID, tok("operator"), ""); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	if status, m := call(t, "DELETE", api+"/v1/grants/"+g.ID, tok("operator"), ""); status != 409 {
		t.Fatalf("revoke twice: %d %v", status, m)
	}
	// Client commands go through the running daemon.
	if !strings.Contains(r.must("patient", "list"), "MRN-1") {
		t.Fatal("patient list through the daemon does not show MRN-1")
	}
	r.must("patient", "create", "--mrn", "MRN-2")
	r.must("device", "enroll", "cgm-2", "--out", "dev2.key")
	if st, err := os.Stat(filepath.Join(r.dir, "dev2.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("device key file: %v %v", st, err)
	}
	r.must("device", "revoke", "cgm-2")
	if !strings.Contains(r.must("device", "list"), "revoked") {
		t.Fatal("device list through the daemon does not show the revocation")
	}
	r.must("audit")
	// Fetch, verify, member list go through the daemon too (the repo is the
	// daemon's: a direct open would be refused while it runs).
	r.must("keygen", "--out", "clin2.key")
	r.must("grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin2.pub", "--until", "1h", "--threshold", "1")
	waitCommitted(t, api)
	if got := parseFetched(t, r.must("fetch", "--key", "clin2.key", "--patient", "MRN-1", "--stream", "glucose")); len(got) != 20 {
		t.Fatalf("fetch through the daemon: %d readings, want 20", len(got))
	}
	r.want(3, "revoked", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose")
	if out := r.must("verify", "--patient", "MRN-1"); !strings.Contains(out, root) || strings.Contains(out, "FAILED") {
		t.Fatalf("verify through the daemon:\n%s", out)
	}
	r.must("verify", root)
	if !strings.Contains(r.must("member", "list"), "active=true") {
		t.Fatal("member list through the daemon shows no active member")
	}
	// Erasure and its certificate's verification through the daemon; a
	// tampered certificate is an integrity failure (exit 4).
	r.must("erase", "--patient", "MRN-2", "--request-ref", "DSAR-API", "--certificate", "cert.json")
	if out := r.must("--json", "erasure", "verify", "cert.json"); !strings.Contains(out, `"valid": true`) {
		t.Fatalf("erasure verify through the daemon: %s", out)
	}
	r.write("bad-cert.json", strings.Replace(r.read("cert.json"), "DSAR-API", "DSAR-APX", 1))
	r.want(4, "", "", "erasure", "verify", "bad-cert.json")
	resp, err = http.Get(api + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(mb, []byte("vaultnode_readings_ingested_total 20")) {
		t.Fatalf("metrics do not count the ingested readings:\n%s", mb)
	}
}

// The demo is what a newcomer runs first: it must pass, narrated, quickly.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("demo in -short mode")
	}
	d := t.TempDir()
	r := &repo{t: t, dir: d, env: []string{"TMPDIR=" + d}}
	out := r.must("demo", "--readings", "3000")
	for _, want := range []string{"3,000 readings in 1 batches decrypted", "wrong-grantee", "revoked", "purge acknowledged", "as a separate process: vaultnode erasure verify", "valid: 3 of 3 members acknowledged", "rejected (exit 4)", "Summary"} {
		if !strings.Contains(out, want) {
			t.Fatalf("demo output lacks %q:\n%s", want, out)
		}
	}
	if entries, _ := os.ReadDir(d); len(entries) != 0 {
		t.Fatalf("demo left %d entries in its temp dir", len(entries))
	}
}

// A reading acknowledged by the daemon survives a SIGKILL right after the
// acknowledgement: the batch is in the store and its commitment reaches the
// chain at the next start (from the journal).
func TestAcknowledgedSurvivesKill(t *testing.T) {
	r := newRepo(t)
	data, _ := readings(200)
	signed := r.read(filepath.Base(r.signed("b.jsonl", data)))
	cmd, _, api := launchDaemon(t, r)
	status, m := call(t, "POST", api+"/v1/readings?device=cgm-1", strings.TrimSpace(r.read("repo/tokens/device")), signed)
	if status != 200 {
		cmd.Process.Kill()
		t.Fatalf("ingest: %d %v", status, m)
	}
	// Killed at once: the commitment is at best in the journal (commit interval 5 s).
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	root := m["batches"].([]any)[0].(map[string]any)["root"].(string)
	// The next start re-submits the journaled commitment; verify then finds
	// the batch intact and committed (the one-shot command waits for the committer).
	r.must("ingest", "--device", "cgm-1", r.signed("c.jsonl", strings.ReplaceAll(data, "T08:", "T18:")))
	out := r.must("verify", "--patient", "MRN-1")
	if !strings.Contains(out, root) || strings.Contains(out, "FAILED") {
		t.Fatalf("acknowledged batch %s not verified after SIGKILL:\n%s", root, out)
	}
}
