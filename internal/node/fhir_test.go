package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

func readFHIRExample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fhir", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The examples written from the FHIR R4 spec map to the readings a device
// would have sent as JSON lines (docs/PRODUCT.md §6).
func TestParseFHIRExamples(t *testing.T) {
	type want struct {
		stream, code, unit, patient string
		value                       float64
		time                        time.Time
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	bundle := []want{
		{"glucose", "loinc:2339-0", "mg/dL", "MRN-1", 104, t0},
		{"spo2", "loinc:2708-6", "%", "MRN-1", 97, t0},
		{"heart-rate", "loinc:8867-4", "/min", "MRN-1", 72, t0},
		{"glucose", "loinc:2339-0", "mg/dL", "MRN-1", 110, t0.Add(5 * time.Minute)},
	}
	cases := map[string][]want{
		"observation-glucose.json":  {{"glucose", "loinc:2339-0", "mg/dL", "MRN-1", 104, t0}},
		"observation-spo2-mdc.json": {{"spo2", "mdc:150456", "%", "MRN-1", 97, time.Date(2026, 3, 1, 7, 0, 5, 250e6, time.UTC)}},
		"bundle-transaction.json":   bundle,
		"bundle-batch.json":         bundle,
		"bundle-collection.json":    bundle,
	}
	for name, ws := range cases {
		t.Run(name, func(t *testing.T) {
			body := readFHIRExample(t, name)
			b, err := ParseFHIR(body, "cgm-1")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Message, append([]byte(FHIRDomain+"cgm-1\n"), body...)) {
				t.Fatal("the signed message is not domain || device || body")
			}
			if len(b.Readings) != len(ws) || len(b.Lines) != len(ws) {
				t.Fatalf("%d readings, want %d", len(b.Readings), len(ws))
			}
			for i, w := range ws {
				r := b.Readings[i]
				if r.Device != "cgm-1" || r.Stream != w.stream || r.Code != w.code || r.Unit != w.unit || r.Patient != w.patient ||
					r.Value == nil || *r.Value != w.value || !r.Time.Equal(w.time) {
					t.Errorf("reading %d = %+v (value %v), want %+v", i, r, r.Value, w)
				}
			}
		})
	}
}

// Every refusal names the offending element by FHIRPath, and nothing of the
// document is returned.
func TestParseFHIRRefusals(t *testing.T) {
	obs := func(edit func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(readFHIRExample(t, "observation-glucose.json"), &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		return b
	}
	bundle := func(edit func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(readFHIRExample(t, "bundle-transaction.json"), &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		return b
	}
	entry := func(m map[string]any, i int) map[string]any {
		return m["entry"].([]any)[i].(map[string]any)["resource"].(map[string]any)
	}
	cases := []struct {
		name string
		body []byte
		expr string
	}{
		{"invalid unit example", readFHIRExample(t, "bundle-invalid-unit.json"), "Bundle.entry[3].resource.valueQuantity.unit"},
		{"not JSON", []byte(`{"resourceType":`), "$this"},
		{"patient resource", []byte(`{"resourceType":"Patient"}`), "$this.resourceType"},
		{"unknown element", obs(func(m map[string]any) { m["valueQuantity"].(map[string]any)["precision"] = 2 }), "Observation.valueQuantity.precision"},
		{"typo at top", obs(func(m map[string]any) { m["efective"] = "x" }), "Observation.efective"},
		{"no status", obs(func(m map[string]any) { delete(m, "status") }), "Observation.status"},
		{"bad status code", obs(func(m map[string]any) { m["status"] = "done" }), "Observation.status"},
		{"entered in error", obs(func(m map[string]any) { m["status"] = "entered-in-error" }), "Observation.status"},
		{"no subject", obs(func(m map[string]any) { delete(m, "subject") }), "Observation.subject"},
		{"group subject", obs(func(m map[string]any) { m["subject"] = map[string]any{"reference": "Group/ward-3"} }), "Observation.subject"},
		{"other device", obs(func(m map[string]any) { m["device"] = map[string]any{"reference": "Device/pump-9"} }), "Observation.device"},
		{"no code", obs(func(m map[string]any) { delete(m, "code") }), "Observation.code"},
		{"snomed only", obs(func(m map[string]any) {
			m["code"] = map[string]any{"coding": []any{map[string]any{"system": "http://snomed.info/sct", "code": "33747003"}}}
		}), "Observation.code.coding"},
		{"loinc and mdc disagree", obs(func(m map[string]any) {
			m["code"] = map[string]any{"coding": []any{map[string]any{"system": SystemLOINC, "code": "2339-0"}, map[string]any{"system": SystemMDC, "code": "150456"}}}
		}), "Observation.code.coding"},
		{"no effective", obs(func(m map[string]any) { delete(m, "effectiveDateTime") }), "Observation.effective[x]"},
		{"date only", obs(func(m map[string]any) { m["effectiveDateTime"] = "2026-03-01" }), "Observation.effectiveDateTime"},
		{"period", obs(func(m map[string]any) {
			delete(m, "effectiveDateTime")
			m["effectivePeriod"] = map[string]any{"start": "2026-03-01T08:00:00Z"}
		}), "Observation.effective"},
		{"no value", obs(func(m map[string]any) { delete(m, "valueQuantity") }), "Observation.valueQuantity"},
		{"string value", obs(func(m map[string]any) { delete(m, "valueQuantity"); m["valueString"] = "high" }), "Observation.valueString"},
		{"value not a number", obs(func(m map[string]any) { m["valueQuantity"].(map[string]any)["value"] = "104" }), "Observation.valueQuantity.value"},
		{"comparator", obs(func(m map[string]any) { m["valueQuantity"].(map[string]any)["comparator"] = "<" }), "Observation.valueQuantity.comparator"},
		{"wrong UCUM code", obs(func(m map[string]any) { m["valueQuantity"].(map[string]any)["code"] = "kg" }), "Observation.valueQuantity.code"},
		{"non-UCUM system", obs(func(m map[string]any) { m["valueQuantity"].(map[string]any)["system"] = "http://example.org/units" }), "Observation.valueQuantity.system"},
		{"no unit", obs(func(m map[string]any) { m["valueQuantity"] = map[string]any{"value": 5} }), "Observation.valueQuantity.code"},
		{"modifier extension", obs(func(m map[string]any) {
			m["modifierExtension"] = []any{map[string]any{"url": "http://example.org/not-really", "valueBoolean": true}}
		}), "Observation.modifierExtension"},
		{"component", obs(func(m map[string]any) {
			m["component"] = []any{map[string]any{"code": m["code"], "valueQuantity": m["valueQuantity"]}}
		}), "Observation.component"},
		{"null", obs(func(m map[string]any) { m["issued"] = nil }), "Observation.issued"},
		{"empty array", obs(func(m map[string]any) { m["identifier"] = []any{} }), "Observation.identifier"},
		{"searchset bundle", bundle(func(m map[string]any) { m["type"] = "searchset" }), "Bundle.type"},
		{"bundle without type", bundle(func(m map[string]any) { delete(m, "type") }), "Bundle.type"},
		{"bundle without entries", bundle(func(m map[string]any) { delete(m, "entry") }), "Bundle.entry"},
		{"transaction entry without request", bundle(func(m map[string]any) { delete(m["entry"].([]any)[1].(map[string]any), "request") }), "Bundle.entry[1].request"},
		{"PUT entry", bundle(func(m map[string]any) {
			m["entry"].([]any)[2].(map[string]any)["request"] = map[string]any{"method": "PUT", "url": "Observation/x"}
		}), "Bundle.entry[2].request.method"},
		{"patient in bundle", bundle(func(m map[string]any) {
			m["entry"].([]any)[0].(map[string]any)["resource"] = map[string]any{"resourceType": "Patient", "id": "MRN-1"}
		}), "Bundle.entry[0].resource.resourceType"},
		{"bad entry value", bundle(func(m map[string]any) { entry(m, 2)["valueQuantity"].(map[string]any)["value"] = true }), "Bundle.entry[2].resource.valueQuantity.value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := ParseFHIR(c.body, "cgm-1")
			if err == nil {
				t.Fatalf("accepted: %d readings", len(b.Readings))
			}
			if b != nil {
				t.Fatal("a refused document returned readings")
			}
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("not ErrBadInput: %v", err)
			}
			oo := OperationOutcome(err, "invalid")
			raw, _ := json.Marshal(oo)
			var parsed fhir.OperationOutcome
			if obj := decodeFHIR(raw, "OperationOutcome", "OperationOutcome", &parsed, &FHIRError{}); obj == nil {
				t.Fatalf("OperationOutcome is not valid FHIR: %s", raw)
			}
			found := false
			for _, is := range parsed.Issue {
				for _, e := range is.Expression {
					found = found || e == c.expr
				}
			}
			if !found {
				t.Fatalf("no issue at %s: %s", c.expr, raw)
			}
		})
	}
}

// A Bundle with several bad entries reports each of them (all or nothing).
func TestParseFHIRReportsEveryBadEntry(t *testing.T) {
	body := strings.Replace(string(readFHIRExample(t, "bundle-transaction.json")), `"status": "final"`, `"status": "cancelled"`, -1)
	_, err := ParseFHIR([]byte(body), "cgm-1")
	var fe *FHIRError
	if !errors.As(err, &fe) || len(fe.Issues) != 4 {
		t.Fatalf("want 4 issues, got %v", err)
	}
	for i, is := range fe.Issues {
		if !strings.HasPrefix(is.Expression, "Bundle.entry[") || !strings.HasSuffix(is.Expression, "].resource.status") {
			t.Errorf("issue %d at %s", i, is.Expression)
		}
	}
}

func FuzzDecodeFHIRObservation(f *testing.F) {
	for _, n := range []string{"observation-glucose.json", "observation-spo2-mdc.json"} {
		f.Add(readFHIRExample(f, n))
	}
	f.Add([]byte(`{"resourceType":"Observation","status":"final","valueQuantity":{"value":1e999}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fe := &FHIRError{}
		rj, ok := parseObservation(b, "Observation", "cgm-1", fe, nil)
		if ok != (len(fe.Issues) == 0) {
			t.Fatalf("ok=%v with %d issues", ok, len(fe.Issues))
		}
		if !ok {
			for _, is := range fe.Issues {
				if !strings.HasPrefix(is.Expression, "Observation") || is.Code == "" || is.Diagnostics == "" {
					t.Fatalf("issue without a place or reason: %+v", is)
				}
			}
			return
		}
		if rj.Patient == "" || rj.Stream == "" || rj.Value == nil || rj.Time.IsZero() || rj.Unit == "" || rj.Device != "cgm-1" {
			t.Fatalf("accepted an incomplete reading: %+v", rj)
		}
	})
}

// BenchmarkParseFHIRBundle: a transaction Bundle of 1,000 glucose
// Observations (strict decoding, validation, mapping); docs/BENCHMARKS.md.
func BenchmarkParseFHIRBundle(b *testing.B) {
	var m map[string]any
	if err := json.Unmarshal(readFHIRExample(b, "bundle-transaction.json"), &m); err != nil {
		b.Fatal(err)
	}
	one := m["entry"].([]any)[0]
	var entries []any
	for i := 0; i < 1000; i++ {
		entries = append(entries, one)
	}
	m["entry"] = entries
	body, _ := json.Marshal(m)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt, err := ParseFHIR(body, "cgm-1")
		if err != nil || len(bt.Readings) != 1000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000/b.Elapsed().Seconds(), "observations/s")
}
