package fetch

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/p2p/proxywire"
)

// A grantee's list of tickets (GET /v1/tickets?grantee=KEY) names the
// patients and streams it was granted: the daemon serves it only to the
// holder of the key, who proves it with a signature over the key and the
// time, in the header TicketProofHeader. A proof is good for
// TicketProofWindow either side of the daemon's clock.
const (
	TicketProofHeader = "X-Vaultnode-Grantee-Proof"
	TicketProofWindow = 5 * time.Minute
	ticketProofDomain = "vaultnode/ticket-list/v1\n"
)

func ticketProofMessage(k proxywire.GranteeKey, unix int64) []byte {
	return []byte(ticketProofDomain + hex.EncodeToString(k.Bytes()) + "\n" + strconv.FormatInt(unix, 10))
}

// TicketProof is the header value that proves g's key at now: the Unix time,
// a dot, and the Ed25519 signature (base64url).
func TicketProof(g *proxywire.Grantee, now time.Time) string {
	sig := ed25519.Sign(g.Sign, ticketProofMessage(g.Public(), now.Unix()))
	return strconv.FormatInt(now.Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// CheckTicketProof checks a TicketProof for key k at now. Errors are
// ErrAccessRefused naming what is wrong.
func CheckTicketProof(k proxywire.GranteeKey, proof string, now time.Time) error {
	ts, sig, ok := strings.Cut(proof, ".")
	if !ok {
		return fmt.Errorf("%w: the list of a grantee's tickets needs proof of its key (header %s)", ErrAccessRefused, TicketProofHeader)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || strconv.FormatInt(unix, 10) != ts {
		return fmt.Errorf("%w: %s: malformed time", ErrAccessRefused, TicketProofHeader)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > TicketProofWindow || d < -TicketProofWindow {
		return fmt.Errorf("%w: %s is %s away from this node's clock (at most %s)", ErrAccessRefused, TicketProofHeader, d.Round(time.Second), TicketProofWindow)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(sig)
	if err != nil || len(raw) != ed25519.SignatureSize || !ed25519.Verify(k.Sign, ticketProofMessage(k, unix), raw) {
		return fmt.Errorf("%w: %s does not verify with the grantee's key", ErrAccessRefused, TicketProofHeader)
	}
	return nil
}
