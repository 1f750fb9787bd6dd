package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/pointers"
)

// VerifyErasureOnChain verifies an erasure certificate for someone who runs
// no node: it reads the chain through the given JSON-RPC endpoints, with
// the contract addresses of contractsFile (the consortium's published
// contracts.json) when given, else those the certificate names (and says
// so in Registries). It needs no repo and no key.
func VerifyErasureOnChain(ctx context.Context, rpcURL, contractsFile string, certificate []byte, lg *slog.Logger) (*ErasureCheck, error) {
	if rpcURL == "" {
		return nil, fmt.Errorf("%w: a chain endpoint is needed to verify without a repo (--chain-rpc URL)", node.ErrBadInput)
	}
	if err := node.CheckCertificateShape(certificate); err != nil {
		return nil, err
	}
	var addrs pointers.Addresses
	registries := RegistriesPinned
	if contractsFile != "" {
		b, err := os.ReadFile(contractsFile)
		if err != nil {
			return nil, fmt.Errorf("%w: contracts file: %w", node.ErrBadInput, err)
		}
		if addrs, err = pointers.ParseAddresses(b); err != nil {
			return nil, fmt.Errorf("%w: contracts file %s: %w", node.ErrBadInput, contractsFile, err)
		}
	} else {
		registries = RegistriesOfCertificate
		var c struct {
			Chain struct {
				ChainID     uint64 `json:"chainId"`
				Registry    string `json:"registry"`
				Consortium  string `json:"consortium"`
				Grants      string `json:"grants"`
				DeployBlock uint64 `json:"deployBlock"`
			} `json:"chain"`
		}
		if err := json.Unmarshal(certificate, &c); err != nil {
			return nil, fmt.Errorf("%w: not an erasure certificate: %v", node.ErrBadInput, err)
		}
		for name, a := range map[string]string{"registry": c.Chain.Registry, "consortium": c.Chain.Consortium, "grants": c.Chain.Grants} {
			if !common.IsHexAddress(a) {
				return nil, fmt.Errorf("%w: the certificate's chain.%s is not an address", node.ErrIntegrity, name)
			}
		}
		addrs = pointers.Addresses{ChainID: c.Chain.ChainID, Consortium: common.HexToAddress(c.Chain.Consortium), Grants: common.HexToAddress(c.Chain.Grants),
			Erasures: common.HexToAddress(c.Chain.Registry), DeployBlock: c.Chain.DeployBlock}
	}
	chain, err := pointers.Dial(ctx, rpcURL, addrs, lg)
	if err != nil {
		return nil, err
	}
	defer chain.Close()
	v, err := node.VerifyCertificate(ctx, chain, certificate)
	if err != nil {
		return nil, err
	}
	return ErasureCheckOf(v, registries), nil
}
