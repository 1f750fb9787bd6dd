package pointers

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// alreadyApplied are contract errors that, when a journaled write is replayed, mean its effect is
// already on chain.
var alreadyApplied = []error{ErrGrantExists, ErrGrantRevoked, ErrAlreadyErased, ErrAlreadyRefused, ErrDeviceExists, ErrDeviceRevoked, ErrMemberExists}

func isAlreadyApplied(err error) bool {
	for _, a := range alreadyApplied {
		if errors.Is(err, a) {
			return true
		}
	}
	return false
}

// reconcile replays the journal against the chain at Open: every write whose block is no longer
// canonical, or that never got its done record, is checked against the chain and re-submitted when its
// effect is missing. Commitments go back to the committer, which drops those the chain already holds.
func (c *Client) reconcile(ctx context.Context) error {
	entries := c.journal.snapshot()
	canonical := map[uint64]common.Hash{}
	isCanonical := func(d *jdone) (bool, error) {
		h, ok := canonical[d.block]
		if !ok {
			hash, err := c.blockHash(ctx, d.block)
			if errors.Is(err, ethereum.NotFound) {
				canonical[d.block] = common.Hash{}
				return false, nil
			}
			if err != nil {
				return false, fmt.Errorf("pointers: reconcile: header %d: %w", d.block, err)
			}
			h = hash
			canonical[d.block] = h
		}
		return h == d.blockHash, nil
	}
	// On a stalled chain nothing is resent here (it would wait for a block
	// that does not come, and hold up the node's start): the committer's
	// retry sends the writes once blocks resume.
	live := c.CheckLive(ctx) == nil
	var requeue []Commitment
	var lostBlocks, resubmitted, applied, abandoned, deferred int
	for i := range entries {
		e := &entries[i]
		if e.abandoned {
			continue
		}
		if e.done != nil {
			ok, err := isCanonical(e.done)
			if err != nil {
				return err
			}
			if ok {
				continue
			}
			lostBlocks++
		}
		if !e.isOp {
			requeue = append(requeue, e.commit)
			continue
		}
		if !live {
			deferred++
			continue
		}
		res, err := c.replayOp(ctx, e.op)
		if err != nil {
			return err
		}
		switch res {
		case opResubmitted:
			resubmitted++
		case opApplied:
			applied++
		case opAbandoned:
			abandoned++
		}
	}
	if len(requeue) > 0 {
		c.committer.requeue(requeue)
		select {
		case c.committer.flush <- struct{}{}:
		default:
		}
	}
	if lostBlocks+resubmitted+applied+abandoned+deferred+len(requeue) > 0 {
		c.log.Warn("journal reconciled with chain", "lost_writes", lostBlocks, "resubmitted_ops", resubmitted,
			"ops_already_on_chain", applied, "ops_rejected", abandoned, "ops_deferred_chain_stalled", deferred, "requeued_commitments", len(requeue))
	}
	head, err := c.eth.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("pointers: reconcile: head: %w", err)
	}
	// Compact only what is settled (pending commitments stay until the committer finishes them).
	return c.journal.compact(head, c.cfg.JournalRetainBlocks)
}

type replayResult int

const (
	opResubmitted replayResult = iota
	opApplied
	opAbandoned
)

// replayOp re-runs a journaled write whose effect may be missing.
func (c *Client) replayOp(ctx context.Context, o jop) (replayResult, error) {
	to := o.to
	_, err := c.eth.CallContract(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: o.data}, nil)
	if err == nil {
		_, serr := c.submitOp(ctx, o)
		if serr == nil {
			return opResubmitted, nil
		}
		// The first transaction may have been in a validator's mempool when
		// this node stopped and landed between the check and the re-submission
		// (seen on the BFT chain: the re-sent anchor reverted with AnchorGap).
		if !c.opApplied(ctx, o, serr) {
			return 0, fmt.Errorf("pointers: reconcile: re-submit %s: %w", o.name, serr)
		}
		return opApplied, c.markAppliedAtGenesis(ctx, o)
	}
	werr := c.wrapRevert(o.name, err)
	if revertData(err) == nil {
		return 0, fmt.Errorf("pointers: reconcile: %w", werr) // transport error: try again next start
	}
	if c.opApplied(ctx, o, werr) {
		return opApplied, c.markAppliedAtGenesis(ctx, o)
	}
	c.log.Error("journaled chain write rejected on replay; dropping it", "op", o.name, "err", werr)
	return opAbandoned, c.journal.append(&jrecord{kind: recAbandon, ops: []opID{o.id}})
}

// opApplied tells whether err, the chain's refusal of journaled write o, means that o's effect is
// already on chain.
func (c *Client) opApplied(ctx context.Context, o jop, err error) bool {
	if errors.Is(err, ErrAnchorGap) {
		return c.anchorApplied(ctx, o.data)
	}
	return isAlreadyApplied(err)
}

// markAppliedAtGenesis records o as done: its effect is on chain but the carrying block is unknown, so
// the done record names genesis (always canonical).
func (c *Client) markAppliedAtGenesis(ctx context.Context, o jop) error {
	genesis, err := c.blockHash(ctx, 0)
	if err != nil {
		return fmt.Errorf("pointers: reconcile: genesis: %w", err)
	}
	return c.journal.append(&jrecord{kind: recDone, done: jdone{block: 0, blockHash: genesis}, ops: []opID{o.id}})
}

// anchorApplied tells whether an anchor call's exact range and root are on chain.
func (c *Client) anchorApplied(ctx context.Context, data []byte) bool {
	m, ok := c.anchors.GetABI().Methods["anchor"]
	if !ok || len(data) < 4 {
		return false
	}
	args, err := m.Inputs.Unpack(data[4:])
	if err != nil || len(args) != 4 {
		return false
	}
	logID, _ := args[0].([32]byte)
	from, _ := args[1].(uint64)
	to, _ := args[2].(uint64)
	root, _ := args[3].([32]byte)
	a, err := c.LookupAnchor(ctx, logID, from)
	return err == nil && a.From == from && a.To == to && a.Root == root
}
