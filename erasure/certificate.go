package erasure

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// CertificateFormat names the certificate format and version.
const CertificateFormat = "vaultnode-erasure-certificate/1"

const (
	certDomain   = "vaultnode/erasure-certificate/v1\n"
	keyIDsDomain = "vaultnode/erasure/key-ids/v1\x00"
	refDomain    = "vaultnode/erasure/request-ref/v1\x00"
	idDomain     = "vaultnode/erasure/id/v1\x00"
)

// ErrInvalidCertificate: a certificate (or refusal document) does not hold:
// malformed, a signature does not verify, or it disagrees with the chain.
// The wrapping error names what was wrong.
var ErrInvalidCertificate = errors.New("erasure certificate does not hold")

// Hex32 is 32 bytes written as 64 lowercase hex digits in JSON.
type Hex32 [32]byte

// MarshalText encodes as lowercase hex.
func (h Hex32) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h[:])), nil }

// UnmarshalText accepts exactly 64 lowercase hex digits.
func (h *Hex32) UnmarshalText(b []byte) error {
	if len(b) != 64 {
		return fmt.Errorf("want 64 hex digits, got %d characters", len(b))
	}
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return errors.New("want lowercase hex digits")
		}
	}
	_, err := hex.Decode(h[:], b)
	return err
}

func (h Hex32) String() string { return hex.EncodeToString(h[:]) }

// CertStream is one erased stream: its on-chain tag and how many committed
// batches it had.
type CertStream struct {
	Name    string `json:"name"`
	Tag     Hex32  `json:"tag"`
	Batches int    `json:"batches"`
}

// Recipient is a grantee of the patient's data (GDPR Art. 19): the grant,
// its grantee key hash, and how it was ended.
type Recipient struct {
	GrantID   Hex32  `json:"grantId"`
	StreamTag Hex32  `json:"streamTag"`
	Grantee   Hex32  `json:"grantee"`            // grantee public key hash, as on-chain
	Status    string `json:"status"`             // "revoked" (by this erasure) or "already-revoked"
	RevokeTx  string `json:"revokeTx,omitempty"` // transaction of the revocation made by this erasure
}

// Ack is one peer's signed purge acknowledgement as held in a certificate.
// The signature covers the p2p.PurgeAck encoding of these fields and the
// certificate's purge order hash.
type Ack struct {
	Peer      string    `json:"peer"`
	KFrags    uint64    `json:"kfrags"`
	Blocks    uint64    `json:"blocks"`
	Time      time.Time `json:"time"`
	Signature []byte    `json:"signature"`
}

// ChainRef is the on-chain deletion record.
type ChainRef struct {
	ChainID   uint64    `json:"chainId"`
	Registry  string    `json:"registry"` // Erasures contract address
	TxHash    string    `json:"txHash"`
	Block     uint64    `json:"block"`
	BlockHash string    `json:"blockHash"`
	DPO       string    `json:"dpo"` // account that recorded it
	Time      time.Time `json:"time"`
}

// Check is the outcome of one verification probe run before certifying.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Certificate is the signed erasure certificate (docs/ERASURE.md).
type Certificate struct {
	Format           string       `json:"format"`
	ErasureID        Hex32        `json:"erasureId"`
	SubjectTag       Hex32        `json:"subjectTag"`
	RequestRef       string       `json:"requestRef"`
	RequestRefHash   Hex32        `json:"requestRefHash"`
	Reason           string       `json:"reason,omitempty"`
	Received         time.Time    `json:"received"`
	Deadline         time.Time    `json:"deadline"`
	KeysDestroyed    time.Time    `json:"keysDestroyed"`
	Issued           time.Time    `json:"issued"`
	KeyIDs           []Hex32      `json:"keyIds"`
	KeyIDsCommitment Hex32        `json:"keyIdsCommitment"`
	Streams          []CertStream `json:"streams"`
	Recipients       []Recipient  `json:"recipients"`
	PurgeOrder       []byte       `json:"purgeOrder"` // the signed p2p.PurgeOrder, base64
	PurgeOrderHash   Hex32        `json:"purgeOrderHash"`
	Acks             []Ack        `json:"acks"`
	Pending          []string     `json:"pending"`
	Chain            ChainRef     `json:"chain"`
	Checks           []Check      `json:"checks"`
	Custodian        string       `json:"custodian"`           // peer id of the custodian node (signer)
	Signature        []byte       `json:"signature,omitempty"` // Ed25519 by the custodian, base64
}

// KeyIDsCommitment is the commitment recorded on-chain: SHA-256 over a
// domain tag and the sorted 32-byte key ids.
func KeyIDsCommitment(ids []Hex32) Hex32 {
	s := append([]Hex32(nil), ids...)
	sort.Slice(s, func(i, j int) bool { return bytes.Compare(s[i][:], s[j][:]) < 0 })
	h := sha256.New()
	h.Write([]byte(keyIDsDomain))
	for _, id := range s {
		h.Write(id[:])
	}
	return Hex32(h.Sum(nil))
}

// RequestRefHash is the hash of a request reference as recorded on-chain.
func RequestRefHash(ref string) Hex32 {
	return sha256.Sum256(append([]byte(refDomain), ref...))
}

func erasureID(subject Hex32) Hex32 {
	return sha256.Sum256(append([]byte(idDomain), subject[:]...))
}

// signedBytes is the canonical encoding the signature covers: a domain line
// and the certificate's JSON (encoding/json of the struct, fields in the
// declared order, no whitespace) without the signature.
func (c *Certificate) signedBytes() ([]byte, error) {
	cp := *c
	cp.Signature = nil
	b, err := json.Marshal(&cp)
	if err != nil {
		return nil, err
	}
	return append([]byte(certDomain), b...), nil
}

func (c *Certificate) sign(key crypto.PrivKey) ([]byte, error) {
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return nil, err
	}
	c.Custodian = id.String()
	msg, err := c.signedBytes()
	if err != nil {
		return nil, err
	}
	if c.Signature, err = key.Sign(msg); err != nil {
		return nil, err
	}
	return json.MarshalIndent(c, "", "  ")
}

// ParseCertificate decodes a certificate strictly (unknown fields refused).
// It checks nothing else; see Verify.
func ParseCertificate(b []byte) (*Certificate, error) {
	var c Certificate
	if err := strictJSON(b, &c); err != nil {
		return nil, fmt.Errorf("%w: malformed certificate: %v", ErrInvalidCertificate, err)
	}
	if c.Format != CertificateFormat {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrInvalidCertificate, c.Format, CertificateFormat)
	}
	return &c, nil
}

// ChainReader is what Verify reads from the chain. *pointers.Client
// implements it.
type ChainReader interface {
	Contracts() pointers.Addresses
	LookupErasure(ctx context.Context, subjectTag [32]byte) (pointers.ErasureRecord, error)
	GetGrant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error)
	Members(ctx context.Context) ([]pointers.Member, error)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidCertificate, fmt.Sprintf(format, args...))
}

// Verify checks an erasure certificate completely: its format, the
// custodian's signature over the canonical encoding, the hashes it states
// (request reference, key-id commitment, erasure id), the purge order
// (signed by the custodian, for this subject and these streams), every
// peer's acknowledgement (signed by that peer, for this order, a consortium
// member, listed once), and the chain: the deletion record holds this
// subject, commitment and request hash in the stated transaction and block,
// made by the member whose peer id is the custodian, on the stated
// registry; every recipient's grant is revoked with the stated grantee.
// It returns the certificate, or an error wrapping ErrInvalidCertificate
// that names what does not hold. It needs no repo, only the chain.
func Verify(ctx context.Context, certBytes []byte, chain ChainReader) (*Certificate, error) {
	c, err := ParseCertificate(certBytes)
	if err != nil {
		return nil, err
	}
	custodian, err := peer.Decode(c.Custodian)
	if err != nil {
		return nil, invalid("custodian peer id: %v", err)
	}
	pub, err := custodian.ExtractPublicKey()
	if err != nil {
		return nil, invalid("custodian peer id holds no public key: %v", err)
	}
	msg, err := c.signedBytes()
	if err != nil {
		return nil, invalid("encode: %v", err)
	}
	if ok, err := pub.Verify(msg, c.Signature); err != nil || !ok {
		return nil, invalid("custodian signature does not verify")
	}
	if RequestRefHash(c.RequestRef) != c.RequestRefHash {
		return nil, invalid("requestRefHash is not the hash of requestRef")
	}
	if len(c.KeyIDs) == 0 {
		return nil, invalid("no destroyed key ids")
	}
	if KeyIDsCommitment(c.KeyIDs) != c.KeyIDsCommitment {
		return nil, invalid("keyIdsCommitment is not the commitment of keyIds")
	}
	if erasureID(c.SubjectTag) != c.ErasureID {
		return nil, invalid("erasureId does not match the subject tag")
	}
	// Purge order.
	order, err := p2p.ParsePurgeOrder(c.PurgeOrder)
	if err != nil {
		return nil, invalid("purge order: %v", err)
	}
	if err := order.Verify(); err != nil {
		return nil, invalid("purge order: %v", err)
	}
	if order.Custodian != custodian {
		return nil, invalid("purge order signed by %s, not the custodian", order.Custodian)
	}
	if order.SubjectTag != c.SubjectTag {
		return nil, invalid("purge order is for another subject")
	}
	if oh, _ := order.Hash(); Hex32(oh) != c.PurgeOrderHash {
		return nil, invalid("purgeOrderHash does not match the purge order")
	}
	orderTags := map[[32]byte]bool{}
	for _, t := range order.StreamTags {
		orderTags[t] = true
	}
	streamTags := map[[32]byte]bool{}
	for _, s := range c.Streams {
		if !orderTags[s.Tag] {
			return nil, invalid("stream %s is not in the purge order", s.Tag)
		}
		streamTags[s.Tag] = true
	}
	if len(streamTags) != len(orderTags) {
		return nil, invalid("the purge order names streams the certificate does not list")
	}
	// Chain: registry and deletion record.
	addrs := chain.Contracts()
	if c.Chain.ChainID != addrs.ChainID || !common.IsHexAddress(c.Chain.Registry) || common.HexToAddress(c.Chain.Registry) != addrs.Erasures {
		return nil, invalid("certificate names chain %d registry %s, the chain is %d registry %s", c.Chain.ChainID, c.Chain.Registry, addrs.ChainID, addrs.Erasures.Hex())
	}
	rec, err := chain.LookupErasure(ctx, c.SubjectTag)
	if errors.Is(err, pointers.ErrUnknownErasure) {
		return nil, invalid("no deletion record on-chain for subject %s", c.SubjectTag)
	}
	if err != nil {
		return nil, fmt.Errorf("verify certificate: read chain: %w", err)
	}
	switch {
	case rec.KeyIDsCommitment != c.KeyIDsCommitment:
		return nil, invalid("on-chain key-id commitment differs from the certificate's")
	case rec.RequestRefHash != c.RequestRefHash:
		return nil, invalid("on-chain request-ref hash differs from the certificate's")
	case rec.TxHash.Hex() != c.Chain.TxHash:
		return nil, invalid("on-chain record is in transaction %s, the certificate says %s", rec.TxHash.Hex(), c.Chain.TxHash)
	case rec.Block != c.Chain.Block:
		return nil, invalid("on-chain record is in block %d, the certificate says %d", rec.Block, c.Chain.Block)
	case rec.DPO.Hex() != c.Chain.DPO:
		return nil, invalid("on-chain record made by %s, the certificate says %s", rec.DPO.Hex(), c.Chain.DPO)
	}
	members, err := chain.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify certificate: read members: %w", err)
	}
	memberPeers := map[peer.ID]common.Address{}
	for _, m := range members {
		if id, err := peer.IDFromBytes(m.PeerID); err == nil {
			memberPeers[id] = m.Account
		}
	}
	if acct, ok := memberPeers[custodian]; !ok || acct != rec.DPO {
		return nil, invalid("the custodian %s is not the member that recorded the erasure (%s)", custodian, rec.DPO.Hex())
	}
	// Acknowledgements and pending peers.
	seen := map[peer.ID]bool{}
	for i, a := range c.Acks {
		id, err := peer.Decode(a.Peer)
		if err != nil {
			return nil, invalid("ack %d: peer id: %v", i, err)
		}
		if seen[id] {
			return nil, invalid("peer %s listed twice", id)
		}
		seen[id] = true
		if _, ok := memberPeers[id]; !ok {
			return nil, invalid("ack %d: peer %s is not a consortium member", i, id)
		}
		pa := &p2p.PurgeAck{Order: c.PurgeOrderHash, Peer: id, KFrags: a.KFrags, Blocks: a.Blocks, Time: a.Time, Sig: a.Signature}
		if err := pa.Verify(); err != nil {
			return nil, invalid("ack %d of %s: %v", i, id, err)
		}
	}
	for _, s := range c.Pending {
		id, err := peer.Decode(s)
		if err != nil {
			return nil, invalid("pending peer id: %v", err)
		}
		if seen[id] {
			return nil, invalid("peer %s listed twice", id)
		}
		seen[id] = true
	}
	if len(c.Acks) == 0 {
		return nil, invalid("no peer acknowledged the purge")
	}
	// Recipients (Art. 19): each grant revoked on-chain.
	for _, r := range c.Recipients {
		if !streamTags[r.StreamTag] {
			return nil, invalid("recipient grant %s is for a stream not erased", r.GrantID)
		}
		g, err := chain.GetGrant(ctx, r.GrantID)
		if err != nil {
			return nil, invalid("recipient grant %s: %v", r.GrantID, err)
		}
		if !g.Revoked {
			return nil, invalid("recipient grant %s is not revoked on-chain", r.GrantID)
		}
		if g.GranteeKeyHash != r.Grantee || g.StreamTag != r.StreamTag {
			return nil, invalid("recipient grant %s: grantee or stream differs from the chain", r.GrantID)
		}
	}
	return c, nil
}
