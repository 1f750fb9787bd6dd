package pointers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
	"github.com/vaultnode/vaultnode/pointers/bindings"
)

// Addresses are the deployed registry contracts of one chain.
type Addresses struct {
	ChainID      uint64         `json:"chainId"`
	Genesis      common.Hash    `json:"genesis"`
	Consortium   common.Address `json:"consortium"`
	Commitments  common.Address `json:"commitments"`
	Grants       common.Address `json:"grants"`
	Erasures     common.Address `json:"erasures"`
	AuditAnchors common.Address `json:"auditAnchors"`
	// Claims records zero-knowledge claims its verifier accepted (absent from deployments made before
	// claims existed).
	Claims common.Address `json:"claims,omitempty"`
	// Lifecycle is the device lifecycle registry (absent from deployments made before it existed).
	Lifecycle common.Address `json:"lifecycle,omitempty"`
	// DeployBlock is the block of the first deployment transaction (event lookups start there).
	DeployBlock uint64 `json:"deployBlock"`
}

const contractsFile = "contracts.json"

// ParseAddresses decodes and validates a contracts.json document.
func ParseAddresses(b []byte) (Addresses, error) {
	var a Addresses
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return Addresses{}, fmt.Errorf("pointers: contracts config: %w: %v", ErrBadInput, err)
	}
	if dec.More() {
		return Addresses{}, fmt.Errorf("pointers: contracts config: %w: trailing data", ErrBadInput)
	}
	if a.ChainID == 0 {
		return Addresses{}, fmt.Errorf("pointers: contracts config: %w: chainId missing", ErrBadInput)
	}
	for name, addr := range map[string]common.Address{"consortium": a.Consortium, "commitments": a.Commitments, "grants": a.Grants, "erasures": a.Erasures, "auditAnchors": a.AuditAnchors} {
		if addr == (common.Address{}) {
			return Addresses{}, fmt.Errorf("pointers: contracts config: %w: %s address missing", ErrBadInput, name)
		}
	}
	return a, nil
}

func writeAddresses(dir string, a Addresses) error {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, contractsFile), append(b, '\n'), 0o600)
}

// loadAddresses reads contracts.json if the repo has one (it then knows its chain: the chain id and
// genesis every endpoint must match) and reports whether it did.
func (c *Client) loadAddresses() (bool, error) {
	b, err := os.ReadFile(filepath.Join(c.cfg.ChainDir, contractsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("pointers: read %s: %w", contractsFile, err)
	}
	a, err := ParseAddresses(b)
	if err != nil {
		return false, err
	}
	c.addrs = a
	c.chainID = new(big.Int).SetUint64(a.ChainID)
	if c.fo != nil {
		c.fo.setExpected(a.ChainID, a.Genesis)
	}
	return true, nil
}

// loadOrDeploy checks the chain against contracts.json, or adopts cfg.Contracts, or deploys the
// contracts, then checks the consortium contract is there.
func (c *Client) loadOrDeploy(ctx context.Context, id *big.Int) error {
	genesis, err := c.blockHash(ctx, 0)
	if err != nil {
		return fmt.Errorf("pointers: genesis: %w", err)
	}
	if c.addrs.ChainID != 0 {
		if c.addrs.ChainID != id.Uint64() || (c.addrs.Genesis != common.Hash{} && c.addrs.Genesis != genesis) {
			return fmt.Errorf("pointers: %s is for chain %d (genesis %s), connected to chain %s (genesis %s)",
				contractsFile, c.addrs.ChainID, c.addrs.Genesis, id, genesis)
		}
	} else {
		c.chainID = id
		if c.cfg.Contracts != nil {
			a := *c.cfg.Contracts
			a.ChainID, a.Genesis = id.Uint64(), genesis
			c.addrs = a
		} else {
			if err := c.deploy(ctx); err != nil {
				return err
			}
			c.addrs.ChainID, c.addrs.Genesis = id.Uint64(), genesis
		}
		if err := writeAddresses(c.cfg.ChainDir, c.addrs); err != nil {
			return fmt.Errorf("pointers: write %s: %w", contractsFile, err)
		}
		if c.fo != nil {
			c.fo.setExpected(c.addrs.ChainID, c.addrs.Genesis)
		}
	}
	code, err := c.eth.CodeAt(ctx, c.addrs.Consortium, nil)
	if err != nil {
		return fmt.Errorf("pointers: consortium code: %w", err)
	}
	if len(code) == 0 {
		return fmt.Errorf("pointers: no consortium contract at %s on chain %s", c.addrs.Consortium, id)
	}
	return nil
}

func (c *Client) deploy(ctx context.Context) error {
	// A fresh account on an external chain has nothing to pay gas with; say
	// so, naming the account, rather than letting the first deployment fail
	// with the node's "insufficient funds".
	bal, err := c.eth.BalanceAt(ctx, c.from, nil)
	if err != nil {
		return fmt.Errorf("pointers: balance of %s: %w", c.from, err)
	}
	if bal.Sign() == 0 {
		return fmt.Errorf("pointers: deploy the contracts from account %s on chain %s: %w", c.from, c.chainID, ErrUnfunded)
	}
	deployOne := func(name string, bin string, args []byte) (common.Address, uint64, error) {
		data := append(common.FromHex(bin), args...)
		r, err := c.send(ctx, "deploy "+name, nil, data, nil)
		if err != nil {
			return common.Address{}, 0, err
		}
		rc, err := c.eth.TransactionReceipt(ctx, r.TxHash)
		if err != nil {
			return common.Address{}, 0, fmt.Errorf("pointers: deploy %s: %w", name, err)
		}
		return rc.ContractAddress, r.Block, nil
	}
	var first uint64
	if c.addrs.Consortium, first, err = deployOne("Consortium", bindings.ConsortiumMetaData.Bin, c.consortium.PackConstructor(c.cfg.PeerID, c.cfg.ProxyKey)); err != nil {
		return err
	}
	c.addrs.DeployBlock = first
	if c.addrs.Commitments, _, err = deployOne("Commitments", bindings.CommitmentsMetaData.Bin, c.commitments.PackConstructor(c.addrs.Consortium)); err != nil {
		return err
	}
	if c.addrs.Grants, _, err = deployOne("Grants", bindings.GrantsMetaData.Bin, c.grants.PackConstructor(c.addrs.Consortium)); err != nil {
		return err
	}
	if c.addrs.Erasures, _, err = deployOne("Erasures", bindings.ErasuresMetaData.Bin, c.erasures.PackConstructor(c.addrs.Consortium)); err != nil {
		return err
	}
	if c.addrs.AuditAnchors, _, err = deployOne("AuditAnchors", bindings.AuditAnchorsMetaData.Bin, c.anchors.PackConstructor(c.addrs.Consortium)); err != nil {
		return err
	}
	verifier, _, err := deployOne("ZKClaimExceedsVerifier", bindings.ZKClaimExceedsVerifierMetaData.Bin, nil)
	if err != nil {
		return err
	}
	if c.addrs.Claims, _, err = deployOne("Claims", bindings.ClaimsMetaData.Bin, c.claims.PackConstructor(verifier)); err != nil {
		return err
	}
	if c.addrs.Lifecycle, _, err = deployOne("Lifecycle", bindings.LifecycleMetaData.Bin, c.lifecycle.PackConstructor(c.addrs.Consortium)); err != nil {
		return err
	}
	c.log.Info("contracts deployed", "consortium", c.addrs.Consortium, "commitments", c.addrs.Commitments,
		"grants", c.addrs.Grants, "erasures", c.addrs.Erasures, "auditAnchors", c.addrs.AuditAnchors, "claims", c.addrs.Claims, "lifecycle", c.addrs.Lifecycle)
	return nil
}
