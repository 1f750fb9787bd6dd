// Package client is the Service of a running vaultnode daemon, over its HTTP
// API (docs/openapi.yaml). It behaves like service.Local: the same results,
// and errors of the same internal/fault class with the daemon's message, so
// that the CLI prints and exits the same whether it ran a command on the
// repo or through the daemon. A clinician's fetch decrypts and verifies here:
// the daemon serves chain records, blocks and the proxies' cfrags, never a
// key.
package client
