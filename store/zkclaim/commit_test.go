package zkclaim

import (
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"
)

// compressCircuit exposes the Poseidon2 gadget with the parameters the claim circuits use.
type compressCircuit struct {
	Left, Right, Out frontend.Variable
}

func (c *compressCircuit) Define(api frontend.API) error {
	g, err := newGadgets(api, bitChecker{api})
	if err != nil {
		return err
	}
	api.AssertIsEqual(g.hash.Compress(c.Left, c.Right), c.Out)
	return nil
}

// The tree is computed natively and recomputed in the circuits: both must use the same function.
func TestNativeHashMatchesCircuit(t *testing.T) {
	for _, in := range [][2]int64{{0, 0}, {1, 2}, {-1, 123456789}} {
		var l, r fr.Element
		l.SetInt64(in[0])
		r.SetInt64(in[1])
		out := compress(l, r)
		// the element-level compress is gnark-crypto's byte-level Compress
		lb, rb := l.Bytes(), r.Bytes()
		want, err := permutation.Compress(lb[:], rb[:])
		if err != nil {
			t.Fatal(err)
		}
		if ob := out.Bytes(); string(ob[:]) != string(want) {
			t.Fatalf("compress(%v) differs from gnark-crypto's Compress", in)
		}
		assignment := &compressCircuit{Left: l.BigInt(new(big.Int)), Right: r.BigInt(new(big.Int)), Out: out.BigInt(new(big.Int))}
		if err := test.IsSolved(&compressCircuit{}, assignment, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("circuit disagrees with native compress on %v: %v", in, err)
		}
	}
}

func TestCommitDeterministicAndHiding(t *testing.T) {
	rs := glucose(100)
	a, err := Commit(testKey, rs)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Commit(testKey, rs)
	if a != b {
		t.Fatal("same key and readings give different roots")
	}
	// Another key: the same readings give an unrelated root (the salts hide the readings).
	c, _ := Commit(otherKey, rs)
	if a == c {
		t.Fatal("root does not depend on the batch key")
	}
	// One value changed by one unit changes the root.
	rs2 := append([]Reading(nil), rs...)
	rs2[57].Value++
	d, _ := Commit(testKey, rs2)
	if a == d {
		t.Fatal("root does not bind the readings")
	}
	if _, err := ParseRoot(a.String()); err != nil {
		t.Fatalf("root does not parse back: %v", err)
	}
}

// The sparse construction (padding subtrees as constants) gives the root of the full tree.
func TestTreeMatchesFullTree(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 8, 13, 16} {
		rs := glucose(n)
		tr, err := buildTree(testKey, rs, 16)
		if err != nil {
			t.Fatal(err)
		}
		level := make([]fr.Element, 16)
		for i := range level {
			level[i] = tr.leafAt(i).hash()
		}
		for len(level) > 1 {
			up := make([]fr.Element, len(level)/2)
			for i := range up {
				up[i] = compress(level[2*i], level[2*i+1])
			}
			level = up
		}
		if root := tr.root(); !root.Equal(&level[0]) {
			t.Fatalf("%d readings: sparse root differs from the full tree's", n)
		}
		// every path leads to the root
		for i := 0; i < 16; i++ {
			node := tr.leafAt(i).hash()
			for l, s := range tr.path(i) {
				if (i>>l)&1 == 1 {
					node = compress(s, node)
				} else {
					node = compress(node, s)
				}
			}
			if root := tr.root(); !root.Equal(&node) {
				t.Fatalf("%d readings: path of leaf %d does not reach the root", n, i)
			}
		}
	}
}

func TestCommitRefuses(t *testing.T) {
	cases := []struct {
		name     string
		key      []byte
		readings []Reading
		capacity int
		want     error
	}{
		{"no readings", testKey, nil, 16, ErrNoReadings},
		{"too many", testKey, glucose(17), 16, ErrTooManyReadings},
		{"short key", []byte("short"), glucose(3), 16, ErrBadKey},
		{"negative time", testKey, []Reading{{Time: -1, Value: 1}}, 16, ErrTimeRange},
		{"time too large", testKey, []Reading{{Time: MaxTime + 1, Value: 1}}, 16, ErrTimeRange},
		{"value too large", testKey, []Reading{{Time: 1, Value: MaxValue + 1}}, 16, ErrValueRange},
		{"value too small", testKey, []Reading{{Time: 1, Value: MinValue - 1}}, 16, ErrValueRange},
		{"capacity not a power of two", testKey, glucose(3), 12, ErrCapacity},
	}
	for _, c := range cases {
		if _, err := CommitCapacity(c.key, c.readings, c.capacity); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// The extremes are accepted.
	if _, err := CommitCapacity(testKey, []Reading{{0, MinValue}, {MaxTime, MaxValue}}, 16); err != nil {
		t.Fatal(err)
	}
}

func TestToFixed(t *testing.T) {
	for _, c := range []struct {
		v     float64
		scale int
		want  int64
	}{{5.43, 2, 543}, {3.9, 2, 390}, {-0.125, 2, -13}, {13.9, 1, 139}, {100, 0, 100}} {
		got, err := ToFixed(c.v, c.scale)
		if err != nil || got != c.want {
			t.Errorf("ToFixed(%v, %d) = %d, %v; want %d", c.v, c.scale, got, err, c.want)
		}
	}
	if _, err := ToFixed(1e30, 2); !errors.Is(err, ErrValueRange) {
		t.Errorf("huge value: %v", err)
	}
}
