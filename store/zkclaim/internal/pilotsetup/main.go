// Command pilotsetup runs the Groth16 setup of the exceeds claim circuit and writes the pilot keys
// (store/zkclaim/pilot) and their Solidity verifier (pointers/contracts). scripts/zk-setup.sh runs it; a
// consortium that does not want to trust whoever ran it replaces its output by a multi-party ceremony's
// (docs/ZK.md §4).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vaultnode/vaultnode/store/zkclaim"
)

func main() {
	pilotDir := flag.String("pilot", "store/zkclaim/pilot", "directory of the embedded pilot keys")
	contracts := flag.String("contracts", "pointers/contracts", "directory of the Solidity sources")
	flag.Parse()
	if err := run(*pilotDir, *contracts); err != nil {
		fmt.Fprintln(os.Stderr, "pilotsetup:", err)
		os.Exit(1)
	}
}

func run(pilotDir, contracts string) error {
	pk, vk, err := zkclaim.Setup(zkclaim.KindExceeds)
	if err != nil {
		return err
	}
	if err := zkclaim.WriteProvingKeyFile(filepath.Join(pilotDir, "exceeds.pk"), pk); err != nil {
		return err
	}
	if err := zkclaim.WriteVerifyingKeyFile(filepath.Join(pilotDir, "exceeds.vk"), vk); err != nil {
		return err
	}
	var sol bytes.Buffer
	if err := zkclaim.ExportSolidity(vk, &sol); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(contracts, zkclaim.SolidityContractName(zkclaim.KindExceeds)+".sol"), sol.Bytes(), 0o644)
}
