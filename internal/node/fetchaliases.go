package node

import "github.com/vaultnode/vaultnode/internal/fetch"

// The grantee's side of a fetch lives in internal/fetch (it also runs in
// the console's WebAssembly build); these are its names here.
type (
	FetchRequest  = fetch.FetchRequest
	FetchResult   = fetch.FetchResult
	FetchSource   = fetch.FetchSource
	FetchProgress = fetch.FetchProgress
	RelayAnswer   = fetch.RelayAnswer
	ReadingRef    = fetch.ReadingRef
	Ticket        = fetch.Ticket
	FirmwareFlag  = fetch.FirmwareFlag
)

// Firmware statuses (fetch.FirmwareApproved and the others).
const (
	FirmwareApproved    = fetch.FirmwareApproved
	FirmwareDeprecated  = fetch.FirmwareDeprecated
	FirmwareRecalled    = fetch.FirmwareRecalled
	FirmwareUnapproved  = fetch.FirmwareUnapproved
	FirmwareUndeclared  = fetch.FirmwareUndeclared
	FirmwareUnverified  = fetch.FirmwareUnverified
	FirmwareQuarantined = fetch.FirmwareQuarantined
)

// DefaultPendingWait is fetch.DefaultPendingWait.
const DefaultPendingWait = fetch.DefaultPendingWait

var (
	FetchFrom         = fetch.FetchFrom
	GrantState        = fetch.GrantState
	ParseTicket       = fetch.ParseTicket
	ParseBatchCapsule = fetch.ParseBatchCapsule
	FirmwareOf        = fetch.FirmwareOf
)
