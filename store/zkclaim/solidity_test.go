package zkclaim

import (
	"os"
	"path/filepath"
	"testing"
)

// TestExportSolidity writes each kind's verifier; with ZKCLAIM_SOLIDITY_OUT set, into that directory at the
// production capacity (`make zk-verifiers`), otherwise into a temporary directory at the test capacity.
func TestExportSolidity(t *testing.T) {
	dir, capacity := os.Getenv("ZKCLAIM_SOLIDITY_OUT"), testCapacity
	if dir == "" {
		dir = t.TempDir()
	}
	for _, kind := range Kinds {
		_, vk := testKeys(t, kind, capacity)
		f, err := os.Create(filepath.Join(dir, SolidityContractName(kind)+".sol"))
		if err != nil {
			t.Fatal(err)
		}
		if err := ExportSolidity(vk, f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
