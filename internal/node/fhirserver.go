package node

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	"github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// What vaultnode does as a FHIR server beyond mapping Observations to
// readings (fhir.go): patient identity, conditional create (ifNoneExist),
// the transaction-response Bundle, the ids of stored Observations.

// FHIRIdentifier is an Identifier's system and value.
type FHIRIdentifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value"`
}

// FHIRSubject is how an Observation named its patient.
type FHIRSubject struct {
	// Reference: the id of a literal reference Patient/<id>; else the
	// identifier (System may be empty: matched by value alone, refused).
	Reference  string
	Identifier *FHIRIdentifier
}

// FHIREntry is what a FHIR server answers about one Observation of a
// submission.
type FHIREntry struct {
	Path        string // FHIRPath of the resource ("Bundle.entry[2].resource")
	FullURL     string
	IfNoneExist string
	Identifiers []FHIRIdentifier
	Subject     FHIRSubject
}

// FHIRDoc is the shape of a FHIR submission: a single Observation (Type
// ""), or a Bundle of Type transaction, batch or collection, with one entry
// per reading in order.
type FHIRDoc struct {
	Type    string
	Entries []FHIREntry
}

func subjectOf(r *fhir.Reference) FHIRSubject {
	if r.Identifier != nil && r.Identifier.Value != nil {
		id := &FHIRIdentifier{Value: *r.Identifier.Value}
		if r.Identifier.System != nil {
			id.System = *r.Identifier.System
		}
		return FHIRSubject{Identifier: id}
	}
	if r.Reference != nil {
		return FHIRSubject{Reference: strings.TrimPrefix(*r.Reference, "Patient/")}
	}
	return FHIRSubject{}
}

func identifiersOf(ids []fhir.Identifier) []FHIRIdentifier {
	var out []FHIRIdentifier
	for _, id := range ids {
		if id.Value == nil {
			continue
		}
		x := FHIRIdentifier{Value: *id.Value}
		if id.System != nil {
			x.System = *id.System
		}
		out = append(out, x)
	}
	return out
}

// ifNoneExist parses a conditional create's search: only
// "identifier=system|value" is supported (a value alone could match another
// system's identifier).
func parseIfNoneExist(q string) (FHIRIdentifier, error) {
	vs, err := url.ParseQuery(strings.TrimPrefix(q, "?"))
	if err != nil {
		return FHIRIdentifier{}, fmt.Errorf("not a search query: %v", err)
	}
	for k := range vs {
		if k != "identifier" {
			return FHIRIdentifier{}, fmt.Errorf("search parameter %q is not supported (only identifier=system|value)", k)
		}
	}
	if len(vs["identifier"]) != 1 {
		return FHIRIdentifier{}, errors.New("want exactly one identifier=system|value")
	}
	sys, val, ok := strings.Cut(vs["identifier"][0], "|")
	if !ok || sys == "" || val == "" {
		return FHIRIdentifier{}, errors.New("the identifier needs its system: identifier=system|value")
	}
	return FHIRIdentifier{System: sys, Value: val}, nil
}

// checkIfNoneExist: every ifNoneExist is supported and names an identifier
// of its own Observation (the one the Observation is remembered under).
func (d *FHIRDoc) checkIfNoneExist() error {
	fe := &FHIRError{}
	for _, e := range d.Entries {
		if e.IfNoneExist == "" {
			continue
		}
		p := strings.TrimSuffix(e.Path, ".resource") + ".request.ifNoneExist"
		id, err := parseIfNoneExist(e.IfNoneExist)
		if err != nil {
			fe.add(p, "not-supported", "%v", err)
			continue
		}
		if !slices.Contains(e.Identifiers, id) {
			fe.add(p, "invalid", "ifNoneExist names identifier %s|%s, which is not an identifier of the Observation", id.System, id.Value)
		}
	}
	return fe.orNil()
}

// resolveSubjects files every reading of b under the patient its
// Observation names, unambiguously: an identifier must have one of the
// node's identifier systems (config patients.identifierSystems: the MRN
// systems; urn:vaultnode:pseudonym), a literal reference Patient/<id> must
// name a patient of this node (by MRN or pseudonym, its resource ids). A
// reading is never filed under a patient matched by an identifier's value
// alone. The readings' patient fields are replaced by the pseudonyms.
func (n *Node) resolveSubjects(ctx context.Context, b *DeviceBatch, doc *FHIRDoc) error {
	fe := &FHIRError{}
	type subj struct {
		ref, sys, val string
		byID          bool
	}
	cache := map[subj]string{} // subject → pseudonym, within this document
	for i := range doc.Entries {
		e := &doc.Entries[i]
		p := e.Path + ".subject"
		key := subj{ref: e.Subject.Reference}
		if e.Subject.Identifier != nil {
			key = subj{sys: e.Subject.Identifier.System, val: e.Subject.Identifier.Value, byID: true}
		}
		if ps, ok := cache[key]; ok {
			b.Readings[i].Patient = ps
			continue
		}
		pt, ok, err := n.resolveSubject(ctx, e.Subject, p, fe)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		b.Readings[i].Patient = pt.Pseudonym.String()
		cache[key] = b.Readings[i].Patient
	}
	return fe.orNil()
}

// resolveSubject finds the patient a subject (or Consent.patient) names,
// by the rules of resolveSubjects; a refusal is added to fe under path
// (ok false). err is a failure of the keystore itself.
func (n *Node) resolveSubject(ctx context.Context, s FHIRSubject, path string, fe *FHIRError) (pt keys.Patient, ok bool, err error) {
	systems := n.Cfg.Patients.IdentifierSystems
	p := path
	switch {
	case s.Identifier != nil && s.Identifier.System == "":
		fe.add(p+".identifier.system", "required", "a patient identifier needs its system (one of %s): a value alone could be another system's", systemList(systems))
		return pt, false, nil
	case s.Identifier != nil && s.Identifier.System == SystemPseudonym:
		var ps keys.Pseudonym
		if ps, err = keys.ParsePseudonym(s.Identifier.Value); err == nil {
			pt, err = n.Keys.Patient(ctx, ps)
		}
		p += ".identifier.value"
	case s.Identifier != nil:
		if !slices.Contains(systems, s.Identifier.System) {
			fe.add(p+".identifier.system", "not-found", "identifier system %q is not one this node's MRNs belong to (%s)", s.Identifier.System, systemList(systems))
			return pt, false, nil
		}
		pt, err = n.Keys.PatientByMRN(ctx, s.Identifier.Value)
		p += ".identifier.value"
	default:
		pt, err = n.Keys.ResolvePatient(ctx, s.Reference)
		p += ".reference"
	}
	if err != nil {
		if errors.Is(err, keys.ErrUnknownPatient) || errors.Is(err, keys.ErrDestroyed) || errors.Is(err, keys.ErrInvalid) {
			fe.add(p, "not-found", "no such patient on this node")
			return pt, false, nil
		}
		return pt, false, err
	}
	return pt, true, nil
}

func systemList(s []string) string {
	if len(s) == 0 {
		return SystemPseudonym + " only: patients.identifierSystems is not configured"
	}
	return strings.Join(append(slices.Clone(s), SystemPseudonym), ", ")
}

// ObservationID is the FHIR id of the reading at index i of the batch with
// root: a UUID (version 8, RFC 9562) made of SHA-256(root CID bytes || u32
// i). The same reading gets the same id in a transaction-response, a
// conditional create's answer and a fetched Bundle (whose fullUrl is
// urn:uuid:<id>).
func ObservationID(root cid.Cid, i int) string {
	h := sha256.New()
	h.Write(root.Bytes())
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(i)))
	return uuidOf(h.Sum(nil)[:16])
}

// uuidOf formats 16 bytes as a version 8 (custom) UUID.
func uuidOf(b []byte) string {
	b = append([]byte(nil), b[:16]...)
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// identRecord is where an Observation remembered under an identifier was
// stored.
type identRecord struct {
	Root  string `json:"root"`
	Index int    `json:"i"`
	Time  int64  `json:"t"`
}

// identKey is keyed (the identifier may be an accession number): nobody
// reading the repo can test a guess.
func (n *Node) identKey(id FHIRIdentifier) ds.Key {
	k := n.d.ingestID("", []byte("vaultnode/fhir-identifier/v1\x00"+id.System+"|"+id.Value))
	return ds.NewKey("/vaultnode/fhir/ident/" + hex.EncodeToString(k[:]))
}

// findIdentified returns the Observation stored under id, if its batch is
// still held here (an erased patient's batches are not).
func (n *Node) findIdentified(ctx context.Context, id FHIRIdentifier) (*identRecord, error) {
	raw, err := n.Store.Datastore().Get(ctx, n.identKey(id))
	if errors.Is(err, ds.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r identRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("%w: identifier record: %v", ErrIntegrity, err)
	}
	c, err := cid.Decode(r.Root)
	if err != nil {
		return nil, fmt.Errorf("%w: identifier record: %v", ErrIntegrity, err)
	}
	if ok, err := n.Store.Has(ctx, c); err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

// rememberIdentifiers records where each stored Observation's identifiers
// now point, in one durable datastore batch (one sync, not one per
// identifier).
func (n *Node) rememberIdentifiers(ctx context.Context, doc *FHIRDoc, keep []int, where []obsWhere) error {
	dstore := n.Store.Datastore()
	w, err := dstore.Batch(ctx)
	if err != nil {
		return fmt.Errorf("remember identifiers: %w", err)
	}
	now := time.Now().Unix()
	any := false
	for _, i := range keep {
		rec, _ := json.Marshal(identRecord{Root: where[i].root.String(), Index: where[i].idx, Time: now})
		for _, id := range doc.Entries[i].Identifiers {
			if id.System == "" {
				continue
			}
			any = true
			if err := w.Put(ctx, n.identKey(id), rec); err != nil {
				return fmt.Errorf("remember identifier: %w", err)
			}
		}
	}
	if !any {
		return nil
	}
	if err := w.Commit(ctx); err != nil {
		return fmt.Errorf("remember identifiers: %w", err)
	}
	if err := dstore.Sync(ctx, ds.NewKey("/vaultnode/fhir/ident")); err != nil {
		return fmt.Errorf("remember identifiers: %w", err)
	}
	return nil
}

// obsWhere is where one Observation of a submission was stored.
type obsWhere struct {
	root cid.Cid
	idx  int
}

// condMu serializes conditional creates (lookup, ingest, remember), so two
// transactions carrying the same identifier store it once.
var condMu sync.Mutex

// FHIRResult is the answer to a FHIR submission: the receipt (the CLI's
// answer) and the transaction-response (or batch-response) Bundle.
type FHIRResult struct {
	Receipt  *Receipt
	Response map[string]any
	// Status and Location of a single Observation's create (201, or 200
	// for a conditional create that matched).
	Status   int
	Location string
}

// IngestFHIR ingests a FHIR submission as a FHIR server does: the
// device's signature is checked first, patients are resolved by system
// (resolveSubjects), Observations whose ifNoneExist identifier is already
// stored are not stored again (answered 200 with their location, also
// after a restart), the rest are ingested as one submission (exactly once,
// ingestonce.go), and every Observation's identifiers are remembered.
func (n *Node) IngestFHIR(ctx context.Context, device string, body, sig []byte, fw *Firmware) (*FHIRResult, error) {
	b, doc, err := ParseFHIRDoc(body, device)
	if err != nil {
		return nil, err
	}
	if fw != nil {
		// Declared beside the document (X-Vaultnode-Firmware) and signed with it (FHIRMessage).
		if err := checkFirmwareVersion(fw.Version); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
		}
		b.Firmware, b.Message = fw, FHIRMessage(device, fw, body)
	}
	b.Sig = sig
	if err := n.verifyDeviceSig(ctx, device, b.Message, sig); err != nil {
		return nil, err
	}
	if err := n.resolveSubjects(ctx, b, doc); err != nil {
		return nil, err
	}
	condMu.Lock()
	defer condMu.Unlock()
	existing := make([]*identRecord, len(doc.Entries))
	keep := make([]int, 0, len(doc.Entries))
	// The same bytes again (a retry) are answered from their ingest record
	// as a whole (ingestonce.go), not filtered: they were stored together.
	prev, err := n.loadIngest(ctx, n.d.ingestID(device, b.Message))
	if err != nil {
		return nil, err
	}
	for i, e := range doc.Entries {
		if e.IfNoneExist != "" && prev == nil {
			id, _ := parseIfNoneExist(e.IfNoneExist)
			r, err := n.findIdentified(ctx, id)
			if err != nil {
				return nil, err
			}
			if r != nil {
				existing[i] = r
				continue
			}
		}
		keep = append(keep, i)
	}
	rc := &Receipt{Device: device, Batches: []BatchReceipt{}}
	where := make([]obsWhere, len(doc.Entries))
	if len(keep) > 0 {
		sub := b
		if len(keep) < len(doc.Entries) {
			sub = &DeviceBatch{Message: b.Message, Sig: b.Sig, Firmware: b.Firmware}
			for _, i := range keep {
				sub.Lines = append(sub.Lines, b.Lines[i])
				sub.Readings = append(sub.Readings, b.Readings[i])
				sub.Paths = append(sub.Paths, b.Paths[i])
			}
		}
		if rc, err = n.Ingest(ctx, device, sub); err != nil {
			return nil, err
		}
		for _, br := range rc.Batches {
			root, err := cid.Decode(br.Root)
			if err != nil {
				return nil, fmt.Errorf("%w: receipt root: %v", ErrIntegrity, err)
			}
			for j, k := range br.Lines {
				where[keep[k]].root, where[keep[k]].idx = root, j
			}
		}
		if err := n.rememberIdentifiers(ctx, doc, keep, where); err != nil {
			return nil, err
		}
	}
	res := &FHIRResult{Receipt: rc}
	respType := "transaction-response"
	if doc.Type == "batch" || doc.Type == "collection" {
		respType = "batch-response"
	}
	var entries []any
	for i := range doc.Entries {
		var status, loc string
		var outcome map[string]any
		if r := existing[i]; r != nil {
			c, _ := cid.Decode(r.Root)
			status, loc = "200 OK", "Observation/"+ObservationID(c, r.Index)+"/_history/1"
			outcome = informational("informational", "an Observation with identifier "+ifNoneExistText(doc.Entries[i].IfNoneExist)+" is already stored: nothing was stored (conditional create)")
		} else if rc.Replayed {
			status, loc = "200 OK", "Observation/"+ObservationID(where[i].root, where[i].idx)+"/_history/1"
			outcome = informational("informational", "this submission was stored before (a retry): nothing was stored again")
		} else {
			status, loc = "201 Created", "Observation/"+ObservationID(where[i].root, where[i].idx)+"/_history/1"
			outcome = informational("informational", "stored, sealed in batch "+where[i].root.String())
		}
		resp := map[string]any{"status": status, "location": loc, "etag": `W/"1"`, "outcome": outcome}
		if existing[i] == nil && !rc.Replayed {
			resp["lastModified"] = time.Now().UTC().Format(time.RFC3339)
		}
		entries = append(entries, map[string]any{"response": resp})
		if i == 0 {
			res.Location = loc
			res.Status = 201
			if status == "200 OK" {
				res.Status = 200
			}
		}
	}
	res.Response = map[string]any{"resourceType": "Bundle", "type": respType, "entry": entries}
	return res, nil
}

func ifNoneExistText(q string) string {
	id, err := parseIfNoneExist(q)
	if err != nil {
		return q
	}
	return id.System + "|" + id.Value
}

func informational(code, text string) map[string]any {
	return map[string]any{"resourceType": "OperationOutcome",
		"issue": []any{map[string]any{"severity": "information", "code": code, "diagnostics": text}}}
}

// verifyDeviceSig checks a FHIR submission's signature by an enrolled,
// active device before anything about the document is answered (a
// conditional create that stores nothing still proves its sender).
// node.Ingest checks it again with the device's on-chain status.
func (n *Node) verifyDeviceSig(ctx context.Context, device string, msg, sig []byte) error {
	dev, err := n.Keys.Device(ctx, device)
	if errors.Is(err, keys.ErrUnknownDevice) || errors.Is(err, keys.ErrInvalid) {
		return fmt.Errorf("%w: unknown device %q", ErrDeviceRefused, device)
	}
	if err != nil {
		return err
	}
	if dev.Status != keys.DeviceActive {
		return fmt.Errorf("%w: device %q is revoked", ErrDeviceRefused, device)
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(dev.PublicKey, msg, sig) {
		return fmt.Errorf("%w: signature does not verify with the key of device %q", ErrBadSignature, device)
	}
	onChain, err := n.Chain.ActiveDevice(ctx, n.d.deviceIDHash(device))
	switch {
	case errors.Is(err, pointers.ErrDeviceRevoked):
		return fmt.Errorf("%w: device %q is revoked on-chain", ErrDeviceRefused, device)
	case errors.Is(err, pointers.ErrUnknownDevice):
		return fmt.Errorf("%w: device %q is not registered on-chain", ErrDeviceRefused, device)
	case err != nil:
		return fmt.Errorf("check device on-chain: %w", err)
	}
	_ = onChain
	return nil
}
