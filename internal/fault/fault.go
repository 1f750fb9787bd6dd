package fault

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// CLI exit codes (docs/PRODUCT.md §4).
const (
	ExitOK        = 0
	ExitFailed    = 1
	ExitUsage     = 2
	ExitRefused   = 3
	ExitIntegrity = 4
)

// Class is one kind of failure and how each face reports it.
type Class struct {
	Code   string // API error code ("bad_input"); also the class's name
	Status int    // HTTP status
	FHIR   string // FHIR R4 IssueType code of the OperationOutcome
	Exit   int    // CLI exit code
	// Sentinel is what an error of this class wraps (errors.Is), so that
	// callers test classes without knowing about HTTP. Nil for classes that
	// only the transport produces.
	Sentinel error
}

// Sentinels for classes no lower package defines.
var (
	// ErrUsage marks a command line the CLI cannot run (exit 2).
	ErrUsage = errors.New("usage")
	// ErrUnauthenticated: no or unknown API token.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the token's role may not call the endpoint.
	ErrForbidden = errors.New("forbidden")
	// ErrTooLarge: a request body over the route's limit.
	ErrTooLarge = errors.New("too large")
	// ErrReplay: a re-encryption request already seen.
	ErrReplay = errors.New("replayed request")
	// ErrRateLimited: too many requests from one client.
	ErrRateLimited = errors.New("rate limited")
	// ErrMethodNotAllowed: a known path with another method.
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrUnsupportedMediaType: a body of a content type the route does not take.
	ErrUnsupportedMediaType = errors.New("unsupported media type")
	// ErrInternal: anything else; a bug or an environment failure.
	ErrInternal = errors.New("internal error")
)

// The classes, most specific first: Classify returns the first that
// matches, so an error wrapping two sentinels gets the earlier class.
var (
	Usage            = Class{"usage", http.StatusBadRequest, "invalid", ExitUsage, ErrUsage}
	TooLarge         = Class{"too_large", http.StatusRequestEntityTooLarge, "too-long", ExitFailed, ErrTooLarge}
	Unauthenticated  = Class{"unauthenticated", http.StatusUnauthorized, "login", ExitRefused, ErrUnauthenticated}
	Forbidden        = Class{"forbidden", http.StatusForbidden, "forbidden", ExitRefused, ErrForbidden}
	InvalidSignature = Class{"invalid_signature", http.StatusUnprocessableEntity, "security", ExitFailed, node.ErrBadSignature}
	DeviceRefused    = Class{"device_refused", http.StatusForbidden, "security", ExitRefused, node.ErrDeviceRefused}
	AccessRefused    = Class{"access_refused", http.StatusForbidden, "security", ExitRefused, node.ErrAccessRefused}
	Replay           = Class{"replay", http.StatusConflict, "duplicate", ExitRefused, ErrReplay}
	RateLimited      = Class{"rate_limited", http.StatusTooManyRequests, "throttled", ExitFailed, ErrRateLimited}
	NotFound         = Class{"not_found", http.StatusNotFound, "not-found", ExitFailed, node.ErrNotFound}
	MethodNotAllowed = Class{"method_not_allowed", http.StatusMethodNotAllowed, "not-supported", ExitUsage, ErrMethodNotAllowed}
	UnsupportedMedia = Class{"unsupported_media_type", http.StatusUnsupportedMediaType, "not-supported", ExitFailed, ErrUnsupportedMediaType}
	Conflict         = Class{"conflict", http.StatusConflict, "conflict", ExitFailed, keys.ErrExists}
	Integrity        = Class{"integrity", http.StatusInternalServerError, "processing", ExitIntegrity, node.ErrIntegrity}
	// Pending is not a failure: the chain could not be reached and the write was journaled; it is
	// sent when the chain answers. HTTP 202; the CLI prints it and exits 0.
	Pending             = Class{"pending", http.StatusAccepted, "informational", ExitOK, pointers.ErrPending}
	ReplicasUnavailable = Class{"replicas_unavailable", http.StatusServiceUnavailable, "transient", ExitFailed, node.ErrReplicasUnavailable}
	ChainUnavailable    = Class{"chain_unavailable", http.StatusServiceUnavailable, "transient", ExitFailed, pointers.ErrChainUnavailable}
	BadInput            = Class{"bad_input", http.StatusBadRequest, "invalid", ExitFailed, node.ErrBadInput}
	Internal            = Class{"internal", http.StatusInternalServerError, "exception", ExitFailed, ErrInternal}
)

// Classes lists every class, in the order Classify tries them.
var Classes = []Class{Usage, TooLarge, Unauthenticated, Forbidden, InvalidSignature, DeviceRefused, AccessRefused, Replay,
	RateLimited, NotFound, MethodNotAllowed, UnsupportedMedia, Conflict, Integrity, Pending, ReplicasUnavailable, ChainUnavailable, BadInput, Internal}

// Classify returns the class of err (Internal when nothing more specific
// matches; the zero Class for nil).
func Classify(err error) Class {
	if err == nil {
		return Class{Status: http.StatusOK, Exit: ExitOK}
	}
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Class
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return TooLarge
	case errors.Is(err, pointers.ErrUnknownGrant):
		return NotFound
	case errors.Is(err, pointers.ErrGrantRevoked), errors.Is(err, erasure.ErrConflict):
		return Conflict
	case errors.Is(err, erasure.ErrBadRequest):
		return BadInput
	case errors.Is(err, erasure.ErrNoJournal):
		return NotFound
	case errors.Is(err, pointers.ErrBadInput):
		return BadInput
	case errors.Is(err, pointers.ErrNotAdmin), errors.Is(err, pointers.ErrNotOwner), errors.Is(err, pointers.ErrNotMember):
		return Forbidden // the chain refused the sender: not an admin, not the model's manufacturer, not a member
	case errors.Is(err, pointers.ErrCustody):
		return Conflict // the unit's custody is not at the step before this one
	case errors.Is(err, pointers.ErrUnknownUnit), errors.Is(err, pointers.ErrUnknownModel), errors.Is(err, pointers.ErrUnknownRelease):
		return NotFound
	}
	for _, c := range Classes {
		if c.Sentinel != nil && errors.Is(err, c.Sentinel) {
			return c
		}
	}
	// The keystore's own refusals, when nothing above wrapped them.
	switch {
	case errors.Is(err, keys.ErrInvalid):
		return BadInput
	case errors.Is(err, keys.ErrUnknownPatient), errors.Is(err, keys.ErrUnknownDevice), errors.Is(err, keys.ErrUnknownStream),
		errors.Is(err, keys.ErrDestroyed):
		return NotFound
	}
	// Checked after the sentinels: a chain error that is also, say, an
	// integrity failure is reported as the integrity failure.
	if pointers.IsUnavailable(err) {
		return ChainUnavailable
	}
	return Internal
}

// ByCode returns the class whose API code is code.
func ByCode(code string) (Class, bool) {
	for _, c := range Classes {
		if c.Code == code {
			return c, true
		}
	}
	return Class{}, false
}

// byStatus is the class a bare HTTP status stands for, for answers with no
// known code (a proxy in front of the daemon, an older daemon).
func byStatus(status int) Class {
	switch status {
	case http.StatusBadRequest:
		return BadInput
	case http.StatusUnauthorized:
		return Unauthenticated
	case http.StatusForbidden:
		return AccessRefused
	case http.StatusNotFound:
		return NotFound
	case http.StatusMethodNotAllowed:
		return MethodNotAllowed
	case http.StatusConflict:
		return Conflict
	case http.StatusRequestEntityTooLarge:
		return TooLarge
	case http.StatusUnprocessableEntity:
		return InvalidSignature
	case http.StatusTooManyRequests:
		return RateLimited
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return ChainUnavailable
	}
	return Internal
}

// Error is an error of a known class carrying the message a user reads.
// The HTTP client builds one from each error answer.
type Error struct {
	Class Class
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the class's sentinel, so errors.Is(err, node.ErrAccessRefused)
// holds for an access refusal reported by a daemon.
func (e *Error) Unwrap() error { return e.Class.Sentinel }

// FromAPI is the error an API answer stands for: the class named by code
// (else the one its status implies) with the server's message.
func FromAPI(status int, code, msg string) error {
	c, ok := ByCode(code)
	if !ok {
		c = byStatus(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("%s (HTTP %d)", c.Code, status)
	}
	return &Error{Class: c, Msg: msg}
}

// Usagef is a usage error (exit 2) with a formatted message.
func Usagef(format string, a ...any) error {
	return &Error{Class: Usage, Msg: fmt.Sprintf(format, a...)}
}

// Newf is an error of class c with a formatted message (for a verdict the
// command itself reaches, such as an incomplete certificate: integrity).
func Newf(c Class, format string, a ...any) error {
	return &Error{Class: c, Msg: fmt.Sprintf(format, a...)}
}

// AsUsage marks err as a usage error, keeping its message.
func AsUsage(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Class: Usage, Msg: err.Error()}
}

// Exit is the CLI exit code of err.
func Exit(err error) int { return Classify(err).Exit }

// OfRefusal is the class of a proxy's refusal outcome (p2p.Outcome's
// String form), as the re-encryption endpoint reports it.
func OfRefusal(outcome string) Class {
	switch outcome {
	case p2p.RefusedMalformed.String():
		return BadInput
	case p2p.RefusedBadSignature.String():
		return InvalidSignature
	case p2p.RefusedReplay.String():
		return Replay
	case p2p.RefusedRateLimited.String():
		return RateLimited
	case p2p.RefusedInternal.String():
		return Internal
	}
	return AccessRefused
}
