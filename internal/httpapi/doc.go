// Package httpapi is the daemon's HTTP API (docs/openapi.yaml): the /v1
// routes, the FHIR routes, health, readiness and Prometheus metrics. Its
// handlers decode a request, call the node's service.Local and encode the
// answer; they hold no logic of their own. Every error answer is JSON
// {"error", "code"} (an OperationOutcome on the FHIR routes) with the
// status its internal/fault class gives, including unknown paths (404) and
// methods (405).
package httpapi
