package merkle

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// tlogTree is the same leaves kept by golang.org/x/mod/sumdb/tlog, an
// independent RFC 6962 implementation, as the oracle.
type tlogTree []tlog.Hash

func newTlogTree(t *testing.T, leaves []Hash) tlogTree {
	var st tlogTree
	for i, l := range leaves {
		hs, err := tlog.StoredHashesForRecordHash(int64(i), l, st)
		if err != nil {
			t.Fatal(err)
		}
		st = append(st, hs...)
	}
	return st
}

func (st tlogTree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = st[x]
	}
	return out, nil
}

func asTlog(p []Hash) tlog.RecordProof {
	out := make(tlog.RecordProof, len(p))
	for i, h := range p {
		out[i] = h
	}
	return out
}

func fromTlog(p tlog.RecordProof) []Hash {
	out := make([]Hash, len(p))
	for i, h := range p {
		out[i] = h
	}
	return out
}

func testLeaves(n int) []Hash {
	leaves := make([]Hash, n)
	for i := range leaves {
		leaves[i] = LeafHash([]byte{byte(i), byte(i >> 8)}, []byte{byte(n), byte(n >> 8)})
	}
	return leaves
}

func TestHashesAreRFC6962(t *testing.T) {
	data := []byte("a reading")
	if LeafHash(data) != tlog.RecordHash(data) || LeafHash(data[:2], data[2:]) != tlog.RecordHash(data) {
		t.Fatal("leaf hash differs from tlog.RecordHash")
	}
	l, r := LeafHash([]byte("l")), LeafHash([]byte("r"))
	if NodeHash(l, r) != tlog.NodeHash(l, r) {
		t.Fatal("node hash differs from tlog.NodeHash")
	}
	if th, _ := tlog.TreeHash(0, tlogTree(nil)); Root(nil) != th {
		t.Fatal("empty tree hash differs from tlog")
	}
}

// Roots and audit paths equal tlog's for every shape up to 70 leaves and a
// few larger ones; each proof verifies with both implementations and
// proves neither another leaf nor another position.
func TestRootsAndProofsMatchTlog(t *testing.T) {
	sizes := []int{}
	for n := 1; n <= 70; n++ {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, 255, 256, 257, 1000)
	for _, n := range sizes {
		leaves := testLeaves(n)
		st := newTlogTree(t, leaves)
		want, err := tlog.TreeHash(int64(n), st)
		if err != nil {
			t.Fatal(err)
		}
		root := Root(leaves)
		if root != want {
			t.Fatalf("n=%d: root differs from tlog's", n)
		}
		for i := range n {
			if n > 100 && i%37 != 0 && i != n-1 {
				continue
			}
			p, err := InclusionProof(leaves, i)
			if err != nil {
				t.Fatal(err)
			}
			tp, err := tlog.ProveRecord(int64(n), int64(i), st)
			if err != nil {
				t.Fatal(err)
			}
			if len(p) != len(tp) {
				t.Fatalf("n=%d i=%d: path of %d hashes, tlog %d", n, i, len(p), len(tp))
			}
			for j := range p {
				if p[j] != tp[j] {
					t.Fatalf("n=%d i=%d: path[%d] differs from tlog's", n, i, j)
				}
			}
			if err := tlog.CheckRecord(asTlog(p), int64(n), want, int64(i), leaves[i]); err != nil {
				t.Fatalf("n=%d i=%d: tlog rejects our proof: %v", n, i, err)
			}
			if err := VerifyInclusion(root, leaves[i], uint64(i), uint64(n), fromTlog(tp)); err != nil {
				t.Fatalf("n=%d i=%d: %v", n, i, err)
			}
			if n == 1 {
				continue
			}
			// The same proof must not verify another leaf or position.
			other := (i + 1) % n
			if err := VerifyInclusion(root, leaves[other], uint64(i), uint64(n), p); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d i=%d: proof verified the wrong leaf: %v", n, i, err)
			}
			if err := VerifyInclusion(root, leaves[i], uint64(other), uint64(n), p); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d i=%d: proof verified at the wrong index: %v", n, i, err)
			}
			if err := VerifyInclusion(root, leaves[i], uint64(i), uint64(n), p[:len(p)-1]); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d i=%d: short path verified: %v", n, i, err)
			}
			if err := VerifyInclusion(root, leaves[i], uint64(i), uint64(n), append(p, p[0])); !errors.Is(err, ErrProof) {
				t.Fatalf("n=%d i=%d: long path verified: %v", n, i, err)
			}
		}
	}
}

func TestInclusionRejectsBadInput(t *testing.T) {
	leaves := testLeaves(5)
	for _, i := range []int{-1, 5} {
		if _, err := InclusionProof(leaves, i); err == nil {
			t.Errorf("proof of leaf %d of 5", i)
		}
	}
	if err := VerifyInclusion(Root(leaves), leaves[0], 5, 5, nil); !errors.Is(err, ErrProof) {
		t.Errorf("index = size verified: %v", err)
	}
	if err := VerifyInclusion(Root(leaves), leaves[0], 0, 0, nil); !errors.Is(err, ErrProof) {
		t.Errorf("empty tree verified: %v", err)
	}
}

// Roots and audit paths the bottom-up trees this package replaced produced
// (store's readings tree, p2p's access-log tree), pinned: roots already on
// chain must not move.
func TestLegacyRootsPinned(t *testing.T) {
	leaves := make([]Hash, 7)
	for i := range leaves {
		h := sha256.Sum256([]byte{byte(i)})
		leaves[i] = LeafHash(h[:])
	}
	hexes := func(hs []Hash) (out []string) {
		for _, h := range hs {
			out = append(out, hex.EncodeToString(h[:]))
		}
		return out
	}
	root := Root(leaves)
	if got := hex.EncodeToString(root[:]); got != "bee2275db16667589a4515f63e0d053a2fa602c1d9f9703e98920a5bdad59baf" {
		t.Fatalf("root of 7 moved: %s", got)
	}
	for i, want := range map[int][]string{
		4: {"d43e0bc415d9fa5bd12e23ca3a797ee65a1aefc3abfcaf8c7c508341c4046536",
			"f00d6bcebbc5b0e3f18e3d219c0cbd80d08edd7de43b388f18196257ae4f1b8a",
			"0dcc2b645c00dfa2338e1c7ac2c4b570beda5a476d58836e55e28bde55e6bee1"},
		6: {"8759d0890547f39383841b565fe658d0c99a2d76589fe804c4b4060f6dd500b8",
			"0dcc2b645c00dfa2338e1c7ac2c4b570beda5a476d58836e55e28bde55e6bee1"},
	} {
		p, _ := InclusionProof(leaves, i)
		got := hexes(p)
		if len(got) != len(want) {
			t.Fatalf("leaf %d: path %v, want %v", i, got, want)
		}
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("leaf %d: path %v, want %v", i, got, want)
			}
		}
	}
}
