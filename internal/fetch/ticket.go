package fetch

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// Ticket is what a clinician needs besides a key to fetch under a grant:
// the grant id, the stream tag, the stream's chain secret (to find the
// stream's commitments on chain, where nothing else names the stream) and
// the stream's first delegating key (for batches sealed before key epochs,
// whose capsule does not name its key). It opens nothing: the chain secret
// only tells which commitments are the stream's. Text form:
// "vng2." + base64url(id || tag || chain secret || public key).
type Ticket struct {
	GrantID     [32]byte
	StreamTag   [32]byte
	ChainSecret pointers.StreamSecret
	StreamKey   *reencrypt.PublicKey
}

// TicketPrefix opens a ticket's text form.
const TicketPrefix = "vng2."

// String encodes the ticket.
func (t Ticket) String() string {
	b := append(append(append(append([]byte{}, t.GrantID[:]...), t.StreamTag[:]...), t.ChainSecret[:]...), t.StreamKey.Bytes()...)
	return TicketPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// ParseTicket decodes a ticket.
func ParseTicket(s string) (Ticket, error) {
	var t Ticket
	if strings.HasPrefix(s, "vng1.") {
		return t, fmt.Errorf("%w: a vng1. grant ticket comes from a vaultnode before v2, whose chain named streams; ask the custodian for the grant's ticket again (vaultnode grant show)", ErrBadInput)
	}
	if !strings.HasPrefix(s, TicketPrefix) {
		return t, fmt.Errorf("%w: grant ticket must start with %q", ErrBadInput, TicketPrefix)
	}
	b, err := base64.RawURLEncoding.DecodeString(s[len(TicketPrefix):])
	if err != nil || len(b) != 96+reencrypt.PublicKeySize {
		return t, fmt.Errorf("%w: malformed grant ticket", ErrBadInput)
	}
	copy(t.GrantID[:], b[:32])
	copy(t.StreamTag[:], b[32:64])
	copy(t.ChainSecret[:], b[64:96])
	t.StreamKey, err = reencrypt.ParsePublicKey(b[96:])
	if err != nil {
		return t, fmt.Errorf("%w: grant ticket: %v", ErrBadInput, err)
	}
	return t, nil
}

// batchCapsuleTag marks the capsule field of a batch header that names its
// delegating key: 'K' 1 | delegating public key | capsule. A bare capsule
// (batches sealed before key epochs) was made under the stream's first key.
const (
	batchCapsuleTag     = 'K'
	batchCapsuleVersion = 1
	batchCapsuleSize    = 2 + reencrypt.PublicKeySize + reencrypt.CapsuleSize
)

// EncodeBatchCapsule is a batch header's capsule field naming its delegating key.
func EncodeBatchCapsule(pk *reencrypt.PublicKey, c *reencrypt.Capsule) []byte {
	b := make([]byte, 0, batchCapsuleSize)
	b = append(b, batchCapsuleTag, batchCapsuleVersion)
	b = append(b, pk.Bytes()...)
	return append(b, c.Bytes()...)
}

// ParseBatchCapsule returns a batch's capsule and the delegating key it was
// made under; first is the stream's first key, for batches that do not name
// theirs.
func ParseBatchCapsule(b []byte, first *reencrypt.PublicKey) (*reencrypt.Capsule, *reencrypt.PublicKey, error) {
	if len(b) == reencrypt.CapsuleSize {
		c, err := reencrypt.ParseCapsule(b)
		return c, first, err
	}
	if len(b) != batchCapsuleSize || b[0] != batchCapsuleTag || b[1] != batchCapsuleVersion {
		return nil, nil, fmt.Errorf("capsule field of %d bytes is neither a capsule nor a keyed capsule (version %d)", len(b), batchCapsuleVersion)
	}
	pk, err := reencrypt.ParsePublicKey(b[2 : 2+reencrypt.PublicKeySize])
	if err != nil {
		return nil, nil, fmt.Errorf("capsule's delegating key: %w", err)
	}
	c, err := reencrypt.ParseCapsule(b[2+reencrypt.PublicKeySize:])
	return c, pk, err
}
