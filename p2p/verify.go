package p2p

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"

	"github.com/vaultnode/vaultnode/store"
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
	trusted   bool // the wrapped store verifies on read
}

// NewVerifyingBlockstore wraps bs.
func NewVerifyingBlockstore(bs blockstore.Blockstore, log *slog.Logger) *VerifyingBlockstore {
	v := &VerifyingBlockstore{Blockstore: bs, log: log}
	if vr, ok := bs.(interface{ VerifiesOnRead() bool }); ok {
		v.trusted = vr.VerifiesOnRead()
	}
	return v
}

// Get returns the block only if its bytes hash to its CID.
func (v *VerifyingBlockstore) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	b, err := v.Blockstore.Get(ctx, c)
	var ie *store.IntegrityError
	if errors.As(err, &ie) {
		return nil, v.corrupted(c)
	}
	if err != nil {
		return nil, err
	}
	if v.trusted {
		return b, nil // the store hashed it already
	}
	got, err := c.Prefix().Sum(b.RawData())
	if err != nil {
		return nil, fmt.Errorf("p2p: rehash %s: %w", c, err)
	}
	if !got.Equals(c) {
		return nil, v.corrupted(c)
	}
	return b, nil
}

func (v *VerifyingBlockstore) corrupted(c cid.Cid) error {
	v.corrupt.Add(1)
	v.log.Error("corrupted block in local store: not served", "cid", c.String())
	if v.OnCorrupt != nil {
		v.OnCorrupt(c)
	}
	return format.ErrNotFound{Cid: c}
}

// Has is the wrapped store's (cheap) Has: a corrupted block may be
// advertised, but Get never returns it, so bitswap answers DONT_HAVE for it
// and the asker turns to another member.
