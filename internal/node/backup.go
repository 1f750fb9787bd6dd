package node

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// Repo backup file format (docs/OPERATIONS.md):
//
//	magic "VNREPOBK1\n" | header length u32 BE | header (JSON) | chunk*
//	chunk = ciphertext length u32 BE | XChaCha20-Poly1305(key, nonce, plaintext ≤ 1 MiB, AD)
//	nonce = header.noncePrefix (16 bytes) || chunk counter u64 BE
//	AD    = magic || header || final flag (1 on the last chunk, else 0)
//
// The key is Argon2id(passphrase, salt, t, m, p) or HKDF-SHA256(key file
// bytes, salt, "vaultnode/repo-backup/v1"). The plaintext is a tar stream:
// "keystore.vnkb", the keystore's own encrypted backup (keys.Export: a
// destroyed patient's keys are never in it), then "repo/<path>" for every
// other repo file (config, tokens, access log, erasure and purge records,
// chain journal and data, ciphertext blocks). Chunks are authenticated one
// by one, in order, and the stream must end with the final chunk, so a cut,
// reordered or altered file is refused; restore writes nothing until the
// whole file has authenticated.
const (
	repoBackupMagic   = "VNREPOBK1\n"
	repoBackupFormat  = "vaultnode-repo-backup"
	repoBackupChunk   = 1 << 20
	keystoreEntryName = "keystore.vnkb"
	repoEntryPrefix   = "repo/"
)

// BackupSecret protects a repo backup: a passphrase (Argon2id) or the bytes
// of a key file (HKDF). Wipe it when done.
type BackupSecret struct {
	secret  []byte
	keyFile bool
	argon   keys.Argon2Params
}

// BackupPassphrase returns a passphrase secret (copied); params zero means
// keys.DefaultArgon2.
func BackupPassphrase(p []byte, params keys.Argon2Params) BackupSecret {
	return BackupSecret{secret: append([]byte(nil), p...), argon: params}
}

// BackupKeyFile reads a key-file secret (at least 32 bytes).
func BackupKeyFile(path string) (BackupSecret, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return BackupSecret{}, fmt.Errorf("backup key file: %w", err)
	}
	if len(b) < keys.KeyFileMinSize || len(b) > 4096 {
		wipe(b)
		return BackupSecret{}, fmt.Errorf("%w: backup key file must hold %d..4096 bytes", ErrBadInput, keys.KeyFileMinSize)
	}
	return BackupSecret{secret: b, keyFile: true}, nil
}

// Wipe overwrites the secret.
func (s *BackupSecret) Wipe() { wipe(s.secret) }

// credential is the same secret as a keystore credential (for keys.Export
// and keys.Import of the keystore part).
func (s BackupSecret) credential() (keys.Credential, error) {
	if s.keyFile {
		return keys.KeyFileBytes(s.secret)
	}
	return keys.Passphrase(s.secret), nil
}

type repoBackupHeader struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	Created     time.Time `json:"created"`
	PeerID      string    `json:"peerId"`
	KDF         string    `json:"kdf"` // "argon2id" or "hkdf-sha256"
	Salt        []byte    `json:"salt"`
	Time        uint32    `json:"t,omitempty"`
	MemoryKiB   uint32    `json:"m,omitempty"`
	Threads     uint8     `json:"p,omitempty"`
	NoncePrefix []byte    `json:"noncePrefix"`
}

func (h *repoBackupHeader) key(s BackupSecret) ([]byte, error) {
	switch h.KDF {
	case "argon2id":
		if s.keyFile {
			return nil, fmt.Errorf("%w: this backup is protected by a passphrase, not a key file", keys.ErrWrongPassphrase)
		}
		if h.Time == 0 || h.Time > 16 || h.MemoryKiB < 8 || h.MemoryKiB > 1<<20 || h.Threads == 0 || h.Threads > 64 {
			return nil, fmt.Errorf("%w: backup header: implausible Argon2id parameters", keys.ErrCorrupt)
		}
		return argon2.IDKey(s.secret, h.Salt, h.Time, h.MemoryKiB, h.Threads, chacha20poly1305.KeySize), nil
	case "hkdf-sha256":
		if !s.keyFile {
			return nil, fmt.Errorf("%w: this backup is protected by a key file, not a passphrase", keys.ErrWrongPassphrase)
		}
		k := make([]byte, chacha20poly1305.KeySize)
		if _, err := io.ReadFull(hkdf.New(sha256.New, s.secret, h.Salt, []byte("vaultnode/repo-backup/v1")), k); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: backup header: unknown kdf %q", keys.ErrCorrupt, h.KDF)
}

// chunkWriter seals a stream into authenticated chunks.
type chunkWriter struct {
	w    io.Writer
	aead interface {
		Seal(dst, nonce, pt, ad []byte) []byte
	}
	prefix []byte
	ad     []byte
	buf    []byte
	n      uint64
}

func (c *chunkWriter) nonce() []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), c.prefix...), c.n)
}

func (c *chunkWriter) flush(final bool) error {
	flag := byte(0)
	if final {
		flag = 1
	}
	ct := c.aead.Seal(nil, c.nonce(), c.buf, append(c.ad, flag))
	c.n++
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(ct)))
	if _, err := c.w.Write(l[:]); err != nil {
		return err
	}
	_, err := c.w.Write(ct)
	wipe(c.buf)
	c.buf = c.buf[:0]
	return err
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(repoBackupChunk-len(c.buf), len(p))
		c.buf = append(c.buf, p[:k]...)
		p = p[k:]
		if len(c.buf) == repoBackupChunk {
			if err := c.flush(false); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// BackupResult describes a written backup (no secret).
type BackupResult struct {
	Keystore keys.BackupReport `json:"keystore"`
	Files    int               `json:"files"`
	Bytes    int64             `json:"bytes"`
}

// backupSkip: repo paths not copied as files (the keystore goes through
// keys.Export; the daemon file and temporaries are runtime state).
func backupSkip(rel string) bool {
	return rel == KeystoreDir || strings.HasPrefix(rel, KeystoreDir+"/") || rel == DaemonFile || strings.HasSuffix(rel, ".tmp") ||
		strings.HasSuffix(rel, "/LOCK") || rel == "LOCK"
}

// Backup writes an encrypted backup of the node's repo to w: the keystore
// through keys.Export (never the keys of an erased patient), and the
// repo's other files. The node must be the only user of the repo (no
// daemon running), so that the files are consistent.
func (n *Node) Backup(ctx context.Context, w io.Writer, s BackupSecret) (*BackupResult, error) {
	cred, err := s.credential()
	if err != nil {
		return nil, err
	}
	defer cred.Wipe()
	var ksb bytes.Buffer
	rep, err := n.Keys.Export(ctx, &ksb, cred)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	res := &BackupResult{Keystore: rep}
	res.Bytes, err = sealRepoBackup(w, s, n.PeerID().String(), func(tw *tar.Writer) error {
		if err := tw.WriteHeader(&tar.Header{Name: keystoreEntryName, Mode: 0o600, Size: int64(ksb.Len()), ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := tw.Write(ksb.Bytes()); err != nil {
			return err
		}
		return filepath.WalkDir(n.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rel, err := filepath.Rel(n.Dir, p)
			if err != nil || rel == "." {
				return err
			}
			rel = filepath.ToSlash(rel)
			if backupSkip(rel) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil // directories are implied; sockets and links are not repo data
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			if err := tw.WriteHeader(&tar.Header{Name: repoEntryPrefix + rel, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
				return err
			}
			if _, err := io.CopyN(tw, f, st.Size()); err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			res.Files++
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return res, nil
}

// sealRepoBackup writes the backup framing to w and the tar stream fill
// produces, encrypted in chunks; it returns the bytes written.
func sealRepoBackup(w io.Writer, s BackupSecret, peerID string, fill func(tw *tar.Writer) error) (int64, error) {
	h := &repoBackupHeader{Format: repoBackupFormat, Version: 1, Created: time.Now().UTC(), PeerID: peerID,
		Salt: make([]byte, 32), NoncePrefix: make([]byte, 16)}
	if _, err := rand.Read(h.Salt); err != nil {
		return 0, err
	}
	if _, err := rand.Read(h.NoncePrefix); err != nil {
		return 0, err
	}
	if s.keyFile {
		h.KDF = "hkdf-sha256"
	} else {
		p := s.argon
		if p.Time == 0 {
			p = keys.DefaultArgon2
		}
		h.KDF, h.Time, h.MemoryKiB, h.Threads = "argon2id", p.Time, p.MemoryKiB, p.Threads
	}
	key, err := h.key(s)
	if err != nil {
		return 0, err
	}
	aead, err := chacha20poly1305.NewX(key)
	wipe(key)
	if err != nil {
		return 0, err
	}
	hb, _ := json.Marshal(h)
	cw := &countWriter{w: w}
	head := append([]byte(repoBackupMagic), binary.BigEndian.AppendUint32(nil, uint32(len(hb)))...)
	head = append(head, hb...)
	if _, err := cw.Write(head); err != nil {
		return cw.n, err
	}
	chw := &chunkWriter{w: cw, aead: aead, prefix: h.NoncePrefix, ad: head, buf: make([]byte, 0, repoBackupChunk)}
	tw := tar.NewWriter(chw)
	if err := fill(tw); err != nil {
		return cw.n, err
	}
	if err := tw.Close(); err != nil {
		return cw.n, err
	}
	if err := chw.flush(true); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	k, err := c.w.Write(p)
	c.n += int64(k)
	return k, err
}

// openRepoBackup authenticates a whole backup and returns its plaintext
// (the tar stream) in a temporary file, rewound, and the header.
func openRepoBackup(r io.Reader, s BackupSecret, tmpDir string) (*os.File, *repoBackupHeader, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(repoBackupMagic)+4)
	if _, err := io.ReadFull(br, head); err != nil || string(head[:len(repoBackupMagic)]) != repoBackupMagic {
		return nil, nil, fmt.Errorf("%w: not a vaultnode repo backup", ErrBadInput)
	}
	hl := binary.BigEndian.Uint32(head[len(repoBackupMagic):])
	if hl > 4096 {
		return nil, nil, fmt.Errorf("%w: backup header of %d bytes", keys.ErrCorrupt, hl)
	}
	hb := make([]byte, hl)
	if _, err := io.ReadFull(br, hb); err != nil {
		return nil, nil, fmt.Errorf("%w: backup header cut short", keys.ErrCorrupt)
	}
	var h repoBackupHeader
	dec := json.NewDecoder(bytes.NewReader(hb))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || h.Format != repoBackupFormat || h.Version != 1 || len(h.NoncePrefix) != 16 || len(h.Salt) < 16 {
		return nil, nil, fmt.Errorf("%w: backup header is not a version 1 repo backup", keys.ErrCorrupt)
	}
	key, err := h.key(s)
	if err != nil {
		return nil, nil, err
	}
	aead, err := chacha20poly1305.NewX(key)
	wipe(key)
	if err != nil {
		return nil, nil, err
	}
	ad := append(head, hb...)
	tmp, err := os.CreateTemp(tmpDir, ".vaultnode-restore-*")
	if err != nil {
		return nil, nil, err
	}
	os.Remove(tmp.Name()) // unlinked: gone when closed
	fail := func(err error) (*os.File, *repoBackupHeader, error) {
		tmp.Close()
		return nil, nil, err
	}
	for i := uint64(0); ; i++ {
		var l [4]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return fail(fmt.Errorf("%w: backup cut short after chunk %d (no final chunk)", keys.ErrCorrupt, i))
		}
		cl := binary.BigEndian.Uint32(l[:])
		if cl > repoBackupChunk+chacha20poly1305.Overhead {
			return fail(fmt.Errorf("%w: chunk %d claims %d bytes", keys.ErrCorrupt, i, cl))
		}
		ct := make([]byte, cl)
		if _, err := io.ReadFull(br, ct); err != nil {
			return fail(fmt.Errorf("%w: chunk %d cut short", keys.ErrCorrupt, i))
		}
		nonce := binary.BigEndian.AppendUint64(append([]byte(nil), h.NoncePrefix...), i)
		final := true
		pt, err := aead.Open(nil, nonce, ct, append(ad, 1))
		if err != nil {
			final = false
			pt, err = aead.Open(nil, nonce, ct, append(ad, 0))
		}
		if err != nil {
			if i == 0 {
				return fail(fmt.Errorf("%w (or the backup is altered)", keys.ErrWrongPassphrase))
			}
			return fail(fmt.Errorf("%w: chunk %d does not authenticate", keys.ErrCorrupt, i))
		}
		_, werr := tmp.Write(pt)
		wipe(pt)
		if werr != nil {
			return fail(werr)
		}
		if final {
			if _, err := br.ReadByte(); err != io.EOF {
				return fail(fmt.Errorf("%w: data after the final chunk", keys.ErrCorrupt))
			}
			break
		}
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	return tmp, &h, nil
}

// RestoreOptions control Restore.
type RestoreOptions struct {
	// KeysOnly imports only the keystore part into the existing repo at dir
	// (its keystore is created if missing): recovery of a lost or damaged
	// keystore. Without it, dir must not hold a repo yet and the whole repo
	// is restored.
	KeysOnly bool
	// Argon2 parameters for a keystore created by Restore (zero: default).
	Argon2 keys.Argon2Params
	// SkipErasureSync restores even when nothing can tell which patients
	// were erased since the backup was taken (the node's chain is the
	// embedded one restored with the backup, as old as it, and no other
	// member answered). A patient erased since then comes back; the
	// override is logged. For a consortium of one, or a disaster where no
	// member survives.
	SkipErasureSync bool
	Logger          *slog.Logger
}

// RestoreResult describes a restore (no secret).
type RestoreResult struct {
	Dir      string            `json:"repo"`
	PeerID   string            `json:"peerId"`
	Files    int               `json:"files"`
	Keystore keys.BackupReport `json:"keystore"`
	// ErasedSkipped counts patients of the backup that the chain's deletion
	// registry or a member's purge order shows erased: their keys are not
	// restored.
	ErasedSkipped int `json:"erasedSkipped"`
	// ErasureSources says where the erasures since the backup were learnt:
	// "chain" (a chain the backup did not roll back) and/or "members"
	// (their signed purge orders, executed here too); empty only with
	// SkipErasureSync.
	ErasureSources []string `json:"erasureSources"`
}

// ErrErasuresUnknown: a restore cannot learn which patients were erased
// since the backup was taken, so it does not restore any (see
// RestoreOptions.SkipErasureSync).
var ErrErasuresUnknown = errors.New("cannot learn the erasures made since the backup")

// Restore restores a backup made by Backup into dir. The backup is
// authenticated whole before anything is written. Patients erased since the
// backup was taken are left out: the keystore keeps its own destruction
// records, and every patient of the backup is looked up in the on-chain
// deletion registry of the chain the restored node uses (a lookup that
// fails aborts the restore). The keystore credential is the repo's (key
// file in the config, else $VAULTNODE_PASSPHRASE).
func Restore(ctx context.Context, dir string, r io.Reader, s BackupSecret, o RestoreOptions) (*RestoreResult, error) {
	parent := filepath.Dir(filepath.Clean(dir))
	if o.KeysOnly {
		parent = dir
	}
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil && !o.KeysOnly {
		return nil, fmt.Errorf("%w: %s already holds a repo (restore into a new directory, or use --keys-only to recover its keystore)", ErrBadInput, dir)
	} else if err != nil && o.KeysOnly {
		return nil, fmt.Errorf("--keys-only: %w at %s", ErrNoRepo, dir)
	}
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, err
	}
	pt, h, err := openRepoBackup(r, s, parent)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer pt.Close()
	res := &RestoreResult{Dir: dir, PeerID: h.PeerID}
	var ksBlob []byte
	defer func() { wipe(ksBlob) }()
	staging := ""
	if !o.KeysOnly {
		staging, err = os.MkdirTemp(parent, ".vaultnode-restore-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(staging)
	}
	tr := tar.NewReader(pt)
	for {
		th, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("restore: %w: archive: %v", keys.ErrCorrupt, err)
		}
		if th.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("restore: %w: entry %q is not a regular file", keys.ErrCorrupt, th.Name)
		}
		if th.Name == keystoreEntryName {
			if ksBlob, err = io.ReadAll(io.LimitReader(tr, 256<<20)); err != nil {
				return nil, err
			}
			continue
		}
		rel, ok := strings.CutPrefix(th.Name, repoEntryPrefix)
		clean := path.Clean(rel)
		if !ok || clean != rel || rel == "" || strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, "../") || rel == ".." || backupSkip(rel) {
			return nil, fmt.Errorf("restore: %w: refusing archive entry %q", keys.ErrCorrupt, th.Name)
		}
		if o.KeysOnly {
			continue
		}
		dst := filepath.Join(staging, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, fmt.Errorf("restore: %s: %w", rel, err)
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("restore: %s: %w", rel, err)
		}
		res.Files++
	}
	if ksBlob == nil {
		return nil, fmt.Errorf("restore: %w: the backup holds no keystore", keys.ErrCorrupt)
	}
	target := dir
	if !o.KeysOnly {
		target = staging
	}
	c, err := LoadConfig(target)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	cred, err := Credential(target, c)
	if err != nil {
		return nil, fmt.Errorf("restore: keystore credential: %w", err)
	}
	defer cred.Wipe()
	bcred, err := s.credential()
	if err != nil {
		return nil, err
	}
	defer bcred.Wipe()
	ksDir := filepath.Join(target, KeystoreDir)
	var ks *keys.Keystore
	if _, err := os.Stat(filepath.Join(ksDir, "KEYSTORE")); err == nil {
		ks, err = keys.Open(ctx, ksDir, cred, keys.Options{})
		if err != nil {
			return nil, fmt.Errorf("restore: open keystore: %w", err)
		}
	} else {
		if err := os.RemoveAll(ksDir); err != nil {
			return nil, err
		}
		ks, err = keys.Create(ctx, ksDir, cred, keys.Options{Argon2: o.Argon2})
		if err != nil {
			return nil, fmt.Errorf("restore: create keystore: %w", err)
		}
	}
	defer ks.Close()
	// Phase 1: node identity, devices and destruction records only (no
	// patient yet), so that the chain can be opened with the node's key.
	pats, _ := ks.Patients(ctx)
	if len(pats) == 0 {
		if _, err := ks.Import(ctx, bytes.NewReader(ksBlob), bcred, keys.ImportOptions{ReplaceNode: true, Skip: func(keys.Tag) bool { return true }}); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	// Phase 2: the patients, each checked against what the consortium knows
	// of erasures. A chain the backup did not roll back (over JSON-RPC, or
	// the live repo's own with --keys-only) has the deletion registry. With
	// the embedded chain restored from the backup, as old as it, only the
	// other members know what was erased since: the node goes on the
	// network (outbound, on a loopback port of its own, so a running
	// original does not collide) to fetch and execute their purge orders.
	lg := o.Logger
	if lg == nil {
		lg = slog.Default()
	}
	chainCurrent := c.Chain.RPC != "" || o.KeysOnly
	opts := Options{Offline: true, Logger: lg}
	if !chainCurrent {
		opts = Options{OneShot: true, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, ServeRPC: "127.0.0.1:0", Logger: lg}
	}
	nd, err := openWith(ctx, target, c, ks, opts)
	if err != nil {
		return nil, fmt.Errorf("restore: open the restored node: %w", err)
	}
	others := 0
	if chainCurrent {
		res.ErasureSources = append(res.ErasureSources, "chain")
	} else {
		for _, m := range nd.Members.List() {
			if m != nd.PeerID() {
				others++
			}
		}
	}
	if others > 0 {
		if err := nd.syncPurges(ctx); err != nil {
			lg.Warn("restore: no member told the purge orders", "err", err)
		} else {
			res.ErasureSources = append(res.ErasureSources, "members")
		}
	}
	if len(res.ErasureSources) == 0 {
		if !o.SkipErasureSync {
			_ = nd.closeExceptKeystore()
			return nil, fmt.Errorf("restore: %w: the node's chain is its embedded chain as the backup holds it, and no other member answered (%d known); "+
				"restore where a member is reachable, or pass --skip-erasure-sync to accept that a patient erased since the backup comes back", ErrErasuresUnknown, others)
		}
		lg.Warn("restore: OVERRIDE: restoring patients without knowing the erasures made since the backup (--skip-erasure-sync)")
	}
	orderErased := map[keys.Tag]bool{}
	if nd.Purger != nil {
		for _, po := range nd.Purger.Orders() {
			orderErased[keys.Tag(po.SubjectTag)] = true
		}
	}
	var lookupErr error
	skip := func(t keys.Tag) bool {
		if orderErased[t] {
			res.ErasedSkipped++
			return true
		}
		_, err := nd.Chain.LookupErasure(ctx, t)
		switch {
		case err == nil:
			res.ErasedSkipped++
			return true
		case errors.Is(err, pointers.ErrUnknownErasure):
			return false
		default:
			lookupErr = errors.Join(lookupErr, err)
			return true
		}
	}
	rep, err := ks.Import(ctx, bytes.NewReader(ksBlob), bcred, keys.ImportOptions{Skip: skip})
	res.PeerID = nd.PeerID().String()
	cerr := nd.closeExceptKeystore()
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if lookupErr != nil {
		return nil, fmt.Errorf("restore: cannot check the deletion registry, patients left out: %w", lookupErr)
	}
	if cerr != nil {
		return nil, cerr
	}
	res.Keystore = rep
	if err := ks.Close(); err != nil {
		return nil, err
	}
	if !o.KeysOnly {
		if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o700); err != nil {
			return nil, err
		}
		if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("restore: %s must be empty or absent: %w", dir, err)
		}
		if err := os.Rename(staging, dir); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	return res, nil
}
