package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// Patient is a patient known to this node (no secret in it).
type Patient struct {
	Pseudonym  Pseudonym
	SubjectTag Tag    // keyed hash of the pseudonym: names the patient on-chain (deletion registry)
	MRN        string // local medical record number; empty if none was given
	Created    time.Time
	RootKeyID  KeyID
	Streams    []string // stream names, sorted
}

// Stream is one data stream of a patient: its public delegating key and tag.
type Stream struct {
	Patient Pseudonym
	Name    string
	Tag     Tag // keyed hash of (pseudonym, name): what goes on-chain
	// PublicKey is the delegating key new batches are sealed under: the
	// key of the current epoch. Epoch counts the rotations since the
	// stream was created (docs/PRE.md "Key epochs").
	PublicKey *reencrypt.PublicKey
	Epoch     int
	// FirstKey is the key of epoch 0 (the stream's key when it was
	// created): batches that do not name their key were sealed under it.
	FirstKey *reencrypt.PublicKey
	KeyID    KeyID
	Created  time.Time
	// ChainSecret is the secret the stream's on-chain batch tags and MACs
	// are derived from (a key derived from the first epoch's secret key,
	// so the stream's erasure destroys it). Its holders (this node, the
	// grantees through their tickets) can tell which commitments on chain
	// are the stream's; nobody else can.
	ChainSecret [32]byte
	// ClaimSecret is the secret the salts of the stream's claim roots
	// (store/zkclaim) are derived from: another key derived from the first
	// epoch's secret key, never handed to a grantee (a revoked grantee
	// holding it could test guesses of later readings against their claim
	// roots), destroyed by the stream's erasure so that nothing new can be
	// proven about it.
	ClaimSecret [32]byte
}

type streamCacheKey struct {
	p    Pseudonym
	name string
}

// StreamTag is the stream tag of (pseudonym, stream name): HMAC-SHA256
// under the node tag key. It is a pure function (it does not check that
// the patient exists), so it still works for erased patients.
func (ks *Keystore) StreamTag(p Pseudonym, stream string) Tag {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	if ks.closed {
		return Tag{}
	}
	return keyedTag(ks.tagKey, "vaultnode/stream-tag/v1", p[:], []byte(stream))
}

// SubjectTag is the subject tag of a patient: HMAC-SHA256 of the pseudonym
// under the node tag key (domain-separated from stream tags). The deletion
// registry names an erased patient by it.
func (ks *Keystore) SubjectTag(p Pseudonym) Tag {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	if ks.closed {
		return Tag{}
	}
	return ks.subjectTag(p)
}

func (ks *Keystore) subjectTag(p Pseudonym) Tag {
	return keyedTag(ks.tagKey, "vaultnode/subject-tag/v1", p[:])
}

func (ks *Keystore) streamTag(p Pseudonym, stream string) Tag {
	return keyedTag(ks.tagKey, "vaultnode/stream-tag/v1", p[:], []byte(stream))
}

func (ks *Keystore) mrnTag(mrn string) Tag {
	return keyedTag(ks.tagKey, "vaultnode/mrn-index/v1", []byte(mrn))
}

// patientAEAD is the cipher of a patient's records, keyed from the root key.
func patientAEAD(root []byte) cipherAEAD {
	k := hkdfKey(root, nil, "vaultnode/keystore/v1/patient", chacha20poly1305.KeySize)
	defer wipe(k)
	a, err := chacha20poly1305.NewX(k)
	if err != nil {
		panic("keys: xchacha20poly1305: " + err.Error())
	}
	return a
}

// CreatePatient enrols a new patient: a random pseudonym and root key, and
// the mapping from mrn (may be empty) to the pseudonym. An MRN already
// mapped gives ErrExists.
func (ks *Keystore) CreatePatient(ctx context.Context, mrn string) (Patient, error) {
	if mrn != "" {
		if err := ValidateMRN(mrn); err != nil {
			return Patient{}, fmt.Errorf("create patient: %w", err)
		}
	}
	if err := ks.lock(ctx); err != nil {
		return Patient{}, fmt.Errorf("create patient: %w", err)
	}
	defer ks.mu.Unlock()
	var p Pseudonym
	root := make([]byte, rootKeySize)
	defer wipe(root)
	if _, err := io.ReadFull(ks.opts.Rand, p[:]); err != nil {
		return Patient{}, fmt.Errorf("create patient: %w", err)
	}
	if _, err := io.ReadFull(ks.opts.Rand, root); err != nil {
		return Patient{}, fmt.Errorf("create patient: %w", err)
	}
	created := unixNano(ks.opts.Now())
	err := ks.db.Update(func(txn *badger.Txn) error {
		return ks.putPatient(txn, p, root, created, mrn)
	})
	if err != nil {
		return Patient{}, fmt.Errorf("create patient: %w", err)
	}
	return Patient{Pseudonym: p, SubjectTag: ks.subjectTag(p), MRN: mrn, Created: fromNano(created),
		RootKeyID: rootKeyID(root), Streams: []string{}}, nil
}

// putPatient writes a patient's root, meta and MRN index records.
func (ks *Keystore) putPatient(txn *badger.Txn, p Pseudonym, root []byte, created uint64, mrn string) error {
	if _, err := txn.Get(keyRoot(p)); err == nil {
		return fmt.Errorf("patient %s: %w", p, ErrExists)
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return err
	}
	if _, err := txn.Get(keyTombstone(ks.subjectTag(p))); err == nil {
		return fmt.Errorf("patient %s: %w", p, ErrDestroyed)
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return err
	}
	if mrn != "" {
		mk := keyMRN(ks.mrnTag(mrn))
		if _, err := txn.Get(mk); err == nil {
			return fmt.Errorf("MRN: %w (another patient has it)", ErrExists)
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		mr := &mrnRecord{pseudonym: p[:]}
		if err := txn.Set(mk, ks.seal(ks.node, mk, mr.encode())); err != nil {
			return err
		}
	}
	rr := &rootRecord{root: root, created: created}
	rpt := rr.encode()
	defer wipe(rpt)
	if err := txn.Set(keyRoot(p), ks.seal(ks.node, keyRoot(p), rpt)); err != nil {
		return err
	}
	mpt := (&metaRecord{mrn: mrn}).encode()
	defer wipe(mpt)
	return txn.Set(keyMeta(p), ks.seal(patientAEAD(root), keyMeta(p), mpt))
}

// root unwraps a patient's root key (caller wipes it). Unknown patient:
// ErrUnknownPatient; destroyed: ErrDestroyed.
func (ks *Keystore) root(txn *badger.Txn, p Pseudonym) (*rootRecord, []byte, error) {
	// A destruction record wins even while the records are still being dropped.
	if _, err := txn.Get(keyTombstone(ks.subjectTag(p))); err == nil {
		return nil, nil, fmt.Errorf("patient %s: %w", p, ErrDestroyed)
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil, err
	}
	pt, err := ks.get(txn, ks.node, keyRoot(p))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil, fmt.Errorf("patient %s: %w", p, ErrUnknownPatient)
	}
	if err != nil {
		return nil, nil, err
	}
	rr, err := decodeRootRecord(pt)
	if err != nil {
		wipe(pt)
		return nil, nil, err
	}
	return rr, pt, nil
}

func (ks *Keystore) patient(ctx context.Context, txn *badger.Txn, p Pseudonym) (Patient, error) {
	rr, rpt, err := ks.root(txn, p)
	if err != nil {
		return Patient{}, err
	}
	defer wipe(rpt)
	a := patientAEAD(rr.root)
	mpt, err := ks.get(txn, a, keyMeta(p))
	if err != nil {
		if errors.Is(err, badger.ErrKeyNotFound) {
			err = fmt.Errorf("%w: patient record missing", ErrCorrupt)
		}
		return Patient{}, fmt.Errorf("patient %s: %w", p, err)
	}
	defer wipe(mpt)
	mr, err := decodeMetaRecord(mpt)
	if err != nil {
		return Patient{}, fmt.Errorf("patient %s: %w", p, err)
	}
	names, err := ks.streamNames(ctx, txn, p)
	if err != nil {
		return Patient{}, err
	}
	return Patient{Pseudonym: p, SubjectTag: ks.subjectTag(p), MRN: mr.mrn, Created: fromNano(rr.created),
		RootKeyID: rootKeyID(rr.root), Streams: names}, nil
}

func (ks *Keystore) streamNames(ctx context.Context, txn *badger.Txn, p Pseudonym) ([]string, error) {
	prefix := keyStreamPrefix(p)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	names := []string{}
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		names = append(names, string(it.Item().Key()[len(prefix):]))
	}
	return names, nil
}

// Patient returns one patient.
func (ks *Keystore) Patient(ctx context.Context, p Pseudonym) (Patient, error) {
	if err := ks.rlock(ctx); err != nil {
		return Patient{}, err
	}
	defer ks.mu.RUnlock()
	var out Patient
	err := ks.db.View(func(txn *badger.Txn) error {
		var err error
		out, err = ks.patient(ctx, txn, p)
		return err
	})
	return out, err
}

// PatientByMRN returns the patient mapped from a local MRN
// (ErrUnknownPatient if none; the MRN of an erased patient is unknown).
func (ks *Keystore) PatientByMRN(ctx context.Context, mrn string) (Patient, error) {
	if err := ValidateMRN(mrn); err != nil {
		return Patient{}, err
	}
	if err := ks.rlock(ctx); err != nil {
		return Patient{}, err
	}
	defer ks.mu.RUnlock()
	var out Patient
	err := ks.db.View(func(txn *badger.Txn) error {
		mk := keyMRN(ks.mrnTag(mrn))
		pt, err := ks.get(txn, ks.node, mk)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("MRN: %w", ErrUnknownPatient)
		}
		if err != nil {
			return err
		}
		mr, err := decodeMRNRecord(pt)
		if err != nil {
			return err
		}
		var p Pseudonym
		copy(p[:], mr.pseudonym)
		out, err = ks.patient(ctx, txn, p)
		if err == nil && out.MRN != mrn {
			err = fmt.Errorf("MRN index: %w: points at a patient with another MRN", ErrCorrupt)
		}
		return err
	})
	return out, err
}

// ResolvePatient accepts what a reading's "patient" field may hold: a
// pseudonym (64 hex digits) of a patient of this node, or a local MRN.
func (ks *Keystore) ResolvePatient(ctx context.Context, s string) (Patient, error) {
	if p, err := ParsePseudonym(s); err == nil {
		pt, err := ks.Patient(ctx, p)
		if err == nil || !errors.Is(err, ErrUnknownPatient) {
			return pt, err
		}
	}
	if err := ValidateMRN(s); err != nil {
		// Not echoed: it may be an MRN (personal data).
		return Patient{}, fmt.Errorf("patient: %w (neither a pseudonym of this node nor a valid MRN)", ErrUnknownPatient)
	}
	return ks.PatientByMRN(ctx, s)
}

// Patients lists every live (not destroyed) patient, in pseudonym order.
func (ks *Keystore) Patients(ctx context.Context) ([]Patient, error) {
	if err := ks.rlock(ctx); err != nil {
		return nil, err
	}
	defer ks.mu.RUnlock()
	var out []Patient
	err := ks.db.View(func(txn *badger.Txn) error {
		ps, err := ks.pseudonyms(ctx, txn)
		if err != nil {
			return err
		}
		for _, p := range ps {
			pt, err := ks.patient(ctx, txn, p)
			if err != nil {
				return err
			}
			out = append(out, pt)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list patients: %w", err)
	}
	return out, nil
}

// pseudonyms lists the patients that have a root record.
func (ks *Keystore) pseudonyms(ctx context.Context, txn *badger.Txn) ([]Pseudonym, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("p/")})
	defer it.Close()
	var out []Pseudonym
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := it.Item().Key()
		if len(k) == 2+len(Pseudonym{})+1 && k[len(k)-1] == 'r' {
			var p Pseudonym
			copy(p[:], k[2:])
			out = append(out, p)
		}
	}
	return out, nil
}

// CreateStream creates a stream of a patient with a fresh random
// delegating key pair, its secret key wrapped under the patient's root key.
// An existing stream gives ErrExists.
func (ks *Keystore) CreateStream(ctx context.Context, p Pseudonym, name string) (Stream, error) {
	return ks.createStream(ctx, p, name, false)
}

// EnsureStream returns the stream, creating it if it does not exist yet.
func (ks *Keystore) EnsureStream(ctx context.Context, p Pseudonym, name string) (Stream, error) {
	if s, err := ks.Stream(ctx, p, name); err == nil || !errors.Is(err, ErrUnknownStream) {
		return s, err
	}
	return ks.createStream(ctx, p, name, true)
}

func (ks *Keystore) createStream(ctx context.Context, p Pseudonym, name string, existingOK bool) (Stream, error) {
	return ks.withNewStreamKey(ctx, p, name, "create stream", func(txn *badger.Txn, a cipherAEAD, skb, pkb []byte) (Stream, error) {
		k := keyStream(p, name)
		if _, err := txn.Get(k); err == nil {
			if existingOK {
				return ks.readStream(txn, a, p, name)
			}
			return Stream{}, fmt.Errorf("stream %s: %w", name, ErrExists)
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return Stream{}, err
		}
		sr := &streamRecord{sk: skb, pk: pkb, created: unixNano(ks.opts.Now())}
		return ks.putStream(txn, a, p, name, sr)
	})
}

// withNewStreamKey runs fn in a write transaction of patient p's records
// with a fresh delegating key pair (its encodings, wiped afterwards) and
// caches the stream fn returns. what names the operation in errors.
func (ks *Keystore) withNewStreamKey(ctx context.Context, p Pseudonym, name, what string,
	fn func(txn *badger.Txn, a cipherAEAD, skb, pkb []byte) (Stream, error)) (Stream, error) {
	if err := ValidateStreamName(name); err != nil {
		return Stream{}, fmt.Errorf("%s: %w", what, err)
	}
	if err := ks.lock(ctx); err != nil {
		return Stream{}, fmt.Errorf("%s: %w", what, err)
	}
	defer ks.mu.Unlock()
	sk, err := reencrypt.GenerateSecretKey(ks.opts.Rand)
	if err != nil {
		return Stream{}, fmt.Errorf("%s %s: %w", what, name, err)
	}
	defer sk.Wipe()
	skb := sk.Bytes()
	defer wipe(skb)
	var out Stream
	err = ks.db.Update(func(txn *badger.Txn) error {
		rr, rpt, err := ks.root(txn, p)
		if err != nil {
			return err
		}
		defer wipe(rpt)
		out, err = fn(txn, patientAEAD(rr.root), skb, sk.PublicKey().Bytes())
		return err
	})
	if err != nil {
		return Stream{}, fmt.Errorf("%s %s: %w", what, name, err)
	}
	ks.cachePut(out)
	return out, nil
}

// putStream seals and stores a stream record and returns its public part.
func (ks *Keystore) putStream(txn *badger.Txn, a cipherAEAD, p Pseudonym, name string, sr *streamRecord) (Stream, error) {
	enc := sr.encode()
	defer wipe(enc)
	k := keyStream(p, name)
	if err := txn.Set(k, ks.seal(a, k, enc)); err != nil {
		return Stream{}, err
	}
	return ks.streamOf(p, name, sr)
}

// readStream decrypts a stream record and returns its public part.
func (ks *Keystore) readStream(txn *badger.Txn, a cipherAEAD, p Pseudonym, name string) (Stream, error) {
	sr, pt, err := ks.streamRecord(txn, a, p, name)
	if err != nil {
		return Stream{}, err
	}
	defer wipe(pt)
	return ks.streamOf(p, name, sr)
}

func (ks *Keystore) streamOf(p Pseudonym, name string, sr *streamRecord) (Stream, error) {
	_, cur := sr.current()
	pk, err := reencrypt.ParsePublicKey(cur)
	if err != nil {
		return Stream{}, fmt.Errorf("stream %s: %w: %w", name, ErrCorrupt, err)
	}
	first, err := reencrypt.ParsePublicKey(sr.pk)
	if err != nil {
		return Stream{}, fmt.Errorf("stream %s: %w: %w", name, ErrCorrupt, err)
	}
	cs := hkdfKey(sr.sk, nil, "vaultnode/stream-chain-secret/v1", 32)
	defer wipe(cs)
	zs := hkdfKey(sr.sk, nil, "vaultnode/stream-claim-secret/v1", 32)
	defer wipe(zs)
	return Stream{Patient: p, Name: name, Tag: ks.streamTag(p, name), PublicKey: pk, Epoch: len(sr.epochs),
		FirstKey: first, KeyID: StreamKeyID(pk), Created: fromNano(sr.created), ChainSecret: [32]byte(cs), ClaimSecret: [32]byte(zs)}, nil
}

// RotateStream starts a new key epoch of a stream: a fresh delegating key
// pair that every batch sealed from now on is encapsulated under. The keys
// of earlier epochs stay (grantees still open the batches sealed under
// them). A revocation rotates, so that a revoked grantee, even together
// with enough proxies to rebuild the old delegating key, opens no batch
// sealed after it.
func (ks *Keystore) RotateStream(ctx context.Context, p Pseudonym, name string) (Stream, error) {
	return ks.withNewStreamKey(ctx, p, name, "rotate stream key", func(txn *badger.Txn, a cipherAEAD, skb, pkb []byte) (Stream, error) {
		sr, pt, err := ks.streamRecord(txn, a, p, name)
		if err != nil {
			return Stream{}, err
		}
		defer wipe(pt)
		if len(sr.epochs) >= MaxStreamEpochs {
			return Stream{}, fmt.Errorf("%w: stream %s already has %d key epochs (the most a stream can have); create a new stream", ErrInvalid, name, len(sr.epochs))
		}
		sr.epochs = append(sr.epochs, epochKey{sk: skb, pk: pkb, created: unixNano(ks.opts.Now())})
		return ks.putStream(txn, a, p, name, sr)
	})
}

func (ks *Keystore) streamRecord(txn *badger.Txn, a cipherAEAD, p Pseudonym, name string) (*streamRecord, []byte, error) {
	pt, err := ks.get(txn, a, keyStream(p, name))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil, fmt.Errorf("stream %s of patient %s: %w", name, p, ErrUnknownStream)
	}
	if err != nil {
		return nil, nil, err
	}
	sr, err := decodeStreamRecord(pt)
	if err != nil {
		wipe(pt)
		return nil, nil, err
	}
	return sr, pt, nil
}

// maxCachedStreams bounds the stream cache (about 0.5 KiB per entry).
const maxCachedStreams = 1 << 14

func (ks *Keystore) cachePut(s Stream) {
	ks.cacheMu.Lock()
	if len(ks.streams) >= maxCachedStreams {
		for k := range ks.streams { // evict one entry at random
			delete(ks.streams, k)
			break
		}
	}
	ks.streams[streamCacheKey{s.Patient, s.Name}] = s
	ks.cacheMu.Unlock()
}

// Stream returns a stream's public key, tag and key id. It is the ingest
// hot path: results are cached in memory (public data only).
func (ks *Keystore) Stream(ctx context.Context, p Pseudonym, name string) (Stream, error) {
	if err := ValidateStreamName(name); err != nil {
		return Stream{}, err
	}
	if err := ks.rlock(ctx); err != nil {
		return Stream{}, err
	}
	defer ks.mu.RUnlock()
	ks.cacheMu.Lock()
	s, ok := ks.streams[streamCacheKey{p, name}]
	ks.cacheMu.Unlock()
	if ok {
		return s, nil
	}
	err := ks.db.View(func(txn *badger.Txn) error {
		rr, rpt, err := ks.root(txn, p)
		if err != nil {
			return err
		}
		defer wipe(rpt)
		s, err = ks.readStream(txn, patientAEAD(rr.root), p, name)
		return err
	})
	if err != nil {
		return Stream{}, err
	}
	ks.cachePut(s)
	return s, nil
}

// Streams lists a patient's streams, in name order.
func (ks *Keystore) Streams(ctx context.Context, p Pseudonym) ([]Stream, error) {
	if err := ks.rlock(ctx); err != nil {
		return nil, err
	}
	defer ks.mu.RUnlock()
	var out []Stream
	err := ks.db.View(func(txn *badger.Txn) error {
		rr, rpt, err := ks.root(txn, p)
		if err != nil {
			return err
		}
		defer wipe(rpt)
		a := patientAEAD(rr.root)
		names, err := ks.streamNames(ctx, txn, p)
		if err != nil {
			return err
		}
		for _, n := range names {
			s, err := ks.readStream(txn, a, p, n)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// StreamSecretKey unwraps the delegating secret key of a stream's current
// epoch (to generate kfrags for a grant). The caller must Wipe it.
func (ks *Keystore) StreamSecretKey(ctx context.Context, p Pseudonym, name string) (*reencrypt.SecretKey, error) {
	sks, err := ks.StreamSecretKeys(ctx, p, name)
	if err != nil {
		return nil, err
	}
	for _, sk := range sks[:len(sks)-1] {
		sk.Wipe()
	}
	return sks[len(sks)-1], nil
}

// StreamSecretKeys unwraps the delegating secret keys of every epoch of a
// stream, oldest first (the last is the current one). The caller must Wipe
// them.
func (ks *Keystore) StreamSecretKeys(ctx context.Context, p Pseudonym, name string) ([]*reencrypt.SecretKey, error) {
	if err := ValidateStreamName(name); err != nil {
		return nil, err
	}
	if err := ks.rlock(ctx); err != nil {
		return nil, err
	}
	defer ks.mu.RUnlock()
	var out []*reencrypt.SecretKey
	err := ks.db.View(func(txn *badger.Txn) error {
		rr, rpt, err := ks.root(txn, p)
		if err != nil {
			return err
		}
		defer wipe(rpt)
		sr, pt, err := ks.streamRecord(txn, patientAEAD(rr.root), p, name)
		if err != nil {
			return err
		}
		defer wipe(pt)
		sks, pks := sr.keyPairs()
		for i := range sks {
			sk, err := reencrypt.SecretKeyFromBytes(sks[i])
			if err != nil {
				return fmt.Errorf("stream %s epoch %d: %w: %w", name, i, ErrCorrupt, err)
			}
			out = append(out, sk)
			if !bytes.Equal(sk.PublicKey().Bytes(), pks[i]) {
				return fmt.Errorf("stream %s epoch %d: %w: secret and public key disagree", name, i, ErrCorrupt)
			}
		}
		return nil
	})
	if err != nil {
		for _, sk := range out {
			sk.Wipe()
		}
		return nil, err
	}
	return out, nil
}
