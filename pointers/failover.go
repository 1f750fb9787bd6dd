package pointers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// SplitEndpoints parses a --chain-rpc value: one or more JSON-RPC URLs
// separated by commas, in order of preference (a hospital lists its own
// chain node first and the other members' nodes after it).
func SplitEndpoints(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, e := range strings.Split(s, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		u, err := url.Parse(e)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("pointers: chain endpoint %q: %w: want an http:// or https:// URL", e, ErrBadInput)
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	if len(out) == 0 && strings.TrimSpace(s) != "" {
		return nil, fmt.Errorf("pointers: chain endpoints %q: %w: no URL", s, ErrBadInput)
	}
	return out, nil
}

// endpointDownFor is how long an endpoint that failed is skipped before it
// is tried again (a request still goes to it when every endpoint is down).
const endpointDownFor = 10 * time.Second

// failover is the HTTP transport under the JSON-RPC client when the node
// knows several chain endpoints. Every request goes to the most preferred
// endpoint that is not marked down; a transport failure or a 502/503/504
// marks it down and the same request goes to the next one. JSON-RPC over
// HTTP is stateless for everything the client does (no filters or
// subscriptions), so any endpoint can answer any request. Resending a
// request is safe: reads are idempotent, and a signed transaction sent
// twice is the same transaction (the second node answers "already known",
// which the client treats as sent).
//
// Before an endpoint serves anything it is checked to be on the expected
// chain (chain id and genesis hash), so a misconfigured endpoint, or one
// reset to another chain, can never answer for this consortium's chain.
type failover struct {
	base *http.Transport
	log  *slog.Logger

	mu     sync.Mutex
	eps    []*endpoint
	expect *chainIdentity // nil until known (first Open of a new repo)
}

type endpoint struct {
	url       string
	downUntil time.Time
	verified  bool
	wrong     error // set when the endpoint is on another chain: never used
}

type chainIdentity struct {
	id      uint64
	genesis common.Hash
}

func newFailover(urls []string, lg *slog.Logger) *failover {
	f := &failover{base: http.DefaultTransport.(*http.Transport).Clone(), log: lg}
	f.base.ResponseHeaderTimeout = 30 * time.Second
	for _, u := range urls {
		f.eps = append(f.eps, &endpoint{url: u})
	}
	return f
}

// setExpected fixes the chain every endpoint must be on.
func (f *failover) setExpected(id uint64, genesis common.Hash) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expect = &chainIdentity{id: id, genesis: genesis}
}

// order is the endpoints to try for one request: up ones by preference,
// then those marked down (a request never fails without trying them all).
func (f *failover) order() []*endpoint {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	var up, down []*endpoint
	for _, e := range f.eps {
		switch {
		case e.wrong != nil:
		case now.Before(e.downUntil):
			down = append(down, e)
		default:
			up = append(up, e)
		}
	}
	return append(up, down...)
}

func (f *failover) markDown(e *endpoint, err error) {
	f.mu.Lock()
	wasUp := time.Now().After(e.downUntil)
	e.downUntil = time.Now().Add(endpointDownFor)
	e.verified = false // it may come back as something else
	f.mu.Unlock()
	if wasUp {
		f.log.Warn("chain endpoint unreachable, failing over", "endpoint", redactURL(e.url), "err", err)
	}
}

// Endpoints reports each endpoint and whether it answered last time.
func (f *failover) status() []EndpointStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]EndpointStatus, len(f.eps))
	now := time.Now()
	for i, e := range f.eps {
		out[i] = EndpointStatus{URL: redactURL(e.url), Up: e.wrong == nil && !now.Before(e.downUntil)}
		if e.wrong != nil {
			out[i].Problem = e.wrong.Error()
		}
	}
	return out
}

// EndpointStatus is one chain endpoint as the client last saw it.
type EndpointStatus struct {
	URL     string `json:"url"`
	Up      bool   `json:"up"`
	Problem string `json:"problem,omitempty"`
}

func (f *failover) RoundTrip(req *http.Request) (*http.Response, error) {
	var errs []error
	for _, e := range f.order() {
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
		if err := f.verify(req.Context(), e); err != nil {
			if errors.Is(err, errWrongChain) {
				errs = append(errs, err)
				continue
			}
			f.markDown(e, err)
			errs = append(errs, err)
			continue
		}
		r, err := f.forward(req, e.url)
		if err == nil && (r.StatusCode == http.StatusBadGateway || r.StatusCode == http.StatusServiceUnavailable || r.StatusCode == http.StatusGatewayTimeout) {
			_ = r.Body.Close()
			err = fmt.Errorf("%s answered %s", redactURL(e.url), r.Status)
		}
		if err == nil {
			return r, nil
		}
		if req.Context().Err() != nil {
			return nil, err
		}
		f.markDown(e, err)
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("%w: no usable chain endpoint", ErrChainUnavailable)
	}
	return nil, fmt.Errorf("%w: every chain endpoint failed: %w", ErrChainUnavailable, errors.Join(errs...))
}

func (f *failover) forward(req *http.Request, target string) (*http.Response, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = u.Host
	if req.GetBody != nil {
		if r.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return f.base.RoundTrip(r)
}

var errWrongChain = errors.New("endpoint is on another chain")

// verify checks once per (re)connection that e serves the expected chain.
func (f *failover) verify(ctx context.Context, e *endpoint) error {
	f.mu.Lock()
	expect, done := f.expect, e.verified
	f.mu.Unlock()
	if expect == nil || done {
		return nil
	}
	vctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var idHex hexutil.Uint64
	if err := f.rawCall(vctx, e.url, "eth_chainId", `[]`, &idHex); err != nil {
		return err
	}
	var blk struct {
		Hash common.Hash `json:"hash"`
	}
	if err := f.rawCall(vctx, e.url, "eth_getBlockByNumber", `["0x0",false]`, &blk); err != nil {
		return err
	}
	if uint64(idHex) != expect.id || (expect.genesis != common.Hash{} && blk.Hash != expect.genesis) {
		werr := fmt.Errorf("%w: %s serves chain %d (genesis %s), this repo's chain is %d (genesis %s)",
			errWrongChain, redactURL(e.url), uint64(idHex), blk.Hash, expect.id, expect.genesis)
		f.mu.Lock()
		e.wrong = werr
		f.mu.Unlock()
		f.log.Error("chain endpoint refused", "err", werr)
		return werr
	}
	f.mu.Lock()
	e.verified = true
	f.mu.Unlock()
	return nil
}

// rawCall is one JSON-RPC call straight to one endpoint (not through the
// failover), for the identity check.
func (f *failover) rawCall(ctx context.Context, target, method, params string, result any) error {
	body := `{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":` + params + `}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.base.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", redactURL(target), resp.Status)
	}
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("%s: %s: unexpected answer %q", redactURL(target), method, truncate(b, 120))
	}
	if out.Error != nil {
		return fmt.Errorf("%s: %s: %s", redactURL(target), method, out.Error.Message)
	}
	if err := json.Unmarshal(out.Result, result); err != nil {
		return fmt.Errorf("%s: %s: %w", redactURL(target), method, err)
	}
	return nil
}

// redactURL drops credentials a provider URL may carry in its user info or
// query (API keys), so logs and health answers never show them.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	// Providers put API keys in the user info, the query or the path.
	if u.User != nil || u.RawQuery != "" || (u.Path != "" && u.Path != "/") {
		return u.Scheme + "://" + u.Host + "/…"
	}
	return u.Scheme + "://" + u.Host
}

func truncate(b []byte, n int) []byte {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		return b[:n]
	}
	return b
}
