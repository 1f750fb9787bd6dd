package fetch

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/p2p/proxywire"
)

// Only the key's holder can list its tickets: a proof by another key, for
// another key, from outside the window, or malformed is refused.
func TestTicketProof(t *testing.T) {
	g, _ := proxywire.GenerateGrantee(rand.Reader)
	other, _ := proxywire.GenerateGrantee(rand.Reader)
	now := time.Now()
	if err := CheckTicketProof(g.Public(), TicketProof(g, now), now); err != nil {
		t.Fatalf("the holder's proof: %v", err)
	}
	for name, c := range map[string]struct {
		proof string
		at    time.Time
	}{
		"another key's proof": {TicketProof(other, now), now},
		"too old":             {TicketProof(g, now.Add(-TicketProofWindow-time.Minute)), now},
		"from the future":     {TicketProof(g, now.Add(TicketProofWindow+time.Minute)), now},
		"missing":             {"", now},
		"no signature":        {"123.", now},
		"not a time":          {"x." + TicketProof(g, now)[11:], now},
	} {
		if err := CheckTicketProof(g.Public(), c.proof, c.at); !errors.Is(err, ErrAccessRefused) {
			t.Errorf("%s: %v, want ErrAccessRefused", name, err)
		}
	}
}

func FuzzCheckTicketProof(f *testing.F) {
	g, _ := proxywire.GenerateGrantee(rand.Reader)
	now := time.Unix(1_800_000_000, 0)
	f.Add(TicketProof(g, now))
	f.Add("1800000000.")
	f.Fuzz(func(t *testing.T, proof string) {
		if CheckTicketProof(g.Public(), proof, now) == nil && proof != TicketProof(g, now) {
			// Ed25519 signatures are deterministic: only the holder's
			// proof for this time verifies.
			t.Fatalf("accepted %q", proof)
		}
	})
}
