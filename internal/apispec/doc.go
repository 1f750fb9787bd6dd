// Package apispec checks HTTP responses against the API's OpenAPI document,
// docs/openapi.yaml, for the API tests: the status must be documented for
// the operation, the Content-Type must be one the response lists, the body
// must match that content's schema and the documented headers must be
// there.
//
// A request that matches no documented operation must get the document's
// JSON error for it: 404 not_found (components/responses/NotFound) when no
// documented path matches, 405 method_not_allowed with an Allow header
// (components/responses/MethodNotAllowed) when the path is documented for
// other methods; under /fhir, FHIRNotFound and FHIRMethodNotAllowed (an
// OperationOutcome, or the JSON error). Routing is ServeMux's, as in the
// server. A HEAD request is checked against the GET operation of its path,
// without a body.
//
// Tests either check a response they already have (Check, CheckResponse) or
// wrap the real server in Handler, which checks every response it serves
// and reports each mismatch:
//
//	c, err := apispec.New()
//	...
//	srv := httptest.NewServer(c.Handler(handler, func(err error) { t.Error(err) }))
package apispec
