package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// FHIRIssue is one problem found in a FHIR resource: where (a FHIRPath
// expression such as Bundle.entry[3].resource.valueQuantity.unit, indexes
// from 0 as in FHIRPath), what kind (an OperationOutcome issue-type code:
// structure, required, value, invalid, not-supported, code-invalid) and
// what is wrong.
type FHIRIssue struct {
	Expression  string `json:"expression"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics"`
}

// FHIRError is a refused FHIR document: every issue found. It wraps
// ErrBadInput (HTTP 400); nothing of a refused document is stored.
type FHIRError struct {
	Issues []FHIRIssue
}

// maxFHIRIssues bounds the issues reported for one document.
const maxFHIRIssues = 50

func (e *FHIRError) Error() string {
	var b strings.Builder
	b.WriteString("invalid FHIR: ")
	for i, is := range e.Issues {
		if i > 0 {
			b.WriteString("; ")
		}
		if i == 5 {
			fmt.Fprintf(&b, "and %d more", len(e.Issues)-5)
			break
		}
		b.WriteString(is.Expression + ": " + is.Diagnostics)
	}
	return b.String()
}

// Unwrap makes a FHIRError an ErrBadInput.
func (e *FHIRError) Unwrap() error { return ErrBadInput }

func (e *FHIRError) add(expr, code, format string, a ...any) {
	if len(e.Issues) < maxFHIRIssues {
		e.Issues = append(e.Issues, FHIRIssue{Expression: expr, Code: code, Diagnostics: fmt.Sprintf(format, a...)})
	}
}

func (e *FHIRError) orNil() error {
	if len(e.Issues) == 0 {
		return nil
	}
	return e
}

// OperationOutcome renders err as a FHIR R4 OperationOutcome resource: the
// issues of a FHIRError, else one issue with the given IssueType code (the
// error class's, internal/fault).
func OperationOutcome(err error, code string) map[string]any {
	var fe *FHIRError
	var issues []map[string]any
	if errors.As(err, &fe) {
		for _, is := range fe.Issues {
			issues = append(issues, map[string]any{"severity": "error", "code": is.Code, "diagnostics": is.Diagnostics,
				"expression": []string{is.Expression}})
		}
	} else {
		issues = append(issues, map[string]any{"severity": "error", "code": code, "diagnostics": err.Error()})
	}
	return map[string]any{"resourceType": "OperationOutcome", "issue": issues}
}

// decodeFHIR decodes one resource strictly into v (a pointer to a struct of
// the FHIR model): every JSON member must be an element of the resource
// with the JSON type the model has (primitive extensions "_x" excepted),
// coded values must be in their value set. Problems are added to fe under
// path; the parsed JSON object is returned for presence checks.
func decodeFHIR(raw []byte, wantType, path string, v any, fe *FHIRError) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		fe.add(path, "structure", "not JSON: %v", err)
		return nil
	}
	if dec.More() {
		fe.add(path, "structure", "trailing data after the resource")
		return nil
	}
	obj, ok := top.(map[string]any)
	if !ok {
		fe.add(path, "structure", "a resource must be a JSON object")
		return nil
	}
	return decodeFHIRTree(obj, raw, wantType, path, v, fe)
}

// decodeFHIRTree is decodeFHIR for a resource whose generic tree obj was
// already decoded (with UseNumber) from raw, e.g. as part of its Bundle:
// the tree is walked, not decoded again.
func decodeFHIRTree(obj map[string]any, raw []byte, wantType, path string, v any, fe *FHIRError) map[string]any {
	rt, _ := obj["resourceType"].(string)
	if rt != wantType {
		fe.add(path+".resourceType", "not-supported", "resourceType %q, want %q", rt, wantType)
		return nil
	}
	before := len(fe.Issues)
	walkFHIR(obj, reflect.TypeOf(v).Elem(), path, fe, true)
	if len(fe.Issues) > before {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		fe.add(path, "structure", "%v", err)
		return nil
	}
	return obj
}

var (
	rawMessageType = reflect.TypeOf(json.RawMessage(nil))
	numberType     = reflect.TypeOf(json.Number(""))
	unmarshalerT   = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

// walkFHIR checks the JSON value x against the Go type t of the model.
func walkFHIR(x any, t reflect.Type, path string, fe *FHIRError, root bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType {
		return
	}
	if x == nil {
		fe.add(path, "structure", "null is not allowed in FHIR JSON")
		return
	}
	if t == numberType {
		if _, ok := x.(json.Number); !ok {
			fe.add(path, "value", "want a number")
		}
		return
	}
	if reflect.PointerTo(t).Implements(unmarshalerT) {
		s, ok := x.(string)
		if !ok {
			fe.add(path, "value", "want a code (string)")
			return
		}
		b, _ := json.Marshal(s)
		if err := json.Unmarshal(b, reflect.New(t).Interface()); err != nil {
			fe.add(path, "code-invalid", "%q is not a valid code here", s)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := x.(map[string]any)
		if !ok {
			fe.add(path, "structure", "want a JSON object")
			return
		}
		fields := fhirFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if root && k == "resourceType" {
				continue
			}
			if ft, ok := fields[k]; ok {
				walkFHIR(obj[k], ft, path+"."+k, fe, false)
				continue
			}
			if base, ok := strings.CutPrefix(k, "_"); ok {
				if _, ok := fields[base]; ok {
					continue // primitive extension/id of a known element
				}
			}
			fe.add(path+"."+k, "structure", "unknown element %q", k)
		}
	case reflect.Slice:
		arr, ok := x.([]any)
		if !ok {
			fe.add(path, "structure", "want a JSON array")
			return
		}
		if len(arr) == 0 {
			fe.add(path, "structure", "an empty array is not allowed in FHIR JSON")
		}
		for i, e := range arr {
			walkFHIR(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), fe, false)
		}
	case reflect.String:
		if s, ok := x.(string); !ok {
			fe.add(path, "value", "want a string")
		} else if strings.TrimSpace(s) == "" {
			fe.add(path, "value", "empty string")
		}
	case reflect.Bool:
		if _, ok := x.(bool); !ok {
			fe.add(path, "value", "want true or false")
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint32, reflect.Uint64:
		n, ok := x.(json.Number)
		if !ok {
			fe.add(path, "value", "want an integer")
		} else if _, err := n.Int64(); err != nil {
			fe.add(path, "value", "want an integer, got %s", n)
		}
	default:
		fe.add(path, "structure", "element of unsupported type")
	}
}

var fhirFieldCache sync.Map // reflect.Type → map[string]reflect.Type

// fhirFields maps JSON member names to field types, embedded structs
// flattened (computed once per type).
func fhirFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fhirFieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := computeFields(t)
	fhirFieldCache.Store(t, m)
	return m
}

func computeFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k, v := range computeFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
