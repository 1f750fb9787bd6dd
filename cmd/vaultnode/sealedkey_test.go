package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultnode/vaultnode/p2p"
)

// The clinician's key file is sealed at rest (issue 18): keygen writes the
// secret keys encrypted under a passphrase (Argon2id) and the public key to a
// separate .pub file; grant --to refuses the secret file; fetch needs the
// passphrase; a clear key file of an older vaultnode is refused with the
// command that seals it.
func TestClinicianKeyFileSealed(t *testing.T) {
	r := newRepo(t)
	batch, _ := readings(5)
	r.write("b.raw", batch)
	r.write("b.jsonl", r.must("device", "sign", "--key", "dev.key", "b.raw"))
	r.must("ingest", "--device", "cgm-1", "b.jsonl")

	var kg struct {
		File, PublicFile, Public string
	}
	if err := json.Unmarshal([]byte(r.must("--json", "keygen", "--out", "dr-ito.key")), &kg); err != nil {
		t.Fatal(err)
	}
	sealed := r.read("dr-ito.key")
	// Nothing of the old clear format, and no 32-byte hex string (a secret
	// key or seed in clear) in the file.
	for _, clear := range []string{"preSecret", "signSeed", "vaultnode-grantee-key"} {
		if strings.Contains(sealed, clear) {
			t.Fatalf("the key file holds %q: not sealed:\n%s", clear, sealed)
		}
	}
	if !strings.Contains(sealed, `"argon2id"`) || !strings.Contains(sealed, `"ciphertext"`) {
		t.Fatalf("the key file is not an Argon2id-sealed file:\n%s", sealed)
	}
	if st, err := os.Stat(filepath.Join(r.dir, "dr-ito.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	if pub := strings.TrimSpace(r.read("dr-ito.pub")); pub != kg.Public || kg.PublicFile != "dr-ito.pub" {
		t.Fatalf("public key file %q, keygen printed %q (%q)", pub, kg.Public, kg.PublicFile)
	}

	// The secret file is not a public key: refused, naming the .pub file.
	r.want(2, "dr-ito.pub", "", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "dr-ito.key", "--until", "1h")
	var g struct{ Ticket string }
	if err := json.Unmarshal([]byte(r.must("--json", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "dr-ito.pub", "--until", "1h", "--threshold", "1")), &g); err != nil {
		t.Fatal(err)
	}
	// The hex string still works as --to.
	r.must("grant", "--patient", "MRN-1", "--stream", "glucose", "--to", kg.Public, "--until", "1h", "--threshold", "1")

	// Fetch: with the passphrase (env), from a file, wrong, missing.
	if got := parseFetched(t, r.must("fetch", "--key", "dr-ito.key", "--ticket", g.Ticket)); len(got) != 5 {
		t.Fatalf("fetched %d readings, want 5", len(got))
	}
	r.write("pass.txt", testKeyPassphrase+"\n")
	noEnv := &repo{t: t, dir: r.dir, env: append(append([]string{}, r.env...), "VAULTNODE_KEY_PASSPHRASE=")}
	if got := parseFetched(t, noEnv.must("fetch", "--key", "dr-ito.key", "--passphrase-file", "pass.txt", "--ticket", g.Ticket)); len(got) != 5 {
		t.Fatalf("fetched %d readings with --passphrase-file, want 5", len(got))
	}
	noEnv.want(2, "VAULTNODE_KEY_PASSPHRASE", "", "fetch", "--key", "dr-ito.key", "--ticket", g.Ticket)
	wrong := &repo{t: t, dir: r.dir, env: append(append([]string{}, r.env...), "VAULTNODE_KEY_PASSPHRASE=not the passphrase")}
	wrong.want(1, "wrong passphrase", "", "fetch", "--key", "dr-ito.key", "--ticket", g.Ticket)
	// A passphrase is never a flag value.
	r.want(2, "unknown flag", "", "keygen", "--out", "x.key", "--passphrase", "secret")

	// A clear key file from before: refused, naming the command that seals
	// it; sealed in place, it works.
	old, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	legacy, _ := json.Marshal(map[string]any{"version": 1, "kind": "vaultnode-grantee-key", "preSecret": hex.EncodeToString(old.PRE.Bytes()),
		"signSeed": hex.EncodeToString(old.Sign.Seed()), "public": hex.EncodeToString(old.Public().Bytes())})
	r.write("old.key", string(legacy))
	oldPub := hex.EncodeToString(old.Public().Bytes())
	r.want(2, "old.pub", "", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "old.key", "--until", "1h")
	if err := json.Unmarshal([]byte(r.must("--json", "grant", "--patient", "MRN-1", "--stream", "glucose", "--to", oldPub, "--until", "1h", "--threshold", "1")), &g); err != nil {
		t.Fatal(err)
	}
	r.want(1, "keygen --seal old.key", "", "fetch", "--key", "old.key", "--ticket", g.Ticket)
	if out := strings.TrimSpace(r.must("keygen", "--seal", "old.key")); out != oldPub {
		t.Fatalf("keygen --seal printed %q, want the public key %s", out, oldPub)
	}
	if strings.Contains(r.read("old.key"), hex.EncodeToString(old.PRE.Bytes())) || strings.TrimSpace(r.read("old.pub")) != oldPub {
		t.Fatal("keygen --seal left the secret in clear, or wrote another public key")
	}
	if got := parseFetched(t, r.must("fetch", "--key", "old.key", "--ticket", g.Ticket)); len(got) != 5 {
		t.Fatalf("fetched %d readings with the sealed old key, want 5", len(got))
	}
	r.want(1, "already sealed", "", "keygen", "--seal", "old.key")
}
