package p2p

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store/merkle"
)

// The access log is an append-only file of length-prefixed records. Each
// record carries the hash of the previous one, so removing, reordering or
// editing an entry breaks the chain; periodically the Merkle root of a range
// of entry hashes is anchored on-chain, so an entry can be proved to an
// auditor against the chain. Format (all integers big-endian):
//
//	record  = len:u32 body
//	body    = 'A' 1 | index:u64 | time:unix-nanos i64 | grantee 32 | grant 32 | stream tag 32 |
//	          capsule 32 | outcome:u8 | purpose-len:u8 | purpose | prev-hash 32
//	hash    = SHA-256("vaultnode/access-log/v1\x00" || body)
const (
	accessLogName   = "access.log"
	accessLogDomain = "vaultnode/access-log/v1\x00"
	accessRecordTag = 'A'
	accessMaxBody   = 2 + 8 + 8 + 4*32 + 2 + MaxPurposeLen + 32
)

// LoggedAccess is an access-log entry with its position and hash.
type LoggedAccess struct {
	AccessEntry
	Index uint64
	Prev  [32]byte
	Hash  [32]byte
}

// AccessLog is a proxy's hash-chained access log.
type AccessLog struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	entries []LoggedAccess // entries are small; an operator rotates by anchoring
	head    [32]byte
	written uint64 // entries written to the file
	syncMu  sync.Mutex
	synced  uint64 // entries known durable
	log     *slog.Logger
	logID   [32]byte
}

// ErrLogTampered: the access log's hash chain or record framing is broken.
var ErrLogTampered = errors.New("access log hash chain is broken")

// OpenAccessLog opens (creating if needed) the access log in dir. A torn
// last record (a crash mid-write) is cut off; any other inconsistency is an
// error wrapping ErrLogTampered. logID names the log on-chain.
func OpenAccessLog(dir string, logID [32]byte, log *slog.Logger) (*AccessLog, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	path := filepath.Join(dir, accessLogName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	l := &AccessLog{f: f, log: log, logID: logID}
	good, err := l.load()
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("access log: cut torn tail: %w", err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("access log: %w", err)
	}
	l.w = bufio.NewWriter(f)
	l.written = uint64(len(l.entries))
	l.synced = l.written
	return l, nil
}

// load reads and checks every record; it returns the offset after the last
// complete record.
func (l *AccessLog) load() (int64, error) {
	r := bufio.NewReader(l.f)
	var off int64
	for {
		body, err := readFrame(r, accessMaxBody)
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return off, nil // the end, or a torn last record: stop here
		case errors.Is(err, ErrMalformed):
			return 0, fmt.Errorf("%w: record at offset %d: %v", ErrLogTampered, off, err)
		case err != nil:
			return 0, fmt.Errorf("access log: read record at offset %d: %w", off, err)
		}
		e, err := decodeAccessRecord(body)
		if err != nil {
			return 0, fmt.Errorf("%w: record at offset %d: %v", ErrLogTampered, off, err)
		}
		if e.Index != uint64(len(l.entries)) || e.Prev != l.head {
			return 0, fmt.Errorf("%w: entry %d does not follow entry %d", ErrLogTampered, e.Index, len(l.entries)-1)
		}
		l.entries = append(l.entries, e)
		l.head = e.Hash
		off += frameHeaderLen + int64(len(body))
	}
}

func encodeAccessRecord(e *LoggedAccess) []byte {
	b := make([]byte, 0, accessMaxBody)
	b = append(b, accessRecordTag, WireVersion)
	b = binary.BigEndian.AppendUint64(b, e.Index)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.UnixNano()))
	b = append(b, e.Grantee[:]...)
	b = append(b, e.GrantID[:]...)
	b = append(b, e.StreamTag[:]...)
	b = append(b, e.Capsule[:]...)
	b = append(b, byte(e.Outcome), byte(len(e.Purpose)))
	b = append(b, e.Purpose...)
	b = append(b, e.Prev[:]...)
	return b
}

func accessHash(body []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(accessLogDomain))
	h.Write(body)
	return [32]byte(h.Sum(nil))
}

func decodeAccessRecord(body []byte) (LoggedAccess, error) {
	var e LoggedAccess
	const fixed = 2 + 8 + 8 + 4*32 + 2
	if len(body) < fixed+32 {
		return e, fmt.Errorf("record of %d bytes, too short", len(body))
	}
	if body[0] != accessRecordTag || body[1] != WireVersion {
		return e, fmt.Errorf("record tag %#x version %d", body[0], body[1])
	}
	off := 2
	e.Index = binary.BigEndian.Uint64(body[off:])
	off += 8
	e.Time = time.Unix(0, int64(binary.BigEndian.Uint64(body[off:]))).UTC()
	off += 8
	for _, dst := range []*[32]byte{&e.Grantee, &e.GrantID, &e.StreamTag, &e.Capsule} {
		copy(dst[:], body[off:])
		off += 32
	}
	e.Outcome = Outcome(body[off])
	if e.Outcome >= OutcomeCount {
		return e, fmt.Errorf("unknown outcome %d", body[off])
	}
	plen := int(body[off+1])
	off += 2
	if plen > MaxPurposeLen || len(body) != off+plen+32 {
		return e, fmt.Errorf("purpose length %d does not fit a %d-byte record", plen, len(body))
	}
	e.Purpose = string(body[off : off+plen])
	off += plen
	copy(e.Prev[:], body[off:])
	e.Hash = accessHash(body)
	return e, nil
}

// Append adds an entry and returns once it is durable on disk. Concurrent
// appends share one fsync.
func (l *AccessLog) Append(ctx context.Context, e AccessEntry) error {
	wait, err := l.Begin(ctx, e)
	if err != nil {
		return err
	}
	return wait()
}

// Begin adds an entry to the log and returns a function that waits until it
// is durable. The caller may work in between (the proxy computes the cfrag
// while the fsync runs) but must not act on the entry before wait returns nil.
func (l *AccessLog) Begin(ctx context.Context, e AccessEntry) (wait func() error, err error) {
	if len(e.Purpose) > MaxPurposeLen {
		e.Purpose = e.Purpose[:MaxPurposeLen]
	}
	l.mu.Lock()
	if l.f == nil {
		l.mu.Unlock()
		return nil, errors.New("access log: closed")
	}
	le := LoggedAccess{AccessEntry: e, Index: uint64(len(l.entries)), Prev: l.head}
	le.Time = le.Time.UTC()
	body := encodeAccessRecord(&le)
	le.Hash = accessHash(body)
	if err := writeFrame(l.w, body); err != nil {
		l.mu.Unlock()
		return nil, fmt.Errorf("access log: append: %w", err)
	}
	l.entries = append(l.entries, le)
	l.head = le.Hash
	l.written++
	mine := l.written
	l.mu.Unlock()
	go func() { _ = l.syncTo(mine) }() // start the fsync now; wait joins or repeats it
	return func() error { return l.syncTo(mine) }, nil
}

// syncTo makes every entry up to n durable, sharing fsyncs between callers.
func (l *AccessLog) syncTo(n uint64) error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if l.synced >= n {
		return nil
	}
	l.mu.Lock()
	if l.f == nil {
		l.mu.Unlock()
		return errors.New("access log: closed")
	}
	f := l.f
	upto := l.written
	err := l.w.Flush()
	l.mu.Unlock()
	if err != nil {
		return fmt.Errorf("access log: flush: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("access log: sync: %w", err)
	}
	l.synced = upto
	return nil
}

// Len is the number of entries.
func (l *AccessLog) Len() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return uint64(len(l.entries))
}

// Entries returns entries [from, to).
func (l *AccessLog) Entries(from, to uint64) []LoggedAccess {
	l.mu.Lock()
	defer l.mu.Unlock()
	if to > uint64(len(l.entries)) {
		to = uint64(len(l.entries))
	}
	if from >= to {
		return nil
	}
	return append([]LoggedAccess(nil), l.entries[from:to]...)
}

// LogID is the log's on-chain name.
func (l *AccessLog) LogID() [32]byte { return l.logID }

// Close flushes and closes the file.
func (l *AccessLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := errors.Join(l.w.Flush(), l.f.Sync(), l.f.Close())
	l.f = nil
	return err
}

// AuditAnchorer is the chain side of anchoring. *pointers.Client implements it.
type AuditAnchorer interface {
	AnchorAudit(ctx context.Context, logID [32]byte, from, to uint64, root [32]byte) (pointers.Receipt, error)
	AnchorCount(ctx context.Context, logID [32]byte) (uint64, error)
	LookupAnchor(ctx context.Context, logID [32]byte, entry uint64) (pointers.Anchor, error)
}

// Anchor anchors every entry not yet anchored on-chain (the chain tells where
// the last anchor ended) and returns the range anchored; from == to when
// there was nothing new.
func (l *AccessLog) Anchor(ctx context.Context, chain AuditAnchorer) (from, to uint64, err error) {
	n, err := chain.AnchorCount(ctx, l.logID)
	if err != nil {
		return 0, 0, fmt.Errorf("access log: anchor: %w", err)
	}
	if n > 0 {
		// The last anchor covers [x, from); find from via the last entry it covers.
		last, err := l.lastAnchored(ctx, chain)
		if err != nil {
			return 0, 0, err
		}
		from = last
	}
	to = l.Len()
	if to <= from {
		return from, from, nil
	}
	if err := l.syncTo(to); err != nil {
		return 0, 0, err
	}
	root := merkle.Root(l.leaves(from, to))
	if _, err := chain.AnchorAudit(ctx, l.logID, from, to, root); err != nil {
		return 0, 0, fmt.Errorf("access log: anchor [%d,%d): %w", from, to, err)
	}
	l.log.Info("access log anchored", "from", from, "to", to)
	return from, to, nil
}

func (l *AccessLog) lastAnchored(ctx context.Context, chain AuditAnchorer) (uint64, error) {
	// Anchors are contiguous from 0; binary-search the first entry no anchor covers.
	lo, hi := uint64(0), l.Len()
	for lo < hi {
		mid := lo + (hi-lo)/2
		_, err := chain.LookupAnchor(ctx, l.logID, mid)
		switch {
		case err == nil:
			lo = mid + 1
		case errors.Is(err, pointers.ErrNoAnchor):
			hi = mid
		default:
			return 0, fmt.Errorf("access log: find last anchor: %w", err)
		}
	}
	return lo, nil
}

// leaves are the Merkle leaf hashes of entries [from, to): an anchor's root
// is the store/merkle (RFC 6962) root over them, each leaf's data the
// entry's hash.
func (l *AccessLog) leaves(from, to uint64) []merkle.Hash {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]merkle.Hash, 0, to-from)
	for _, e := range l.entries[from:to] {
		out = append(out, merkle.LeafHash(e.Hash[:]))
	}
	return out
}

// AccessProof proves one entry against an on-chain anchor.
type AccessProof struct {
	Entry  LoggedAccess
	Anchor pointers.Anchor
	Path   [][32]byte // sibling hashes from the leaf up; a zero entry means "no sibling at this level"
}

// AccessProof.Path is the format the audit protocol and disclosure reports
// carry (they predate store/merkle): one hash per tree level, leaf level
// first, the zero hash where the node has no sibling and is carried up.
// The RFC 6962 audit path store/merkle speaks omits those levels; padPath
// and unpadPath convert between the two.

// padPath turns the audit path of leaf idx of n into an AccessProof.Path.
func padPath(idx, n uint64, audit []merkle.Hash) [][32]byte {
	var out [][32]byte
	for ; n > 1; idx, n = idx/2, (n+1)/2 {
		if idx^1 < n && len(audit) > 0 {
			out, audit = append(out, audit[0]), audit[1:]
		} else {
			out = append(out, [32]byte{})
		}
	}
	return out
}

// unpadPath turns an AccessProof.Path of leaf idx of n into its audit path,
// refusing a path with a level too many or too few, or a non-zero hash
// where the tree has no sibling.
func unpadPath(idx, n uint64, path [][32]byte) ([]merkle.Hash, error) {
	out := make([]merkle.Hash, 0, len(path))
	for _, sib := range path {
		switch {
		case n <= 1:
			return nil, errors.New("proof is longer than the tree")
		case idx^1 < n:
			out = append(out, sib)
		case sib != [32]byte{}:
			return nil, errors.New("proof has a sibling where the tree has none")
		}
		idx, n = idx/2, (n+1)/2
	}
	if n > 1 {
		return nil, errors.New("proof is shorter than the tree")
	}
	return out, nil
}

// Prove returns entry index with its inclusion proof against the anchor that
// covers it (pointers.ErrNoAnchor when it is not anchored yet).
func (l *AccessLog) Prove(ctx context.Context, chain AuditAnchorer, index uint64) (*AccessProof, error) {
	if index >= l.Len() {
		return nil, fmt.Errorf("access log: no entry %d", index)
	}
	a, err := chain.LookupAnchor(ctx, l.logID, index)
	if err != nil {
		return nil, fmt.Errorf("access log: prove entry %d: %w", index, err)
	}
	if a.To > l.Len() {
		return nil, fmt.Errorf("%w: anchor covers entries this log does not have", ErrLogTampered)
	}
	audit, err := merkle.InclusionProof(l.leaves(a.From, a.To), int(index-a.From))
	if err != nil {
		return nil, fmt.Errorf("access log: prove entry %d: %w", index, err)
	}
	p := &AccessProof{Entry: l.Entries(index, index+1)[0], Anchor: a, Path: padPath(index-a.From, a.To-a.From, audit)}
	if err := p.Verify(); err != nil {
		return nil, fmt.Errorf("%w: local entries do not match the anchor: %v", ErrLogTampered, err)
	}
	return p, nil
}

// Verify checks that the entry's recomputed hash is included in the anchor's
// root. The caller must have read Anchor from the chain.
func (p *AccessProof) Verify() error {
	body := encodeAccessRecord(&p.Entry)
	if accessHash(body) != p.Entry.Hash {
		return errors.New("entry hash does not match its contents")
	}
	if p.Entry.Index < p.Anchor.From || p.Entry.Index >= p.Anchor.To {
		return fmt.Errorf("entry %d is outside anchor [%d,%d)", p.Entry.Index, p.Anchor.From, p.Anchor.To)
	}
	idx, n := p.Entry.Index-p.Anchor.From, p.Anchor.To-p.Anchor.From
	audit, err := unpadPath(idx, n, p.Path)
	if err != nil {
		return err
	}
	if err := merkle.VerifyInclusion(p.Anchor.Root, merkle.LeafHash(p.Entry.Hash[:]), idx, n, audit); err != nil {
		return fmt.Errorf("entry is not under the anchored root: %w", err)
	}
	return nil
}
