package manufacturer

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

var cheap = keys.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

func contracts(t testing.TB, lifecycle bool) []byte {
	t.Helper()
	a := pointers.Addresses{ChainID: 1337, Consortium: common.HexToAddress("0x01"), Commitments: common.HexToAddress("0x02"),
		Grants: common.HexToAddress("0x03"), Erasures: common.HexToAddress("0x04"), AuditAnchors: common.HexToAddress("0x05")}
	if lifecycle {
		a.Lifecycle = common.HexToAddress("0x06")
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInitSealsKeysAndRefusesBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme")
	req := InitRequest{Dir: dir, Name: "Acme", ChainRPC: "http://127.0.0.1:1", Contracts: contracts(t, true), Cred: keys.Passphrase([]byte("pw")), Argon2: cheap}
	for name, bad := range map[string]func(*InitRequest){
		"no name":        func(r *InitRequest) { r.Name = " " },
		"long name":      func(r *InitRequest) { r.Name = strings.Repeat("x", 129) },
		"no chain":       func(r *InitRequest) { r.ChainRPC = "" },
		"contracts junk": func(r *InitRequest) { r.Contracts = []byte("{") },
		"no lifecycle":   func(r *InitRequest) { r.Contracts = contracts(t, false) },
		"unknown field":  func(r *InitRequest) { r.Contracts = []byte(`{"chainId":1,"extra":1}`) },
	} {
		r := req
		bad(&r)
		if _, err := Init(r); !errors.Is(err, pointers.ErrBadInput) {
			t.Errorf("%s: %v, want bad input", name, err)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Fatalf("%s: the refused init left %s behind", name, dir)
		}
	}
	id, err := Init(req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(id.AdmitCommand(), "--account "+id.Account+" --signing-key "+id.SigningKey) {
		t.Fatalf("admit command %q", id.AdmitCommand())
	}
	if _, err := Init(req); !errors.Is(err, keys.ErrExists) {
		t.Fatalf("a second init in the same directory: %v", err)
	}
	sealed, err := os.ReadFile(filepath.Join(dir, keyFile))
	if err != nil {
		t.Fatal(err)
	}
	if !keys.IsSealed(sealed) || keys.SealedPurpose(sealed) != keyPurpose || strings.Contains(string(sealed), "chainKey") {
		t.Fatalf("the key file is not sealed for its purpose: %.80s", sealed)
	}
	// Opening unseals before it dials: a wrong passphrase and an altered file are told apart.
	ctx := context.Background()
	if _, err := Open(ctx, dir, keys.Passphrase([]byte("other"))); !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	var env map[string]any
	if err := json.Unmarshal(sealed, &env); err != nil {
		t.Fatal(err)
	}
	ct, _ := base64.StdEncoding.DecodeString(env["ciphertext"].(string))
	ct[len(ct)/2] ^= 1
	env["ciphertext"] = base64.StdEncoding.EncodeToString(ct)
	alt, _ := json.Marshal(env)
	if err := os.WriteFile(filepath.Join(dir, keyFile), alt, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dir, keys.Passphrase([]byte("pw"))); !errors.Is(err, keys.ErrCorrupt) {
		t.Fatalf("an altered key file: %v, want corrupt", err)
	}
	// Another sealed secret (a clinician's key, say) in its place does not open as a manufacturer's.
	other, err := keys.Seal([]byte("{}"), "grantee-key", keys.Passphrase([]byte("pw")), cheap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, keyFile), other, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dir, keys.Passphrase([]byte("pw"))); !errors.Is(err, keys.ErrCorrupt) {
		t.Fatalf("a key file sealed for another purpose: %v, want corrupt", err)
	}
	if _, err := Open(ctx, t.TempDir(), keys.Passphrase([]byte("pw"))); !errors.Is(err, fault.ErrUsage) {
		t.Fatalf("a directory without a manufacturer: %v", err)
	}
}

func TestImageHash(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fw.bin")
	if err := os.WriteFile(p, []byte("firmware"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte("firmware"))
	if h, err := ImageHash(p, ""); err != nil || h != want {
		t.Fatalf("from the file: %x %v", h, err)
	}
	if h, err := ImageHash("", strings.Repeat("ab", 32)); err != nil || h[0] != 0xab {
		t.Fatalf("from hex: %x %v", h, err)
	}
	for _, c := range [][2]string{{"", ""}, {p, "ab"}} {
		if _, err := ImageHash(c[0], c[1]); !errors.Is(err, fault.ErrUsage) {
			t.Errorf("ImageHash(%q, %q): %v, want a usage error", c[0], c[1], err)
		}
	}
	for _, bad := range []string{"ab", strings.Repeat("zz", 32), strings.Repeat("ab", 33)} {
		if _, err := ImageHash("", bad); !errors.Is(err, pointers.ErrBadInput) {
			t.Errorf("ImageHash(%q): %v, want bad input", bad, err)
		}
	}
	if _, err := ImageHash(filepath.Join(t.TempDir(), "missing"), ""); !errors.Is(err, pointers.ErrBadInput) {
		t.Errorf("a missing image file: %v", err)
	}
}

// A manufacturer.json that opens has every field well-formed: what Init writes parses back, and anything
// else is refused as bad input, never half-read.
func FuzzParseConfig(f *testing.F) {
	dir := filepath.Join(f.TempDir(), "m")
	if _, err := Init(InitRequest{Dir: dir, Name: "Acme", ChainRPC: "http://127.0.0.1:1", Contracts: contracts(f, true),
		Cred: keys.Passphrase([]byte("pw")), Argon2: cheap}); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join(dir, configFile))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := parseConfig(good); err != nil {
		f.Fatalf("what Init wrote does not parse: %v", err)
	}
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"name":"x","extra":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := parseConfig(b)
		if err != nil {
			if !errors.Is(err, pointers.ErrBadInput) {
				t.Fatalf("%q: %v, want bad input", b, err)
			}
			return
		}
		if cfg.Name == "" || !common.IsHexAddress(cfg.Account) || len(cfg.SigningKey) != 64 || cfg.Contracts.Lifecycle == (common.Address{}) {
			t.Fatalf("%q: accepted %+v", b, cfg)
		}
	})
}
