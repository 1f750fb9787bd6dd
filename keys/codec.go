package keys

import (
	"encoding/binary"
	"fmt"
)

// Records are encoded as a strict TLV: a sequence of fields
//
//	tag (1 byte, 1..63, strictly increasing) | length (minimal uvarint) | value
//
// Every record type lists the tags it allows and which are required; any
// other tag, a repeated or out-of-order tag, a non-minimal length, or a
// length past the end is rejected. A valid encoding is therefore canonical:
// decode then encode gives back the same bytes.

const (
	maxTag        = 63
	maxRecordSize = 64 << 10
)

type tlvWriter struct{ b []byte }

func (w *tlvWriter) bytes(tag byte, v []byte) {
	w.b = append(w.b, tag)
	w.b = binary.AppendUvarint(w.b, uint64(len(v)))
	w.b = append(w.b, v...)
}

func (w *tlvWriter) uint(tag byte, v uint64) {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], v)
	w.bytes(tag, buf[:])
}

func (w *tlvWriter) str(tag byte, s string) { w.bytes(tag, []byte(s)) }

// tlvFields holds the decoded fields of one record, indexed by tag. The
// slices alias the input.
type tlvFields struct {
	v       [maxTag + 1][]byte
	present uint64
}

func (f *tlvFields) has(tag byte) bool { return f.present&(1<<tag) != 0 }

// decodeTLV parses b. allowed and required are bit masks of tags.
func decodeTLV(what string, b []byte, allowed, required uint64) (*tlvFields, error) {
	if len(b) > maxRecordSize {
		return nil, fmt.Errorf("%s: %w: %d bytes, limit %d", what, ErrCorrupt, len(b), maxRecordSize)
	}
	f := new(tlvFields)
	last := -1
	for len(b) > 0 {
		tag := b[0]
		if tag == 0 || tag > maxTag || allowed&(1<<tag) == 0 {
			return nil, fmt.Errorf("%s: %w: unknown field %d", what, ErrCorrupt, tag)
		}
		if int(tag) <= last {
			return nil, fmt.Errorf("%s: %w: field %d repeated or out of order", what, ErrCorrupt, tag)
		}
		last = int(tag)
		n, k := binary.Uvarint(b[1:])
		if k <= 0 {
			return nil, fmt.Errorf("%s: %w: bad length of field %d", what, ErrCorrupt, tag)
		}
		if k != uvarintLen(n) {
			return nil, fmt.Errorf("%s: %w: non-minimal length of field %d", what, ErrCorrupt, tag)
		}
		rest := b[1+k:]
		if n > uint64(len(rest)) {
			return nil, fmt.Errorf("%s: %w: field %d runs past the end", what, ErrCorrupt, tag)
		}
		f.v[tag] = rest[:n:n]
		f.present |= 1 << tag
		b = rest[n:]
	}
	if f.present&required != required {
		for t := byte(1); t <= maxTag; t++ {
			if required&(1<<t) != 0 && !f.has(t) {
				return nil, fmt.Errorf("%s: %w: missing field %d", what, ErrCorrupt, t)
			}
		}
	}
	return f, nil
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func (f *tlvFields) fixed(what string, tag byte, size int) ([]byte, error) {
	v := f.v[tag]
	if len(v) != size {
		return nil, fmt.Errorf("%s: %w: field %d is %d bytes, want %d", what, ErrCorrupt, tag, len(v), size)
	}
	return v, nil
}

func (f *tlvFields) uint(what string, tag byte) (uint64, error) {
	v, err := f.fixed(what, tag, 8)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(v), nil
}

func mask(tags ...byte) uint64 {
	var m uint64
	for _, t := range tags {
		m |= 1 << t
	}
	return m
}
