package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
	"unicode/utf8"
)

// Reading is one medical-device reading (docs/PRODUCT.md §6). Patient is the 32-byte
// pseudonym, never a local MRN.
type Reading struct {
	Device  string    // device id, e.g. "cgm-17"
	Patient [32]byte  // patient pseudonym
	Stream  string    // stream name, e.g. "glucose"
	Time    time.Time // measurement time (nanosecond precision kept)
	Value   float64   // finite
	Unit    string    // e.g. "mmol/L"
	Code    string    // e.g. "loinc:15074-8"
	// Extra is what a reading carries besides the measurement, opaque to
	// the store (valid UTF-8, at most MaxExtraLen bytes): the node keeps a
	// FHIR Observation's identifier, interpretation and referenceRange
	// here as a JSON object. Empty for most readings; a reading with Extra
	// is encoded in reading format 2 (docs/STORE.md §4).
	Extra string
}

// Field limits of the canonical encoding (bytes of UTF-8). A reading
// exceeding one is refused with ErrReadingTooLarge.
const (
	MaxDeviceLen = 128
	MaxStreamLen = 64
	MaxUnitLen   = 32
	MaxCodeLen   = 64
	MaxExtraLen  = 8192
	// minReadingSize is the smallest canonical encoding of one reading.
	minReadingSize = 1 + 1 + 32 + 1 + 1 + 8 + 8 + 1 + 1
	// MaxReadingSize is the largest canonical encoding of one reading
	// (format 2 with the longest Extra).
	MaxReadingSize = 2 + 1 + MaxDeviceLen + 32 + 1 + MaxStreamLen + 8 + 8 + 1 + MaxUnitLen + 1 + MaxCodeLen + 2 + MaxExtraLen

	// readingV2 opens a reading in format 2: a byte no format-1 reading
	// starts with (a device length over MaxDeviceLen), then the format
	// number. Format 1 (no marker) stays what every reading without Extra
	// encodes to, so batches without one read the same on older builds.
	readingV2Marker  = 0xFF
	readingV2Version = 2
)

var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// checkReading validates r against the canonical encoding's rules.
func checkReading(r *Reading) error {
	field := func(name, v string, max int, required bool) error {
		if len(v) > max {
			return fmt.Errorf("%w: %s is %d bytes, limit %d", ErrReadingTooLarge, name, len(v), max)
		}
		if required && v == "" {
			return fmt.Errorf("%w: %s is empty", ErrInvalidReading, name)
		}
		if !utf8.ValidString(v) {
			return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidReading, name)
		}
		return nil
	}
	if err := field("device", r.Device, MaxDeviceLen, true); err != nil {
		return err
	}
	if err := field("stream", r.Stream, MaxStreamLen, true); err != nil {
		return err
	}
	if err := field("unit", r.Unit, MaxUnitLen, false); err != nil {
		return err
	}
	if err := field("code", r.Code, MaxCodeLen, false); err != nil {
		return err
	}
	if err := field("extra", r.Extra, MaxExtraLen, false); err != nil {
		return err
	}
	if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
		return fmt.Errorf("%w: value %v is not finite", ErrInvalidReading, r.Value)
	}
	if r.Time.IsZero() || r.Time.Before(minTime) || r.Time.After(maxTime) {
		return fmt.Errorf("%w: time %s outside 1678..2262", ErrInvalidReading, r.Time)
	}
	return nil
}

// AppendReading appends the canonical encoding of r to dst (see
// docs/STORE.md "Reading encoding"), format 1 when r has no Extra:
//
//	u8 len | device | patient[32] | u8 len | stream | i64 unix-nanos BE |
//	f64 value bits BE | u8 len | unit | u8 len | code
//
// and format 2 when it has one:
//
//	0xFF | 0x02 | <format 1> | u16 len BE | extra (1..MaxExtraLen)
//
// The encoding is deterministic: equal readings (same instant, same value
// bits) encode to equal bytes. r must pass validation (EncodeReading checks).
func AppendReading(dst []byte, r *Reading) []byte {
	if r.Extra != "" {
		dst = append(dst, readingV2Marker, readingV2Version)
	}
	dst = append(dst, byte(len(r.Device)))
	dst = append(dst, r.Device...)
	dst = append(dst, r.Patient[:]...)
	dst = append(dst, byte(len(r.Stream)))
	dst = append(dst, r.Stream...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.Time.UnixNano()))
	dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(r.Value))
	dst = append(dst, byte(len(r.Unit)))
	dst = append(dst, r.Unit...)
	dst = append(dst, byte(len(r.Code)))
	dst = append(dst, r.Code...)
	if r.Extra != "" {
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(r.Extra)))
		dst = append(dst, r.Extra...)
	}
	return dst
}

// encodedSize is the length of r's canonical encoding.
func encodedSize(r *Reading) int {
	n := 1 + len(r.Device) + 32 + 1 + len(r.Stream) + 16 + 1 + len(r.Unit) + 1 + len(r.Code)
	if r.Extra != "" {
		n += 2 + 2 + len(r.Extra)
	}
	return n
}

// EncodeReading validates r and returns its canonical encoding.
func EncodeReading(r *Reading) ([]byte, error) {
	if err := checkReading(r); err != nil {
		return nil, err
	}
	return AppendReading(make([]byte, 0, encodedSize(r)), r), nil
}

// DecodeReading decodes one canonical reading (format 1 or 2) from the
// front of b and returns it with the number of bytes consumed. It rejects
// anything the encoder cannot produce (bad UTF-8, empty device/stream,
// over-long fields, non-finite values, zero time, format 2 without Extra).
func DecodeReading(b []byte) (Reading, int, error) {
	return decodeReading(b, nil)
}

// decodeReading is DecodeReading sharing the strings of prev where the
// bytes are the same: a batch's readings mostly repeat their device,
// stream, unit and code, and this saves four allocations a reading.
func decodeReading(b []byte, prev *Reading) (Reading, int, error) {
	var r Reading
	p := 0
	v2 := len(b) > 0 && b[0] == readingV2Marker
	if v2 {
		if len(b) < 2 || b[1] != readingV2Version {
			return r, 0, fmt.Errorf("%w: unknown reading format (marker %#x, version byte missing or not %d)", ErrInvalidReading, readingV2Marker, readingV2Version)
		}
		p = 2
	}
	str := func(name string, max int, same string) (string, error) {
		if p >= len(b) {
			return "", fmt.Errorf("%w: truncated before %s", ErrInvalidReading, name)
		}
		n := int(b[p])
		p++
		if n > max {
			return "", fmt.Errorf("%w: %s length %d over limit %d", ErrInvalidReading, name, n, max)
		}
		if len(b)-p < n {
			return "", fmt.Errorf("%w: truncated %s", ErrInvalidReading, name)
		}
		s := same
		if string(b[p:p+n]) != same { // compared without a copy
			s = string(b[p : p+n])
		}
		p += n
		return s, nil
	}
	var err error
	if prev == nil {
		prev = &Reading{}
	}
	if r.Device, err = str("device", MaxDeviceLen, prev.Device); err != nil {
		return r, 0, err
	}
	if len(b)-p < 32 {
		return r, 0, fmt.Errorf("%w: truncated patient", ErrInvalidReading)
	}
	copy(r.Patient[:], b[p:p+32])
	p += 32
	if r.Stream, err = str("stream", MaxStreamLen, prev.Stream); err != nil {
		return r, 0, err
	}
	if len(b)-p < 16 {
		return r, 0, fmt.Errorf("%w: truncated time/value", ErrInvalidReading)
	}
	r.Time = time.Unix(0, int64(binary.BigEndian.Uint64(b[p:]))).UTC()
	r.Value = math.Float64frombits(binary.BigEndian.Uint64(b[p+8:]))
	p += 16
	if r.Unit, err = str("unit", MaxUnitLen, prev.Unit); err != nil {
		return r, 0, err
	}
	if r.Code, err = str("code", MaxCodeLen, prev.Code); err != nil {
		return r, 0, err
	}
	if v2 {
		if len(b)-p < 2 {
			return r, 0, fmt.Errorf("%w: truncated before extra", ErrInvalidReading)
		}
		n := int(binary.BigEndian.Uint16(b[p:]))
		p += 2
		switch {
		case n == 0:
			return r, 0, fmt.Errorf("%w: format 2 reading with an empty extra (format 1 encodes it)", ErrInvalidReading)
		case n > MaxExtraLen:
			return r, 0, fmt.Errorf("%w: extra length %d over limit %d", ErrInvalidReading, n, MaxExtraLen)
		case len(b)-p < n:
			return r, 0, fmt.Errorf("%w: truncated extra", ErrInvalidReading)
		}
		r.Extra = string(b[p : p+n])
		p += n
	}
	if err := checkReading(&r); err != nil {
		return r, 0, err
	}
	return r, p, nil
}
