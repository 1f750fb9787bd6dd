package keys

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// A rotation gives new batches a new delegating key, keeps every earlier
// key (for the batches sealed under it), survives a reopen and a backup,
// and erasure lists and destroys every epoch's key.
func TestRotateStreamKeepsEveryEpoch(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "epochs")
	p, err := ks.CreatePatient(ctx, "MRN-E")
	if err != nil {
		t.Fatal(err)
	}
	s0, err := ks.CreateStream(ctx, p.Pseudonym, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	if s0.Epoch != 0 {
		t.Fatalf("new stream at epoch %d", s0.Epoch)
	}
	s1, err := ks.RotateStream(ctx, p.Pseudonym, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := ks.RotateStream(ctx, p.Pseudonym, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	if s1.Epoch != 1 || s2.Epoch != 2 || s1.PublicKey.Equal(s0.PublicKey) || s2.PublicKey.Equal(s1.PublicKey) {
		t.Fatalf("rotations: epochs %d, %d; keys must all differ", s1.Epoch, s2.Epoch)
	}
	if s1.Tag != s0.Tag {
		t.Fatal("a rotation changed the stream tag")
	}
	if _, err := ks.RotateStream(ctx, p.Pseudonym, "ecg"); !errors.Is(err, ErrUnknownStream) {
		t.Fatalf("rotating an unknown stream = %v", err)
	}
	check := func(ks *Keystore, what string) {
		t.Helper()
		cur, err := ks.Stream(ctx, p.Pseudonym, "glucose")
		if err != nil || cur.Epoch != 2 || !cur.PublicKey.Equal(s2.PublicKey) {
			t.Fatalf("%s: current stream = epoch %d, %v", what, cur.Epoch, err)
		}
		sks, err := ks.StreamSecretKeys(ctx, p.Pseudonym, "glucose")
		if err != nil || len(sks) != 3 {
			t.Fatalf("%s: %d secret keys, %v", what, len(sks), err)
		}
		for i, want := range []Stream{s0, s1, s2} {
			if !sks[i].PublicKey().Equal(want.PublicKey) {
				t.Fatalf("%s: epoch %d secret key does not match its public key", what, i)
			}
			sks[i].Wipe()
		}
		sk, err := ks.StreamSecretKey(ctx, p.Pseudonym, "glucose")
		if err != nil || !sk.PublicKey().Equal(s2.PublicKey) {
			t.Fatalf("%s: StreamSecretKey is not the current epoch's", what)
		}
		sk.Wipe()
	}
	check(ks, "live")
	ks = reopen(t, ks, dir, "epochs")
	check(ks, "reopened")

	bk := exportBackup(t, ks, "backup pass")
	dst, _ := newTestKeystore(t, "epochs-dst")
	if _, err := dst.Import(ctx, bytes.NewReader(bk), Passphrase([]byte("backup pass")), ImportOptions{ReplaceNode: true}); err != nil {
		t.Fatal(err)
	}
	check(dst, "restored")

	ids, err := ks.KeyIDs(ctx, p.Pseudonym)
	if err != nil {
		t.Fatal(err)
	}
	want := map[KeyID]bool{StreamKeyID(s0.PublicKey): true, StreamKeyID(s1.PublicKey): true, StreamKeyID(s2.PublicKey): true}
	for _, id := range ids {
		delete(want, id)
	}
	if len(want) != 0 {
		t.Fatalf("key ids of an erasure miss %d epoch keys", len(want))
	}
	destroyed, err := ks.Destroy(ctx, p.Pseudonym)
	if err != nil || len(destroyed) != len(ids) {
		t.Fatalf("Destroy = %d ids, %v; want %d", len(destroyed), err, len(ids))
	}
	if _, err := ks.StreamSecretKeys(ctx, p.Pseudonym, "glucose"); err == nil {
		t.Fatal("an erased stream's keys still open")
	}
}

func TestStreamRecordEpochsStrict(t *testing.T) {
	r := &streamRecord{sk: make([]byte, 32), pk: make([]byte, 34), created: 1,
		epochs: []epochKey{{sk: bytes.Repeat([]byte{1}, 32), pk: bytes.Repeat([]byte{2}, 34), created: 2}}}
	got, err := decodeStreamRecord(r.encode())
	if err != nil || len(got.epochs) != 1 || got.epochs[0].created != 2 || !bytes.Equal(got.epochs[0].pk, r.epochs[0].pk) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	b := r.encode()
	b = append(b[:len(b)-epochKeySize-2], b[len(b)-epochKeySize-2:len(b)-1]...) // drop the last byte of field 4
	if _, err := decodeStreamRecord(b); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a truncated epoch entry decoded: %v", err)
	}
}
