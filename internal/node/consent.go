package node

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	ds "github.com/ipfs/go-datastore"
	"github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
)

// Identifier systems and code systems of a FHIR Consent (docs/FHIR.md).
const (
	// SystemGranteeKey names a clinician by the hex of the public key made by
	// `vaultnode keygen` (the --to of `vaultnode grant`).
	SystemGranteeKey = "urn:vaultnode:grantee-key"
	// SystemStream names a stream directly in provision.code.
	SystemStream       = "urn:vaultnode:stream"
	systemConsentScope = "http://terminology.hl7.org/CodeSystem/consentscope"
	systemParticipant  = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	systemConsentAct   = "http://terminology.hl7.org/CodeSystem/consentaction"
	systemActReason    = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
	systemResourceType = "http://hl7.org/fhir/resource-types"
)

// ConsentGrant is what an imported FHIR Consent authorises: one clinician's
// access to some streams of one patient for a time window, for purposes.
// It becomes one grant per stream.
type ConsentGrant struct {
	ConsentID string         `json:"consent,omitempty"`
	Patient   string         `json:"patient"`
	Streams   []string       `json:"streams"`
	Grantee   p2p.GranteeKey `json:"-"`
	NotBefore time.Time      `json:"notBefore"`
	NotAfter  time.Time      `json:"notAfter"`
	Purposes  []string       `json:"purposes,omitempty"`
	Actor     string         `json:"actor,omitempty"` // display of the actor, if given
	// subject is how Consent.patient named the patient (resolved by system,
	// never by an identifier's value alone: fhirserver.go).
	subject FHIRSubject
}

// ParseConsent maps a FHIR R4 Consent to a ConsentGrant. It accepts only
// what a grant can enforce exactly: an active patient-privacy Consent with
// one permit provision (period with an end, one recipient actor named by
// its key, Observation class, stream codes, purposes). Everything else
// (deny or nested provisions, dataPeriod, data, securityLabel, other actor
// roles or actions, modifier extensions, ...) is refused with a *FHIRError
// naming the element: a Consent is never widened into a grant.
func ParseConsent(body []byte, now time.Time) (*ConsentGrant, error) {
	fe := &FHIRError{}
	var c fhir.Consent
	obj := decodeFHIR(body, "Consent", "Consent", &c, fe)
	if obj == nil {
		return nil, fe
	}
	cg := &ConsentGrant{}
	if c.Id != nil {
		cg.ConsentID = *c.Id
	}
	if len(c.ModifierExtension) > 0 {
		fe.add("Consent.modifierExtension", "not-supported", "modifier extensions are not understood; the Consent is refused rather than misread")
	}
	if _, ok := obj["status"]; !ok {
		fe.add("Consent.status", "required", "status is required")
	} else if c.Status != fhir.ConsentStateActive {
		fe.add("Consent.status", "value", "only an active Consent grants access (status is %q)", c.Status.Code())
	}
	if _, ok := obj["scope"]; !ok {
		fe.add("Consent.scope", "required", "scope is required (patient-privacy)")
	} else if !hasCoding(c.Scope.Coding, systemConsentScope, "patient-privacy") {
		fe.add("Consent.scope", "not-supported", "only a patient-privacy Consent (%s) can become a grant", systemConsentScope)
	}
	if c.Patient == nil {
		fe.add("Consent.patient", "required", "patient is required")
	} else if id, ok := refID(c.Patient, "Patient"); !ok || id == "" {
		fe.add("Consent.patient", "value", "patient must reference a Patient (Patient/<MRN or pseudonym> or an identifier)")
	} else {
		cg.Patient = id
		cg.subject = subjectOf(c.Patient)
	}
	p := c.Provision
	if p == nil {
		fe.add("Consent.provision", "required", "a provision (permit, period, actor, code) is required")
		return nil, fe
	}
	const pp = "Consent.provision"
	if len(p.ModifierExtension) > 0 {
		fe.add(pp+".modifierExtension", "not-supported", "modifier extensions are not understood")
	}
	switch {
	case p.Type == nil:
		fe.add(pp+".type", "required", "the provision type must be given (permit)")
	case *p.Type != fhir.ConsentProvisionTypePermit:
		fe.add(pp+".type", "not-supported", "deny provisions are not supported: a grant can only permit; grant less instead")
	}
	if len(p.Provision) > 0 {
		fe.add(pp+".provision", "not-supported", "nested provisions (exceptions) are not supported: they could not be enforced by a grant")
	}
	if p.DataPeriod != nil {
		fe.add(pp+".dataPeriod", "not-supported", "dataPeriod is not supported: a grant covers the whole stream; it limits when, not which readings")
	}
	if len(p.Data) > 0 {
		fe.add(pp+".data", "not-supported", "provision.data (specific resources) is not supported: grants are per stream")
	}
	if len(p.SecurityLabel) > 0 {
		fe.add(pp+".securityLabel", "not-supported", "security labels are not supported")
	}
	// period
	if p.Period == nil {
		fe.add(pp+".period", "required", "the period (start and end) is required: a grant has an end")
	} else {
		cg.NotBefore = now
		if p.Period.Start != nil {
			if t, err := time.Parse(time.RFC3339Nano, *p.Period.Start); err != nil {
				fe.add(pp+".period.start", "value", "%q is not a date-time with time zone", *p.Period.Start)
			} else {
				cg.NotBefore = t
			}
		}
		if p.Period.End == nil {
			fe.add(pp+".period.end", "required", "the end of the period is required")
		} else if t, err := time.Parse(time.RFC3339Nano, *p.Period.End); err != nil {
			fe.add(pp+".period.end", "value", "%q is not a date-time with time zone (a date alone would be read in some time zone and could widen the grant)", *p.Period.End)
		} else {
			cg.NotAfter = t
			if !t.After(cg.NotBefore) {
				fe.add(pp+".period.end", "value", "the period ends before it starts")
			} else if !t.After(now) {
				fe.add(pp+".period.end", "value", "the period has already ended")
			}
		}
	}
	// actor: exactly one recipient, named by its key
	switch {
	case len(p.Actor) == 0:
		fe.add(pp+".actor", "required", "one actor (the clinician receiving access) is required")
	case len(p.Actor) > 1:
		fe.add(pp+".actor", "not-supported", "one actor per Consent: a grant has one grantee (make one Consent per clinician)")
	default:
		a := p.Actor[0]
		ap := pp + ".actor[0]"
		if len(a.ModifierExtension) > 0 {
			fe.add(ap+".modifierExtension", "not-supported", "modifier extensions are not understood")
		}
		if !hasCoding(a.Role.Coding, systemParticipant, "IRCP") && !hasCoding(a.Role.Coding, systemParticipant, "PRCP") {
			fe.add(ap+".role", "not-supported", "unknown actor role: only an information recipient (%s IRCP or PRCP) can be granted access", systemParticipant)
		}
		id := a.Reference.Identifier
		switch {
		case id == nil || id.System == nil || *id.System != SystemGranteeKey || id.Value == nil:
			fe.add(ap+".reference.identifier", "required", "the actor must be named by its key: identifier system %s, value the hex public key from `vaultnode keygen`", SystemGranteeKey)
		default:
			// Hex only: a Consent may come over HTTP and must not name a file.
			raw, err := hex.DecodeString(strings.TrimSpace(*id.Value))
			var gk p2p.GranteeKey
			if err == nil {
				gk, err = p2p.ParseGranteeKey(raw)
			}
			if err != nil {
				fe.add(ap+".reference.identifier.value", "value", "not a grantee public key: %v", err)
			} else {
				cg.Grantee = gk
			}
		}
		if a.Reference.Display != nil {
			cg.Actor = *a.Reference.Display
		}
	}
	// action
	for i, cc := range p.Action {
		for j, cd := range cc.Coding {
			if cd.System == nil || *cd.System != systemConsentAct || cd.Code == nil || (*cd.Code != "access" && *cd.Code != "use") {
				fe.add(fmt.Sprintf("%s.action[%d].coding[%d]", pp, i, j), "not-supported", "only the actions access and use (%s) are granted", systemConsentAct)
			}
		}
	}
	// purpose
	for i, cd := range p.Purpose {
		switch {
		case cd.System == nil || *cd.System != systemActReason:
			fe.add(fmt.Sprintf("%s.purpose[%d].system", pp, i), "not-supported", "purposes must come from %s", systemActReason)
		case cd.Code == nil || len(*cd.Code) > p2p.MaxPurposeLen:
			fe.add(fmt.Sprintf("%s.purpose[%d].code", pp, i), "value", "a purpose code of 1..%d characters is required", p2p.MaxPurposeLen)
		case p2p.CheckPurpose(*cd.Code) != nil:
			fe.add(fmt.Sprintf("%s.purpose[%d].code", pp, i), "code-invalid", "%v", p2p.CheckPurpose(*cd.Code))
		default:
			cg.Purposes = append(cg.Purposes, *cd.Code)
		}
	}
	// class: only Observations are held here
	for i, cd := range p.Class {
		if cd.System == nil || *cd.System != systemResourceType || cd.Code == nil || *cd.Code != "Observation" {
			fe.add(fmt.Sprintf("%s.class[%d]", pp, i), "not-supported", "only the class Observation (%s) is held by vaultnode", systemResourceType)
		}
	}
	// code: the streams
	if len(p.Code) == 0 {
		fe.add(pp+".code", "required", "provision.code must list the streams (LOINC, MDC or %s codes): a Consent without codes would cover every stream", SystemStream)
	}
	seen := map[string]bool{}
	for i, cc := range p.Code {
		cp := fmt.Sprintf("%s.code[%d]", pp, i)
		stream := ""
		for j, cd := range cc.Coding {
			if cd.System == nil || cd.Code == nil {
				fe.add(fmt.Sprintf("%s.coding[%d]", cp, j), "required", "coding needs a system and a code")
				continue
			}
			var s string
			switch *cd.System {
			case SystemStream:
				s = *cd.Code
			case SystemLOINC:
				s = streamOfCode("loinc:" + *cd.Code)
			case SystemMDC:
				s = streamOfCode("mdc:" + *cd.Code)
			default:
				fe.add(fmt.Sprintf("%s.coding[%d].system", cp, j), "not-supported", "code system %q: use LOINC, MDC or %s", *cd.System, SystemStream)
				continue
			}
			if err := keys.ValidateStreamName(s); err != nil {
				fe.add(fmt.Sprintf("%s.coding[%d].code", cp, j), "value", "not a stream: %v", err)
				continue
			}
			if stream != "" && stream != s {
				fe.add(cp, "invalid", "the codings of one code name different streams (%s, %s)", stream, s)
			}
			stream = s
		}
		if stream != "" && !seen[stream] {
			seen[stream] = true
			cg.Streams = append(cg.Streams, stream)
		}
	}
	if err := fe.orNil(); err != nil {
		return nil, err
	}
	return cg, nil
}

func hasCoding(cs []fhir.Coding, system, code string) bool {
	for _, c := range cs {
		if c.System != nil && *c.System == system && c.Code != nil && *c.Code == code {
			return true
		}
	}
	return false
}

// ConsentRecord is kept locally per grant made from a Consent, so that the
// audit can show the consent and its purposes.
type ConsentRecord struct {
	ConsentID string    `json:"consent,omitempty"`
	Stream    string    `json:"stream"`
	Purposes  []string  `json:"purposes,omitempty"`
	Actor     string    `json:"actor,omitempty"`
	Imported  time.Time `json:"imported"`
}

func consentKey(grant [32]byte) ds.Key {
	return ds.NewKey("/vaultnode/consent/" + hex.EncodeToString(grant[:]))
}

// ConsentOfGrant returns the consent a grant was made from, if any.
func (n *Node) ConsentOfGrant(ctx context.Context, grant [32]byte) (*ConsentRecord, bool) {
	b, err := n.Store.Datastore().Get(ctx, consentKey(grant))
	if err != nil {
		return nil, false
	}
	var r ConsentRecord
	if json.Unmarshal(b, &r) != nil {
		return nil, false
	}
	return &r, true
}

// ImportConsent turns a FHIR Consent into grants (one per stream, threshold
// m of n proxies). It checks the patient and every stream before granting
// anything; if a later grant fails, the grants already made are revoked.
func (n *Node) ImportConsent(ctx context.Context, body []byte, m, nProxies int) (*ConsentGrant, []*GrantResult, error) {
	cg, err := ParseConsent(body, time.Now())
	if err != nil {
		return nil, nil, err
	}
	fe := &FHIRError{}
	pt, ok, err := n.resolveSubject(ctx, cg.subject, "Consent.patient", fe)
	if err != nil {
		return cg, nil, err
	}
	if !ok {
		return cg, nil, fe
	}
	for i, s := range cg.Streams {
		if _, err := n.Keys.Stream(ctx, pt.Pseudonym, s); err != nil {
			return cg, nil, &FHIRError{Issues: []FHIRIssue{{Expression: fmt.Sprintf("Consent.provision.code[%d]", i), Code: "not-found",
				Diagnostics: fmt.Sprintf("the patient has no stream %q", s)}}}
		}
	}
	var out []*GrantResult
	for _, s := range cg.Streams {
		res, err := n.Grant(ctx, GrantRequest{Patient: cg.Patient, Stream: s, Grantee: cg.Grantee, NotBefore: cg.NotBefore, NotAfter: cg.NotAfter, M: m, N: nProxies, Purposes: cg.Purposes})
		if err == nil {
			id, _ := ParseGrantID(res.ID)
			rec, _ := json.Marshal(ConsentRecord{ConsentID: cg.ConsentID, Stream: s, Purposes: cg.Purposes, Actor: cg.Actor, Imported: time.Now().UTC()})
			if perr := n.Store.Datastore().Put(ctx, consentKey(id), rec); perr != nil {
				err = fmt.Errorf("record consent of grant %s: %w", res.ID, perr)
				out = append(out, res)
			}
		}
		if err != nil {
			var rerr error
			for _, g := range out {
				id, _ := ParseGrantID(g.ID)
				if _, e := n.Revoke(ctx, id); e != nil {
					rerr = errors.Join(rerr, fmt.Errorf("revoke grant %s: %w", g.ID, e))
				}
			}
			return cg, nil, errors.Join(fmt.Errorf("consent: grant of stream %q: %w (grants already made were revoked)", s, err), rerr)
		}
		out = append(out, res)
	}
	return cg, out, nil
}
