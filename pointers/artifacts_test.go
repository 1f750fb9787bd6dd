package pointers

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestArtifactsMatchSources recompiles the contracts with the pinned solc (scripts/contracts.sh into a
// temporary directory) and fails when the committed ABI, bytecode or Go bindings differ: edit a .sol
// file without running `make contracts` and this test fails.
func TestArtifactsMatchSources(t *testing.T) {
	if testing.Short() {
		t.Skip("recompiles the contracts; skipped with -short")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("artifact freshness check skipped: %s not found (install Node.js/npm to compile the Solidity contracts with the pinned solc)", tool)
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "scripts", "contracts.sh"), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/contracts.sh: %v\n%s", err, b)
	}
	for _, pattern := range []string{"pointers/contracts/build/*", "pointers/bindings/*.go"} {
		committed, _ := filepath.Glob(filepath.Join(root, pattern))
		fresh, _ := filepath.Glob(filepath.Join(out, pattern))
		if len(committed) != len(fresh) {
			t.Errorf("%s: %d committed files, %d generated: run `make contracts`", pattern, len(committed), len(fresh))
		}
		for _, f := range fresh {
			rel, _ := filepath.Rel(out, f)
			want, _ := os.ReadFile(f)
			got, err := os.ReadFile(filepath.Join(root, rel))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s is stale or missing (regenerate with `make contracts`)", rel)
			}
		}
	}
}
