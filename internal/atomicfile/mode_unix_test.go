//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The file gets exactly the mode asked for, whatever the umask, on
// creation and on replacement.
func TestWriteHonoursMode(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "config.json")
	for _, mode := range []os.FileMode{0o640, 0o600, 0o644} {
		if err := Write(path, []byte("{}"), mode); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Fatalf("mode %v, want %v", st.Mode().Perm(), mode)
		}
	}
}
