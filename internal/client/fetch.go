package client

import (
	"bytes"
	"context"
	"fmt"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// Fetch runs the grantee's fetch here, reading through the daemon: the
// daemon looks up the ticket (for a patient it holds), serves chain
// records and blocks, and relays the signed requests to the proxies.
func (c *Client) Fetch(ctx context.Context, r service.FetchRequest) (*service.FetchResult, error) {
	if r.Grantee == nil {
		return nil, fmt.Errorf("%w: fetch needs the grantee's key", node.ErrBadInput)
	}
	src := fetch.HTTPSource{Call: c.caller("")}
	t := r.Ticket
	if t.GrantID == ([32]byte{}) {
		var err error
		if t, err = (fetch.HTTPSource{Call: c.caller("operator")}).Ticket(ctx, r.Patient, r.Stream, r.Grantee.Public()); err != nil {
			return nil, err
		}
	}
	return node.FetchFrom(ctx, src, node.FetchRequest{Grantee: r.Grantee, Ticket: t, From: r.From, Until: r.Until, Purpose: r.Purpose, Progress: r.Progress, PendingWait: r.PendingWait})
}

// caller is a fetch.Caller over this client with role's token.
func (c *Client) caller(role string) fetch.Caller {
	return func(ctx context.Context, method, path, ctype string, body []byte) ([]byte, error) {
		r := request{role: role, method: method, path: path, ctype: ctype}
		if body != nil {
			r.body = bytes.NewReader(body)
		}
		return c.do(ctx, r)
	}
}
