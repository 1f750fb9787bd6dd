package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Destruction is what remains of a destroyed patient: the subject tag, the
// time, and the ids of the destroyed keys. No secret, pseudonym or MRN.
type Destruction struct {
	SubjectTag Tag
	Destroyed  time.Time
	KeyIDs     []KeyID // root key first, then stream keys in stream-name order
}

// Destroy physically destroys a patient's keys: the root key, every stream
// key, and the MRN mapping. It returns the ids of the destroyed keys (root
// first, then streams by name), to be listed in the erasure certificate.
//
// How: a destruction record (subject tag → key ids) is written first, then
// every database key of the patient is removed with badger's DropPrefix,
// which flushes the memtable (deleting its write-ahead log file) and
// rewrites every table holding the prefix without it. Values are stored
// inline in the LSM tree (never in the value log), so nothing is left in
// any file. Destroy then checks, over all versions, that nothing of the
// patient is left in the database (ErrDestroyIncomplete otherwise).
//
// Destroy is idempotent: destroying a destroyed patient finishes any
// interrupted work and returns the same key ids. An unknown patient gives
// ErrUnknownPatient. Afterwards every use of the patient gives ErrDestroyed.
func (ks *Keystore) Destroy(ctx context.Context, p Pseudonym) ([]KeyID, error) {
	if err := ks.lock(ctx); err != nil {
		return nil, fmt.Errorf("destroy patient: %w", err)
	}
	defer ks.mu.Unlock()
	ids, err := ks.destroy(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("destroy patient %s: %w", p, err)
	}
	ks.log.Info("patient keys destroyed", "subject_tag", ks.subjectTag(p).String(), "keys", len(ids))
	return ids, nil
}

func (ks *Keystore) destroy(ctx context.Context, p Pseudonym) ([]KeyID, error) {
	st := ks.subjectTag(p)
	tk := keyTombstone(st)
	var tomb *tombstoneRecord
	var mrn string
	err := ks.db.View(func(txn *badger.Txn) error {
		pt, err := ks.get(txn, ks.node, tk)
		if err == nil {
			tomb, err = decodeTombstoneRecord(pt)
			return err
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		tomb = &tombstoneRecord{}
		tomb.keyIDs, mrn, err = ks.keyIDs(ctx, txn, p)
		if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// From here on the destruction is not interrupted by ctx: a half-done
	// destruction would only be finished later (by Destroy or Open).
	prefixes := [][]byte{patientPrefix(p)}
	if tomb.destroyed == 0 {
		tomb.destroyed = unixNano(ks.opts.Now())
		pt := tomb.encode()
		if err := ks.db.Update(func(txn *badger.Txn) error {
			return txn.Set(tk, ks.seal(ks.node, tk, pt))
		}); err != nil {
			return nil, fmt.Errorf("write destruction record: %w", err)
		}
		if mrn != "" {
			prefixes = append(prefixes, keyMRN(ks.mrnTag(mrn)))
		}
	} else {
		// Resuming: the MRN is gone with the patient record; find index
		// entries by what they point at.
		more, err := ks.mrnKeysFor(ctx, func(q Pseudonym) bool { return q == p })
		if err != nil {
			return nil, err
		}
		prefixes = append(prefixes, more...)
	}
	if err := ks.dropPhysically(prefixes); err != nil {
		return nil, err
	}
	ks.cacheMu.Lock()
	for k := range ks.streams {
		if k.p == p {
			delete(ks.streams, k)
		}
	}
	ks.cacheMu.Unlock()
	return tomb.keyIDs, nil
}

// keyIDs computes the ids of a live patient's keys (root first, then
// streams by name) and returns the MRN.
func (ks *Keystore) keyIDs(ctx context.Context, txn *badger.Txn, p Pseudonym) ([]KeyID, string, error) {
	rr, rpt, err := ks.root(txn, p)
	if err != nil {
		return nil, "", err
	}
	defer wipe(rpt)
	a := patientAEAD(rr.root)
	ids := []KeyID{rootKeyID(rr.root)}
	mrn := ""
	mpt, err := ks.get(txn, a, keyMeta(p))
	if err == nil {
		if mr, err := decodeMetaRecord(mpt); err == nil {
			mrn = mr.mrn
		}
		wipe(mpt)
	}
	names, err := ks.streamNames(ctx, txn, p)
	if err != nil {
		return nil, "", err
	}
	for _, n := range names {
		sr, spt, err := ks.streamRecord(txn, a, p, n)
		if err != nil {
			// A record that no longer authenticates is destroyed all the same;
			// its id cannot be computed.
			ks.log.Warn("unreadable stream record, listed without its key id", "stream", n)
			continue
		}
		_, pks := sr.keyPairs()
		for _, pk := range pks {
			ids = append(ids, hashID("vaultnode/keyid/v1/stream", pk))
		}
		wipe(spt)
	}
	return ids, mrn, nil
}

// KeyIDs returns the ids of a live patient's keys, root first, then
// streams by name: what Destroy will return (for an erasure flow that
// records the commitment before destroying).
func (ks *Keystore) KeyIDs(ctx context.Context, p Pseudonym) ([]KeyID, error) {
	if err := ks.rlock(ctx); err != nil {
		return nil, err
	}
	defer ks.mu.RUnlock()
	var ids []KeyID
	err := ks.db.View(func(txn *badger.Txn) error {
		var err error
		ids, _, err = ks.keyIDs(ctx, txn, p)
		return err
	})
	return ids, err
}

// mrnKeysFor returns the MRN index keys whose pseudonym matches.
func (ks *Keystore) mrnKeysFor(ctx context.Context, match func(Pseudonym) bool) ([][]byte, error) {
	var out [][]byte
	err := ks.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("i/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := it.Item().KeyCopy(nil)
			var p Pseudonym
			err := it.Item().Value(func(v []byte) error {
				pt, err := openValue(ks.node, ks.id, k, v)
				if err != nil {
					return err
				}
				mr, err := decodeMRNRecord(pt)
				if err != nil {
					return err
				}
				copy(p[:], mr.pseudonym)
				return nil
			})
			if err != nil {
				return err
			}
			if match(p) {
				out = append(out, k)
			}
		}
		return nil
	})
	return out, err
}

// dropPhysically removes every version of every key under the prefixes
// from the LSM tree and its files, then verifies it.
func (ks *Keystore) dropPhysically(prefixes [][]byte) error {
	for attempt := 0; ; attempt++ {
		if err := ks.db.DropPrefix(prefixes...); err != nil {
			return fmt.Errorf("drop keys: %w", err)
		}
		left, err := ks.versionsLeft(prefixes)
		if err != nil {
			return err
		}
		if left == 0 {
			return nil
		}
		if attempt == 2 {
			return fmt.Errorf("%w: %d record versions still present", ErrDestroyIncomplete, left)
		}
		ks.log.Warn("destroy: record versions left after drop, retrying", "count", left)
	}
}

// versionsLeft counts all versions (live, overwritten or deleted) of keys
// under the prefixes still present in memtables or tables.
func (ks *Keystore) versionsLeft(prefixes [][]byte) (int, error) {
	n := 0
	err := ks.db.View(func(txn *badger.Txn) error {
		for _, pre := range prefixes {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: pre, AllVersions: true})
			for it.Rewind(); it.ValidForPrefix(pre); it.Next() {
				n++
			}
			it.Close()
		}
		return nil
	})
	return n, err
}

// Destroyed reports whether a patient was destroyed in this keystore, and
// if so what was destroyed.
func (ks *Keystore) Destroyed(ctx context.Context, p Pseudonym) (Destruction, bool, error) {
	if err := ks.rlock(ctx); err != nil {
		return Destruction{}, false, err
	}
	defer ks.mu.RUnlock()
	st := ks.subjectTag(p)
	var d Destruction
	found := false
	err := ks.db.View(func(txn *badger.Txn) error {
		pt, err := ks.get(txn, ks.node, keyTombstone(st))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		tomb, err := decodeTombstoneRecord(pt)
		if err != nil {
			return err
		}
		found = true
		d = Destruction{SubjectTag: st, Destroyed: fromNano(tomb.destroyed), KeyIDs: tomb.keyIDs}
		return nil
	})
	return d, found, err
}

// resumeDestroys completes destructions interrupted by a crash: a patient
// with a destruction record but records still present, and MRN index
// entries pointing at patients without a root record.
func (ks *Keystore) resumeDestroys(ctx context.Context) error {
	var pending []Pseudonym
	live := map[Pseudonym]bool{}
	err := ks.db.View(func(txn *badger.Txn) error {
		// Every pseudonym with any record left (a crash during DropPrefix
		// may leave some records of a patient and not others).
		ps, err := ks.anyPseudonyms(ctx, txn)
		if err != nil {
			return err
		}
		for _, p := range ps {
			live[p] = true
			if _, err := txn.Get(keyTombstone(ks.subjectTag(p))); err == nil {
				pending = append(pending, p)
			} else if !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("resume destructions: %w", err)
	}
	for _, p := range pending {
		ks.log.Warn("completing an interrupted key destruction", "subject_tag", ks.subjectTag(p).String())
		if _, err := ks.destroy(ctx, p); err != nil {
			return fmt.Errorf("resume destruction: %w", err)
		}
		delete(live, p)
	}
	orphans, err := ks.mrnKeysFor(ctx, func(q Pseudonym) bool { return !live[q] })
	if err != nil {
		return fmt.Errorf("resume destructions: %w", err)
	}
	if len(orphans) > 0 {
		ks.log.Warn("removing MRN mappings of destroyed patients", "count", len(orphans))
		if err := ks.dropPhysically(orphans); err != nil {
			return fmt.Errorf("resume destructions: %w", err)
		}
	}
	return nil
}

// anyPseudonyms lists the pseudonyms that have any record.
func (ks *Keystore) anyPseudonyms(ctx context.Context, txn *badger.Txn) ([]Pseudonym, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("p/")})
	defer it.Close()
	var out []Pseudonym
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := it.Item().Key()
		if len(k) < 2+len(Pseudonym{}) {
			continue
		}
		var p Pseudonym
		copy(p[:], k[2:])
		if len(out) == 0 || !bytes.Equal(out[len(out)-1][:], p[:]) {
			out = append(out, p)
		}
	}
	return out, nil
}
