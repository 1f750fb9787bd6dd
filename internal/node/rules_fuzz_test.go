package node

import (
	"math"
	"strings"
	"testing"
)

// The validation table never panics, refuses non-finite values, and is
// idempotent: a reading it accepts (and perhaps converted) passes again
// unchanged, in one of its code's units and within range.
func FuzzReadingRules(f *testing.F) {
	f.Add("glucose", "loinc:15074-8", "mmol/L", 5.8)
	f.Add("glucose", "loinc:2339-0", "g/L", 1.04)
	f.Add("temperature", "loinc:8310-5", "K", 310.0)
	f.Add("loinc-29463-7", "loinc:29463-7", "kg", 70.0)
	f.Add("spo2", "mdc:150456", "%", 101.0)
	f.Add("glucose", "whatever", "banana", math.NaN())
	f.Fuzz(func(t *testing.T, stream, code, unit string, v float64) {
		rj := ReadingJSON{Stream: stream, Code: code, Unit: unit, Value: &v}
		if CheckReadingRules(&rj) != nil {
			return
		}
		if math.IsNaN(*rj.Value) || math.IsInf(*rj.Value, 0) {
			t.Fatalf("accepted a non-finite value %v", *rj.Value)
		}
		u, val := rj.Unit, *rj.Value
		if again := CheckReadingRules(&rj); again != nil || rj.Unit != u || *rj.Value != val {
			t.Fatalf("not idempotent: %v, %v %s → %v %s", again, val, u, *rj.Value, rj.Unit)
		}
		if cr, ok := codeRules[code]; ok {
			if _, ok := unitOf(cr.prop, rj.Unit); !ok {
				t.Fatalf("accepted %s in %s, not a unit of it", code, rj.Unit)
			}
		}
	})
}

// ifNoneExist parsing never panics and accepts only identifier=system|value.
func FuzzIfNoneExist(f *testing.F) {
	f.Add("identifier=urn:example:obs|a")
	f.Add("identifier=a")
	f.Add("?identifier=http%3A%2F%2Facme.org%7C1&code=x")
	f.Fuzz(func(t *testing.T, q string) {
		id, err := parseIfNoneExist(q)
		if err != nil {
			return
		}
		if id.System == "" || id.Value == "" || strings.Contains(id.System, "|") {
			t.Fatalf("accepted %q as %+v", q, id)
		}
	})
}
