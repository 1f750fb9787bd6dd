package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// The progress line: a bar with done/total on a terminal, erased at the
// end; inert (nothing written) on anything that is not a terminal.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := Start(&buf, "ingest", "bytes", time.Millisecond)
	p.Set(512<<10, 1<<20)
	time.Sleep(20 * time.Millisecond)
	p.Done()
	out := buf.String()
	if !strings.Contains(out, "ingest [") || !strings.Contains(out, " 50% 512.0 KiB/1.0 MiB") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Fatalf("progress output %q", out)
	}
	if l := (&Bar{what: "fetch", unit: "batches", start: time.Now()}).Line(0); !strings.HasPrefix(l, "fetch |") {
		t.Fatalf("spinner line %q", l)
	}
	f, err := os.CreateTemp(t.TempDir(), "notatty")
	if err != nil {
		t.Fatal(err)
	}
	q := New(f, "x", "bytes")
	q.Set(1, 2)
	_, _ = io.Copy(io.Discard, q.Reader(strings.NewReader("abc")))
	q.Done()
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Fatalf("progress wrote %d bytes to a file", st.Size())
	}
}
