package zkclaim

import (
	"errors"
	"fmt"
	"github.com/consensys/gnark-crypto/ecc"
	"math/big"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
)

// Kind is a claim's kind; each has its own circuit, keys and Solidity verifier.
type Kind uint8

const (
	// KindExceeds: at least one reading in the window is ≥ Threshold (≤ with Below).
	KindExceeds Kind = 1
	// KindCount: at least (or, with Exact, exactly) AtLeast readings in the window are ≥ Threshold (≤ with
	// Below).
	KindCount Kind = 2
	// KindRange: every reading in the window lies in [Lo, Hi], and at least MinInWindow readings are in
	// the window.
	KindRange Kind = 3
)

// Kinds lists every kind, in order.
var Kinds = []Kind{KindExceeds, KindCount, KindRange}

var kindNames = map[Kind]string{KindExceeds: "exceeds", KindCount: "count", KindRange: "range"}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, error) {
	for k, n := range kindNames {
		if n == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want exceeds, count or range)", ErrKind, s)
}

func (k Kind) valid() bool { _, ok := kindNames[k]; return ok }

// Errors about statements and proofs.
var (
	ErrKind           = errors.New("zkclaim: unknown claim kind")
	ErrKindMismatch   = errors.New("zkclaim: claim kinds differ")
	ErrStatement      = errors.New("zkclaim: malformed statement")
	ErrStatementFalse = errors.New("zkclaim: the statement is false for this batch")
	ErrProve          = errors.New("zkclaim: the prover refused")
	ErrInvalidProof   = errors.New("zkclaim: invalid proof")
)

// Statement is everything a claim states, and all that a proof reveals besides the batch root. Fields that
// a kind does not use must be zero, so a statement has one form.
type Statement struct {
	Kind Kind
	// From and To bound the window, inclusive, in Unix milliseconds.
	From, To int64
	// Threshold (exceeds, count) is in the stream's fixed point (see Reading); Below turns "≥" into "≤".
	Threshold int64
	Below     bool
	// AtLeast (count) is the number of matching readings claimed; Exact claims exactly that many.
	AtLeast uint32
	Exact   bool
	// Lo and Hi (range) bound every reading in the window, inclusive.
	Lo, Hi int64
	// MinInWindow (range) is a lower bound on how many readings the window holds; 0 lets the claim be
	// true of an empty window, which a reader might not expect.
	MinInWindow uint32
}

// Validate checks a statement's ranges and that the fields its kind does not use are zero.
func (s Statement) Validate() error {
	if !s.Kind.valid() {
		return fmt.Errorf("%w: %d", ErrKind, s.Kind)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrStatement, s.Kind, fmt.Sprintf(format, args...))
	}
	if s.From < 0 || s.From > MaxTime || s.To < 0 || s.To > MaxTime {
		return bad("window [%d, %d] outside [0, 2^%d) ms", s.From, s.To, TimeBits)
	}
	if s.From > s.To {
		return bad("window starts (%d) after it ends (%d)", s.From, s.To)
	}
	inValueRange := func(v int64) bool { return v >= MinValue && v <= MaxValue }
	switch s.Kind {
	case KindExceeds, KindCount:
		if !inValueRange(s.Threshold) {
			return bad("threshold %d out of range", s.Threshold)
		}
		if s.Lo != 0 || s.Hi != 0 || s.MinInWindow != 0 {
			return bad("lo, hi and min-in-window belong to range claims")
		}
		if s.Kind == KindExceeds && (s.AtLeast != 0 || s.Exact) {
			return bad("at-least and exact belong to count claims")
		}
	case KindRange:
		if !inValueRange(s.Lo) || !inValueRange(s.Hi) {
			return bad("bounds [%d, %d] out of range", s.Lo, s.Hi)
		}
		if s.Lo > s.Hi {
			return bad("lower bound %d above upper bound %d", s.Lo, s.Hi)
		}
		if s.Threshold != 0 || s.Below || s.AtLeast != 0 || s.Exact {
			return bad("threshold, below, at-least and exact belong to exceeds and count claims")
		}
	}
	return nil
}

// String states the claim in plain words, values in fixed point.
func (s Statement) String() string {
	window := fmt.Sprintf("between %s and %s", msTime(s.From), msTime(s.To))
	cmp := "≥"
	if s.Below {
		cmp = "≤"
	}
	switch s.Kind {
	case KindExceeds:
		return fmt.Sprintf("at least one reading %s has a value %s %d", window, cmp, s.Threshold)
	case KindCount:
		q := "at least"
		if s.Exact {
			q = "exactly"
		}
		return fmt.Sprintf("%s %d readings %s have a value %s %d", q, s.AtLeast, window, cmp, s.Threshold)
	case KindRange:
		return fmt.Sprintf("every reading %s lies within [%d, %d], and there are at least %d such readings",
			window, s.Lo, s.Hi, s.MinInWindow)
	}
	return s.Kind.String()
}

func msTime(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

// Hits reports whether a reading matches an exceeds or count statement's window and threshold: a reading
// an exceeds claim can be proven from.
func (s Statement) Hits(r Reading) bool {
	if !s.inWindow(r) {
		return false
	}
	if s.Below {
		return r.Value <= s.Threshold
	}
	return r.Value >= s.Threshold
}

func (s Statement) inWindow(r Reading) bool { return r.Time >= s.From && r.Time <= s.To }

// holds evaluates the statement on the readings natively, so that Prove can say why it refuses before
// running the prover (which would refuse too, with a less helpful message).
func (s Statement) holds(readings []Reading) error {
	switch s.Kind {
	case KindExceeds:
		for _, r := range readings {
			if s.Hits(r) {
				return nil
			}
		}
		return fmt.Errorf("%w: no reading matches: %s", ErrStatementFalse, s)
	case KindCount:
		n := 0
		for _, r := range readings {
			if s.Hits(r) {
				n++
			}
		}
		if n < int(s.AtLeast) || (s.Exact && n != int(s.AtLeast)) {
			return fmt.Errorf("%w: %d readings match: %s", ErrStatementFalse, n, s)
		}
	case KindRange:
		n := 0
		for i, r := range readings {
			if !s.inWindow(r) {
				continue
			}
			n++
			if r.Value < s.Lo || r.Value > s.Hi {
				return fmt.Errorf("%w: reading %d has value %d: %s", ErrStatementFalse, i, r.Value, s)
			}
		}
		if n < int(s.MinInWindow) {
			return fmt.Errorf("%w: %d readings in the window: %s", ErrStatementFalse, n, s)
		}
	}
	return nil
}

// fieldInt is a signed integer as the circuit sees it: its residue modulo the field order.
func fieldInt(v int64) *big.Int {
	var e fr.Element
	e.SetInt64(v)
	return e.BigInt(new(big.Int))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// assign builds the circuit assignment of a statement's public inputs on the given root; the private part
// is filled in by the prover (witness.go) or left empty for a public witness.
func (s Statement) assign(root fr.Element, capacity int) (frontend.Circuit, error) {
	c, err := newCircuit(s.Kind, capacity)
	if err != nil {
		return nil, err
	}
	rootInt := root.BigInt(new(big.Int))
	switch c := c.(type) {
	case *exceedsCircuit:
		c.Root, c.From, c.To = rootInt, s.From, s.To
		c.Threshold, c.Below = fieldInt(s.Threshold), boolInt(s.Below)
	case *countCircuit:
		c.Root, c.From, c.To = rootInt, s.From, s.To
		c.Threshold, c.Below = fieldInt(s.Threshold), boolInt(s.Below)
		c.AtLeast, c.Exact = s.AtLeast, boolInt(s.Exact)
	case *rangeCircuit:
		c.Root, c.From, c.To = rootInt, s.From, s.To
		c.Lo, c.Hi, c.MinInWindow = fieldInt(s.Lo), fieldInt(s.Hi), s.MinInWindow
	}
	return c, nil
}

// fillPrivate fills the private inputs of a statement's assignment from a batch's tree. For exceeds it opens
// leaf index (the caller picks a matching reading).
func fillPrivate(c frontend.Circuit, t *tree, index int) {
	switch c := c.(type) {
	case *exceedsCircuit:
		l := t.leafAt(index)
		c.Time, c.Value, c.Salt, c.Index = l.time, fieldInt(l.value), l.salt.BigInt(new(big.Int)), index
		for i, s := range t.path(index) {
			c.Siblings[i] = s.BigInt(new(big.Int))
		}
	case *countCircuit:
		fillLeaves(c.Leaves, t)
	case *rangeCircuit:
		fillLeaves(c.Leaves, t)
	}
}

func fillLeaves(vars []leafVars, t *tree) {
	for i := range vars {
		l := t.leafAt(i)
		vars[i] = leafVars{Time: l.time, Value: fieldInt(l.value), Padding: boolInt(l.padding), Salt: l.salt.BigInt(new(big.Int))}
	}
}

// publicInputs returns the public inputs of a statement on a root, in circuit order, 32 bytes each: what a
// Solidity verifier receives as its input array.
func publicInputs(st Statement, root Root, capacity int) ([]byte, error) {
	r, err := root.element()
	if err != nil {
		return nil, err
	}
	c, err := st.assign(r, capacity)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return nil, fmt.Errorf("zkclaim: %s public witness: %w", st.Kind, err)
	}
	vec, ok := w.Vector().(fr.Vector)
	if !ok {
		return nil, fmt.Errorf("zkclaim: unexpected witness vector %T", w.Vector())
	}
	out := make([]byte, 0, len(vec)*fr.Bytes)
	for i := range vec {
		b := vec[i].Bytes()
		out = append(out, b[:]...)
	}
	return out, nil
}
