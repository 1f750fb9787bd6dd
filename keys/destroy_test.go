package keys

import (
	"context"
	"errors"
	mrand "math/rand/v2"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

type patientSecrets struct {
	p      Pseudonym
	mrn    string
	root   []byte
	sks    map[string][]byte
	ids    []KeyID
	sealed map[string][]byte // stored values under the patient prefix and the MRN index key
}

func collectSecrets(t *testing.T, ks *Keystore, p Pseudonym, mrn string) *patientSecrets {
	t.Helper()
	ctx := context.Background()
	s := &patientSecrets{p: p, mrn: mrn, root: testRootKey(t, ks, p), sks: map[string][]byte{}}
	s.ids = []KeyID{rootKeyID(s.root)}
	streams, err := ks.Streams(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range streams {
		sk, err := ks.StreamSecretKey(ctx, p, st.Name)
		if err != nil {
			t.Fatal(err)
		}
		s.sks[st.Name] = sk.Bytes()
		sk.Wipe()
		s.ids = append(s.ids, st.KeyID)
	}
	s.sealed = rawValues(t, ks, patientPrefix(p))
	for k, v := range rawValues(t, ks, keyMRN(ks.mrnTag(mrn))) {
		s.sealed[k] = v
	}
	if len(s.sealed) != 2+len(streams)+1 {
		t.Fatalf("expected root, meta, %d streams and MRN index stored, got %d values", len(streams), len(s.sealed))
	}
	return s
}

// secretNeedles: the raw key bytes, the patient cipher key, the MRN.
func (s *patientSecrets) plaintextNeedles() []needle {
	n := secretNeedles("root key", s.root)
	n = append(n, secretNeedles("patient record key", hkdfKey(s.root, nil, "vaultnode/keystore/v1/patient", 32))...)
	for name, sk := range s.sks {
		n = append(n, secretNeedles("stream key "+name, sk)...)
	}
	n = append(n, needle{"MRN", []byte(s.mrn)})
	return n
}

func (s *patientSecrets) allNeedles() []needle {
	n := s.plaintextNeedles()
	n = append(n, sealedNeedles("stored", s.sealed)...)
	n = append(n, secretNeedles("pseudonym", s.p[:])...)
	return n
}

func nodeNeedles(t *testing.T, ks *Keystore) []needle {
	t.Helper()
	n := secretNeedles("data key", ks.dk)
	n = append(n, secretNeedles("tag key", ks.tagKey)...)
	n = append(n, secretNeedles("node identity", ks.ident[len(ks.ident)-64:])...)
	return n
}

// TestDestroyIsPhysical is the docs/PRODUCT.md §8 test: keys are never on disk in
// clear, and after Destroy no byte of a destroyed key, of its wrapped
// (encrypted) form, of the patient's MRN or pseudonym remains in any file of
// the keystore directory (value log, tables, WAL, manifest included), while
// another patient's records are intact.
func TestDestroyIsPhysical(t *testing.T) {
	ctx := context.Background()
	const seed = "destroy-physical"
	ks, dir := newTestKeystore(t, seed)

	alice, err := ks.CreatePatient(ctx, "MRN-0001-ALICE")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := ks.CreatePatient(ctx, "MRN-0002-BOB")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Pseudonym{alice.Pseudonym, bob.Pseudonym} {
		if _, err := ks.CreateStream(ctx, p, "glucose"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := ks.EnrollDevice(ctx, "cgm-17", true); err != nil {
		t.Fatal(err)
	}
	// Close and reopen: what was written so far is now in SST files
	// (memtable flushed, L0 compacted on close) ...
	ks = reopen(t, ks, dir, seed+"2")
	// ... and what follows is in the memtable and its write-ahead log.
	for _, p := range []Pseudonym{alice.Pseudonym, bob.Pseudonym} {
		if _, err := ks.CreateStream(ctx, p, "insulin"); err != nil {
			t.Fatal(err)
		}
	}
	a := collectSecrets(t, ks, alice.Pseudonym, alice.MRN)
	b := collectSecrets(t, ks, bob.Pseudonym, bob.MRN)
	node := nodeNeedles(t, ks)
	devKey, err := ks.DevicePrivateKey(ctx, "cgm-17")
	if err != nil {
		t.Fatal(err)
	}
	node = append(node, secretNeedles("device private key", devKey.Seed())...)
	mk := deriveMaster(testPass(), &rawHeader(t, dir).kdfBlock)
	node = append(node, secretNeedles("master key", mk)...)

	// Encrypted at rest: no plaintext key, MRN or node secret on disk...
	pre := append(append(a.plaintextNeedles(), b.plaintextNeedles()...), node...)
	if hits := scanDir(t, dir, pre); len(hits) > 0 {
		t.Fatalf("plaintext secrets on disk before Destroy: %v", hits)
	}
	// ... while the encrypted records are (the scan does find stored bytes).
	if hits := scanDir(t, dir, sealedNeedles("alice", a.sealed)); len(hits) < len(a.sealed) {
		t.Fatalf("control: expected every sealed record of alice on disk, found only %v", hits)
	}

	preIDs, err := ks.KeyIDs(ctx, alice.Pseudonym)
	if err != nil || !slices.Equal(preIDs, a.ids) {
		t.Fatalf("KeyIDs = %v, %v; want %v", preIDs, err, a.ids)
	}
	ids, err := ks.Destroy(ctx, alice.Pseudonym)
	if err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	if !slices.Equal(ids, a.ids) {
		t.Fatalf("Destroy returned key ids %v, want %v", ids, a.ids)
	}

	// While the keystore is still open (the daemon keeps running) ...
	if hits := scanDir(t, dir, a.allNeedles()); len(hits) > 0 {
		t.Fatalf("after Destroy (open), destroyed material still on disk: %v", hits)
	}
	// ... and after closing it.
	if err := ks.Close(); err != nil {
		t.Fatal(err)
	}
	if hits := scanDir(t, dir, a.allNeedles()); len(hits) > 0 {
		t.Fatalf("after Destroy (closed), destroyed material still on disk: %v", hits)
	}
	if hits := scanDir(t, dir, append(b.plaintextNeedles(), node...)); len(hits) > 0 {
		t.Fatalf("plaintext secrets on disk: %v", hits)
	}
	// The other patient is untouched.
	if hits := scanDir(t, dir, sealedNeedles("bob", b.sealed)); len(hits) < len(b.sealed) {
		t.Fatalf("bob's records lost: found only %v", hits)
	}

	ks2, err := Open(ctx, dir, testPass(), testOptions(seed+"3"))
	if err != nil {
		t.Fatal(err)
	}
	defer ks2.Close()
	if _, err := ks2.Patient(ctx, alice.Pseudonym); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("Patient(destroyed) = %v, want ErrDestroyed", err)
	}
	if _, err := ks2.StreamSecretKey(ctx, alice.Pseudonym, "glucose"); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("StreamSecretKey(destroyed) = %v, want ErrDestroyed", err)
	}
	if _, err := ks2.CreateStream(ctx, alice.Pseudonym, "ecg"); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("CreateStream(destroyed) = %v, want ErrDestroyed", err)
	}
	if _, err := ks2.PatientByMRN(ctx, alice.MRN); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("PatientByMRN(destroyed) = %v, want ErrUnknownPatient", err)
	}
	sk, err := ks2.StreamSecretKey(ctx, bob.Pseudonym, "insulin")
	if err != nil {
		t.Fatalf("bob's key after alice's destruction: %v", err)
	}
	if !slices.Equal(sk.Bytes(), b.sks["insulin"]) {
		t.Fatal("bob's key changed")
	}
	sk.Wipe()
	again, err := ks2.Destroy(ctx, alice.Pseudonym)
	if err != nil || !slices.Equal(again, a.ids) {
		t.Fatalf("Destroy again = %v, %v; want the same ids", again, err)
	}
	d, ok, err := ks2.Destroyed(ctx, alice.Pseudonym)
	if err != nil || !ok || !slices.Equal(d.KeyIDs, a.ids) || d.SubjectTag != alice.SubjectTag {
		t.Fatalf("Destroyed = %+v, %v, %v", d, ok, err)
	}
	if _, ok, _ := ks2.Destroyed(ctx, bob.Pseudonym); ok {
		t.Fatal("bob reported destroyed")
	}
	ps, err := ks2.Patients(ctx)
	if err != nil || len(ps) != 1 || ps[0].Pseudonym != bob.Pseudonym {
		t.Fatalf("Patients after destroy = %v, %v", ps, err)
	}
	if _, err := ks2.Destroy(ctx, Pseudonym{1}); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("Destroy(unknown) = %v", err)
	}
}

// TestDestroyResumesAfterCrash: a crash after the destruction record was
// written but before the records were dropped is completed by Open.
func TestDestroyResumesAfterCrash(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "resume")
	p, err := ks.CreatePatient(ctx, "MRN-RESUME")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.CreateStream(ctx, p.Pseudonym, "ecg"); err != nil {
		t.Fatal(err)
	}
	s := collectSecrets(t, ks, p.Pseudonym, p.MRN)
	// First half of Destroy only: the destruction record.
	tomb := &tombstoneRecord{destroyed: 1, keyIDs: s.ids}
	tk := keyTombstone(p.SubjectTag)
	if err := ks.db.Update(func(txn *badger.Txn) error { return txn.Set(tk, ks.seal(ks.node, tk, tomb.encode())) }); err != nil {
		t.Fatal(err)
	}
	// Already refused while the records are still there.
	if _, err := ks.StreamSecretKey(ctx, p.Pseudonym, "ecg"); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("StreamSecretKey with a pending destruction = %v, want ErrDestroyed", err)
	}
	// A second patient whose destruction crashed half-way through the drop:
	// root record gone, stream and MRN records left.
	q, _ := ks.CreatePatient(ctx, "MRN-RESUME-Q")
	ks.CreateStream(ctx, q.Pseudonym, "ecg")
	sq := collectSecrets(t, ks, q.Pseudonym, q.MRN)
	tkq := keyTombstone(q.SubjectTag)
	if err := ks.db.Update(func(txn *badger.Txn) error { return txn.Set(tkq, ks.seal(ks.node, tkq, tomb.encode())) }); err != nil {
		t.Fatal(err)
	}
	if err := ks.db.DropPrefix(keyRoot(q.Pseudonym)); err != nil {
		t.Fatal(err)
	}
	ks = reopen(t, ks, dir, "resume2")
	if _, err := ks.Patient(ctx, p.Pseudonym); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("Patient after resumed destroy = %v, want ErrDestroyed", err)
	}
	if _, err := ks.PatientByMRN(ctx, p.MRN); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("PatientByMRN after resumed destroy = %v", err)
	}
	if err := ks.Close(); err != nil {
		t.Fatal(err)
	}
	if hits := scanDir(t, dir, append(s.allNeedles(), sq.allNeedles()...)); len(hits) > 0 {
		t.Fatalf("after resumed destroy, destroyed material on disk: %v", hits)
	}
}

// TestDestroyPhysicalInLargeKeystore: a keystore large enough for badger to
// use many tables over several levels, with a patient's records written at
// different times (old ones compacted deep, the newest in the memtable and
// its WAL). Destroy still removes every byte.
func TestDestroyPhysicalInLargeKeystore(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "levels")
	victim, _ := ks.CreatePatient(ctx, "MRN-DEEP")
	ks.CreateStream(ctx, victim.Pseudonym, "glucose")
	other, _ := ks.CreatePatient(ctx, "MRN-OTHER")
	ks.CreateStream(ctx, other.Pseudonym, "glucose")

	// Filler records around the victim's keys, in several rounds with
	// close/reopen (flush + L0 compaction) so that levels fill up.
	filler := mrand.NewChaCha8([32]byte{1})
	round := 0
	fill := func(n int) {
		wb := ks.db.NewWriteBatch()
		defer wb.Cancel()
		for i := 0; i < n; i++ {
			v := make([]byte, 512)
			filler.Read(v)
			// Keys sort around the victim's prefix so tables overlap it.
			k := append(patientPrefix(victim.Pseudonym)[:2:2], v[:33]...)
			k = append(k, byte(round), byte(i>>8), byte(i))
			if err := wb.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := wb.Flush(); err != nil {
			t.Fatal(err)
		}
		round++
	}
	for i := 0; i < 3; i++ {
		fill(10000)
		ks = reopen(t, ks, dir, "levels"+string(rune('a'+i)))
		if i == 1 {
			ks.CreateStream(ctx, victim.Pseudonym, "insulin")
		}
	}
	ks.CreateStream(ctx, victim.Pseudonym, "ecg") // memtable + WAL
	levels := map[int]bool{}
	for _, ti := range ks.db.Tables() {
		pre := patientPrefix(victim.Pseudonym)
		if string(ti.Left) <= string(pre)+"\xff" && string(ti.Right) >= string(pre) {
			levels[ti.Level] = true
		}
	}
	t.Logf("victim key range spans levels %v of %d tables", levels, len(ks.db.Tables()))
	if len(levels) == 0 || len(ks.db.Tables()) < 6 {
		t.Fatalf("control: want the victim's records in some of many tables, got levels %v of %d tables", levels, len(ks.db.Tables()))
	}
	v := collectSecrets(t, ks, victim.Pseudonym, victim.MRN)
	o := collectSecrets(t, ks, other.Pseudonym, other.MRN)
	if _, err := ks.Destroy(ctx, victim.Pseudonym); err != nil {
		t.Fatal(err)
	}
	if hits := scanDir(t, dir, v.allNeedles()); len(hits) > 0 {
		t.Fatalf("destroyed material on disk (open): %v", hits)
	}
	ks.Close()
	if hits := scanDir(t, dir, v.allNeedles()); len(hits) > 0 {
		t.Fatalf("destroyed material on disk (closed): %v", hits)
	}
	if hits := scanDir(t, dir, sealedNeedles("other", o.sealed)); len(hits) < len(o.sealed) {
		t.Fatalf("other patient's records lost: %v", hits)
	}
}
