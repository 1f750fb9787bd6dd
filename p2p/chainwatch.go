package p2p

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/pointers"
)

// ChainView is what a peer watches on the chain. *pointers.Client
// implements it.
type ChainView interface {
	GrantLedger
	Members(ctx context.Context) ([]pointers.Member, error)
	WatchEvents(ctx context.Context, opts pointers.WatchOptions) (<-chan pointers.Event, error)
}

// SyncMembers makes set hold exactly the active members recorded on-chain.
// A member whose recorded peer id does not parse is skipped and logged.
func SyncMembers(ctx context.Context, chain ChainView, set *MemberSet, log *slog.Logger) error {
	ms, err := chain.Members(ctx)
	if err != nil {
		return fmt.Errorf("p2p: read members: %w", err)
	}
	var ids []peer.ID
	for _, m := range ms {
		if !m.Active {
			continue
		}
		id, err := peer.IDFromBytes(m.PeerID)
		if err != nil {
			if log != nil {
				log.Warn("member has an invalid peer id on chain", "account", m.Account.Hex(), "err", err)
			}
			continue
		}
		ids = append(ids, id)
	}
	set.Replace(ids)
	return nil
}

// GrantLister lists the grants a proxy holds kfrags for. *keys.Keystore
// implements it.
type GrantLister interface {
	KFragGrants(ctx context.Context) ([][32]byte, error)
}

// SweepKFrags deletes every kfrag whose grant is unknown, revoked or expired
// on-chain at now, and returns how many were deleted. Run at start (to catch
// what happened while the node was down) and periodically (expiry emits no
// event).
func (p *Proxy) SweepKFrags(ctx context.Context, held GrantLister) (int, error) {
	grants, err := held.KFragGrants(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range grants {
		_, err := p.cfg.Ledger.CheckGrant(ctx, g, p.cfg.Now())
		switch {
		case err == nil, errors.Is(err, pointers.ErrGrantNotYetValid):
			continue
		case errors.Is(err, pointers.ErrGrantRevoked), errors.Is(err, pointers.ErrGrantExpired), errors.Is(err, pointers.ErrUnknownGrant):
			if ok, err := p.Forget(ctx, g); err != nil {
				return n, err
			} else if ok {
				n++
			}
		default:
			return n, fmt.Errorf("p2p: sweep kfrags: %w", err)
		}
	}
	return n, nil
}

// WatchChain keeps the member set and the proxy's kfrags in step with the
// chain until ctx ends: member changes refresh the set (non-members are
// disconnected), a revocation deletes the grant's kfrag at once, and every
// sweepEvery the proxy sweeps expired grants. proxy and held may be nil on a
// node that is not a proxy. It returns ctx's error.
func WatchChain(ctx context.Context, chain ChainView, set *MemberSet, proxy *Proxy, held GrantLister, sweepEvery time.Duration, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "chain-watch")
	if sweepEvery <= 0 {
		sweepEvery = time.Minute
	}
	events, err := chain.WatchEvents(ctx, pointers.WatchOptions{Kinds: []pointers.EventKind{
		pointers.EventMemberAdded, pointers.EventMemberUpdated, pointers.EventMemberRemoved, pointers.EventGrantRevoked}})
	if err != nil {
		return fmt.Errorf("p2p: watch chain: %w", err)
	}
	// Catch up after the subscription starts, so nothing falls in between.
	if err := SyncMembers(ctx, chain, set, log); err != nil {
		log.Warn("initial member sync failed", "err", err)
	}
	sweep := func() {
		if proxy == nil || held == nil {
			return
		}
		if n, err := proxy.SweepKFrags(ctx, held); err != nil {
			log.Warn("kfrag sweep failed", "err", err)
		} else if n > 0 {
			log.Info("deleted kfrags of dead grants", "count", n)
		}
	}
	sweep()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			sweep()
		case ev, ok := <-events:
			if !ok {
				return ctx.Err()
			}
			switch ev.Kind {
			case pointers.EventMemberAdded, pointers.EventMemberUpdated, pointers.EventMemberRemoved:
				if err := SyncMembers(ctx, chain, set, log); err != nil {
					log.Warn("member sync failed", "err", err)
				}
			case pointers.EventGrantRevoked:
				if proxy != nil {
					if ok, err := proxy.Forget(ctx, ev.GrantID); err != nil {
						log.Error("delete kfrag of revoked grant", "grant", fmt.Sprintf("%x", ev.GrantID[:8]), "err", err)
					} else if ok {
						log.Info("deleted kfrag of revoked grant", "grant", fmt.Sprintf("%x", ev.GrantID[:8]), "block", ev.Block)
					}
				}
			}
		}
	}
}
