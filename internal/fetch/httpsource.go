package fetch

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

	"github.com/vaultnode/vaultnode/p2p/proxywire"
	"github.com/vaultnode/vaultnode/pointers"
)

// Caller sends one request to a daemon's API (docs/openapi.yaml) and returns
// the answer's body. An error answer comes back as an error that errors.Is
// matches with this package's classes (ErrNotFound, ErrAccessRefused,
// ErrBadInput, ErrIntegrity) together with the body, which may still hold
// a JSON answer (the relay's proxies' refusals).
type Caller func(ctx context.Context, method, path, ctype string, body []byte) ([]byte, error)

// HTTPSource is a FetchSource over a daemon's API: the daemon serves the
// chain's records, the blocks and the proxies' cfrags, never a key.
type HTTPSource struct{ Call Caller }

func (s HTTPSource) getJSON(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	ctype := ""
	if in != nil {
		body, _ = json.Marshal(in)
		ctype = "application/json"
	}
	b, err := s.Call(ctx, method, path, ctype, body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%w: the daemon's answer to %s %s is not what the API documents: %v", ErrIntegrity, method, path, err)
	}
	return nil
}

// Ticket asks the daemon for the ticket of the grantee's grant on a
// patient's stream (GET /v1/tickets; the caller's token must allow it).
func (s HTTPSource) Ticket(ctx context.Context, patient, stream string, grantee proxywire.GranteeKey) (Ticket, error) {
	var tr struct{ Ticket string }
	q := "/v1/tickets?patient=" + url.QueryEscape(patient) + "&stream=" + url.QueryEscape(stream) + "&grantee=" + hex.EncodeToString(grantee.Bytes())
	if err := s.getJSON(ctx, "GET", q, nil, &tr); err != nil {
		return Ticket{}, err
	}
	t, err := ParseTicket(tr.Ticket)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: the daemon sent a malformed ticket: %v", ErrIntegrity, err)
	}
	return t, nil
}

// GetBlock asks the daemon for a block, from the consortium when it holds
// none (FetchFrom checks it against its CID).
func (s HTTPSource) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	raw, err := s.Call(ctx, "GET", "/v1/records/"+c.String()+"?network=1", "", nil)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(raw, c)
}

// Grant reads the grant's on-chain record through the daemon.
func (s HTTPSource) Grant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error) {
	var v GrantView
	err := s.getJSON(ctx, "GET", "/v1/grants/"+hex.EncodeToString(id[:]), nil, &v)
	if errors.Is(err, ErrNotFound) {
		return pointers.GrantRecord{}, fmt.Errorf("%w: no grant %x on-chain", ErrAccessRefused, id)
	}
	if err != nil {
		return pointers.GrantRecord{}, err
	}
	return v.Record()
}

// CheckGrant judges the record's state now (GrantState).
func (s HTTPSource) CheckGrant(_ context.Context, g pointers.GrantRecord) error {
	return GrantState(g, time.Now())
}

// Commitments asks the daemon for the stream's commitments and keeps only
// those the stream's chain secret confirms (a daemon cannot make one up).
func (s HTTPSource) Commitments(ctx context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error) {
	var cs []Commitment
	q := CommitmentQuery{ChainSecret: hex.EncodeToString(secret[:]), Custodian: custodian.Hex()}
	if err := s.getJSON(ctx, "POST", "/v1/commitments", q, &cs); err != nil {
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
func (s HTTPSource) PendingBatches(ctx context.Context, tag [32]byte, _ []pointers.Commitment) (int, bool, error) {
	var out struct {
		Pending int  `json:"pending"`
		Known   bool `json:"known"`
	}
	err := s.getJSON(ctx, "GET", "/v1/streams/"+hex.EncodeToString(tag[:])+"/pending", nil, &out)
	if errors.Is(err, ErrNotFound) {
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
func (s HTTPSource) Reencrypt(ctx context.Context, req *proxywire.ReencryptRequest, want int, exclude []string) ([]RelayAnswer, error) {
	raw, err := req.MarshalBinary()
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(RelayRequest{Request: raw, Want: want, Exclude: exclude})
	b, err := s.Call(ctx, "POST", "/v1/reencrypt", "application/json", body)
	var rep RelayReply
	isJSON := json.Unmarshal(b, &rep) == nil
	if isJSON && rep.Answers != nil {
		return rep.Answers, nil // the proxies were asked: their cfrags and refusals, whatever the status
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, fmt.Errorf("%w: %v", ErrAccessRefused, err)
	case err != nil:
		return nil, err
	case !isJSON:
		return nil, fmt.Errorf("%w: the daemon's relay answer is not JSON", ErrIntegrity)
	}
	return rep.Answers, nil
}
