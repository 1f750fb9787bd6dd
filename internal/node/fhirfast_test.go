package node

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// fastExamples are documents the one-pass decoder must read itself (not
// hand to the strict path).
var fastExamples = []string{"observation-glucose.json", "observation-spo2-mdc.json", "observation-glucose-kept.json",
	"bundle-transaction.json", "bundle-batch.json", "bundle-collection.json"}

// The one-pass decoder reads the examples and gives exactly what the strict
// path gives (readings, lines, paths, entries, kept elements).
func TestFHIRFastPathMatchesStrict(t *testing.T) {
	for _, name := range fastExamples {
		body := readFHIRExample(t, name)
		for _, doc := range [][]byte{body, compactJSON(t, body)} {
			fb, fd, ok := fastFHIRDoc(doc, "cgm-1")
			if !ok {
				t.Fatalf("%s: the one-pass decoder left it to the strict path", name)
			}
			sb, sd, err := strictFHIRDoc(doc, "cgm-1")
			if err != nil {
				t.Fatalf("%s: strict: %v", name, err)
			}
			if !reflect.DeepEqual(fb, sb) || !reflect.DeepEqual(fd, sd) {
				t.Fatalf("%s: one-pass and strict differ:\n%+v\n%+v\n%+v\n%+v", name, fb, sb, fd, sd)
			}
		}
	}
	// Refused documents, and the unusual (an escaped member name), are left
	// to the strict path.
	for _, doc := range []string{
		`{"resourceType":"Bundle","type":"transaction","entry":[{}]}`,
		`{"resourceType":"Bundle","type":"transaction","entry":[]}`,
		strings.Replace(string(readFHIRExample(t, "observation-glucose.json")), `"status": "final"`, `"status": "final", "status": "final"`, 1),
		strings.Replace(string(readFHIRExample(t, "observation-glucose.json")), `"status": "final"`, `"status": "final", "Status": "final"`, 1),
		strings.Replace(string(readFHIRExample(t, "observation-glucose.json")), `"value": 104`, `"value": 01`, 1),
		strings.Replace(string(readFHIRExample(t, "observation-glucose.json")), `"value": 104`, `"value": null`, 1),
		strings.Replace(string(readFHIRExample(t, "observation-glucose.json")), `"issued"`, `"\u0069ssued"`, 1),
		strings.Replace(string(readFHIRExample(t, "observation-glucose.json")), `"display": "MRN-1"`, `"display": " \u0020 "`, 1),
		string(readFHIRExample(t, "bundle-invalid-unit.json")),
	} {
		if _, _, ok := fastFHIRDoc([]byte(doc), "cgm-1"); ok {
			t.Errorf("one-pass accepted %.120s", doc)
		}
	}
}

func compactJSON(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzFHIRFastPath: whatever the one-pass decoder accepts, the strict path
// accepts with the same result (so refusals stay the strict path's).
func FuzzFHIRFastPath(f *testing.F) {
	for _, name := range append(fastExamples, "bundle-invalid-unit.json") {
		f.Add(readFHIRExample(f, name))
	}
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2708-6"}]},"subject":{"reference":"Patient/MRN-1"},"effectiveDateTime":"2026-03-01T08:00:00Z","valueQuantity":{"value":97,"code":"%","system":"http://unitsofmeasure.org"},"_status":{"id":"x"}}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fb, fd, ok := fastFHIRDoc(b, "cgm-1")
		if !ok {
			return
		}
		sb, sd, err := strictFHIRDoc(b, "cgm-1")
		if err != nil {
			t.Fatalf("one-pass accepted what the strict path refuses: %v", err)
		}
		if !reflect.DeepEqual(fb, sb) || !reflect.DeepEqual(fd, sd) {
			t.Fatalf("one-pass and strict differ:\n%+v\n%+v\n%+v\n%+v", fb, sb, fd, sd)
		}
	})
}
