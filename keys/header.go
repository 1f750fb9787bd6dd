package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/chacha20poly1305"
)

// Header file of a keystore directory (see docs/KEYSTORE.md).
const (
	headerFile    = "KEYSTORE"
	headerFormat  = "vaultnode-keystore"
	headerVersion = 1
	dbDir         = "db"
	maxHeaderSize = 4096
	keystoreIDLen = 16
	dataKeySize   = 32
)

type cipherAEAD = interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

// header is the KEYSTORE file: the only place the data key lives, wrapped
// under the node master key.
type header struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	ID      []byte `json:"id"`
	kdfBlock
	Nonce      []byte `json:"nonce"`
	WrappedKey []byte `json:"wrapped_key"`
}

func (h *header) ad() []byte {
	ad := h.kdfBlock.adBytes("vaultnode/keystore/v1/header")
	return append(ad, h.ID...)
}

// decodeHeader parses and validates a header file (strict JSON, bounded).
func decodeHeader(b []byte) (*header, error) {
	if len(b) > maxHeaderSize {
		return nil, fmt.Errorf("keystore header: %w: %d bytes, limit %d", ErrCorrupt, len(b), maxHeaderSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var h header
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("keystore header: %w: %v", ErrCorrupt, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("keystore header: %w: trailing data", ErrCorrupt)
	}
	if h.Format != headerFormat {
		return nil, fmt.Errorf("keystore header: %w: format %q", ErrNotKeystore, h.Format)
	}
	if h.Version != headerVersion {
		return nil, fmt.Errorf("keystore header: %w: version %d (this build reads %d)", ErrUnsupportedVersion, h.Version, headerVersion)
	}
	if len(h.ID) != keystoreIDLen {
		return nil, fmt.Errorf("keystore header: %w: id is %d bytes", ErrCorrupt, len(h.ID))
	}
	if err := h.kdfBlock.validate(); err != nil {
		return nil, fmt.Errorf("keystore header: %w", err)
	}
	if len(h.Nonce) != chacha20poly1305.NonceSizeX {
		return nil, fmt.Errorf("keystore header: %w: nonce is %d bytes", ErrCorrupt, len(h.Nonce))
	}
	if len(h.WrappedKey) != dataKeySize+chacha20poly1305.Overhead {
		return nil, fmt.Errorf("keystore header: %w: wrapped key is %d bytes", ErrCorrupt, len(h.WrappedKey))
	}
	return &h, nil
}

func (h *header) encode() []byte {
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		panic("keys: header encoding: " + err.Error())
	}
	return append(b, '\n')
}

// newHeader wraps dataKey under a master key derived from cred.
func newHeader(id []byte, cred Credential, params Argon2Params, dataKey []byte, rnd io.Reader) (*header, error) {
	kb, master, err := newKDFBlock(cred, params, rnd)
	if err != nil {
		return nil, err
	}
	defer wipe(master)
	h := &header{Format: headerFormat, Version: headerVersion, ID: append([]byte(nil), id...), kdfBlock: kb,
		Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := io.ReadFull(rnd, h.Nonce); err != nil {
		return nil, fmt.Errorf("header nonce: %w", err)
	}
	h.WrappedKey = wrapAEAD(master, "vaultnode/keystore/v1/wrap").Seal(nil, h.Nonce, dataKey, h.ad())
	return h, nil
}

// unwrap returns the data key (caller wipes it).
func (h *header) unwrap(cred Credential) ([]byte, error) {
	master, err := h.kdfBlock.unlock(cred)
	if err != nil {
		return nil, err
	}
	defer wipe(master)
	dk, err := wrapAEAD(master, "vaultnode/keystore/v1/wrap").Open(nil, h.Nonce, h.WrappedKey, h.ad())
	if err != nil {
		// The key check matched, so the credential is right: the header was altered.
		return nil, fmt.Errorf("keystore header: %w: wrapped key fails authentication", ErrCorrupt)
	}
	return dk, nil
}

func readHeader(dir string) (*header, error) {
	f, err := os.Open(filepath.Join(dir, headerFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w (no %s file)", dir, ErrNotKeystore, headerFile)
		}
		return nil, fmt.Errorf("keystore header: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHeaderSize+1))
	if err != nil {
		return nil, fmt.Errorf("keystore header: %w", err)
	}
	return decodeHeader(b)
}

// replaceHeader swaps in a new header (master key rotation) and scrubs
// the old one: the old file is kept under a hard link while the new one is
// renamed over it, then overwritten with zeros, synced and removed, so its
// bytes do not stay in freed blocks (on file systems that overwrite in
// place). A crash leaves either header valid; Open scrubs a leftover.
func replaceHeader(dir string, h *header) error {
	cur := filepath.Join(dir, headerFile)
	old := filepath.Join(dir, headerFile+".old")
	os.Remove(old)
	if err := os.Link(cur, old); err != nil {
		return fmt.Errorf("keep old keystore header: %w", err)
	}
	if err := writeHeader(dir, h); err != nil {
		os.Remove(old)
		return err
	}
	return scrubFile(old)
}

// scrubOldHeader removes a leftover KEYSTORE.old. If the rotation crashed
// before the rename, it is a second link to the current header: then it is
// only unlinked, never overwritten.
func scrubOldHeader(dir string) error {
	old := filepath.Join(dir, headerFile+".old")
	ost, err := os.Stat(old)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("old keystore header: %w", err)
	}
	if cst, err := os.Stat(filepath.Join(dir, headerFile)); err == nil && os.SameFile(ost, cst) {
		if err := os.Remove(old); err != nil {
			return fmt.Errorf("old keystore header: %w", err)
		}
		return syncDir(dir)
	}
	return scrubFile(old)
}

// scrubFile overwrites a file with zeros, syncs and removes it. A missing
// file is not an error.
func scrubFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("scrub %s: %w", path, err)
	}
	st, err := f.Stat()
	if err == nil {
		_, err = f.WriteAt(make([]byte, st.Size()), 0)
	}
	if err == nil {
		err = f.Sync()
	}
	f.Close()
	if err != nil {
		return fmt.Errorf("scrub %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("scrub %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// writeHeader replaces the header atomically: write a temporary file,
// fsync, rename over, fsync the directory.
func writeHeader(dir string, h *header) error {
	tmp := filepath.Join(dir, headerFile+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write keystore header: %w", err)
	}
	if _, err := f.Write(h.encode()); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write keystore header: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write keystore header: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write keystore header: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, headerFile)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write keystore header: %w", err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
