package keys

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
)

func exportBackup(t *testing.T, ks *Keystore, pass string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := ks.Export(context.Background(), &buf, Passphrase([]byte(pass))); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	src, _ := newTestKeystore(t, "bk-src")
	a, _ := src.CreatePatient(ctx, "MRN-A")
	b, _ := src.CreatePatient(ctx, "")
	ga, _ := src.CreateStream(ctx, a.Pseudonym, "glucose")
	src.CreateStream(ctx, b.Pseudonym, "ecg")
	_, devPriv, _ := src.EnrollDevice(ctx, "cgm-1", true)
	src.EnrollDevice(ctx, "cgm-2", false)
	before := exportBackup(t, src, "backup pass") // taken before a's erasure
	if _, err := src.Destroy(ctx, b.Pseudonym); err != nil {
		t.Fatal(err)
	}
	bk := exportBackup(t, src, "backup pass")

	// The backup is encrypted: no key, MRN or node secret in it.
	rootA := testRootKey(t, src, a.Pseudonym)
	skA, _ := src.StreamSecretKey(ctx, a.Pseudonym, "glucose")
	for _, n := range append(append(secretNeedles("root", rootA), secretNeedles("stream key", skA.Bytes())...),
		append(nodeNeedles(t, src), needle{"MRN", []byte("MRN-A")})...) {
		if bytes.Contains(bk, n.b) {
			t.Fatalf("backup file contains %s in clear", n.name)
		}
	}
	// The destroyed patient is not in the backup at all.
	c, pt, err := openBackup(bk, Passphrase([]byte("backup pass")))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.patients) != 1 || c.patients[0].p != a.Pseudonym || len(c.tombs) != 1 || c.tombs[0].tag != b.SubjectTag {
		t.Fatalf("backup holds %d patients, %d destruction records", len(c.patients), len(c.tombs))
	}
	if bytes.Contains(pt, b.Pseudonym[:]) {
		t.Fatal("backup plaintext names the destroyed patient")
	}

	// Restore on a fresh node.
	dst, dstDir := newTestKeystore(t, "bk-dst")
	if _, err := dst.Import(ctx, bytes.NewReader(bk), Passphrase([]byte("wrong")), ImportOptions{ReplaceNode: true}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Import with wrong passphrase = %v", err)
	}
	tampered := slices.Clone(bk)
	tampered[len(tampered)-20] ^= 1
	if _, err := dst.Import(ctx, bytes.NewReader(tampered), Passphrase([]byte("backup pass")), ImportOptions{ReplaceNode: true}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Import of a tampered backup = %v, want ErrCorrupt", err)
	}
	if _, err := dst.Import(ctx, bytes.NewReader(bk), Passphrase([]byte("backup pass")), ImportOptions{}); !errors.Is(err, ErrForeignBackup) {
		t.Fatalf("Import of another node's backup = %v, want ErrForeignBackup", err)
	}
	if ps, _ := dst.Patients(ctx); len(ps) != 0 {
		t.Fatal("failed imports stored patients")
	}
	rep, err := dst.Import(ctx, bytes.NewReader(bk), Passphrase([]byte("backup pass")), ImportOptions{ReplaceNode: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Patients != 1 || rep.Streams != 1 || rep.Devices != 2 || rep.Destroyed != 1 {
		t.Fatalf("import report = %+v", rep)
	}
	dst = reopen(t, dst, dstDir, "bk-dst2")
	if peerID(t, dst) != peerID(t, src) {
		t.Fatal("node identity not restored")
	}
	got, err := dst.PatientByMRN(ctx, "MRN-A")
	if err != nil || got.Pseudonym != a.Pseudonym || got.RootKeyID != a.RootKeyID {
		t.Fatalf("restored patient = %+v, %v", got, err)
	}
	g, err := dst.Stream(ctx, a.Pseudonym, "glucose")
	if err != nil || g.Tag != ga.Tag || !g.PublicKey.Equal(ga.PublicKey) {
		t.Fatalf("restored stream differs: %v", err)
	}
	sk2, err := dst.StreamSecretKey(ctx, a.Pseudonym, "glucose")
	if err != nil || !sk2.Equal(skA) {
		t.Fatalf("restored stream key differs: %v", err)
	}
	if k, err := dst.DevicePrivateKey(ctx, "cgm-1"); err != nil || !k.Equal(devPriv) {
		t.Fatalf("restored device key differs: %v", err)
	}
	if _, err := dst.Patient(ctx, b.Pseudonym); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("destroyed patient after restore = %v, want ErrDestroyed", err)
	}

	// An old backup, taken before b's erasure, never brings b back.
	rep, err = dst.Import(ctx, bytes.NewReader(before), Passphrase([]byte("backup pass")), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Patients != 0 || rep.SkippedDestroyed != 1 || rep.SkippedExisting != 3 {
		t.Fatalf("re-import of an old backup = %+v", rep)
	}
	if _, err := dst.Patient(ctx, b.Pseudonym); !errors.Is(err, ErrDestroyed) {
		t.Fatalf("old backup resurrected a destroyed patient: %v", err)
	}
	// Same on the source node, and the Skip hook (on-chain deletion registry) works.
	fresh, _ := newTestKeystore(t, "bk-fresh")
	rep, err = fresh.Import(ctx, bytes.NewReader(before), Passphrase([]byte("backup pass")), ImportOptions{
		ReplaceNode: true, Skip: func(st Tag) bool { return st == b.SubjectTag },
	})
	if err != nil || rep.Patients != 1 || rep.SkippedDestroyed != 1 {
		t.Fatalf("import with Skip = %+v, %v", rep, err)
	}
	if _, err := fresh.Patient(ctx, b.Pseudonym); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("skipped patient = %v", err)
	}
}

func TestImportConflictWritesNothing(t *testing.T) {
	ctx := context.Background()
	ks1, _ := newTestKeystore(t, "conf1")
	bk0 := exportBackup(t, ks1, "p") // node only
	ks2, _ := newTestKeystore(t, "conf2")
	if _, err := ks2.Import(ctx, bytes.NewReader(bk0), Passphrase([]byte("p")), ImportOptions{ReplaceNode: true}); err != nil {
		t.Fatal(err)
	}
	// Same node now; both enrol MRN-Y for different patients.
	if _, err := ks2.CreatePatient(ctx, "MRN-Y"); err != nil {
		t.Fatal(err)
	}
	ks1.CreatePatient(ctx, "MRN-Y")
	ks1.EnrollDevice(ctx, "dev-from-backup", false)
	bk1 := exportBackup(t, ks1, "p")
	if _, err := ks2.Import(ctx, bytes.NewReader(bk1), Passphrase([]byte("p")), ImportOptions{}); !errors.Is(err, ErrExists) {
		t.Fatalf("import with a conflicting MRN = %v, want ErrExists", err)
	}
	if _, err := ks2.Device(ctx, "dev-from-backup"); !errors.Is(err, ErrUnknownDevice) {
		t.Fatalf("a refused import stored a device: %v", err)
	}
	if ps, _ := ks2.Patients(ctx); len(ps) != 1 {
		t.Fatalf("a refused import stored patients: %d", len(ps))
	}
	if _, err := ks2.Import(ctx, bytes.NewReader(bk1), Passphrase([]byte("p")), ImportOptions{ReplaceNode: true}); err == nil {
		t.Fatal("ReplaceNode into a keystore with patients succeeded")
	}
	ks3, _ := newTestKeystore(t, "conf3")
	ks3.CreatePatient(ctx, "")
	if _, err := ks3.Import(ctx, bytes.NewReader(bk1), Passphrase([]byte("p")), ImportOptions{ReplaceNode: true}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("ReplaceNode into a keystore with patients = %v, want ErrInvalid", err)
	}
}

// TestBackupPayloadStrict: entries out of order, duplicated or orphaned are
// refused (a backup decodes in exactly one way).
func TestBackupPayloadStrict(t *testing.T) {
	good := seedBackupPayload()
	if _, err := decodeBackupPayload(good); err != nil {
		t.Fatalf("valid payload refused: %v", err)
	}
	c, _ := decodeBackupPayload(good)
	node := appendEntry(nil, backupKindNode, c.node.encode())
	dev := appendEntry(nil, backupKindDevice, c.devices[0].encode())
	pat := appendEntry(nil, backupKindPatient, c.patients[0].encode())
	str := appendEntry(nil, backupKindStream, c.patients[0].streams[0].encode())
	tomb := appendEntry(nil, backupKindDestroyed, c.tombs[0].encode())
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	bad := map[string][]byte{
		"no node first":          cat(dev, node),
		"device after patient":   cat(node, pat, dev),
		"stream without patient": cat(node, str),
		"stream after tombstone": cat(node, pat, tomb, str),
		"patient twice":          cat(node, pat, pat),
		"stream twice":           cat(node, pat, str, str),
		"two nodes":              cat(node, node),
		"unknown kind":           cat(node, []byte{9, 0}),
		"truncated":              good[:len(good)-1],
		"empty":                  nil,
	}
	for name, b := range bad {
		if _, err := decodeBackupPayload(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}
