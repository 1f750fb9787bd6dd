package service

import (
	"context"
	"fmt"
	"os"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/manufacturer"
	"github.com/vaultnode/vaultnode/internal/node"
)

// ManufacturerDirEnv names the manufacturer directory when --dir is not given.
const ManufacturerDirEnv = "VAULTNODE_MANUFACTURER_DIR"

// ManufacturerInit says where a new manufacturer lives, which chain it talks to and how its key is sealed.
type ManufacturerInit struct {
	Dir            string
	Name           string
	ChainRPC       string
	ContractsFile  string // the deployment's contracts.json (a member's REPO/chain/contracts.json)
	PassphraseFile string // "" for $VAULTNODE_KEY_PASSPHRASE
}

// InitManufacturer creates a manufacturer's identity (manufacturer.Init) with the key file sealed under the
// key-file passphrase.
func InitManufacturer(r ManufacturerInit) (*manufacturer.Identity, error) {
	if r.ContractsFile == "" || r.ChainRPC == "" || r.Name == "" {
		return nil, fault.Usagef("--name, --chain-rpc and --contracts are required (a member's REPO/chain/contracts.json and a chain endpoint)")
	}
	contracts, err := os.ReadFile(r.ContractsFile)
	if err != nil {
		return nil, fault.AsUsage(fmt.Errorf("--contracts: %w", err))
	}
	cred, err := KeyFileCredential(r.PassphraseFile, "a manufacturer key file")
	if err != nil {
		return nil, err
	}
	defer cred.Wipe()
	a, err := node.Argon2FromEnv()
	if err != nil {
		return nil, fault.AsUsage(err)
	}
	return manufacturer.Init(manufacturer.InitRequest{Dir: r.Dir, Name: r.Name, ChainRPC: r.ChainRPC, Contracts: contracts, Cred: cred, Argon2: a})
}

// OpenManufacturer opens the manufacturer in dir with the key-file passphrase. The caller closes it.
func OpenManufacturer(ctx context.Context, dir, passphraseFile string) (*manufacturer.Manufacturer, error) {
	cred, err := KeyFileCredential(passphraseFile, "a manufacturer key file")
	if err != nil {
		return nil, err
	}
	defer cred.Wipe()
	return manufacturer.Open(ctx, dir, cred)
}
