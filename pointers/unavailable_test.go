package pointers

import (
	"context"
	"fmt"
	"net"
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, err = ethclient.NewClient(rc).BlockNumber(ctx)
	if err == nil {
		t.Fatal("BlockNumber from a closed port succeeded")
	}
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
}
