package zkclaim

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"
)

// The three circuits. Public inputs come first in each struct, in the order the Solidity verifier takes
// them (gnark orders public inputs by field declaration). Signed quantities (values, thresholds, bounds)
// are the integer's residue modulo the field (−3 is p − 3); the circuit adds 2^(ValueBits−1) and
// range-checks the sum, so only integers in [MinValue, MaxValue] satisfy it.

// exceedsCircuit proves: the tree with root Root holds a reading (not padding) with From ≤ time ≤ To and
// value ≥ Threshold (value ≤ Threshold if Below is 1). It opens one leaf — its Merkle path of Depth
// siblings — so its size does not depend on how many readings the batch holds. Index is private: the
// proof does not say which leaf it opened.
type exceedsCircuit struct {
	Root      frontend.Variable `gnark:",public"`
	From      frontend.Variable `gnark:",public"`
	To        frontend.Variable `gnark:",public"`
	Threshold frontend.Variable `gnark:",public"`
	Below     frontend.Variable `gnark:",public"`

	Time     frontend.Variable
	Value    frontend.Variable
	Salt     frontend.Variable
	Index    frontend.Variable
	Siblings []frontend.Variable
}

// countCircuit proves: among the readings of the tree with root Root, the number n with From ≤ time ≤ To
// and value ≥ Threshold (≤ if Below) satisfies n ≥ AtLeast, and n = AtLeast if Exact is 1. It recomputes
// the whole root from all Capacity leaves, so it can speak about every reading of the batch.
type countCircuit struct {
	Root      frontend.Variable `gnark:",public"`
	From      frontend.Variable `gnark:",public"`
	To        frontend.Variable `gnark:",public"`
	Threshold frontend.Variable `gnark:",public"`
	Below     frontend.Variable `gnark:",public"`
	AtLeast   frontend.Variable `gnark:",public"`
	Exact     frontend.Variable `gnark:",public"`

	Leaves []leafVars
}

// rangeCircuit proves: every reading of the tree with root Root with From ≤ time ≤ To has Lo ≤ value ≤ Hi,
// and there are at least MinInWindow readings in the window (so the claim is not vacuously true of an
// empty window unless the statement says so). Like countCircuit it recomputes the whole root.
type rangeCircuit struct {
	Root        frontend.Variable `gnark:",public"`
	From        frontend.Variable `gnark:",public"`
	To          frontend.Variable `gnark:",public"`
	Lo          frontend.Variable `gnark:",public"`
	Hi          frontend.Variable `gnark:",public"`
	MinInWindow frontend.Variable `gnark:",public"`

	Leaves []leafVars
}

// leafVars is one leaf's private preimage.
type leafVars struct {
	Time    frontend.Variable
	Value   frontend.Variable
	Padding frontend.Variable
	Salt    frontend.Variable
}

// countBits bounds AtLeast and MinInWindow (and so the counts they are compared with: at most the
// capacity, 2^20).
const countBits = 32

func init() {
	solver.RegisterHint(geqHint)
}

// geqHint returns 1 if inputs[0] ≥ inputs[1] (as integers in [0, p)), else 0. geq constrains it.
func geqHint(_ *big.Int, inputs []*big.Int, outputs []*big.Int) error {
	if len(inputs) != 2 || len(outputs) != 1 {
		return fmt.Errorf("geqHint: want 2 inputs and 1 output, got %d and %d", len(inputs), len(outputs))
	}
	if inputs[0].Cmp(inputs[1]) >= 0 {
		outputs[0].SetUint64(1)
	} else {
		outputs[0].SetUint64(0)
	}
	return nil
}

// rangeChecker is what gnark's std/rangecheck returns; bitChecker is the plain alternative.
type rangeChecker interface {
	Check(v frontend.Variable, nbBits int)
}

// bitChecker range-checks by binary decomposition (one constraint per bit). The exceeds circuit uses it:
// it has only a handful of checks, and it keeps that circuit free of the commitment that the lookup-based
// std/rangecheck needs, which would make its verification (and its Solidity verifier) costlier.
type bitChecker struct{ api frontend.API }

func (c bitChecker) Check(v frontend.Variable, nbBits int) {
	bits.ToBinary(c.api, v, bits.WithNbDigits(nbBits))
}

// gadgets bundles what the three circuits share.
type gadgets struct {
	api  frontend.API
	rc   rangeChecker
	hash *poseidon2.Permutation
}

func newGadgets(api frontend.API, rc rangeChecker) (*gadgets, error) {
	h, err := poseidon2.NewPoseidon2FromParameters(api, poseidonWidth, poseidonFullRounds, poseidonPartialRounds)
	if err != nil {
		return nil, fmt.Errorf("zkclaim: poseidon2 gadget: %w", err)
	}
	return &gadgets{api: api, rc: rc, hash: h}, nil
}

// geq returns 1 if a ≥ b and 0 otherwise, for a and b ALREADY range-checked to [0, 2^n) — the caller's
// duty, without which the result means nothing. Why it is sound: d = a − b + 2^n lies in [1, 2^(n+1)),
// far below the field order, and its bit n is exactly [a ≥ b]. The hint proposes that bit; the constraint
// d − bit·2^n ∈ [0, 2^n) holds only for the true bit (the wrong one leaves a negative number, which wraps
// to a huge field element, or one ≥ 2^n). Cost: one boolean and one n-bit range check, where api.Cmp would
// decompose both operands into 254 bits.
func (g *gadgets) geq(a, b frontend.Variable, n int) frontend.Variable {
	out, err := g.api.Compiler().NewHint(geqHint, 1, a, b)
	if err != nil {
		panic(err) // only for a wrong number of outputs
	}
	g.constrainGeq(a, b, out[0], n)
	return out[0]
}

// constrainGeq is geq's constraint on a proposed bit, apart from the hint so that the tests can propose the
// wrong bit, as a cheating prover would.
func (g *gadgets) constrainGeq(a, b, bit frontend.Variable, n int) {
	g.api.AssertIsBoolean(bit)
	twoN := new(big.Int).Lsh(big.NewInt(1), uint(n))
	d := g.api.Add(g.api.Sub(a, b), twoN)
	g.rc.Check(g.api.Sub(d, g.api.Mul(bit, twoN)), n)
}

// time range-checks a time to [0, 2^TimeBits) and returns it.
func (g *gadgets) time(t frontend.Variable) frontend.Variable {
	g.rc.Check(t, TimeBits)
	return t
}

// value returns a signed value (as a field residue) biased into [0, 2^ValueBits), and range-checks it:
// only values in [MinValue, MaxValue] pass.
func (g *gadgets) value(v frontend.Variable) frontend.Variable {
	b := g.api.Add(v, valueBias)
	g.rc.Check(b, ValueBits)
	return b
}

// leafHash hashes a leaf from its range-checked time, biased value and boolean padding flag, exactly as
// leaf.hash does natively: Poseidon2(time + value·2^48 + padding·2^96, salt).
func (g *gadgets) leafHash(time, biasedValue, padding, salt frontend.Variable) frontend.Variable {
	packed := g.api.Add(time,
		g.api.Mul(biasedValue, new(big.Int).Lsh(big.NewInt(1), TimeBits)),
		g.api.Mul(padding, new(big.Int).Lsh(big.NewInt(1), TimeBits+ValueBits)))
	return g.hash.Compress(packed, salt)
}

// inWindow returns 1 if From ≤ t ≤ To; all three are range-checked times.
func (g *gadgets) inWindow(t, from, to frontend.Variable) frontend.Variable {
	return g.api.Mul(g.geq(t, from, TimeBits), g.geq(to, t, TimeBits))
}

// hits returns [value ≥ threshold], or [value ≤ threshold] when below is 1: the operands are swapped
// instead of computing both comparisons.
func (g *gadgets) hits(biasedValue, biasedThreshold, below frontend.Variable) frontend.Variable {
	a := g.api.Select(below, biasedThreshold, biasedValue)
	b := g.api.Select(below, biasedValue, biasedThreshold)
	return g.geq(a, b, ValueBits)
}

// root recomputes the Merkle root of a full level of leaf hashes.
func (g *gadgets) root(level []frontend.Variable) frontend.Variable {
	for len(level) > 1 {
		up := make([]frontend.Variable, len(level)/2)
		for i := range up {
			up[i] = g.hash.Compress(level[2*i], level[2*i+1])
		}
		level = up
	}
	return level[0]
}

func (c *exceedsCircuit) Define(api frontend.API) error {
	g, err := newGadgets(api, bitChecker{api})
	if err != nil {
		return err
	}
	from, to := g.time(c.From), g.time(c.To)
	threshold := g.value(c.Threshold)
	api.AssertIsBoolean(c.Below)

	t, v := g.time(c.Time), g.value(c.Value)
	api.AssertIsEqual(g.inWindow(t, from, to), 1)
	api.AssertIsEqual(g.hits(v, threshold, c.Below), 1)

	// The opened leaf is a reading: its padding flag is the constant 0.
	node := g.leafHash(t, v, 0, c.Salt)
	// Index's bits, leaf level first, say on which side the running node sits; ToBinary constrains them to
	// bits and Index to [0, 2^depth).
	side := bits.ToBinary(api, c.Index, bits.WithNbDigits(len(c.Siblings)))
	for l, sib := range c.Siblings {
		left := api.Select(side[l], sib, node)
		right := api.Select(side[l], node, sib)
		node = g.hash.Compress(left, right)
	}
	api.AssertIsEqual(node, c.Root)
	return nil
}

// leaves range-checks every leaf and returns their hashes, the biased values and, per leaf, 1 if it is a
// reading (not padding) inside the window.
func (g *gadgets) leaves(leaves []leafVars, from, to frontend.Variable) (hashes, values, selected []frontend.Variable) {
	hashes = make([]frontend.Variable, len(leaves))
	values = make([]frontend.Variable, len(leaves))
	selected = make([]frontend.Variable, len(leaves))
	for i, l := range leaves {
		t, v := g.time(l.Time), g.value(l.Value)
		g.api.AssertIsBoolean(l.Padding)
		hashes[i] = g.leafHash(t, v, l.Padding, l.Salt)
		values[i] = v
		selected[i] = g.api.Mul(g.inWindow(t, from, to), g.api.Sub(1, l.Padding))
	}
	return hashes, values, selected
}

func (c *countCircuit) Define(api frontend.API) error {
	g, err := newGadgets(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	from, to := g.time(c.From), g.time(c.To)
	threshold := g.value(c.Threshold)
	api.AssertIsBoolean(c.Below)
	api.AssertIsBoolean(c.Exact)
	g.rc.Check(c.AtLeast, countBits)

	hashes, values, selected := g.leaves(c.Leaves, from, to)
	count := frontend.Variable(0)
	for i := range values {
		count = api.Add(count, api.Mul(selected[i], g.hits(values[i], threshold, c.Below)))
	}
	api.AssertIsEqual(g.root(hashes), c.Root)
	// count ≤ capacity < 2^countBits, AtLeast range-checked above.
	api.AssertIsEqual(g.geq(count, c.AtLeast, countBits), 1)
	api.AssertIsEqual(api.Mul(c.Exact, api.Sub(count, c.AtLeast)), 0)
	return nil
}

func (c *rangeCircuit) Define(api frontend.API) error {
	g, err := newGadgets(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	from, to := g.time(c.From), g.time(c.To)
	lo, hi := g.value(c.Lo), g.value(c.Hi)
	g.rc.Check(c.MinInWindow, countBits)

	hashes, values, selected := g.leaves(c.Leaves, from, to)
	inWindow := frontend.Variable(0)
	for i, v := range values {
		inside := api.Mul(g.geq(v, lo, ValueBits), g.geq(hi, v, ValueBits))
		// A selected reading outside [lo, hi] makes this product 1: the statement is false.
		api.AssertIsEqual(api.Mul(selected[i], api.Sub(1, inside)), 0)
		inWindow = api.Add(inWindow, selected[i])
	}
	api.AssertIsEqual(g.root(hashes), c.Root)
	api.AssertIsEqual(g.geq(inWindow, c.MinInWindow, countBits), 1)
	return nil
}

// newCircuit returns the empty circuit of a kind for a tree of capacity leaves (the shape gnark compiles).
func newCircuit(kind Kind, capacity int) (frontend.Circuit, error) {
	depth, err := checkCapacity(capacity)
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindExceeds:
		return &exceedsCircuit{Siblings: make([]frontend.Variable, depth)}, nil
	case KindCount:
		return &countCircuit{Leaves: make([]leafVars, capacity)}, nil
	case KindRange:
		return &rangeCircuit{Leaves: make([]leafVars, capacity)}, nil
	}
	return nil, fmt.Errorf("%w: %d", ErrKind, kind)
}
