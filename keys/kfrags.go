package keys

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4"
)

// ErrNoKFrag: the keystore holds no kfrag for the grant.
var ErrNoKFrag = errors.New("no kfrag held for the grant")

// A proxy keeps the kfrags it was given in its keystore, sealed under the
// data key like every record, and removes them physically (DropPrefix, as
// for patients) when their grant is revoked, expires or the patient is
// erased: a kfrag together with the grantee's key could still open the
// stream's capsules.
//
//	f/<stream tag 32><grant id 32> → kfrag bytes
//	g/<grant id 32>                → stream tag
func keyKFrag(tag, grant [32]byte) []byte {
	k := make([]byte, 0, 2+64)
	k = append(k, "f/"...)
	k = append(k, tag[:]...)
	return append(k, grant[:]...)
}

func keyKFragStreamPrefix(tag [32]byte) []byte { return append([]byte("f/"), tag[:]...) }
func keyKFragGrant(grant [32]byte) []byte      { return append([]byte("g/"), grant[:]...) }
func keyProxySeed() []byte                     { return []byte("y") }

// PutKFrag stores the kfrag of grant for the stream with tag, replacing any
// earlier one for the same grant.
func (ks *Keystore) PutKFrag(ctx context.Context, grant, tag [32]byte, kfrag []byte) error {
	if len(kfrag) == 0 {
		return fmt.Errorf("store kfrag: %w: empty kfrag", ErrInvalid)
	}
	if err := ks.lock(ctx); err != nil {
		return fmt.Errorf("store kfrag: %w", err)
	}
	defer ks.mu.Unlock()
	kk, gk := keyKFrag(tag, grant), keyKFragGrant(grant)
	err := ks.db.Update(func(txn *badger.Txn) error {
		if err := txn.Set(kk, ks.seal(ks.node, kk, kfrag)); err != nil {
			return err
		}
		return txn.Set(gk, ks.seal(ks.node, gk, tag[:]))
	})
	if err != nil {
		return fmt.Errorf("store kfrag: %w", err)
	}
	return nil
}

func (ks *Keystore) kfragTag(txn *badger.Txn, grant [32]byte) ([32]byte, error) {
	var tag [32]byte
	b, err := ks.get(txn, ks.node, keyKFragGrant(grant))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return tag, ErrNoKFrag
	}
	if err != nil {
		return tag, err
	}
	if len(b) != 32 {
		return tag, fmt.Errorf("kfrag index: %w: %d bytes", ErrCorrupt, len(b))
	}
	copy(tag[:], b)
	return tag, nil
}

// KFragStream returns the stream tag the kfrag of grant was stored under
// (ErrNoKFrag if none).
func (ks *Keystore) KFragStream(ctx context.Context, grant [32]byte) ([32]byte, error) {
	if err := ks.rlock(ctx); err != nil {
		return [32]byte{}, fmt.Errorf("kfrag stream: %w", err)
	}
	defer ks.mu.RUnlock()
	var tag [32]byte
	err := ks.db.View(func(txn *badger.Txn) (err error) {
		tag, err = ks.kfragTag(txn, grant)
		return err
	})
	if err != nil {
		return [32]byte{}, fmt.Errorf("kfrag stream: %w", err)
	}
	return tag, nil
}

// KFrag returns the stored kfrag of grant (ErrNoKFrag if none). The caller
// wipes the returned slice.
func (ks *Keystore) KFrag(ctx context.Context, grant [32]byte) ([]byte, error) {
	if err := ks.rlock(ctx); err != nil {
		return nil, fmt.Errorf("load kfrag: %w", err)
	}
	defer ks.mu.RUnlock()
	var out []byte
	err := ks.db.View(func(txn *badger.Txn) error {
		tag, err := ks.kfragTag(txn, grant)
		if err != nil {
			return err
		}
		out, err = ks.get(txn, ks.node, keyKFrag(tag, grant))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNoKFrag
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load kfrag: %w", err)
	}
	return out, nil
}

// DeleteKFrag removes the kfrag of grant physically and reports whether one
// was held.
func (ks *Keystore) DeleteKFrag(ctx context.Context, grant [32]byte) (bool, error) {
	if err := ks.lock(ctx); err != nil {
		return false, fmt.Errorf("delete kfrag: %w", err)
	}
	defer ks.mu.Unlock()
	var tag [32]byte
	err := ks.db.View(func(txn *badger.Txn) error {
		var err error
		tag, err = ks.kfragTag(txn, grant)
		return err
	})
	if errors.Is(err, ErrNoKFrag) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("delete kfrag: %w", err)
	}
	if err := ks.dropPhysically([][]byte{keyKFrag(tag, grant), keyKFragGrant(grant)}); err != nil {
		return false, fmt.Errorf("delete kfrag: %w", err)
	}
	return true, nil
}

// DeleteStreamKFrags removes every kfrag held for the stream with tag
// physically and returns how many there were.
func (ks *Keystore) DeleteStreamKFrags(ctx context.Context, tag [32]byte) (int, error) {
	if err := ks.lock(ctx); err != nil {
		return 0, fmt.Errorf("delete stream kfrags: %w", err)
	}
	defer ks.mu.Unlock()
	pre := keyKFragStreamPrefix(tag)
	prefixes := [][]byte{pre}
	n := 0
	err := ks.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pre})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(pre); it.Next() {
			k := it.Item().Key()
			var grant [32]byte
			copy(grant[:], k[len(pre):])
			prefixes = append(prefixes, keyKFragGrant(grant))
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delete stream kfrags: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	if err := ks.dropPhysically(prefixes); err != nil {
		return 0, fmt.Errorf("delete stream kfrags: %w", err)
	}
	return n, nil
}

// ProxySeed returns the node's 32-byte proxy key seed (the HPKE key kfrags
// are sealed to), creating it on first use. The caller wipes it.
func (ks *Keystore) ProxySeed(ctx context.Context) ([]byte, error) {
	if err := ks.lock(ctx); err != nil {
		return nil, fmt.Errorf("proxy key: %w", err)
	}
	defer ks.mu.Unlock()
	k := keyProxySeed()
	var seed []byte
	err := ks.db.Update(func(txn *badger.Txn) error {
		b, err := ks.get(txn, ks.node, k)
		if err == nil {
			seed = b
			return nil
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		seed = make([]byte, 32)
		if _, err := io.ReadFull(ks.opts.Rand, seed); err != nil {
			return fmt.Errorf("random: %w", err)
		}
		return txn.Set(k, ks.seal(ks.node, k, seed))
	})
	if err != nil {
		return nil, fmt.Errorf("proxy key: %w", err)
	}
	if len(seed) != 32 {
		return nil, fmt.Errorf("proxy key: %w: seed of %d bytes", ErrCorrupt, len(seed))
	}
	return seed, nil
}

// KFragGrants lists the grants this keystore holds kfrags for, so a proxy can
// sweep those whose grant was revoked or expired while it was down.
func (ks *Keystore) KFragGrants(ctx context.Context) ([][32]byte, error) {
	if err := ks.rlock(ctx); err != nil {
		return nil, fmt.Errorf("list kfrags: %w", err)
	}
	defer ks.mu.RUnlock()
	var out [][32]byte
	pre := []byte("g/")
	err := ks.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pre})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(pre); it.Next() {
			var g [32]byte
			copy(g[:], it.Item().Key()[len(pre):])
			out = append(out, g)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list kfrags: %w", err)
	}
	return out, nil
}
