package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	msgs := [][]byte{{}, []byte("one"), bytes.Repeat([]byte{7}, 3*frameChunk+5)}
	for _, m := range msgs {
		if err := writeFrame(&buf, m); err != nil {
			t.Fatal(err)
		}
	}
	wire := bytes.Clone(buf.Bytes())
	// Byte by byte too: a reader may return less than asked.
	for _, r := range []io.Reader{&buf, iotest.OneByteReader(bytes.NewReader(wire))} {
		for i, m := range msgs {
			got, err := readFrame(r, len(m))
			if err != nil || !bytes.Equal(got, m) {
				t.Fatalf("frame %d: %d bytes, %v", i, len(got), err)
			}
		}
		if _, err := readFrame(r, 10); err != io.EOF {
			t.Fatalf("after the last frame: %v, want io.EOF", err)
		}
	}

	t.Run("over the limit", func(t *testing.T) {
		_, err := readFrame(bytes.NewReader(wire[4:]), 2)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "frame of 3 bytes exceeds the 2-byte limit") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("torn", func(t *testing.T) {
		second := wire[4 : 4+4+3]
		for cut := 1; cut < len(second); cut++ {
			if _, err := readFrame(bytes.NewReader(second[:cut]), 10); err != io.ErrUnexpectedEOF {
				t.Fatalf("frame cut at %d: %v, want io.ErrUnexpectedEOF", cut, err)
			}
		}
	})
	t.Run("a length alone allocates little", func(t *testing.T) {
		claim := []byte{0, 0xff, 0xff, 0xff} // 16 MiB announced, nothing sent
		allocs := testing.AllocsPerRun(10, func() {
			if _, err := readFrame(bytes.NewReader(claim), 1<<24); err != io.ErrUnexpectedEOF {
				t.Fatal(err)
			}
		})
		if allocs > 3 {
			t.Fatalf("%v allocations", allocs)
		}
	})
	t.Run("write error", func(t *testing.T) {
		werr := errors.New("disk full")
		if err := writeFrame(errWriter{werr}, []byte("x")); !errors.Is(err, werr) {
			t.Fatalf("got %v", err)
		}
	})
}

// The access log reads its records with readFrame: a record claiming more
// than a record can hold is tampering, not a torn tail to cut off.
func TestAccessLogOversizeRecord(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenAccessLog(dir, [32]byte{1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := l.Append(t.Context(), AccessEntry{Purpose: "TREAT"}); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	path := filepath.Join(dir, accessLogName)
	raw, _ := os.ReadFile(path)
	second := 4 + int(binary.BigEndian.Uint32(raw))
	binary.BigEndian.PutUint32(raw[second:], accessMaxBody+1)
	os.WriteFile(path, raw, 0o600)
	if _, err := OpenAccessLog(dir, [32]byte{1}, nil); !errors.Is(err, ErrLogTampered) || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("oversize record: %v", err)
	}
	if after, _ := os.ReadFile(path); len(after) != len(raw) {
		t.Fatalf("the log was cut from %d to %d bytes", len(raw), len(after))
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

// FuzzReadFrame: readFrame never panics, never returns more than max bytes,
// and what it returns writes back to the bytes it read.
func FuzzReadFrame(f *testing.F) {
	var buf bytes.Buffer
	_ = writeFrame(&buf, []byte("hello"))
	f.Add(buf.Bytes(), 16)
	f.Add(buf.Bytes(), 4)
	f.Add([]byte{0, 0, 0}, 8)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1}, 1<<20)
	f.Fuzz(func(t *testing.T, b []byte, max int) {
		r := bytes.NewReader(b)
		got, err := readFrame(r, max)
		if err != nil {
			return
		}
		if len(got) > max {
			t.Fatalf("%d bytes over a %d-byte limit", len(got), max)
		}
		var out bytes.Buffer
		if err := writeFrame(&out, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), b[:len(b)-r.Len()]) {
			t.Fatal("frame does not write back to what was read")
		}
	})
}
