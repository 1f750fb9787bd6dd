package node

import (
	"testing"
)

func TestLOINCCheckDigitOfEveryKnownCode(t *testing.T) {
	for c := range codeRules {
		if err := codeSyntax(c); err != "" {
			t.Errorf("%s: %s", c, err)
		}
	}
	if codeSyntax("loinc:15074-7") == "" || codeSyntax("whatever") == "" || codeSyntax("mdc:0") == "" || codeSyntax("snomed:1") == "" {
		t.Fatal("a malformed code passed")
	}
}

// The table, one case per rule; conversions keep the value exact.
func TestReadingRules(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		name        string
		rj          ReadingJSON
		field, rule string
		wantUnit    string
		wantValue   float64
	}{
		{"ok", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Unit: "mmol/L", Value: f(5.8)}, "", "", "mmol/L", 5.8},
		{"banana on glucose", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Unit: "banana", Value: f(5.8)}, "unit", RuleUnitOfCode, "", 0},
		{"glucose code on spo2", ReadingJSON{Stream: "spo2", Code: "loinc:15074-8", Unit: "mmol/L", Value: f(5.8)}, "stream", RuleCodeOfStream, "", 0},
		{"code whatever", ReadingJSON{Stream: "glucose", Code: "whatever", Unit: "mmol/L", Value: f(5.8)}, "code", RuleCodeSyntax, "", 0},
		{"no code", ReadingJSON{Stream: "glucose", Unit: "mmol/L", Value: f(5.8)}, "code", RuleRequired, "", 0},
		{"bad check digit", ReadingJSON{Stream: "glucose", Code: "loinc:15074-9", Unit: "mmol/L", Value: f(5.8)}, "code", RuleCodeSyntax, "", 0},
		{"moles code in mg/dL", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Unit: "mg/dL", Value: f(104)}, "unit", RuleUnitOfCode, "", 0},
		{"mass code in mmol/L", ReadingJSON{Stream: "glucose", Code: "loinc:2339-0", Unit: "mmol/L", Value: f(5.8)}, "unit", RuleUnitOfCode, "", 0},
		{"umol/L converted", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Unit: "umol/L", Value: f(5800)}, "", "", "mmol/L", 5.8},
		{"g/L converted", ReadingJSON{Stream: "glucose", Code: "loinc:2339-0", Unit: "g/L", Value: f(1.04)}, "", "", "mg/dL", 104},
		{"mdc glucose either", ReadingJSON{Stream: "glucose", Code: "mdc:160184", Unit: "mg/dL", Value: f(104)}, "", "", "mg/dL", 104},
		{"impossible glucose", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Unit: "mmol/L", Value: f(580)}, "value", RuleValueRange, "", 0},
		{"negative glucose", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Unit: "mmol/L", Value: f(-1)}, "value", RuleValueRange, "", 0},
		{"spo2 over 100", ReadingJSON{Stream: "spo2", Code: "loinc:59408-5", Unit: "%", Value: f(101)}, "value", RuleValueRange, "", 0},
		{"kelvin converted", ReadingJSON{Stream: "temperature", Code: "loinc:8310-5", Unit: "K", Value: f(310.15)}, "", "", "Cel", 37},
		{"unknown code own stream", ReadingJSON{Stream: "loinc-29463-7", Code: "loinc:29463-7", Unit: "kg", Value: f(70)}, "", "", "kg", 70},
		{"unknown code on glucose", ReadingJSON{Stream: "glucose", Code: "loinc:29463-7", Unit: "kg", Value: f(70)}, "code", RuleCodeOfStream, "", 0},
		{"unknown code other stream", ReadingJSON{Stream: "weight", Code: "loinc:29463-7", Unit: "kg", Value: f(70)}, "stream", RuleCodeOfStream, "", 0},
		{"unit with space", ReadingJSON{Stream: "loinc-29463-7", Code: "loinc:29463-7", Unit: "k g", Value: f(70)}, "unit", RuleUnitSyntax, "", 0},
		{"no unit", ReadingJSON{Stream: "glucose", Code: "loinc:15074-8", Value: f(5.8)}, "unit", RuleRequired, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rj := c.rj
			v := CheckReadingRules(&rj)
			if c.rule == "" {
				if v != nil {
					t.Fatalf("refused: %v", v)
				}
				if rj.Unit != c.wantUnit || *rj.Value != c.wantValue {
					t.Fatalf("stored as %v %s, want %v %s", *rj.Value, rj.Unit, c.wantValue, c.wantUnit)
				}
				if again := CheckReadingRules(&rj); again != nil || rj.Unit != c.wantUnit || *rj.Value != c.wantValue {
					t.Fatalf("not idempotent: %v %v %s", again, *rj.Value, rj.Unit)
				}
				return
			}
			if v == nil || v.Field != c.field || v.Rule != c.rule {
				t.Fatalf("got %v, want field %s rule %s", v, c.field, c.rule)
			}
		})
	}
}
