package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func patientMRNs(t *testing.T, r *repo, extra ...string) string {
	t.Helper()
	var pl []struct {
		MRN string `json:"mrn"`
	}
	args := append(append([]string{}, extra...), "--json", "patient", "list")
	if err := json.Unmarshal([]byte(r.must(args...)), &pl); err != nil {
		t.Fatal(err)
	}
	var ms []string
	for _, p := range pl {
		ms = append(ms, p.MRN)
	}
	return strings.Join(ms, ",")
}

// Backup and restore never bring back an erased patient's keys: not from a
// backup taken after the erasure, and not from an older backup restored
// onto a node whose chain records the erasure.
func TestEcoBackupRestore(t *testing.T) {
	r := newRepo(t)
	r.env = append(r.env, "VAULTNODE_BACKUP_PASSPHRASE=backup secret", "VAULTNODE_ARGON2=1,64,1")
	r.must("patient", "create", "--mrn", "MRN-2")
	var lines []string
	for i := 0; i < 3; i++ {
		lines = append(lines, readingLine("cgm-1", "MRN-1", i, 5.5), readingLine("cgm-1", "MRN-2", i, 6.5))
	}
	r.signed("b.jsonl", strings.Join(lines, "\n")+"\n")
	r.must("ingest", "--device", "cgm-1", "b.jsonl")
	r.want(2, "--out", "", "backup")
	r.want(2, "outside the repo", "", "backup", "--out", "repo/inside.vnbk")
	r.must("backup", "--out", "old.vnbk")
	r.must("erase", "--patient", "MRN-1", "--request-ref", "DSAR-9", "--certificate", "cert.json")
	r.must("backup", "--out", "new.vnbk")
	if mrns := patientMRNs(t, r); mrns != "MRN-2" {
		t.Fatalf("patients after erasure: %s", mrns)
	}

	// Bad inputs: wrong secret, altered or cut file, existing repo. Nothing written.
	r2 := filepath.Join(r.dir, "r2")
	wrong := *r
	wrong.env = append(append([]string{}, r.env...), "VAULTNODE_BACKUP_PASSPHRASE=guess")
	wrong.want(1, "wrong passphrase", "", "--repo", r2, "restore", "new.vnbk")
	raw := []byte(r.read("new.vnbk"))
	flipped := append([]byte(nil), raw...)
	flipped[len(flipped)/2] ^= 0x40
	r.write("flipped.vnbk", string(flipped))
	r.want(1, "does not authenticate", "", "--repo", r2, "restore", "flipped.vnbk")
	r.write("cut.vnbk", string(raw[:len(raw)-100]))
	r.want(1, "", "", "--repo", r2, "restore", "cut.vnbk")
	if _, err := os.Stat(filepath.Join(r2, "config.json")); err == nil {
		t.Fatal("a refused restore wrote a repo")
	}
	r.want(1, "already holds a repo", "", "restore", "new.vnbk")

	// A full restore brings back the embedded chain as old as the backup:
	// it cannot tell that MRN-1 was erased since, and this consortium of
	// one has no other member to ask. It stops instead of guessing.
	r3 := filepath.Join(r.dir, "r3")
	r.want(1, "cannot learn the erasures made since the backup", "", "--repo", r3, "restore", "old.vnbk")
	if _, err := os.Stat(filepath.Join(r3, "config.json")); err == nil {
		t.Fatal("a refused restore wrote a repo")
	}
	if mrns := patientMRNs(t, r); mrns != "MRN-2" {
		t.Fatalf("patients after a refused restore: %s", mrns)
	}

	// Full restore of the backup taken after the erasure: the operator
	// overrides the check (there is nobody to ask), and is told so.
	out := r.must("--repo", r2, "restore", "--skip-erasure-sync", "new.vnbk")
	if !strings.Contains(out, "1 patients") || !strings.Contains(out, "WARNING: erasures made since the backup were not checked") {
		t.Fatalf("restore: %s", out)
	}
	if mrns := patientMRNs(t, r, "--repo", r2); mrns != "MRN-2" {
		t.Fatalf("restored patients: %s", mrns)
	}
	r.must("--repo", r2, "verify", "--patient", "MRN-2")

	// The keystore is lost; the only backup predates the erasure. Restoring
	// its keys must leave MRN-1 out (the chain's deletion registry says so).
	if err := os.RemoveAll(filepath.Join(r.dir, "repo", "keystore")); err != nil {
		t.Fatal(err)
	}
	out = r.must("--json", "restore", "--keys-only", "old.vnbk")
	var res struct {
		ErasedSkipped  int      `json:"erasedSkipped"`
		ErasureSources []string `json:"erasureSources"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.ErasedSkipped != 1 || len(res.ErasureSources) != 1 || res.ErasureSources[0] != "chain" {
		t.Fatalf("keys-only restore of the old backup: %s", out)
	}
	if mrns := patientMRNs(t, r); mrns != "MRN-2" {
		t.Fatalf("patients after restoring the old backup: %s (the erased patient came back)", mrns)
	}
	r.want(1, "", "", "verify", "--patient", "MRN-1")
	r.must("verify", "--patient", "MRN-2")
}

func TestEcoKeysRotate(t *testing.T) {
	r := newRepo(t)
	r.want(2, "VAULTNODE_NEW_PASSPHRASE", "", "keys", "rotate")
	r.must("keys", "rotate", "--new-key-file", "new.key")
	if !strings.Contains(r.read("repo/config.json"), "new.key") {
		t.Fatal("config does not name the new key file")
	}
	r.must("patient", "list")
	// The old key file no longer opens the keystore.
	cfg := r.read("repo/config.json")
	r.write("repo/config.json", strings.Replace(cfg, "new.key", "master.key", 1))
	r.want(1, "wrong passphrase or key file", "", "patient", "list")
	r.write("repo/config.json", cfg)
	// To a passphrase.
	r.env = append(r.env, "VAULTNODE_NEW_PASSPHRASE=correct horse", "VAULTNODE_ARGON2=1,64,1")
	r.must("keys", "rotate")
	r.env = append(r.env, "VAULTNODE_PASSPHRASE=correct horse")
	if mrns := patientMRNs(t, r); mrns != "MRN-1" {
		t.Fatalf("after rotation to a passphrase: %s", mrns)
	}
	r.env = append(r.env, "VAULTNODE_PASSPHRASE=battery staple")
	r.want(1, "wrong passphrase", "", "patient", "list")
}
