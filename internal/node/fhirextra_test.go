package node

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/store"
)

// The kept elements (identifier, interpretation, referenceRange) travel in
// the reading's Extra as sent; too many of them are refused by FHIRPath,
// not cut.
func TestFHIRObservationExtra(t *testing.T) {
	body := readFHIRExample(t, "observation-glucose-kept.json")
	b, err := ParseFHIR(body, "cgm-1")
	if err != nil {
		t.Fatal(err)
	}
	x := b.Readings[0].Extra
	if !strings.HasPrefix(x, `{"identifier":[{"use":"official",`) || !strings.Contains(x, `"interpretation":[`) ||
		!strings.Contains(x, `"referenceRange":[`) || !strings.Contains(x, `"value":140.0`) || !strings.Contains(x, `\u00e9 <&>`) {
		t.Fatalf("extra %s", x)
	}
	r := store.Reading{Device: "cgm-1", Stream: "glucose", Time: time.Now(), Value: 182, Unit: "mg/dL", Code: "loinc:2339-0", Extra: x}
	raw, _ := json.Marshal(FHIRObservation(r, "0f26a155-ab5b-8c9d-a83c-529f7487b450"))
	schemaCheck(t, "Observation with kept elements", json.RawMessage(raw))
	if !strings.Contains(string(raw), `"interpretation":[{"coding"`) {
		t.Fatalf("%s", raw)
	}
	// Without any of them: no Extra (the reading keeps format 1).
	if b, err := ParseFHIR(readFHIRExample(t, "observation-spo2-mdc.json"), "cgm-1"); err != nil || b.Readings[0].Extra != "" {
		t.Fatalf("%v %q", err, b.Readings[0].Extra)
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	var ids []any
	for i := 0; i < 200; i++ {
		ids = append(ids, map[string]any{"system": "urn:example:obs", "value": strings.Repeat("x", 40)})
	}
	m["identifier"] = ids
	big, _ := json.Marshal(m)
	_, err = ParseFHIR(big, "cgm-1")
	var fe *FHIRError
	if !errors.As(err, &fe) || len(fe.Issues) != 1 || fe.Issues[0].Expression != "Observation" || fe.Issues[0].Code != "too-long" {
		t.Fatalf("%v", err)
	}
}
