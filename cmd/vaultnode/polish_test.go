package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// A failing command fails the same way on the repo and through a daemon:
// the same exit code and the same message, with no prefix repeated
// ("bad input: daemon: bad input: … (bad_input)" before).
func TestSameFailureLocalAndThroughDaemon(t *testing.T) {
	r := newRepo(t)
	r.must("keygen", "--out", "clin.key")
	cases := [][]string{
		{"grant", "--patient", "MRN-404", "--stream", "glucose", "--to", "clin.pub", "--until", "1h"},
		{"device", "revoke", "no-such-device"},
		{"revoke", "abcd"},
	}
	local := make([]result, len(cases))
	for i, c := range cases {
		local[i] = r.run("", c...)
	}
	startDaemon(t, r)
	for i, c := range cases {
		remote := r.run("", c...)
		l := local[i]
		if l.code == 0 || remote.code != l.code || remote.stderr != l.stderr {
			t.Errorf("%v:\n  repo:   exit %d %q\n  daemon: exit %d %q", c, l.code, l.stderr, remote.code, remote.stderr)
		}
		for _, bad := range []string{"daemon:", "(bad_input)", "(not_found)"} {
			if strings.Contains(remote.stderr, bad) {
				t.Errorf("%v: message carries %q: %q", c, bad, remote.stderr)
			}
		}
		if msg := strings.TrimPrefix(remote.stderr, "vaultnode: "); strings.Count(msg, "bad input") > 1 || strings.Count(msg, "not found") > 1 {
			t.Errorf("%v: prefix repeated: %q", c, remote.stderr)
		}
	}
}

// revoke and grant show take a unique prefix of a grant id, as git takes
// one of a commit; id and version say who and what the binary is.
func TestGrantPrefixIDVersion(t *testing.T) {
	r := newRepo(t)
	data, _ := readings(5)
	r.signed("b.jsonl", data)
	r.must("ingest", "--device", "cgm-1", "b.jsonl")
	r.must("keygen", "--out", "clin.key")
	var g struct{ ID string }
	if err := json.Unmarshal([]byte(r.must("--json", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--until", "1h", "--threshold", "1")), &g); err != nil {
		t.Fatal(err)
	}
	if out := r.must("grant", "show", g.ID[:6]); !strings.Contains(out, g.ID) || !strings.Contains(out, "state   live") {
		t.Fatalf("grant show by prefix: %s", out)
	}
	r.want(1, "give the full id", "", "revoke", g.ID[:3])
	r.want(1, "no grant of this node starts with", "", "revoke", "ffff"+strings.Repeat("0", 3))
	if out := r.must("revoke", g.ID[:10]); !strings.Contains(out, "grant "+g.ID+" revoked") {
		t.Fatalf("revoke by prefix: %s", out)
	}
	if out := r.must("grant", "show", g.ID); !strings.Contains(out, "revoked") {
		t.Fatalf("grant show after revoke: %s", out)
	}

	var id struct {
		PeerID  string   `json:"peerId"`
		Account string   `json:"chainAccount"`
		Addrs   []string `json:"addrs"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "id")), &id); err != nil || !strings.HasPrefix(id.PeerID, "12D3KooW") || !strings.HasPrefix(id.Account, "0x") {
		t.Fatalf("id --json: %v %+v", err, id)
	}
	api := startDaemon(t, r)
	var remote struct {
		PeerID string `json:"peerId"`
		API    string `json:"api"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "id")), &remote); err != nil || remote.PeerID != id.PeerID || remote.API == "" {
		t.Fatalf("id through the daemon: %v %+v", err, remote)
	}
	// --api also takes a multiaddr, as kubo's does.
	maddr := "/ip4/127.0.0.1/tcp/" + api[strings.LastIndexByte(api, ':')+1:] + "/https"
	if out := r.must("--json", "--api", maddr, "id"); !strings.Contains(out, id.PeerID) {
		t.Fatalf("id with --api %s: %s", maddr, out)
	}
	var v struct{ Version, Go string }
	if err := json.Unmarshal([]byte(r.must("--json", "version")), &v); err != nil || v.Version == "" || !strings.HasPrefix(v.Go, "go1.") {
		t.Fatalf("version --json: %v %+v", err, v)
	}
	if out := r.must("version"); !strings.HasPrefix(out, "vaultnode ") || !strings.Contains(out, v.Go) {
		t.Fatalf("version: %q", out)
	}
}

// Help lines read as written: a backquoted word in a flag's usage becomes
// cobra's name for the flag's value ("--ticket vaultnode grant"), so no
// usage may hold one.
func TestFlagUsagesHaveNoBackquotes(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if strings.Contains(f.Usage, "`") {
				t.Errorf("%s --%s: usage %q holds a backquote", c.CommandPath(), f.Name, f.Usage)
			}
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRoot())
}

// A DPO refuses an erasure request on an Art. 17(3) ground from the CLI (the
// refusal had no CLI or API): recorded, signed, written 0600, nothing
// destroyed; the same through the daemon's API.
func TestEraseRefuse(t *testing.T) {
	r := newRepo(t)
	r.want(2, "--refuse needs --ground", "", "erase", "--refuse", "--patient", "MRN-1", "--request-ref", "DSAR-9", "--certificate", "refusal.json")
	r.want(1, "unknown refusal ground", "", "erase", "--refuse", "--ground", "boredom", "--patient", "MRN-1", "--request-ref", "DSAR-9", "--certificate", "refusal.json")
	r.must("erase", "--refuse", "--ground", "legal-obligation", "--patient", "MRN-1", "--request-ref", "DSAR-9", "--reason", "retention period", "--certificate", "refusal.json")
	var doc struct {
		Format, GroundName, Article, RequestRef, Custodian string
		Signature                                          []byte
	}
	if err := json.Unmarshal([]byte(r.read("refusal.json")), &doc); err != nil || doc.Format != "vaultnode-erasure-refusal/1" ||
		doc.GroundName != "legal-obligation" || doc.Article != "GDPR Art. 17(3)(b)" || doc.RequestRef != "DSAR-9" || len(doc.Signature) == 0 {
		t.Fatalf("refusal document: %v %+v", err, doc)
	}
	if st, err := os.Stat(filepath.Join(r.dir, "refusal.json")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("refusal file mode: %v %v", err, st.Mode())
	}
	if !strings.Contains(r.must("patient", "list"), "MRN-1") {
		t.Fatal("a refused erasure destroyed the patient")
	}
	startDaemon(t, r)
	out := r.must("--json", "erase", "--refuse", "--ground", "legal-claims", "--patient", "MRN-1", "--request-ref", "DSAR-10", "--certificate", "refusal2.json")
	if !strings.Contains(out, `"groundName": "legal-claims"`) || !strings.Contains(r.read("refusal2.json"), "GDPR Art. 17(3)(e)") {
		t.Fatalf("refusal through the daemon: %s", out)
	}
}

// Creating a patient with its streams is all or nothing: one bad stream
// name refuses it and stores nothing, so the corrected retry succeeds (the
// patient was stored, and the retry refused as existing). The same through
// the daemon; a threshold of 0 is refused, not taken as 1.
func TestPatientCreateAllOrNothing(t *testing.T) {
	r := newRepo(t)
	r.want(1, "Bad Name", "", "patient", "create", "--mrn", "MRN-9", "--stream", "glucose", "--stream", "Bad Name")
	r.must("patient", "create", "--mrn", "MRN-9", "--stream", "glucose")
	r.want(2, "--threshold", "", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "dev.key", "--until", "1h", "--threshold", "0")
	startDaemon(t, r)
	r.want(1, "Bad Name", "", "patient", "create", "--mrn", "MRN-10", "--stream", "glucose", "--stream", "Bad Name")
	r.must("patient", "create", "--mrn", "MRN-10", "--stream", "glucose")
}
