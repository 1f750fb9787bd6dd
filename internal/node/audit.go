package node

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// FindTicket builds the ticket of the live grant of a local patient's stream
// for grantee (the newest one, if several).
func (n *Node) FindTicket(ctx context.Context, patient, stream string, grantee p2p.GranteeKey) (Ticket, error) {
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: unknown patient on this node (use --ticket for a patient of another node)", ErrBadInput)
	}
	st, err := n.Keys.Stream(ctx, pt.Pseudonym, stream)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: patient has no stream %q", ErrBadInput, stream)
	}
	ids, err := n.findGrants(ctx, [][32]byte{st.Tag})
	if err != nil {
		return Ticket{}, err
	}
	want := grantee.Hash()
	var best *pointers.GrantRecord
	for _, id := range ids {
		g, err := n.Chain.GetGrant(ctx, id)
		if err != nil || g.GranteeKeyHash != want {
			continue
		}
		if best == nil || (best.Revoked && !g.Revoked) || (best.Revoked == g.Revoked && g.NotAfter.After(best.NotAfter)) {
			b := g
			best = &b
		}
	}
	if best == nil {
		return Ticket{}, fmt.Errorf("%w: no grant of stream %q for this key", ErrAccessRefused, stream)
	}
	return Ticket{GrantID: best.ID, StreamTag: st.Tag, ChainSecret: pointers.StreamSecret(st.ChainSecret), StreamKey: st.FirstKey}, nil
}

// AuditEntry is one access-log entry with its on-chain proof status. Patient
// and StreamName are filled in when the stream belongs to a patient of this
// node (the custodian); a proxy serving another node's patient only knows
// the stream tag.
type AuditEntry struct {
	Index      uint64    `json:"index"`
	Time       time.Time `json:"time"`
	Grant      string    `json:"grant"`
	Grantee    string    `json:"granteeKeyHash"`
	Stream     string    `json:"streamTag"`
	Batch      string    `json:"capsuleHash"`
	Purpose    string    `json:"purpose"`
	Outcome    string    `json:"outcome"`
	Hash       string    `json:"hash"`
	Proven     bool      `json:"proven"`
	Anchor     uint64    `json:"anchor,omitempty"`
	Patient    string    `json:"patient,omitempty"`
	StreamName string    `json:"stream,omitempty"`
	Observer   string    `json:"observer,omitempty"`
}

// streamOwner is the local patient and stream name of a stream tag.
type streamOwner struct {
	patient keys.Pseudonym
	mrn     string
	stream  string
}

// streamOwners maps the stream tags of this node's patients (of one
// patient, if given) to their owner.
func (n *Node) streamOwners(ctx context.Context, patient string) (map[[32]byte]streamOwner, error) {
	var pts []keys.Patient
	if patient != "" {
		pt, err := n.Keys.ResolvePatient(ctx, patient)
		if err != nil {
			return nil, fmt.Errorf("%w: unknown patient", ErrBadInput)
		}
		pts = []keys.Patient{pt}
	} else {
		var err error
		if pts, err = n.Keys.Patients(ctx); err != nil {
			return nil, fmt.Errorf("list patients: %w", err)
		}
	}
	out := map[[32]byte]streamOwner{}
	for _, pt := range pts {
		for _, s := range pt.Streams {
			out[n.Keys.StreamTag(pt.Pseudonym, s)] = streamOwner{patient: pt.Pseudonym, mrn: pt.MRN, stream: s}
		}
	}
	return out, nil
}

// Audit anchors this proxy's unanchored access-log entries on-chain, then
// returns the entries (of a patient's streams, if given), each proven
// against its anchor.
func (n *Node) Audit(ctx context.Context, patient string) ([]AuditEntry, error) {
	if n.Access == nil {
		return nil, fmt.Errorf("audit needs the node's access log")
	}
	owners, err := n.streamOwners(ctx, patient)
	if err != nil {
		return nil, err
	}
	if _, _, err := n.Access.Anchor(ctx, n.Chain); err != nil {
		n.Log.Warn("anchor access log", "err", err)
	}
	observer := n.PeerID().String()
	out := []AuditEntry{}
	for _, e := range n.Access.Entries(0, n.Access.Len()) {
		o, mine := owners[e.StreamTag]
		if patient != "" && !mine {
			continue
		}
		a := AuditEntry{Index: e.Index, Time: e.Time, Grant: hex.EncodeToString(e.GrantID[:]), Grantee: hex.EncodeToString(e.Grantee[:]),
			Stream: hex.EncodeToString(e.StreamTag[:]), Batch: hex.EncodeToString(e.Capsule[:]), Purpose: e.Purpose, Outcome: e.Outcome.String(),
			Hash: hex.EncodeToString(e.Hash[:]), Observer: observer}
		if mine {
			a.Patient, a.StreamName = o.patient.String(), o.stream
		}
		if p, err := n.Access.Prove(ctx, n.Chain, e.Index); err == nil {
			if err := p.Verify(); err != nil {
				return out, fmt.Errorf("%w: access log entry %d does not match its on-chain anchor: %v", ErrIntegrity, e.Index, err)
			}
			a.Proven, a.Anchor = true, p.Anchor.Index
		} else if !errors.Is(err, pointers.ErrNoAnchor) {
			return out, fmt.Errorf("prove entry %d: %w", e.Index, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// Code systems of the AuditEvent export (IHE Basic Audit Log Patterns).
const (
	systemAuditEventType = "http://terminology.hl7.org/CodeSystem/audit-event-type"
	systemRestful        = "http://hl7.org/fhir/restful-interaction"
	systemDCM            = "http://dicom.nema.org/resources/ontology/DCM"
	systemSourceType     = "http://terminology.hl7.org/CodeSystem/security-source-type"
	systemEntityType     = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
	systemObjectRole     = "http://terminology.hl7.org/CodeSystem/object-role"
	// SystemPseudonym identifies a patient by pseudonym (hex).
	SystemPseudonym = "urn:vaultnode:pseudonym"
	// SystemGranteeKeyHash identifies a clinician by the hash of its key.
	SystemGranteeKeyHash = "urn:vaultnode:grantee-key-hash"
	// SystemPeerID identifies a vaultnode peer by libp2p peer id.
	SystemPeerID = "urn:vaultnode:peer-id"
)

func coding(system, code, display string) map[string]any {
	c := map[string]any{"system": system, "code": code}
	if display != "" {
		c["display"] = display
	}
	return c
}

// FHIRAuditEvent renders one access as a FHIR R4 AuditEvent following the
// IHE BALP read pattern (IHE.BasicAudit.PatientRead when the patient is
// known): type rest/read, the grantee as requesting agent (source role),
// this proxy as responding agent and source.observer, the patient and the
// batch as entities, the outcome and the purpose of use. One event per
// patient per access: an access re-encrypts one batch of one stream.
func FHIRAuditEvent(e AuditEntry) map[string]any {
	outcome, desc := "0", "granted"
	if e.Outcome != p2p.Granted.String() {
		outcome, desc = "4", "refused: "+e.Outcome
	}
	observer := map[string]any{"display": "vaultnode proxy"}
	if e.Observer != "" {
		observer["identifier"] = map[string]any{"system": SystemPeerID, "value": e.Observer}
	}
	agents := []map[string]any{
		{
			"type":      map[string]any{"coding": []any{coding(systemDCM, "110153", "Source Role ID")}},
			"who":       map[string]any{"identifier": map[string]any{"system": SystemGranteeKeyHash, "value": e.Grantee}},
			"requestor": true,
		},
		{
			"type":      map[string]any{"coding": []any{coding(systemDCM, "110152", "Destination Role ID")}},
			"who":       observer,
			"requestor": false,
		},
	}
	if e.Purpose != "" {
		agents[0]["purposeOfUse"] = []any{map[string]any{"coding": []any{coding(systemActReason, e.Purpose, "")}}}
	}
	detail := []any{
		map[string]any{"type": "grant", "valueString": e.Grant},
		map[string]any{"type": "stream-tag", "valueString": e.Stream},
		map[string]any{"type": "access-log-index", "valueString": fmt.Sprint(e.Index)},
		map[string]any{"type": "access-log-entry-hash", "valueString": e.Hash},
	}
	if e.StreamName != "" {
		detail = append(detail, map[string]any{"type": "stream", "valueString": e.StreamName})
	}
	if e.Proven {
		detail = append(detail, map[string]any{"type": "on-chain-anchor", "valueString": fmt.Sprint(e.Anchor)})
	}
	data := map[string]any{
		"what":   map[string]any{"identifier": map[string]any{"system": "urn:vaultnode:capsule-sha256", "value": e.Batch}},
		"type":   coding(systemEntityType, "2", "System Object"),
		"role":   coding(systemObjectRole, "4", "Domain Resource"),
		"detail": detail,
	}
	var entities []any
	if e.Patient != "" {
		entities = append(entities, map[string]any{
			"what": map[string]any{"type": "Patient", "identifier": map[string]any{"system": SystemPseudonym, "value": e.Patient}},
			"type": coding(systemEntityType, "1", "Person"),
			"role": coding(systemObjectRole, "1", "Patient"),
		})
	}
	entities = append(entities, data)
	profile := BALPRead
	if e.Patient != "" {
		profile = BALPPatientRead
	}
	ev := map[string]any{
		"resourceType": "AuditEvent",
		"id":           auditEventID(e.Hash),
		"meta":         map[string]any{"profile": []any{profile}},
		"type":         coding(systemAuditEventType, "rest", "Restful Operation"),
		"subtype":      []any{coding(systemRestful, "read", "read")},
		"action":       "R",
		"recorded":     e.Time.UTC().Format(time.RFC3339Nano),
		"outcome":      outcome,
		"outcomeDesc":  desc,
		"agent":        agents,
		"source": map[string]any{
			"observer": observer,
			"type":     []any{coding(systemSourceType, "4", "Application Server")},
		},
		"entity": entities,
	}
	if e.Purpose != "" {
		ev["purposeOfEvent"] = []any{map[string]any{"coding": []any{coding(systemActReason, e.Purpose, "")}}}
	}
	return ev
}

// IHE Basic Audit Log Patterns profiles of a read (docs/FHIR.md §3).
const (
	BALPPatientRead = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead"
	BALPRead        = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Read"
)

// auditEventID is the id of the AuditEvent of an access-log entry: a UUID
// made of the first 16 bytes of the entry's hash (version 8, RFC 9562), so
// that the Bundle entry's fullUrl urn:uuid:<id> and the resource id agree
// and the same entry always gets the same id.
func auditEventID(entryHash string) string {
	b, err := hex.DecodeString(prefix(entryHash, 32))
	if err != nil || len(b) != 16 {
		sum := sha256.Sum256([]byte(entryHash))
		b = sum[:16]
	}
	b[6] = b[6]&0x0f | 0x80 // version 8
	b[8] = b[8]&0x3f | 0x80 // variant 10
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// FHIRAuditBundle renders entries as a FHIR R4 Bundle (collection) of
// AuditEvent resources, one per entry (FHIRAuditEvent).
func FHIRAuditBundle(es []AuditEntry) map[string]any {
	entries := []any{}
	for _, e := range es {
		ev := FHIRAuditEvent(e)
		entries = append(entries, map[string]any{"fullUrl": "urn:uuid:" + ev["id"].(string), "resource": ev})
	}
	b := map[string]any{"resourceType": "Bundle", "type": "collection", "timestamp": time.Now().UTC().Format(time.RFC3339)}
	if len(entries) > 0 {
		b["entry"] = entries
	}
	return b
}

// VerifyResult is the check of one batch.
type VerifyResult struct {
	Root    string `json:"root"`
	Seq     uint64 `json:"seq"`
	Count   uint32 `json:"count"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
}

// Verify checks batches against their on-chain commitments: every block
// present (here or over bitswap) and hashing to its CID, the root's header
// equal to a commitment of its root CID (count, Merkle root). With a patient
// of this node, the commitment must also be the stream's own for the
// header's sequence (batch tag and MAC under the stream's chain secret), and
// each batch is decrypted with the stream key and its Merkle tree rebuilt
// from the readings. Any failure is ErrIntegrity (results say
// which CID).
func (n *Node) Verify(ctx context.Context, roots []cid.Cid, patient string) ([]VerifyResult, error) {
	type item struct {
		root   cid.Cid
		sks    []*reencrypt.SecretKey // every key epoch of the stream, oldest first
		secret *pointers.StreamSecret
	}
	var items []item
	var bg store.BlockGetter = n.Store
	if n.P2P != nil {
		bg = n.P2P.Blocks
	}
	for _, r := range roots {
		items = append(items, item{root: r})
	}
	if patient != "" {
		pt, err := n.Keys.ResolvePatient(ctx, patient)
		if err != nil {
			return nil, fmt.Errorf("%w: unknown patient", ErrBadInput)
		}
		for _, s := range pt.Streams {
			st, err := n.Keys.Stream(ctx, pt.Pseudonym, s)
			if err != nil {
				return nil, err
			}
			secret := pointers.StreamSecret(st.ChainSecret)
			cs, err := n.Chain.StreamCommitments(ctx, secret, n.Chain.Account())
			if err != nil {
				return nil, err
			}
			sks, err := n.Keys.StreamSecretKeys(ctx, pt.Pseudonym, s)
			if err != nil {
				return nil, err
			}
			defer func() {
				for _, sk := range sks {
					sk.Wipe()
				}
			}()
			for _, c := range cs {
				r, err := cid.Cast(c.RootCID)
				if err != nil {
					return nil, fmt.Errorf("%w: commitment %d holds a bad CID", ErrIntegrity, c.Seq)
				}
				items = append(items, item{root: r, sks: sks, secret: &secret})
			}
		}
	}
	var out []VerifyResult
	failed := 0
	for _, it := range items {
		vr := VerifyResult{Root: it.root.String()}
		err := func() error {
			cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			h, chunks, err := store.ReadRoot(cctx, bg, it.root)
			if err != nil {
				return err
			}
			vr.Seq, vr.Count = h.Seq, h.Count
			cs, err := n.Chain.CommitmentsOfRoot(cctx, it.root.Bytes())
			if err != nil {
				return fmt.Errorf("no on-chain commitment for this batch: %v", err)
			}
			if !slices.ContainsFunc(cs, func(c pointers.CommittedBatch) bool {
				return c.MerkleRoot == h.MerkleRoot && c.Count == h.Count && (it.secret == nil || it.secret.Authentic(c.Commitment, h.Seq))
			}) {
				return fmt.Errorf("batch does not match its on-chain commitment")
			}
			for _, ch := range chunks {
				if _, err := bg.GetBlock(cctx, ch); err != nil {
					return &store.IntegrityError{CID: ch, Reason: "chunk missing or corrupt", Err: err}
				}
			}
			if len(it.sks) > 0 {
				dek, err := streamDEK(it.sks, h.Capsule)
				if err != nil {
					return err
				}
				_, err = store.OpenBatch(cctx, bg, it.root, &dek)
				wipe(dek[:])
				if err != nil {
					return err
				}
			}
			return nil
		}()
		if err != nil {
			failed++
			var ie *store.IntegrityError
			if errors.As(err, &ie) {
				vr.Problem = fmt.Sprintf("%s: %v", ie.CID, err)
			} else {
				vr.Problem = err.Error()
			}
		} else {
			vr.OK = true
		}
		out = append(out, vr)
	}
	if failed > 0 {
		return out, fmt.Errorf("%w: %d of %d batches failed verification", ErrIntegrity, failed, len(out))
	}
	return out, nil
}

var _ = keys.ErrInvalid

// DisclosuresFormat names the accounting-of-disclosures document.
const DisclosuresFormat = "vaultnode-accounting-of-disclosures/v1"

// DisclosureProof is an access-log entry in full, with its Merkle path to
// the on-chain anchor that covers it: enough for anyone with chain access
// to check the entry (VerifyDisclosures).
type DisclosureProof struct {
	LogID      string   `json:"logId"`
	Index      uint64   `json:"index"`
	TimeNanos  int64    `json:"timeUnixNano"`
	Grantee    string   `json:"granteeKeyHash"`
	Grant      string   `json:"grant"`
	StreamTag  string   `json:"streamTag"`
	Capsule    string   `json:"capsuleHash"`
	Outcome    uint8    `json:"outcome"`
	Purpose    string   `json:"purpose"`
	Prev       string   `json:"prev"`
	Hash       string   `json:"hash"`
	Anchor     uint64   `json:"anchor"`
	AnchorRoot string   `json:"anchorRoot"`
	AnchorFrom uint64   `json:"anchorFrom"`
	AnchorTo   uint64   `json:"anchorTo"`
	Path       []string `json:"path"`
}

// Disclosure is one entry of the accounting of disclosures (HIPAA
// §164.528(b)(2)): date, recipient, description of what was disclosed,
// purpose; with its proof against the chain (nil while not yet anchored).
type Disclosure struct {
	Date          time.Time        `json:"date"`
	Recipient     string           `json:"recipient"`
	RecipientName string           `json:"recipientName,omitempty"`
	Description   string           `json:"description"`
	Purpose       string           `json:"purpose"`
	Stream        string           `json:"stream"`
	Consent       string           `json:"consent,omitempty"`
	Proof         *DisclosureProof `json:"proof,omitempty"`
}

// DisclosureReport is the accounting of disclosures of one patient: every
// re-encryption this node's proxy granted on the patient's streams.
type DisclosureReport struct {
	Format      string       `json:"format"`
	Patient     string       `json:"patient"`           // empty for an erased patient
	Erasure     string       `json:"erasure,omitempty"` // the erasure id of an erased patient
	MRN         string       `json:"mrn,omitempty"`
	Custodian   string       `json:"custodian"`
	Generated   time.Time    `json:"generated"`
	Disclosures []Disclosure `json:"disclosures"`
	// Unreachable lists the members whose proxies could not be asked for
	// their accesses (the report may miss disclosures they served).
	Unreachable []string `json:"unreachable,omitempty"`
}

func hex32(s string) ([32]byte, error) {
	var out [32]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return out, fmt.Errorf("want 64 hex digits")
	}
	copy(out[:], b)
	return out, nil
}

// Disclosures builds the accounting of disclosures of a patient of this
// node from the access log (granted accesses only), anchoring pending
// entries first so that each comes with its proof. An erased patient can no
// longer be named, but the accounting is kept (the access logs outlive the
// erasure, and hold nothing identifying): with requestRef instead of the
// patient, the report covers the streams of the erasure made for that
// request, and names the erasure, not the patient.
func (n *Node) Disclosures(ctx context.Context, patient, requestRef string) (*DisclosureReport, error) {
	if n.Access == nil {
		return nil, fmt.Errorf("disclosures need the node's access log")
	}
	if (patient == "") == (requestRef == "") {
		return nil, fmt.Errorf("%w: the accounting of disclosures is per patient: give the patient, or the request reference of its erasure", ErrBadInput)
	}
	var owners map[[32]byte]streamOwner
	var pt keys.Patient
	erasureID := ""
	if requestRef != "" {
		if n.Eraser == nil {
			return nil, fmt.Errorf("disclosures of an erased patient need the node's erasure journals")
		}
		id, tags, err := n.Eraser.StreamsOf(requestRef)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotFound, err)
		}
		erasureID = id.String()
		owners = map[[32]byte]streamOwner{}
		for _, t := range tags {
			owners[t] = streamOwner{}
		}
	} else {
		var err error
		if owners, err = n.streamOwners(ctx, patient); err != nil {
			return nil, err
		}
		pt, _ = n.Keys.ResolvePatient(ctx, patient)
	}
	if _, _, err := n.Access.Anchor(ctx, n.Chain); err != nil {
		n.Log.Warn("anchor access log", "err", err)
	}
	logID := n.Access.LogID()
	rep := &DisclosureReport{Format: DisclosuresFormat, Patient: pt.Pseudonym.String(), Erasure: erasureID, MRN: pt.MRN, Custodian: n.PeerID().String(),
		Generated: time.Now().UTC(), Disclosures: []Disclosure{}}
	if erasureID != "" {
		rep.Patient = ""
	}
	for _, e := range n.Access.Entries(0, n.Access.Len()) {
		o, ok := owners[e.StreamTag]
		if !ok || e.Outcome != p2p.Granted {
			continue
		}
		d := n.disclosureOf(ctx, e, o.stream, "")
		p, err := n.Access.Prove(ctx, n.Chain, e.Index)
		switch {
		case err == nil:
			if err := p.Verify(); err != nil {
				return nil, fmt.Errorf("%w: access log entry %d does not match its on-chain anchor: %v", ErrIntegrity, e.Index, err)
			}
			d.Proof = disclosureProof(logID, p)
		case errors.Is(err, pointers.ErrNoAnchor):
		default:
			return nil, fmt.Errorf("prove entry %d: %w", e.Index, err)
		}
		rep.Disclosures = append(rep.Disclosures, d)
	}
	// The other members' proxies served (and logged) accesses too: with an
	// M-of-N grant this node's proxy may not be among them.
	if n.P2P != nil {
		n.remoteDisclosures(ctx, owners, rep)
	}
	sort.SliceStable(rep.Disclosures, func(i, j int) bool { return rep.Disclosures[i].Date.Before(rep.Disclosures[j].Date) })
	return rep, nil
}

// remoteDisclosures asks every other member's proxy for the granted accesses
// it logged on the patient's streams and adds them, each with its proof
// checked against that member's on-chain anchors; a member that cannot be
// asked, or whose answer does not match its anchors, is listed as
// unreachable.
func (n *Node) remoteDisclosures(ctx context.Context, owners map[[32]byte]streamOwner, rep *DisclosureReport) {
	var tags [][32]byte
	for t := range owners {
		tags = append(tags, t)
	}
	if len(tags) == 0 {
		return
	}
	_, unreachable, err := n.askMembersAudit(ctx, tags, func(m peer.ID, logID [32]byte, got []p2p.AuditedAccess) {
		for _, a := range got {
			e := a.Entry
			o := owners[e.StreamTag]
			d := n.disclosureOf(ctx, e, o.stream, " by member "+m.String())
			if a.Proof != nil {
				d.Proof = disclosureProof(logID, a.Proof)
			}
			rep.Disclosures = append(rep.Disclosures, d)
		}
	})
	if err != nil {
		rep.Unreachable = append(rep.Unreachable, "all members (member list: "+err.Error()+")")
		return
	}
	rep.Unreachable = append(rep.Unreachable, unreachable...)
}

// askMembersAudit asks every other member's proxy, over the audit protocol,
// for the accesses it logged on the given stream tags (each answer checked
// against that member's on-chain anchors) and hands each answer to f. It
// returns how many members answered and which could not be asked.
func (n *Node) askMembersAudit(ctx context.Context, tags [][32]byte, f func(m peer.ID, logID [32]byte, got []p2p.AuditedAccess)) (int, []string, error) {
	members, err := n.proxies(ctx)
	if err != nil {
		return 0, nil, err
	}
	asked := 0
	var unreachable []string
	self := n.PeerID()
	for _, m := range members {
		if m.peer == self {
			continue
		}
		var logID [32]byte
		copy(logID[:], m.account[:])
		mctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		got, err := p2p.RequestAudit(mctx, n.P2P.Host, m.peer, n.Chain, logID, tags)
		cancel()
		if err != nil {
			n.Log.Warn("member's access log not read", "peer", m.peer.String(), "err", err)
			unreachable = append(unreachable, m.peer.String())
			continue
		}
		asked++
		f(m.peer, logID, got)
	}
	return asked, unreachable, nil
}

// disclosureProof renders an access-log inclusion proof.
func disclosureProof(logID [32]byte, p *p2p.AccessProof) *DisclosureProof {
	e := p.Entry
	dp := &DisclosureProof{LogID: hex.EncodeToString(logID[:]), Index: e.Index, TimeNanos: e.Time.UnixNano(),
		Grantee: hex.EncodeToString(e.Grantee[:]), Grant: hex.EncodeToString(e.GrantID[:]), StreamTag: hex.EncodeToString(e.StreamTag[:]),
		Capsule: hex.EncodeToString(e.Capsule[:]), Outcome: uint8(e.Outcome), Purpose: e.Purpose, Prev: hex.EncodeToString(e.Prev[:]),
		Hash: hex.EncodeToString(e.Hash[:]), Anchor: p.Anchor.Index, AnchorRoot: hex.EncodeToString(p.Anchor.Root[:]),
		AnchorFrom: p.Anchor.From, AnchorTo: p.Anchor.To, Path: []string{}}
	for _, h := range p.Path {
		dp.Path = append(dp.Path, hex.EncodeToString(h[:]))
	}
	return dp
}

// DisclosureCheck is the verification of one disclosure.
type DisclosureCheck struct {
	Index   int    `json:"disclosure"`
	Proven  bool   `json:"proven"`
	Problem string `json:"problem,omitempty"`
}

// VerifyDisclosures checks every disclosure of a report against the chain:
// its proof's entry must carry the disclosure's date, recipient and
// purpose, hash to the entry hash, and lie under the Merkle root of the
// anchor the chain holds for it. A disclosure without proof is reported
// unproven. Any mismatch is an ErrIntegrity naming the disclosure.
func VerifyDisclosures(ctx context.Context, chain p2p.AuditAnchorer, r *DisclosureReport) ([]DisclosureCheck, error) {
	if r.Format != DisclosuresFormat {
		return nil, fmt.Errorf("%w: not an accounting of disclosures (format %q)", ErrBadInput, r.Format)
	}
	out := make([]DisclosureCheck, 0, len(r.Disclosures))
	bad := 0
	for i, d := range r.Disclosures {
		c := DisclosureCheck{Index: i}
		err := verifyDisclosure(ctx, chain, d)
		switch {
		case err == nil:
			c.Proven = true
		case errors.Is(err, errUnproven):
			c.Problem = err.Error()
		default:
			bad++
			c.Problem = err.Error()
		}
		out = append(out, c)
	}
	if bad > 0 {
		return out, fmt.Errorf("%w: %d of %d disclosures do not match the chain", ErrIntegrity, bad, len(out))
	}
	return out, nil
}

var errUnproven = errors.New("not anchored on-chain yet: no proof")

func verifyDisclosure(ctx context.Context, chain p2p.AuditAnchorer, d Disclosure) error {
	p := d.Proof
	if p == nil {
		return errUnproven
	}
	var e p2p.LoggedAccess
	var err error
	fields := []struct {
		name string
		s    string
		dst  *[32]byte
	}{{"logId", p.LogID, nil}, {"granteeKeyHash", p.Grantee, &e.Grantee}, {"grant", p.Grant, &e.GrantID}, {"streamTag", p.StreamTag, &e.StreamTag},
		{"capsuleHash", p.Capsule, &e.Capsule}, {"prev", p.Prev, &e.Prev}, {"hash", p.Hash, &e.Hash}}
	var logID [32]byte
	for _, f := range fields {
		v, ferr := hex32(f.s)
		if ferr != nil {
			return fmt.Errorf("proof.%s: %v", f.name, ferr)
		}
		if f.dst == nil {
			logID = v
		} else {
			*f.dst = v
		}
	}
	e.Index, e.Time, e.Outcome, e.Purpose = p.Index, time.Unix(0, p.TimeNanos).UTC(), p2p.Outcome(p.Outcome), p.Purpose
	switch {
	case e.Outcome != p2p.Granted:
		return fmt.Errorf("the proven entry is not a granted access (%s)", e.Outcome)
	case !e.Time.Equal(d.Date):
		return fmt.Errorf("date %s differs from the logged time %s", d.Date.Format(time.RFC3339Nano), e.Time.Format(time.RFC3339Nano))
	case d.Recipient != p.Grantee:
		return fmt.Errorf("recipient %s differs from the logged grantee %s", d.Recipient, p.Grantee)
	case d.Purpose != p.Purpose:
		return fmt.Errorf("purpose %q differs from the logged purpose %q", d.Purpose, p.Purpose)
	}
	ap := &p2p.AccessProof{Entry: e}
	for i, h := range p.Path {
		v, err := hex32(h)
		if err != nil {
			return fmt.Errorf("proof.path[%d]: %v", i, err)
		}
		ap.Path = append(ap.Path, v)
	}
	if ap.Anchor, err = chain.LookupAnchor(ctx, logID, p.Index); err != nil {
		return fmt.Errorf("on-chain anchor of entry %d: %w", p.Index, err)
	}
	if hex.EncodeToString(ap.Anchor.Root[:]) != p.AnchorRoot {
		return fmt.Errorf("the chain's anchor root for entry %d differs from the one in the report", p.Index)
	}
	if err := ap.Verify(); err != nil {
		return fmt.Errorf("entry %d: %v", p.Index, err)
	}
	return nil
}

// disclosureOf is the report line of one granted access e on stream (without
// its proof); by says which member's proxy served it, empty for this node's.
func (n *Node) disclosureOf(ctx context.Context, e p2p.LoggedAccess, stream, by string) Disclosure {
	what := "readings"
	if stream != "" {
		what = stream + " readings"
	}
	d := Disclosure{Date: e.Time.UTC(), Recipient: hex.EncodeToString(e.Grantee[:]), Purpose: e.Purpose, Stream: stream,
		Description: fmt.Sprintf("one batch of %s (capsule %x), re-encrypted to the recipient's key under grant %x%s",
			what, e.Capsule[:8], e.GrantID[:8], by)}
	if c, ok := n.ConsentOfGrant(ctx, e.GrantID); ok {
		d.RecipientName, d.Consent = c.Actor, c.ConsentID
	}
	return d
}

// grantAccesses counts, per grant, the granted re-encryptions on the given
// streams that the proxies' access logs record: this node's own log and the
// log of every other member it can ask (over the audit protocol, each
// answer checked against that member's on-chain anchors). It says whose
// logs it read, for the erasure certificate's recipients (Art. 19).
func (n *Node) grantAccesses(ctx context.Context, tags [][32]byte) (map[erasure.Hex32]int, string, error) {
	counts := map[erasure.Hex32]int{}
	want := map[[32]byte]bool{}
	for _, t := range tags {
		want[t] = true
	}
	if n.Access != nil {
		for _, e := range n.Access.Entries(0, n.Access.Len()) {
			if e.Outcome == p2p.Granted && want[e.StreamTag] {
				counts[erasure.Hex32(e.GrantID)]++
			}
		}
	}
	asked, unreachable, err := n.askMembersAudit(ctx, tags, func(_ peer.ID, _ [32]byte, got []p2p.AuditedAccess) {
		for _, a := range got {
			if a.Entry.Outcome == p2p.Granted && want[a.Entry.StreamTag] {
				counts[erasure.Hex32(a.Entry.GrantID)]++
			}
		}
	})
	if err != nil {
		return counts, "this node's proxy only (member list: " + err.Error() + ")", nil
	}
	others := asked + len(unreachable)
	return counts, fmt.Sprintf("the access logs of this node's proxy and of %d of the %d other members' proxies", asked, others), nil
}
