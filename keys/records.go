package keys

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// Typed records (plaintexts of encrypted database values and of backup
// entries). Each has encode and a strict decoder; see codec.go.

const rootKeySize = 32
const tagKeySize = 32
const maxIdentitySize = 1024

func unixNano(t time.Time) uint64 { return uint64(t.UnixNano()) }
func fromNano(v uint64) time.Time {
	return time.Unix(0, int64(v)).UTC()
}

// nodeRecord: the node's libp2p identity and tag key.
type nodeRecord struct {
	identity []byte // libp2p crypto.MarshalPrivateKey
	tagKey   []byte // 32
	created  uint64
}

func (r *nodeRecord) encode() []byte {
	var w tlvWriter
	w.bytes(1, r.identity)
	w.bytes(2, r.tagKey)
	w.uint(3, r.created)
	return w.b
}

func decodeNodeRecord(b []byte) (*nodeRecord, error) {
	const what = "node record"
	f, err := decodeTLV(what, b, mask(1, 2, 3), mask(1, 2, 3))
	if err != nil {
		return nil, err
	}
	r := &nodeRecord{identity: f.v[1]}
	if len(r.identity) == 0 || len(r.identity) > maxIdentitySize {
		return nil, fmt.Errorf("%s: %w: identity is %d bytes", what, ErrCorrupt, len(r.identity))
	}
	if r.tagKey, err = f.fixed(what, 2, tagKeySize); err != nil {
		return nil, err
	}
	if r.created, err = f.uint(what, 3); err != nil {
		return nil, err
	}
	return r, nil
}

// deviceRecord: one enrolled device.
type deviceRecord struct {
	id       string
	pub      []byte // 32
	status   DeviceStatus
	enrolled uint64
	revoked  uint64 // 0: not revoked
	seed     []byte // optional 32-byte Ed25519 seed, only if kept
	udi      string // optional: the unit's UDI, canonical GS1 form (registered by its manufacturer)
}

func (r *deviceRecord) encode() []byte {
	var w tlvWriter
	w.str(1, r.id)
	w.bytes(2, r.pub)
	w.uint(3, uint64(r.status))
	w.uint(4, r.enrolled)
	if r.revoked != 0 {
		w.uint(5, r.revoked)
	}
	if r.seed != nil {
		w.bytes(6, r.seed)
	}
	if r.udi != "" {
		w.str(7, r.udi)
	}
	return w.b
}

func decodeDeviceRecord(b []byte) (*deviceRecord, error) {
	const what = "device record"
	f, err := decodeTLV(what, b, mask(1, 2, 3, 4, 5, 6, 7), mask(1, 2, 3, 4))
	if err != nil {
		return nil, err
	}
	r := &deviceRecord{id: string(f.v[1])}
	if err := ValidateDeviceID(r.id); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", what, ErrCorrupt, err)
	}
	if r.pub, err = f.fixed(what, 2, ed25519.PublicKeySize); err != nil {
		return nil, err
	}
	st, err := f.uint(what, 3)
	if err != nil {
		return nil, err
	}
	if st != uint64(DeviceActive) && st != uint64(DeviceRevoked) {
		return nil, fmt.Errorf("%s: %w: status %d", what, ErrCorrupt, st)
	}
	r.status = DeviceStatus(st)
	if r.enrolled, err = f.uint(what, 4); err != nil {
		return nil, err
	}
	if f.has(5) {
		if r.revoked, err = f.uint(what, 5); err != nil {
			return nil, err
		}
		if r.revoked == 0 {
			return nil, fmt.Errorf("%s: %w: zero revocation time", what, ErrCorrupt)
		}
	}
	if (r.status == DeviceRevoked) != (r.revoked != 0) {
		return nil, fmt.Errorf("%s: %w: status and revocation time disagree", what, ErrCorrupt)
	}
	if f.has(6) {
		if r.seed, err = f.fixed(what, 6, ed25519.SeedSize); err != nil {
			return nil, err
		}
	}
	if f.has(7) {
		u, err := ParseUDI(string(f.v[7]))
		if err != nil || u.String() != string(f.v[7]) {
			return nil, fmt.Errorf("%s: %w: UDI %q", what, ErrCorrupt, f.v[7])
		}
		r.udi = string(f.v[7])
	}
	return r, nil
}

// rootRecord: a patient's root key, stored encrypted under the node data key.
type rootRecord struct {
	root    []byte // 32
	created uint64
}

func (r *rootRecord) encode() []byte {
	var w tlvWriter
	w.bytes(1, r.root)
	w.uint(2, r.created)
	return w.b
}

func decodeRootRecord(b []byte) (*rootRecord, error) {
	const what = "patient root record"
	f, err := decodeTLV(what, b, mask(1, 2), mask(1, 2))
	if err != nil {
		return nil, err
	}
	r := &rootRecord{}
	if r.root, err = f.fixed(what, 1, rootKeySize); err != nil {
		return nil, err
	}
	if r.created, err = f.uint(what, 2); err != nil {
		return nil, err
	}
	return r, nil
}

// metaRecord: a patient's local data (the MRN), encrypted under the root key.
type metaRecord struct {
	mrn string // optional
}

func (r *metaRecord) encode() []byte {
	var w tlvWriter
	if r.mrn != "" {
		w.str(1, r.mrn)
	}
	if w.b == nil {
		return []byte{}
	}
	return w.b
}

func decodeMetaRecord(b []byte) (*metaRecord, error) {
	const what = "patient record"
	f, err := decodeTLV(what, b, mask(1), 0)
	if err != nil {
		return nil, err
	}
	r := &metaRecord{}
	if f.has(1) {
		r.mrn = string(f.v[1])
		if err := ValidateMRN(r.mrn); err != nil {
			return nil, fmt.Errorf("%s: %w: %w", what, ErrCorrupt, err)
		}
	}
	return r, nil
}

// streamRecord: a stream's delegating key pairs, encrypted under the root
// key: the key it was created with (fields 1–3) and, after rotations, the key
// of every later epoch, oldest first (field 4: entries of secret key ‖ public
// key ‖ created, concatenated).
type streamRecord struct {
	sk      []byte // 32
	pk      []byte // reencrypt.PublicKeySize
	created uint64
	epochs  []epochKey
}

// epochKey is the key pair of one stream-key epoch after the first.
type epochKey struct {
	sk, pk  []byte
	created uint64
}

const epochKeySize = reencrypt.SecretKeySize + reencrypt.PublicKeySize + 8

// MaxStreamEpochs bounds the key epochs of one stream (one per rotation);
// the stream record must stay under the keystore's record size.
const MaxStreamEpochs = 512

func (r *streamRecord) encode() []byte {
	var w tlvWriter
	w.bytes(1, r.sk)
	w.bytes(2, r.pk)
	w.uint(3, r.created)
	if len(r.epochs) > 0 {
		b := make([]byte, 0, len(r.epochs)*epochKeySize)
		for _, e := range r.epochs {
			b = append(b, e.sk...)
			b = append(b, e.pk...)
			b = binary.BigEndian.AppendUint64(b, e.created)
		}
		w.bytes(4, b)
		wipe(b)
	}
	return w.b
}

// current returns the key pair new batches are sealed under.
func (r *streamRecord) current() (sk, pk []byte) {
	if n := len(r.epochs); n > 0 {
		return r.epochs[n-1].sk, r.epochs[n-1].pk
	}
	return r.sk, r.pk
}

// keyPairs returns every epoch's key pair, oldest first.
func (r *streamRecord) keyPairs() (sks, pks [][]byte) {
	sks, pks = [][]byte{r.sk}, [][]byte{r.pk}
	for _, e := range r.epochs {
		sks, pks = append(sks, e.sk), append(pks, e.pk)
	}
	return sks, pks
}

func decodeStreamRecord(b []byte) (*streamRecord, error) {
	const what = "stream record"
	f, err := decodeTLV(what, b, mask(1, 2, 3, 4), mask(1, 2, 3))
	if err != nil {
		return nil, err
	}
	r := &streamRecord{}
	if r.sk, err = f.fixed(what, 1, reencrypt.SecretKeySize); err != nil {
		return nil, err
	}
	if r.pk, err = f.fixed(what, 2, reencrypt.PublicKeySize); err != nil {
		return nil, err
	}
	if r.created, err = f.uint(what, 3); err != nil {
		return nil, err
	}
	if f.has(4) {
		v := f.v[4]
		if len(v) == 0 || len(v)%epochKeySize != 0 || len(v)/epochKeySize > MaxStreamEpochs {
			return nil, fmt.Errorf("%s: %w: epoch keys field of %d bytes (entries of %d, at most %d)", what, ErrCorrupt, len(v), epochKeySize, MaxStreamEpochs)
		}
		for len(v) > 0 {
			e := epochKey{sk: v[:reencrypt.SecretKeySize], pk: v[reencrypt.SecretKeySize : reencrypt.SecretKeySize+reencrypt.PublicKeySize]}
			e.created = binary.BigEndian.Uint64(v[reencrypt.SecretKeySize+reencrypt.PublicKeySize:])
			r.epochs = append(r.epochs, e)
			v = v[epochKeySize:]
		}
	}
	return r, nil
}

// mrnRecord: MRN index entry, pointing at the pseudonym.
type mrnRecord struct {
	pseudonym []byte // 32
}

func (r *mrnRecord) encode() []byte {
	var w tlvWriter
	w.bytes(1, r.pseudonym)
	return w.b
}

func decodeMRNRecord(b []byte) (*mrnRecord, error) {
	const what = "MRN index record"
	f, err := decodeTLV(what, b, mask(1), mask(1))
	if err != nil {
		return nil, err
	}
	r := &mrnRecord{}
	if r.pseudonym, err = f.fixed(what, 1, len(Pseudonym{})); err != nil {
		return nil, err
	}
	return r, nil
}

// tombstoneRecord: what stays after Destroy, keyed by subject tag: when,
// and the ids of the destroyed keys. No secret, no pseudonym, no MRN.
type tombstoneRecord struct {
	destroyed uint64
	keyIDs    []KeyID
}

const maxKeyIDs = 1024

func (r *tombstoneRecord) encode() []byte {
	var w tlvWriter
	w.uint(1, r.destroyed)
	ids := make([]byte, 0, len(r.keyIDs)*len(KeyID{}))
	for _, id := range r.keyIDs {
		ids = append(ids, id[:]...)
	}
	w.bytes(2, ids)
	return w.b
}

func decodeTombstoneRecord(b []byte) (*tombstoneRecord, error) {
	const what = "destruction record"
	f, err := decodeTLV(what, b, mask(1, 2), mask(1, 2))
	if err != nil {
		return nil, err
	}
	r := &tombstoneRecord{}
	if r.destroyed, err = f.uint(what, 1); err != nil {
		return nil, err
	}
	ids := f.v[2]
	if len(ids) == 0 || len(ids)%len(KeyID{}) != 0 || len(ids)/len(KeyID{}) > maxKeyIDs {
		return nil, fmt.Errorf("%s: %w: key id list is %d bytes", what, ErrCorrupt, len(ids))
	}
	for len(ids) > 0 {
		var id KeyID
		copy(id[:], ids)
		r.keyIDs = append(r.keyIDs, id)
		ids = ids[len(id):]
	}
	return r, nil
}
