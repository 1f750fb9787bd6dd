package service

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// memberFunding is what admitting a member transfers to its chain account
// (gas for its commitments and grants), in wei: 100 of the chain's coin.
var memberFunding = new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))

// Local is the Service of a node this process opened.
type Local struct {
	N *node.Node
	// owned: Close closes the node (a one-shot command's); the daemon
	// closes its node itself.
	owned bool
	// queued: an operation journaled commitments that Close should give a
	// moment to reach the chain before the process exits.
	queued atomic.Bool
}

var _ Service = (*Local)(nil)

// NewLocal serves n; closing the Local leaves n open.
func NewLocal(n *node.Node) *Local { return &Local{N: n} }

// OpenOptions say how a one-shot command opens the repo.
type OpenOptions struct {
	Logger *slog.Logger
	// Offline opens the node without the p2p network.
	Offline bool
}

// OpenLocal opens the repo in dir for one command: an ephemeral p2p port and
// a short commit interval, so that commitments reach the chain before the
// command exits. It refuses while a daemon holds the repo.
func OpenLocal(ctx context.Context, dir, command string, o OpenOptions) (*Local, error) {
	if DaemonRunning(dir) {
		return nil, fmt.Errorf("a daemon is running on %s and %q is not available through its API: stop the daemon to run it on the repo", dir, command)
	}
	n, err := node.Open(ctx, dir, node.Options{Logger: o.Logger, Offline: o.Offline, Listen: []string{"/ip4/127.0.0.1/tcp/0"},
		CommitInterval: 100 * time.Millisecond, ServeRPC: "", OneShot: true})
	if err != nil {
		return nil, err
	}
	return &Local{N: n, owned: true}, nil
}

// Close closes the node if this Local opened it, after waiting (at most
// 30 s) for the commitments its operations journaled to reach the chain
// (they are journaled either way and committed at the next start).
func (l *Local) Close() error {
	if !l.owned {
		return nil
	}
	if l.queued.Load() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		Flush(ctx, l.N)
		cancel()
	}
	return l.N.Close()
}

// Flush waits, until ctx ends, for the chain committer to have no pending
// commitment.
func Flush(ctx context.Context, n *node.Node) {
	for n.Chain.PendingCommitments() > 0 && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (l *Local) Identity(context.Context) (*Identity, error) {
	id := &Identity{PeerID: l.N.PeerID().String(), Account: l.N.Account().Hex(), Addrs: l.N.Addrs(), Repo: l.N.Dir}
	if id.Addrs == nil {
		id.Addrs = []string{}
	}
	return id, nil
}

func (l *Local) EnrollDevice(ctx context.Context, id string) (Device, ed25519.PrivateKey, error) {
	d, priv, err := l.N.EnrollDevice(ctx, id)
	if err != nil {
		return Device{}, nil, err
	}
	return DeviceOf(d), priv, nil
}

func (l *Local) EnrollUnit(ctx context.Context, id, udi string, pub ed25519.PublicKey) (Device, error) {
	d, err := l.N.EnrollUnit(ctx, id, udi, pub)
	if err != nil {
		return Device{}, err
	}
	return DeviceOf(d), nil
}

func (l *Local) RecallImpact(ctx context.Context, model, firmware string) (*RecallImpact, error) {
	return l.N.RecallImpact(ctx, model, firmware)
}

func (l *Local) ConsortiumRecallImpact(ctx context.Context, model, firmware string) (*ConsortiumRecallImpact, error) {
	return l.N.ConsortiumRecallImpact(ctx, model, firmware)
}

func (l *Local) RecordUpdate(ctx context.Context, device, version string, from, to [32]byte, sig []byte) (*UpdateResult, error) {
	return l.N.RecordUpdate(ctx, device, version, from, to, sig)
}

func (l *Local) ReleaseQuarantine(ctx context.Context, device string) (bool, error) {
	err := l.N.ReleaseQuarantine(ctx, device)
	if errors.Is(err, node.ErrNotFound) {
		if _, derr := l.N.Keys.Device(ctx, device); derr == nil {
			return false, nil // a known device that was not in quarantine: nothing to do
		}
	}
	return err == nil, err
}

func (l *Local) RecordCustody(ctx context.Context, device, step, patient string) (*CustodyResult, error) {
	return l.N.RecordCustody(ctx, device, step, patient)
}

func (l *Local) Implants(ctx context.Context, patient string) ([]Implant, error) {
	return l.N.Implants(ctx, patient)
}

// manufacturerFunding is what admitting a manufacturer transfers to its chain account: gas for its model,
// unit, release and custody registrations (a unit costs about 250,000 gas, docs/DEVICES.md).
var manufacturerFunding = new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))

func (l *Local) AdmitManufacturer(ctx context.Context, account, signingKey, name string) (*Manufacturer, error) {
	return l.N.AdmitManufacturer(ctx, account, signingKey, name, manufacturerFunding)
}

func (l *Local) FHIRDevices(ctx context.Context) (map[string]any, error) { return l.N.FHIRDevices(ctx) }

func (l *Local) DeviceHistory(ctx context.Context, id string) (*DeviceHistory, error) {
	return l.N.DeviceHistory(ctx, id)
}

func (l *Local) RevokeDevice(ctx context.Context, id string) (Device, error) {
	d, err := l.N.RevokeDevice(ctx, id)
	return DeviceOf(d), err
}

func (l *Local) Devices(ctx context.Context) ([]Device, error) {
	ds, err := l.N.Keys.Devices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Device, 0, len(ds))
	for _, d := range ds {
		out = append(out, DeviceOf(d))
	}
	return out, nil
}

func (l *Local) CreatePatient(ctx context.Context, mrn string, streams []string) (Patient, error) {
	if mrn != "" {
		if err := keys.ValidateMRN(mrn); err != nil {
			return Patient{}, fmt.Errorf("%w: %v", node.ErrBadInput, err)
		}
	}
	for _, s := range streams {
		if err := keys.ValidateStreamName(s); err != nil {
			return Patient{}, fmt.Errorf("%w: stream %q: %v", node.ErrBadInput, s, err)
		}
	}
	p, err := l.N.Keys.CreatePatient(ctx, mrn)
	if err != nil {
		return Patient{}, err
	}
	for _, s := range streams {
		if _, err := l.N.Keys.CreateStream(ctx, p.Pseudonym, s); err != nil {
			return Patient{}, fmt.Errorf("%w: stream %q: %v", node.ErrBadInput, s, err)
		}
	}
	if p, err = l.N.Keys.Patient(ctx, p.Pseudonym); err != nil {
		return Patient{}, err
	}
	return PatientOf(p), nil
}

func (l *Local) Patients(ctx context.Context) ([]Patient, error) {
	ps, err := l.N.Keys.Patients(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Patient, 0, len(ps))
	for _, p := range ps {
		out = append(out, PatientOf(p))
	}
	return out, nil
}

func (l *Local) Ingest(ctx context.Context, device string, batch io.Reader) (*Receipt, error) {
	b, err := node.ParseBatch(batch, l.N.Cfg.Ingest.MaxLineBytes)
	if err != nil {
		return nil, err
	}
	l.queued.Store(true)
	return l.N.Ingest(ctx, device, b)
}

func (l *Local) IngestFHIR(ctx context.Context, device string, doc []byte, sig []byte, fw *Firmware) (*Receipt, error) {
	if len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: the device signature must be a base64 Ed25519 signature of the document", node.ErrBadSignature)
	}
	res, err := l.IngestFHIRDoc(ctx, device, doc, sig, fw)
	if err != nil {
		return nil, err
	}
	return res.Receipt, nil
}

// IngestFHIRDoc is IngestFHIR with what a FHIR server answers: the
// transaction-response Bundle and the created Observation's location.
func (l *Local) IngestFHIRDoc(ctx context.Context, device string, doc []byte, sig []byte, fw *Firmware) (*node.FHIRResult, error) {
	if len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: the device signature must be a base64 Ed25519 signature of the document", node.ErrBadSignature)
	}
	l.queued.Store(true)
	return l.N.IngestFHIR(ctx, device, doc, sig, fw)
}

// grantDefaults fills what a grant request may leave out: the window starts
// now. M and N left at 0 are the node's defaults (node.DefaultThreshold, and
// one spare proxy when the consortium has one).
func grantDefaults(r GrantRequest) GrantRequest {
	if r.NotBefore.IsZero() {
		r.NotBefore = time.Now()
	}
	return r
}

func (l *Local) Grant(ctx context.Context, r GrantRequest) (*GrantResult, error) {
	return l.N.Grant(ctx, grantDefaults(r))
}

func (l *Local) Revoke(ctx context.Context, id string) (*Revocation, error) {
	gid, err := l.N.ResolveGrantID(ctx, id)
	if err != nil {
		return nil, err
	}
	rc, err := l.N.Revoke(ctx, gid)
	if errors.Is(err, pointers.ErrPending) {
		return &Revocation{Grant: hex.EncodeToString(gid[:]), Pending: true}, nil
	}
	if err != nil {
		return nil, err
	}
	return &Revocation{Grant: hex.EncodeToString(gid[:]), Revoked: true, Tx: rc.TxHash.Hex(), Block: rc.Block}, nil
}

func (l *Local) GrantStatus(ctx context.Context, id string) (*GrantView, error) {
	gid, err := l.N.ResolveGrantID(ctx, id)
	if err != nil {
		return nil, err
	}
	g, err := l.N.GrantRecord(ctx, gid)
	if errors.Is(err, node.ErrAccessRefused) {
		return nil, fmt.Errorf("%w: no grant %x on-chain", node.ErrNotFound, gid)
	}
	if err != nil {
		return nil, err
	}
	v := &GrantView{ID: hex.EncodeToString(g.ID[:]), StreamBinding: hex.EncodeToString(g.StreamBinding[:]), RecordedBy: g.RecordedBy.Hex(), GranteeKeyHash: hex.EncodeToString(g.GranteeKeyHash[:]),
		NotBefore: g.NotBefore, NotAfter: g.NotAfter, Threshold: int(g.M), SignerKey: hex.EncodeToString(g.SignerKey), Signature: hex.EncodeToString(g.Signature),
		Revoked: g.Revoked, RevokedAt: g.RevokedAt, State: "live", Proxies: []string{}}
	for _, a := range g.Proxies {
		v.Proxies = append(v.Proxies, a.Hex())
	}
	if err := l.N.CheckGrantNow(ctx, g); err != nil {
		v.State = strings.TrimPrefix(err.Error(), node.ErrAccessRefused.Error()+": ")
	}
	return v, nil
}

func (l *Local) ImportConsent(ctx context.Context, consent []byte, m, n int) (*ConsentResult, error) {
	l.queued.Store(true)
	c, gs, err := l.N.ImportConsent(ctx, consent, m, n)
	if err != nil {
		return nil, err
	}
	return &ConsentResult{Consent: c, Grants: gs}, nil
}

func (l *Local) Fetch(ctx context.Context, r FetchRequest) (*FetchResult, error) {
	if r.Grantee == nil {
		return nil, fmt.Errorf("%w: fetch needs the grantee's key", node.ErrBadInput)
	}
	t := r.Ticket
	if t.GrantID == ([32]byte{}) {
		var err error
		if t, err = l.N.FindTicket(ctx, r.Patient, r.Stream, r.Grantee.Public()); err != nil {
			return nil, err
		}
	}
	return l.N.Fetch(ctx, node.FetchRequest{Grantee: r.Grantee, Ticket: t, From: r.From, Until: r.Until, Purpose: r.Purpose, Progress: r.Progress, PendingWait: r.PendingWait})
}

func (l *Local) Audit(ctx context.Context, patient string) ([]AuditEntry, error) {
	es, err := l.N.Audit(ctx, patient)
	if es == nil && err == nil {
		es = []AuditEntry{}
	}
	return es, err
}

func (l *Local) ProveClaim(ctx context.Context, r ClaimRequest) (*Claim, error) {
	return l.N.ProveClaim(ctx, r)
}

func (l *Local) VerifyClaim(ctx context.Context, claim []byte) (*ClaimVerification, error) {
	c, err := node.ParseClaim(claim)
	if err != nil {
		return nil, err
	}
	if mine := l.N.Chain.Contracts(); c.Chain.ChainID != mine.ChainID || !strings.EqualFold(c.Chain.Commitments, mine.Commitments.Hex()) {
		return nil, fmt.Errorf("%w: the claim names commitments contract %s on chain %d; this node's consortium uses %s on chain %d",
			node.ErrIntegrity, c.Chain.Commitments, c.Chain.ChainID, mine.Commitments.Hex(), mine.ChainID)
	}
	chk, err := node.VerifyClaim(ctx, l.N.Chain, c)
	if err != nil {
		return nil, err
	}
	return &ClaimVerification{ClaimCheck: *chk, Registries: RegistriesOfNode}, nil
}

func (l *Local) Disclosures(ctx context.Context, patient, requestRef string) (*DisclosureReport, error) {
	if (patient == "") == (requestRef == "") {
		return nil, fmt.Errorf("%w: give the patient, or the request reference of the patient's erasure", node.ErrBadInput)
	}
	return l.N.Disclosures(ctx, patient, requestRef)
}

func (l *Local) Verify(ctx context.Context, roots []cid.Cid, patient string) ([]VerifyResult, error) {
	if (len(roots) == 0) == (patient == "") {
		return nil, fmt.Errorf("%w: give batch CIDs or a patient", node.ErrBadInput)
	}
	res, err := l.N.Verify(ctx, roots, patient)
	if res == nil {
		res = []VerifyResult{}
	}
	return res, err
}

// VerifyError is the integrity failure of the first mismatch in res, or nil.
func VerifyError(res []VerifyResult) error {
	for _, r := range res {
		if !r.OK {
			return fmt.Errorf("%w: batch %s: %s", node.ErrIntegrity, r.Root, r.Problem)
		}
	}
	return nil
}

func (l *Local) Erase(ctx context.Context, patient, requestRef, reason string) (*Erasure, error) {
	if patient == "" || requestRef == "" {
		return nil, fmt.Errorf("%w: the patient and the request reference are required", node.ErrBadInput)
	}
	r, err := l.N.Erase(ctx, patient, requestRef, reason)
	if err != nil {
		return nil, err
	}
	e := &Erasure{ID: r.ID.String(), Certificate: r.Certificate, Pending: []string{}}
	for _, p := range r.Pending {
		e.Pending = append(e.Pending, p.String())
	}
	return e, nil
}

func (l *Local) RefuseErasure(ctx context.Context, patient, requestRef, ground, reason string) ([]byte, error) {
	if patient == "" || requestRef == "" || ground == "" {
		return nil, fmt.Errorf("%w: the patient, the request reference and the Art. 17(3) ground are required", node.ErrBadInput)
	}
	return l.N.RefuseErasure(ctx, patient, requestRef, ground, reason)
}

func (l *Local) VerifyErasure(ctx context.Context, certificate []byte) (*ErasureCheck, error) {
	v, err := node.VerifyCertificate(ctx, l.N.Chain, certificate)
	if err != nil {
		return nil, err
	}
	return ErasureCheckOf(v, RegistriesOfNode), nil
}

func (l *Local) Members(ctx context.Context) ([]Member, error) {
	ms, err := l.N.Chain.Members(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(ms))
	for _, m := range ms {
		out = append(out, MemberOf(m))
	}
	return out, nil
}

func (l *Local) AddMember(ctx context.Context, account, peerID, proxyKey string) (*Member, error) {
	if account == "" || peerID == "" || proxyKey == "" {
		return nil, fmt.Errorf("%w: the account, peer id and proxy key are required (the new member's `vaultnode init` prints them)", node.ErrBadInput)
	}
	if err := node.Admit(ctx, l.N, account, peerID, proxyKey, memberFunding); err != nil {
		return nil, err
	}
	// The record as the chain now holds it, not the input echoed back.
	m, err := l.N.Chain.ResolveMember(ctx, common.HexToAddress(account))
	if err != nil {
		return nil, err
	}
	v := MemberOf(m)
	return &v, nil
}
