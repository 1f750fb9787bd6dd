package pointers

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// The release cache keeps the firmware releases ingest checks every batch against, in memory, and keeps
// it true with the registry's own events: every read first asks the chain for its head, and when the head
// has moved, the ReleasePublished and ReleaseStatusChanged logs since the last look evict the releases
// they name. So a recall is seen by the first read after the block that records it, and a release that
// did not change costs one eth_blockNumber instead of an eth_call. While the chain cannot be reached, a
// release confirmed at most Config.DeviceMaxStale ago is answered from the cache (the bound devices have):
// a recall recorded on a chain nobody can reach is not knowable anyway, and readings are not all flagged
// "unverified" for the length of an outage.
type releaseCache struct {
	mu      sync.Mutex
	asOf    uint64 // the registry's events are applied up to this block
	gen     uint64 // bumped by every eviction: a read that raced one is not stored
	entries map[[32]byte]cachedRelease
	reads   int // eth_calls made for misses (tests)
}

// maxCachedReleases bounds the release cache.
const maxCachedReleases = 4096

type cachedRelease struct {
	rel      Release
	unknown  bool // the registry had no such release (published later: evicted by its event)
	unsigned bool // its signature does not verify with its manufacturer's release key
	checked  time.Time
}

// CachedRelease is ReleaseOf through the release cache (ErrUnknownRelease for none), with the release's
// signature checked once (ErrReleaseSignature, with the release, when it does not verify).
func (c *Client) CachedRelease(ctx context.Context, id [32]byte) (Release, error) {
	rc := &c.releases
	head, err := c.BlockNumber(ctx)
	if err != nil {
		if IsUnavailable(err) {
			rc.mu.Lock()
			e, ok := rc.entries[id]
			rc.mu.Unlock()
			if ok && time.Since(e.checked) <= c.cfg.DeviceMaxStale {
				return e.answer()
			}
		}
		return Release{}, err
	}
	if err := c.applyReleaseEvents(ctx, head); err != nil {
		return Release{}, err
	}
	rc.mu.Lock()
	cached, ok := rc.entries[id]
	gen := rc.gen
	if ok {
		rc.mu.Unlock()
		return cached.answer()
	}
	rc.reads++
	rc.mu.Unlock()
	rel, err := c.ReleaseOf(ctx, id)
	if err != nil && !errors.Is(err, ErrUnknownRelease) {
		return Release{}, err
	}
	e := cachedRelease{rel: rel, unknown: err != nil, checked: time.Now()}
	if !e.unknown {
		switch verr := c.VerifyRelease(ctx, id); {
		case errors.Is(verr, ErrReleaseSignature):
			e.unsigned = true
		case verr != nil:
			return Release{}, verr
		}
	}
	rc.mu.Lock()
	if rc.gen == gen {
		// Bounded: a device may declare any version it likes, and each unknown one is an entry. A full cache
		// starts over; the cost is one contract call per release still in use.
		if rc.entries == nil || len(rc.entries) >= maxCachedReleases {
			rc.entries = map[[32]byte]cachedRelease{}
		}
		rc.entries[id] = e
	}
	rc.mu.Unlock()
	return e.answer()
}

func (e cachedRelease) answer() (Release, error) {
	switch {
	case e.unknown:
		return Release{}, fmt.Errorf("pointers: get release: %w", ErrUnknownRelease)
	case e.unsigned:
		return e.rel, fmt.Errorf("pointers: release of model %014d: %w", e.rel.GTIN, ErrReleaseSignature)
	}
	return e.rel, nil
}

// applyReleaseEvents evicts the releases the registry's events name between the cache's last look and head.
func (c *Client) applyReleaseEvents(ctx context.Context, head uint64) error {
	rc := &c.releases
	rc.mu.Lock()
	from := rc.asOf + 1
	if rc.asOf == 0 {
		from = c.addrs.DeployBlock
	}
	rc.mu.Unlock()
	if head < from {
		return nil
	}
	to, err := c.lifecycleAddress()
	if err != nil {
		return err
	}
	ab := c.lifecycle.GetABI()
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(from), ToBlock: bigU(head), Addresses: []common.Address{to},
		Topics: [][]common.Hash{{ab.Events["ReleasePublished"].ID, ab.Events["ReleaseStatusChanged"].ID}}})
	if err != nil {
		return fmt.Errorf("pointers: release events: %w", err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, l := range logs {
		if len(l.Topics) > 1 {
			delete(rc.entries, [32]byte(l.Topics[1]))
		}
	}
	if len(logs) > 0 {
		rc.gen++
	}
	rc.asOf = max(rc.asOf, head)
	return nil
}
