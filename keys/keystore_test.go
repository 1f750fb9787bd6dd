package keys

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/libp2p/go-libp2p/core/peer"
)

func peerID(t *testing.T, ks *Keystore) peer.ID {
	t.Helper()
	k, err := ks.NodeIdentity()
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCreateOpen(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "create-open")
	id := peerID(t, ks)
	p, err := ks.CreatePatient(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tag := ks.StreamTag(p.Pseudonym, "glucose")
	if err := ks.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Patient(ctx, p.Pseudonym); !errors.Is(err, ErrClosed) {
		t.Fatalf("use after Close = %v, want ErrClosed", err)
	}
	if ks.StreamTag(p.Pseudonym, "glucose") != (Tag{}) {
		t.Fatal("StreamTag after Close is not the zero tag")
	}

	_, err = Open(ctx, dir, Passphrase([]byte("wrong")), testOptions("x"))
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Open with wrong passphrase = %v, want ErrWrongPassphrase", err)
	}
	kf, _ := KeyFileBytes(bytes.Repeat([]byte{7}, 32))
	if _, err := Open(ctx, dir, kf, testOptions("x")); !errors.Is(err, ErrCredentialKind) {
		t.Fatalf("Open with a key file on a passphrase keystore = %v, want ErrCredentialKind", err)
	}
	if _, err := Open(ctx, dir, Passphrase(nil), testOptions("x")); !errors.Is(err, ErrNoPassphrase) {
		t.Fatalf("Open with empty passphrase = %v, want ErrNoPassphrase", err)
	}
	ks2, err := Open(ctx, dir, testPass(), testOptions("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer ks2.Close()
	if got := peerID(t, ks2); got != id {
		t.Fatalf("node identity changed across reopen: %s != %s", got, id)
	}
	if ks2.StreamTag(p.Pseudonym, "glucose") != tag {
		t.Fatal("stream tag changed across reopen")
	}
	if _, err := ks2.Patient(ctx, p.Pseudonym); err != nil {
		t.Fatal(err)
	}
	// A second process (or Open) on the same directory is refused by badger's lock.
	if _, err := Open(ctx, dir, testPass(), testOptions("y")); err == nil {
		t.Fatal("second Open of an open keystore succeeded")
	}
}

func TestCreateRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "something"), []byte("x"), 0o600)
	if _, err := Create(ctx, dir, testPass(), testOptions("a")); !errors.Is(err, ErrKeystoreExists) {
		t.Fatalf("Create in non-empty dir = %v, want ErrKeystoreExists", err)
	}
	if _, err := Open(ctx, dir, testPass(), testOptions("a")); !errors.Is(err, ErrNotKeystore) {
		t.Fatalf("Open of non-keystore = %v, want ErrNotKeystore", err)
	}
	if _, err := Create(ctx, filepath.Join(dir, "ks"), Passphrase(nil), testOptions("a")); !errors.Is(err, ErrNoPassphrase) {
		t.Fatalf("Create with empty passphrase = %v", err)
	}
	bad := testOptions("a")
	bad.Argon2 = Argon2Params{Time: 0, MemoryKiB: 64, Threads: 1}
	if _, err := Create(ctx, filepath.Join(dir, "ks"), testPass(), bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Create with t=0 = %v, want ErrInvalid", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ks")); !os.IsNotExist(err) {
		t.Fatal("failed Create left a directory behind")
	}
	ks, err := Create(ctx, filepath.Join(dir, "ks"), testPass(), testOptions("a"))
	if err != nil {
		t.Fatal(err)
	}
	ks.Close()
	if _, err := Create(ctx, filepath.Join(dir, "ks"), testPass(), testOptions("a")); !errors.Is(err, ErrKeystoreExists) {
		t.Fatalf("Create over a keystore = %v, want ErrKeystoreExists", err)
	}
}

func TestKeyFileAndEnv(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	kp := filepath.Join(dir, "node.key")
	if err := GenerateKeyFile(kp, newDetReader("kf")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(kp); st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	if err := GenerateKeyFile(kp, nil); !errors.Is(err, ErrExists) {
		t.Fatalf("GenerateKeyFile over a file = %v, want ErrExists", err)
	}
	kf, err := KeyFile(kp)
	if err != nil {
		t.Fatal(err)
	}
	ksDir := filepath.Join(dir, "ks")
	ks, err := Create(ctx, ksDir, kf, testOptions("kf"))
	if err != nil {
		t.Fatal(err)
	}
	ks.Close()
	other, _ := KeyFileBytes(bytes.Repeat([]byte{1}, 32))
	if _, err := Open(ctx, ksDir, other, testOptions("kf")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Open with another key file = %v, want ErrWrongPassphrase", err)
	}
	if _, err := Open(ctx, ksDir, testPass(), testOptions("kf")); !errors.Is(err, ErrCredentialKind) {
		t.Fatalf("Open with a passphrase on a key-file keystore = %v, want ErrCredentialKind", err)
	}
	ks, err = Open(ctx, ksDir, kf, testOptions("kf"))
	if err != nil {
		t.Fatal(err)
	}
	ks.Close()
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("too short"), 0o600)
	if _, err := KeyFile(short); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short key file = %v, want ErrInvalid", err)
	}

	t.Setenv(PassphraseEnv, "")
	if _, err := PassphraseFromEnv(); !errors.Is(err, ErrNoPassphrase) {
		t.Fatalf("empty env = %v, want ErrNoPassphrase", err)
	}
	t.Setenv(PassphraseEnv, "correct horse battery staple")
	c, err := PassphraseFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ks, err = Create(ctx, filepath.Join(dir, "ks2"), c, testOptions("env"))
	if err != nil {
		t.Fatal(err)
	}
	ks.Close()
	if ks, err = Open(ctx, filepath.Join(dir, "ks2"), testPass(), testOptions("env")); err != nil {
		t.Fatalf("env passphrase does not match the same passphrase given directly: %v", err)
	}
	ks.Close()
	c.Wipe()
	if err := c.check(); err == nil {
		t.Fatal("wiped credential still usable")
	}
}

func editHeader(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, headerFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, _ = json.Marshal(m)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestHeaderTamper(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "hdr")
	ks.Close()
	orig, _ := os.ReadFile(filepath.Join(dir, headerFile))
	restore := func() { os.WriteFile(filepath.Join(dir, headerFile), orig, 0o600) }

	cases := []struct {
		name string
		edit func(m map[string]any)
		want error
	}{
		{"wrapped key flipped", func(m map[string]any) {
			s := m["wrapped_key"].(string)
			m["wrapped_key"] = flipB64(s)
		}, ErrCorrupt},
		{"id changed", func(m map[string]any) { m["id"] = flipB64(m["id"].(string)) }, ErrCorrupt},
		{"memory lowered", func(m map[string]any) { m["argon2id"].(map[string]any)["memory_kib"] = 32 }, ErrWrongPassphrase},
		{"absurd memory", func(m map[string]any) { m["argon2id"].(map[string]any)["memory_kib"] = 1 << 30 }, ErrCorrupt},
		{"future version", func(m map[string]any) { m["version"] = 2 }, ErrUnsupportedVersion},
		{"unknown kdf", func(m map[string]any) { m["kdf"] = "scrypt" }, ErrCorrupt},
		{"unknown field", func(m map[string]any) { m["extra"] = 1 }, ErrCorrupt},
		{"short salt", func(m map[string]any) { m["salt"] = "AAAA" }, ErrCorrupt},
	}
	for _, c := range cases {
		editHeader(t, dir, c.edit)
		_, err := Open(ctx, dir, testPass(), testOptions("x"))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: Open = %v, want %v", c.name, err, c.want)
		}
		restore()
	}
	ks2, err := Open(ctx, dir, testPass(), testOptions("x"))
	if err != nil {
		t.Fatalf("restored header: %v", err)
	}
	ks2.Close()
}

func flipB64(s string) string {
	b := []byte(s)
	if b[2] == 'A' {
		b[2] = 'B'
	} else {
		b[2] = 'A'
	}
	return string(b)
}

func TestRecordTamper(t *testing.T) {
	ctx := context.Background()
	ks, _ := newTestKeystore(t, "rec")
	a, _ := ks.CreatePatient(ctx, "A-1")
	b, _ := ks.CreatePatient(ctx, "B-1")
	ks.CreateStream(ctx, a.Pseudonym, "ecg")
	// A flipped bit in a stored value.
	k := keyStream(a.Pseudonym, "ecg")
	v := rawValues(t, ks, k)[string(k)]
	v[len(v)-1] ^= 1
	if err := ks.db.Update(func(txn *badger.Txn) error { return txn.Set(k, v) }); err != nil {
		t.Fatal(err)
	}
	ks.cacheMu.Lock()
	clear(ks.streams)
	ks.cacheMu.Unlock()
	if _, err := ks.StreamSecretKey(ctx, a.Pseudonym, "ecg"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("tampered stream record = %v, want ErrCorrupt", err)
	}
	// A valid record moved under another key (swap two patients' roots).
	ra := rawValues(t, ks, keyRoot(a.Pseudonym))[string(keyRoot(a.Pseudonym))]
	if err := ks.db.Update(func(txn *badger.Txn) error { return txn.Set(keyRoot(b.Pseudonym), ra) }); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Patient(ctx, b.Pseudonym); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("swapped root record = %v, want ErrCorrupt", err)
	}
}

func TestDevices(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "dev")
	d, priv, err := ks.EnrollDevice(ctx, "cgm-17", false)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("canonical batch bytes")
	if !ed25519.Verify(d.PublicKey, msg, ed25519.Sign(priv, msg)) {
		t.Fatal("returned private key does not match the recorded public key")
	}
	if d.Status != DeviceActive || d.HasPrivateKey || d.KeyID != DeviceKeyID(d.PublicKey) {
		t.Fatalf("enrolled device = %+v", d)
	}
	if _, err := ks.DevicePrivateKey(ctx, "cgm-17"); !errors.Is(err, ErrNoPrivateKey) {
		t.Fatalf("DevicePrivateKey of a device enrolled without keeping = %v", err)
	}
	if _, _, err := ks.EnrollDevice(ctx, "cgm-17", true); !errors.Is(err, ErrExists) {
		t.Fatalf("enrol twice = %v, want ErrExists", err)
	}
	_, priv2, err := ks.EnrollDevice(ctx, "pump-2", true)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := ks.DevicePrivateKey(ctx, "pump-2")
	if err != nil || !kept.Equal(priv2) {
		t.Fatalf("kept private key = %v", err)
	}
	pub, _, _ := ed25519.GenerateKey(newDetReader("ext"))
	if _, err := ks.AddDevice(ctx, "ext:1", pub, UDI{}); err != nil {
		t.Fatal(err)
	}
	udi, _ := ParseUDI("(01)00614141999996(21)SN-7")
	if d, err := ks.AddDevice(ctx, "ext:3", pub, udi); err != nil || d.UDI != "(01)00614141999996(21)SN-7" {
		t.Fatalf("device added with its UDI: %+v %v", d, err)
	}
	if d, err := ks.Device(ctx, "ext:3"); err != nil || d.UDI != udi.String() {
		t.Fatalf("device's UDI read back: %+v %v", d, err)
	}
	if _, err := ks.AddDevice(ctx, "ext:2", pub[:31], UDI{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short public key = %v", err)
	}
	for _, bad := range []string{"", "has space", "slash/x", strings.Repeat("a", 129)} {
		if _, _, err := ks.EnrollDevice(ctx, bad, false); !errors.Is(err, ErrInvalid) {
			t.Errorf("device id %q = %v, want ErrInvalid", bad, err)
		}
	}
	r, err := ks.RevokeDevice(ctx, "pump-2")
	if err != nil || r.Status != DeviceRevoked || r.Revoked.IsZero() || r.HasPrivateKey {
		t.Fatalf("revoke = %+v, %v", r, err)
	}
	if _, err := ks.RevokeDevice(ctx, "nope"); !errors.Is(err, ErrUnknownDevice) {
		t.Fatalf("revoke unknown = %v", err)
	}
	ks = reopen(t, ks, dir, "dev2")
	ds, err := ks.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID+"="+d.Status.String())
	}
	if want := []string{"cgm-17=active", "ext:1=active", "ext:3=active", "pump-2=revoked"}; !slices.Equal(ids, want) {
		t.Fatalf("devices = %v, want %v", ids, want)
	}
	if _, err := ks.Device(ctx, "nope"); !errors.Is(err, ErrUnknownDevice) {
		t.Fatalf("unknown device = %v", err)
	}
}

func TestPatientsAndStreams(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "pat")
	a, err := ks.CreatePatient(ctx, "MRN-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.CreatePatient(ctx, "MRN-1"); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate MRN = %v, want ErrExists", err)
	}
	if _, err := ks.CreatePatient(ctx, "bad\nmrn"); !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "bad\nmrn") {
		t.Fatalf("bad MRN = %v (must be ErrInvalid and not echo the MRN)", err)
	}
	b, _ := ks.CreatePatient(ctx, "")
	if a.Pseudonym == b.Pseudonym || a.SubjectTag == b.SubjectTag || a.RootKeyID == b.RootKeyID {
		t.Fatal("two patients share a pseudonym, subject tag or root key")
	}
	if got, err := ks.PatientByMRN(ctx, "MRN-1"); err != nil || got.Pseudonym != a.Pseudonym {
		t.Fatalf("PatientByMRN = %v, %v", got.Pseudonym, err)
	}
	if _, err := ks.PatientByMRN(ctx, "MRN-2"); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("unknown MRN = %v", err)
	}
	for _, s := range []string{a.Pseudonym.String(), "MRN-1"} {
		if got, err := ks.ResolvePatient(ctx, s); err != nil || got.Pseudonym != a.Pseudonym {
			t.Fatalf("ResolvePatient(%q) = %v, %v", s, got.Pseudonym, err)
		}
	}
	if _, err := ks.Patient(ctx, Pseudonym{9}); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("unknown pseudonym = %v", err)
	}

	g, err := ks.CreateStream(ctx, a.Pseudonym, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.CreateStream(ctx, a.Pseudonym, "glucose"); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate stream = %v", err)
	}
	if _, err := ks.CreateStream(ctx, a.Pseudonym, "Glucose!"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad stream name = %v", err)
	}
	if _, err := ks.CreateStream(ctx, Pseudonym{9}, "glucose"); !errors.Is(err, ErrUnknownPatient) {
		t.Fatalf("stream of unknown patient = %v", err)
	}
	if _, err := ks.Stream(ctx, a.Pseudonym, "ecg"); !errors.Is(err, ErrUnknownStream) {
		t.Fatalf("unknown stream = %v", err)
	}
	e1, err := ks.EnsureStream(ctx, a.Pseudonym, "ecg")
	if err != nil {
		t.Fatal(err)
	}
	e2, err := ks.EnsureStream(ctx, a.Pseudonym, "ecg")
	if err != nil || !e2.PublicKey.Equal(e1.PublicKey) {
		t.Fatalf("EnsureStream is not idempotent: %v", err)
	}
	bg, _ := ks.CreateStream(ctx, b.Pseudonym, "glucose")
	if g.PublicKey.Equal(e1.PublicKey) || g.PublicKey.Equal(bg.PublicKey) {
		t.Fatal("streams share a delegating key")
	}
	tags := map[Tag]string{g.Tag: "a/glucose", e1.Tag: "a/ecg", bg.Tag: "b/glucose", a.SubjectTag: "a", b.SubjectTag: "b"}
	if len(tags) != 5 {
		t.Fatalf("tags collide: %v", tags)
	}
	if g.Tag != ks.StreamTag(a.Pseudonym, "glucose") || a.SubjectTag != ks.SubjectTag(a.Pseudonym) {
		t.Fatal("returned tags differ from the tag functions")
	}
	sk, err := ks.StreamSecretKey(ctx, a.Pseudonym, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	if !sk.PublicKey().Equal(g.PublicKey) || StreamKeyID(g.PublicKey) != g.KeyID {
		t.Fatal("secret key does not match the stream's public key or key id")
	}
	sk.Wipe()

	ks = reopen(t, ks, dir, "pat2")
	ps, err := ks.Patients(ctx)
	if err != nil || len(ps) != 2 {
		t.Fatalf("Patients = %v, %v", ps, err)
	}
	got, err := ks.Patient(ctx, a.Pseudonym)
	if err != nil || got.MRN != "MRN-1" || !slices.Equal(got.Streams, []string{"ecg", "glucose"}) || got.RootKeyID != a.RootKeyID {
		t.Fatalf("Patient after reopen = %+v, %v", got, err)
	}
	g2, err := ks.Stream(ctx, a.Pseudonym, "glucose")
	if err != nil || !g2.PublicKey.Equal(g.PublicKey) || g2.Tag != g.Tag {
		t.Fatalf("stream after reopen differs: %v", err)
	}
	ss, err := ks.Streams(ctx, a.Pseudonym)
	if err != nil || len(ss) != 2 || ss[0].Name != "ecg" {
		t.Fatalf("Streams = %v, %v", ss, err)
	}

	// Another node (another tag key) computes unrelated tags for the same pseudonym.
	other, _ := newTestKeystore(t, "other-node")
	if other.StreamTag(a.Pseudonym, "glucose") == g.Tag || other.SubjectTag(a.Pseudonym) == a.SubjectTag {
		t.Fatal("tags do not depend on the node's tag key")
	}
}

func TestRotateMasterKey(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "rot")
	p, _ := ks.CreatePatient(ctx, "R-1")
	old := rawHeader(t, dir)
	newPass := Passphrase([]byte("a new passphrase"))
	if err := ks.RotateMasterKey(ctx, newPass); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Patient(ctx, p.Pseudonym); err != nil {
		t.Fatalf("keystore unusable after rotation: %v", err)
	}
	ks.Close()
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("keystore directory after rotation holds %d entries, want KEYSTORE and db", len(ents))
	}
	if hits := scanDir(t, dir, []needle{{"old wrapped key", old.WrappedKey}, {"old salt", old.Salt}}); len(hits) > 0 {
		t.Fatalf("old header material still on disk: %v", hits)
	}
	if _, err := Open(ctx, dir, testPass(), testOptions("x")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after rotation = %v, want ErrWrongPassphrase", err)
	}
	ks, err := Open(ctx, dir, newPass, testOptions("x"))
	if err != nil {
		t.Fatal(err)
	}
	kf, _ := KeyFileBytes(bytes.Repeat([]byte{3}, 40))
	if err := ks.RotateMasterKey(ctx, kf); err != nil {
		t.Fatal(err)
	}
	ks.Close()
	ks, err = Open(ctx, dir, kf, testOptions("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	if got, err := ks.PatientByMRN(ctx, "R-1"); err != nil || got.Pseudonym != p.Pseudonym {
		t.Fatalf("data after rotations: %v", err)
	}
}

// TestOpenScrubsHeaderLeftovers: a crash during rotation can leave the old
// header (or a new one not yet renamed); Open overwrites and removes them.
func TestOpenScrubsHeaderLeftovers(t *testing.T) {
	ks, dir := newTestKeystore(t, "scrub")
	ks.Close()
	cur, _ := os.ReadFile(filepath.Join(dir, headerFile))
	os.WriteFile(filepath.Join(dir, headerFile+".old"), cur, 0o600)
	os.WriteFile(filepath.Join(dir, headerFile+".tmp"), cur, 0o600)
	ks, err := Open(context.Background(), dir, testPass(), testOptions("scrub"))
	if err != nil {
		t.Fatal(err)
	}
	ks.Close()
	for _, n := range []string{headerFile + ".old", headerFile + ".tmp"} {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Fatalf("%s left after Open", n)
		}
	}
	// Crash between linking the old header and renaming the new one: the
	// leftover is the current header itself and must not be overwritten.
	if err := os.Link(filepath.Join(dir, headerFile), filepath.Join(dir, headerFile+".old")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		ks, err := Open(context.Background(), dir, testPass(), testOptions("scrub"))
		if err != nil {
			t.Fatalf("Open %d after a crash mid-rotation: %v", i, err)
		}
		ks.Close()
	}
}

func rawHeader(t *testing.T, dir string) *header {
	t.Helper()
	h, err := readHeader(dir)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
