package p2p

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"

	"github.com/vaultnode/vaultnode/store/merkle"
)

// Access-log proofs keep their zero-placeholder encoding: a path the access
// log wrote before store/merkle (pinned here) still decodes and verifies,
// and Prove still writes it.
func TestAccessProofPathFormat(t *testing.T) {
	leaves := make([]merkle.Hash, 7)
	for i := range leaves {
		h := sha256.Sum256([]byte{byte(i)})
		leaves[i] = merkle.LeafHash(h[:])
	}
	root := merkle.Root(leaves)
	if hex.EncodeToString(root[:]) != "bee2275db16667589a4515f63e0d053a2fa602c1d9f9703e98920a5bdad59baf" {
		t.Fatal("the root of 7 entries moved")
	}
	old := [][32]byte{{}, mustHex32(t, "8759d0890547f39383841b565fe658d0c99a2d76589fe804c4b4060f6dd500b8"),
		mustHex32(t, "0dcc2b645c00dfa2338e1c7ac2c4b570beda5a476d58836e55e28bde55e6bee1")}
	audit, err := unpadPath(6, 7, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := merkle.VerifyInclusion(root, leaves[6], 6, 7, audit); err != nil {
		t.Fatalf("a path written before store/merkle no longer verifies: %v", err)
	}
	fresh, _ := merkle.InclusionProof(leaves, 6)
	if !slices.Equal(padPath(6, 7, fresh), old) {
		t.Fatal("Prove no longer writes the zero-placeholder path")
	}
	for n := uint64(1); n <= 40; n++ {
		ls := leaves[:0:0]
		for i := range n {
			ls = append(ls, merkle.LeafHash([]byte{byte(i)}))
		}
		for i := range n {
			a, _ := merkle.InclusionProof(ls, int(i))
			p := padPath(i, n, a)
			back, err := unpadPath(i, n, p)
			if err != nil || !slices.Equal(back, a) {
				t.Fatalf("n=%d i=%d: pad/unpad does not round-trip: %v", n, i, err)
			}
			if _, err := unpadPath(i, n, append(p, [32]byte{})); err == nil {
				t.Fatalf("n=%d i=%d: a path one level too long decoded", n, i)
			}
			if len(p) > 0 {
				if _, err := unpadPath(i, n, p[:len(p)-1]); err == nil {
					t.Fatalf("n=%d i=%d: a path one level too short decoded", n, i)
				}
			}
		}
	}
	bad := slices.Clone(old)
	bad[0][0] = 1
	if _, err := unpadPath(6, 7, bad); err == nil {
		t.Fatal("a sibling where the tree has none decoded")
	}
}

func mustHex32(t *testing.T, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return [32]byte(b)
}

// FuzzUnpadPath: no path decodes into anything but the one audit path that
// pads back to it.
func FuzzUnpadPath(f *testing.F) {
	f.Add(uint64(6), uint64(7), make([]byte, 3*32))
	f.Add(uint64(0), uint64(1), []byte{})
	f.Add(uint64(3), uint64(4), make([]byte, 2*32+5))
	f.Fuzz(func(t *testing.T, idx, n uint64, raw []byte) {
		if n == 0 {
			return
		}
		idx %= n
		var path [][32]byte
		for ; len(raw) >= 32; raw = raw[32:] {
			path = append(path, [32]byte(raw[:32]))
		}
		audit, err := unpadPath(idx, n, path)
		if err != nil {
			return
		}
		if !slices.Equal(padPath(idx, n, audit), path) {
			t.Fatalf("leaf %d of %d: path does not round-trip", idx, n)
		}
	})
}
