package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The defects of issue 17 on the JSON-lines path: each refused naming its
// line and rule, nothing stored. They were all accepted before.
func TestJSONLinesReadingRules(t *testing.T) {
	n, priv := benchNode(t)
	ctx := t.Context()
	line := func(stream, unit, code string) []byte {
		return fmt.Appendf(nil, `{"device":"cgm-17","patient":"MRN-1","stream":%q,"time":"2026-03-01T08:00:00Z","value":5.8,"unit":%q,"code":%q}`, stream, unit, code)
	}
	good := line("glucose", "mmol/L", "loinc:15074-8")
	for _, c := range []struct {
		name string
		bad  []byte
		want string
	}{
		{"banana", line("glucose", "banana", "loinc:15074-8"), "line 3: unit: unit \"banana\""},
		{"glucose code on spo2", line("spo2", "%", "loinc:15074-8"), "line 3: stream:"},
		{"whatever", line("glucose", "mmol/L", "whatever"), "line 3: code:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := SignedBatch(priv, "cgm-17", [][]byte{good, c.bad})
			raw = append([]byte("\n"), raw...) // a blank first line: lines are counted as sent
			b, err := ParseBatch(bytes.NewReader(raw), 0)
			if err != nil {
				t.Fatal(err)
			}
			_, err = n.Ingest(ctx, "cgm-17", b)
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "rule ") {
				t.Fatalf("got %v, want a bad-input refusal containing %q and the rule", err, c.want)
			}
		})
	}
	// Nothing was stored or reserved: the first good batch is seq 1.
	b, err := ParseBatch(bytes.NewReader(SignedBatch(priv, "cgm-17", [][]byte{good})), 0)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := n.Ingest(ctx, "cgm-17", b)
	if err != nil || rc.Batches[0].Seq != 1 {
		t.Fatalf("good batch after the refusals: %v %+v", err, rc)
	}
}

// FHIR: 15074-8 (moles) with mg/dL was accepted; the refusal names the
// FHIRPath and the rule.
func TestFHIRUnitOfCode(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(readFHIRExample(t, "observation-glucose.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["code"] = map[string]any{"coding": []any{map[string]any{"system": SystemLOINC, "code": "15074-8"}}}
	body, _ := json.Marshal(m)
	_, err := ParseFHIR(body, "cgm-1")
	var fe *FHIRError
	if !errors.As(err, &fe) || len(fe.Issues) != 1 || !strings.HasPrefix(fe.Issues[0].Expression, "Observation.valueQuantity.") ||
		!strings.Contains(fe.Issues[0].Diagnostics, "unit-of-code") {
		t.Fatalf("got %v", err)
	}
}

// A Consent's patient named by an identifier is resolved by system too: an
// SSN whose value equals a local MRN was taken as that patient.
func TestConsentPatientIdentity(t *testing.T) {
	n, _ := benchNode(t)
	var m map[string]any
	if err := json.Unmarshal(readFHIRExample(t, "consent-glucose-clinician.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["patient"] = map[string]any{"identifier": map[string]any{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "MRN-1"}}
	body, _ := json.Marshal(m)
	_, _, err := n.ImportConsent(t.Context(), body, 1, 1)
	var fe *FHIRError
	if !errors.As(err, &fe) || len(fe.Issues) != 1 || fe.Issues[0].Expression != "Consent.patient.identifier.system" {
		t.Fatalf("got %v, want a refusal naming Consent.patient.identifier.system", err)
	}
}
