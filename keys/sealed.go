package keys

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sealed files: a small secret (a clinician's key pair) kept at rest under a
// passphrase (Argon2id) or a key file (HKDF), with the same KDF block, key
// check and AEAD as the keystore header (docs/KEYSTORE.md §6).
const (
	sealedFormat  = "vaultnode-sealed"
	sealedVersion = 1
	maxSealedSize = 16 << 10
)

// sealedFile is the JSON envelope of a sealed secret.
type sealedFile struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Purpose names what is sealed ("grantee-key"); it is bound into the
	// associated data, so a file sealed for one purpose does not open as
	// another.
	Purpose string `json:"purpose"`
	kdfBlock
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

func (f *sealedFile) ad() []byte {
	return f.kdfBlock.adBytes("vaultnode/sealed/v1/" + f.Purpose)
}

// Seal encrypts secret for purpose under cred (Argon2id with params for a
// passphrase; DefaultArgon2 when params is zero) and returns the file's
// bytes (JSON). rnd nil means crypto/rand.
func Seal(secret []byte, purpose string, cred Credential, params Argon2Params, rnd io.Reader) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if params == (Argon2Params{}) {
		params = DefaultArgon2
	}
	if purpose == "" {
		return nil, fmt.Errorf("%w: seal: empty purpose", ErrInvalid)
	}
	kb, master, err := newKDFBlock(cred, params, rnd)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	defer wipe(master)
	f := sealedFile{Format: sealedFormat, Version: sealedVersion, Purpose: purpose, kdfBlock: kb, Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := io.ReadFull(rnd, f.Nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	f.Ciphertext = wrapAEAD(master, "vaultnode/sealed/v1/key").Seal(nil, f.Nonce, secret, f.ad())
	b, err := json.MarshalIndent(&f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return append(b, '\n'), nil
}

// IsSealed reports whether b looks like a sealed file (of any purpose and
// version), without checking it.
func IsSealed(b []byte) bool {
	var f struct {
		Format string `json:"format"`
	}
	return len(b) <= maxSealedSize && json.Unmarshal(b, &f) == nil && f.Format == sealedFormat
}

// SealedPurpose is the purpose recorded in a sealed file, or "" when b is
// not one.
func SealedPurpose(b []byte) string {
	var f struct {
		Format  string `json:"format"`
		Purpose string `json:"purpose"`
	}
	if len(b) > maxSealedSize || json.Unmarshal(b, &f) != nil || f.Format != sealedFormat {
		return ""
	}
	return f.Purpose
}

// SealedKDF is the kind of credential a sealed file needs: "argon2id" (a
// passphrase) or "keyfile", or "" when b is not a sealed file.
func SealedKDF(b []byte) string {
	var f struct {
		Format string `json:"format"`
		KDF    string `json:"kdf"`
	}
	if len(b) > maxSealedSize || json.Unmarshal(b, &f) != nil || f.Format != sealedFormat {
		return ""
	}
	return f.KDF
}

// Unseal opens a sealed file for purpose with cred and returns the secret
// (the caller wipes it). A wrong credential is ErrWrongPassphrase; a file
// that is altered, truncated or sealed for another purpose is ErrCorrupt.
// The KDF parameters are validated before any key derivation.
func Unseal(b []byte, purpose string, cred Credential) ([]byte, error) {
	if len(b) > maxSealedSize {
		return nil, fmt.Errorf("sealed file: %w: %d bytes, limit %d", ErrCorrupt, len(b), maxSealedSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f sealedFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("sealed file: %w: %v", ErrCorrupt, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("sealed file: %w: trailing data", ErrCorrupt)
	}
	if f.Format != sealedFormat {
		return nil, fmt.Errorf("sealed file: %w: format %q", ErrCorrupt, f.Format)
	}
	if f.Version != sealedVersion {
		return nil, fmt.Errorf("sealed file: %w: version %d (this build reads %d)", ErrUnsupportedVersion, f.Version, sealedVersion)
	}
	if f.Purpose != purpose {
		return nil, fmt.Errorf("sealed file: %w: it holds a %q, not a %q", ErrCorrupt, f.Purpose, purpose)
	}
	if len(f.Nonce) != chacha20poly1305.NonceSizeX || len(f.Ciphertext) < chacha20poly1305.Overhead {
		return nil, fmt.Errorf("sealed file: %w: nonce or ciphertext length", ErrCorrupt)
	}
	master, err := f.kdfBlock.unlock(cred)
	if err != nil {
		return nil, fmt.Errorf("sealed file: %w", err)
	}
	defer wipe(master)
	pt, err := wrapAEAD(master, "vaultnode/sealed/v1/key").Open(nil, f.Nonce, f.Ciphertext, f.ad())
	if err != nil {
		return nil, fmt.Errorf("sealed file: %w: fails authentication (altered or truncated)", ErrCorrupt)
	}
	return pt, nil
}
