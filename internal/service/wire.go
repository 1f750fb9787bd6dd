package service

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/pointers"
)

// The JSON forms of what a daemon serves to a grantee's fetch through its
// API: commitments, grants and re-encryption relays. A grantee checks all of
// it (blocks against CIDs, cfrags against their proofs, readings against the
// commitments' Merkle roots); a malformed answer is an integrity failure.

// Commitment is one batch commitment of a stream.
type Commitment struct {
	Seq        uint64 `json:"seq"`
	Root       string `json:"root"`
	MerkleRoot string `json:"merkleRoot"`
	Count      uint32 `json:"count"`
	MAC        string `json:"mac"`
}

// CommitmentQuery asks for a stream's commitments: the stream's chain
// secret (from the grant ticket) and its custodian's account.
type CommitmentQuery struct {
	ChainSecret string `json:"chainSecret"`
	Custodian   string `json:"custodian"`
}

// Parse checks the query's fields.
func (q CommitmentQuery) Parse() (pointers.StreamSecret, common.Address, error) {
	b, err := hex.DecodeString(q.ChainSecret)
	if err != nil || len(b) != 32 {
		return pointers.StreamSecret{}, common.Address{}, fmt.Errorf("%w: chainSecret must be 64 hex digits", node.ErrBadInput)
	}
	if !common.IsHexAddress(q.Custodian) {
		return pointers.StreamSecret{}, common.Address{}, fmt.Errorf("%w: custodian must be an account (0x and 40 hex digits)", node.ErrBadInput)
	}
	return pointers.StreamSecret(b), common.HexToAddress(q.Custodian), nil
}

// CommitmentOf is the JSON form of an on-chain commitment.
func CommitmentOf(c pointers.Commitment) (Commitment, error) {
	root, err := cid.Cast(c.RootCID)
	if err != nil {
		return Commitment{}, fmt.Errorf("%w: commitment %d holds a bad CID", node.ErrIntegrity, c.Seq)
	}
	return Commitment{Seq: c.Seq, Root: root.String(), MerkleRoot: hex.EncodeToString(c.MerkleRoot[:]), Count: c.Count, MAC: hex.EncodeToString(c.MAC[:])}, nil
}

// Record is the on-chain commitment c stands for, as the stream with this
// chain secret made it: a commitment whose MAC the secret does not confirm
// (a daemon that made it up) is ErrIntegrity.
func (c Commitment) Record(secret pointers.StreamSecret) (pointers.Commitment, error) {
	root, err := cid.Decode(c.Root)
	mr, err2 := hex.DecodeString(c.MerkleRoot)
	mac, err3 := hex.DecodeString(c.MAC)
	if err != nil || err2 != nil || err3 != nil || len(mr) != 32 || len(mac) != 16 {
		return pointers.Commitment{}, fmt.Errorf("%w: the daemon sent a malformed commitment (seq %d)", node.ErrIntegrity, c.Seq)
	}
	rec := pointers.Commitment{Tag: secret.BatchTag(c.Seq), Seq: c.Seq, RootCID: root.Bytes(), MerkleRoot: [32]byte(mr), Count: c.Count, MAC: [16]byte(mac)}
	if !secret.Authentic(rec, c.Seq) {
		return pointers.Commitment{}, fmt.Errorf("%w: the daemon sent a commitment (seq %d) the stream's chain secret does not confirm", node.ErrIntegrity, c.Seq)
	}
	return rec, nil
}

// Record is the on-chain grant record v stands for.
func (v *GrantView) Record() (pointers.GrantRecord, error) {
	var rec pointers.GrantRecord
	bad := fmt.Errorf("%w: the daemon sent a malformed grant", node.ErrIntegrity)
	dec := func(dst []byte, s string) bool {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != len(dst) {
			return false
		}
		copy(dst, b)
		return true
	}
	rec.SignerKey = make([]byte, 32)
	if !dec(rec.ID[:], v.ID) || !dec(rec.StreamBinding[:], v.StreamBinding) || !common.IsHexAddress(v.RecordedBy) || !dec(rec.GranteeKeyHash[:], v.GranteeKeyHash) || !dec(rec.SignerKey, v.SignerKey) {
		return rec, bad
	}
	sig, err := hex.DecodeString(v.Signature)
	if err != nil {
		return rec, bad
	}
	if v.Threshold < 1 || v.Threshold > 255 {
		return rec, fmt.Errorf("%w: the daemon sent a grant with threshold %d", node.ErrIntegrity, v.Threshold)
	}
	rec.Signature = sig
	rec.RecordedBy = common.HexToAddress(v.RecordedBy)
	rec.M, rec.NotBefore, rec.NotAfter, rec.Revoked, rec.RevokedAt = uint8(v.Threshold), v.NotBefore, v.NotAfter, v.Revoked, v.RevokedAt
	for _, p := range v.Proxies {
		if !common.IsHexAddress(p) {
			return rec, bad
		}
		rec.Proxies = append(rec.Proxies, common.HexToAddress(p))
	}
	return rec, nil
}

// RelayRequest is the JSON form of POST /v1/reencrypt: a grantee's signed
// request for the daemon to relay to the grant's proxies.
type RelayRequest struct {
	Request []byte   `json:"request"`           // the signed request, p2p wire encoding (base64)
	Want    int      `json:"want,omitempty"`    // cfrags wanted (default: the grant's threshold M)
	Exclude []string `json:"exclude,omitempty"` // proxies (peer ids) not to ask
}

// RelayReply is the relay's answer.
type RelayReply struct {
	Grant     string             `json:"grant"`
	Threshold int                `json:"threshold"`
	Want      int                `json:"want"`
	Outcome   string             `json:"outcome"` // granted (want cfrags) or refused
	Answers   []node.RelayAnswer `json:"answers"`
	Error     string             `json:"error,omitempty"`
	Code      string             `json:"code,omitempty"`
}

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
