package fetch

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	"golang.org/x/sync/errgroup"

	"github.com/vaultnode/vaultnode/p2p/proxywire"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// FetchRequest asks for the readings a grant covers.
type FetchRequest struct {
	Grantee *proxywire.Grantee
	Ticket  Ticket
	From    time.Time // zero: no bound
	Until   time.Time
	Purpose string // default "TREAT"
	// ProxiesOnly skips the client-side check of the grant on-chain and
	// lets the proxies refuse (the demo uses it to show their enforcement;
	// the proxies check the chain either way).
	ProxiesOnly bool
	// Progress, when set, is called after each verified batch.
	Progress FetchProgress
	// BlockTimeout bounds fetching one batch's blocks (default 60 s); a
	// batch no member serves in time is an integrity failure (missing data).
	BlockTimeout time.Duration
	// PendingWait bounds the wait for batches the serving node acknowledged
	// but has not committed on-chain yet (default DefaultPendingWait;
	// negative: do not wait, report them). See fetchpending.go.
	PendingWait time.Duration
	// Batches, when set, selects by position in the stream's commitments
	// (0 first) which batches to read: the console's workers each read a
	// share of a stream.
	Batches func(i int) bool
	// KeepGoing: a batch that fails its checks (ErrIntegrity) is reported in
	// FetchResult.Failed and the others are still read, instead of failing
	// the fetch (the console shows each batch's status). A refusal still
	// fails the fetch.
	KeepGoing bool
	// Parallel is how many batches are read at once (default
	// DefaultParallel). Even a client with one thread (the console's
	// WebAssembly build) gains: 1 took 4.0 s for 100,000 readings, 4 took
	// 3.0–3.2 s (docs/BENCHMARKS.md).
	Parallel int
}

// FetchResult holds decrypted, verified readings.
type FetchResult struct {
	Readings []store.Reading
	Batches  int
	Verified int // readings whose Merkle proof verified against the on-chain root
	Proxies  []string
	// Pending counts the batches of the stream the serving node
	// acknowledged that are not committed on-chain yet, so not fetched
	// (after waiting PendingWait); PendingReason says why. -1: the serving
	// node cannot tell (it is not the stream's custodian).
	Pending       int
	PendingReason string
	// Refs[i] is where Readings[i] was stored (its batch and index).
	Refs []ReadingRef
	// Failed lists, with KeepGoing, the batches that failed their checks
	// (none of their readings is in Readings).
	Failed []BatchFailure
}

// BatchFailure is a batch a fetch could not verify: Missing when no member
// served its blocks in time, else tampered (a block, a cfrag or a reading
// that does not match the chain).
type BatchFailure struct {
	Root    string `json:"root"`
	Seq     uint64 `json:"seq"`
	Missing bool   `json:"missing"`
	Reason  string `json:"reason"`
}

// FetchSource is where a fetch reads the chain, the blocks and the cfrags:
// the node itself (Node.Fetch), or a daemon's HTTP API (the CLI when a
// daemon runs; the clinician's secret keys stay in the client either way).
// What a source returns is checked by FetchFrom: blocks against their CIDs,
// cfrags against their proofs, every reading against the on-chain Merkle
// root; the source's view of the chain (grant, commitments) is trusted.
type FetchSource interface {
	store.BlockGetter
	// Grant returns the grant's on-chain record (ErrAccessRefused when
	// there is none).
	Grant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error)
	// CheckGrant refuses (ErrAccessRefused, with the proxies' reason) a
	// grant that is revoked, not yet open or closed.
	CheckGrant(ctx context.Context, g pointers.GrantRecord) error
	// Commitments lists the batch commitments of the stream with this chain
	// secret made by custodian, in sequence order (ErrIntegrity when the
	// custodian's hash chain over them does not hold).
	Commitments(ctx context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error)
	// Reencrypt relays a signed request to the grant's proxies, skipping
	// those in exclude, until want of them granted a cfrag or none is left.
	Reencrypt(ctx context.Context, req *proxywire.ReencryptRequest, want int, exclude []string) ([]RelayAnswer, error)
}

// RelayAnswer is one proxy's answer to a relayed re-encryption request.
type RelayAnswer struct {
	Proxy   string `json:"proxy"` // peer id
	Outcome string `json:"outcome"`
	Message string `json:"message,omitempty"`
	CFrag   []byte `json:"cfrag,omitempty"` // encoded cfrag when granted (base64 in JSON)
}

// FetchProgress, when set on a FetchRequest, is called after each batch
// with the batches done and the total.
type FetchProgress func(done, total int)

// FetchFrom is Fetch through src.
func FetchFrom(ctx context.Context, src FetchSource, r FetchRequest) (*FetchResult, error) {
	if r.Purpose == "" {
		r.Purpose = "TREAT"
	}
	if err := proxywire.CheckPurpose(r.Purpose); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	t := r.Ticket
	g, err := src.Grant(ctx, t.GrantID)
	if err != nil {
		return nil, err
	}
	if !pointers.GrantKeyOf(t.StreamTag).Binds(g.ID, g.StreamBinding) {
		return nil, fmt.Errorf("%w: the ticket's stream is not the grant's", ErrBadInput)
	}
	if !r.ProxiesOnly {
		if err := src.CheckGrant(ctx, g); err != nil {
			return nil, err
		}
		if r.Grantee.Public().Hash() != g.GranteeKeyHash {
			return nil, fmt.Errorf("%w: wrong-grantee (the grant is for another grantee)", ErrAccessRefused)
		}
	}
	if r.BlockTimeout <= 0 {
		r.BlockTimeout = 60 * time.Second
	}
	cs, err := src.Commitments(ctx, t.ChainSecret, g.RecordedBy)
	if err != nil {
		return nil, err
	}
	res := &FetchResult{}
	if cs, err = awaitCommitted(ctx, src, t, g.RecordedBy, cs, r.PendingWait, res); err != nil {
		return nil, err
	}
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	// Batches are fetched r.Parallel at a time: each waits mostly on the
	// network (its blocks, its proxies), so overlapping them hides that
	// latency; the results are put back in sequence order.
	out := make([]batchResult, len(cs))
	eg, gctx := errgroup.WithContext(ctx)
	if r.Parallel <= 0 {
		r.Parallel = DefaultParallel
	}
	eg.SetLimit(r.Parallel)
	var mu sync.Mutex
	done := 0
	for i, c := range cs {
		if r.Batches != nil && !r.Batches(i) {
			out[i].skipped = true
			continue
		}
		eg.Go(func() error {
			br, err := fetchBatch(gctx, src, r, t, g, binding, c)
			if err != nil && r.KeepGoing && errors.Is(err, ErrIntegrity) {
				root, _ := cid.Cast(c.RootCID)
				br = batchResult{failed: &BatchFailure{Root: root.String(), Seq: c.Seq, Reason: err.Error(), Missing: errors.Is(err, errMissingData)}}
				err = nil
			}
			if err != nil {
				return err
			}
			out[i] = br
			if r.Progress != nil {
				mu.Lock()
				done++
				r.Progress(done, len(cs))
				mu.Unlock()
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	n := 0
	for _, br := range out {
		n += len(br.readings)
	}
	res.Readings, res.Refs = make([]store.Reading, 0, n), make([]ReadingRef, 0, n)
	proxies := map[string]bool{}
	for _, br := range out {
		if br.skipped {
			continue
		}
		if br.failed != nil {
			res.Failed = append(res.Failed, *br.failed)
			continue
		}
		res.Batches++
		res.Verified += br.verified
		res.Readings = append(res.Readings, br.readings...)
		res.Refs = append(res.Refs, br.refs...)
		for _, p := range br.proxies {
			proxies[p] = true
		}
	}
	for p := range proxies {
		res.Proxies = append(res.Proxies, p)
	}
	sort.Strings(res.Proxies)
	return res, nil
}

// DefaultParallel is how many batches a fetch reads at once by default.
const DefaultParallel = 4

type batchResult struct {
	skipped  bool
	failed   *BatchFailure
	readings []store.Reading
	refs     []ReadingRef
	verified int
	proxies  []string
}

// fetchBatch fetches, decrypts and verifies one batch (commitment c).
func fetchBatch(ctx context.Context, src FetchSource, r FetchRequest, t Ticket, g pointers.GrantRecord, binding reencrypt.KFragBinding, c pointers.Commitment) (batchResult, error) {
	var br batchResult
	root, err := cid.Cast(c.RootCID)
	if err != nil {
		return br, fmt.Errorf("%w: commitment %d: bad root CID", ErrIntegrity, c.Seq)
	}
	// The root block is read once: OpenBatch reads it again from here.
	bg := &rootOnce{BlockGetter: src}
	bctx, cancel := context.WithTimeout(ctx, r.BlockTimeout)
	hdr, _, err := store.ReadRoot(bctx, bg, root)
	cancel()
	if err != nil {
		return br, integrity(root, err)
	}
	// The header is the batch's root block, named by the commitment's
	// CID: the delegating key it names is the custodian's.
	capsule, streamKey, err := ParseBatchCapsule(hdr.Capsule, t.StreamKey)
	if err != nil {
		return br, fmt.Errorf("%w: batch %s: capsule: %v", ErrIntegrity, root, err)
	}
	// One signed request per batch, relayed to the proxies; a proxy
	// whose cfrag does not verify is excluded and another one asked.
	req := &proxywire.ReencryptRequest{GrantID: g.ID, Capsule: capsule, Delegating: streamKey, Grantee: r.Grantee.Public(), Purpose: r.Purpose, Expires: time.Now().Add(time.Minute)}
	if _, err := rand.Read(req.Nonce[:]); err != nil {
		return br, err
	}
	req.Sign(r.Grantee.Sign)
	var cfrags []*reencrypt.CFrag
	var refusals, exclude []string
	shares := map[[reencrypt.KFragIDSize]byte]bool{} // a share counts once, whoever serves it
	for len(cfrags) < int(g.M) {
		ans, err := src.Reencrypt(ctx, req, int(g.M)-len(cfrags), exclude)
		if err != nil {
			return br, err
		}
		if len(ans) == 0 {
			break
		}
		for _, a := range ans {
			exclude = append(exclude, a.Proxy)
			name := "proxy " + shortPeerString(a.Proxy)
			if a.Outcome != proxywire.Granted.String() {
				if a.Message != "" {
					refusals = append(refusals, fmt.Sprintf("%s: %s (%s)", name, a.Outcome, a.Message))
				} else {
					refusals = append(refusals, fmt.Sprintf("%s: %s", name, a.Outcome))
				}
				continue
			}
			cf, err := reencrypt.ParseCFrag(a.CFrag)
			if err == nil {
				err = cf.Verify(capsule, g.SignerKey, streamKey, r.Grantee.PRE.PublicKey(), binding, req.Binding())
			}
			if err != nil {
				refusals = append(refusals, fmt.Sprintf("%s: cfrag does not verify: %v", name, err))
				continue
			}
			if shares[cf.ID()] {
				refusals = append(refusals, fmt.Sprintf("%s: a cfrag of a share another proxy already served", name))
				continue
			}
			shares[cf.ID()] = true
			cfrags = append(cfrags, cf)
			br.proxies = append(br.proxies, a.Proxy)
		}
	}
	if len(cfrags) < int(g.M) {
		return br, fmt.Errorf("%w: %d of %d cfrags needed: %s", ErrAccessRefused, len(cfrags), g.M, strings.Join(refusals, "; "))
	}
	dek, err := reencrypt.DecapsulateFrags(r.Grantee.PRE, streamKey, capsule, cfrags)
	if err != nil {
		return br, fmt.Errorf("%w: batch %s: decapsulate: %v", ErrIntegrity, root, err)
	}
	bctx, cancel = context.WithTimeout(ctx, r.BlockTimeout)
	ob, err := store.OpenBatch(bctx, bg, root, &dek)
	cancel()
	clear(dek[:])
	if err != nil {
		return br, integrity(root, err)
	}
	h := ob.Header
	if h.StreamTag != t.StreamTag || h.Seq != c.Seq || h.Count != c.Count || h.MerkleRoot != c.MerkleRoot {
		return br, fmt.Errorf("%w: batch %s does not match its on-chain commitment (seq %d)", ErrIntegrity, root, c.Seq)
	}
	// OpenBatch checked every reading's canonical bytes against the
	// header's Merkle root, and the header's root is the commitment's: the
	// readings handed on are the committed ones (store.OpenedBatch.VerifyAll
	// would hash them all again).
	br.verified = len(ob.Readings)
	for k, rd := range ob.Readings {
		if (!r.From.IsZero() && rd.Time.Before(r.From)) || (!r.Until.IsZero() && !rd.Time.Before(r.Until)) {
			continue
		}
		br.readings = append(br.readings, rd)
		br.refs = append(br.refs, ReadingRef{Root: root, Index: k})
	}
	return br, nil
}

// rootOnce keeps the first block it serves (a batch's root, read by
// ReadRoot) and serves it again without asking the source: OpenBatch reads
// the root once more. The source's block was checked against its CID the
// first time (store.ReadRoot), and OpenBatch checks it again.
type rootOnce struct {
	store.BlockGetter
	mu    sync.Mutex
	first blocks.Block
}

func (o *rootOnce) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	o.mu.Lock()
	f := o.first
	o.mu.Unlock()
	if f != nil && f.Cid().Equals(c) {
		return f, nil
	}
	b, err := o.BlockGetter.GetBlock(ctx, c)
	if err == nil {
		o.mu.Lock()
		if o.first == nil {
			o.first = b
		}
		o.mu.Unlock()
	}
	return b, err
}

// GrantState refuses, from the record alone, a grant that is revoked or
// outside its window now (what CheckGrant finds on-chain, without the
// signature check, which needs the chain's deployment).
func GrantState(g pointers.GrantRecord, now time.Time) error {
	switch {
	case g.Revoked:
		return GrantRefusal(g, pointers.ErrGrantRevoked)
	case now.Unix() < g.NotBefore.Unix():
		return GrantRefusal(g, pointers.ErrGrantNotYetValid)
	case now.Unix() >= g.NotAfter.Unix():
		return GrantRefusal(g, pointers.ErrGrantExpired)
	}
	return nil
}

// GrantRefusal is the ErrAccessRefused a grant's on-chain refusal err
// (revoked, expired, not yet valid, unknown) gives the grantee.
func GrantRefusal(g pointers.GrantRecord, err error) error {
	switch {
	case errors.Is(err, pointers.ErrGrantRevoked):
		return fmt.Errorf("%w: revoked (grant revoked on-chain)", ErrAccessRefused)
	case errors.Is(err, pointers.ErrGrantExpired):
		return fmt.Errorf("%w: grant-expired (grant closed %s)", ErrAccessRefused, g.NotAfter.UTC().Format(time.RFC3339))
	case errors.Is(err, pointers.ErrGrantNotYetValid):
		return fmt.Errorf("%w: not-yet-valid (grant opens %s)", ErrAccessRefused, g.NotBefore.UTC().Format(time.RFC3339))
	case errors.Is(err, pointers.ErrUnknownGrant), errors.Is(err, pointers.ErrBadSignature):
		return fmt.Errorf("%w: %v", ErrAccessRefused, err)
	default:
		return fmt.Errorf("check grant on-chain: %w", err)
	}
}

// errMissingData marks the integrity failure of a batch whose blocks nobody
// served (BatchFailure.Missing), as against one that does not match.
var errMissingData = errors.New("missing data")

func integrity(root cid.Cid, err error) error {
	if errors.Is(err, ErrAccessRefused) {
		// Refused, not missing: the source would not serve the blocks.
		return fmt.Errorf("batch %s: %w", root, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: batch %s: blocks not served by any member in time (%w)", ErrIntegrity, root, errMissingData)
	}
	if errors.Is(err, ErrNotFound) || ipld.IsNotFound(err) {
		// Nobody has the block: missing, not altered (what a clinician is
		// told, and what an operator looks for, differ).
		return fmt.Errorf("%w: batch %s: a block is not held by any member (%w): %v", ErrIntegrity, root, errMissingData, err)
	}
	var ie *store.IntegrityError
	if errors.As(err, &ie) {
		return fmt.Errorf("%w: block %s: %v", ErrIntegrity, ie.CID, err)
	}
	return fmt.Errorf("%w: batch %s: %v", ErrIntegrity, root, err)
}

func shortPeerString(s string) string {
	if len(s) > 10 {
		return "…" + s[len(s)-6:]
	}
	return s
}
