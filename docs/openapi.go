// Package docs holds the project's documentation. Its one piece of Go is
// the OpenAPI document of the daemon's HTTP API, docs/openapi.yaml,
// embedded so that the daemon can serve it (GET /v1/openapi.yaml) and the
// API tests can check every response against it (internal/apispec).
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml: the OpenAPI 3.0 document of the HTTP API.
//
//go:embed openapi.yaml
var OpenAPI []byte
