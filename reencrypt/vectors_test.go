package reencrypt

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/vectors.json")

// vector is one deterministic run of the whole protocol, documented in
// docs/PRE.md. All randomness is read, in a fixed order, from the SHAKE256
// stream of Seed.
type vector struct {
	Seed      string `json:"seed"`
	Threshold int    `json:"threshold"`
	Shares    int    `json:"shares"`
	Binding   struct {
		GrantID   string `json:"grant_id"`
		NotBefore int64  `json:"not_before_unix"`
		NotAfter  int64  `json:"not_after_unix"`
	} `json:"binding"`
	Request struct {
		RequestID string `json:"request_id"`
		Expires   int64  `json:"expires_unix"`
	} `json:"request"`
	DelegatingSK string   `json:"delegating_sk"`
	DelegatingPK string   `json:"delegating_pk"`
	ReceivingSK  string   `json:"receiving_sk"`
	ReceivingPK  string   `json:"receiving_pk"`
	SignerSeed   string   `json:"signer_seed"`
	SignerPK     string   `json:"signer_pk"`
	Capsule      string   `json:"capsule"`
	DEK          string   `json:"dek"`
	KFrags       []string `json:"kfrags"`
	CFrags       []string `json:"cfrags"`
}

type vectorFile struct {
	Comment string   `json:"comment"`
	Vectors []vector `json:"vectors"`
}

var vectorParams = []struct {
	seed string
	m, n int
}{
	{"vaultnode/reencrypt/v1 test vector 1", 1, 1},
	{"vaultnode/reencrypt/v1 test vector 2", 2, 3},
	{"vaultnode/reencrypt/v1 test vector 3", 3, 5},
}

func makeVector(t *testing.T, seed string, m, n int) vector {
	r := seededRand(seed)
	f := newFixture(t, r, m, n)
	v := vector{Seed: seed, Threshold: m, Shares: n}
	v.Binding.GrantID = hex.EncodeToString(f.binding.GrantID[:])
	v.Binding.NotBefore, v.Binding.NotAfter = f.binding.NotBefore.Unix(), f.binding.NotAfter.Unix()
	v.Request.RequestID = hex.EncodeToString(f.req.RequestID[:])
	v.Request.Expires = f.req.Expires.Unix()
	v.DelegatingSK, v.DelegatingPK = hex.EncodeToString(f.alice.sk.Bytes()), hex.EncodeToString(f.alice.pk.Bytes())
	v.ReceivingSK, v.ReceivingPK = hex.EncodeToString(f.bob.sk.Bytes()), hex.EncodeToString(f.bob.pk.Bytes())
	v.SignerSeed, v.SignerPK = hex.EncodeToString(f.signer.Seed()), hex.EncodeToString(f.signerPub)
	v.Capsule, v.DEK = hex.EncodeToString(f.capsule.Bytes()), hex.EncodeToString(f.dek[:])
	for _, kf := range f.kfrags {
		v.KFrags = append(v.KFrags, hex.EncodeToString(kf.Bytes()))
	}
	for _, kf := range f.kfrags {
		cf, err := ReEncrypt(r, f.capsule, kf, f.req)
		if err != nil {
			t.Fatal(err)
		}
		v.CFrags = append(v.CFrags, hex.EncodeToString(cf.Bytes()))
	}
	return v
}

const vectorsPath = "testdata/vectors.json"

// TestVectorsReproduce regenerates every vector from its seed and requires
// byte-for-byte equality with testdata/vectors.json: any change to the
// construction, a tag, an encoding or the order randomness is consumed in
// shows up here. Run with -update-vectors to rewrite the file deliberately.
func TestVectorsReproduce(t *testing.T) {
	file := vectorFile{Comment: "vaultnode reencrypt v1 test vectors; see docs/PRE.md. Hex strings are the package's binary encodings."}
	for _, p := range vectorParams {
		file.Vectors = append(file.Vectors, makeVector(t, p.seed, p.m, p.n))
	}
	got, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updateVectors {
		if err := os.WriteFile(vectorsPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(filepath.FromSlash(vectorsPath))
	if err != nil {
		t.Fatalf("%v (generate with: go test ./reencrypt -run TestVectorsReproduce -update-vectors)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("regenerated vectors differ from testdata/vectors.json: the construction changed")
	}
}

// TestVectorsOpen checks the stored vectors independently of how they were
// generated: parse everything, verify every kfrag and cfrag, open the capsule
// directly and from every M-subset of cfrags.
func TestVectorsOpen(t *testing.T) {
	raw, err := os.ReadFile(filepath.FromSlash(vectorsPath))
	if err != nil {
		t.Fatal(err)
	}
	var file vectorFile
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) != len(vectorParams) {
		t.Fatalf("%d vectors, want %d", len(file.Vectors), len(vectorParams))
	}
	for _, v := range file.Vectors {
		t.Run(fmt.Sprintf("%d-of-%d", v.Threshold, v.Shares), func(t *testing.T) { checkVector(t, v) })
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkVector(t *testing.T, v vector) {
	aliceSK, err := SecretKeyFromBytes(mustHex(t, v.DelegatingSK))
	if err != nil {
		t.Fatal(err)
	}
	alicePK, err := ParsePublicKey(mustHex(t, v.DelegatingPK))
	if err != nil || !alicePK.Equal(aliceSK.PublicKey()) {
		t.Fatalf("delegating pk: %v", err)
	}
	bobSK, err := SecretKeyFromBytes(mustHex(t, v.ReceivingSK))
	if err != nil {
		t.Fatal(err)
	}
	bobPK, err := ParsePublicKey(mustHex(t, v.ReceivingPK))
	if err != nil || !bobPK.Equal(bobSK.PublicKey()) {
		t.Fatalf("receiving pk: %v", err)
	}
	signer := ed25519.NewKeyFromSeed(mustHex(t, v.SignerSeed))
	signerPub := ed25519.PublicKey(mustHex(t, v.SignerPK))
	if !signerPub.Equal(signer.Public()) {
		t.Fatal("signer pk does not match its seed")
	}
	var binding KFragBinding
	copy(binding.GrantID[:], mustHex(t, v.Binding.GrantID))
	binding.NotBefore, binding.NotAfter = time.Unix(v.Binding.NotBefore, 0), time.Unix(v.Binding.NotAfter, 0)
	var req RequestBinding
	copy(req.RequestID[:], mustHex(t, v.Request.RequestID))
	req.Expires = time.Unix(v.Request.Expires, 0)

	capsule, err := ParseCapsule(mustHex(t, v.Capsule))
	if err != nil {
		t.Fatal(err)
	}
	dek := mustHex(t, v.DEK)
	if key, err := Decapsulate(aliceSK, capsule); err != nil || !bytes.Equal(key[:], dek) {
		t.Fatalf("direct decapsulation: %v", err)
	}
	if len(v.KFrags) != v.Shares || len(v.CFrags) != v.Shares {
		t.Fatalf("%d kfrags, %d cfrags, want %d", len(v.KFrags), len(v.CFrags), v.Shares)
	}
	cfrags := make([]*CFrag, v.Shares)
	for i := range v.KFrags {
		kf, err := ParseKFrag(mustHex(t, v.KFrags[i]))
		if err != nil {
			t.Fatal(err)
		}
		if err := kf.Verify(signerPub, alicePK, bobPK, binding); err != nil {
			t.Fatalf("kfrag %d: %v", i, err)
		}
		cf, err := ParseCFrag(mustHex(t, v.CFrags[i]))
		if err != nil {
			t.Fatal(err)
		}
		if err := cf.Verify(capsule, signerPub, alicePK, bobPK, binding, req); err != nil {
			t.Fatalf("cfrag %d: %v", i, err)
		}
		if cf.ID() != kf.ID() {
			t.Fatalf("cfrag %d was not made with kfrag %d", i, i)
		}
		cfrags[i] = cf
	}
	subsets(v.Shares, v.Threshold, func(idx []int) {
		sel := make([]*CFrag, 0, len(idx))
		for _, j := range idx {
			sel = append(sel, cfrags[j])
		}
		key, err := DecapsulateFrags(bobSK, alicePK, capsule, sel)
		if err != nil || !bytes.Equal(key[:], dek) {
			t.Fatalf("cfrags %v: %v", idx, err)
		}
	})
}

var _ io.Reader = seededRand("")
