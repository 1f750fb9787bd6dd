package store

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// Pack files hold the chunks of bulk blobs (AddFile) outside the LSM tree,
// restic-style: a pack is the concatenation of its chunks' ciphertext
// blocks; the index is in badger under 'k'||multihash -> packPtr. Writing a
// chunk once, sequentially, is what makes bulk add as fast as kubo; deleting
// a pack is an unlink, so physical deletion stays simple. A pack whose chunks
// are only partly deleted is rewritten without them (repack).
const (
	prefixPacked = 'k'
	packDirName  = "packs"
	packSuffix   = ".pack"
)

// packPtr locates a block in a pack: u64 pack id | u64 offset | u32 length.
type packPtr struct {
	pack uint64
	off  uint64
	n    uint32
}

func (p packPtr) encode() []byte {
	b := make([]byte, 20)
	binary.BigEndian.PutUint64(b, p.pack)
	binary.BigEndian.PutUint64(b[8:], p.off)
	binary.BigEndian.PutUint32(b[16:], p.n)
	return b
}

func decodePackPtr(b []byte) (packPtr, error) {
	if len(b) != 20 {
		return packPtr{}, fmt.Errorf("store: corrupt pack pointer of %d bytes", len(b))
	}
	return packPtr{binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:]), binary.BigEndian.Uint32(b[16:])}, nil
}

func packedKey(blockKey []byte) []byte {
	k := append([]byte(nil), blockKey...)
	k[0] = prefixPacked
	return k
}

// packs manages the pack directory.
type packs struct {
	dir    string
	mu     sync.Mutex
	files  map[uint64]*os.File // read handles
	active map[uint64]bool     // packs being written (GC leaves them alone)
}

func openPacks(storeDir string) (*packs, error) {
	dir := filepath.Join(storeDir, packDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create pack dir: %w", err)
	}
	return &packs{dir: dir, files: map[uint64]*os.File{}, active: map[uint64]bool{}}, nil
}

func (p *packs) path(id uint64) string {
	return filepath.Join(p.dir, fmt.Sprintf("%016x%s", id, packSuffix))
}

// packWriter appends blocks to a new pack.
type packWriter struct {
	p       *packs
	id      uint64
	f       *os.File
	off     uint64
	flushed uint64 // bytes handed to writeback so far
}

// writebackEvery is how often a pack writer asks the kernel to start
// writing back what it has appended, so the final fsync finds little left
// to do and disk I/O overlaps with sealing.
const writebackEvery = 8 << 20

func (p *packs) create() (*packWriter, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("store: pack id: %w", err)
	}
	id := binary.BigEndian.Uint64(b[:])
	f, err := os.OpenFile(p.path(id), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: create pack: %w", err)
	}
	p.mu.Lock()
	p.active[id] = true
	p.mu.Unlock()
	return &packWriter{p: p, id: id, f: f}, nil
}

func (w *packWriter) append(data []byte) (packPtr, error) {
	if _, err := w.f.Write(data); err != nil {
		return packPtr{}, fmt.Errorf("store: write pack: %w", err)
	}
	ptr := packPtr{w.id, w.off, uint32(len(data))}
	w.off += uint64(len(data))
	if w.off-w.flushed >= writebackEvery {
		startWriteback(w.f, w.flushed, w.off-w.flushed)
		w.flushed = w.off
	}
	return ptr, nil
}

// finish makes the pack durable (file and directory entry).
func (w *packWriter) finish() error {
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("store: sync pack: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("store: close pack: %w", err)
	}
	return syncDir(w.p.dir)
}

// done marks the pack as no longer being written.
func (w *packWriter) done() {
	w.p.mu.Lock()
	delete(w.p.active, w.id)
	w.p.mu.Unlock()
}

// abort removes a pack whose index was never written.
func (w *packWriter) abort() {
	_ = w.f.Close()
	_ = os.Remove(w.p.path(w.id))
	w.done()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: open dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: sync dir: %w", err)
	}
	return nil
}

func (p *packs) read(ptr packPtr) ([]byte, error) {
	p.mu.Lock()
	f, ok := p.files[ptr.pack]
	if !ok {
		var err error
		f, err = os.Open(p.path(ptr.pack))
		if err != nil {
			p.mu.Unlock()
			return nil, fmt.Errorf("store: open pack %016x: %w", ptr.pack, err)
		}
		p.files[ptr.pack] = f
	}
	p.mu.Unlock()
	buf := make([]byte, ptr.n)
	if _, err := f.ReadAt(buf, int64(ptr.off)); err != nil {
		return nil, fmt.Errorf("store: read pack %016x at %d: %w", ptr.pack, ptr.off, err)
	}
	return buf, nil
}

// remove unlinks a pack.
func (p *packs) remove(id uint64) error {
	p.mu.Lock()
	if f, ok := p.files[id]; ok {
		_ = f.Close()
		delete(p.files, id)
	}
	p.mu.Unlock()
	if err := os.Remove(p.path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: remove pack: %w", err)
	}
	return nil
}

// list returns the ids of the packs on disk that are not being written.
func (p *packs) list() ([]uint64, error) {
	es, err := os.ReadDir(p.dir)
	if err != nil {
		return nil, fmt.Errorf("store: list packs: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []uint64
	for _, e := range es {
		name, ok := strings.CutSuffix(e.Name(), packSuffix)
		if !ok {
			continue
		}
		id, err := strconv.ParseUint(name, 16, 64)
		if err != nil || p.active[id] {
			continue
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (p *packs) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, f := range p.files {
		_ = f.Close()
		delete(p.files, id)
	}
}

// livePointers returns, per pack, the pointers still in the index.
func (s *Store) livePointers() (map[uint64][]struct {
	key []byte
	ptr packPtr
}, error) {
	out := map[uint64][]struct {
		key []byte
		ptr packPtr
	}{}
	err := s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte{prefixPacked}
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var ptr packPtr
			err := it.Item().Value(func(v []byte) error {
				var err error
				ptr, err = decodePackPtr(v)
				return err
			})
			if err != nil {
				return err
			}
			out[ptr.pack] = append(out[ptr.pack], struct {
				key []byte
				ptr packPtr
			}{it.Item().KeyCopy(nil), ptr})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: scan pack index: %w", err)
	}
	return out, nil
}

// sweepPacksLocked runs after index entries were dropped (exclusive lock
// held): packs with no live pointer are unlinked; packs in touched that
// still hold live blocks are rewritten without the dead ones.
func (s *Store) sweepPacksLocked(touched map[uint64]bool) error {
	live, err := s.livePointers()
	if err != nil {
		return err
	}
	ids, err := s.packs.list()
	if err != nil {
		return err
	}
	for _, id := range ids {
		ptrs, ok := live[id]
		if !ok {
			if err := s.packs.remove(id); err != nil {
				return err
			}
			continue
		}
		if !touched[id] {
			continue
		}
		// Repack: copy the live blocks to a new pack, repoint, unlink the old.
		w, err := s.packs.create()
		if err != nil {
			return err
		}
		var entries []kv
		for _, lp := range ptrs {
			data, err := s.packs.read(lp.ptr)
			if err != nil {
				w.abort()
				return err
			}
			np, err := w.append(data)
			if err != nil {
				w.abort()
				return err
			}
			entries = append(entries, kv{lp.key, np.encode()})
		}
		if err := w.finish(); err != nil {
			w.abort()
			return err
		}
		if err := s.writeAtomicLocked(entries); err != nil {
			w.abort()
			return err
		}
		w.done()
		if err := s.packs.remove(id); err != nil {
			return err
		}
	}
	return nil
}
