package keys

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// detReader is a deterministic random source (SHA-256 in counter mode), so
// tests know every key the keystore draws. Safe for concurrent use.
type detReader struct {
	mu   sync.Mutex
	seed [32]byte
	ctr  uint64
	buf  []byte
}

func newDetReader(seed string) *detReader {
	return &detReader{seed: sha256.Sum256([]byte(seed))}
}

func (r *detReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			var c [8]byte
			binary.BigEndian.PutUint64(c[:], r.ctr)
			r.ctr++
			h := sha256.Sum256(append(r.seed[:], c[:]...))
			r.buf = h[:]
		}
		k := copy(p[n:], r.buf)
		r.buf = r.buf[k:]
		n += k
	}
	return n, nil
}

var testArgon2 = Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

func testOptions(seed string) Options {
	return Options{
		Argon2: testArgon2,
		Rand:   newDetReader(seed),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:    func() time.Time { return time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC) },
	}
}

func testPass() Credential { return Passphrase([]byte("correct horse battery staple")) }

func newTestKeystore(t testing.TB, seed string) (*Keystore, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "keystore")
	ks, err := Create(context.Background(), dir, testPass(), testOptions(seed))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { ks.Close() })
	return ks, dir
}

func reopen(t testing.TB, ks *Keystore, dir, seed string) *Keystore {
	t.Helper()
	if err := ks.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ks2, err := Open(context.Background(), dir, testPass(), testOptions(seed))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ks2.Close() })
	return ks2
}

// needle is a byte string that must (or must not) be found on disk.
type needle struct {
	name string
	b    []byte
}

// secretNeedles turns a secret into overlapping 16-byte windows: any copy
// of a large enough piece of it is found.
func secretNeedles(name string, secret []byte) []needle {
	if len(secret) <= 16 {
		return []needle{{name, append([]byte(nil), secret...)}}
	}
	var out []needle
	for off := 0; off+16 <= len(secret); off += 8 {
		out = append(out, needle{name, append([]byte(nil), secret[off:off+16]...)})
	}
	if len(secret)%8 != 0 {
		out = append(out, needle{name, append([]byte(nil), secret[len(secret)-16:]...)})
	}
	return out
}

// scanDir reads every byte of every regular file under dir and returns,
// for each needle found, "needle name in file".
func scanDir(t testing.TB, dir string, needles []needle) []string {
	t.Helper()
	var hits []string
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, n := range needles {
			if bytes.Contains(b, n.b) {
				rel, _ := filepath.Rel(dir, path)
				hits = append(hits, n.name+" in "+rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scan %s: %v", dir, err)
	}
	if files == 0 {
		t.Fatalf("scan %s: no files", dir)
	}
	return hits
}

// rawValues returns the stored (encrypted) values of every key under prefix.
func rawValues(t testing.TB, ks *Keystore, prefix []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := ks.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out[string(it.Item().KeyCopy(nil))] = v
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sealedNeedles: the nonce and first ciphertext bytes of each sealed value.
func sealedNeedles(name string, vals map[string][]byte) []needle {
	var out []needle
	for k, v := range vals {
		out = append(out, needle{name + " nonce of " + printableKey([]byte(k)), append([]byte(nil), v[1:25]...)})
		out = append(out, needle{name + " ciphertext of " + printableKey([]byte(k)), append([]byte(nil), v[25:41]...)})
	}
	return out
}

// testRootKey unwraps a patient's root key (test-only).
func testRootKey(t testing.TB, ks *Keystore, p Pseudonym) []byte {
	t.Helper()
	var root []byte
	err := ks.db.View(func(txn *badger.Txn) error {
		rr, pt, err := ks.root(txn, p)
		if err != nil {
			return err
		}
		root = append([]byte(nil), rr.root...)
		wipe(pt)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}
