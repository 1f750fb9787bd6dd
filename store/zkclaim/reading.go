package zkclaim

import (
	"errors"
	"fmt"
	"math"
	"math/big"
)

// Bit widths the circuits range-check. Comparisons in the circuits are only sound between numbers known to
// lie in [0, 2^n) (see geq in circuit.go), so every time, value and threshold is bounded here and again
// inside the circuit.
const (
	// TimeBits bounds a reading's time, Unix milliseconds: [0, 2^48) reaches past the year 10000.
	TimeBits = 48
	// ValueBits bounds a reading's fixed-point value, which is signed: it must lie in [MinValue, MaxValue].
	// Inside the circuit a value v is carried as v + 2^(ValueBits-1), a number in [0, 2^ValueBits).
	ValueBits = 48
	// MaxTime is the largest reading time accepted (Unix milliseconds).
	MaxTime = 1<<TimeBits - 1
	// MinValue and MaxValue bound a fixed-point value: ±1.4 × 10^14, i.e. far beyond any physiological
	// reading even at scale 6.
	MinValue = -(1 << (ValueBits - 1))
	MaxValue = 1<<(ValueBits-1) - 1
	// MaxScale is the largest number of decimal digits a stream's fixed-point scale may have.
	MaxScale = 9
)

// valueBias turns a signed value into the unsigned number the circuit compares: v + 2^(ValueBits-1).
const valueBias = 1 << (ValueBits - 1)

// Reading is one committed reading: its time and its value in fixed point.
//
// The scale convention: a stream's values are committed as integers value × 10^scale in the stream's unit,
// with a scale fixed per stream (glucose in mmol/L with scale 2: 5.43 mmol/L is 543). Claims state their
// thresholds in the same integers, so a verifier must know the stream's unit and scale to read a claim;
// ToFixed converts. A strict comparison ("below 3.9") is the non-strict one moved by one unit (≤ 389).
type Reading struct {
	// Time is the reading's own time, Unix milliseconds, in [0, MaxTime].
	Time int64
	// Value is the fixed-point value, in [MinValue, MaxValue].
	Value int64
}

// Errors a caller can test for with errors.Is.
var (
	ErrTooManyReadings = errors.New("zkclaim: too many readings for the tree's capacity")
	ErrNoReadings      = errors.New("zkclaim: a batch needs at least one reading")
	ErrTimeRange       = errors.New("zkclaim: time out of range")
	ErrValueRange      = errors.New("zkclaim: value out of range")
	ErrBadKey          = errors.New("zkclaim: batch key too short")
	ErrCapacity        = errors.New("zkclaim: capacity must be a power of two between 2 and 2^20")
)

func (r Reading) validate() error {
	if r.Time < 0 || r.Time > MaxTime {
		return fmt.Errorf("%w: %d ms is outside [0, 2^%d)", ErrTimeRange, r.Time, TimeBits)
	}
	if r.Value < MinValue || r.Value > MaxValue {
		return fmt.Errorf("%w: %d is outside [-2^%d, 2^%d)", ErrValueRange, r.Value, ValueBits-1, ValueBits-1)
	}
	return nil
}

// ToFixed converts a decimal value to the fixed-point integer value × 10^scale, rounded to the nearest
// integer (halves away from zero). It refuses NaN, infinities and results outside [MinValue, MaxValue].
func ToFixed(value float64, scale int) (int64, error) {
	if scale < 0 || scale > MaxScale {
		return 0, fmt.Errorf("zkclaim: scale %d outside [0, %d]", scale, MaxScale)
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, fmt.Errorf("%w: %v is not a finite number", ErrValueRange, value)
	}
	f := math.Round(value * math.Pow10(scale))
	if f < MinValue || f > MaxValue {
		return 0, fmt.Errorf("%w: %v at scale %d", ErrValueRange, value, scale)
	}
	return int64(f), nil
}

// packLeaf is the one field element a leaf hashes besides its salt:
//
//	time + (value + 2^47)·2^48 + padding·2^96
//
// With time and the biased value range-checked to 48 bits and the padding flag a bit, the packing is
// injective (it never exceeds 2^97, far below the BN254 scalar field's 2^253), so a leaf binds exactly one
// (time, value, padding) triple. The circuit computes the same linear combination.
func packLeaf(time int64, value int64, padding bool) *big.Int {
	p := new(big.Int).SetUint64(uint64(value + valueBias))
	p.Lsh(p, TimeBits)
	p.Or(p, new(big.Int).SetUint64(uint64(time)))
	if padding {
		p.SetBit(p, TimeBits+ValueBits, 1)
	}
	return p
}
