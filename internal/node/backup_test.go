package node

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultnode/vaultnode/keys"
)

var testArgon = keys.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

// sealTest makes a backup whose tar holds name → content entries.
func sealTest(t testing.TB, s BackupSecret, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := sealRepoBackup(&buf, s, "peer", func(tw *tar.Writer) error {
		for name, c := range files {
			if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(c)), Typeflag: tar.TypeReg}); err != nil {
				return err
			}
			if _, err := tw.Write(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openTest(b []byte, s BackupSecret, dir string) (map[string][]byte, error) {
	f, _, err := openRepoBackup(bytes.NewReader(b), s, dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out[h.Name], _ = io.ReadAll(tr)
	}
}

// chunks splits a backup into its head and its length-prefixed chunks.
func chunks(t *testing.T, b []byte) (head []byte, cs [][]byte) {
	t.Helper()
	hl := binary.BigEndian.Uint32(b[len(repoBackupMagic):])
	off := len(repoBackupMagic) + 4 + int(hl)
	head = b[:off]
	for off < len(b) {
		n := int(binary.BigEndian.Uint32(b[off:]))
		cs = append(cs, b[off:off+4+n])
		off += 4 + n
	}
	return head, cs
}

func TestRepoBackupRoundTripAndTampering(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, 2*repoBackupChunk+123) // three chunks
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"keystore.vnkb": []byte("keys"), "repo/blocks/000001.vlog": big}
	pass := BackupPassphrase([]byte("s3cret"), testArgon)
	b := sealTest(t, pass, files)
	if bytes.Contains(b, big[:64]) || bytes.Contains(b, []byte("blocks/000001.vlog")) {
		t.Fatal("plaintext visible in the backup")
	}
	got, err := openTest(b, pass, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got["repo/blocks/000001.vlog"], big) || string(got["keystore.vnkb"]) != "keys" {
		t.Fatal("round trip lost data")
	}
	head, cs := chunks(t, b)
	if len(cs) != 3 {
		t.Fatalf("%d chunks, want 3", len(cs))
	}
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	kf := filepath.Join(dir, "k")
	if err := os.WriteFile(kf, bytes.Repeat([]byte{7}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	keyFile, err := BackupKeyFile(kf)
	if err != nil {
		t.Fatal(err)
	}
	flipAt := func(i int) []byte { c := append([]byte(nil), b...); c[i] ^= 1; return c }
	cases := []struct {
		name string
		b    []byte
		s    BackupSecret
		want error
	}{
		{"wrong passphrase", b, BackupPassphrase([]byte("guess"), testArgon), keys.ErrWrongPassphrase},
		{"key file for a passphrase backup", b, keyFile, keys.ErrWrongPassphrase},
		{"header altered", flipAt(len(head) - 3), pass, nil},
		{"first chunk altered", flipAt(len(head) + 40), pass, keys.ErrWrongPassphrase},
		{"middle chunk altered", flipAt(len(head) + len(cs[0]) + 100), pass, keys.ErrCorrupt},
		{"final chunk dropped", join(head, cs[0], cs[1]), pass, keys.ErrCorrupt},
		{"chunks swapped", join(head, cs[1], cs[0], cs[2]), pass, nil},
		{"data appended", join(b, []byte{0}), pass, keys.ErrCorrupt},
		{"cut mid-chunk", b[:len(b)-10], pass, keys.ErrCorrupt},
		{"not a backup", []byte("hello"), pass, ErrBadInput},
		{"keystore backup instead", []byte("VNKEYBK1...."), pass, ErrBadInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := openTest(c.b, c.s, dir)
			if err == nil {
				t.Fatal("accepted")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	// Nothing left behind in the directory by refused opens.
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".vaultnode-restore") {
			t.Fatalf("left %s behind", e.Name())
		}
	}
	// A key-file backup opens with the key file only.
	kb := sealTest(t, keyFile, files)
	if _, err := openTest(kb, keyFile, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := openTest(kb, pass, dir); !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Fatalf("passphrase for a key-file backup: %v", err)
	}
}

func TestBackupKeyFileTooShort(t *testing.T) {
	p := filepath.Join(t.TempDir(), "short")
	if err := os.WriteFile(p, []byte("tiny"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := BackupKeyFile(p); !errors.Is(err, ErrBadInput) {
		t.Fatalf("short key file: %v", err)
	}
}

// FuzzOpenRepoBackup uses a key-file secret: a passphrase header would let
// the fuzzer ask Argon2id for up to 1 GiB per input.
func FuzzOpenRepoBackup(f *testing.F) {
	pass := BackupSecret{secret: bytes.Repeat([]byte{9}, 32), keyFile: true}
	f.Add(sealTest(f, pass, map[string][]byte{"keystore.vnkb": []byte("k")}))
	f.Add(sealTest(f, BackupPassphrase([]byte("fuzz"), testArgon), map[string][]byte{"keystore.vnkb": []byte("k")}))
	f.Add([]byte(repoBackupMagic + "\x00\x00\x00\x02{}"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, h, err := openRepoBackup(bytes.NewReader(b), pass, dir)
		if err != nil {
			if !errors.Is(err, ErrBadInput) && !errors.Is(err, keys.ErrCorrupt) && !errors.Is(err, keys.ErrWrongPassphrase) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		fl.Close()
		if h.Format != repoBackupFormat {
			t.Fatal("accepted a header of another format")
		}
	})
}
