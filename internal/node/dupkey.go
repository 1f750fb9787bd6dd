package node

import (
	"bytes"
	"encoding/json"
)

// jsonDuplicateKey reports a member name that appears twice in one object
// of doc, at any depth (compared after unescaping, case-sensitively as FHIR
// JSON names are). doc must be valid JSON (checked before): encoding/json
// keeps the last of two equal names silently, so a reading could be read
// from a value the sender did not mean. One pass over the bytes, keys kept
// as sub-slices of doc.
func jsonDuplicateKey(doc []byte) (string, bool) {
	type frame struct {
		object bool
		expect bool     // the next string in this object is a member name
		keys   [][]byte // names seen in this object
	}
	var stack []frame
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; c {
		case '{':
			stack = append(stack, frame{object: true, expect: true})
		case '[':
			stack = append(stack, frame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].expect = true
			}
		case '"':
			start, esc := i+1, false
			for i++; i < len(doc) && doc[i] != '"'; i++ {
				if doc[i] == '\\' {
					esc = true
					i++
				}
			}
			n := len(stack)
			if n == 0 || !stack[n-1].object || !stack[n-1].expect {
				continue
			}
			f := &stack[n-1]
			f.expect = false
			key := doc[start:min(i, len(doc))]
			if esc {
				var s string
				if json.Unmarshal(doc[start-1:min(i+1, len(doc))], &s) == nil {
					key = []byte(s)
				}
			}
			for _, k := range f.keys {
				if bytes.Equal(k, key) {
					return string(key), true
				}
			}
			f.keys = append(f.keys, key)
		}
	}
	return "", false
}
