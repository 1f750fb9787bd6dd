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
)

// DefaultPendingWait is fetch.DefaultPendingWait.
const DefaultPendingWait = fetch.DefaultPendingWait

var (
	FetchFrom         = fetch.FetchFrom
	GrantState        = fetch.GrantState
	ParseTicket       = fetch.ParseTicket
	ParseBatchCapsule = fetch.ParseBatchCapsule
)
