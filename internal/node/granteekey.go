package node

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// A clinician's key file (keygen --out FILE) is sealed: the PRE secret key
// and the Ed25519 signing seed, 64 bytes, encrypted with keys.Seal under a
// passphrase (Argon2id) for the purpose GranteeKeyPurpose. The public key
// goes to a separate file (FILE with .pub for .key), one line of hex: that is
// what `grant --to` takes. docs/KEYSTORE.md §6.
const (
	GranteeKeyPurpose = fetch.GranteeKeyPurpose
	granteeSecretSize = 32 + 32
	maxKeyFileSize    = 16 << 10
)

// ErrUnsealedKey: a clinician key file written before key files were sealed
// (the secrets in clear hex). It is refused; `vaultnode keygen --seal FILE`
// seals it in place.
var ErrUnsealedKey = errors.New("unsealed clinician key file")

// ErrSecretKeyFile: a clinician's secret key file where a public key is
// wanted (grant --to).
var ErrSecretKeyFile = errors.New("a secret key file where a public key is wanted")

// legacyGranteeFile is the clear on-disk form of a clinician's key pair
// written before sealing (version 1): read only by SealGranteeKeyFile.
type legacyGranteeFile struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	PRE     string `json:"preSecret"`
	Sign    string `json:"signSeed"`
	Public  string `json:"public"`
}

func isLegacyGranteeFile(b []byte) bool {
	var f legacyGranteeFile
	return json.Unmarshal(b, &f) == nil && f.Kind == "vaultnode-grantee-key"
}

// PublicKeyPath is where keygen writes the public key of the key file
// path: path without .key, plus .pub.
func PublicKeyPath(path string) string {
	return strings.TrimSuffix(path, ".key") + ".pub"
}

// WriteGranteeKey writes a new clinician key pair to path, sealed under cred
// (Argon2id params; zero: keys.DefaultArgon2), and its public key to pubPath
// (PublicKeyPath(path) when empty). Neither file is overwritten; the secret
// file is mode 0600.
func WriteGranteeKey(path, pubPath string, cred keys.Credential, params keys.Argon2Params) (p2p.GranteeKey, error) {
	g, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		return p2p.GranteeKey{}, err
	}
	defer g.Wipe()
	return writeGrantee(g, path, pubPath, cred, params, false)
}

func writeGrantee(g *p2p.Grantee, path, pubPath string, cred keys.Credential, params keys.Argon2Params, replace bool) (p2p.GranteeKey, error) {
	if pubPath == "" {
		pubPath = PublicKeyPath(path)
	}
	if filepath.Clean(pubPath) == filepath.Clean(path) {
		return p2p.GranteeKey{}, fmt.Errorf("%w: the public key file must not be the key file (%s)", ErrBadInput, path)
	}
	secret := make([]byte, 0, granteeSecretSize)
	secret = append(secret, g.PRE.Bytes()...)
	secret = append(secret, g.Sign.Seed()...)
	defer wipe(secret)
	sealed, err := keys.Seal(secret, GranteeKeyPurpose, cred, params, nil)
	if err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("key file: %w", err)
	}
	pub := g.Public()
	pubLine := []byte(hex.EncodeToString(pub.Bytes()) + "\n")
	if !replace {
		if _, err := os.Stat(pubPath); err == nil {
			return p2p.GranteeKey{}, fmt.Errorf("public key file %s: %w", pubPath, fs.ErrExist)
		}
		fh, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return p2p.GranteeKey{}, fmt.Errorf("key file: %w", err)
		}
		_, werr := fh.Write(sealed)
		if err := errors.Join(werr, fh.Sync(), fh.Close()); err != nil {
			_ = os.Remove(path)
			return p2p.GranteeKey{}, fmt.Errorf("key file %s: %w", path, err)
		}
	} else if err := atomicfile.Write(path, sealed, 0o600); err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	if err := atomicfile.Write(pubPath, pubLine, 0o644); err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("public key file %s: %w", pubPath, err)
	}
	return pub, nil
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	b := make([]byte, maxKeyFileSize+1)
	n, err := f.Read(b)
	for err == nil && n < len(b) {
		var k int
		k, err = f.Read(b[n:])
		n += k
	}
	if n > maxKeyFileSize {
		wipe(b)
		return nil, fmt.Errorf("%w: %s is not a vaultnode clinician key file (too large)", ErrBadInput, path)
	}
	return b[:n], nil
}

// ReadGranteeKey opens the sealed clinician key file at path with cred. The
// caller wipes the returned keys (Grantee.Wipe); every copy of the secret
// read here is wiped before returning. A clear (unsealed) key file is
// refused with ErrUnsealedKey.
func ReadGranteeKey(path string, cred keys.Credential) (*p2p.Grantee, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	defer wipe(b)
	if isLegacyGranteeFile(b) {
		return nil, fmt.Errorf("%w: %s holds the clinician's secret keys in clear; seal it with `vaultnode keygen --seal %s` (passphrase from $%s or --passphrase-file)",
			ErrUnsealedKey, path, path, GranteePassphraseEnv)
	}
	g, err := fetch.OpenGranteeKey(b, cred)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

func granteeFromSecret(path string, secret []byte) (*p2p.Grantee, error) {
	if len(secret) != granteeSecretSize {
		return nil, fmt.Errorf("%w: %s: malformed key", ErrBadInput, path)
	}
	sk, err := reencrypt.SecretKeyFromBytes(secret[:32])
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadInput, path, err)
	}
	return &p2p.Grantee{PRE: sk, Sign: ed25519NewKeyFromSeed(secret[32:])}, nil
}

// SealGranteeKeyFile seals a clear (version 1) clinician key file in place
// under cred, and writes its public key file (PublicKeyPath when pubPath is
// empty). The clear file is replaced atomically.
func SealGranteeKeyFile(path, pubPath string, cred keys.Credential, params keys.Argon2Params) (p2p.GranteeKey, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return p2p.GranteeKey{}, err
	}
	defer wipe(b)
	if keys.SealedPurpose(b) == GranteeKeyPurpose {
		return p2p.GranteeKey{}, fmt.Errorf("%w: %s is already sealed", ErrBadInput, path)
	}
	var f legacyGranteeFile
	if err := strictJSON(b, &f); err != nil || f.Kind != "vaultnode-grantee-key" || f.Version != 1 {
		return p2p.GranteeKey{}, fmt.Errorf("%w: %s is not a clear vaultnode clinician key file", ErrBadInput, path)
	}
	pre, err1 := hex.DecodeString(f.PRE)
	seed, err2 := hex.DecodeString(f.Sign)
	defer wipe(pre)
	defer wipe(seed)
	if err1 != nil || err2 != nil || len(pre) != 32 || len(seed) != 32 {
		return p2p.GranteeKey{}, fmt.Errorf("%w: %s: malformed key", ErrBadInput, path)
	}
	g, err := granteeFromSecret(path, append(append(make([]byte, 0, 64), pre...), seed...))
	if err != nil {
		return p2p.GranteeKey{}, err
	}
	defer g.Wipe()
	if hex.EncodeToString(g.Public().Bytes()) != f.Public {
		return p2p.GranteeKey{}, fmt.Errorf("%w: %s: public key does not match the secret keys", ErrBadInput, path)
	}
	return writeGrantee(g, path, pubPath, cred, params, true)
}

// ParseGranteeHex decodes a grantee public key given as hex (what the API
// takes: a daemon never reads a file a client names).
func ParseGranteeHex(s string) (p2p.GranteeKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("%w: grantee public key is not hex", ErrBadInput)
	}
	k, err := p2p.ParseGranteeKey(b)
	if err != nil {
		return k, fmt.Errorf("%w: grantee public key: %v", ErrBadInput, err)
	}
	return k, nil
}

// ParseGranteePublic decodes a grantee public key given as hex, or the path
// of a public key file (keygen's .pub). A clinician's secret key file
// (sealed or clear) is refused with ErrSecretKeyFile: the secret never goes
// to the granting side.
func ParseGranteePublic(s string) (p2p.GranteeKey, error) {
	if b, err := hex.DecodeString(strings.TrimSpace(s)); err == nil {
		k, err := p2p.ParseGranteeKey(b)
		if err != nil {
			return k, fmt.Errorf("%w: grantee public key: %v", ErrBadInput, err)
		}
		return k, nil
	}
	raw, err := readKeyFile(s)
	if err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("%w: --to is neither a hex public key nor a readable file", ErrBadInput)
	}
	defer wipe(raw)
	if keys.IsSealed(raw) || isLegacyGranteeFile(raw) {
		return p2p.GranteeKey{}, fmt.Errorf("%w: %s is the clinician's secret key file; give the public key file %s (written by keygen) or the hex public key",
			ErrSecretKeyFile, s, PublicKeyPath(s))
	}
	return ParseGranteeHex(string(raw))
}

// GranteePassphraseEnv holds the passphrase of a clinician's key file.
const GranteePassphraseEnv = "VAULTNODE_KEY_PASSPHRASE"
