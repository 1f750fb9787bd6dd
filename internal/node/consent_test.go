package node

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

var consentNow = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func TestParseConsentExample(t *testing.T) {
	body := readFHIRExample(t, "consent-glucose-clinician.json")
	cg, err := ParseConsent(body, consentNow)
	if err != nil {
		t.Fatal(err)
	}
	if cg.Patient != "MRN-1" || cg.ConsentID != "consent-mrn1-dr-osei-glucose" || cg.Actor != "Dr. A. Osei" {
		t.Fatalf("consent = %+v", cg)
	}
	if strings.Join(cg.Streams, ",") != "glucose,spo2" {
		t.Fatalf("streams %v, want glucose,spo2", cg.Streams)
	}
	if !cg.NotBefore.Equal(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)) || !cg.NotAfter.Equal(time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC)) {
		t.Fatalf("window %v .. %v", cg.NotBefore, cg.NotAfter)
	}
	if len(cg.Purposes) != 1 || cg.Purposes[0] != "TREAT" {
		t.Fatalf("purposes %v", cg.Purposes)
	}
	if hex.EncodeToString(cg.Grantee.Bytes()) != "50010e042284a5a1deb90f813fd1bf119940ff3d1bd132b665ef5e588f539f6d1635ef1ceb44ecce9b9f3e6d07f94c0495b40b890006bb59029d95ca1e62fc5b1d28" {
		t.Fatal("grantee key not taken from the actor identifier")
	}
}

// Each construct a grant cannot enforce exactly is refused, naming the
// element; nothing is ever widened into a grant.
func TestParseConsentRefusals(t *testing.T) {
	edit := func(f func(m, prov map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(readFHIRExample(t, "consent-glucose-clinician.json"), &m); err != nil {
			t.Fatal(err)
		}
		f(m, m["provision"].(map[string]any))
		b, _ := json.Marshal(m)
		return b
	}
	actor := func(p map[string]any) map[string]any { return p["actor"].([]any)[0].(map[string]any) }
	cases := []struct {
		name string
		body []byte
		expr string
	}{
		{"deny provision", edit(func(_, p map[string]any) { p["type"] = "deny" }), "Consent.provision.type"},
		{"no provision type", edit(func(_, p map[string]any) { delete(p, "type") }), "Consent.provision.type"},
		{"nested provision", edit(func(_, p map[string]any) {
			p["provision"] = []any{map[string]any{"type": "deny", "code": p["code"]}}
		}), "Consent.provision.provision"},
		{"dataPeriod", edit(func(_, p map[string]any) {
			p["dataPeriod"] = map[string]any{"start": "2026-01-01T00:00:00Z", "end": "2026-02-01T00:00:00Z"}
		}), "Consent.provision.dataPeriod"},
		{"data", edit(func(_, p map[string]any) {
			p["data"] = []any{map[string]any{"meaning": "instance", "reference": map[string]any{"reference": "Observation/x"}}}
		}), "Consent.provision.data"},
		{"securityLabel", edit(func(_, p map[string]any) {
			p["securityLabel"] = []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}}
		}), "Consent.provision.securityLabel"},
		{"author role", edit(func(_, p map[string]any) {
			actor(p)["role"] = map[string]any{"coding": []any{map[string]any{"system": systemParticipant, "code": "AUT"}}}
		}), "Consent.provision.actor[0].role"},
		{"two actors", edit(func(_, p map[string]any) { p["actor"] = []any{actor(p), actor(p)} }), "Consent.provision.actor"},
		{"no actor", edit(func(_, p map[string]any) { delete(p, "actor") }), "Consent.provision.actor"},
		{"actor by practitioner id", edit(func(_, p map[string]any) {
			actor(p)["reference"] = map[string]any{"reference": "Practitioner/dr-osei"}
		}), "Consent.provision.actor[0].reference.identifier"},
		{"actor key is a file path", edit(func(_, p map[string]any) {
			actor(p)["reference"].(map[string]any)["identifier"].(map[string]any)["value"] = "/etc/passwd"
		}), "Consent.provision.actor[0].reference.identifier.value"},
		{"disclose action", edit(func(_, p map[string]any) {
			p["action"] = []any{map[string]any{"coding": []any{map[string]any{"system": systemConsentAct, "code": "disclose"}}}}
		}), "Consent.provision.action[0].coding[0]"},
		{"no period", edit(func(_, p map[string]any) { delete(p, "period") }), "Consent.provision.period"},
		{"open-ended period", edit(func(_, p map[string]any) { p["period"] = map[string]any{"start": "2026-03-01T09:00:00Z"} }), "Consent.provision.period.end"},
		{"date-only end", edit(func(_, p map[string]any) { p["period"] = map[string]any{"end": "2099-12-31"} }), "Consent.provision.period.end"},
		{"ended period", edit(func(_, p map[string]any) {
			p["period"] = map[string]any{"start": "2025-01-01T00:00:00Z", "end": "2025-06-01T00:00:00Z"}
		}), "Consent.provision.period.end"},
		{"no codes (every stream)", edit(func(_, p map[string]any) { delete(p, "code") }), "Consent.provision.code"},
		{"snomed code", edit(func(_, p map[string]any) {
			p["code"] = []any{map[string]any{"coding": []any{map[string]any{"system": "http://snomed.info/sct", "code": "33747003"}}}}
		}), "Consent.provision.code[0].coding[0].system"},
		{"class DocumentReference", edit(func(_, p map[string]any) {
			p["class"] = []any{map[string]any{"system": systemResourceType, "code": "DocumentReference"}}
		}), "Consent.provision.class[0]"},
		{"purpose from another system", edit(func(_, p map[string]any) {
			p["purpose"] = []any{map[string]any{"system": "http://example.org/purpose", "code": "ANY"}}
		}), "Consent.provision.purpose[0].system"},
		{"draft", edit(func(m, _ map[string]any) { m["status"] = "draft" }), "Consent.status"},
		{"research scope", edit(func(m, _ map[string]any) {
			m["scope"] = map[string]any{"coding": []any{map[string]any{"system": systemConsentScope, "code": "research"}}}
		}), "Consent.scope"},
		{"no patient", edit(func(m, _ map[string]any) { delete(m, "patient") }), "Consent.patient"},
		{"modifier extension", edit(func(m, _ map[string]any) {
			m["modifierExtension"] = []any{map[string]any{"url": "http://example.org/only-on-weekends", "valueBoolean": true}}
		}), "Consent.modifierExtension"},
		{"unknown element", edit(func(_, p map[string]any) { p["except"] = true }), "Consent.provision.except"},
		{"observation", readFHIRExample(t, "observation-glucose.json"), "Consent.resourceType"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cg, err := ParseConsent(c.body, consentNow)
			if err == nil {
				t.Fatalf("accepted: %+v", cg)
			}
			var fe *FHIRError
			if !errors.As(err, &fe) || !errors.Is(err, ErrBadInput) {
				t.Fatalf("not a FHIRError: %v", err)
			}
			for _, is := range fe.Issues {
				if is.Expression == c.expr {
					return
				}
			}
			t.Fatalf("no issue at %s: %v", c.expr, err)
		})
	}
}

func FuzzParseConsent(f *testing.F) {
	f.Add(readFHIRExample(f, "consent-glucose-clinician.json"))
	f.Add([]byte(`{"resourceType":"Consent","status":"active","provision":{"type":"deny"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cg, err := ParseConsent(b, consentNow)
		if err != nil {
			var fe *FHIRError
			if !errors.As(err, &fe) || len(fe.Issues) == 0 {
				t.Fatalf("refusal without issues: %v", err)
			}
			return
		}
		if cg.Patient == "" || len(cg.Streams) == 0 || !cg.NotAfter.After(cg.NotBefore) || !cg.NotAfter.After(consentNow) || len(cg.Grantee.Bytes()) == 0 {
			t.Fatalf("accepted an incomplete consent: %+v", cg)
		}
	})
}
