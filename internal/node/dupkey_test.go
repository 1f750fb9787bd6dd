package node

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// refDuplicateKey is the slow reference: encoding/json's tokenizer.
func refDuplicateKey(doc []byte) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	type frame struct {
		object, expect bool
		keys           map[string]bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expect {
			if k, ok := tok.(string); ok {
				if stack[n-1].keys[k] {
					return k, true
				}
				stack[n-1].keys[k] = true
				stack[n-1].expect = false
				continue
			}
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, &frame{object: true, expect: true, keys: map[string]bool{}})
				continue
			case '[':
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expect = true
		}
	}
}

func FuzzJSONDuplicateKey(f *testing.F) {
	for _, s := range []string{`{"a":1,"a":2}`, `{"a":{"b":1},"b":{"a":1}}`, `[{"a":1},{"a":1}]`, `{"a":"x","\u0061":1}`,
		`{"a":"{\"a\":1,\"a\":2}"}`, `{"a":[1,{"b":2,"b":3}]}`, `{"A":1,"a":2}`, `{"x":"\\","x":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !json.Valid(doc) {
			return
		}
		k1, d1 := jsonDuplicateKey(doc)
		_, d2 := refDuplicateKey(doc)
		if d1 != d2 {
			t.Fatalf("%s: scanner %v (%q), reference %v", doc, d1, k1, d2)
		}
	})
}

// A FHIR document with a member twice (the second would have been read
// silently) is refused.
func TestFHIRDuplicateKeyRefused(t *testing.T) {
	body := []byte(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},` +
		`"subject":{"reference":"Patient/MRN-1"},"effectiveDateTime":"2026-03-01T08:00:00Z","valueQuantity":{"value":5.8,"unit":"mmol/L","value":58}}`)
	_, err := ParseFHIR(body, "cgm-1")
	var fe *FHIRError
	if !errors.As(err, &fe) || !strings.Contains(fe.Error(), `appears twice`) {
		t.Fatalf("got %v", err)
	}
}
