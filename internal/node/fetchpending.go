package node

import (
	"context"
	"errors"

	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// PendingOfStream is PendingBatches for a stream of this node's patients
// named by its tag, against the stream's commitments on chain; a stream
// this node does not hold is not known.
func (n *Node) PendingOfStream(ctx context.Context, tag [32]byte) (int, bool, error) {
	local, err := n.LocalBatches(ctx, keys.Tag(tag))
	if err != nil || len(local) == 0 {
		return 0, false, err
	}
	p, name, err := n.streamOfTag(ctx, keys.Tag(tag))
	if errors.Is(err, ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	st, err := n.Keys.Stream(ctx, p, name)
	if err != nil {
		return 0, false, err
	}
	cs, err := n.Commitments(ctx, pointers.StreamSecret(st.ChainSecret), n.Chain.Account())
	if err != nil {
		return 0, false, err
	}
	return uncommitted(local, cs), true, nil
}

// PendingBatches counts the batches of stream tag this node sealed and
// acknowledged whose commitments are not among committed (they are in the
// commitment journal, sent every chain.commitInterval).
func (n *Node) PendingBatches(ctx context.Context, tag [32]byte, committed []pointers.Commitment) (int, bool, error) {
	local, err := n.LocalBatches(ctx, keys.Tag(tag))
	if err != nil {
		return 0, false, err
	}
	if len(local) == 0 {
		return 0, false, nil
	}
	return uncommitted(local, committed), true, nil
}

// uncommitted counts the roots in local that no commitment of committed names.
func uncommitted(local []cid.Cid, committed []pointers.Commitment) int {
	on := map[string]bool{}
	for _, c := range committed {
		on[string(c.RootCID)] = true
	}
	k := 0
	for _, r := range local {
		if !on[string(r.Bytes())] {
			k++
		}
	}
	return k
}

func (s localSource) PendingBatches(ctx context.Context, tag [32]byte, committed []pointers.Commitment) (int, bool, error) {
	return s.n.PendingBatches(ctx, tag, committed)
}
