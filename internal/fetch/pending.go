package fetch

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/pointers"
)

// DefaultPendingWait is how long a fetch waits, by default, for batches the
// serving node acknowledged but has not committed on-chain yet (one
// chain.commitInterval of 5 s, twice).
const DefaultPendingWait = 10 * time.Second

// ReadingRef is where a fetched reading was stored: its batch and its index
// in the batch (ObservationID names it in FHIR).
type ReadingRef struct {
	Root  cid.Cid
	Index int
}

// pendingSource is a FetchSource that knows the batches of a stream it
// acknowledged (the stream's custodian): it counts those the chain's
// commitments do not list yet. known is false when it holds no batch of the
// stream (it is not the custodian and cannot tell).
type pendingSource interface {
	PendingBatches(ctx context.Context, tag [32]byte, committed []pointers.Commitment) (n int, known bool, err error)
}

// awaitCommitted waits (up to wait, default DefaultPendingWait, negative:
// not at all) for the batches the source acknowledged but the chain does
// not list yet, re-reading the commitments; what is still missing then is
// reported in res (Pending, PendingReason), never left out silently.
func awaitCommitted(ctx context.Context, src FetchSource, t Ticket, custodian common.Address, cs []pointers.Commitment, wait time.Duration, res *FetchResult) ([]pointers.Commitment, error) {
	tag := t.StreamTag
	ps, ok := src.(pendingSource)
	if !ok {
		return cs, nil
	}
	n, known, err := ps.PendingBatches(ctx, tag, cs)
	if err != nil || !known || n == 0 {
		return cs, err
	}
	if wait == 0 {
		wait = DefaultPendingWait
	}
	start := time.Now()
	for n > 0 && time.Since(start) < wait {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		if cs, err = src.Commitments(ctx, t.ChainSecret, custodian); err != nil {
			return nil, err
		}
		if n, _, err = ps.PendingBatches(ctx, tag, cs); err != nil {
			return nil, err
		}
	}
	if n > 0 {
		res.Pending = n
		res.PendingReason = fmt.Sprintf("%d batch(es) acknowledged by this stream's custodian are not committed on-chain yet, so not fetched "+
			"(commitments are sent every chain.commitInterval; waited %s): fetch again later", n, max(wait, 0).Round(time.Millisecond))
	}
	return cs, nil
}
