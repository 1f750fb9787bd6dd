package pointers

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// EventKind names a registry change.
type EventKind string

// Event kinds delivered by WatchEvents.
const (
	EventGrantRecorded    EventKind = "grant-recorded"
	EventGrantRevoked     EventKind = "grant-revoked"
	EventErased           EventKind = "erased"
	EventRefused          EventKind = "erasure-refused"
	EventMemberAdded      EventKind = "member-added"
	EventMemberUpdated    EventKind = "member-updated"
	EventMemberRemoved    EventKind = "member-removed"
	EventDeviceRegistered EventKind = "device-registered"
	EventDeviceRevoked    EventKind = "device-revoked"
)

// Event is one registry change. Fields not relevant to the kind are zero.
type Event struct {
	Kind    EventKind
	Block   uint64
	TxHash  common.Hash
	GrantID [32]byte       // grant-*
	Subject [32]byte       // erased, erasure-refused
	Request [32]byte       // erased, erasure-refused: request-ref hash
	Ground  uint16         // erasure-refused: legal ground code
	Member  common.Address // member-*
	Device  [32]byte       // device-*: id hash
	By      common.Address // the member that made the change
}

// WatchOptions configures WatchEvents.
type WatchOptions struct {
	// FromBlock is the first block to report (default: the current head + 1, i.e. only new events).
	FromBlock *uint64
	// Confirmations: an event is delivered once its block is this many blocks below the head (0: as
	// soon as it is mined).
	Confirmations uint64
	// Kinds filters the kinds delivered (default all).
	Kinds []EventKind
	// Poll is the head polling interval (default the client's PollInterval).
	Poll time.Duration
}

// WatchEvents delivers registry changes in chain order on the returned channel, which is closed when ctx
// ends or the client closes. Errors reading the chain are logged and retried. The goroutine is owned by
// the caller's ctx and the client.
func (c *Client) WatchEvents(ctx context.Context, opts WatchOptions) (<-chan Event, error) {
	head, err := c.eth.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("pointers: watch: head: %w", err)
	}
	next := head + 1
	if opts.FromBlock != nil {
		next = *opts.FromBlock
	}
	poll := opts.Poll
	if poll <= 0 {
		poll = c.cfg.PollInterval
		if poll < 50*time.Millisecond {
			poll = 50 * time.Millisecond
		}
	}
	want := map[EventKind]bool{}
	for _, k := range opts.Kinds {
		want[k] = true
	}
	out := make(chan Event, 64)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(out)
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			head, err := c.eth.BlockNumber(ctx)
			if err == nil && head >= opts.Confirmations && head-opts.Confirmations >= next {
				upto := head - opts.Confirmations
				evs, err := c.events(ctx, next, upto)
				if err != nil {
					if ctx.Err() == nil {
						c.log.Warn("watch: reading events", "from", next, "to", upto, "err", err)
					}
				} else {
					for _, e := range evs {
						if len(want) > 0 && !want[e.Kind] {
							continue
						}
						select {
						case out <- e:
						case <-ctx.Done():
							return
						case <-c.closed:
							return
						}
					}
					next = upto + 1
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-c.closed:
				return
			case <-t.C:
			}
		}
	}()
	return out, nil
}

// events decodes the registry's change events in blocks [from, to].
func (c *Client) events(ctx context.Context, from, to uint64) ([]Event, error) {
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{
		FromBlock: bigU(from), ToBlock: bigU(to),
		Addresses: []common.Address{c.addrs.Consortium, c.addrs.Grants, c.addrs.Erasures},
	})
	if err != nil {
		return nil, err
	}
	var out []Event
	for i := range logs {
		l := &logs[i]
		if l.Removed || len(l.Topics) == 0 {
			continue
		}
		e, ok, err := c.decodeEvent(l)
		if err != nil {
			return nil, fmt.Errorf("decode log %s/%d: %w", l.TxHash, l.Index, err)
		}
		if ok {
			e.Block, e.TxHash = l.BlockNumber, l.TxHash
			out = append(out, e)
		}
	}
	return out, nil
}

func (c *Client) decodeEvent(l *types.Log) (Event, bool, error) {
	id := l.Topics[0]
	ca, ga, ea := c.consortium.GetABI(), c.grants.GetABI(), c.erasures.GetABI()
	switch {
	case l.Address == c.addrs.Grants && id == ga.Events["GrantRecorded"].ID:
		v, err := c.grants.UnpackGrantRecordedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventGrantRecorded, GrantID: v.Id, By: v.By}, true, nil
	case l.Address == c.addrs.Grants && id == ga.Events["GrantRevoked"].ID:
		v, err := c.grants.UnpackGrantRevokedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventGrantRevoked, GrantID: v.Id, By: v.By}, true, nil
	case l.Address == c.addrs.Erasures && id == ea.Events["Erased"].ID:
		v, err := c.erasures.UnpackErasedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventErased, Subject: v.SubjectTag, Request: v.RequestRefHash, By: v.Dpo}, true, nil
	case l.Address == c.addrs.Erasures && id == ea.Events["Refused"].ID:
		v, err := c.erasures.UnpackRefusedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventRefused, Subject: v.SubjectTag, Request: v.RequestRefHash, Ground: v.LegalGround, By: v.Dpo}, true, nil
	case l.Address == c.addrs.Consortium && id == ca.Events["MemberAdded"].ID:
		v, err := c.consortium.UnpackMemberAddedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventMemberAdded, Member: v.Member, By: v.By}, true, nil
	case l.Address == c.addrs.Consortium && id == ca.Events["MemberUpdated"].ID:
		v, err := c.consortium.UnpackMemberUpdatedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventMemberUpdated, Member: v.Member, By: v.Member}, true, nil
	case l.Address == c.addrs.Consortium && id == ca.Events["MemberRemoved"].ID:
		v, err := c.consortium.UnpackMemberRemovedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventMemberRemoved, Member: v.Member, By: v.By}, true, nil
	case l.Address == c.addrs.Consortium && id == ca.Events["DeviceRegistered"].ID:
		v, err := c.consortium.UnpackDeviceRegisteredEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventDeviceRegistered, Device: v.IdHash, By: v.Owner}, true, nil
	case l.Address == c.addrs.Consortium && id == ca.Events["DeviceRevoked"].ID:
		v, err := c.consortium.UnpackDeviceRevokedEvent(l)
		if err != nil {
			return Event{}, false, err
		}
		return Event{Kind: EventDeviceRevoked, Device: v.IdHash, By: v.By}, true, nil
	}
	return Event{}, false, nil
}
