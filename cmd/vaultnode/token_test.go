package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Per-person named API tokens (issue 18): created, listed, revoked, expiring;
// stored hashed; each with a role; every mutating call is recorded with the
// token's name; refused authentications are counted and logged. The repo's
// role tokens keep working.
func TestNamedTokens(t *testing.T) {
	r := newRepo(t)
	var kim struct{ Name, Role, Token string }
	if err := json.Unmarshal([]byte(r.must("--json", "token", "create", "--name", "ops-kim", "--role", "operator", "--expires", "720h")), &kim); err != nil || !strings.HasPrefix(kim.Token, "vnt_") {
		t.Fatalf("token create: %v %+v", err, kim)
	}
	ito := strings.TrimSpace(strings.Split(strings.TrimSpace(r.must("token", "create", "--name", "dr-ito", "--role", "clinician")), "\n")[1])
	short := strings.TrimSpace(strings.Split(strings.TrimSpace(r.must("token", "create", "--name", "short", "--role", "operator", "--expires", "2s")), "\n")[1])
	r.want(1, "exists", "", "token", "create", "--name", "ops-kim", "--role", "operator")
	r.want(1, "role", "", "token", "create", "--name", "x", "--role", "root")
	r.want(1, "role token", "", "token", "create", "--name", "operator", "--role", "operator")

	// Stored hashed, mode 0600: no token in any file of the repo.
	named := filepath.Join(r.dir, "repo", "tokens", "named.json")
	if st, err := os.Stat(named); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("named tokens file: %v %v", st, err)
	}
	_ = filepath.Walk(filepath.Join(r.dir, "repo"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && fi.Size() < 1<<20 {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), kim.Token) || strings.Contains(string(b), ito) {
				t.Errorf("%s holds a named token in clear", p)
			}
		}
		return nil
	})
	list := r.must("token", "list")
	for _, want := range []string{"ops-kim", "dr-ito", "clinician", "operator", "dpo", "active"} {
		if !strings.Contains(list, want) {
			t.Fatalf("token list lacks %q:\n%s", want, list)
		}
	}

	api := startDaemon(t, r)
	op := strings.TrimSpace(r.read("repo/tokens/operator"))
	// The named operator token works; the call is recorded under its name.
	if code, m := call(t, "POST", api+"/v1/patients", kim.Token, `{"mrn":"MRN-KIM"}`); code != 201 {
		t.Fatalf("create patient with ops-kim's token: %d %v", code, m)
	}
	// The role token still works, recorded as "operator".
	if code, m := call(t, "POST", api+"/v1/patients", op, `{"mrn":"MRN-OP"}`); code != 201 {
		t.Fatalf("create patient with the operator role token: %d %v", code, m)
	}
	// Through the CLI too.
	kr := &repo{t: t, dir: r.dir, env: append(append([]string{}, r.env...), "VAULTNODE_TOKEN="+kim.Token)}
	kr.must("patient", "create", "--mrn", "MRN-KIM-CLI")
	// The clinician's role: tickets only.
	if code, _ := call(t, "POST", api+"/v1/patients", ito, `{"mrn":"MRN-ITO"}`); code != 403 {
		t.Fatalf("clinician token creating a patient: %d, want 403", code)
	}
	if code, m := call(t, "GET", api+"/v1/tickets?patient=MRN-1&stream=glucose&grantee=00", ito, ""); code != 400 {
		t.Fatalf("clinician token asking a ticket: %d %v, want 400 (bad grantee), not 401/403", code, m)
	}
	// Revoked: refused at the next request, without a restart.
	r.must("token", "revoke", "ops-kim")
	if code, m := call(t, "POST", api+"/v1/patients", kim.Token, `{"mrn":"MRN-KIM2"}`); code != 401 || !strings.Contains(m["error"].(string), "revoked") {
		t.Fatalf("revoked token: %d %v", code, m)
	}
	r.want(1, "no live token", "", "token", "revoke", "ops-kim")
	// Expired.
	time.Sleep(2500 * time.Millisecond)
	if code, m := call(t, "POST", api+"/v1/patients", short, `{"mrn":"MRN-SHORT"}`); code != 401 || !strings.Contains(m["error"].(string), "expired") {
		t.Fatalf("expired token: %d %v", code, m)
	}
	if code, _ := call(t, "POST", api+"/v1/patients", "vnt_nope", `{"mrn":"MRN-NOPE"}`); code != 401 {
		t.Fatalf("unknown token: %d", code)
	}
	if l := r.must("token", "list"); !strings.Contains(l, "revoked") || !strings.Contains(l, "expired") {
		t.Fatalf("token list after revoke and expiry:\n%s", l)
	}

	// The call log names the token of each mutating call, and holds no token.
	var calls []struct {
		Token, Role, Method, Path string
		Status                    int
	}
	code, raw := httpDo(t, "GET", api+"/v1/audit/calls", op, "")
	if code != 200 || json.Unmarshal(raw, &calls) != nil {
		t.Fatalf("audit calls: %d %s", code, raw)
	}
	who := map[string]int{}
	for _, c := range calls {
		if c.Method == "POST" && c.Path == "/v1/patients" && c.Status == 201 {
			who[c.Token]++
		}
	}
	if who["ops-kim"] != 2 || who["operator"] != 1 {
		t.Fatalf("call log: %v (%s)", who, raw)
	}
	if strings.Contains(string(raw), kim.Token) || strings.Contains(string(raw), op) {
		t.Fatal("the call log holds a token")
	}
	// Refused authentications are counted.
	resp, err := http.Get(api + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`vaultnode_api_auth_failures_total{reason="revoked"} 1`, `vaultnode_api_auth_failures_total{reason="expired"} 1`,
		`vaultnode_api_auth_failures_total{reason="forbidden"} 1`, `vaultnode_api_auth_failures_total{reason="unknown"} 1`} {
		if !strings.Contains(string(b), want) {
			t.Fatalf("metrics lack %s", want)
		}
	}
	// A rotated role token: the old one is refused.
	r.must("token", "rotate", "operator")
	time.Sleep(200 * time.Millisecond)
	if code, _ := call(t, "GET", api+"/v1/patients", op, ""); code != 401 {
		t.Fatalf("old operator token after rotate: %d", code)
	}
	if code, _ := call(t, "GET", api+"/v1/patients", strings.TrimSpace(r.read("repo/tokens/operator")), ""); code != 200 {
		t.Fatalf("new operator token: %d", code)
	}
}
