package keys

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// PassphraseEnv is the environment variable read by PassphraseFromEnv for
// non-interactive use.
const PassphraseEnv = "VAULTNODE_PASSPHRASE"

// Key file limits: a key file holds at least KeyFileMinSize bytes of
// secret material (GenerateKeyFile writes 32 random bytes).
const (
	KeyFileMinSize = 32
	keyFileMaxSize = 4096
)

type credKind uint8

const (
	credNone credKind = iota
	credPassphrase
	credKeyFile
)

func (k credKind) kdfName() string {
	switch k {
	case credPassphrase:
		return kdfArgon2id
	case credKeyFile:
		return kdfKeyFile
	}
	return ""
}

// Credential is what unlocks the node master key: a passphrase (stretched
// with Argon2id) or the contents of a key file (expanded with HKDF). It holds
// a private copy of the secret; call Wipe when done with it.
type Credential struct {
	kind   credKind
	secret []byte
}

// Passphrase returns a passphrase credential. The bytes are copied; the
// caller may wipe its own copy.
func Passphrase(p []byte) Credential {
	return Credential{kind: credPassphrase, secret: append([]byte(nil), p...)}
}

// PassphraseFromEnv reads the passphrase from $VAULTNODE_PASSPHRASE. It
// returns ErrNoPassphrase when the variable is unset or empty.
func PassphraseFromEnv() (Credential, error) {
	v, ok := os.LookupEnv(PassphraseEnv)
	if !ok || v == "" {
		return Credential{}, ErrNoPassphrase
	}
	return Credential{kind: credPassphrase, secret: []byte(v)}, nil
}

// KeyFile reads a key file credential from path. The file must hold between
// KeyFileMinSize and 4096 bytes; all its bytes are the secret.
func KeyFile(path string) (Credential, error) {
	f, err := os.Open(path)
	if err != nil {
		return Credential{}, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, keyFileMaxSize+1))
	if err != nil {
		return Credential{}, fmt.Errorf("key file %s: %w", path, err)
	}
	c, err := KeyFileBytes(b)
	wipe(b)
	if err != nil {
		return Credential{}, fmt.Errorf("key file %s: %w", path, err)
	}
	return c, nil
}

// KeyFileBytes returns a key file credential from the file's contents (copied).
func KeyFileBytes(b []byte) (Credential, error) {
	if len(b) < KeyFileMinSize || len(b) > keyFileMaxSize {
		return Credential{}, fmt.Errorf("%w: key file must hold %d to %d bytes, has %d",
			ErrInvalid, KeyFileMinSize, keyFileMaxSize, len(b))
	}
	return Credential{kind: credKeyFile, secret: append([]byte(nil), b...)}, nil
}

// GenerateKeyFile writes a new key file of 32 random bytes at path, with
// mode 0600. It refuses to overwrite an existing file.
func GenerateKeyFile(path string, rnd io.Reader) error {
	if rnd == nil {
		rnd = rand.Reader
	}
	var k [32]byte
	defer wipe(k[:])
	if _, err := io.ReadFull(rnd, k[:]); err != nil {
		return fmt.Errorf("generate key file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("generate key file: %s: %w", path, ErrExists)
		}
		return fmt.Errorf("generate key file: %w", err)
	}
	if _, err := f.Write(k[:]); err != nil {
		f.Close()
		return fmt.Errorf("generate key file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("generate key file %s: %w", path, err)
	}
	return f.Close()
}

// Wipe overwrites the secret held by c.
func (c *Credential) Wipe() {
	wipe(c.secret)
	c.secret = nil
	c.kind = credNone
}

func (c Credential) check() error {
	switch c.kind {
	case credPassphrase:
		if len(c.secret) == 0 {
			return fmt.Errorf("%w: empty passphrase", ErrNoPassphrase)
		}
		return nil
	case credKeyFile:
		return nil
	}
	return fmt.Errorf("%w: no credential (use Passphrase, PassphraseFromEnv or KeyFile)", ErrInvalid)
}

// wipe overwrites b with zeros.
func wipe(b []byte) {
	clear(b)
}
