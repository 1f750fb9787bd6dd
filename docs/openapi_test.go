package docs

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("docs/openapi.yaml does not load: %v", err)
	}
	return doc
}

// The document is valid OpenAPI 3.0 (kin-openapi's full validation:
// structure, references, schemas, formats, defaults).
func TestOpenAPIValid(t *testing.T) {
	doc := load(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("docs/openapi.yaml is not valid OpenAPI: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Fatalf("openapi %q, want 3.0.x", doc.OpenAPI)
	}
	// The checker of internal/apispec answers unknown routes with these.
	for _, name := range []string{"NotFound", "MethodNotAllowed", "FHIRNotFound", "FHIRMethodNotAllowed"} {
		if doc.Components.Responses[name] == nil {
			t.Errorf("components.responses.%s is missing", name)
		}
	}
}

// Every operation answers with a body of a stated content type, and every
// secured operation names the roles that may call it.
func TestOpenAPIOperations(t *testing.T) {
	doc := load(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", name)
			}
			if op.Security != nil && len(*op.Security) > 0 {
				if _, ok := op.Extensions["x-roles"]; !ok {
					t.Errorf("%s: bearer security without x-roles", name)
				}
			}
			for status, r := range op.Responses.Map() {
				if r.Value == nil || len(r.Value.Content) == 0 {
					t.Errorf("%s %s: response without content", name, status)
				}
			}
		}
	}
}

// handlerPattern is a route registration of the server: mux.HandleFunc("GET
// /v1/x", ...) or mux.Handle(...).
var handlerPattern = regexp.MustCompile(`\.Handle(?:Func)?\("([A-Z]+) (/[^"]*)"`)

// serverSources are the files that register the server's routes (the
// server is moving from cmd/vaultnode to internal/httpapi).
var serverSources = []string{"../cmd/vaultnode/*.go", "../internal/httpapi/*.go"}

// Every route the server registers is documented, and every documented
// operation is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	registered := map[string]bool{}
	for _, glob := range serverSources {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range handlerPattern.FindAllStringSubmatch(string(b), -1) {
				registered[m[1]+" "+m[2]] = true
			}
		}
	}
	if len(registered) == 0 {
		t.Fatalf("no route registrations found in %v: update serverSources to where the server's routes are", serverSources)
	}
	documented := map[string]bool{}
	for path, item := range load(t).Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for _, r := range slices.Sorted(maps.Keys(registered)) {
		if !documented[r] {
			t.Errorf("the server registers %s; docs/openapi.yaml does not document it", r)
		}
	}
	for _, r := range slices.Sorted(maps.Keys(documented)) {
		if registered[r] {
			continue
		}
		t.Errorf("docs/openapi.yaml documents %s; the server does not register it", r)
	}
}
