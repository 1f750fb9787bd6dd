package p2p

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"
)

// VerifyingBlockstore re-hashes every block it reads and treats a block whose
// bytes no longer match its CID as missing, so a peer never serves a
// corrupted block as valid: bitswap tells the asker it does not have it, and
// the asker gets it from another member. Corruption is logged and counted,
// and reported to OnCorrupt for repair.
type VerifyingBlockstore struct {
	blockstore.Blockstore
	log     *slog.Logger
	corrupt atomic.Uint64
	// OnCorrupt, when set, is called with the CID of a corrupted block.
	OnCorrupt func(cid.Cid)
}

// NewVerifyingBlockstore wraps bs.
func NewVerifyingBlockstore(bs blockstore.Blockstore, log *slog.Logger) *VerifyingBlockstore {
	return &VerifyingBlockstore{Blockstore: bs, log: log}
}

// Get returns the block only if its bytes hash to its CID.
func (v *VerifyingBlockstore) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	b, err := v.Blockstore.Get(ctx, c)
	if err != nil {
		return nil, err
	}
	got, err := c.Prefix().Sum(b.RawData())
	if err != nil {
		return nil, fmt.Errorf("p2p: rehash %s: %w", c, err)
	}
	if !got.Equals(c) {
		v.corrupt.Add(1)
		v.log.Error("corrupted block in local store: not served", "cid", c.String())
		if v.OnCorrupt != nil {
			v.OnCorrupt(c)
		}
		return nil, format.ErrNotFound{Cid: c}
	}
	return b, nil
}

// Has is the wrapped store's (cheap) Has: a corrupted block may be
// advertised, but Get never returns it, so bitswap answers DONT_HAVE for it
// and the asker turns to another member.
