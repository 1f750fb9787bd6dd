package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"sync"

	"github.com/vaultnode/vaultnode/internal/fault"
)

// Resource bounds of the API (docs/API.md "Limits"), besides the server's
// timeouts and connection cap (internal/daemon):
//
//   - every route has a body limit sized to what it takes: the small JSON
//     routes smallBody, the unauthenticated ones their own (bounded), the
//     ingest routes api.maxBodyBytes;
//   - the unauthenticated routes serve a fixed number of requests at a time,
//     and one client (remote address) at most half of them;
//   - one named token (one person or system) has at most perTokenInFlight
//     requests in progress (the repo's role tokens are shared, by design).
//
// Beyond a bound the answer is 413 or 429 at once; nothing queues.
const (
	smallBody        = 64 << 10
	perTokenInFlight = 32
)

// inFlight counts requests in progress per key (a remote address, a token
// name), refusing more than max for one key. A key's entry exists only
// while it has requests in progress, so the map is bounded by the
// number of requests being served.
type inFlight struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

func newInFlight(max int) *inFlight { return &inFlight{max: max, n: map[string]int{}} }

// acquire takes a slot for key; false when key already has max.
func (f *inFlight) acquire(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[key] >= f.max {
		return false
	}
	f.n[key]++
	return true
}

func (f *inFlight) release(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[key]--; f.n[key] <= 0 {
		delete(f.n, key)
	}
}

// clientKey is the remote host of r (its IP).
func clientKey(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// limitBody caps h's request bodies at max bytes (413 beyond).
func limitBody(max int64, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, max)
		h(w, r)
	}
}

// rateLimited is the refusal of a request beyond a concurrency bound.
func rateLimited(format string, a ...any) error {
	return fmt.Errorf("%w: %s; try again", fault.ErrRateLimited, fmt.Sprintf(format, a...))
}
