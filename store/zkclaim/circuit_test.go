package zkclaim

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/consensys/gnark/test"
)

// geqCircuit lets a test propose geq's bit, as a cheating prover could (a prover runs any hint it likes).
type geqCircuit struct {
	A, B, Bit frontend.Variable
	lookups   bool
}

func (c *geqCircuit) Define(api frontend.API) error {
	var rc rangeChecker = bitChecker{api}
	if c.lookups {
		rc = rangecheck.New(api)
	}
	g, err := newGadgets(api, rc)
	if err != nil {
		return err
	}
	rc.Check(c.A, ValueBits)
	rc.Check(c.B, ValueBits)
	g.constrainGeq(c.A, c.B, c.Bit, ValueBits)
	return nil
}

// The comparison accepts exactly the true bit, with both range checkers, at the edges of the range.
func TestGeqAcceptsOnlyTheTruth(t *testing.T) {
	top := int64(1)<<ValueBits - 1
	pairs := [][2]int64{{0, 0}, {1, 0}, {0, 1}, {top, 0}, {0, top}, {top, top}, {top - 1, top}, {12345, 12344}}
	for _, lookups := range []bool{false, true} {
		for _, p := range pairs {
			truth := 0
			if p[0] >= p[1] {
				truth = 1
			}
			for bit := 0; bit <= 1; bit++ {
				err := test.IsSolved(&geqCircuit{lookups: lookups}, &geqCircuit{A: p[0], B: p[1], Bit: bit}, ecc.BN254.ScalarField())
				if (bit == truth) != (err == nil) {
					t.Errorf("lookups=%v a=%d b=%d bit=%d: solved=%v", lookups, p[0], p[1], bit, err == nil)
				}
			}
		}
	}
}

// A cheating prover cannot reinterpret a committed leaf: the same packed element read as (time + 2^48,
// value − 1) would move a reading into a later window, but the range checks refuse it.
func TestLeafPackingCannotBeReinterpreted(t *testing.T) {
	rs := []Reading{{Time: base, Value: 950}}
	tr, err := buildTree(testKey, rs, 2)
	if err != nil {
		t.Fatal(err)
	}
	st := Statement{Kind: KindExceeds, From: base, To: base, Threshold: 900}
	assign := func(time, value *big.Int) frontend.Circuit {
		c, err := st.assign(tr.root(), 2)
		if err != nil {
			t.Fatal(err)
		}
		fillPrivate(c, tr, 0)
		c.(*exceedsCircuit).Time, c.(*exceedsCircuit).Value = time, value
		return c
	}
	empty, _ := newCircuit(KindExceeds, 2)
	honest := assign(big.NewInt(base), big.NewInt(950))
	if err := test.IsSolved(empty, honest, ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("honest assignment: %v", err)
	}
	// time + 2^48 and value − 1 pack to the same element; the window moved along to make it match.
	shifted := new(big.Int).Add(big.NewInt(base), new(big.Int).Lsh(big.NewInt(1), TimeBits))
	st.From, st.To = 0, MaxTime
	if err := test.IsSolved(empty, assign(shifted, big.NewInt(949)), ecc.BN254.ScalarField()); err == nil {
		t.Fatal("a reinterpreted leaf satisfied the circuit")
	}
	// time − 2^48 (a field element near p) and value + 1 pack to the same element too, and would turn 950
	// into 951.
	st.Threshold = 951
	wrapped := new(big.Int).Sub(big.NewInt(base), new(big.Int).Lsh(big.NewInt(1), TimeBits))
	wrapped.Mod(wrapped, ecc.BN254.ScalarField())
	if err := test.IsSolved(empty, assign(wrapped, big.NewInt(951)), ecc.BN254.ScalarField()); err == nil {
		t.Fatal("a reinterpreted leaf satisfied the circuit")
	}
}
