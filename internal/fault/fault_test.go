package fault

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// Every class survives the trip server → HTTP answer → client: the client's
// error has the same class, the same exit code, the server's message
// unchanged (no prefix added), and still matches the class's sentinel.
func TestEveryClassRoundTrips(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Classes {
		if seen[c.Code] {
			t.Fatalf("code %q used by two classes", c.Code)
		}
		seen[c.Code] = true
		if c.Sentinel == nil {
			t.Fatalf("class %s has no sentinel", c.Code)
		}
		serverErr := fmt.Errorf("%w: something about %s", c.Sentinel, c.Code)
		got := Classify(serverErr)
		if got.Code != c.Code {
			t.Errorf("Classify(%v) = %s, want %s", serverErr, got.Code, c.Code)
		}
		clientErr := FromAPI(got.Status, got.Code, serverErr.Error())
		if back := Classify(clientErr); back != c {
			t.Errorf("%s: client error classified %s", c.Code, back.Code)
		}
		if !errors.Is(clientErr, c.Sentinel) {
			t.Errorf("%s: client error does not match its sentinel", c.Code)
		}
		if clientErr.Error() != serverErr.Error() {
			t.Errorf("%s: client message %q, server said %q", c.Code, clientErr, serverErr)
		}
		if Exit(clientErr) != c.Exit || Exit(serverErr) != c.Exit {
			t.Errorf("%s: exit %d/%d, want %d", c.Code, Exit(serverErr), Exit(clientErr), c.Exit)
		}
	}
}

// The defects the single vocabulary removed: a chain outage was 500 on the
// FHIR routes (503 elsewhere), and a refused device exited 1 locally but 3
// through a daemon.
func TestOneAnswerPerFailure(t *testing.T) {
	outage := fmt.Errorf("commit: %w", pointers.ErrChainUnavailable)
	if c := Classify(outage); c.Status != http.StatusServiceUnavailable || c.Code != "chain_unavailable" || c.FHIR != "transient" {
		t.Errorf("chain outage: %+v", c)
	}
	refused := fmt.Errorf("%w: device cgm-1 is revoked", node.ErrDeviceRefused)
	local, remote := Exit(refused), Exit(FromAPI(http.StatusForbidden, "device_refused", refused.Error()))
	if local != ExitRefused || remote != ExitRefused {
		t.Errorf("refused device: exit %d locally, %d through a daemon; want %d", local, remote, ExitRefused)
	}
	// An answer with no code known to this client is classed by its status.
	if c := Classify(FromAPI(http.StatusBadGateway, "", "")); c != ChainUnavailable {
		t.Errorf("502 with no code: %s", c.Code)
	}
	if Exit(nil) != ExitOK {
		t.Error("nil error must exit 0")
	}
	var mbe error = &http.MaxBytesError{Limit: 10}
	if Classify(fmt.Errorf("body: %w", mbe)) != TooLarge {
		t.Error("MaxBytesError is not too_large")
	}
	// The keystore's refusals are the client's fault, not the node's (a
	// stream named "../../etc" in a grant was a 500).
	if c := Classify(fmt.Errorf("stream: %w", keys.ErrInvalid)); c != BadInput {
		t.Errorf("keys.ErrInvalid: %s", c.Code)
	}
	if c := Classify(fmt.Errorf("x: %w", keys.ErrUnknownStream)); c != NotFound {
		t.Errorf("keys.ErrUnknownStream: %s", c.Code)
	}
	if Classify(errors.New("disk on fire")) != Internal {
		t.Error("an unknown error must be internal")
	}
}
