package node

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/store"
)

// FHIRDomain prefixes the bytes a device signs for a FHIR submission:
// "vaultnode/device-fhir/v1\n" || device id || "\n" || the request body.
const FHIRDomain = "vaultnode/device-fhir/v1\n"

// FHIRDomainFirmware prefixes the bytes a device signs for a FHIR submission that declares the firmware
// that produced it (FHIRMessage).
const FHIRDomainFirmware = "vaultnode/device-fhir/v2\n"

// FHIRMessage is what a device signs for a FHIR submission: FHIRDomain || device id || "\n" || body, or,
// declaring its firmware (fw not nil), FHIRDomainFirmware || device id || "\n" || "firmware " || version ||
// " " || hex(image) || "\n" || body, the same declaration a JSON-lines batch signs.
func FHIRMessage(device string, fw *Firmware, body []byte) []byte {
	if fw == nil {
		return append([]byte(FHIRDomain+device+"\n"), body...)
	}
	b := append([]byte(FHIRDomainFirmware+device+"\n"), "firmware "+fw.Version+" "...)
	b = hex.AppendEncode(b, fw.Image[:])
	return append(append(b, '\n'), body...)
}

// Code systems understood in Observation.code (docs/FHIR.md).
const (
	SystemLOINC = "http://loinc.org"
	SystemMDC   = "urn:iso:std:iso:11073:10101" // IEEE 11073-10101 nomenclature (MDC)
	SystemUCUM  = "http://unitsofmeasure.org"
)

// streamOfCode is kept for callers that map a reading code to its stream.
func streamOfCode(code string) string {
	if k, ok := codeRules[code]; ok {
		return k.stream
	}
	return strings.ToLower(strings.NewReplacer(":", "-", "/", "-", ".", "-").Replace(code))
}

// refID returns the id a Reference names for kind ("Patient", "Device"): the
// identifier value, or the id of a relative reference Kind/id. ok is false
// when the reference is to another resource type.
func refID(r *fhir.Reference, kind string) (string, bool) {
	if r == nil {
		return "", true
	}
	if r.Type != nil && *r.Type != kind {
		return "", false
	}
	if r.Identifier != nil && r.Identifier.Value != nil {
		return *r.Identifier.Value, true
	}
	if r.Reference != nil {
		ref := *r.Reference
		if s, ok := strings.CutPrefix(ref, kind+"/"); ok && s != "" && !strings.Contains(s, "/") {
			return s, true
		}
		return "", false
	}
	return "", true
}

// ParseFHIR maps a FHIR R4 Observation, or a Bundle (transaction, batch or
// collection) of Observations, to a device batch (docs/PRODUCT.md §6: subject, device,
// code, effective, valueQuantity). It accepts the document whole or not at
// all: any invalid resource gives a *FHIRError (an ErrBadInput) naming every
// offending element by FHIRPath. The device's signature (set by the caller
// in Sig) covers FHIRDomain, the device id and the body.
func ParseFHIR(body []byte, device string) (*DeviceBatch, error) {
	b, _, err := ParseFHIRDoc(body, device)
	return b, err
}

// ParseFHIRDoc is ParseFHIR that also returns what a FHIR server answers
// from: the Bundle type and, per reading, its entry's fullUrl, request,
// identifiers and subject (fhirserver.go).
func ParseFHIRDoc(body []byte, device string) (*DeviceBatch, *FHIRDoc, error) {
	b, doc, err := parseFHIRDoc(body, device)
	if err != nil {
		return nil, nil, err
	}
	return b, doc, nil
}

func parseFHIRDoc(body []byte, device string) (*DeviceBatch, *FHIRDoc, error) {
	if device == "" {
		return nil, nil, fmt.Errorf("%w: the device id goes in ?device= or the X-Vaultnode-Device header", ErrBadInput)
	}
	if b, doc, ok := fastFHIRDoc(body, device); ok {
		return b, doc, nil
	}
	return strictFHIRDoc(body, device)
}

// strictFHIRDoc is the strict path: the document decoded into a generic
// tree, walked against the R4 model (walkFHIR), decoded into the model's
// structs, mapped; it decides every refusal and names it.
func strictFHIRDoc(body []byte, device string) (*DeviceBatch, *FHIRDoc, error) {
	if !utf8.Valid(body) {
		return nil, nil, &FHIRError{Issues: []FHIRIssue{{Expression: "$this", Code: "structure", Diagnostics: "the body is not valid UTF-8"}}}
	}
	doc := &FHIRDoc{}
	if json.Valid(body) {
		if k, dup := jsonDuplicateKey(body); dup {
			return nil, nil, &FHIRError{Issues: []FHIRIssue{{Expression: "$this", Code: "structure",
				Diagnostics: fmt.Sprintf("member %q appears twice in one object: refused rather than reading one of them", k)}}}
		}
	}
	fe := &FHIRError{}
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		fe.add("$this", "structure", "not a FHIR JSON resource: %v", err)
		return nil, nil, fe
	}
	type item struct {
		raw  []byte
		path string
		e    FHIREntry
		tree map[string]any // the resource's generic tree, from the Bundle's
	}
	var items []item
	switch head.ResourceType {
	case "Observation":
		items = []item{{body, "Observation", FHIREntry{}, nil}}
	case "Bundle":
		var b fhir.Bundle
		obj := decodeFHIR(body, "Bundle", "Bundle", &b, fe)
		if obj == nil {
			return nil, nil, fe
		}
		if _, ok := obj["type"]; !ok {
			fe.add("Bundle.type", "required", "a Bundle needs a type (transaction, batch or collection)")
			return nil, nil, fe
		}
		doc.Type = b.Type.Code()
		switch b.Type {
		case fhir.BundleTypeTransaction, fhir.BundleTypeBatch, fhir.BundleTypeCollection:
		default:
			fe.add("Bundle.type", "not-supported", "Bundle type %q: only transaction, batch and collection are accepted", b.Type.Code())
			return nil, nil, fe
		}
		if len(b.Entry) == 0 {
			fe.add("Bundle.entry", "required", "the Bundle has no entry")
			return nil, nil, fe
		}
		for i, e := range b.Entry {
			p := fmt.Sprintf("Bundle.entry[%d]", i)
			if len(e.ModifierExtension) > 0 {
				fe.add(p+".modifierExtension", "not-supported", "modifier extensions are not understood")
			}
			if e.Resource == nil {
				fe.add(p+".resource", "required", "entry without a resource")
				continue
			}
			if e.Request != nil {
				if e.Request.Method != fhir.HTTPVerbPOST {
					fe.add(p+".request.method", "not-supported", "only POST (create) is accepted, got %s", e.Request.Method.Code())
				}
				if u := strings.TrimSuffix(e.Request.Url, "/"); u != "Observation" {
					fe.add(p+".request.url", "not-supported", "only Observation can be created, got %q", e.Request.Url)
				}
			} else if b.Type != fhir.BundleTypeCollection {
				fe.add(p+".request", "required", "a %s Bundle entry needs a request (POST Observation)", b.Type.Code())
			}
			fe2 := FHIREntry{}
			if e.FullUrl != nil {
				fe2.FullURL = *e.FullUrl
			}
			if e.Request != nil && e.Request.IfNoneExist != nil {
				fe2.IfNoneExist = *e.Request.IfNoneExist
			}
			items = append(items, item{e.Resource, p + ".resource", fe2, bundleResource(obj, i)})
		}
	default:
		fe.add("$this.resourceType", "not-supported", "resourceType %q: want Observation or Bundle", head.ResourceType)
		return nil, nil, fe
	}
	b := &DeviceBatch{Message: append([]byte(FHIRDomain+device+"\n"), body...)}
	// The Observations are decoded in parallel chunks (the strict R4
	// decoding is the costly part); results and issues are merged in
	// entry order, so the answer is the one a sequential pass gives.
	type out struct {
		rj   ReadingJSON
		ok   bool
		e    FHIREntry
		line []byte
		fe   FHIRError
	}
	outs := make([]out, len(items))
	inChunks(len(items), func(i int) bool {
		it, o := items[i], &outs[i]
		o.e = it.e
		o.e.Path = it.path
		o.rj, o.ok = parseObservationTree(it.tree, it.raw, it.path, device, &o.fe, &o.e)
		if o.ok {
			o.line, _ = json.Marshal(o.rj)
		}
		return true
	})
	for i := range outs {
		o := &outs[i]
		for _, is := range o.fe.Issues {
			fe.add(is.Expression, is.Code, "%s", is.Diagnostics)
		}
		if !o.ok {
			continue
		}
		doc.Entries = append(doc.Entries, o.e)
		b.Lines = append(b.Lines, o.line)
		b.Paths = append(b.Paths, items[i].path)
		b.Readings = append(b.Readings, o.rj)
	}
	if err := fe.orNil(); err != nil {
		return nil, nil, err
	}
	if err := doc.checkIfNoneExist(); err != nil {
		return nil, nil, err
	}
	return b, doc, nil
}

// inChunks calls fn(i) for every i in [0, n), in contiguous chunks run in
// parallel (up to GOMAXPROCS goroutines, one per 64 items at least), and
// returns when all are done. A chunk stops at the first i for which fn
// returns false.
func inChunks(n int, fn func(i int) bool) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64))
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi && fn(i); i++ {
			}
		}()
	}
	wg.Wait()
}

// parseObservation maps one Observation to a reading, adding every problem
// to fe.
func parseObservation(raw []byte, path, device string, fe *FHIRError, meta *FHIREntry) (ReadingJSON, bool) {
	return parseObservationTree(nil, raw, path, device, fe, meta)
}

// bundleResource is the generic tree of entry i's resource in the Bundle's
// tree, or nil (then the resource is decoded from its bytes).
func bundleResource(bundle map[string]any, i int) map[string]any {
	es, _ := bundle["entry"].([]any)
	if i >= len(es) {
		return nil
	}
	e, _ := es[i].(map[string]any)
	r, _ := e["resource"].(map[string]any)
	return r
}

// parseObservationTree is parseObservation with the resource's generic
// tree already decoded (nil: decode it from raw).
func parseObservationTree(tree map[string]any, raw []byte, path, device string, fe *FHIRError, meta *FHIREntry) (ReadingJSON, bool) {
	var o fhir.Observation
	var obj map[string]any
	if tree != nil {
		obj = decodeFHIRTree(tree, raw, "Observation", path, &o, fe)
	} else {
		obj = decodeFHIR(raw, "Observation", path, &o, fe)
	}
	if obj == nil {
		return ReadingJSON{}, false
	}
	has := func(k string) bool { _, ok := obj[k]; return ok }
	extra := func() (string, error) { return observationExtra(obj, raw) }
	return checkObservation(&o, has, extra, path, device, fe, meta)
}

// checkObservation maps a strictly decoded Observation o to a reading,
// adding every problem to fe. has says whether the resource has a member
// (o cannot tell an absent status or code from a zero one); extra gives
// what is kept with the reading (observationExtra). Both decoders (the
// generic tree and the one-pass fhirfast.go) end here, so the rules and
// their refusals are one.
func checkObservation(o *fhir.Observation, has func(string) bool, extra func() (string, error), path, device string, fe *FHIRError, meta *FHIREntry) (ReadingJSON, bool) {
	before := len(fe.Issues)
	rj := ReadingJSON{Device: device}
	if len(o.ModifierExtension) > 0 {
		fe.add(path+".modifierExtension", "not-supported", "modifier extensions are not understood; the Observation is refused rather than misread")
	}
	if !has("status") {
		fe.add(path+".status", "required", "status is required")
	} else {
		switch o.Status {
		case fhir.ObservationStatusFinal, fhir.ObservationStatusAmended, fhir.ObservationStatusCorrected, fhir.ObservationStatusPreliminary:
		default:
			fe.add(path+".status", "value", "status %q carries no measured value (want final, amended, corrected or preliminary)", o.Status.Code())
		}
	}
	// subject
	if o.Subject == nil {
		fe.add(path+".subject", "required", "subject (the patient) is required")
	} else if id, ok := refID(o.Subject, "Patient"); !ok || id == "" {
		fe.add(path+".subject", "value", "subject must reference a Patient (Patient/<MRN or pseudonym> or an identifier)")
	} else {
		rj.Patient = id
		if meta != nil {
			meta.Subject = subjectOf(o.Subject)
		}
	}
	if meta != nil {
		meta.Identifiers = identifiersOf(o.Identifier)
	}
	// device
	if o.Device != nil {
		id, ok := refID(o.Device, "Device")
		switch {
		case !ok || id == "":
			fe.add(path+".device", "value", "device must reference a Device (Device/<id> or an identifier)")
		case id != device:
			fe.add(path+".device", "security", "device %q in a document signed by device %q", id, device)
		}
	}
	// code
	rj.Code, rj.Stream = observationCode(o.Code, has, path, fe)
	// effective time
	switch {
	case o.EffectivePeriod != nil, o.EffectiveTiming != nil:
		fe.add(path+".effective", "not-supported", "a reading needs one instant: use effectiveDateTime or effectiveInstant")
	case o.EffectiveDateTime != nil || o.EffectiveInstant != nil:
		s, p := o.EffectiveDateTime, path+".effectiveDateTime"
		if s == nil {
			s, p = o.EffectiveInstant, path+".effectiveInstant"
		}
		t, err := time.Parse(time.RFC3339Nano, *s)
		if err != nil {
			fe.add(p, "value", "%q is not a date-time with seconds and time zone (e.g. 2026-03-01T08:00:00Z)", *s)
		} else {
			rj.Time = t
		}
	default:
		fe.add(path+".effective[x]", "required", "the time of the reading (effectiveDateTime or effectiveInstant) is required")
	}
	// value
	for _, other := range []string{"valueCodeableConcept", "valueString", "valueBoolean", "valueInteger", "valueRange", "valueRatio",
		"valueSampledData", "valueTime", "valueDateTime", "valuePeriod"} {
		if has(other) {
			fe.add(path+"."+other, "not-supported", "only valueQuantity is stored as a reading")
		}
	}
	if has("component") {
		fe.add(path+".component", "not-supported", "multi-component Observations are not supported: send one Observation per value")
	}
	q := o.ValueQuantity
	unitPath := path + ".valueQuantity.code"
	switch {
	case q == nil:
		if has("dataAbsentReason") {
			fe.add(path+".dataAbsentReason", "not-supported", "an Observation without a value is not a reading")
		} else {
			fe.add(path+".valueQuantity", "required", "valueQuantity is required")
		}
	default:
		qp := path + ".valueQuantity"
		if q.Value == nil {
			fe.add(qp+".value", "required", "value is required")
		} else if v, err := q.Value.Float64(); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			fe.add(qp+".value", "value", "value %s is not a finite number", q.Value.String())
		} else {
			rj.Value = &v
		}
		if q.Comparator != nil {
			fe.add(qp+".comparator", "not-supported", "a bound (%s) is not a measured value", q.Comparator.Code())
		}
		if q.System != nil && *q.System != SystemUCUM {
			fe.add(qp+".system", "code-invalid", "unit system %q: want UCUM (%s)", *q.System, SystemUCUM)
		}
		if q.Code != nil && q.System == nil {
			fe.add(qp+".system", "required", "a unit code needs its system (%s)", SystemUCUM)
		}
		unit, up := "", qp+".code"
		if q.Code != nil {
			unit = *q.Code
		} else if q.Unit != nil {
			unit, up = *q.Unit, qp+".unit"
		}
		if unit == "" {
			fe.add(qp+".code", "required", "a UCUM unit (valueQuantity.code, or .unit) is required")
		}
		rj.Unit = unit
		unitPath = up
	}
	if x, err := extra(); err != nil {
		fe.add(path, "too-long", "%v", err)
	} else {
		rj.Extra = x
	}
	if len(fe.Issues) > before {
		return ReadingJSON{}, false
	}
	// The same table as every other path (rules.go): code syntax, the
	// code's stream, its units (converted within a property), the range.
	if v := CheckReadingRules(&rj); v != nil {
		expr := map[string]string{"code": path + ".code.coding", "stream": path + ".code.coding",
			"unit": unitPath, "value": path + ".valueQuantity.value"}[v.Field]
		code := "code-invalid"
		if v.Rule == RuleValueRange {
			code = "value"
		}
		fe.add(expr, code, "%s (rule %s)", v.Msg, v.Rule)
		return ReadingJSON{}, false
	}
	return rj, true
}

// extraElements are the Observation elements kept with a reading besides
// the measurement (store.Reading.Extra), in the order they are written.
var extraElements = [...]string{"identifier", "interpretation", "referenceRange"}

// observationExtra is what of the Observation raw (decoded as obj) is kept
// with its reading: a JSON object with its identifier, interpretation and
// referenceRange, each as sent (whitespace removed), in that order; "" when
// it has none of them.
func observationExtra(obj map[string]any, raw []byte) (string, error) {
	has := false
	for _, k := range extraElements {
		if _, ok := obj[k]; ok {
			has = true
		}
	}
	if !has {
		return "", nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return "", fmt.Errorf("read the kept elements: %w", err)
	}
	var vals [len(extraElements)][]byte
	for i, k := range extraElements {
		vals[i] = members[k]
	}
	return appendExtra(nil, vals)
}

// appendExtra writes the kept elements (nil: absent) as the Extra object.
func appendExtra(dst []byte, vals [len(extraElements)][]byte) (string, error) {
	dst = append(dst, '{')
	for i, v := range vals {
		if v == nil {
			continue
		}
		if len(dst) > 1 {
			dst = append(dst, ',')
		}
		dst = append(append(append(dst, '"'), extraElements[i]...), '"', ':')
		var err error
		if dst, err = appendCompact(dst, v); err != nil {
			return "", fmt.Errorf("%s: %w", extraElements[i], err)
		}
	}
	dst = append(dst, '}')
	if len(dst) > store.MaxExtraLen {
		return "", fmt.Errorf("identifier, interpretation and referenceRange take %d bytes, at most %d are kept with a reading", len(dst), store.MaxExtraLen)
	}
	return string(dst), nil
}

// appendCompact appends the JSON value v without insignificant whitespace.
func appendCompact(dst, v []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return dst, err
	}
	return append(dst, b.Bytes()...), nil
}

// observationCode picks the reading code and stream from Observation.code:
// the LOINC coding, else the MDC coding; both present must mean the same
// stream.
func observationCode(cc fhir.CodeableConcept, has func(string) bool, path string, fe *FHIRError) (code, stream string) {
	if !has("code") {
		fe.add(path+".code", "required", "code is required")
		return "", ""
	}
	var loinc, mdc string
	for i, c := range cc.Coding {
		cp := fmt.Sprintf("%s.code.coding[%d]", path, i)
		if c.System == nil {
			continue
		}
		var pfx string
		switch *c.System {
		case SystemLOINC:
			pfx = "loinc"
		case SystemMDC:
			pfx = "mdc"
		default:
			continue // other codings (SNOMED, local) may travel along
		}
		if c.Code == nil {
			fe.add(cp+".code", "required", "coding without a code")
			continue
		}
		k := pfx + ":" + *c.Code
		if pfx == "loinc" {
			if loinc != "" && loinc != k {
				fe.add(cp, "invalid", "two different LOINC codes")
			}
			loinc = k
		} else {
			if mdc != "" && mdc != k {
				fe.add(cp, "invalid", "two different MDC codes")
			}
			mdc = k
		}
	}
	switch {
	case loinc == "" && mdc == "":
		fe.add(path+".code.coding", "code-invalid", "no LOINC (%s) or IEEE 11073 MDC (%s) coding", SystemLOINC, SystemMDC)
		return "", ""
	case loinc != "" && mdc != "" && streamOfCode(loinc) != streamOfCode(mdc):
		_, lk := codeRules[loinc]
		_, mk := codeRules[mdc]
		if lk && mk {
			fe.add(path+".code.coding", "invalid", "the LOINC code %s and the MDC code %s name different measurements", loinc, mdc)
			return "", ""
		}
		if !lk && mk {
			return mdc, streamOfCode(mdc)
		}
	}
	code = loinc
	if code == "" {
		code = mdc
	}
	stream = streamOfCode(code)
	if err := keys.ValidateStreamName(stream); err != nil {
		fe.add(path+".code.coding", "code-invalid", "code %s cannot name a stream: %v", code, err)
	}
	return code, stream
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// FirmwareHeaderName is the HTTP header declaring, beside a FHIR submission, the firmware that produced it.
const FirmwareHeaderName = "X-Vaultnode-Firmware"

// FirmwareHeader renders fw as the FirmwareHeaderName value: the version and hex(image), space-separated.
func FirmwareHeader(fw *Firmware) string { return fw.Version + " " + hex.EncodeToString(fw.Image[:]) }

// ParseFirmwareHeader reads a FirmwareHeaderName value ("" is no declaration: nil).
func ParseFirmwareHeader(v string) (*Firmware, error) {
	if v == "" {
		return nil, nil
	}
	version, img, ok := strings.Cut(v, " ")
	b, err := hex.DecodeString(img)
	if !ok || err != nil || len(b) != 32 {
		return nil, fmt.Errorf("%w: %s: want the firmware version and the image's SHA-256 in hex, separated by one space", ErrBadInput, FirmwareHeaderName)
	}
	if err := checkFirmwareVersion(version); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadInput, FirmwareHeaderName, err)
	}
	return &Firmware{Version: version, Image: [32]byte(b)}, nil
}
