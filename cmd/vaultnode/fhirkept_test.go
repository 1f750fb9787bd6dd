package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/vaultnode/vaultnode/internal/fhirschema"
)

// An Observation's identifier, interpretation and referenceRange are sealed
// with its reading: the clinician's `fetch --format fhir` gives them back as
// sent (valid R4). They were dropped at ingest.
func TestFetchFHIRKeepsObservationElements(t *testing.T) {
	r := newRepo(t)
	doc := fhirExample(t, "observation-glucose-kept.json")
	sig := r.signFHIR("obs.json", doc)
	r.must("ingest", "--device", "cgm-1", "--sig", sig, "obs.json")
	r.must("keygen", "--out", "clin.key")
	r.consentFor("consent.json", "clin.key", func(s string) string { // glucose only: the patient has no spo2 stream
		return strings.Replace(s, `,
      {"coding": [{"system": "urn:vaultnode:stream", "code": "spo2"}]}`, "", 1)
	})
	r.must("consent", "import", "--threshold", "1", "consent.json")
	fb := r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose", "--format", "fhir")
	fhirschema.Check(t, "fetch --format fhir", []byte(fb))

	var sent, got map[string]any
	if err := json.Unmarshal([]byte(doc), &sent); err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(fb), &bundle); err != nil || len(bundle.Entry) != 1 {
		t.Fatalf("want one Observation: %v\n%s", err, fb)
	}
	got = bundle.Entry[0].Resource
	for _, k := range []string{"interpretation", "referenceRange"} {
		if !reflect.DeepEqual(got[k], sent[k]) {
			t.Errorf("%s: got %v, sent %v", k, got[k], sent[k])
		}
	}
	ids, _ := got["identifier"].([]any)
	sentIDs := sent["identifier"].([]any)
	if len(ids) != len(sentIDs)+1 || !reflect.DeepEqual(ids[:len(sentIDs)], sentIDs) {
		t.Fatalf("identifier: got %v, sent %v (then the node's own)", ids, sentIDs)
	}
	if own := ids[len(sentIDs)].(map[string]any); own["value"] != "urn:uuid:"+got["id"].(string) {
		t.Errorf("the node's identifier: %v", own)
	}
	if q := got["valueQuantity"].(map[string]any); q["value"] != 182.0 || q["code"] != "mg/dL" {
		t.Errorf("valueQuantity %v", q)
	}

	// JSON lines carry them too, under "kept".
	line := r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose")
	var rd struct {
		Kept map[string]any `json:"kept"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(line)), &rd); err != nil {
		t.Fatalf("fetch JSON line: %v\n%s", err, line)
	}
	for _, k := range []string{"identifier", "interpretation", "referenceRange"} {
		if !reflect.DeepEqual(rd.Kept[k], sent[k]) {
			t.Errorf("JSON lines kept.%s: got %v, sent %v", k, rd.Kept[k], sent[k])
		}
	}
}
