package pointers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// Dial opens a read-only client on JSON-RPC endpoints (one URL, or several separated by commas) for
// someone who runs no node: an auditor checking an erasure certificate. It holds no key, no journal
// and no repo; every write fails with ErrReadOnly. It refuses endpoints that serve another chain
// than addrs names (chain id, and genesis hash when addrs carries one).
func Dial(ctx context.Context, rpcURL string, addrs Addresses, lg *slog.Logger) (*Client, error) {
	if lg == nil {
		lg = slog.Default()
	}
	urls, err := SplitEndpoints(rpcURL)
	if err != nil {
		return nil, err
	}
	c := newClient(Config{RPCURL: rpcURL, LogPageBlocks: 5000}, lg)
	c.addrs = addrs
	c.cache = &statusCache{log: lg, devices: map[[32]byte]cachedDevice{}}
	c.fo = newFailover(urls, c.log)
	rc, err := rpc.DialOptions(ctx, urls[0], rpc.WithHTTPClient(&http.Client{Transport: c.fo}))
	if err != nil {
		return nil, fmt.Errorf("pointers: chain endpoint %s: %w", redactURL(urls[0]), err)
	}
	c.eth = ethclient.NewClient(rc)
	id, err := c.eth.ChainID(ctx)
	if err != nil {
		c.eth.Close()
		return nil, fmt.Errorf("pointers: chain id: %w", err)
	}
	genesis, err := c.blockHash(ctx, 0)
	if err != nil {
		c.eth.Close()
		return nil, fmt.Errorf("pointers: genesis: %w", err)
	}
	if addrs.ChainID != id.Uint64() || (addrs.Genesis != common.Hash{} && addrs.Genesis != genesis) {
		c.eth.Close()
		return nil, fmt.Errorf("pointers: %w: the contracts are on chain %d (genesis %s), the endpoint serves chain %s (genesis %s)",
			ErrWrongChain, addrs.ChainID, addrs.Genesis, id, genesis)
	}
	c.fo.setExpected(addrs.ChainID, genesis)
	c.chainID = id
	c.ready.Store(true)
	return c, nil
}

// MembersAt is the consortium's active members at the end of block n, replayed from the
// MemberAdded, MemberUpdated and MemberRemoved events (every state change of a member emits one), so
// it does not depend on the node keeping historical state. Each member carries the peer id and proxy
// key it had at that block.
func (c *Client) MembersAt(ctx context.Context, n uint64) ([]Member, error) {
	ab := c.consortium.GetABI()
	added, updated, removed := ab.Events["MemberAdded"], ab.Events["MemberUpdated"], ab.Events["MemberRemoved"]
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), ToBlock: bigU(n),
		Addresses: []common.Address{c.addrs.Consortium}, Topics: [][]common.Hash{{added.ID, updated.ID, removed.ID}}})
	if err != nil {
		return nil, fmt.Errorf("pointers: member events: %w", err)
	}
	state := map[common.Address]*Member{}
	var order []common.Address
	for _, l := range logs {
		if l.Removed || len(l.Topics) < 2 {
			continue
		}
		acct := common.BytesToAddress(l.Topics[1].Bytes())
		m := state[acct]
		if m == nil {
			m = &Member{Account: acct}
			state[acct] = m
			order = append(order, acct)
		}
		switch l.Topics[0] {
		case added.ID, updated.ID:
			ev := added
			if l.Topics[0] == updated.ID {
				ev = updated
			}
			vals, err := ev.Inputs.NonIndexed().Unpack(l.Data)
			if err != nil || len(vals) < 2 {
				return nil, fmt.Errorf("pointers: member event in block %d: %v", l.BlockNumber, err)
			}
			pid, ok1 := vals[0].([]byte)
			pk, ok2 := vals[1].([]byte)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("pointers: member event in block %d: unexpected fields", l.BlockNumber)
			}
			m.PeerID, m.ProxyKey = pid, pk
			if l.Topics[0] == added.ID {
				m.Active = true
			}
		case removed.ID:
			m.Active = false
		}
	}
	out := make([]Member, 0, len(order))
	for _, a := range order {
		if state[a].Active {
			out = append(out, *state[a])
		}
	}
	return out, nil
}

// RegistryConsortium is the Consortium contract a registry (Erasures or Grants, named by which) is
// bound to: its writers must be members of that one. An auditor uses it to check that the registries
// a document names belong to one consortium.
func (c *Client) RegistryConsortium(ctx context.Context, registry common.Address, which string) (common.Address, error) {
	switch which {
	case "erasures":
		out, err := c.call(ctx, "erasures consortium", registry, c.erasures.PackConsortium())
		if err != nil {
			return common.Address{}, err
		}
		return c.erasures.UnpackConsortium(out)
	case "grants":
		out, err := c.call(ctx, "grants consortium", registry, c.grants.PackConsortium())
		if err != nil {
			return common.Address{}, err
		}
		return c.grants.UnpackConsortium(out)
	}
	return common.Address{}, fmt.Errorf("pointers: %w: no registry %q", ErrBadInput, which)
}
