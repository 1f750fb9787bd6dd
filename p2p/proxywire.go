package p2p

import (
	"crypto/sha256"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/vaultnode/vaultnode/p2p/proxywire"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// ReencryptProtocol is the libp2p protocol id of the re-encryption proxy.
const ReencryptProtocol = "/vaultnode/reencrypt/1.0.0"

// The proxy protocol's messages, the grantee's keys and the purposes of use
// are defined in p2p/proxywire, which a grantee's client (also the console's
// WebAssembly build, where libp2p does not compile) uses without the host.
type (
	ReencryptRequest  = proxywire.ReencryptRequest
	ReencryptResponse = proxywire.ReencryptResponse
	RefusalError      = proxywire.RefusalError
	Outcome           = proxywire.Outcome
	GranteeKey        = proxywire.GranteeKey
	Grantee           = proxywire.Grantee
)

// The outcomes, limits and functions of p2p/proxywire, under their p2p names.
const (
	Granted               = proxywire.Granted
	RefusedMalformed      = proxywire.RefusedMalformed
	RefusedExpiredRequest = proxywire.RefusedExpiredRequest
	RefusedBadSignature   = proxywire.RefusedBadSignature
	RefusedReplay         = proxywire.RefusedReplay
	RefusedRateLimited    = proxywire.RefusedRateLimited
	RefusedNoGrant        = proxywire.RefusedNoGrant
	RefusedRevoked        = proxywire.RefusedRevoked
	RefusedNotYetValid    = proxywire.RefusedNotYetValid
	RefusedGrantExpired   = proxywire.RefusedGrantExpired
	RefusedWrongGrantee   = proxywire.RefusedWrongGrantee
	RefusedNotProxy       = proxywire.RefusedNotProxy
	RefusedNoKFrag        = proxywire.RefusedNoKFrag
	RefusedInternal       = proxywire.RefusedInternal
	RefusedPurpose        = proxywire.RefusedPurpose

	GranteeKeySize = proxywire.GranteeKeySize
	MaxPurposeLen  = proxywire.MaxPurposeLen
	OutcomeCount   = proxywire.OutcomeCount
	ResponseTag    = proxywire.ResponseTag
	WireVersion    = proxywire.WireVersion
)

// ErrMalformed is the error of every undecodable message of the protocols.
var ErrMalformed = proxywire.ErrMalformed

var (
	ParseGranteeKey        = proxywire.ParseGranteeKey
	GenerateGrantee        = proxywire.GenerateGrantee
	CheckPurpose           = proxywire.CheckPurpose
	PurposeCodes           = proxywire.PurposeCodes
	PurposeDisplay         = proxywire.PurposeDisplay
	ParseReencryptRequest  = proxywire.ParseReencryptRequest
	ParseReencryptResponse = proxywire.ParseReencryptResponse
	Outcomes               = proxywire.Outcomes
	malformed              = proxywire.Malformed
)

// maxFrame bounds any message of the proxy and kfrag protocols.
const maxFrame = 64 << 10

func capsuleHash(c *reencrypt.Capsule) [32]byte {
	return sha256.Sum256(c.Bytes())
}

// serveFrames registers a one-request-one-answer handler for proto: read one
// frame (10 s deadline), answer with handle's frame, or reset the stream when
// the request cannot be read or the answer encoded.
func serveFrames(h host.Host, proto protocol.ID, handle func(raw []byte) ([]byte, error)) {
	h.SetStreamHandler(proto, func(s network.Stream) {
		defer s.Close()
		_ = s.SetDeadline(time.Now().Add(10 * time.Second))
		raw, err := readFrame(s, maxFrame)
		if err != nil {
			_ = s.Reset()
			return
		}
		b, err := handle(raw)
		if err != nil {
			_ = s.Reset()
			return
		}
		_ = writeFrame(s, b)
	})
}
