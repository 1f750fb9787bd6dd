package pointers

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/ethereum/go-ethereum/rpc"
)

// Typed errors. Every error returned by this package wraps one of these when it applies, so callers
// test with errors.Is; the message around it names what was wrong.
var (
	// ErrUnfunded: this node's account holds no funds on the chain, so it
	// cannot pay for a transaction (deploying the contracts, on an external
	// chain, is the first one).
	ErrUnfunded = errors.New("account holds no funds")
	// ErrTxDropped: the chain node will not mine a transaction this client
	// sent: it no longer has it (a node that restarted loses its pool) or
	// another transaction took its nonce. The operation may be sent again
	// after checking the chain (the committer and the journal replay do).
	ErrTxDropped = errors.New("transaction dropped by the chain node")
	// ErrPending: the chain could not be reached, so the write was journaled (durably) instead of sent;
	// the client sends it when the chain answers again. Not a failure of the write: callers report it
	// as pending.
	ErrPending = errors.New("chain unreachable: write journaled and sent when the chain answers")
	// ErrClosed: the client or chain was closed.
	ErrClosed = errors.New("pointers: closed")
	// ErrWrongChain: an endpoint serves another chain than the contract addresses belong to.
	ErrWrongChain = errors.New("endpoint serves another chain")
	// ErrReadOnly: a write asked of a read-only client (Dial): it holds no key and no journal.
	ErrReadOnly = errors.New("read-only chain client: writes need a node's repo")
	// ErrNotMember: the sending account is not an active consortium member (or not an admin, for admin
	// operations, see ErrNotAdmin).
	ErrNotMember = errors.New("sender is not a consortium member")
	// ErrNotAdmin: the sending account is not a consortium admin.
	ErrNotAdmin = errors.New("sender is not a consortium admin")
	// ErrDuplicateSequence: a commitment repeats (or goes below) a sequence already committed for its stream.
	ErrDuplicateSequence = errors.New("duplicate commitment sequence")
	// ErrUnknownGrant: no grant with that id exists on chain.
	ErrUnknownGrant = errors.New("unknown grant")
	// ErrGrantExists: a grant with that id already exists.
	ErrGrantExists = errors.New("grant already exists")
	// ErrGrantRevoked: the grant was revoked.
	ErrGrantRevoked = errors.New("grant revoked")
	// ErrGrantExpired: the time checked is after the grant's window.
	ErrGrantExpired = errors.New("grant window expired")
	// ErrGrantNotYetValid: the time checked is before the grant's window.
	ErrGrantNotYetValid = errors.New("grant window not yet open")
	// ErrBadSignature: a patient-side signature does not verify.
	ErrBadSignature = errors.New("wrong signature")
	// ErrBadInput: malformed input (lengths, zero values, thresholds, windows).
	ErrBadInput = errors.New("bad input")
	// ErrUnknownDevice: no device with that id hash.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrDeviceExists: a device with that id hash is already registered.
	ErrDeviceExists = errors.New("device already registered")
	// ErrDeviceRevoked: the device was revoked.
	ErrDeviceRevoked = errors.New("device revoked")
	// ErrMemberExists: the account is already a member.
	ErrMemberExists = errors.New("already a member")
	// ErrUnknownMember: the account is not a member.
	ErrUnknownMember = errors.New("unknown member")
	// ErrAlreadyErased: the subject already has an erasure record.
	ErrAlreadyErased = errors.New("subject already erased")
	// ErrUnknownErasure: no erasure record for the subject.
	ErrUnknownErasure = errors.New("no erasure record")
	// ErrAlreadyRefused: a refusal for the request reference already exists.
	ErrAlreadyRefused = errors.New("refusal already recorded")
	// ErrUnknownRefusal: no refusal for the request reference.
	ErrUnknownRefusal = errors.New("no refusal record")
	// ErrAnchorGap: an audit anchor does not start where the previous one ended.
	ErrAnchorGap = errors.New("audit anchor range does not continue the previous one")
	// ErrNoAnchor: no anchor covers the log entry.
	ErrNoAnchor = errors.New("no audit anchor covers the entry")
	// ErrNotOwner: the sender does not own the device, log or stream (only a stream's owner commits
	// batches and records grants on it).
	ErrNotOwner = errors.New("sender is not the owner")
	// ErrUnknownModel, ErrUnknownUnit, ErrUnknownRelease: the lifecycle registry holds no such device
	// model, unit or firmware release (an unregistered UDI: possibly a counterfeit).
	ErrUnknownModel   = errors.New("unknown device model")
	ErrUnknownUnit    = errors.New("unknown device unit")
	ErrUnknownRelease = errors.New("unknown firmware release")
	// ErrCustody: a custody step out of order, or by a party that may not record it.
	ErrCustody = errors.New("custody step refused")
	// ErrReverted: the chain rejected a transaction for a reason not covered above.
	ErrReverted = errors.New("transaction reverted")
	// ErrCommitmentConflict: the chain holds a different commitment under the same (tag, seq).
	ErrCommitmentConflict = errors.New("a different commitment is on chain under this sequence")
	// ErrTampered: data read from the chain does not match its on-chain hash chain.
	ErrTampered = errors.New("chain data does not match its on-chain commitment")
)

// ErrChainUnavailable: the chain node could not be reached. Errors from a
// node that is down or unreachable do not always wrap it (they come from the
// JSON-RPC transport); test with IsUnavailable.
var ErrChainUnavailable = errors.New("chain node unavailable")

// IsUnavailable reports whether err means the chain node could not be
// reached or could not answer: connection refused or reset, a network
// timeout, the connection closed mid-call (a node shutting down), any failure
// of the HTTP transport under the JSON-RPC call, a gateway in front of the
// node answering 502, 503 or 504, or a transaction the node dropped (it
// restarted). The chain's own answers (a revert, an unknown grant, a JSON-RPC
// error) are not, nor is a call its caller canceled.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrChainUnavailable) || errors.Is(err, ErrTxDropped) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	// The HTTP client wraps every transport failure (including a server
	// that closes the connection without answering) in a *url.Error.
	var ue *url.Error
	if errors.As(err, &ue) {
		return true
	}
	var he rpc.HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case 502, 503, 504:
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
