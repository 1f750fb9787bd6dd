package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
)

func packFiles(t *testing.T, dir string) []string {
	m, err := filepath.Glob(filepath.Join(dir, packDirName, "*"+packSuffix))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Blob chunks live in pack files; deleting the blob unlinks its pack and
// its ciphertext is gone from the directory.
func TestBlobDeletePhysical(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSmall(t, dir)
	defer func() { s.Close() }()
	data := make([]byte, 300<<10)
	rand.Read(data)
	p := testParams(t, 1)
	p.ChunkSize = 16 << 10
	a, err := s.AddFile(ctx, bytes.NewReader(data), p)
	if err != nil {
		t.Fatal(err)
	}
	keepP := testParams(t, 2)
	keep, err := s.AddFile(ctx, bytes.NewReader(data[:100<<10]), keepP)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(packFiles(t, dir)); n != 2 {
		t.Fatalf("%d pack files, want 2", n)
	}
	_, chunks, err := ReadRoot(ctx, s, a.Root)
	if err != nil {
		t.Fatal(err)
	}
	var samples [][]byte
	for _, c := range chunks {
		b, err := s.Get(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, b.RawData()[100:132])
	}
	if scanDirAll(t, dir, samples) == 0 {
		t.Fatal("test is void: chunks not found on disk")
	}
	n, err := s.DeleteBatch(ctx, a.Root)
	if err != nil || n != len(chunks)+1 {
		t.Fatalf("DeleteBatch = %d, %v; want %d", n, err, len(chunks)+1)
	}
	if c := scanDirAll(t, dir, samples); c != 0 {
		t.Fatalf("%d copies of a deleted blob's chunks remain", c)
	}
	if n := len(packFiles(t, dir)); n != 1 {
		t.Fatalf("%d pack files after delete, want 1", n)
	}
	var out bytes.Buffer
	if _, err := ReadFile(ctx, s, keep.Root, keepP.DEK, &out); err != nil || !bytes.Equal(out.Bytes(), data[:100<<10]) {
		t.Fatalf("other blob damaged: %v", err)
	}
}

// Deleting one packed chunk rewrites its pack without it (repack); the
// rest of the pack stays readable.
func TestRepackOnPartialDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSmall(t, dir)
	defer s.Close()
	data := make([]byte, 200<<10)
	rand.Read(data)
	p := testParams(t, 1)
	p.ChunkSize = 16 << 10
	a, err := s.AddFile(ctx, bytes.NewReader(data), p)
	if err != nil {
		t.Fatal(err)
	}
	_, chunks, _ := ReadRoot(ctx, s, a.Root)
	victim, _ := s.Get(ctx, chunks[3])
	sample := victim.RawData()[200:232]
	before := packFiles(t, dir)
	if err := s.DeleteBlock(ctx, chunks[3]); err != nil {
		t.Fatal(err)
	}
	after := packFiles(t, dir)
	if len(after) != 1 || after[0] == before[0] {
		t.Fatalf("pack not rewritten: before %v after %v", before, after)
	}
	if c := scanDir(t, dir, sample); c != 0 {
		t.Fatalf("deleted chunk still on disk (%d)", c)
	}
	for i, c := range chunks {
		_, err := s.Get(ctx, c)
		if (i == 3) != (err != nil) {
			t.Fatalf("chunk %d after repack: %v", i, err)
		}
	}
	var out bytes.Buffer
	_, err = ReadFile(ctx, s, a.Root, p.DEK, &out)
	if !isIntegrity(err) {
		t.Fatalf("reading a blob with a deleted chunk: %v", err)
	}
}

// A pack left by a crash before its index was written is removed by GC.
func TestGCRemovesOrphanPack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSmall(t, dir)
	defer s.Close()
	orphan := filepath.Join(dir, packDirName, "00000000deadbeef"+packSuffix)
	if err := os.WriteFile(orphan, []byte("ORPHAN-PACK-CONTENT"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GC(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatalf("orphan pack survived GC: %v", err)
	}
}
