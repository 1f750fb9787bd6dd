package keys

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// Backup file format (see docs/KEYSTORE.md):
//
//	magic "VNKEYBK1" | header length (uint32 BE) | header (JSON) | ciphertext
//
// The ciphertext is XChaCha20-Poly1305 under a key derived from the backup
// credential, with magic and header as associated data. Its plaintext is a
// sequence of entries: kind (1 byte) | length (uvarint) | record (TLV).
const (
	backupMagic         = "VNKEYBK1"
	backupFormat        = "vaultnode-keystore-backup"
	backupVersion       = 1
	maxBackupSize       = 256 << 20
	backupKindNode      = 1
	backupKindDevice    = 2
	backupKindPatient   = 3
	backupKindStream    = 4
	backupKindDestroyed = 5
)

type backupHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	kdfBlock
	Nonce []byte `json:"nonce"`
}

// BackupReport counts what a backup holds (Export) or what was imported
// (Import).
type BackupReport struct {
	Devices          int // devices exported / imported
	Patients         int // patients exported / imported
	Streams          int // stream keys exported / imported
	Destroyed        int // destruction records exported / imported
	SkippedExisting  int // Import: devices and patients already present, left unchanged
	SkippedDestroyed int // Import: patients destroyed here, in the backup, or refused by ImportOptions.Skip
}

// ImportOptions control Import.
type ImportOptions struct {
	// ReplaceNode replaces this keystore's node identity and tag key with
	// the backup's (restoring a node). Allowed only while the keystore holds
	// no patient. Without it, a backup of another node is refused
	// (ErrForeignBackup): its stream tags would not match.
	ReplaceNode bool
	// Skip, if set, is asked about each patient of the backup by subject
	// tag; true leaves the patient out. Use it to refuse patients erased
	// on-chain (the deletion registry), since a backup taken before an
	// erasure still holds the keys. It is called once per patient of the
	// backup, before the keystore is locked, so it may be slow (a chain call).
	Skip func(subjectTag Tag) bool
}

// backup plaintext records.

type backupPatient struct {
	p       Pseudonym
	root    []byte
	created uint64
	mrn     string
	streams []*backupStream
}

type backupStream struct {
	p    Pseudonym
	name string
	rec  streamRecord
}

type backupTomb struct {
	tag  Tag
	tomb tombstoneRecord
}

func (b *backupPatient) encode() []byte {
	var w tlvWriter
	w.bytes(1, b.p[:])
	w.bytes(2, b.root)
	w.uint(3, b.created)
	if b.mrn != "" {
		w.str(4, b.mrn)
	}
	return w.b
}

func decodeBackupPatient(b []byte) (*backupPatient, error) {
	const what = "backup patient"
	f, err := decodeTLV(what, b, mask(1, 2, 3, 4), mask(1, 2, 3))
	if err != nil {
		return nil, err
	}
	r := &backupPatient{}
	pv, err := f.fixed(what, 1, len(r.p))
	if err != nil {
		return nil, err
	}
	copy(r.p[:], pv)
	if r.root, err = f.fixed(what, 2, rootKeySize); err != nil {
		return nil, err
	}
	if r.created, err = f.uint(what, 3); err != nil {
		return nil, err
	}
	if f.has(4) {
		r.mrn = string(f.v[4])
		if err := ValidateMRN(r.mrn); err != nil {
			return nil, fmt.Errorf("%s: %w: %w", what, ErrCorrupt, err)
		}
	}
	return r, nil
}

func (b *backupStream) encode() []byte {
	var w tlvWriter
	w.bytes(1, b.p[:])
	w.str(2, b.name)
	w.bytes(3, b.rec.encode())
	return w.b
}

func decodeBackupStream(b []byte) (*backupStream, error) {
	const what = "backup stream"
	f, err := decodeTLV(what, b, mask(1, 2, 3), mask(1, 2, 3))
	if err != nil {
		return nil, err
	}
	r := &backupStream{name: string(f.v[2])}
	pv, err := f.fixed(what, 1, len(r.p))
	if err != nil {
		return nil, err
	}
	copy(r.p[:], pv)
	if err := ValidateStreamName(r.name); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", what, ErrCorrupt, err)
	}
	sr, err := decodeStreamRecord(f.v[3])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	r.rec = *sr
	return r, nil
}

func (b *backupTomb) encode() []byte {
	var w tlvWriter
	w.bytes(1, b.tag[:])
	w.bytes(2, b.tomb.encode())
	return w.b
}

func decodeBackupTomb(b []byte) (*backupTomb, error) {
	const what = "backup destruction record"
	f, err := decodeTLV(what, b, mask(1, 2), mask(1, 2))
	if err != nil {
		return nil, err
	}
	r := &backupTomb{}
	tv, err := f.fixed(what, 1, len(r.tag))
	if err != nil {
		return nil, err
	}
	copy(r.tag[:], tv)
	t, err := decodeTombstoneRecord(f.v[2])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	r.tomb = *t
	return r, nil
}

type backupContents struct {
	node     *nodeRecord
	devices  []*deviceRecord
	patients []*backupPatient
	tombs    []*backupTomb
}

func appendEntry(dst []byte, kind byte, rec []byte) []byte {
	dst = append(dst, kind)
	dst = binary.AppendUvarint(dst, uint64(len(rec)))
	return append(dst, rec...)
}

func (c *backupContents) encode() []byte {
	var out []byte
	out = appendEntry(out, backupKindNode, c.node.encode())
	for _, d := range c.devices {
		out = appendEntry(out, backupKindDevice, d.encode())
	}
	for _, p := range c.patients {
		out = appendEntry(out, backupKindPatient, p.encode())
		for _, s := range p.streams {
			out = appendEntry(out, backupKindStream, s.encode())
		}
	}
	for _, t := range c.tombs {
		out = appendEntry(out, backupKindDestroyed, t.encode())
	}
	return out
}

// decodeBackupPayload parses the decrypted payload strictly: the node
// entry first and once, then devices, patients with their streams, and
// destruction records, in that order; devices, patients, destruction
// records unique; each stream right after its patient, unique per patient.
func decodeBackupPayload(b []byte) (*backupContents, error) {
	c := &backupContents{}
	devs := map[string]bool{}
	pats := map[Pseudonym]bool{}
	tombs := map[Tag]bool{}
	var cur *backupPatient
	curStreams := map[string]bool{}
	var lastRank byte
	for i := 0; len(b) > 0; i++ {
		kind := b[0]
		n, k := binary.Uvarint(b[1:])
		if k <= 0 || k != uvarintLen(n) || n > uint64(len(b)-1-k) {
			return nil, fmt.Errorf("backup entry %d: %w: bad length", i, ErrCorrupt)
		}
		rec := b[1+k : 1+k+int(n)]
		b = b[1+k+int(n):]
		if i == 0 && kind != backupKindNode {
			return nil, fmt.Errorf("backup: %w: first entry is not the node record", ErrCorrupt)
		}
		// Order: node, devices, patients (each followed by its streams),
		// destruction records.
		rank := kind
		if kind == backupKindStream {
			rank = backupKindPatient
		}
		if rank < lastRank {
			return nil, fmt.Errorf("backup entry %d: %w: kind %d out of order", i, ErrCorrupt, kind)
		}
		lastRank = rank
		switch kind {
		case backupKindNode:
			if i != 0 {
				return nil, fmt.Errorf("backup entry %d: %w: second node record", i, ErrCorrupt)
			}
			r, err := decodeNodeRecord(rec)
			if err != nil {
				return nil, fmt.Errorf("backup: %w", err)
			}
			c.node = r
		case backupKindDevice:
			r, err := decodeDeviceRecord(rec)
			if err != nil {
				return nil, fmt.Errorf("backup: %w", err)
			}
			if devs[r.id] {
				return nil, fmt.Errorf("backup: %w: device %s twice", ErrCorrupt, r.id)
			}
			devs[r.id] = true
			c.devices = append(c.devices, r)
		case backupKindPatient:
			r, err := decodeBackupPatient(rec)
			if err != nil {
				return nil, fmt.Errorf("backup: %w", err)
			}
			if pats[r.p] {
				return nil, fmt.Errorf("backup: %w: patient %s twice", ErrCorrupt, r.p)
			}
			pats[r.p] = true
			c.patients = append(c.patients, r)
			cur = r
			clear(curStreams)
		case backupKindStream:
			r, err := decodeBackupStream(rec)
			if err != nil {
				return nil, fmt.Errorf("backup: %w", err)
			}
			if cur == nil || cur.p != r.p {
				return nil, fmt.Errorf("backup: %w: stream %s not after its patient", ErrCorrupt, r.name)
			}
			if curStreams[r.name] {
				return nil, fmt.Errorf("backup: %w: stream %s twice", ErrCorrupt, r.name)
			}
			curStreams[r.name] = true
			cur.streams = append(cur.streams, r)
		case backupKindDestroyed:
			r, err := decodeBackupTomb(rec)
			if err != nil {
				return nil, fmt.Errorf("backup: %w", err)
			}
			if tombs[r.tag] {
				return nil, fmt.Errorf("backup: %w: destruction record twice", ErrCorrupt)
			}
			tombs[r.tag] = true
			c.tombs = append(c.tombs, r)
			cur = nil
		default:
			return nil, fmt.Errorf("backup entry %d: %w: unknown kind %d", i, ErrCorrupt, kind)
		}
	}
	if c.node == nil {
		return nil, fmt.Errorf("backup: %w: empty", ErrCorrupt)
	}
	return c, nil
}

func backupAEAD(master []byte) cipherAEAD { return wrapAEAD(master, "vaultnode/keystore/v1/backup") }

func (h *backupHeader) encode() []byte {
	b, err := json.Marshal(h)
	if err != nil {
		panic("keys: backup header: " + err.Error())
	}
	return b
}

func decodeBackupHeader(b []byte) (*backupHeader, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var h backupHeader
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("backup header: %w: %v", ErrCorrupt, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("backup header: %w: trailing data", ErrCorrupt)
	}
	if h.Format != backupFormat {
		return nil, fmt.Errorf("backup header: %w: format %q", ErrCorrupt, h.Format)
	}
	if h.Version != backupVersion {
		return nil, fmt.Errorf("backup header: %w: version %d (this build reads %d)", ErrUnsupportedVersion, h.Version, backupVersion)
	}
	if err := h.kdfBlock.validate(); err != nil {
		return nil, fmt.Errorf("backup header: %w", err)
	}
	if len(h.Nonce) != chacha20poly1305.NonceSizeX {
		return nil, fmt.Errorf("backup header: %w: nonce is %d bytes", ErrCorrupt, len(h.Nonce))
	}
	return &h, nil
}

// splitBackup parses the framing of a backup file: header and ciphertext.
func splitBackup(b []byte) (*backupHeader, []byte, []byte, error) {
	if len(b) < len(backupMagic)+4 || string(b[:len(backupMagic)]) != backupMagic {
		return nil, nil, nil, fmt.Errorf("backup: %w: not a keystore backup (bad magic)", ErrCorrupt)
	}
	hl := binary.BigEndian.Uint32(b[len(backupMagic):])
	rest := b[len(backupMagic)+4:]
	if hl > maxHeaderSize || uint64(hl) > uint64(len(rest)) {
		return nil, nil, nil, fmt.Errorf("backup: %w: header length %d", ErrCorrupt, hl)
	}
	h, err := decodeBackupHeader(rest[:hl])
	if err != nil {
		return nil, nil, nil, err
	}
	ct := rest[hl:]
	if len(ct) < chacha20poly1305.Overhead {
		return nil, nil, nil, fmt.Errorf("backup: %w: truncated", ErrCorrupt)
	}
	return h, b[:len(backupMagic)+4+int(hl)], ct, nil
}

// openBackup decrypts and decodes a backup file.
func openBackup(b []byte, cred Credential) (*backupContents, []byte, error) {
	h, ad, ct, err := splitBackup(b)
	if err != nil {
		return nil, nil, err
	}
	master, err := h.kdfBlock.unlock(cred)
	if err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	defer wipe(master)
	pt, err := backupAEAD(master).Open(nil, h.Nonce, ct, ad)
	if err != nil {
		return nil, nil, fmt.Errorf("backup: %w: fails authentication (altered or truncated)", ErrCorrupt)
	}
	c, err := decodeBackupPayload(pt)
	if err != nil {
		wipe(pt)
		return nil, nil, err
	}
	return c, pt, nil
}

// Export writes an encrypted backup of the whole keystore to w: node
// identity and tag key, devices, live patients with their root and stream
// keys and MRN, and destruction records. A destroyed patient is never
// exported (its keys no longer exist). The backup is protected by cred
// (Argon2id parameters from Options.Argon2), independently of the
// keystore's own credential.
func (ks *Keystore) Export(ctx context.Context, w io.Writer, cred Credential) (BackupReport, error) {
	if err := cred.check(); err != nil {
		return BackupReport{}, fmt.Errorf("export backup: %w", err)
	}
	if err := ks.rlock(ctx); err != nil {
		return BackupReport{}, fmt.Errorf("export backup: %w", err)
	}
	pt, rep, err := ks.backupPayload(ctx)
	ks.mu.RUnlock()
	if err != nil {
		return BackupReport{}, fmt.Errorf("export backup: %w", err)
	}
	defer wipe(pt)
	out, err := sealBackup(pt, cred, ks.opts.Argon2, ks.opts.Rand)
	if err != nil {
		return BackupReport{}, fmt.Errorf("export backup: %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return BackupReport{}, fmt.Errorf("export backup: %w", err)
	}
	return rep, nil
}

// sealBackup frames and encrypts a backup payload.
func sealBackup(pt []byte, cred Credential, params Argon2Params, rnd io.Reader) ([]byte, error) {
	kb, master, err := newKDFBlock(cred, params, rnd)
	if err != nil {
		return nil, err
	}
	defer wipe(master)
	h := &backupHeader{Format: backupFormat, Version: backupVersion, kdfBlock: kb, Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := io.ReadFull(rnd, h.Nonce); err != nil {
		return nil, err
	}
	hb := h.encode()
	out := make([]byte, 0, len(backupMagic)+4+len(hb)+len(pt)+chacha20poly1305.Overhead)
	out = append(out, backupMagic...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(hb)))
	out = append(out, hb...)
	out = backupAEAD(master).Seal(out, h.Nonce, pt, out)
	if len(out) > maxBackupSize {
		return nil, fmt.Errorf("%w: %d bytes exceeds the %d limit", ErrInvalid, len(out), maxBackupSize)
	}
	return out, nil
}

// backupPayload collects everything under the read lock, in one snapshot.
func (ks *Keystore) backupPayload(ctx context.Context) ([]byte, BackupReport, error) {
	var c backupContents
	var rep BackupReport
	var wipes [][]byte
	defer func() {
		for _, b := range wipes {
			wipe(b)
		}
	}()
	err := ks.db.View(func(txn *badger.Txn) error {
		c.node = &nodeRecord{identity: ks.ident, tagKey: ks.tagKey}
		npt, err := ks.get(txn, ks.node, keyNode())
		if err != nil {
			return err
		}
		wipes = append(wipes, npt)
		nr, err := decodeNodeRecord(npt)
		if err != nil {
			return err
		}
		c.node.created = nr.created
		if err := ks.eachDevice(ctx, txn, func(r *deviceRecord) error {
			cp := *r
			cp.pub = append([]byte(nil), r.pub...)
			if r.seed != nil {
				cp.seed = append([]byte(nil), r.seed...)
				wipes = append(wipes, cp.seed)
			}
			c.devices = append(c.devices, &cp)
			return nil
		}); err != nil {
			return err
		}
		ps, err := ks.pseudonyms(ctx, txn)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if _, err := txn.Get(keyTombstone(ks.subjectTag(p))); err == nil {
				continue // destruction pending: never export
			}
			rr, rpt, err := ks.root(txn, p)
			if err != nil {
				return err
			}
			wipes = append(wipes, rpt)
			a := patientAEAD(rr.root)
			mpt, err := ks.get(txn, a, keyMeta(p))
			if err != nil {
				return fmt.Errorf("patient %s: %w", p, err)
			}
			mr, err := decodeMetaRecord(mpt)
			if err != nil {
				return err
			}
			bp := &backupPatient{p: p, root: rr.root, created: rr.created, mrn: mr.mrn}
			names, err := ks.streamNames(ctx, txn, p)
			if err != nil {
				return err
			}
			for _, n := range names {
				sr, spt, err := ks.streamRecord(txn, a, p, n)
				if err != nil {
					return err
				}
				wipes = append(wipes, spt)
				bp.streams = append(bp.streams, &backupStream{p: p, name: n, rec: *sr})
			}
			c.patients = append(c.patients, bp)
			rep.Patients++
			rep.Streams += len(bp.streams)
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("x/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			var bt backupTomb
			copy(bt.tag[:], k[2:])
			err := it.Item().Value(func(v []byte) error {
				pt, err := openValue(ks.node, ks.id, k, v)
				if err != nil {
					return err
				}
				t, err := decodeTombstoneRecord(pt)
				if err != nil {
					return err
				}
				bt.tomb = *t
				return nil
			})
			if err != nil {
				return err
			}
			c.tombs = append(c.tombs, &bt)
		}
		return nil
	})
	if err != nil {
		return nil, BackupReport{}, err
	}
	rep.Devices = len(c.devices)
	rep.Destroyed = len(c.tombs)
	return c.encode(), rep, nil
}

// Import reads an encrypted backup made by Export and merges it into this
// keystore: devices and patients not present here are added; present ones
// are left unchanged; a patient destroyed here or in the backup, or refused
// by opts.Skip, is never imported. A wrong credential gives
// ErrWrongPassphrase, an altered backup ErrCorrupt, both with nothing
// imported.
func (ks *Keystore) Import(ctx context.Context, r io.Reader, cred Credential, opts ImportOptions) (BackupReport, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBackupSize+1))
	if err != nil {
		return BackupReport{}, fmt.Errorf("import backup: %w", err)
	}
	if len(b) > maxBackupSize {
		return BackupReport{}, fmt.Errorf("import backup: %w: larger than %d bytes", ErrInvalid, maxBackupSize)
	}
	c, pt, err := openBackup(b, cred)
	if err != nil {
		return BackupReport{}, fmt.Errorf("import backup: %w", err)
	}
	defer wipe(pt)
	// Ask Skip (which may consult the chain) before taking the lock. Subject
	// tags are under the backup's tag key: it is this node's tag key, or
	// becomes it with ReplaceNode (anything else is refused in apply).
	skipped := map[Pseudonym]bool{}
	if opts.Skip != nil {
		for _, bp := range c.patients {
			if opts.Skip(keyedTag(c.node.tagKey, "vaultnode/subject-tag/v1", bp.p[:])) {
				skipped[bp.p] = true
			}
		}
	}
	if err := ks.lock(ctx); err != nil {
		return BackupReport{}, fmt.Errorf("import backup: %w", err)
	}
	defer ks.mu.Unlock()
	rep, err := ks.apply(ctx, c, opts.ReplaceNode, skipped)
	if err != nil {
		return BackupReport{}, fmt.Errorf("import backup: %w", err)
	}
	ks.log.Info("backup imported", "patients", rep.Patients, "devices", rep.Devices, "skipped_destroyed", rep.SkippedDestroyed)
	return rep, nil
}

func (ks *Keystore) apply(ctx context.Context, c *backupContents, replaceNode bool, skipped map[Pseudonym]bool) (BackupReport, error) {
	var rep BackupReport
	sameNode := subtle.ConstantTimeCompare(c.node.tagKey, ks.tagKey) == 1
	tagKey := ks.tagKey
	if !sameNode {
		if !replaceNode {
			return rep, ErrForeignBackup
		}
		tagKey = c.node.tagKey
	}
	subject := func(p Pseudonym) Tag { return keyedTag(tagKey, "vaultnode/subject-tag/v1", p[:]) }
	backupTombs := map[Tag]bool{}
	for _, t := range c.tombs {
		backupTombs[t.tag] = true
	}

	// Plan under a read transaction, then write in one batch: any conflict
	// is reported before anything is written.
	type plannedPatient struct {
		bp  *backupPatient
		mrn []byte // index key or nil
	}
	var devs []*deviceRecord
	var pats []plannedPatient
	var tombs []*backupTomb
	err := ks.db.View(func(txn *badger.Txn) error {
		if replaceNode && !sameNode {
			ps, err := ks.pseudonyms(ctx, txn)
			if err != nil {
				return err
			}
			if len(ps) > 0 {
				return fmt.Errorf("%w: ReplaceNode needs a keystore without patients (this one has %d)", ErrInvalid, len(ps))
			}
		}
		exists := func(k []byte) (bool, error) {
			_, err := txn.Get(k)
			if err == nil {
				return true, nil
			}
			if errors.Is(err, badger.ErrKeyNotFound) {
				return false, nil
			}
			return false, err
		}
		for _, d := range c.devices {
			ok, err := exists(keyDevice(d.id))
			if err != nil {
				return err
			}
			if ok {
				rep.SkippedExisting++
				continue
			}
			devs = append(devs, d)
		}
		mrns := map[string]bool{}
		for _, bp := range c.patients {
			if err := ctx.Err(); err != nil {
				return err
			}
			st := subject(bp.p)
			destroyedHere, err := exists(keyTombstone(st))
			if err != nil {
				return err
			}
			if destroyedHere || backupTombs[st] || skipped[bp.p] {
				rep.SkippedDestroyed++
				continue
			}
			ok, err := exists(keyRoot(bp.p))
			if err != nil {
				return err
			}
			if ok {
				rep.SkippedExisting++
				continue
			}
			pp := plannedPatient{bp: bp}
			if bp.mrn != "" {
				if mrns[bp.mrn] {
					return fmt.Errorf("%w: backup: two patients with the same MRN", ErrCorrupt)
				}
				mrns[bp.mrn] = true
				pp.mrn = keyMRN(keyedTag(tagKey, "vaultnode/mrn-index/v1", []byte(bp.mrn)))
				taken, err := exists(pp.mrn)
				if err != nil {
					return err
				}
				if taken {
					return fmt.Errorf("patient %s: MRN %w here for another patient", bp.p, ErrExists)
				}
			}
			for _, s := range bp.streams {
				sks, pks := s.rec.keyPairs()
				for i := range sks {
					sk, err := reencrypt.SecretKeyFromBytes(sks[i])
					if err != nil {
						return fmt.Errorf("backup stream %s epoch %d: %w: %w", s.name, i, ErrCorrupt, err)
					}
					match := bytes.Equal(sk.PublicKey().Bytes(), pks[i])
					sk.Wipe()
					if !match {
						return fmt.Errorf("backup stream %s epoch %d: %w: secret and public key disagree", s.name, i, ErrCorrupt)
					}
				}
			}
			pats = append(pats, pp)
		}
		for _, t := range c.tombs {
			ok, err := exists(keyTombstone(t.tag))
			if err != nil {
				return err
			}
			if !ok {
				tombs = append(tombs, t)
			}
		}
		return nil
	})
	if err != nil {
		return BackupReport{}, err
	}

	wb := ks.db.NewWriteBatch()
	defer wb.Cancel()
	set := func(k, v []byte) error { return wb.Set(k, v) }
	if replaceNode && !sameNode {
		npt := c.node.encode()
		err := set(keyNode(), ks.seal(ks.node, keyNode(), npt))
		wipe(npt)
		if err != nil {
			return BackupReport{}, err
		}
	}
	for _, d := range devs {
		pt := d.encode()
		err := set(keyDevice(d.id), ks.seal(ks.node, keyDevice(d.id), pt))
		wipe(pt)
		if err != nil {
			return BackupReport{}, err
		}
		rep.Devices++
	}
	for _, pp := range pats {
		bp := pp.bp
		if pp.mrn != nil {
			if err := set(pp.mrn, ks.seal(ks.node, pp.mrn, (&mrnRecord{pseudonym: bp.p[:]}).encode())); err != nil {
				return BackupReport{}, err
			}
		}
		rpt := (&rootRecord{root: bp.root, created: bp.created}).encode()
		err := set(keyRoot(bp.p), ks.seal(ks.node, keyRoot(bp.p), rpt))
		wipe(rpt)
		if err != nil {
			return BackupReport{}, err
		}
		a := patientAEAD(bp.root)
		if err := set(keyMeta(bp.p), ks.seal(a, keyMeta(bp.p), (&metaRecord{mrn: bp.mrn}).encode())); err != nil {
			return BackupReport{}, err
		}
		for _, s := range bp.streams {
			spt := s.rec.encode()
			k := keyStream(bp.p, s.name)
			err := set(k, ks.seal(a, k, spt))
			wipe(spt)
			if err != nil {
				return BackupReport{}, err
			}
			rep.Streams++
		}
		rep.Patients++
	}
	for _, t := range tombs {
		k := keyTombstone(t.tag)
		if err := set(k, ks.seal(ks.node, k, t.tomb.encode())); err != nil {
			return BackupReport{}, err
		}
		rep.Destroyed++
	}
	if err := wb.Flush(); err != nil {
		return BackupReport{}, err
	}
	if err := ks.db.Sync(); err != nil {
		return BackupReport{}, err
	}
	if replaceNode && !sameNode {
		wipe(ks.tagKey)
		wipe(ks.ident)
		ks.tagKey = append([]byte(nil), c.node.tagKey...)
		ks.ident = append([]byte(nil), c.node.identity...)
		ks.cacheMu.Lock()
		clear(ks.streams)
		ks.cacheMu.Unlock()
	}
	return rep, nil
}

// RotateMasterKey re-protects the keystore under a new credential (a new
// passphrase with fresh salt and Options.Argon2 parameters, or a key file):
// the data key is re-wrapped and the header replaced atomically. The old
// credential no longer opens the keystore. The data key itself is not
// changed; to replace it (suspected compromise of the data key), Export and
// Import into a new keystore.
func (ks *Keystore) RotateMasterKey(ctx context.Context, newCred Credential) error {
	if err := newCred.check(); err != nil {
		return fmt.Errorf("rotate master key: %w", err)
	}
	if err := ks.lock(ctx); err != nil {
		return fmt.Errorf("rotate master key: %w", err)
	}
	defer ks.mu.Unlock()
	h, err := newHeader(ks.id, newCred, ks.opts.Argon2, ks.dk, ks.opts.Rand)
	if err != nil {
		return fmt.Errorf("rotate master key: %w", err)
	}
	if err := replaceHeader(ks.dir, h); err != nil {
		return fmt.Errorf("rotate master key: %w", err)
	}
	ks.hdr = h
	ks.log.Info("keystore master key rotated", "kdf", h.KDF)
	return nil
}
