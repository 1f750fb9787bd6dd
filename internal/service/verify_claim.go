package service

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/pointers"
)

// ClaimVerification is the outcome of VerifyClaimOnChain: the check and where the contract address came from.
type ClaimVerification struct {
	node.ClaimCheck
	Registries string `json:"registries"`
}

// VerifyClaimOnChain verifies a claim file for someone who runs no node: the proof against the claim root
// and statement with this binary's verifying key, and the claim root against the batch commitment on the
// chain behind rpcURL. The Commitments contract is the one of contractsFile (the consortium's published
// contracts.json) when given, else the one the claim names (and Registries says so). It needs no repo and
// no key.
func VerifyClaimOnChain(ctx context.Context, rpcURL, contractsFile string, claim []byte, lg *slog.Logger) (*ClaimVerification, error) {
	if rpcURL == "" {
		return nil, fmt.Errorf("%w: a chain endpoint is needed to verify a claim (--chain-rpc URL)", node.ErrBadInput)
	}
	c, err := node.ParseClaim(claim)
	if err != nil {
		return nil, err
	}
	named := common.HexToAddress(c.Chain.Commitments)
	addrs := pointers.Addresses{ChainID: c.Chain.ChainID, Commitments: named, DeployBlock: c.Chain.DeployBlock}
	registries := RegistriesOfClaim
	if contractsFile != "" {
		b, err := os.ReadFile(contractsFile)
		if err != nil {
			return nil, fmt.Errorf("%w: contracts file: %w", node.ErrBadInput, err)
		}
		if addrs, err = pointers.ParseAddresses(b); err != nil {
			return nil, fmt.Errorf("%w: contracts file %s: %w", node.ErrBadInput, contractsFile, err)
		}
		if addrs.Commitments != named || addrs.ChainID != c.Chain.ChainID {
			return nil, fmt.Errorf("%w: the claim names commitments contract %s on chain %d, the consortium's is %s on chain %d",
				node.ErrIntegrity, named, c.Chain.ChainID, addrs.Commitments, addrs.ChainID)
		}
		registries = RegistriesPinned
	}
	chain, err := pointers.Dial(ctx, rpcURL, addrs, lg)
	if err != nil {
		return nil, err
	}
	defer chain.Close()
	chk, err := node.VerifyClaim(ctx, chain, c)
	if err != nil {
		return nil, err
	}
	return &ClaimVerification{ClaimCheck: *chk, Registries: registries}, nil
}
