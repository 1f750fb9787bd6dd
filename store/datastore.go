package store

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"
)

// Datastore is a go-datastore Batching (and PersistentDatastore) adapter on
// badger/v4, for components that want a key-value datastore (libp2p,
// boxo's generic blockstore, providers). Get/GetSize of a missing key return
// ds.ErrNotFound. Writes are synchronous unless the underlying store was
// opened with NoSync.
type Datastore struct {
	db     *badger.DB
	prefix []byte
	guard  *sync.RWMutex // shared with the owning Store, nil for a standalone datastore
	owned  bool          // Close closes db
}

var (
	_ ds.Batching            = (*Datastore)(nil)
	_ ds.PersistentDatastore = (*Datastore)(nil)
)

// OpenDatastore opens a standalone badger-backed datastore in dir.
func OpenDatastore(ctx context.Context, dir string, o *Options) (*Datastore, error) {
	s, err := Open(ctx, dir, o)
	if err != nil {
		return nil, err
	}
	d := s.Datastore()
	d.owned = true
	return d, nil
}

// Datastore returns a datastore sharing this store's database, in its own
// key namespace (it never sees blocks or pins). Closing it does nothing;
// close the Store.
func (s *Store) Datastore() *Datastore {
	return &Datastore{db: s.db, prefix: []byte{prefixDatastore}, guard: &s.mu}
}

func (d *Datastore) key(k ds.Key) []byte {
	ks := k.String()
	b := make([]byte, len(d.prefix)+len(ks))
	copy(b, d.prefix)
	copy(b[len(d.prefix):], ks)
	return b
}

func (d *Datastore) lock() func() {
	if d.guard == nil {
		return func() {}
	}
	d.guard.RLock()
	return d.guard.RUnlock
}

// Put stores value under key.
func (d *Datastore) Put(ctx context.Context, key ds.Key, value []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer d.lock()()
	if err := d.db.Update(func(txn *badger.Txn) error { return txn.Set(d.key(key), value) }); err != nil {
		return fmt.Errorf("datastore: put %s: %w", key, err)
	}
	return nil
}

// Delete removes key; a missing key is not an error.
func (d *Datastore) Delete(ctx context.Context, key ds.Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer d.lock()()
	if err := d.db.Update(func(txn *badger.Txn) error { return txn.Delete(d.key(key)) }); err != nil {
		return fmt.Errorf("datastore: delete %s: %w", key, err)
	}
	return nil
}

// Get returns the value of key, or ds.ErrNotFound.
func (d *Datastore) Get(ctx context.Context, key ds.Key) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var v []byte
	err := d.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(d.key(key))
		if err != nil {
			return err
		}
		v, err = it.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ds.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("datastore: get %s: %w", key, err)
	}
	return v, nil
}

// Has reports whether key exists.
func (d *Datastore) Has(ctx context.Context, key ds.Key) (bool, error) {
	_, err := d.GetSize(ctx, key)
	if errors.Is(err, ds.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// GetSize returns the size of key's value, or -1 and ds.ErrNotFound.
func (d *Datastore) GetSize(ctx context.Context, key ds.Key) (int, error) {
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	size := -1
	err := d.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(d.key(key))
		if err != nil {
			return err
		}
		size = int(it.ValueSize())
		return nil
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return -1, ds.ErrNotFound
	}
	if err != nil {
		return -1, fmt.Errorf("datastore: size of %s: %w", key, err)
	}
	return size, nil
}

// Query runs q. The prefix is served by badger's ordered iteration; filters,
// orders, offset and limit are applied on the stream of results.
func (d *Datastore) Query(ctx context.Context, q dsq.Query) (dsq.Results, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	prefix := "/"
	if q.Prefix != "" {
		p := q.Prefix
		if p[0] != '/' {
			p = "/" + p
		}
		prefix = path.Clean(p)
	}
	if prefix != "/" {
		prefix += "/"
	}
	iterPrefix := append(append([]byte{}, d.prefix...), prefix...)
	rest := q
	rest.Prefix = ""
	base := q
	base.Filters, base.Orders, base.Limit, base.Offset = nil, nil, 0, 0
	res := dsq.ResultsWithContext(base, func(ctx context.Context, out chan<- dsq.Result) {
		err := d.db.View(func(txn *badger.Txn) error {
			opt := badger.DefaultIteratorOptions
			opt.Prefix = iterPrefix
			opt.PrefetchValues = !q.KeysOnly
			it := txn.NewIterator(opt)
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				item := it.Item()
				e := dsq.Entry{Key: string(item.Key()[len(d.prefix):]), Size: int(item.ValueSize())}
				if !q.KeysOnly {
					v, err := item.ValueCopy(nil)
					if err != nil {
						return err
					}
					e.Value = v
				}
				select {
				case out <- dsq.Result{Entry: e}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			select {
			case out <- dsq.Result{Error: fmt.Errorf("datastore: query %q: %w", q.Prefix, err)}:
			case <-ctx.Done():
			}
		}
	})
	return dsq.ResultsReplaceQuery(dsq.NaiveQueryApply(rest, res), q), nil
}

// Sync is a no-op with synchronous writes; otherwise it syncs badger's log.
func (d *Datastore) Sync(ctx context.Context, _ ds.Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.db.Sync()
}

// DiskUsage returns the bytes badger uses on disk (LSM + value log).
func (d *Datastore) DiskUsage(ctx context.Context) (uint64, error) {
	lsm, vlog := d.db.Size()
	return uint64(lsm + vlog), nil
}

// Close closes a standalone datastore (OpenDatastore); otherwise it does nothing.
func (d *Datastore) Close() error {
	if d.owned {
		if err := d.db.Close(); err != nil {
			return fmt.Errorf("datastore: close: %w", err)
		}
	}
	return nil
}

// Batch returns a batch of writes applied by Commit. Commit writes the batch
// in as few badger transactions as its size allows (go-datastore batches are
// not transactional).
func (d *Datastore) Batch(ctx context.Context) (ds.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &dsBatch{d: d, ops: map[string]*[]byte{}}, nil
}

type dsBatch struct {
	d     *Datastore
	ops   map[string]*[]byte // nil value: delete
	order []string
}

func (b *dsBatch) note(k string, v *[]byte) {
	if _, ok := b.ops[k]; !ok {
		b.order = append(b.order, k)
	}
	b.ops[k] = v
}

func (b *dsBatch) Put(ctx context.Context, key ds.Key, value []byte) error {
	v := append([]byte(nil), value...)
	b.note(key.String(), &v)
	return nil
}

func (b *dsBatch) Delete(ctx context.Context, key ds.Key) error {
	b.note(key.String(), nil)
	return nil
}

func (b *dsBatch) Commit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer b.d.lock()()
	txn := b.d.db.NewTransaction(true)
	defer func() { txn.Discard() }()
	for _, k := range b.order {
		key := b.d.key(ds.RawKey(k))
		v := b.ops[k]
		apply := func() error {
			if v == nil {
				return txn.Delete(key)
			}
			return txn.Set(key, *v)
		}
		err := apply()
		if errors.Is(err, badger.ErrTxnTooBig) {
			if err := txn.Commit(); err != nil {
				return fmt.Errorf("datastore: batch commit: %w", err)
			}
			txn = b.d.db.NewTransaction(true)
			err = apply()
		}
		if err != nil {
			return fmt.Errorf("datastore: batch %s: %w", k, err)
		}
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("datastore: batch commit: %w", err)
	}
	b.ops, b.order = map[string]*[]byte{}, nil
	return nil
}
