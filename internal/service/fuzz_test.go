package service

import (
	"encoding/json"
	"testing"
)

// A daemon's answers are untrusted input to a grantee's fetch: whatever it
// sends as a grant or a commitment, Record either refuses it or returns a
// record within the bounds the fetch relies on, and never panics.
func FuzzGrantViewRecord(f *testing.F) {
	f.Add([]byte(`{"id":"` + hex64 + `","streamTag":"` + hex64 + `","granteeKeyHash":"` + hex64 + `","signerKey":"` + hex64 +
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
	f.Add([]byte(`{"seq":1,"root":"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi","merkleRoot":"` + hex64 + `","count":3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Commitment
		if json.Unmarshal(b, &c) != nil {
			return
		}
		rec, err := c.Record([32]byte{1})
		if err != nil {
			return
		}
		if rec.Tag != ([32]byte{1}) || rec.Seq != c.Seq || len(rec.RootCID) == 0 {
			t.Fatalf("record %+v from %s", rec, b)
		}
	})
}

const hex64 = "0000000000000000000000000000000000000000000000000000000000000001"
