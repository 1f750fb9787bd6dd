package p2p

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

type noMembers struct{}

func (noMembers) IsMember(peer.ID) bool { return false }

// A flood of refused connections is counted in full but logged at a
// bounded rate (one refused attempt wrote ~14 WARN lines, unthrottled); the
// next line says how many went unlogged.
func TestRefusalLoggingThrottled(t *testing.T) {
	var buf bytes.Buffer
	g := &admissionGater{members: noMembers{}, log: slog.New(slog.NewTextHandler(&buf, nil))}
	remote := ma.StringCast("/ip4/127.0.0.1/tcp/4771")
	for range 1000 {
		g.refuse("inbound", "12D3KooWOutsider", remote)
	}
	if g.refused.Load() != 1000 {
		t.Fatalf("counted %d refusals, want 1000", g.refused.Load())
	}
	lines := strings.Count(buf.String(), "refused connection from non-member")
	if lines == 0 || lines > refusalLogBurst+1 {
		t.Fatalf("%d log lines for 1000 refusals", lines)
	}
	g.logLimit.SetBurst(1) // let one more line through now
	g.logLimit.SetLimit(1e9)
	g.refuse("inbound", "12D3KooWOutsider", remote)
	if !strings.Contains(buf.String(), "unlogged_refusals_before=") {
		t.Fatalf("the line after a throttled burst does not count what went unlogged:\n%s", buf.String())
	}
}
