package keys

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/libp2p/go-libp2p/core/crypto"
	"golang.org/x/crypto/chacha20poly1305"
)

// Options configure Create and Open. The zero value is the production
// configuration.
type Options struct {
	// Argon2 are the passphrase-stretching parameters used when a header is
	// written (Create, RotateMasterKey, Export). Zero: DefaultArgon2. Open
	// always uses the parameters stored in the header.
	Argon2 Argon2Params
	// Rand is the source of every key, pseudonym, salt and nonce. Nil:
	// crypto/rand. Tests pass a deterministic reader.
	Rand io.Reader
	// Logger receives warnings and errors (never secrets). Nil: slog.Default().
	Logger *slog.Logger
	// Now is the clock for creation and destruction times. Nil: time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Argon2 == (Argon2Params{}) {
		o.Argon2 = DefaultArgon2
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Keystore is an open keystore. All methods are safe for concurrent use.
// Reads run in parallel; writes (and Destroy) are serialised.
type Keystore struct {
	dir  string
	opts Options
	log  *slog.Logger

	mu     sync.RWMutex // write lock: any change; read lock: any read
	closed bool
	db     *badger.DB
	hdr    *header
	id     []byte
	node   cipherAEAD // record AEAD under the data key
	dk     []byte     // data key (wiped on Close)
	tagKey []byte     // node tag key (wiped on Close)
	ident  []byte     // marshalled libp2p private key (wiped on Close)

	cacheMu sync.Mutex
	streams map[streamCacheKey]Stream // public stream info, dropped on Destroy
}

// Create makes a new keystore in dir (created with mode 0700 if missing; it
// must be empty otherwise): a header protected by cred, a fresh data key, a
// new libp2p Ed25519 node identity and a new tag key.
func Create(ctx context.Context, dir string, cred Credential, opts Options) (*Keystore, error) {
	opts = opts.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := cred.check(); err != nil {
		return nil, fmt.Errorf("create keystore: %w", err)
	}
	if cred.kind == credPassphrase {
		if err := opts.Argon2.validate(); err != nil {
			return nil, fmt.Errorf("create keystore: %w", err)
		}
	}
	createdDir := false
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create keystore: %w", err)
		}
		createdDir = true
	case err != nil:
		return nil, fmt.Errorf("create keystore: %w", err)
	case len(entries) > 0:
		return nil, fmt.Errorf("create keystore in %s: %w", dir, ErrKeystoreExists)
	default:
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create keystore: %w", err)
		}
	}
	ks, err := create(ctx, dir, cred, opts)
	if err != nil {
		if createdDir {
			os.RemoveAll(dir)
		} else {
			os.RemoveAll(filepath.Join(dir, dbDir))
			os.Remove(filepath.Join(dir, headerFile))
			os.Remove(filepath.Join(dir, headerFile+".tmp"))
		}
		return nil, fmt.Errorf("create keystore: %w", err)
	}
	return ks, nil
}

func create(ctx context.Context, dir string, cred Credential, opts Options) (*Keystore, error) {
	id := make([]byte, keystoreIDLen)
	if _, err := io.ReadFull(opts.Rand, id); err != nil {
		return nil, fmt.Errorf("keystore id: %w", err)
	}
	dk := make([]byte, dataKeySize)
	if _, err := io.ReadFull(opts.Rand, dk); err != nil {
		return nil, fmt.Errorf("data key: %w", err)
	}
	defer wipe(dk)
	hdr, err := newHeader(id, cred, opts.Argon2, dk, opts.Rand)
	if err != nil {
		return nil, err
	}
	priv, _, err := crypto.GenerateEd25519Key(opts.Rand)
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	ident, err := crypto.MarshalPrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	defer wipe(ident)
	tk := make([]byte, tagKeySize)
	if _, err := io.ReadFull(opts.Rand, tk); err != nil {
		return nil, fmt.Errorf("tag key: %w", err)
	}
	defer wipe(tk)

	ks, err := openDB(dir, hdr, dk, opts)
	if err != nil {
		return nil, err
	}
	nr := &nodeRecord{identity: ident, tagKey: tk, created: unixNano(opts.Now())}
	pt := nr.encode()
	err = ks.db.Update(func(txn *badger.Txn) error {
		return txn.Set(keyNode(), ks.seal(ks.node, keyNode(), pt))
	})
	wipe(pt)
	if err == nil {
		err = ks.loadNode()
	}
	if err == nil {
		// The header goes last: its presence is what makes the directory a keystore.
		err = writeHeader(dir, hdr)
	}
	if err != nil {
		ks.Close()
		return nil, err
	}
	ks.log.Info("keystore created", "dir", dir, "kdf", hdr.KDF)
	return ks, nil
}

// Open loads the keystore in dir with cred. A wrong passphrase or key file
// gives ErrWrongPassphrase; a directory without a header ErrNotKeystore.
// Destructions interrupted by a crash are completed before Open returns.
func Open(ctx context.Context, dir string, cred Credential, opts Options) (*Keystore, error) {
	opts = opts.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hdr, err := readHeader(dir)
	if err != nil {
		return nil, fmt.Errorf("open keystore: %w", err)
	}
	dk, err := hdr.unwrap(cred)
	if err != nil {
		return nil, fmt.Errorf("open keystore %s: %w", dir, err)
	}
	defer wipe(dk)
	// Leftovers of an interrupted header write or master key rotation.
	if err := scrubOldHeader(dir); err != nil {
		return nil, fmt.Errorf("open keystore: %w", err)
	}
	if err := scrubFile(filepath.Join(dir, headerFile+".tmp")); err != nil {
		return nil, fmt.Errorf("open keystore: %w", err)
	}
	ks, err := openDB(dir, hdr, dk, opts)
	if err != nil {
		return nil, fmt.Errorf("open keystore: %w", err)
	}
	if err := ks.loadNode(); err != nil {
		ks.Close()
		return nil, fmt.Errorf("open keystore: %w", err)
	}
	if err := ks.resumeDestroys(ctx); err != nil {
		ks.Close()
		return nil, fmt.Errorf("open keystore: %w", err)
	}
	return ks, nil
}

// badgerOptions: every value stays inline in the LSM tree (no value log
// entries), no compression (values are ciphertext), small tables, synced
// writes. See docs/KEYSTORE.md for why this makes DropPrefix physical.
func badgerOptions(dir string, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithSyncWrites(true).
		WithNumVersionsToKeep(1).
		WithMemTableSize(4 << 20).
		WithNumMemtables(2).
		WithValueThreshold(256 << 10). // > any record: values are always inline
		WithValueLogFileSize(1 << 20).
		WithCompression(options.None).
		WithBlockCacheSize(0).
		WithIndexCacheSize(0).
		WithNumCompactors(2).
		WithCompactL0OnClose(true).
		WithDetectConflicts(true)
}

func openDB(dir string, hdr *header, dk []byte, opts Options) (*Keystore, error) {
	log := opts.Logger.With("component", "keystore")
	db, err := badger.Open(badgerOptions(filepath.Join(dir, dbDir), log))
	if err != nil {
		return nil, fmt.Errorf("keystore database %s (in use by another process?): %w", filepath.Join(dir, dbDir), err)
	}
	rk := hkdfKey(dk, nil, "vaultnode/keystore/v1/records", chacha20poly1305.KeySize)
	defer wipe(rk)
	node, err := chacha20poly1305.NewX(rk)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("record cipher: %w", err)
	}
	return &Keystore{
		dir: dir, opts: opts, log: log, db: db, hdr: hdr, id: hdr.ID, node: node,
		dk: append([]byte(nil), dk...), streams: make(map[streamCacheKey]Stream),
	}, nil
}

func (ks *Keystore) loadNode() error {
	var nr *nodeRecord
	err := ks.db.View(func(txn *badger.Txn) error {
		pt, err := ks.get(txn, ks.node, keyNode())
		if err != nil {
			if errors.Is(err, badger.ErrKeyNotFound) {
				return fmt.Errorf("%w: node record missing", ErrCorrupt)
			}
			return err
		}
		nr, err = decodeNodeRecord(pt)
		if err != nil {
			wipe(pt)
			return err
		}
		ks.ident = append([]byte(nil), nr.identity...)
		ks.tagKey = append([]byte(nil), nr.tagKey...)
		wipe(pt)
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := crypto.UnmarshalPrivateKey(ks.ident); err != nil {
		return fmt.Errorf("node identity: %w: %v", ErrCorrupt, err)
	}
	return nil
}

// Close closes the database and wipes the keys held in memory. It waits for
// running operations. Calling Close twice is harmless.
func (ks *Keystore) Close() error {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.closed {
		return nil
	}
	ks.closed = true
	wipe(ks.dk)
	wipe(ks.tagKey)
	wipe(ks.ident)
	ks.node = nil
	ks.cacheMu.Lock()
	clear(ks.streams)
	ks.cacheMu.Unlock()
	if err := ks.db.Close(); err != nil {
		return fmt.Errorf("close keystore: %w", err)
	}
	return nil
}

// Dir returns the keystore directory.
func (ks *Keystore) Dir() string { return ks.dir }

// NodeIdentity returns the node's libp2p Ed25519 private key.
func (ks *Keystore) NodeIdentity() (crypto.PrivKey, error) {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	if ks.closed {
		return nil, ErrClosed
	}
	k, err := crypto.UnmarshalPrivateKey(ks.ident)
	if err != nil {
		return nil, fmt.Errorf("node identity: %w: %v", ErrCorrupt, err)
	}
	return k, nil
}

// rlock takes the read lock and checks the keystore is open.
func (ks *Keystore) rlock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ks.mu.RLock()
	if ks.closed {
		ks.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

func (ks *Keystore) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ks.mu.Lock()
	if ks.closed {
		ks.mu.Unlock()
		return ErrClosed
	}
	return nil
}

// Database keys. Nothing secret appears in a key; the pseudonym appears in
// the patient's keys, which Destroy removes physically with their values.
func keyNode() []byte            { return []byte("n") }
func keyDevice(id string) []byte { return append([]byte("v/"), id...) }
func patientPrefix(p Pseudonym) []byte {
	return append([]byte("p/"), p[:]...)
}
func keyRoot(p Pseudonym) []byte         { return append(patientPrefix(p), 'r') }
func keyMeta(p Pseudonym) []byte         { return append(patientPrefix(p), 'm') }
func keyStreamPrefix(p Pseudonym) []byte { return append(patientPrefix(p), 's') }
func keyStream(p Pseudonym, name string) []byte {
	return append(keyStreamPrefix(p), name...)
}
func keyMRN(t Tag) []byte       { return append([]byte("i/"), t[:]...) }
func keyTombstone(t Tag) []byte { return append([]byte("x/"), t[:]...) }

const valueVersion = 1

// seal encrypts a record for database key k: version | nonce | ciphertext,
// with the keystore id and k as associated data (a value cannot be moved to
// another key or keystore).
func (ks *Keystore) seal(a cipherAEAD, k, plaintext []byte) []byte {
	out := make([]byte, 1+chacha20poly1305.NonceSizeX, 1+chacha20poly1305.NonceSizeX+len(plaintext)+a.Overhead())
	out[0] = valueVersion
	if _, err := io.ReadFull(ks.opts.Rand, out[1:]); err != nil {
		panic("keys: random source failed: " + err.Error())
	}
	return a.Seal(out, out[1:], plaintext, recordAD(ks.id, k))
}

func recordAD(id, k []byte) []byte {
	ad := make([]byte, 0, 32+len(id)+len(k))
	ad = append(ad, "vaultnode/keystore/v1/record\x00"...)
	ad = append(ad, id...)
	return append(ad, k...)
}

// openValue decrypts a database value sealed for key k.
func openValue(a cipherAEAD, id, k, v []byte) ([]byte, error) {
	if len(v) < 1+chacha20poly1305.NonceSizeX+a.Overhead() {
		return nil, fmt.Errorf("record %q: %w: value too short", printableKey(k), ErrCorrupt)
	}
	if v[0] != valueVersion {
		return nil, fmt.Errorf("record %q: %w: value version %d", printableKey(k), ErrUnsupportedVersion, v[0])
	}
	pt, err := a.Open(nil, v[1:1+chacha20poly1305.NonceSizeX], v[1+chacha20poly1305.NonceSizeX:], recordAD(id, k))
	if err != nil {
		return nil, fmt.Errorf("record %q: %w: fails authentication", printableKey(k), ErrCorrupt)
	}
	return pt, nil
}

// printableKey names a database key in errors without dumping binary.
func printableKey(k []byte) string {
	if len(k) > 2 {
		return string(k[:2]) + "…"
	}
	return string(k)
}

// get reads and decrypts the value of k. badger.ErrKeyNotFound passes through.
func (ks *Keystore) get(txn *badger.Txn, a cipherAEAD, k []byte) ([]byte, error) {
	it, err := txn.Get(k)
	if err != nil {
		return nil, err
	}
	var pt []byte
	err = it.Value(func(v []byte) error {
		var err error
		pt, err = openValue(a, ks.id, k, v)
		return err
	})
	return pt, err
}

// badgerLogger forwards badger's warnings and errors to slog. Info and
// debug lines are dropped: some name database keys (pseudonyms).
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any)   { b.l.Error("badger: " + fmt.Sprintf(f, a...)) }
func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn("badger: " + fmt.Sprintf(f, a...)) }
func (b badgerLogger) Infof(string, ...any)        {}
func (b badgerLogger) Debugf(string, ...any)       {}
