package erasure

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// CertificateFormat names the certificate format and version.
const CertificateFormat = "vaultnode-erasure-certificate/2"

const (
	certDomain   = "vaultnode/erasure-certificate/v2\n"
	keyIDsDomain = "vaultnode/erasure/key-ids/v1\x00"
	refDomain    = "vaultnode/erasure/request-ref/v2\x00"
	idDomain     = "vaultnode/erasure/id/v1\x00"
	saltDomain   = "vaultnode/erasure/request-ref-salt/v1\x00"
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
	// Name is the stream's local name; the custodian forgets it when it destroys the keys, so a
	// certificate never carries it.
	Name    string `json:"name,omitempty"`
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
	// Accesses is how many re-encryptions of this grant the proxies' access
	// logs record as granted (0: the recipient never fetched); absent when
	// the logs could not be read. The custodian's statement: see
	// Certificate.AccessesFrom for whose logs.
	Accesses *int `json:"accesses,omitempty"`
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

// ChainRef is the on-chain deletion record and the registries a verifier
// reads (pin them with the consortium's contracts file; see Verify).
type ChainRef struct {
	ChainID     uint64    `json:"chainId"`
	Registry    string    `json:"registry"`    // Erasures contract address
	Consortium  string    `json:"consortium"`  // Consortium contract address (members)
	Grants      string    `json:"grants"`      // Grants contract address
	DeployBlock uint64    `json:"deployBlock"` // first block of the deployment (event lookups start there)
	TxHash      string    `json:"txHash"`
	Block       uint64    `json:"block"`
	BlockHash   string    `json:"blockHash"`
	DPO         string    `json:"dpo"` // account that recorded it
	Time        time.Time `json:"time"`
}

// Check is the outcome of one verification step: a probe the custodian ran
// before certifying (Certificate.Checks, its own statement), or a check the
// verifier made itself (Verification.Checks).
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
	RequestRefSalt   Hex32        `json:"requestRefSalt"` // keys the on-chain hash: the reference can't be guessed from the chain
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
	AccessesFrom     string       `json:"accessesFrom,omitempty"` // whose access logs the recipients' accesses were counted in
	PurgeOrder       []byte       `json:"purgeOrder"`             // the signed p2p.PurgeOrder, base64
	PurgeOrderHash   Hex32        `json:"purgeOrderHash"`
	Acks             []Ack        `json:"acks"`
	Pending          []string     `json:"pending"`
	Chain            ChainRef     `json:"chain"`
	Checks           []Check      `json:"checks"` // the custodian's probes (its statement; Verify recomputes what it can)
	CannotProve      []string     `json:"cannotProve"`
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

// RequestRefHash is the hash of a request reference as recorded on-chain,
// keyed by a random salt kept with the request (journal, certificate,
// refusal document): without the salt a chain reader cannot test guesses
// ("DSAR-4242") against it.
func RequestRefHash(salt Hex32, ref string) Hex32 {
	h := sha256.New()
	h.Write([]byte(refDomain))
	h.Write(salt[:])
	h.Write([]byte(ref))
	return Hex32(h.Sum(nil))
}

// refSalt is the salt of a request reference: an HMAC of the reference
// under the custodian's node key, so the same request always gets the same
// salt (a retried record or refusal is recognised on-chain) and nobody
// without the custodian's key can compute it.
func refSalt(key crypto.PrivKey, ref string) (Hex32, error) {
	raw, err := key.Raw()
	if err != nil {
		return Hex32{}, fmt.Errorf("request salt: %w", err)
	}
	defer clear(raw)
	m := hmac.New(sha256.New, raw)
	m.Write([]byte(saltDomain))
	m.Write([]byte(ref))
	return Hex32(m.Sum(nil)), nil
}

// cannotProve is what no erasure certificate can prove, stated in every
// certificate so that nobody reads more into it.
var cannotProve = []string{
	"that no copy was taken outside vaultnode (an export, a screenshot, a backup kept elsewhere)",
	"that a recipient who fetched the readings before the erasure no longer holds the plaintext (see recipients)",
	"that a member which has not acknowledged the purge has deleted anything (see pending)",
	"that the custodian listed every stream of the patient: the chain cannot link streams to a patient, by design",
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

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidCertificate, fmt.Sprintf(format, args...))
}
