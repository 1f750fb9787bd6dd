package apispec

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/vaultnode/vaultnode/docs"
)

// Checker checks responses against docs/openapi.yaml. It is safe for
// concurrent use.
type Checker struct {
	doc *openapi3.T
	// mux routes a request to its documented operation the way the server
	// does: an http.ServeMux with one pattern per operation ("GET
	// /v1/grants/{id}"), so that precedence, HEAD for GET, trailing slashes,
	// empty path segments and the 404/405 split are Go's.
	mux *http.ServeMux
	// notFound and methodNotAllowed are the answers to requests that match
	// no documented operation; fhirNotFound and fhirMethodNotAllowed those
	// under /fhir.
	notFound, methodNotAllowed, fhirNotFound, fhirMethodNotAllowed *openapi3.ResponseRef
}

// patternHeader carries the matched pattern out of mux.
const patternHeader = "X-Apispec-Pattern"

// New loads and validates docs.OpenAPI and builds its router.
func New() (*Checker, error) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("apispec: load docs/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("apispec: docs/openapi.yaml is not valid: %w", err)
	}
	c := &Checker{doc: doc, mux: http.NewServeMux()}
	if doc.Components != nil {
		rs := doc.Components.Responses
		c.notFound, c.methodNotAllowed = rs["NotFound"], rs["MethodNotAllowed"]
		c.fhirNotFound, c.fhirMethodNotAllowed = rs["FHIRNotFound"], rs["FHIRMethodNotAllowed"]
	}
	if c.notFound == nil || c.methodNotAllowed == nil || c.fhirNotFound == nil || c.fhirMethodNotAllowed == nil {
		return nil, errors.New("apispec: docs/openapi.yaml lacks one of components.responses NotFound, MethodNotAllowed, FHIRNotFound, FHIRMethodNotAllowed")
	}
	mark := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Set(patternHeader, r.Pattern) })
	for _, path := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(path).Operations() {
			if err := handle(c.mux, method+" "+path, mark); err != nil {
				return nil, fmt.Errorf("apispec: docs/openapi.yaml: %w", err)
			}
		}
	}
	return c, nil
}

// handle registers pattern on mux; a pattern ServeMux refuses (malformed,
// or conflicting with another) is an error.
func handle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: %v", pattern, p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// Check checks one response to req: its status, its header (Content-Type
// and the documented headers) and its body as sent (a gzip
// Content-Encoding is undone first). The error names the request's method
// and path and the status.
func (c *Checker) Check(req *http.Request, status int, header http.Header, body []byte) error {
	if err := c.check(req, status, header, body); err != nil {
		return fmt.Errorf("%s %s: %d: %w", req.Method, req.URL.Path, status, err)
	}
	return nil
}

// CheckResponse checks resp (a client's response; resp.Request is the
// request). It reads the body and puts it back, so the caller can still
// read it.
func (c *Checker) CheckResponse(resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: read body: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	return c.Check(resp.Request, resp.StatusCode, resp.Header, body)
}

func (c *Checker) check(req *http.Request, status int, header http.Header, body []byte) error {
	if header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("gzip body: %w", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("gzip body: %w", err)
		}
	}
	route, unknown := c.route(req)
	switch {
	case route == nil:
		return c.checkUnknown(req, unknown, status, header, body)
	case req.Method == http.MethodHead:
		return c.checkHead(route, status, header)
	}
	return c.validate(req, route, status, header, body)
}

// route finds the documented operation of req. Without one, it returns
// how the document's ServeMux answered instead (404, 405 with Allow, or a
// redirect to the clean path).
func (c *Checker) route(req *http.Request) (*routers.Route, *httptest.ResponseRecorder) {
	r := req.Clone(context.Background())
	r.Body = http.NoBody
	rec := httptest.NewRecorder()
	c.mux.ServeHTTP(rec, r)
	method, path, ok := strings.Cut(rec.Header().Get(patternHeader), " ")
	if !ok {
		return nil, rec
	}
	item := c.doc.Paths.Value(path)
	return &routers.Route{Spec: c.doc, Path: path, PathItem: item, Method: method, Operation: item.GetOperation(method)}, nil
}

func (c *Checker) validate(req *http.Request, route *routers.Route, status int, header http.Header, body []byte) error {
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	opts.WithCustomSchemaErrorFunc(schemaError)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                opts,
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		if route.Operation.Responses.Status(status) == nil {
			return fmt.Errorf("status %d is not documented for %s %s (documented: %s)", status, route.Method, route.Path,
				strings.Join(slices.Sorted(maps.Keys(route.Operation.Responses.Map())), ", "))
		}
		return err
	}
	return nil
}

// schemaError says where in the body a schema check failed and why,
// without kin-openapi's dump of the schema and the value.
func schemaError(e *openapi3.SchemaError) string {
	msg := fmt.Sprintf("at /%s: %s", strings.Join(e.JSONPointer(), "/"), e.Reason)
	if e.Origin != nil {
		msg += " (" + e.Origin.Error() + ")"
	}
	return msg
}

// checkUnknown checks the answer to a request that matches no documented
// operation against the document's NotFound or MethodNotAllowed response
// (FHIRNotFound or FHIRMethodNotAllowed under /fhir); mux is how ServeMux
// answered it.
func (c *Checker) checkUnknown(req *http.Request, mux *httptest.ResponseRecorder, status int, header http.Header, body []byte) error {
	notFound, methodNotAllowed := c.notFound, c.methodNotAllowed
	if p := req.URL.Path; p == "/fhir" || strings.HasPrefix(p, "/fhir/") {
		notFound, methodNotAllowed = c.fhirNotFound, c.fhirMethodNotAllowed
	}
	var resp *openapi3.ResponseRef
	var what string
	switch mux.Code {
	case http.StatusNotFound:
		resp, what = notFound, "no documented path matches"
	case http.StatusMethodNotAllowed:
		resp, what = methodNotAllowed, "the path is documented for "+mux.Header().Get("Allow")+" only"
	default:
		// A redirect to the clean path (ServeMux's 301): the server's mux
		// answers it the same way.
		if status != mux.Code {
			return fmt.Errorf("the path is not clean: the answer must be ServeMux's %d, not %d", mux.Code, status)
		}
		return nil
	}
	if status != mux.Code {
		return fmt.Errorf("%s, so the answer must be %d (docs/openapi.yaml), not %d", what, mux.Code, status)
	}
	if req.Method != http.MethodHead {
		op := openapi3.NewOperation()
		op.Responses = openapi3.NewResponses(openapi3.WithStatus(status, resp))
		route := &routers.Route{Spec: c.doc, Path: req.URL.Path, Method: req.Method, Operation: op}
		if err := c.validate(req, route, status, header, body); err != nil {
			return fmt.Errorf("%s, and the answer is not the documented %d: %w", what, status, err)
		}
	}
	if status == http.StatusMethodNotAllowed {
		allow := map[string]bool{}
		for _, v := range header.Values("Allow") {
			for m := range strings.SplitSeq(v, ",") {
				allow[strings.TrimSpace(m)] = true
			}
		}
		for m := range strings.SplitSeq(mux.Header().Get("Allow"), ",") {
			if m = strings.TrimSpace(m); !allow[m] {
				return fmt.Errorf("%s, but the Allow header %q does not list %s", what, header.Get("Allow"), m)
			}
		}
	}
	return nil
}

// checkHead checks the answer to a HEAD request against the GET operation
// of its path: a documented status and, for a response with content, a
// documented Content-Type. There is no body to check.
func (c *Checker) checkHead(route *routers.Route, status int, header http.Header) error {
	r := route.Operation.Responses.Status(status)
	if r == nil || r.Value == nil {
		return fmt.Errorf("status %d is not documented for GET %s", status, route.Path)
	}
	if len(r.Value.Content) > 0 && r.Value.Content.Get(header.Get("Content-Type")) == nil {
		return fmt.Errorf("Content-Type %q is not documented for GET %s %d", header.Get("Content-Type"), route.Path, status)
	}
	return nil
}

// Handler serves next and checks every response it writes; report is called
// with each mismatch (from the handler's goroutine: it must be safe for
// concurrent use, as testing.T's Error is). The response reaches the client
// unchanged.
func (c *Checker) Handler(next http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := r.Clone(r.Context())
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status, header := rec.result()
		if err := c.Check(req, status, header, rec.body.Bytes()); err != nil {
			report(err)
		}
	})
}

// recorder passes a response through and keeps a copy of its status,
// header (as sent: taken at WriteHeader) and body.
type recorder struct {
	http.ResponseWriter
	code   int
	header http.Header
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 && code >= 200 {
		r.code = code
		r.header = r.ResponseWriter.Header().Clone()
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.WriteHeader(http.StatusOK)
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Flush lets a handler stream through the recorder.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// result is the status and header the client got. Like net/http, it sniffs
// the Content-Type of a body whose handler set none.
func (r *recorder) result() (int, http.Header) {
	if r.code == 0 {
		return http.StatusOK, r.ResponseWriter.Header().Clone()
	}
	h := r.header
	if _, ok := h["Content-Type"]; !ok && r.body.Len() > 0 && h.Get("Content-Encoding") == "" {
		h.Set("Content-Type", http.DetectContentType(r.body.Bytes()))
	}
	return r.code, h
}
