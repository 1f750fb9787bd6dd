package service

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// Service is what a node does for its users. Every method fails with an
// error of one internal/fault class.
type Service interface {
	// Identity is this node's peer id, chain account and addresses.
	Identity(ctx context.Context) (*Identity, error)

	EnrollDevice(ctx context.Context, id string) (Device, ed25519.PrivateKey, error)
	// EnrollUnit enrols a device its manufacturer registered on chain (UDI and the public key it was made
	// with); the device keeps its private key.
	EnrollUnit(ctx context.Context, id, udi string, pub ed25519.PublicKey) (Device, error)
	RevokeDevice(ctx context.Context, id string) (Device, error)
	// DeviceHistory is an enrolled unit's life from the lifecycle registry (docs/DEVICES.md).
	DeviceHistory(ctx context.Context, id string) (*DeviceHistory, error)
	// FHIRDevices is the enrolled devices as a FHIR R4 Bundle of Device resources.
	FHIRDevices(ctx context.Context) (map[string]any, error)
	// RecordUpdate records a firmware update a registered unit attested to (quarantining it if the new image
	// is not an approved release); ReleaseQuarantine ends a quarantine (false: it was not in quarantine).
	RecordUpdate(ctx context.Context, device, version string, from, to [32]byte, sig []byte) (*UpdateResult, error)
	ReleaseQuarantine(ctx context.Context, device string) (bool, error)
	// RecordCustody records a hospital's custody step of a registered unit (received, implanted in a local
	// patient, explanted); the unit → patient link stays on the node and is erased with the patient.
	RecordCustody(ctx context.Context, device, step, patient string) (*CustodyResult, error)
	// Implants lists the registered units implanted in a local patient (explanted ones with the time).
	Implants(ctx context.Context, patient string) ([]Implant, error)
	// RecallImpact lists this node's batches produced under one firmware of one model.
	RecallImpact(ctx context.Context, model, firmware string) (*RecallImpact, error)
	// ConsortiumRecallImpact puts every other member's report (asked over p2p) beside this node's.
	ConsortiumRecallImpact(ctx context.Context, model, firmware string) (*ConsortiumRecallImpact, error)
	Devices(ctx context.Context) ([]Device, error)

	// CreatePatient enrols a patient with its streams, all or nothing.
	CreatePatient(ctx context.Context, mrn string, streams []string) (Patient, error)
	Patients(ctx context.Context) ([]Patient, error)

	// Ingest takes a signed JSON-lines batch; IngestFHIR a FHIR Observation
	// or Bundle with the device's signature over it.
	Ingest(ctx context.Context, device string, batch io.Reader) (*Receipt, error)
	IngestFHIR(ctx context.Context, device string, doc []byte, sig []byte, fw *Firmware) (*Receipt, error)

	Grant(ctx context.Context, r GrantRequest) (*GrantResult, error)
	// Revoke revokes the grant whose id is id or, as git does for commits,
	// the only grant of this node whose id starts with it.
	Revoke(ctx context.Context, id string) (*Revocation, error)
	// GrantStatus is a grant as the chain holds it, with its state now.
	GrantStatus(ctx context.Context, id string) (*GrantView, error)
	ImportConsent(ctx context.Context, consent []byte, m, n int) (*ConsentResult, error)

	// Fetch decrypts and verifies the readings a grant covers, as the
	// grantee: the keys in r stay in this process.
	Fetch(ctx context.Context, r FetchRequest) (*FetchResult, error)

	Audit(ctx context.Context, patient string) ([]AuditEntry, error)
	// Disclosures is the accounting of disclosures of a patient, or of an
	// erased patient named by the erasure's request reference.
	Disclosures(ctx context.Context, patient, requestRef string) (*DisclosureReport, error)
	// Verify checks stored batches against their on-chain commitments; a
	// mismatch is a result with OK false and the error is an integrity
	// failure naming the first.
	Verify(ctx context.Context, roots []cid.Cid, patient string) ([]VerifyResult, error)

	Erase(ctx context.Context, patient, requestRef, reason string) (*Erasure, error)
	// RefuseErasure refuses an erasure request on a GDPR Art. 17(3) ground,
	// on-chain, and returns the signed refusal document.
	RefuseErasure(ctx context.Context, patient, requestRef, ground, reason string) ([]byte, error)
	VerifyErasure(ctx context.Context, certificate []byte) (*ErasureCheck, error)

	// ProveClaim proves a zero-knowledge claim about a patient's stream (docs/ZK.md): the claim file
	// names no patient and reveals no reading; VerifyClaimOnChain checks it with no repo and no key.
	ProveClaim(ctx context.Context, r ClaimRequest) (*Claim, error)
	// VerifyClaim checks a claim file against this node's chain and contracts.
	VerifyClaim(ctx context.Context, claim []byte) (*ClaimVerification, error)

	// CreatePatientToken makes an API token scoped to one patient (the
	// console's patient view), shown once.
	CreatePatientToken(ctx context.Context, name, patient string, ttl time.Duration) (*CreatedToken, error)

	Members(ctx context.Context) ([]Member, error)
	AddMember(ctx context.Context, account, peerID, proxyKey string) (*Member, error)
	// AdmitManufacturer admits a device manufacturer to the lifecycle registry (admins): funds its chain
	// account and records its release-signing key.
	AdmitManufacturer(ctx context.Context, account, signingKey, name string) (*Manufacturer, error)

	// Close releases what the service holds (a Local closes its node after
	// its pending commitments reached the chain, bounded).
	Close() error
}

// Types the interface shares with the application package.
type (
	Receipt                = node.Receipt
	GrantRequest           = node.GrantRequest
	GrantResult            = node.GrantResult
	AuditEntry             = node.AuditEntry
	DisclosureReport       = node.DisclosureReport
	DisclosureCheck        = node.DisclosureCheck
	VerifyResult           = node.VerifyResult
	Ticket                 = node.Ticket
	ReadingJSON            = node.ReadingJSON
	ConsentGrant           = node.ConsentGrant
	InitResult             = node.InitResult
	BackupResult           = node.BackupResult
	RestoreResult          = node.RestoreResult
	GranteeKey             = p2p.GranteeKey
	Grantee                = p2p.Grantee
	Addresses              = pointers.Addresses
	DeviceHistory          = node.DeviceHistory
	RecallImpact           = node.RecallImpact
	ConsortiumRecallImpact = node.ConsortiumRecallImpact
	UpdateResult           = node.UpdateResult
	CustodyResult          = node.CustodyResult
	Implant                = node.Implant
	Manufacturer           = node.Manufacturer
	Claim                  = node.Claim
	ClaimRequest           = node.ClaimRequest
	ClaimCheck             = node.ClaimCheck
)

// Identity is who a node is.
type Identity struct {
	PeerID  string   `json:"peerId"`
	Account string   `json:"chainAccount"`
	Addrs   []string `json:"addrs"`
	API     string   `json:"api,omitempty"`
	Repo    string   `json:"repo,omitempty"`
}

// Device is an enrolled device.
type Device struct {
	ID        string     `json:"id"`
	Status    string     `json:"status"`
	KeyID     string     `json:"keyId"`
	PublicKey string     `json:"publicKey"`
	Enrolled  time.Time  `json:"enrolled"`
	Revoked   *time.Time `json:"revoked,omitempty"`
	UDI       string     `json:"udi,omitempty"`
}

// DeviceOf is the Device view of a keystore record.
func DeviceOf(d keys.Device) Device {
	out := Device{ID: d.ID, Status: d.Status.String(), KeyID: d.KeyID.String(), PublicKey: hex.EncodeToString(d.PublicKey), Enrolled: d.Enrolled, UDI: d.UDI}
	if !d.Revoked.IsZero() {
		r := d.Revoked
		out.Revoked = &r
	}
	return out
}

// Patient is an enrolled patient.
type Patient struct {
	Pseudonym  string    `json:"pseudonym"`
	MRN        string    `json:"mrn"`
	Streams    []string  `json:"streams"`
	Created    time.Time `json:"created"`
	SubjectTag string    `json:"subjectTag"`
}

// PatientOf is the Patient view of a keystore record.
func PatientOf(p keys.Patient) Patient {
	s := p.Streams
	if s == nil {
		s = []string{}
	}
	return Patient{Pseudonym: p.Pseudonym.String(), MRN: p.MRN, Streams: s, Created: p.Created, SubjectTag: p.SubjectTag.String()}
}

// Member is a consortium member.
type Member struct {
	Account  string `json:"account"`
	Active   bool   `json:"active"`
	PeerID   string `json:"peerId"`
	ProxyKey string `json:"proxyKey"`
}

// MemberOf is the Member view of an on-chain record.
func MemberOf(m pointers.Member) Member {
	pid := hex.EncodeToString(m.PeerID)
	if id, err := peer.IDFromBytes(m.PeerID); err == nil {
		pid = id.String()
	}
	return Member{Account: m.Account.Hex(), Active: m.Active, PeerID: pid, ProxyKey: hex.EncodeToString(m.ProxyKey)}
}

// Revocation is a grant revoked on-chain.
type Revocation struct {
	Grant   string `json:"grant"`
	Revoked bool   `json:"revoked"`
	Tx      string `json:"tx"`
	Block   uint64 `json:"block"`
	// Pending: the chain could not be reached; the revocation is journaled
	// and sent when it answers (Revoked is false, Tx empty until then). The
	// proxies serve nothing for the grant meanwhile: they fail closed
	// without the chain.
	Pending bool `json:"pending,omitempty"`
}

// ConsentResult is a FHIR Consent imported as grants.
type ConsentResult struct {
	Consent *node.ConsentGrant  `json:"consent"`
	Grants  []*node.GrantResult `json:"grants"`
}

// FetchRequest asks for the readings of one grant: by Ticket, or for a
// patient of the serving node by Patient and Stream (its ticket is looked
// up for the grantee's key).
type FetchRequest struct {
	Grantee         *p2p.Grantee
	Ticket          node.Ticket
	Patient, Stream string
	From, Until     time.Time
	Purpose         string
	Progress        func(done, total int)
	// PendingWait bounds the wait for acknowledged batches not yet on-chain
	// (node.FetchRequest.PendingWait: 0 default, negative none).
	PendingWait time.Duration
}

// FetchResult holds decrypted, verified readings.
type FetchResult = node.FetchResult

// Erasure is the result of an erasure: the signed certificate and the
// members that have not acknowledged the purge yet.
type Erasure struct {
	ID          string   `json:"id"`
	Certificate []byte   `json:"-"`
	Pending     []string `json:"pending"`
}

// ErasureCheck is the result of verifying an erasure certificate
// (erasure.Verify): Status "valid" (Valid true) when every member at the
// erasure block acknowledged the purge, "incomplete" when Missing ones
// have not. Checks are the verifier's own, recomputed from the chain and
// the signatures; Registries says where the contract addresses came from.
type ErasureCheck struct {
	Valid         bool            `json:"valid"`
	Status        string          `json:"status"`
	ErasureID     erasure.Hex32   `json:"erasureId"`
	SubjectTag    erasure.Hex32   `json:"subjectTag"`
	KeysDestroyed int             `json:"keysDestroyed"`
	Acks          int             `json:"acks"`
	Members       []string        `json:"members"`
	Missing       []string        `json:"missing"`
	Pending       []string        `json:"pending"`
	PendingCount  int             `json:"pendingCount"`
	Recipients    int             `json:"recipients"`
	Tx            string          `json:"tx"`
	Block         uint64          `json:"block"`
	Checks        []erasure.Check `json:"checks"`
	CannotProve   []string        `json:"cannotProve"`
	Registries    string          `json:"registries"`
}

// Where a verification took the contract addresses from.
const (
	RegistriesOfNode        = "the verifying node's contracts"
	RegistriesPinned        = "pinned by --contracts"
	RegistriesOfCertificate = "named by the certificate (pin them with --contracts FILE)"
	RegistriesOfClaim       = "named by the claim (pin them with --contracts FILE)"
)

// ErasureCheckOf is the check result of a verification.
func ErasureCheckOf(v *erasure.Verification, registries string) *ErasureCheck {
	c := v.Certificate
	p := c.Pending
	if p == nil {
		p = []string{}
	}
	return &ErasureCheck{Valid: v.Status == erasure.StatusValid, Status: v.Status, ErasureID: c.ErasureID, SubjectTag: c.SubjectTag,
		KeysDestroyed: len(c.KeyIDs), Acks: len(c.Acks), Members: v.Members, Missing: v.Missing, Pending: p, PendingCount: len(c.Pending),
		Recipients: len(c.Recipients), Tx: c.Chain.TxHash, Block: c.Chain.Block, Checks: v.Checks, CannotProve: c.CannotProve, Registries: registries}
}
