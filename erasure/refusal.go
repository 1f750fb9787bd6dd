package erasure

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vaultnode/vaultnode/internal/atomicfile"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// RefusalFormat names the refusal document format and version.
const RefusalFormat = "vaultnode-erasure-refusal/1"

const refusalDomain = "vaultnode/erasure-refusal/v1\n"

// Ground is a GDPR Art. 17(3) ground for refusing an erasure, as recorded
// on-chain (a non-zero uint16).
type Ground uint16

// Grounds of refusal (GDPR Art. 17(3)).
const (
	// GroundLegalObligation: Art. 17(3)(b), compliance with a legal
	// obligation (e.g. a statutory retention period for medical records).
	GroundLegalObligation Ground = 1
	// GroundPublicHealth: Art. 17(3)(c), public interest in public health.
	GroundPublicHealth Ground = 2
	// GroundArchivingResearch: Art. 17(3)(d), archiving in the public
	// interest, scientific or historical research, statistics.
	GroundArchivingResearch Ground = 3
	// GroundLegalClaims: Art. 17(3)(e), establishment, exercise or defence
	// of legal claims.
	GroundLegalClaims Ground = 4
)

var grounds = map[Ground][2]string{
	GroundLegalObligation:   {"legal-obligation", "GDPR Art. 17(3)(b)"},
	GroundPublicHealth:      {"public-health", "GDPR Art. 17(3)(c)"},
	GroundArchivingResearch: {"archiving-research", "GDPR Art. 17(3)(d)"},
	GroundLegalClaims:       {"legal-claims", "GDPR Art. 17(3)(e)"},
}

// String is the ground's name ("legal-obligation", ...).
func (g Ground) String() string {
	if n, ok := grounds[g]; ok {
		return n[0]
	}
	return fmt.Sprintf("ground(%d)", uint16(g))
}

// Article is the GDPR provision of the ground.
func (g Ground) Article() string { return grounds[g][1] }

// ParseGround accepts a ground's name or its code.
func ParseGround(s string) (Ground, error) {
	for g, n := range grounds {
		if n[0] == s || fmt.Sprint(uint16(g)) == s {
			return g, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown refusal ground %q (legal-obligation, public-health, archiving-research, legal-claims)", ErrBadRequest, s)
}

// RefusalRequest is a DPO's decision to refuse an erasure request.
type RefusalRequest struct {
	Patient    keys.Pseudonym
	RequestRef string
	Reason     string // the explanation given to the patient
	Received   time.Time
	Ground     Ground
}

// Refusal is the signed refusal document handed to the patient.
type Refusal struct {
	Format         string    `json:"format"`
	SubjectTag     Hex32     `json:"subjectTag"`
	RequestRef     string    `json:"requestRef"`
	RequestRefSalt Hex32     `json:"requestRefSalt"`
	RequestRefHash Hex32     `json:"requestRefHash"`
	Ground         uint16    `json:"ground"`
	GroundName     string    `json:"groundName"`
	Article        string    `json:"article"`
	Reason         string    `json:"reason,omitempty"`
	Received       time.Time `json:"received"`
	Decided        time.Time `json:"decided"`
	Chain          ChainRef  `json:"chain"`
	Custodian      string    `json:"custodian"`
	Signature      []byte    `json:"signature,omitempty"`
}

func (r *Refusal) signedBytes() ([]byte, error) {
	cp := *r
	cp.Signature = nil
	b, err := json.Marshal(&cp)
	if err != nil {
		return nil, err
	}
	return append([]byte(refusalDomain), b...), nil
}

func refusalPath(dir string, ref Hex32) string {
	return filepath.Join(dir, hex.EncodeToString(ref[:])+".refusal.json")
}

// Refuse records a refusal to erase on-chain, with its Art. 17(3) ground,
// and returns the signed refusal document (also written to Dir). Nothing is
// destroyed. Refusing the same request again returns the same document.
// A patient whose erasure has started cannot be refused (ErrConflict).
func (e *Eraser) Refuse(ctx context.Context, req RefusalRequest) ([]byte, error) {
	r := Request{Patient: req.Patient, RequestRef: req.RequestRef, Reason: req.Reason}
	if err := r.validate(); err != nil {
		return nil, err
	}
	if _, ok := grounds[req.Ground]; !ok {
		return nil, fmt.Errorf("%w: unknown refusal ground %d", ErrBadRequest, req.Ground)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	salt, err := refSalt(e.id, req.RequestRef)
	if err != nil {
		return nil, fmt.Errorf("refuse erasure: %w", err)
	}
	refHash := RequestRefHash(salt, req.RequestRef)
	docPath := refusalPath(e.cfg.Dir, refHash)
	if b, err := os.ReadFile(docPath); err == nil {
		return b, nil
	}
	if _, err := os.Stat(journalPath(e.cfg.Dir, e.ID(req.Patient))); err == nil {
		return nil, fmt.Errorf("%w: the patient's erasure has already started", ErrConflict)
	}
	pt, err := e.cfg.Keys.Patient(ctx, req.Patient)
	if err != nil {
		return nil, fmt.Errorf("refuse erasure: patient: %w", err)
	}
	doc := &Refusal{Format: RefusalFormat, SubjectTag: Hex32(pt.SubjectTag), RequestRef: req.RequestRef, RequestRefSalt: salt, RequestRefHash: refHash,
		Ground: uint16(req.Ground), GroundName: req.Ground.String(), Article: req.Ground.Article(), Reason: req.Reason,
		Received: req.Received.UTC(), Decided: e.cfg.Now().UTC()}
	if req.Received.IsZero() {
		doc.Received = doc.Decided
	}
	rc, err := e.cfg.Chain.RecordRefusal(ctx, pt.SubjectTag, refHash, uint16(req.Ground))
	if err != nil && !errors.Is(err, pointers.ErrAlreadyRefused) {
		return nil, fmt.Errorf("refuse erasure: record on-chain: %w", err)
	}
	rec, lerr := e.cfg.Chain.LookupRefusal(ctx, refHash)
	if lerr != nil {
		return nil, fmt.Errorf("refuse erasure: read back: %w", lerr)
	}
	if rec.SubjectTag != pt.SubjectTag || rec.LegalGround != uint16(req.Ground) {
		return nil, fmt.Errorf("%w: another refusal is recorded under this request reference", ErrConflict)
	}
	addrs := e.cfg.Chain.Contracts()
	doc.Chain = ChainRef{ChainID: addrs.ChainID, Registry: addrs.Erasures.Hex(), Consortium: addrs.Consortium.Hex(), Grants: addrs.Grants.Hex(),
		DeployBlock: addrs.DeployBlock, DPO: rec.DPO.Hex(), Time: rec.Time.UTC()}
	if err == nil {
		doc.Chain.TxHash, doc.Chain.Block, doc.Chain.BlockHash = rc.TxHash.Hex(), rc.Block, rc.BlockHash.Hex()
	}
	id, err := peer.IDFromPrivateKey(e.id)
	if err != nil {
		return nil, err
	}
	doc.Custodian = id.String()
	msg, err := doc.signedBytes()
	if err != nil {
		return nil, err
	}
	if doc.Signature, err = e.id.Sign(msg); err != nil {
		return nil, fmt.Errorf("refuse erasure: sign: %w", err)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(docPath, b, 0o600); err != nil {
		return nil, fmt.Errorf("refuse erasure: write document: %w", err)
	}
	e.log.Info("erasure refused", "ground", req.Ground.String())
	return b, nil
}

// RefusalChainReader is what VerifyRefusal reads from the chain.
// *pointers.Client implements it.
type RefusalChainReader interface {
	Contracts() pointers.Addresses
	LookupRefusal(ctx context.Context, requestRefHash [32]byte) (pointers.RefusalRecord, error)
	Members(ctx context.Context) ([]pointers.Member, error)
}

// VerifyRefusal checks a refusal document: format, the custodian's
// signature, the request hash, the ground, and the on-chain refusal record
// (same subject and ground, recorded by the custodian's member account).
func VerifyRefusal(ctx context.Context, doc []byte, chain RefusalChainReader) (*Refusal, error) {
	var r Refusal
	if err := strictJSON(doc, &r); err != nil {
		return nil, invalid("malformed refusal: %v", err)
	}
	if r.Format != RefusalFormat {
		return nil, invalid("format %q, want %q", r.Format, RefusalFormat)
	}
	custodian, err := checkCustodianSignature(r.Custodian, r.signedBytes, r.Signature)
	if err != nil {
		return nil, err
	}
	if RequestRefHash(r.RequestRefSalt, r.RequestRef) != r.RequestRefHash {
		return nil, invalid("requestRefHash is not the salted hash of requestRef")
	}
	g := Ground(r.Ground)
	if _, ok := grounds[g]; !ok || g.String() != r.GroundName || g.Article() != r.Article {
		return nil, invalid("unknown ground or ground name/article mismatch")
	}
	addrs := chain.Contracts()
	if r.Chain.ChainID != addrs.ChainID || !common.IsHexAddress(r.Chain.Registry) || common.HexToAddress(r.Chain.Registry) != addrs.Erasures {
		return nil, invalid("refusal names another chain or registry")
	}
	rec, err := chain.LookupRefusal(ctx, r.RequestRefHash)
	if errors.Is(err, pointers.ErrUnknownRefusal) {
		return nil, invalid("no refusal on-chain for this request")
	}
	if err != nil {
		return nil, fmt.Errorf("verify refusal: read chain: %w", err)
	}
	if rec.SubjectTag != r.SubjectTag || rec.LegalGround != r.Ground || rec.DPO.Hex() != r.Chain.DPO {
		return nil, invalid("on-chain refusal differs (subject, ground or DPO)")
	}
	members, err := chain.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify refusal: read members: %w", err)
	}
	for _, m := range members {
		if id, err := peer.IDFromBytes(m.PeerID); err == nil && id == custodian && m.Account == rec.DPO {
			return &r, nil
		}
	}
	return nil, invalid("the custodian %s is not the member that recorded the refusal", custodian)
}
