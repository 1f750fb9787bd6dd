package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// Key layout of the single badger database behind a Store (see docs/STORE.md):
//
//	'b' || multihash      -> block bytes (ciphertext chunks and batch root nodes)
//	'k' || multihash      -> pointer to a block in a pack file (bulk blob chunks)
//	'p' || root CID bytes -> pin record (recursive pin of a batch root)
//	's' || stream tag || root CID bytes -> empty: the pinned batches of a stream
//	'd' || datastore key  -> values written through Store.Datastore()
//	'm' || name           -> store metadata (format version)
const (
	prefixBlock     = 'b'
	prefixPin       = 'p'
	prefixStream    = 's'
	prefixDatastore = 'd'
	prefixMeta      = 'm'
)

const (
	vlogThreshold       = 8 << 10
	defaultVlogFileSize = 64 << 20
	// With chunks in the value log the memtable holds only keys, pointers
	// and root nodes: 16 MiB holds tens of thousands of batches and keeps an
	// idle store at ~20 MiB of heap (64 MiB memtables: ~85 MiB).
	defaultMemTableSize = 16 << 20
)

// FormatVersion is the on-disk layout version written under 'm'||"version".
const FormatVersion = 1

// MaxBlockSize is the largest block the store accepts (bitswap's limit is
// 2 MiB; our own blocks are always below 1 MiB).
const MaxBlockSize = 1<<20 - 1024

// Options tunes Open. The zero value is the production configuration.
type Options struct {
	// NoSync disables synchronous writes. Only for tests and benchmarks that
	// measure something else: with NoSync a write is NOT acknowledged durably.
	NoSync bool
	// MemTableSize of badger (bytes); 0 means 16 MiB, values below 8 MiB
	// are raised to 8 MiB. The largest atomic write (one sealed batch or one
	// PutBatches group) is ~15% of it.
	MemTableSize int64
	// ValueLogFileSize of badger (bytes); 0 means 64 MiB. Erasure and GC
	// rewrite the value-log files holding deleted chunks, so smaller files
	// copy less per deletion but mean more files.
	ValueLogFileSize int64
	// Logger receives badger's warnings and errors; nil means slog.Default().
	Logger *slog.Logger
}

// Store is an encrypted record store: a boxo-compatible blockstore on
// badger/v4 plus batch sealing, pins, physical garbage collection and CAR
// import/export. It is safe for concurrent use.
type Store struct {
	db    *badger.DB
	dir   string
	log   *slog.Logger
	packs *packs

	// mu orders writes against physical deletion: every write holds it
	// shared; GC, DeleteBlock and DeleteBatch hold it exclusively, because
	// badger refuses writes while it drops keys from its files.
	mu     sync.RWMutex
	closed bool

	// Group commit: PutBatches requests go to one committer goroutine that
	// writes all queued requests in one synced badger transaction.
	commitCh   chan *commitReq
	commitDone chan struct{}
}

// Open opens (creating if needed) the store in dir.
func Open(ctx context.Context, dir string, o *Options) (*Store, error) {
	if o == nil {
		o = &Options{}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dir, err)
	}
	lg := o.Logger
	if lg == nil {
		lg = slog.Default()
	}
	pk, err := openPacks(dir)
	if err != nil {
		return nil, err
	}
	db, err := badger.Open(badgerOptions(dir, o, lg))
	if err != nil {
		return nil, fmt.Errorf("store: open badger in %s: %w", dir, err)
	}
	s := &Store{db: db, dir: dir, log: lg, packs: pk, commitCh: make(chan *commitReq, 256), commitDone: make(chan struct{})}
	if err := s.checkVersion(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.indexStreams(); err != nil {
		_ = db.Close()
		return nil, err
	}
	go s.committer()
	return s, nil
}

func badgerOptions(dir string, o *Options, lg *slog.Logger) badger.Options {
	opt := badger.DefaultOptions(dir).
		WithSyncWrites(!o.NoSync).
		WithLogger(slogBadger{lg}).
		// Ciphertext does not compress; compressing costs CPU for nothing.
		WithCompression(options.None).
		WithBlockCacheSize(0).
		// Write transactions never read, so conflict detection is wasted work.
		WithDetectConflicts(false).
		WithMetricsEnabled(false).
		WithNumVersionsToKeep(1).
		// Chunks (>= vlogThreshold) go to the value log, written once;
		// root nodes, pins and pointers stay in the LSM tree. Big values in
		// the LSM tree cost several rewrites each (flush, compactions):
		// sustained ingest was 2.5x slower and used 4x the memory.
		WithValueThreshold(vlogThreshold).
		// Small value-log files: erasure rewrites the files holding deleted
		// chunks (see purge.go), so smaller files mean less copying.
		WithValueLogFileSize(defaultVlogFileSize).
		WithNumCompactors(2)
	if o.ValueLogFileSize > 0 {
		opt = opt.WithValueLogFileSize(max(o.ValueLogFileSize, 1<<20))
	}
	mt := int64(defaultMemTableSize)
	if o.MemTableSize > 0 {
		mt = max(o.MemTableSize, 8<<20)
	}
	opt = opt.WithMemTableSize(mt)
	return opt
}

func (s *Store) checkVersion() error {
	key := []byte{prefixMeta, 'v', 'e', 'r', 's', 'i', 'o', 'n'}
	return s.db.Update(func(txn *badger.Txn) error {
		it, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return txn.Set(key, []byte{FormatVersion})
		}
		if err != nil {
			return fmt.Errorf("store: read format version: %w", err)
		}
		return it.Value(func(v []byte) error {
			if len(v) != 1 || v[0] != FormatVersion {
				return fmt.Errorf("store: %s has on-disk format %v, this build reads %d", s.dir, v, FormatVersion)
			}
			return nil
		})
	})
}

// Dir returns the directory the store lives in.
func (s *Store) Dir() string { return s.dir }

// Sync forces everything written so far to stable storage. Writes are
// already synchronous unless Options.NoSync was set.
func (s *Store) Sync() error {
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("store: sync: %w", err)
	}
	return nil
}

// Close flushes and closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.commitCh)
	<-s.commitDone
	s.packs.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// slogBadger adapts slog to badger's Logger, keeping only warnings and errors
// (badger is chatty at info level, and nothing it logs is secret: keys are
// CIDs/multihashes).
type slogBadger struct{ l *slog.Logger }

func (b slogBadger) Errorf(f string, a ...any)   { b.l.Error(fmt.Sprintf("badger: "+f, a...)) }
func (b slogBadger) Warningf(f string, a ...any) { b.l.Warn(fmt.Sprintf("badger: "+f, a...)) }
func (b slogBadger) Infof(string, ...any)        {}
func (b slogBadger) Debugf(string, ...any)       {}

// DiskUsage returns the bytes the store occupies: badger's LSM tree and
// value log (as badger accounts them) plus the pack files.
func (s *Store) DiskUsage(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	lsm, vlog := s.db.Size()
	total := uint64(lsm + vlog)
	es, err := os.ReadDir(s.packs.dir)
	if err != nil {
		return 0, fmt.Errorf("store: disk usage: %w", err)
	}
	for _, e := range es {
		if fi, err := e.Info(); err == nil {
			total += uint64(fi.Size())
		}
	}
	return total, nil
}
