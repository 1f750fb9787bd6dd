package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// Fetch resolves the stream's commitments on-chain, fetches the batches over
// bitswap, asks M of the grant's N proxies for cfrags (signed requests),
// verifies them, decrypts, and verifies every reading against the on-chain
// Merkle root. Refusals are ErrAccessRefused; any mismatch is ErrIntegrity
// naming the CID.
func (n *Node) Fetch(ctx context.Context, r FetchRequest) (*FetchResult, error) {
	if n.P2P == nil {
		return nil, fmt.Errorf("fetch needs the p2p network")
	}
	// A node that is not an active member on-chain is refused by every
	// member at the handshake: say so now rather than wait for blocks
	// nobody will serve it.
	if ok, err := n.Chain.IsMember(ctx, n.Chain.Account()); err == nil && !ok {
		return nil, fmt.Errorf("%w: this node (account %s, peer %s) is not a consortium member on-chain, so members refuse its connections; an admin admits it with `vaultnode member add`",
			ErrAccessRefused, n.Chain.Account().Hex(), n.PeerID())
	}
	return FetchFrom(ctx, localSource{n}, r)
}

// localSource is a FetchSource on the node's own chain client, bitswap and
// proxy relay.
type localSource struct{ n *Node }

func (s localSource) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return s.n.P2P.Blocks.GetBlock(ctx, c)
}

func (s localSource) Grant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error) {
	return s.n.GrantRecord(ctx, id)
}

func (s localSource) CheckGrant(ctx context.Context, g pointers.GrantRecord) error {
	return precheck(ctx, s.n.Chain, g)
}

func (s localSource) Commitments(ctx context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error) {
	return s.n.Commitments(ctx, secret, custodian)
}

func (s localSource) Reencrypt(ctx context.Context, req *p2p.ReencryptRequest, want int, exclude []string) ([]RelayAnswer, error) {
	ans, _, err := s.n.Relay(ctx, req, want, exclude)
	return ans, err
}

// GrantRecord reads a grant on-chain; an unknown grant is ErrAccessRefused.
func (n *Node) GrantRecord(ctx context.Context, id [32]byte) (pointers.GrantRecord, error) {
	g, err := n.Chain.GetGrant(ctx, id)
	if errors.Is(err, pointers.ErrUnknownGrant) {
		return g, fmt.Errorf("%w: no grant %x on-chain", ErrAccessRefused, id)
	}
	if err != nil {
		return g, fmt.Errorf("read grant: %w", err)
	}
	return g, nil
}

// Commitments lists a stream's batch commitments from the chain; a broken
// hash chain over them is ErrIntegrity.
func (n *Node) Commitments(ctx context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error) {
	cbs, err := n.Chain.StreamCommitments(ctx, secret, custodian)
	if err != nil {
		if errors.Is(err, pointers.ErrTampered) {
			return nil, fmt.Errorf("%w: %w", ErrIntegrity, err)
		}
		return nil, fmt.Errorf("read commitments: %w", err)
	}
	out := make([]pointers.Commitment, len(cbs))
	for i, c := range cbs {
		out[i] = c.Commitment
	}
	return out, nil
}

// CheckGrantNow refuses a grant that does not allow access now, with the
// reason the proxies give (ErrAccessRefused), reading the chain.
func (n *Node) CheckGrantNow(ctx context.Context, g pointers.GrantRecord) error {
	return precheck(ctx, n.Chain, g)
}

// Relay sends a signed re-encryption request to the proxies of its grant
// over libp2p (this node's own proxy directly) until want of them granted a
// cfrag (want <= 0: the grant's threshold M): it asks as many proxies at once
// as cfrags are still missing, in the grant's order, then the next ones for
// those refused. The proxies in exclude (peer ids) are skipped. It returns
// every answer, and the grant. Each proxy checks the request itself
// (signature, expiry, replay, grant state on-chain, grantee) and logs it in
// its access log.
func (n *Node) Relay(ctx context.Context, req *p2p.ReencryptRequest, want int, exclude []string) ([]RelayAnswer, pointers.GrantRecord, error) {
	if n.P2P == nil {
		return nil, pointers.GrantRecord{}, fmt.Errorf("relay needs the p2p network")
	}
	g, err := n.GrantRecord(ctx, req.GrantID)
	if err != nil {
		return nil, g, err
	}
	if want <= 0 {
		want = int(g.M)
	}
	skip := map[string]bool{}
	for _, e := range exclude {
		skip[e] = true
	}
	var ids []peer.ID
	for _, a := range g.Proxies {
		m, err := n.Chain.ResolveMember(ctx, a)
		if err != nil {
			return nil, g, fmt.Errorf("resolve proxy %s: %w", a, err)
		}
		id, err := peer.IDFromBytes(m.PeerID)
		if err != nil {
			return nil, g, fmt.Errorf("proxy %s: bad peer id: %w", a, err)
		}
		if !skip[id.String()] {
			ids = append(ids, id)
		}
	}
	var out []RelayAnswer
	granted := 0
	for granted < want && len(ids) > 0 {
		k := min(want-granted, len(ids))
		round := make([]RelayAnswer, k)
		var wg sync.WaitGroup
		for i, id := range ids[:k] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				round[i] = n.askProxy(ctx, id, req)
			}()
		}
		wg.Wait()
		ids = ids[k:]
		for _, a := range round {
			if a.CFrag != nil {
				granted++
			}
		}
		out = append(out, round...)
	}
	return out, g, nil
}

// askProxy asks one proxy for a cfrag.
func (n *Node) askProxy(ctx context.Context, id peer.ID, req *p2p.ReencryptRequest) RelayAnswer {
	ans := RelayAnswer{Proxy: id.String()}
	var cf *reencrypt.CFrag
	if id == n.PeerID() {
		resp := n.Proxy.Handle(ctx, req)
		if resp.Outcome == p2p.Granted {
			cf = resp.CFrag
		} else {
			ans.Outcome, ans.Message = resp.Outcome.String(), resp.Message
		}
	} else {
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		var err error
		cf, err = p2p.RequestCFrag(cctx, n.P2P.Host, id, req)
		cancel()
		var re *p2p.RefusalError
		switch {
		case errors.As(err, &re):
			ans.Outcome, ans.Message = re.Outcome.String(), re.Message
		case err != nil:
			ans.Outcome, ans.Message = "unreachable", err.Error()
		}
	}
	if cf != nil {
		ans.Outcome, ans.CFrag = p2p.Granted.String(), cf.Bytes()
	}
	return ans
}

// precheck reads the grant's state on-chain, as the proxies will, to refuse
// early with the same reasons.
func precheck(ctx context.Context, chain *pointers.Client, g pointers.GrantRecord) error {
	if _, err := chain.CheckGrant(ctx, g.ID, time.Now()); err != nil {
		return fetch.GrantRefusal(g, err)
	}
	return nil
}
