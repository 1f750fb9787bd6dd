package fetch

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

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
	// ClaimRoot is the batch's zero-knowledge claim root (store/zkclaim),
	// absent when the stream makes no claims. The MAC covers it.
	ClaimRoot string `json:"claimRoot,omitempty"`
	Count     uint32 `json:"count"`
	MAC       string `json:"mac"`
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
		return pointers.StreamSecret{}, common.Address{}, fmt.Errorf("%w: chainSecret must be 64 hex digits", ErrBadInput)
	}
	if !common.IsHexAddress(q.Custodian) {
		return pointers.StreamSecret{}, common.Address{}, fmt.Errorf("%w: custodian must be an account (0x and 40 hex digits)", ErrBadInput)
	}
	return pointers.StreamSecret(b), common.HexToAddress(q.Custodian), nil
}

// CommitmentOf is the JSON form of an on-chain commitment.
func CommitmentOf(c pointers.Commitment) (Commitment, error) {
	root, err := cid.Cast(c.RootCID)
	if err != nil {
		return Commitment{}, fmt.Errorf("%w: commitment %d holds a bad CID", ErrIntegrity, c.Seq)
	}
	out := Commitment{Seq: c.Seq, Root: root.String(), MerkleRoot: hex.EncodeToString(c.MerkleRoot[:]), Count: c.Count, MAC: hex.EncodeToString(c.MAC[:])}
	if c.ClaimRoot != ([32]byte{}) {
		out.ClaimRoot = hex.EncodeToString(c.ClaimRoot[:])
	}
	return out, nil
}

// Record is the on-chain commitment c stands for, as the stream with this
// chain secret made it: a commitment whose MAC the secret does not confirm
// (a daemon that made it up) is ErrIntegrity.
func (c Commitment) Record(secret pointers.StreamSecret) (pointers.Commitment, error) {
	root, err := cid.Decode(c.Root)
	mr, err2 := hex.DecodeString(c.MerkleRoot)
	mac, err3 := hex.DecodeString(c.MAC)
	if err != nil || err2 != nil || err3 != nil || len(mr) != 32 || len(mac) != 16 {
		return pointers.Commitment{}, fmt.Errorf("%w: the daemon sent a malformed commitment (seq %d)", ErrIntegrity, c.Seq)
	}
	rec := pointers.Commitment{Tag: secret.BatchTag(c.Seq), Seq: c.Seq, RootCID: root.Bytes(), MerkleRoot: [32]byte(mr), Count: c.Count, MAC: [16]byte(mac)}
	if c.ClaimRoot != "" {
		cr, err := hex.DecodeString(c.ClaimRoot)
		if err != nil || len(cr) != 32 {
			return pointers.Commitment{}, fmt.Errorf("%w: the daemon sent a malformed claim root (seq %d)", ErrIntegrity, c.Seq)
		}
		rec.ClaimRoot = [32]byte(cr)
	}
	if !secret.Authentic(rec, c.Seq) {
		return pointers.Commitment{}, fmt.Errorf("%w: the daemon sent a commitment (seq %d) the stream's chain secret does not confirm", ErrIntegrity, c.Seq)
	}
	return rec, nil
}

// Record is the on-chain grant record v stands for.
func (v *GrantView) Record() (pointers.GrantRecord, error) {
	var rec pointers.GrantRecord
	bad := fmt.Errorf("%w: the daemon sent a malformed grant", ErrIntegrity)
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
		return rec, fmt.Errorf("%w: the daemon sent a grant with threshold %d", ErrIntegrity, v.Threshold)
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
	Grant     string        `json:"grant"`
	Threshold int           `json:"threshold"`
	Want      int           `json:"want"`
	Outcome   string        `json:"outcome"` // granted (want cfrags) or refused
	Answers   []RelayAnswer `json:"answers"`
	Error     string        `json:"error,omitempty"`
	Code      string        `json:"code,omitempty"`
}

// GrantView is a grant as the chain holds it.
type GrantView struct {
	ID             string    `json:"id"`
	StreamBinding  string    `json:"streamBinding"`
	RecordedBy     string    `json:"recordedBy"` // the custodian's chain account
	GranteeKeyHash string    `json:"granteeKeyHash"`
	NotBefore      time.Time `json:"notBefore"`
	NotAfter       time.Time `json:"notAfter"`
	Threshold      int       `json:"threshold"`
	Proxies        []string  `json:"proxies"` // chain accounts
	SignerKey      string    `json:"signerKey"`
	Signature      string    `json:"signature"`
	Revoked        bool      `json:"revoked"`
	RevokedAt      time.Time `json:"revokedAt,omitzero"`
	// State is "live" when the proxies would serve it now, else the reason
	// they would refuse.
	State string `json:"state"`
}
