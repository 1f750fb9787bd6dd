package fhirschema

import (
	"strings"
	"testing"
)

// The validator refuses what R4 refuses (so a passing check means
// something) and accepts a minimal valid resource.
func TestSchemaRefusesInvalidResources(t *testing.T) {
	Require(t)
	good := `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"x"}]}`
	if err := Validate([]byte(good)); err != nil {
		t.Fatalf("valid OperationOutcome refused: %v", err)
	}
	for name, bad := range map[string]string{
		"no issue":          `{"resourceType":"OperationOutcome"}`,
		"bad severity":      `{"resourceType":"OperationOutcome","issue":[{"severity":"fatalish","code":"invalid"}]}`,
		"unknown element":   `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid"}],"foo":1}`,
		"unknown resource":  `{"resourceType":"Receipt","batches":[]}`,
		"bundle bad type":   `{"resourceType":"Bundle","type":"receipt"}`,
		"empty string":      `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":""}]}`,
		"observation value": `{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"5"}}`,
	} {
		if err := Validate([]byte(bad)); err == nil {
			t.Errorf("%s: accepted %s", name, bad)
		} else if !strings.Contains(err.Error(), "not valid FHIR R4") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
