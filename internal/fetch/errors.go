package fetch

import "errors"

// The error classes a fetch reports, matched with errors.Is (internal/node
// re-exports them under the same names; internal/fault maps them to API
// statuses and exit codes).
var (
	// ErrBadInput: the request is malformed (a ticket, a purpose, a field).
	ErrBadInput = errors.New("bad input")
	// ErrAccessRefused: a grant does not allow the access (no grant,
	// revoked, expired, erased, not enough proxies).
	ErrAccessRefused = errors.New("access refused")
	// ErrIntegrity: fetched data does not match its on-chain commitment, or
	// the source answered something malformed.
	ErrIntegrity = errors.New("integrity failure")
	// ErrNotFound: no such object.
	ErrNotFound = errors.New("not found")
)
