package zkclaim

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// The batch of the claim tests: 12 glucose readings (mmol/L × 100) every 5 minutes from base, values
// 540 610 720 880 950 830 660 480 540 610 720 880: 4 readings ≥ 800, one ≥ 900 (950, reading 4), one ≤ 500
// (480, reading 7).
var batch = glucose(12)

func hour(h int64) int64 { return base + h*60*minute }

var trueStatements = []Statement{
	{Kind: KindExceeds, From: base, To: hour(1), Threshold: 900},
	{Kind: KindExceeds, From: base, To: hour(1), Threshold: 500, Below: true},
	{Kind: KindCount, From: base, To: hour(1), Threshold: 800, AtLeast: 3},
	{Kind: KindCount, From: base, To: hour(1), Threshold: 800, AtLeast: 4, Exact: true},
	{Kind: KindCount, From: base, To: hour(1), Threshold: 600, AtLeast: 2, Below: true},
	{Kind: KindRange, From: base, To: base + 15*minute, Lo: 500, Hi: 900, MinInWindow: 4},
	{Kind: KindRange, From: base, To: hour(1), Lo: 480, Hi: 950, MinInWindow: 12},
}

func mustRoot(t *testing.T, key []byte, rs []Reading) Root {
	t.Helper()
	r, err := CommitCapacity(key, rs, testCapacity)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestClaimsProveAndVerify(t *testing.T) {
	root := mustRoot(t, testKey, batch)
	for _, st := range trueStatements {
		pk, vk := testKeys(t, st.Kind, testCapacity)
		proof, err := Prove(st.Kind, pk, testKey, batch, st)
		if err != nil {
			t.Fatalf("%s: %v", st, err)
		}
		if err := Verify(st.Kind, vk, st, root, proof); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
		// The proof survives its encoding.
		b, err := proof.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		p2, err := UnmarshalProof(b)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(st.Kind, vk, st, root, p2); err != nil {
			t.Fatalf("%s: decoded proof: %v", st, err)
		}
	}
}

// refuse checks that a false statement is refused twice: by Prove (the native check) and by the
// constraint system itself (proveTree, which skips that check and proves on the given root and leaf).
func refuse(t *testing.T, name string, st Statement, readings []Reading, root fr.Element, tr *tree, index int) {
	t.Helper()
	pk, _ := testKeys(t, st.Kind, testCapacity)
	if readings != nil {
		if _, err := Prove(st.Kind, pk, testKey, readings, st); !errors.Is(err, ErrStatementFalse) {
			t.Errorf("%s: Prove: got %v, want ErrStatementFalse", name, err)
		}
	}
	_, err := proveTree(pk, tr, root, st, index)
	if testing.Verbose() {
		t.Logf("%s: %v", name, err)
	}
	if !errors.Is(err, ErrProve) {
		t.Errorf("%s: the circuit accepted a false statement (err %v)", name, err)
	}
}

func TestFalseStatementsCannotBeProven(t *testing.T) {
	tr, err := buildTree(testKey, batch, testCapacity)
	if err != nil {
		t.Fatal(err)
	}
	root := tr.root()

	// exceeds: the value of the opened reading (950, index 4) is below X.
	refuse(t, "value below X", Statement{Kind: KindExceeds, From: base, To: hour(1), Threshold: 951}, batch, root, tr, 4)
	// exceeds: the 950 reading is at base+20 min, outside the window [base+25 min, base+1 h].
	refuse(t, "reading outside the window", Statement{Kind: KindExceeds, From: base + 25*minute, To: hour(1), Threshold: 900}, batch, root, tr, 4)
	// exceeds ≤: opening a padding leaf (time 0, value 0) to show a value ≤ 10 in a window from time 0.
	refuse(t, "padding passed off as a reading", Statement{Kind: KindExceeds, From: 0, To: hour(1), Threshold: 10, Below: true}, batch, root, tr, testCapacity-1)

	// A reading from another batch: batch B has a 1200 reading, the claim is about batch A's root.
	other := glucose(12, 1200, 560)
	trB, err := buildTree(otherKey, other, testCapacity)
	if err != nil {
		t.Fatal(err)
	}
	st := Statement{Kind: KindExceeds, From: base, To: hour(1), Threshold: 1000}
	refuse(t, "reading from another batch", st, batch, root, trB, 0)
	for _, kind := range []Kind{KindCount, KindRange} {
		st := Statement{Kind: kind, From: base, To: hour(1), Threshold: 1000, AtLeast: 1}
		if kind == KindRange {
			st = Statement{Kind: kind, From: base, To: hour(1), Lo: 500, Hi: 1300, MinInWindow: 12}
		}
		refuse(t, kind.String()+" over another batch's readings", st, nil, root, trB, 0)
	}

	// count: 4 readings ≥ 800, not 5, and not exactly 3; padding (value 0, time 0) does not count as ≤ 600.
	refuse(t, "count too high", Statement{Kind: KindCount, From: base, To: hour(1), Threshold: 800, AtLeast: 5}, batch, root, tr, 0)
	refuse(t, "exact count wrong", Statement{Kind: KindCount, From: base, To: hour(1), Threshold: 800, AtLeast: 3, Exact: true}, batch, root, tr, 0)
	refuse(t, "padding counted", Statement{Kind: KindCount, From: 0, To: hour(1), Threshold: 600, Below: true, AtLeast: 5}, batch, root, tr, 0)
	// count: a matching reading outside the window does not count.
	refuse(t, "count outside the window", Statement{Kind: KindCount, From: base + 25*minute, To: hour(1), Threshold: 900, AtLeast: 1}, batch, root, tr, 0)

	// range: 480 (reading 7) is below 500; the window holds 12 readings, not 13.
	refuse(t, "range violated", Statement{Kind: KindRange, From: base, To: hour(1), Lo: 500, Hi: 950}, batch, root, tr, 0)
	refuse(t, "range violated above", Statement{Kind: KindRange, From: base, To: hour(1), Lo: 400, Hi: 949}, batch, root, tr, 0)
	refuse(t, "too few readings in the window", Statement{Kind: KindRange, From: base, To: hour(1), Lo: 400, Hi: 1000, MinInWindow: 13}, batch, root, tr, 0)
}

// A valid proof verifies only with its own root, statement and key.
func TestVerifyRefusesTampering(t *testing.T) {
	root := mustRoot(t, testKey, batch)
	otherRoot := mustRoot(t, otherKey, batch)
	for _, st := range []Statement{trueStatements[0], trueStatements[2], trueStatements[5]} {
		pk, vk := testKeys(t, st.Kind, testCapacity)
		proof, err := Prove(st.Kind, pk, testKey, batch, st)
		if err != nil {
			t.Fatal(err)
		}
		tamperedRoot := root
		tamperedRoot[31] ^= 1
		for name, r := range map[string]Root{"other batch's root": otherRoot, "tampered root": tamperedRoot} {
			if err := Verify(st.Kind, vk, st, r, proof); !errors.Is(err, ErrInvalidProof) {
				t.Errorf("%s, %s: got %v", st.Kind, name, err)
			}
		}
		tampered := map[string]func(*Statement){
			"window start": func(s *Statement) { s.From++ },
			"window end":   func(s *Statement) { s.To-- },
		}
		switch st.Kind {
		case KindExceeds:
			tampered["threshold"] = func(s *Statement) { s.Threshold-- }
			tampered["direction"] = func(s *Statement) { s.Below = !s.Below }
		case KindCount:
			tampered["threshold"] = func(s *Statement) { s.Threshold++ }
			tampered["at least"] = func(s *Statement) { s.AtLeast-- }
			tampered["exact"] = func(s *Statement) { s.Exact = true }
		case KindRange:
			tampered["lo"] = func(s *Statement) { s.Lo++ }
			tampered["hi"] = func(s *Statement) { s.Hi++ }
			tampered["min in window"] = func(s *Statement) { s.MinInWindow-- }
		}
		for name, f := range tampered {
			st2 := st
			f(&st2)
			if err := Verify(st.Kind, vk, st2, root, proof); !errors.Is(err, ErrInvalidProof) {
				t.Errorf("%s, tampered %s: got %v", st.Kind, name, err)
			}
		}
		// Tampered proof bytes: either they no longer decode, or the proof no longer verifies.
		b, _ := proof.MarshalBinary()
		for _, i := range []int{6, 6 + g1Size + 5, 6 + g1Size + g2Size + 31, len(b) - 1} {
			c := bytes.Clone(b)
			c[i] ^= 0x01
			p, err := UnmarshalProof(c)
			if err == nil {
				err = Verify(st.Kind, vk, st, root, p)
			}
			if err == nil {
				t.Errorf("%s: proof with byte %d flipped still verifies", st.Kind, i)
			}
		}
	}
	// A proof of one kind is refused by another kind's key.
	pk, _ := testKeys(t, KindExceeds, testCapacity)
	_, vkCount := testKeys(t, KindCount, testCapacity)
	proof, _ := Prove(KindExceeds, pk, testKey, batch, trueStatements[0])
	if err := Verify(KindExceeds, vkCount, trueStatements[0], root, proof); !errors.Is(err, ErrKindMismatch) {
		t.Errorf("exceeds proof against the count key: %v", err)
	}
}

// Privacy: a proof and its public inputs carry the statement and the root, nothing of a reading. Two
// batches with different readings and the same statement give proofs that both verify and look alike.
func TestPrivacy(t *testing.T) {
	batchA := glucose(12)                     // 950 at base+20 min
	batchB := glucose(9, 905, 512, 777, 1012) // 1012 at base+15 min and base+35 min
	for _, r := range batchA[:4] {
		_ = r
	}
	for _, st := range []Statement{
		{Kind: KindExceeds, From: base - minute, To: hour(1) + 7, Threshold: 900},
		{Kind: KindCount, From: base - minute, To: hour(1) + 7, Threshold: 900, AtLeast: 1},
		{Kind: KindRange, From: base - minute, To: hour(1) + 7, Lo: 400, Hi: 1100, MinInWindow: 9},
	} {
		pk, vk := testKeys(t, st.Kind, testCapacity)
		var encodings [][]byte
		for _, b := range []struct {
			key []byte
			rs  []Reading
		}{{testKey, batchA}, {otherKey, batchB}} {
			proof, err := Prove(st.Kind, pk, b.key, b.rs, st)
			if err != nil {
				t.Fatalf("%s: %v", st, err)
			}
			root := mustRoot(t, b.key, b.rs)
			if err := Verify(st.Kind, vk, st, root, proof); err != nil {
				t.Fatalf("%s: %v", st, err)
			}
			enc, _ := proof.MarshalBinary()
			// Everything a verifier (or the chain) sees: proof, root, statement's public inputs.
			public, err := publicInputs(st, root, vk.Capacity)
			if err != nil {
				t.Fatal(err)
			}
			seen := append(append(bytes.Clone(enc), root[:]...), public...)
			for _, r := range b.rs {
				for _, pattern := range readingEncodings(r) {
					if bytes.Contains(seen, pattern) {
						t.Fatalf("%s: the proof or its public inputs contain an encoding of reading %+v (%x)", st.Kind, r, pattern)
					}
				}
			}
			encodings = append(encodings, enc)
		}
		if len(encodings[0]) != len(encodings[1]) {
			t.Errorf("%s: proofs about different batches differ in size (%d, %d)", st.Kind, len(encodings[0]), len(encodings[1]))
		}
		// Proving the same statement about the same batch twice gives unrelated proofs (Groth16 proofs are
		// re-randomised), so not even equality of proofs links claims.
		p1, _ := Prove(st.Kind, pk, testKey, batchA, st)
		p2, _ := Prove(st.Kind, pk, testKey, batchA, st)
		e1, _ := p1.MarshalBinary()
		e2, _ := p2.MarshalBinary()
		if bytes.Equal(e1, e2) {
			t.Errorf("%s: two proofs of one statement are identical", st.Kind)
		}
	}
}

// readingEncodings are byte strings a careless encoding of a reading would contain: its time and value as
// 8-byte integers (both byte orders), as field elements, and the leaf's packed element.
func readingEncodings(r Reading) [][]byte {
	var out [][]byte
	for _, v := range []int64{r.Time, r.Value, r.Value + valueBias} {
		be := binary.BigEndian.AppendUint64(nil, uint64(v))
		le := binary.LittleEndian.AppendUint64(nil, uint64(v))
		var e fr.Element
		e.SetInt64(v)
		fe := e.Bytes()
		out = append(out, be, le, fe[:])
	}
	var packed fr.Element
	packed.SetBigInt(packLeaf(r.Time, r.Value, false))
	pb := packed.Bytes()
	return append(out, pb[:])
}

// Keys written to files and read back prove and verify like the originals.
func TestKeyFilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	root := mustRoot(t, testKey, batch)
	for _, st := range []Statement{trueStatements[0], trueStatements[5]} {
		pk, vk := testKeys(t, st.Kind, testCapacity)
		pkPath, vkPath := filepath.Join(dir, st.Kind.String()+".pk"), filepath.Join(dir, st.Kind.String()+".vk")
		if err := WriteProvingKeyFile(pkPath, pk); err != nil {
			t.Fatal(err)
		}
		if err := WriteVerifyingKeyFile(vkPath, vk); err != nil {
			t.Fatal(err)
		}
		pk2, err := ReadProvingKeyFile(pkPath)
		if err != nil {
			t.Fatal(err)
		}
		vk2, err := ReadVerifyingKeyFile(vkPath)
		if err != nil {
			t.Fatal(err)
		}
		if pk2.Kind != st.Kind || pk2.Capacity != testCapacity || vk2.Kind != st.Kind || vk2.Capacity != testCapacity {
			t.Fatalf("%s: key files lost kind or capacity", st.Kind)
		}
		proof, err := Prove(st.Kind, pk2, testKey, batch, st)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(st.Kind, vk2, st, root, proof); err != nil {
			t.Fatal(err)
		}
		if err := Verify(st.Kind, vk, st, root, proof); err != nil {
			t.Fatalf("%s: proof from the read key fails with the original key: %v", st.Kind, err)
		}
		// A damaged proving-key file is refused by its checksum.
		b, _ := os.ReadFile(pkPath)
		b[len(b)/2] ^= 1
		if _, err := UnmarshalProvingKey(b); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: damaged proving key: %v", st.Kind, err)
		}
	}
}

// TestFullCapacityExceeds runs the exceeds claim on a production tree (8192 leaves, 5,000 readings): a true
// statement proves and verifies, false ones are refused by the circuit. Count and range at this size take
// minutes to set up and prove; their benchmarks (make bench-zk) prove and verify them.
func TestFullCapacityExceeds(t *testing.T) {
	if !fullRuns() {
		t.Skip("set VAULTNODE_ZK_FULL=1 for the 5,000-reading tests")
	}
	rs := benchBatch()
	pk, vk := testKeys(t, KindExceeds, DefaultCapacity)
	st := benchStatements[KindExceeds]
	root, err := Commit(testKey, rs)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := Prove(KindExceeds, pk, testKey, rs, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(KindExceeds, vk, st, root, proof); err != nil {
		t.Fatal(err)
	}
	tr, err := buildTree(testKey, rs, DefaultCapacity)
	if err != nil {
		t.Fatal(err)
	}
	// The lowest value is 320 (reading 0): a claim of ≤ 319 is false for every leaf the prover could open.
	low := st
	low.Threshold = 319
	for _, i := range []int{0, 4999, 5000, DefaultCapacity - 1} {
		if _, err := proveTree(pk, tr, tr.root(), low, i); !errors.Is(err, ErrProve) {
			t.Errorf("leaf %d: false claim not refused by the circuit: %v", i, err)
		}
	}
}
