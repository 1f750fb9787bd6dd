package pointers

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
)

// The journal is an append-only file of every chain write this node makes, written (and fsynced)
// BEFORE the transaction is sent, plus a "done" record naming the block that carried it. On every Open
// the client replays it against the chain: entries without a done record, or whose done block is no
// longer canonical (the chain lost it), are re-submitted unless the chain already holds their effect.
//
// File format: a sequence of records, each
//
//	u32 payload length | u32 CRC-32C of payload | payload
//
// where the payload starts with a kind byte:
//
//	'K' commitment: batchTag[32] seq u64 count u32 merkleRoot[32] claimRoot[32] mac[16] cidLen u16 cid
//	'B' commitment without a claim root (written before claim roots; read as a zero claim root)
//	    ('C', the commitment of the stream-tag contracts before v2, is refused: such a journal belongs to
//	    a chain this version cannot write to)
//	'O' operation:  id[16] name-len u8 name to[20] data-len u32 data
//	'D' done:       block u64 blockHash[32] txHash[32] nOps u16 ids[16]... nKeys u32 (tag[32] seq u64)...
//	'X' abandoned:  nOps u16 ids[16]... nKeys u32 (tag[32] seq u64)...   (rejected for good; never retried)
//
// A torn final record (a crash in the middle of an append) is truncated away on open; a complete record
// with a bad checksum is corruption and refuses to open.

const (
	recCommit   = 'K'
	recCommitV2 = 'B'
	recCommitV1 = 'C'
	recOp       = 'O'
	recDone     = 'D'
	recAbandon  = 'X'

	maxRecord = 64 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrJournalCorrupt: the journal file is damaged somewhere other than its tail.
var ErrJournalCorrupt = errors.New("pointers: journal corrupt")

type ckey struct {
	tag [32]byte
	seq uint64
}

type opID [16]byte

// jop is a generic registry write (everything but commitments).
type jop struct {
	id   opID
	name string
	to   common.Address
	data []byte
}

type jdone struct {
	block     uint64
	blockHash common.Hash
	txHash    common.Hash
}

type jrecord struct {
	kind   byte
	commit Commitment
	op     jop
	done   jdone
	ops    []opID
	keys   []ckey
}

type jentry struct {
	isOp      bool
	commit    Commitment
	op        jop
	done      *jdone
	abandoned bool
}

type journal struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	log     *slog.Logger
	entries []*jentry
	byKey   map[ckey]*jentry
	byOp    map[opID]*jentry
	size    int64
	base    int64 // size right after the last compaction
}

func encodeRecord(r *jrecord) []byte {
	var p bytes.Buffer
	p.WriteByte(r.kind)
	u16 := func(v int) { var b [2]byte; binary.BigEndian.PutUint16(b[:], uint16(v)); p.Write(b[:]) }
	u32 := func(v uint32) { var b [4]byte; binary.BigEndian.PutUint32(b[:], v); p.Write(b[:]) }
	u64 := func(v uint64) { var b [8]byte; binary.BigEndian.PutUint64(b[:], v); p.Write(b[:]) }
	refs := func() {
		u16(len(r.ops))
		for _, id := range r.ops {
			p.Write(id[:])
		}
		u32(uint32(len(r.keys)))
		for _, k := range r.keys {
			p.Write(k.tag[:])
			u64(k.seq)
		}
	}
	switch r.kind {
	case recCommit:
		c := r.commit
		p.Write(c.Tag[:])
		u64(c.Seq)
		u32(c.Count)
		p.Write(c.MerkleRoot[:])
		p.Write(c.ClaimRoot[:])
		p.Write(c.MAC[:])
		u16(len(c.RootCID))
		p.Write(c.RootCID)
	case recOp:
		p.Write(r.op.id[:])
		p.WriteByte(byte(len(r.op.name)))
		p.WriteString(r.op.name)
		p.Write(r.op.to[:])
		u32(uint32(len(r.op.data)))
		p.Write(r.op.data)
	case recDone:
		u64(r.done.block)
		p.Write(r.done.blockHash[:])
		p.Write(r.done.txHash[:])
		refs()
	case recAbandon:
		refs()
	}
	payload := p.Bytes()
	out := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint32(out[0:4], uint32(len(payload)))
	binary.BigEndian.PutUint32(out[4:8], crc32.Checksum(payload, crcTable))
	copy(out[8:], payload)
	return out
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.err = io.ErrUnexpectedEOF
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}
func (r *reader) u8() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}
func (r *reader) u16() int {
	if b := r.take(2); b != nil {
		return int(binary.BigEndian.Uint16(b))
	}
	return 0
}
func (r *reader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}
func (r *reader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// decodePayload parses one record payload (without the length/CRC header).
func decodePayload(payload []byte) (*jrecord, error) {
	r := &reader{b: payload}
	rec := &jrecord{kind: r.u8()}
	refs := func() {
		n := r.u16()
		if r.err == nil && n*16 > len(r.b) {
			r.err = io.ErrUnexpectedEOF
			return
		}
		for i := 0; i < n && r.err == nil; i++ {
			var id opID
			copy(id[:], r.take(16))
			rec.ops = append(rec.ops, id)
		}
		m := r.u32()
		if r.err == nil && uint64(m)*40 > uint64(len(r.b)) {
			r.err = io.ErrUnexpectedEOF
			return
		}
		for i := uint32(0); i < m && r.err == nil; i++ {
			var k ckey
			copy(k.tag[:], r.take(32))
			k.seq = r.u64()
			rec.keys = append(rec.keys, k)
		}
	}
	switch rec.kind {
	case recCommit, recCommitV2:
		copy(rec.commit.Tag[:], r.take(32))
		rec.commit.Seq = r.u64()
		rec.commit.Count = r.u32()
		copy(rec.commit.MerkleRoot[:], r.take(32))
		if rec.kind == recCommitV2 {
			rec.kind = recCommit
		} else {
			copy(rec.commit.ClaimRoot[:], r.take(32))
		}
		copy(rec.commit.MAC[:], r.take(16))
		rec.commit.RootCID = bytes.Clone(r.take(r.u16()))
	case recOp:
		copy(rec.op.id[:], r.take(16))
		rec.op.name = string(r.take(int(r.u8())))
		copy(rec.op.to[:], r.take(20))
		rec.op.data = bytes.Clone(r.take(int(r.u32())))
	case recDone:
		rec.done.block = r.u64()
		copy(rec.done.blockHash[:], r.take(32))
		copy(rec.done.txHash[:], r.take(32))
		refs()
	case recAbandon:
		refs()
	case recCommitV1:
		return nil, fmt.Errorf("%w: a commitment written by a vaultnode before v2 (per-stream tags on chain); this journal belongs to a chain this version cannot write to: start on a new chain", ErrJournalCorrupt)
	default:
		return nil, fmt.Errorf("%w: unknown record kind %#x", ErrJournalCorrupt, rec.kind)
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: record kind %c: %v", ErrJournalCorrupt, rec.kind, r.err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: record kind %c: %d trailing bytes", ErrJournalCorrupt, rec.kind, len(r.b))
	}
	return rec, nil
}

// decodeJournal parses a whole journal file. It returns the records and the length of the valid
// prefix; a torn last record is not an error (valid < len(b)), a damaged complete record is.
func decodeJournal(b []byte) (recs []*jrecord, valid int, err error) {
	off := 0
	for off < len(b) {
		if len(b)-off < 8 {
			return recs, off, nil // torn header
		}
		n := int(binary.BigEndian.Uint32(b[off:]))
		sum := binary.BigEndian.Uint32(b[off+4:])
		if n > maxRecord {
			return recs, off, fmt.Errorf("%w: record at offset %d claims %d bytes", ErrJournalCorrupt, off, n)
		}
		if len(b)-off-8 < n {
			return recs, off, nil // torn payload
		}
		payload := b[off+8 : off+8+n]
		if crc32.Checksum(payload, crcTable) != sum {
			if off+8+n == len(b) {
				return recs, off, nil // torn last record (partially written payload)
			}
			return recs, off, fmt.Errorf("%w: bad checksum at offset %d", ErrJournalCorrupt, off)
		}
		rec, err := decodePayload(payload)
		if err != nil {
			return recs, off, fmt.Errorf("offset %d: %w", off, err)
		}
		recs = append(recs, rec)
		off += 8 + n
	}
	return recs, off, nil
}

func openJournal(path string, lg *slog.Logger) (*journal, error) {
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("pointers: read journal: %w", err)
	}
	recs, valid, err := decodeJournal(b)
	if err != nil {
		return nil, fmt.Errorf("pointers: journal %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pointers: open journal: %w", err)
	}
	if valid < len(b) {
		lg.Warn("journal: dropping torn last record", "path", path, "bytes", len(b)-valid)
		if err := f.Truncate(int64(valid)); err != nil {
			f.Close()
			return nil, fmt.Errorf("pointers: truncate journal: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("pointers: sync journal: %w", err)
		}
	}
	if _, err := f.Seek(int64(valid), io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	j := &journal{path: path, f: f, log: lg, byKey: map[ckey]*jentry{}, byOp: map[opID]*jentry{}, size: int64(valid)}
	for _, r := range recs {
		j.apply(r)
	}
	return j, nil
}

func (j *journal) apply(r *jrecord) {
	switch r.kind {
	case recCommit:
		k := ckey{r.commit.Tag, r.commit.Seq}
		if _, ok := j.byKey[k]; ok {
			return
		}
		e := &jentry{commit: r.commit}
		j.entries = append(j.entries, e)
		j.byKey[k] = e
	case recOp:
		if _, ok := j.byOp[r.op.id]; ok {
			return
		}
		e := &jentry{isOp: true, op: r.op}
		j.entries = append(j.entries, e)
		j.byOp[r.op.id] = e
	case recDone, recAbandon:
		mark := func(e *jentry) {
			if e == nil {
				return
			}
			if r.kind == recDone {
				d := r.done
				e.done = &d
			} else {
				e.abandoned = true
			}
		}
		for _, id := range r.ops {
			mark(j.byOp[id])
		}
		for _, k := range r.keys {
			mark(j.byKey[k])
		}
	}
}

// append writes records and fsyncs before returning.
func (j *journal) append(recs ...*jrecord) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return ErrClosed
	}
	var buf bytes.Buffer
	for _, r := range recs {
		buf.Write(encodeRecord(r))
	}
	if _, err := j.f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pointers: journal write: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("pointers: journal sync: %w", err)
	}
	j.size += int64(buf.Len())
	for _, r := range recs {
		j.apply(r)
	}
	return nil
}

// snapshot returns the entries in journal order (copies of the pointers; entries are only mutated
// under j.mu by apply).
func (j *journal) snapshot() []jentry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]jentry, len(j.entries))
	for i, e := range j.entries {
		out[i] = *e
	}
	return out
}

func (j *journal) commitState(k ckey) (known bool, c Commitment, done, abandoned bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := j.byKey[k]
	if e == nil {
		return false, Commitment{}, false, false
	}
	return true, e.commit, e.done != nil, e.abandoned
}

// compact rewrites the journal keeping unfinished entries and finished ones whose block is less than
// retain blocks below head.
func (j *journal) compact(head, retain uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var kept []*jentry
	var buf bytes.Buffer
	for _, e := range j.entries {
		if e.abandoned || (e.done != nil && e.done.block+retain <= head) {
			continue
		}
		kept = append(kept, e)
		if e.isOp {
			buf.Write(encodeRecord(&jrecord{kind: recOp, op: e.op}))
		} else {
			buf.Write(encodeRecord(&jrecord{kind: recCommit, commit: e.commit}))
		}
		if e.done != nil {
			d := &jrecord{kind: recDone, done: *e.done}
			if e.isOp {
				d.ops = []opID{e.op.id}
			} else {
				d.keys = []ckey{{e.commit.Tag, e.commit.Seq}}
			}
			buf.Write(encodeRecord(d))
		}
	}
	if len(kept) == len(j.entries) {
		j.base = j.size
		return nil
	}
	if err := atomicfile.Write(j.path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("pointers: compact journal: %w", err)
	}
	f, err := os.OpenFile(j.path, os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("pointers: reopen journal: %w", err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return err
	}
	j.f.Close()
	j.f = f
	j.size = int64(buf.Len())
	j.base = j.size
	j.entries = kept
	j.byKey = map[ckey]*jentry{}
	j.byOp = map[opID]*jentry{}
	for _, e := range kept {
		if e.isOp {
			j.byOp[e.op.id] = e
		} else {
			j.byKey[ckey{e.commit.Tag, e.commit.Seq}] = e
		}
	}
	return nil
}

func (j *journal) byOpDone(id opID) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := j.byOp[id]
	return e != nil && e.done != nil
}

// sizes returns the journal's size and its size after the last compaction.
func (j *journal) sizes() (size, base int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size, j.base
}

func (j *journal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}
