package fetch

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/pointers"
)

// A daemon's answers are untrusted input to a grantee's fetch: whatever it
// sends as a grant or a commitment, Record either refuses it or returns a
// record within the bounds the fetch relies on, and never panics.
func FuzzGrantViewRecord(f *testing.F) {
	f.Add([]byte(`{"id":"` + hex64 + `","streamBinding":"` + hex64 + `","recordedBy":"0x0000000000000000000000000000000000000002","granteeKeyHash":"` + hex64 + `","signerKey":"` + hex64 +
		`","signature":"00","threshold":2,"proxies":["0x0000000000000000000000000000000000000001"],"notBefore":"2026-03-01T00:00:00Z","notAfter":"2026-03-02T00:00:00Z"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v GrantView
		if json.Unmarshal(b, &v) != nil {
			return
		}
		rec, err := v.Record()
		if err != nil {
			return
		}
		if rec.M < 1 || len(rec.SignerKey) != 32 {
			t.Fatalf("accepted a grant with threshold %d, signer key of %d bytes", rec.M, len(rec.SignerKey))
		}
	})
}

func FuzzCommitmentRecord(f *testing.F) {
	secret := pointers.StreamSecret{1}
	f.Add([]byte(`{"seq":1,"root":"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi","merkleRoot":"` + hex64 + `","count":3}`))
	// A commitment the stream's secret confirms (the seed above has no MAC).
	root, err := cid.Decode("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
	if err != nil {
		f.Fatal(err)
	}
	good, err := CommitmentOf(secret.Commitment(1, root.Bytes(), [32]byte{31: 1}, 3))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := good.Record(secret); err != nil {
		f.Fatalf("a commitment the secret made is refused: %v", err)
	}
	gb, _ := json.Marshal(good)
	f.Add(gb)
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Commitment
		if json.Unmarshal(b, &c) != nil {
			return
		}
		rec, err := c.Record(secret)
		if err != nil {
			return
		}
		if rec.Tag != secret.BatchTag(c.Seq) || rec.Seq != c.Seq || len(rec.RootCID) == 0 || !secret.Authentic(rec, c.Seq) {
			t.Fatalf("record %+v from %s", rec, b)
		}
	})
}

const hex64 = "0000000000000000000000000000000000000000000000000000000000000001"

// A claims stream's commitments carry a claim root, which the MAC covers: a
// grantee reading them through a daemon must get it in the JSON form, or
// the stream's own secret refuses every commitment of the stream.
func TestCommitmentJSONKeepsClaimRoot(t *testing.T) {
	secret := pointers.StreamSecret{7}
	root, err := cid.Decode("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
	if err != nil {
		t.Fatal(err)
	}
	onChain := secret.Seal(pointers.Commitment{Seq: 4, RootCID: root.Bytes(), MerkleRoot: [32]byte{1}, ClaimRoot: [32]byte{2, 3}, Count: 9})
	j, err := CommitmentOf(onChain)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(j)
	var back Commitment
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	rec, err := back.Record(secret)
	if err != nil {
		t.Fatalf("a claims stream's commitment does not survive its JSON form: %v", err)
	}
	if rec.ClaimRoot != onChain.ClaimRoot {
		t.Fatalf("claim root %x, want %x", rec.ClaimRoot, onChain.ClaimRoot)
	}
	back.ClaimRoot = ""
	if _, err := back.Record(secret); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("a commitment stripped of its claim root: %v, want ErrIntegrity", err)
	}
}
