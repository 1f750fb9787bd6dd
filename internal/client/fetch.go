package client

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ethereum/go-ethereum/common"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// Fetch runs the grantee's fetch here, reading through the daemon: the
// daemon looks up the ticket (for a patient it holds), serves chain
// records and blocks, and relays the signed requests to the proxies.
func (c *Client) Fetch(ctx context.Context, r service.FetchRequest) (*service.FetchResult, error) {
	if r.Grantee == nil {
		return nil, fmt.Errorf("%w: fetch needs the grantee's key", node.ErrBadInput)
	}
	t := r.Ticket
	if t.GrantID == ([32]byte{}) {
		var tr struct{ Ticket string }
		q := "/v1/tickets?patient=" + url.QueryEscape(r.Patient) + "&stream=" + url.QueryEscape(r.Stream) + "&grantee=" + hex.EncodeToString(r.Grantee.Public().Bytes())
		if err := c.call(ctx, request{role: "operator", method: "GET", path: q}, &tr); err != nil {
			return nil, err
		}
		var err error
		if t, err = node.ParseTicket(tr.Ticket); err != nil {
			return nil, fmt.Errorf("%w: the daemon sent a malformed ticket: %v", node.ErrIntegrity, err)
		}
	}
	return node.FetchFrom(ctx, source{c}, node.FetchRequest{Grantee: r.Grantee, Ticket: t, From: r.From, Until: r.Until, Purpose: r.Purpose, Progress: r.Progress, PendingWait: r.PendingWait})
}

// source is a node.FetchSource over the daemon's API. What it returns is
// checked by node.FetchFrom (blocks against CIDs, cfrags against proofs,
// readings against the commitments).
type source struct{ c *Client }

func (s source) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	raw, err := s.c.do(ctx, request{method: "GET", path: "/v1/records/" + c.String() + "?network=1"})
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(raw, c)
}

func (s source) Grant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error) {
	var v service.GrantView
	err := s.c.call(ctx, request{method: "GET", path: "/v1/grants/" + hex.EncodeToString(id[:])}, &v)
	if errors.Is(err, node.ErrNotFound) {
		return pointers.GrantRecord{}, fmt.Errorf("%w: no grant %x on-chain", node.ErrAccessRefused, id)
	}
	if err != nil {
		return pointers.GrantRecord{}, err
	}
	return v.Record()
}

func (s source) CheckGrant(_ context.Context, g pointers.GrantRecord) error {
	return node.GrantState(g, time.Now())
}

func (s source) Commitments(ctx context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error) {
	var cs []service.Commitment
	q := service.CommitmentQuery{ChainSecret: hex.EncodeToString(secret[:]), Custodian: custodian.Hex()}
	if err := s.c.call(ctx, request{method: "POST", path: "/v1/commitments", ctype: "application/json", body: jsonBody(q)}, &cs); err != nil {
		return nil, err
	}
	out := make([]pointers.Commitment, 0, len(cs))
	for _, c := range cs {
		rec, err := c.Record(secret)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// PendingBatches asks the daemon how many batches of the stream it
// acknowledged that the chain does not list yet (known only when it is the
// stream's custodian; a daemon without the route knows nothing).
func (s source) PendingBatches(ctx context.Context, tag [32]byte, _ []pointers.Commitment) (int, bool, error) {
	var out struct {
		Pending int  `json:"pending"`
		Known   bool `json:"known"`
	}
	err := s.c.call(ctx, request{method: "GET", path: "/v1/streams/" + hex.EncodeToString(tag[:]) + "/pending"}, &out)
	if errors.Is(err, node.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return out.Pending, out.Known, nil
}

// Reencrypt relays through the daemon. A refusal after proxies were asked
// is their answers (FetchFrom reports them); a refusal before any proxy was
// asked (no grant, a malformed request) is the error of its class.
func (s source) Reencrypt(ctx context.Context, req *p2p.ReencryptRequest, want int, exclude []string) ([]node.RelayAnswer, error) {
	raw, err := req.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b, err := s.c.do(ctx, request{method: "POST", path: "/v1/reencrypt", ctype: "application/json", body: jsonBody(service.RelayRequest{Request: raw, Want: want, Exclude: exclude})})
	var rep service.RelayReply
	isJSON := json.Unmarshal(b, &rep) == nil
	if isJSON && rep.Answers != nil {
		return rep.Answers, nil // the proxies were asked: their cfrags and refusals, whatever the status
	}
	switch {
	case errors.Is(err, node.ErrNotFound):
		return nil, fmt.Errorf("%w: %v", node.ErrAccessRefused, err)
	case err != nil:
		return nil, err
	case !isJSON:
		return nil, fmt.Errorf("%w: the daemon's relay answer is not JSON", node.ErrIntegrity)
	}
	return rep.Answers, nil
}
