// Package fhirschema checks FHIR R4 JSON resources against HL7's official R4
// JSON schema (fhir.schema.json, draft-06), for the tests of every package
// that emits FHIR. scripts/install-fhir-schema.sh (the Makefile's tools
// target, so `make test`) puts the schema in .tools/fhir/.
//
// Without the schema file a check skips the test with the reason, except in
// CI (the CI environment variable set), where a missing schema fails it: CI
// must never pass a FHIR test it did not run.
package fhirschema

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaURL is the id HL7 gives the R4 schema.
const SchemaURL = "http://hl7.org/fhir/json-schema/4.0"

// RelPath is where the install script puts the schema, from the module root.
const RelPath = ".tools/fhir/fhir.schema.json"

var (
	once    sync.Once
	schema  *jsonschema.Schema
	where   string
	loadErr error
	// byType: the schema's definition of each resource type, compiled
	// once (validating against the root's oneOf of every type gives an
	// error per type; the root's discriminator is resourceType).
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	byType   = map[string]*jsonschema.Schema{}
)

// Path returns the schema file's path: $VAULTNODE_FHIR_SCHEMA, else
// RelPath under the module root (found from the working directory).
func Path() string {
	if p := os.Getenv("VAULTNODE_FHIR_SCHEMA"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return RelPath
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, RelPath)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return RelPath
		}
		dir = up
	}
}

// errAbsent: the schema file is not installed.
var errAbsent = errors.New("the FHIR R4 JSON schema is not installed")

func load() (*jsonschema.Schema, error) {
	once.Do(func() {
		where = Path()
		f, err := os.Open(where)
		if errors.Is(err, os.ErrNotExist) {
			loadErr = fmt.Errorf("%w: no %s (run scripts/install-fhir-schema.sh, part of `make tools`)", errAbsent, where)
			return
		}
		if err != nil {
			loadErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			loadErr = fmt.Errorf("%s: %w", where, err)
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(SchemaURL, doc); err != nil {
			loadErr = fmt.Errorf("%s: %w", where, err)
			return
		}
		compiler = c
		schema, loadErr = c.Compile(SchemaURL)
	})
	return schema, loadErr
}

// Validate checks one FHIR JSON resource against the R4 schema. It returns
// errAbsent (see Available) when the schema is not installed.
func Validate(resource []byte) error {
	s, err := load()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(resource))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	// The definition of the resource's own type, for a readable error;
	// then the whole schema (its oneOf of every resource type), so that
	// the check is exactly HL7's.
	if obj, ok := v.(map[string]any); ok {
		if rt, ok := obj["resourceType"].(string); ok && rt != "" {
			ts, err := typeSchema(rt)
			if err != nil {
				return fmt.Errorf("not valid FHIR R4 (%s): resourceType %q: %w", where, rt, err)
			}
			if err := ts.Validate(v); err != nil {
				return fmt.Errorf("not valid FHIR R4 (%s): %w", where, err)
			}
		}
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("not valid FHIR R4 (%s): %w", where, err)
	}
	return nil
}

func typeSchema(rt string) (*jsonschema.Schema, error) {
	mu.Lock()
	defer mu.Unlock()
	if ts, ok := byType[rt]; ok {
		return ts, nil
	}
	for _, c := range rt {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return nil, errors.New("not a resource type name")
		}
	}
	ts, err := compiler.Compile(SchemaURL + "#/definitions/" + rt)
	if err != nil {
		return nil, err
	}
	byType[rt] = ts
	return ts, nil
}

// Require skips tb when the schema is not installed and CI is not set; in
// CI, or when the schema does not compile, it fails tb.
func Require(tb testing.TB) {
	tb.Helper()
	_, err := load()
	switch {
	case err == nil:
	case errors.Is(err, errAbsent) && os.Getenv("CI") == "":
		tb.Skipf("FHIR R4 schema validation skipped: %v", err)
	default:
		tb.Fatalf("FHIR R4 schema: %v", err)
	}
}

// Check fails tb unless resource (a FHIR JSON resource: an object, or
// anything that marshals to one) validates against the R4 schema; what
// names the resource in the failure.
func Check(tb testing.TB, what string, resource []byte) {
	tb.Helper()
	Require(tb)
	if err := Validate(resource); err != nil {
		tb.Errorf("%s: %v\n%s", what, err, clip(resource))
	}
}

func clip(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "…"...)
	}
	return b
}
