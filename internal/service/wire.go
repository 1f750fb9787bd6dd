package service

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/internal/node"
)

// The JSON forms of what a daemon serves to a grantee's fetch (commitments,
// grants, re-encryption relays) are internal/fetch's: a grantee's client
// (also the console's WebAssembly build) decodes them without this package.
type (
	Commitment      = fetch.Commitment
	CommitmentQuery = fetch.CommitmentQuery
	RelayRequest    = fetch.RelayRequest
	RelayReply      = fetch.RelayReply
	GrantView       = fetch.GrantView
)

// CommitmentOf is the JSON form of an on-chain commitment.
var CommitmentOf = fetch.CommitmentOf

// GrantBody is the JSON form of POST /v1/grants.
type GrantBody struct {
	Patient   string    `json:"patient"`
	Stream    string    `json:"stream"`
	Grantee   string    `json:"grantee"` // the clinician's public key, hex
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	Threshold *int      `json:"threshold,omitempty"` // M; default 2 (1 only asked explicitly, with a warning)
	Proxies   *int      `json:"proxies,omitempty"`   // N; default M+1 when the consortium has it, else M
	Purposes  []string  `json:"purposes,omitempty"`
}

// GrantBodyOf is the JSON form of r.
func GrantBodyOf(r GrantRequest) GrantBody {
	b := GrantBody{Patient: r.Patient, Stream: r.Stream, Grantee: hex.EncodeToString(r.Grantee.Bytes()),
		NotBefore: r.NotBefore, NotAfter: r.NotAfter, Purposes: r.Purposes}
	if r.M != 0 {
		b.Threshold = &r.M
	}
	if r.N != 0 {
		b.Proxies = &r.N
	}
	return b
}

// Request is the grant request b stands for.
func (b GrantBody) Request() (GrantRequest, error) {
	gk, err := node.ParseGranteeHex(b.Grantee)
	if err != nil {
		return GrantRequest{}, fmt.Errorf("%w: grantee: %v", node.ErrBadInput, err)
	}
	r := GrantRequest{Patient: b.Patient, Stream: b.Stream, Grantee: gk, NotBefore: b.NotBefore, NotAfter: b.NotAfter, Purposes: b.Purposes}
	// Left out, M and N take their defaults; given, they must be valid
	// (a threshold of 0 was silently taken as 1).
	if b.Threshold != nil {
		if *b.Threshold < 1 {
			return GrantRequest{}, fmt.Errorf("%w: threshold %d: at least 1 cfrag is needed", node.ErrBadInput, *b.Threshold)
		}
		r.M = *b.Threshold
	}
	if b.Proxies != nil {
		if *b.Proxies < 1 {
			return GrantRequest{}, fmt.Errorf("%w: proxies %d: at least 1 proxy is needed", node.ErrBadInput, *b.Proxies)
		}
		r.N = *b.Proxies
	}
	return r, nil
}

// EraseBody is the JSON form of POST /v1/erasures.
type EraseBody struct {
	Patient    string `json:"patient"`
	RequestRef string `json:"requestRef"`
	Reason     string `json:"reason"`
}

// RefusalBody is the JSON form of POST /v1/erasures/refusals.
type RefusalBody struct {
	Patient    string `json:"patient"`
	RequestRef string `json:"requestRef"`
	Ground     string `json:"ground"` // legal-obligation, public-health, archiving-research, legal-claims
	Reason     string `json:"reason"`
}
