package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/internal/fhirschema"
)

func schemaCheck(t *testing.T, what string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	fhirschema.Check(t, what, raw)
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// The AuditEvent Bundle is valid R4; each entry's fullUrl is urn:uuid:<id>
// of its resource (they disagreed: urn:vaultnode:access:<hash> and
// vaultnode-access-<hash prefix>), and each event names its IHE BALP
// profile in meta.profile (it had none).
func TestAuditBundleSchemaAndBALPProfile(t *testing.T) {
	es := []AuditEntry{
		{Index: 0, Time: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Grant: strings.Repeat("01", 32), Grantee: strings.Repeat("02", 32),
			Stream: strings.Repeat("03", 32), Batch: strings.Repeat("04", 32), Purpose: "TREAT", Outcome: "granted", Hash: strings.Repeat("05", 32),
			Proven: true, Patient: strings.Repeat("06", 32), StreamName: "glucose", Observer: "12D3KooWxyz"},
		{Index: 1, Time: time.Date(2026, 3, 1, 10, 1, 0, 0, time.UTC), Grant: strings.Repeat("01", 32), Grantee: strings.Repeat("07", 32),
			Stream: strings.Repeat("03", 32), Batch: strings.Repeat("04", 32), Outcome: "revoked", Hash: strings.Repeat("08", 32)},
	}
	b := FHIRAuditBundle(es)
	schemaCheck(t, "AuditEvent Bundle", b)
	schemaCheck(t, "empty AuditEvent Bundle", FHIRAuditBundle(nil))
	ids := map[string]bool{}
	for i, en := range b["entry"].([]any) {
		entry := en.(map[string]any)
		ev := entry["resource"].(map[string]any)
		id, _ := ev["id"].(string)
		if !uuidRE.MatchString(id) || entry["fullUrl"] != "urn:uuid:"+id || ids[id] {
			t.Errorf("entry %d: fullUrl %v, id %v", i, entry["fullUrl"], id)
		}
		ids[id] = true
		want := map[int]string{0: BALPPatientRead, 1: BALPRead}[i]
		meta, _ := ev["meta"].(map[string]any)
		if meta == nil || fmt.Sprint(meta["profile"]) != "["+want+"]" {
			t.Errorf("entry %d: meta %v, want profile %s", i, meta, want)
		}
	}
	if again := FHIRAuditBundle(es[:1]); again["entry"].([]any)[0].(map[string]any)["fullUrl"] != b["entry"].([]any)[0].(map[string]any)["fullUrl"] {
		t.Error("the same access-log entry got another id")
	}
}

// Every OperationOutcome the node renders is valid R4: each issue type
// code of every error class path, and the multi-issue refusals of the FHIR
// parser.
func TestOperationOutcomesSchema(t *testing.T) {
	for _, code := range []string{"invalid", "structure", "required", "value", "code-invalid", "not-supported", "security", "not-found",
		"too-long", "login", "forbidden", "duplicate", "throttled", "conflict", "processing", "informational", "transient", "exception"} {
		schemaCheck(t, "OperationOutcome "+code, OperationOutcome(errors.New("detail"), code))
	}
	for _, body := range []string{`{"resourceType":`, `{"resourceType":"Patient"}`, `{"resourceType":"Observation"}`,
		string(readFHIRExample(t, "bundle-invalid-unit.json")), `{"resourceType":"Bundle","type":"transaction"}`} {
		_, err := ParseFHIR([]byte(body), "cgm-1")
		if err == nil {
			t.Fatalf("accepted %s", body)
		}
		schemaCheck(t, "refusal of "+body[:min(len(body), 40)], OperationOutcome(err, "invalid"))
	}
	schemaCheck(t, "informational", informational("informational", "stored"))
	schemaCheck(t, "CapabilityStatement", CapabilityStatement())
}

// The examples the tests ingest are themselves valid R4 (so a refusal is
// vaultnode's rule, not a malformed example).
func TestFHIRExamplesSchema(t *testing.T) {
	for _, name := range []string{"observation-glucose.json", "observation-spo2-mdc.json", "bundle-transaction.json", "bundle-batch.json",
		"bundle-collection.json", "consent-glucose-clinician.json"} {
		fhirschema.Check(t, name, readFHIRExample(t, name))
	}
}
