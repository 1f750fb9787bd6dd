package httpapi

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// An unauthenticated bounded route: one client (remote address) holds at
// most half of its slots, so another client is still served; a token has at
// most perTokenInFlight requests in progress.
func TestBoundedPerClient(t *testing.T) {
	s := bareServer()
	release := make(chan struct{})
	var started sync.WaitGroup
	h := s.bounded(4, 0, func(w http.ResponseWriter, _ *http.Request) { started.Done(); <-release; w.WriteHeader(204) })
	do := func(remote string) int {
		req := httptest.NewRequest("POST", "/v1/erasures/verify", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h(rec, req)
		return rec.Code
	}
	var wg sync.WaitGroup
	codes := make(chan int, 4)
	started.Add(2)
	for range 2 {
		wg.Go(func() { codes <- do("203.0.113.7:4000") })
	}
	started.Wait()
	if c := do("203.0.113.7:4001"); c != http.StatusTooManyRequests {
		t.Fatalf("a third request of one client: %d, want 429", c)
	}
	started.Add(2)
	for range 2 {
		wg.Go(func() { codes <- do("198.51.100.9:5000") })
	}
	started.Wait() // another client got the two other slots
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 204 {
			t.Fatalf("a request within the bounds: %d", c)
		}
	}
	f := newInFlight(perTokenInFlight)
	for range perTokenInFlight {
		if !f.acquire("dr-ito") {
			t.Fatal("refused within the per-token bound")
		}
	}
	if f.acquire("dr-ito") || !f.acquire("ops-kim") {
		t.Fatal("per-token bound not per token")
	}
	for range perTokenInFlight {
		f.release("dr-ito")
	}
	if len(f.n) != 1 {
		t.Fatalf("in-flight map keeps %d keys, want 1 (only keys with requests in progress)", len(f.n))
	}
}
