package client

import (
	"testing"

	"github.com/vaultnode/vaultnode/internal/fault"
)

// --api takes a URL or, as kubo's does, a multiaddr.
func TestNewTakesURLOrMultiaddr(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:5780":        "http://127.0.0.1:5780",
		"http://127.0.0.1:5780/":       "http://127.0.0.1:5780",
		"/ip4/127.0.0.1/tcp/5780":      "http://127.0.0.1:5780",
		"/ip6/::1/tcp/5780":            "http://[::1]:5780",
		"/dns/localhost/tcp/5780/http": "http://localhost:5780",
		"/ip4/10.0.0.7/tcp/5780/https": "https://10.0.0.7:5780",
	} {
		c, err := New(in, nil)
		if err != nil || c.base != want {
			t.Errorf("New(%q): %v %v, want %s", in, c, err, want)
		}
	}
	for _, bad := range []string{"127.0.0.1:5780", "/ip4/127.0.0.1", "/ip4/127.0.0.1/udp/5780", "/ip4/127.0.0.1/tcp/5780/p2p/x", "ftp://h:1", "/nonsense"} {
		if _, err := New(bad, nil); fault.Classify(err) != fault.Usage {
			t.Errorf("New(%q): %v, want a usage error", bad, err)
		}
	}
}
