package pointers

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// ErrClaimRefused: the chain's claim verifier refused a claim's proof (ProofInvalid).
var ErrClaimRefused = errors.New("pointers: claim proof refused by the on-chain verifier")

// ErrNoClaimsContract: the deployment has no Claims contract (deployed before claims existed).
var ErrNoClaimsContract = errors.New("pointers: this deployment has no Claims contract")

// ExceedsCall is an exceeds claim as the on-chain verifier takes it: the eight proof words and the five
// public inputs (claim root, From, To, Threshold, Below).
type ExceedsCall struct {
	Proof [8]*big.Int
	Input [5]*big.Int
}

// ClaimRecord is a claim the Claims contract verified and recorded.
type ClaimRecord struct {
	StatementHash [32]byte // keccak256 of the ABI-encoded public inputs
	ClaimRoot     [32]byte
	By            common.Address // who asked the chain to verify it
	Input         [5]*big.Int
	Block         uint64
	TxHash        common.Hash
}

func (c *Client) claimsAddress() (common.Address, error) {
	if c.addrs.Claims == (common.Address{}) {
		return common.Address{}, ErrNoClaimsContract
	}
	return c.addrs.Claims, nil
}

// CheckExceedsClaim runs the chain's verifier on a claim without recording it (a call, no transaction: any
// account, funded or not, can check). nil means the chain's verifier accepts the proof.
func (c *Client) CheckExceedsClaim(ctx context.Context, x ExceedsCall) error {
	to, err := c.claimsAddress()
	if err != nil {
		return err
	}
	_, err = c.call(ctx, "check claim", to, c.claims.PackRecordExceeds(x.Proof, x.Input))
	return err
}

// RecordExceedsClaim asks the chain to verify a claim and record it (ClaimVerified event); a proof the
// verifier refuses reverts with ErrClaimRefused and records nothing.
func (c *Client) RecordExceedsClaim(ctx context.Context, x ExceedsCall) (Receipt, error) {
	to, err := c.claimsAddress()
	if err != nil {
		return Receipt{}, err
	}
	return c.send(ctx, "record claim", &to, c.claims.PackRecordExceeds(x.Proof, x.Input), nil)
}

// ClaimRecords lists the recorded claims about a claim root, in chain order.
func (c *Client) ClaimRecords(ctx context.Context, claimRoot [32]byte) ([]ClaimRecord, error) {
	to, err := c.claimsAddress()
	if err != nil {
		return nil, err
	}
	ev := c.claims.GetABI().Events["ClaimVerified"]
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), Addresses: []common.Address{to},
		Topics: [][]common.Hash{{ev.ID}, nil, {common.Hash(claimRoot)}}})
	if err != nil {
		return nil, fmt.Errorf("pointers: filter claim records: %w", err)
	}
	var out []ClaimRecord
	for i := range logs {
		if logs[i].Removed {
			continue
		}
		e, err := c.claims.UnpackClaimVerifiedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("pointers: decode claim record: %w", err)
		}
		out = append(out, ClaimRecord{StatementHash: e.StatementHash, ClaimRoot: e.ClaimRoot, By: e.By, Input: e.Input,
			Block: logs[i].BlockNumber, TxHash: logs[i].TxHash})
	}
	return out, nil
}
