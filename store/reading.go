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
}

// Field limits of the canonical encoding (bytes of UTF-8). A reading
// exceeding one is refused with ErrReadingTooLarge.
const (
	MaxDeviceLen = 128
	MaxStreamLen = 64
	MaxUnitLen   = 32
	MaxCodeLen   = 64
	// minReadingSize is the smallest canonical encoding of one reading.
	minReadingSize = 1 + 1 + 32 + 1 + 1 + 8 + 8 + 1 + 1
	// MaxReadingSize is the largest canonical encoding of one reading.
	MaxReadingSize = 1 + MaxDeviceLen + 32 + 1 + MaxStreamLen + 8 + 8 + 1 + MaxUnitLen + 1 + MaxCodeLen
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
	if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
		return fmt.Errorf("%w: value %v is not finite", ErrInvalidReading, r.Value)
	}
	if r.Time.IsZero() || r.Time.Before(minTime) || r.Time.After(maxTime) {
		return fmt.Errorf("%w: time %s outside 1678..2262", ErrInvalidReading, r.Time)
	}
	return nil
}

// AppendReading appends the canonical encoding of r to dst (see
// docs/STORE.md "Reading encoding"):
//
//	u8 len | device | patient[32] | u8 len | stream | i64 unix-nanos BE |
//	f64 value bits BE | u8 len | unit | u8 len | code
//
// The encoding is deterministic: equal readings (same instant, same value
// bits) encode to equal bytes. r must pass validation (EncodeReading checks).
func AppendReading(dst []byte, r *Reading) []byte {
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
	return dst
}

// EncodeReading validates r and returns its canonical encoding.
func EncodeReading(r *Reading) ([]byte, error) {
	if err := checkReading(r); err != nil {
		return nil, err
	}
	return AppendReading(make([]byte, 0, 96+len(r.Device)+len(r.Stream)+len(r.Unit)+len(r.Code)), r), nil
}

// DecodeReading decodes one canonical reading from the front of b and
// returns it with the number of bytes consumed. It rejects anything the
// encoder cannot produce (bad UTF-8, empty device/stream, over-long fields,
// non-finite values, zero time).
func DecodeReading(b []byte) (Reading, int, error) {
	var r Reading
	p := 0
	str := func(name string, max int) (string, error) {
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
		s := string(b[p : p+n])
		p += n
		return s, nil
	}
	var err error
	if r.Device, err = str("device", MaxDeviceLen); err != nil {
		return r, 0, err
	}
	if len(b)-p < 32 {
		return r, 0, fmt.Errorf("%w: truncated patient", ErrInvalidReading)
	}
	copy(r.Patient[:], b[p:p+32])
	p += 32
	if r.Stream, err = str("stream", MaxStreamLen); err != nil {
		return r, 0, err
	}
	if len(b)-p < 16 {
		return r, 0, fmt.Errorf("%w: truncated time/value", ErrInvalidReading)
	}
	r.Time = time.Unix(0, int64(binary.BigEndian.Uint64(b[p:]))).UTC()
	r.Value = math.Float64frombits(binary.BigEndian.Uint64(b[p+8:]))
	p += 16
	if r.Unit, err = str("unit", MaxUnitLen); err != nil {
		return r, 0, err
	}
	if r.Code, err = str("code", MaxCodeLen); err != nil {
		return r, 0, err
	}
	if err := checkReading(&r); err != nil {
		return r, 0, err
	}
	return r, p, nil
}
