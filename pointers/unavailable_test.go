package pointers

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// An RPC endpoint nobody listens on is "unavailable"; the chain's own
// refusals are not.
func TestIsUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close()
	err = blockNumberErr(t, url)
	if !IsUnavailable(fmt.Errorf("ingest: check device: %w", err)) {
		t.Fatalf("IsUnavailable(%v) = false", err)
	}
	for _, refusal := range []error{ErrUnknownGrant, ErrGrantRevoked, ErrBadInput, ErrReverted, context.Canceled, nil} {
		if IsUnavailable(refusal) {
			t.Errorf("IsUnavailable(%v) = true", refusal)
		}
	}
	if !IsUnavailable(fmt.Errorf("x: %w", ErrChainUnavailable)) {
		t.Error("a wrapped ErrChainUnavailable is not unavailable")
	}
	if !IsUnavailable(fmt.Errorf("grant: %w", ErrTxDropped)) {
		t.Error("a transaction the node dropped (it restarted) is not 'unavailable': the API would answer 500, not 503")
	}
}

// A node that goes away in the middle of a call, or a gateway that says its
// node is down, is "unavailable" too (the e2e suite once saw a geth --dev
// node shutting down turn an ingest into a 500); a JSON-RPC error answer is
// the chain speaking, and is not.
func TestIsUnavailableMidCall(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    bool
	}{
		{"connection closed without an answer", func(w http.ResponseWriter, r *http.Request) {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
		}, true},
		{"answer cut off mid-body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":1,"res`))
			c, buf, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = buf.Flush()
				c.Close()
			}
		}, true},
		{"gateway: 503", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "upstream down", http.StatusServiceUnavailable)
		}, true},
		{"gateway: 502", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad gateway", http.StatusBadGateway)
		}, true},
		{"JSON-RPC error answer", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"execution reverted"}}`))
		}, false},
		{"HTTP 401", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusUnauthorized)
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			err := blockNumberErr(t, srv.URL)
			if got := IsUnavailable(fmt.Errorf("ingest: check device: %w", err)); got != tc.want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", err, got, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if IsUnavailable(&url.Error{Op: "Post", URL: "http://x", Err: ctx.Err()}) {
		t.Error("a call its caller canceled counts as the chain being unavailable")
	}
}

// blockNumberErr asks the JSON-RPC endpoint at url for the chain head, as
// the client does, and returns the error, failing the test if there is none.
func blockNumberErr(t *testing.T, url string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err = ethclient.NewClient(rc).BlockNumber(ctx); err == nil {
		t.Fatalf("BlockNumber from %s succeeded", url)
	}
	return err
}
