package proxywire

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// MaxPurposeLen bounds the purpose-of-use code (e.g. HL7 v3 "TREAT", "ETREAT").
const MaxPurposeLen = 64

// ResponseTag and WireVersion open a proxy's answer; the kfrag delivery
// acknowledgement and the access log use the same framing.
const (
	ResponseTag = 'R'
	WireVersion = 1
)

const (
	requestTag = 'Q'
	// requestVersion 2 added the delegating key (the stream key epoch of
	// the capsule); version 1 requests are refused.
	requestVersion = 2
	requestDomain  = "vaultnode/reencrypt-request/v1\x00"
	requestIDLabel = "vaultnode/reencrypt-request-id/v1\x00"
)

// ReencryptRequest asks a proxy for one cfrag of Capsule under grant GrantID.
// The grantee signs it; the proxy refuses it after Expires or when its Nonce
// was seen before.
type ReencryptRequest struct {
	GrantID [32]byte
	Capsule *reencrypt.Capsule
	// Delegating is the stream key the capsule was made under (the batch's
	// key epoch): the proxy uses the grant's kfrag for that key.
	Delegating *reencrypt.PublicKey
	Grantee    GranteeKey
	Purpose    string
	Nonce      [32]byte
	Expires    time.Time
	Sig        []byte
}

// signedBytes is the encoding without the trailing signature.
func (r *ReencryptRequest) signedBytes() []byte {
	b := make([]byte, 0, 2+32+reencrypt.CapsuleSize+reencrypt.PublicKeySize+GranteeKeySize+32+8+1+len(r.Purpose))
	b = append(b, requestTag, requestVersion)
	b = append(b, r.GrantID[:]...)
	b = append(b, r.Capsule.Bytes()...)
	if r.Delegating != nil {
		b = append(b, r.Delegating.Bytes()...)
	} else {
		b = append(b, make([]byte, reencrypt.PublicKeySize)...) // refused by MarshalBinary
	}
	b = append(b, r.Grantee.Bytes()...)
	b = append(b, r.Nonce[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Expires.Unix()))
	b = append(b, byte(len(r.Purpose)))
	b = append(b, r.Purpose...)
	return b
}

// Sign sets the request's signature with the grantee's signing key.
func (r *ReencryptRequest) Sign(key ed25519.PrivateKey) {
	r.Sig = ed25519.Sign(key, append([]byte(requestDomain), r.signedBytes()...))
}

// VerifySignature checks the grantee's signature.
func (r *ReencryptRequest) VerifySignature() bool {
	return len(r.Sig) == ed25519.SignatureSize &&
		ed25519.Verify(r.Grantee.Sign, append([]byte(requestDomain), r.signedBytes()...), r.Sig)
}

// Binding is what the cfrag's proof is bound to: a hash of the whole signed
// request (nonce included) and its expiry.
func (r *ReencryptRequest) Binding() reencrypt.RequestBinding {
	h := sha256.New()
	h.Write([]byte(requestIDLabel))
	h.Write(r.signedBytes())
	return reencrypt.RequestBinding{RequestID: [32]byte(h.Sum(nil)), Expires: r.Expires}
}

// MarshalBinary encodes the signed request.
func (r *ReencryptRequest) MarshalBinary() ([]byte, error) {
	if len(r.Sig) != ed25519.SignatureSize {
		return nil, errors.New("reencrypt request: not signed")
	}
	if r.Delegating == nil {
		return nil, errors.New("reencrypt request: no delegating key")
	}
	return append(r.signedBytes(), r.Sig...), nil
}

// ErrMalformed wraps every decoding error of the proxy protocol.
var ErrMalformed = errors.New("malformed message")

func Malformed(what string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(what, args...))
}

// ParseReencryptRequest decodes a request strictly: tag, version, every
// field's length and encoding, a printable purpose, no trailing bytes. It does
// not check the signature or expiry.
func ParseReencryptRequest(b []byte) (*ReencryptRequest, error) {
	const fixed = 2 + 32 + reencrypt.CapsuleSize + reencrypt.PublicKeySize + GranteeKeySize + 32 + 8 + 1
	if len(b) < fixed+ed25519.SignatureSize {
		return nil, Malformed("reencrypt request: %d bytes, too short", len(b))
	}
	if b[0] != requestTag {
		return nil, Malformed("reencrypt request: tag %#x, want %#x", b[0], requestTag)
	}
	if b[1] != requestVersion {
		return nil, Malformed("reencrypt request: version %d not supported (want %d)", b[1], requestVersion)
	}
	r := &ReencryptRequest{}
	off := 2
	copy(r.GrantID[:], b[off:])
	off += 32
	capsule, err := reencrypt.ParseCapsule(b[off : off+reencrypt.CapsuleSize])
	if err != nil {
		return nil, Malformed("reencrypt request: capsule: %v", err)
	}
	r.Capsule = capsule
	off += reencrypt.CapsuleSize
	dk, err := reencrypt.ParsePublicKey(b[off : off+reencrypt.PublicKeySize])
	if err != nil {
		return nil, Malformed("reencrypt request: delegating key: %v", err)
	}
	r.Delegating = dk
	off += reencrypt.PublicKeySize
	gk, err := ParseGranteeKey(b[off : off+GranteeKeySize])
	if err != nil {
		return nil, Malformed("reencrypt request: %v", err)
	}
	r.Grantee = gk
	off += GranteeKeySize
	copy(r.Nonce[:], b[off:])
	off += 32
	exp := binary.BigEndian.Uint64(b[off:])
	if exp > 1<<62 {
		return nil, Malformed("reencrypt request: expiry %d out of range", exp)
	}
	r.Expires = time.Unix(int64(exp), 0)
	off += 8
	plen := int(b[off])
	off++
	if plen == 0 || plen > MaxPurposeLen {
		return nil, Malformed("reencrypt request: purpose length %d, want 1..%d", plen, MaxPurposeLen)
	}
	if len(b) != off+plen+ed25519.SignatureSize {
		return nil, Malformed("reencrypt request: %d bytes, want %d", len(b), off+plen+ed25519.SignatureSize)
	}
	for _, c := range b[off : off+plen] {
		if c < 0x21 || c > 0x7e {
			return nil, Malformed("reencrypt request: purpose has a non-printable byte %#x", c)
		}
	}
	r.Purpose = string(b[off : off+plen])
	if err := CheckPurpose(r.Purpose); err != nil {
		return nil, Malformed("reencrypt request: %v", err)
	}
	off += plen
	r.Sig = append([]byte(nil), b[off:]...)
	return r, nil
}

// Outcome is a proxy's answer code. Every request gets exactly one and the
// access log records it.
type Outcome uint8

// Outcomes. Granted is the only success.
const (
	Granted Outcome = iota
	RefusedMalformed
	RefusedExpiredRequest
	RefusedBadSignature
	RefusedReplay
	RefusedRateLimited
	RefusedNoGrant
	RefusedRevoked
	RefusedNotYetValid
	RefusedGrantExpired
	RefusedWrongGrantee
	RefusedNotProxy
	RefusedNoKFrag
	RefusedInternal
	RefusedPurpose
	// OutcomeCount is the number of outcomes (sizes per-outcome tables).
	OutcomeCount
)

// Outcomes lists every outcome, Granted first.
func Outcomes() []Outcome {
	out := make([]Outcome, OutcomeCount)
	for i := range out {
		out[i] = Outcome(i)
	}
	return out
}

var outcomeNames = [...]string{
	Granted:               "granted",
	RefusedMalformed:      "malformed",
	RefusedExpiredRequest: "request-expired",
	RefusedBadSignature:   "bad-signature",
	RefusedReplay:         "replay",
	RefusedRateLimited:    "rate-limited",
	RefusedNoGrant:        "no-grant",
	RefusedRevoked:        "revoked",
	RefusedNotYetValid:    "grant-not-yet-valid",
	RefusedGrantExpired:   "grant-expired",
	RefusedWrongGrantee:   "wrong-grantee",
	RefusedNotProxy:       "not-a-proxy-of-grant",
	RefusedNoKFrag:        "no-kfrag",
	RefusedInternal:       "internal-error",
	RefusedPurpose:        "purpose-not-consented",
}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// ReencryptResponse is a proxy's answer: a cfrag, or a refusal with a reason.
type ReencryptResponse struct {
	Outcome Outcome
	Message string // human-readable detail of a refusal; never secret
	CFrag   *reencrypt.CFrag
}

// RefusalError is the error a client gets for a refused request.
type RefusalError struct {
	Outcome Outcome
	Message string
}

func (e *RefusalError) Error() string {
	if e.Message == "" {
		return "proxy refused: " + e.Outcome.String()
	}
	return "proxy refused: " + e.Outcome.String() + ": " + e.Message
}

const maxMessageLen = 512

// MarshalBinary encodes the response.
func (r *ReencryptResponse) MarshalBinary() ([]byte, error) {
	msg := r.Message
	if len(msg) > maxMessageLen {
		msg = msg[:maxMessageLen]
	}
	b := []byte{ResponseTag, WireVersion, byte(r.Outcome)}
	if r.Outcome == Granted {
		if r.CFrag == nil {
			return nil, errors.New("reencrypt response: granted without a cfrag")
		}
		b = append(b, r.CFrag.Bytes()...)
		return b, nil
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(msg)))
	return append(b, msg...), nil
}

// ParseReencryptResponse decodes a response strictly.
func ParseReencryptResponse(b []byte) (*ReencryptResponse, error) {
	if len(b) < 3 {
		return nil, Malformed("reencrypt response: %d bytes, too short", len(b))
	}
	if b[0] != ResponseTag {
		return nil, Malformed("reencrypt response: tag %#x, want %#x", b[0], ResponseTag)
	}
	if b[1] != WireVersion {
		return nil, Malformed("reencrypt response: version %d not supported", b[1])
	}
	o := Outcome(b[2])
	if o >= OutcomeCount {
		return nil, Malformed("reencrypt response: unknown outcome %d", b[2])
	}
	if o == Granted {
		cf, err := reencrypt.ParseCFrag(b[3:])
		if err != nil {
			return nil, Malformed("reencrypt response: cfrag: %v", err)
		}
		return &ReencryptResponse{Outcome: o, CFrag: cf}, nil
	}
	if len(b) < 5 {
		return nil, Malformed("reencrypt response: refusal without message length")
	}
	n := int(binary.BigEndian.Uint16(b[3:]))
	if n > maxMessageLen || len(b) != 5+n {
		return nil, Malformed("reencrypt response: message length %d does not match %d bytes", n, len(b)-5)
	}
	return &ReencryptResponse{Outcome: o, Message: string(b[5:])}, nil
}
