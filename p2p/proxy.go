package p2p

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// GrantLedger is the on-chain view a proxy needs: the grant as it stands at
// a given time. *pointers.Client implements it.
type GrantLedger interface {
	CheckGrant(ctx context.Context, id [32]byte, at time.Time) (pointers.GrantRecord, error)
	// BlockNumber is the chain head. A grant read at head h is still what
	// the chain says while the head is h, so the proxy re-reads a grant only
	// when a new block arrives: revocation still takes effect within one
	// block.
	BlockNumber(ctx context.Context) (uint64, error)
	// CheckLive fails when the chain has stalled (no block for longer than
	// the node allows): a cached grant is not served from a chain that can
	// no longer record its revocation.
	CheckLive(ctx context.Context) error
}

// KFragVault keeps the kfrags a proxy holds, encrypted at rest, and deletes
// them physically when their grant is revoked, expires, or the patient is
// erased.
type KFragVault interface {
	// PutKFrag stores the kfrag of grant (for the stream with tag) .
	PutKFrag(ctx context.Context, grant, streamTag [32]byte, kfrag []byte) error
	// KFrag returns the stored kfrag bytes of grant, or an error wrapping
	// ErrNoKFrag. The caller wipes the returned slice.
	KFrag(ctx context.Context, grant [32]byte) ([]byte, error)
	// KFragStream returns the stream tag the kfrag of grant was stored
	// under, or an error wrapping ErrNoKFrag.
	KFragStream(ctx context.Context, grant [32]byte) ([32]byte, error)
	// DeleteKFrag removes the kfrag of grant and reports whether one existed.
	DeleteKFrag(ctx context.Context, grant [32]byte) (bool, error)
	// DeleteStreamKFrags removes every kfrag for the stream with tag and
	// returns how many were removed.
	DeleteStreamKFrags(ctx context.Context, streamTag [32]byte) (int, error)
}

// ErrNoKFrag: the proxy holds no kfrag for the grant.
var ErrNoKFrag = keys.ErrNoKFrag

// The keystore is the production vault: kfrags sealed at rest, deleted
// physically.
var _ KFragVault = (*keys.Keystore)(nil)

// AccessEntry is one line of a proxy's access log: who asked for what, why,
// when, and what the proxy answered. It holds no secret and no identifier
// beyond keyed tags and key hashes.
type AccessEntry struct {
	Time      time.Time
	Grantee   [32]byte // grantee key hash (as claimed, for refusals before the signature check)
	GrantID   [32]byte
	StreamTag [32]byte // zero when the grant could not be read
	Capsule   [32]byte // SHA-256 of the capsule: which batch
	Purpose   string
	Outcome   Outcome
}

// AccessLogger appends entries to the access log.
type AccessLogger interface {
	Append(ctx context.Context, e AccessEntry) error
}

// ProxyConfig configures a re-encryption proxy.
type ProxyConfig struct {
	// Ledger is consulted before every re-encryption. Required.
	Ledger GrantLedger
	// Self is this node's member account on the chain: the proxy answers only
	// for grants that name it. Required.
	Self common.Address
	// Vault holds this proxy's kfrags. Required.
	Vault KFragVault
	// Log receives every request's outcome. Required.
	Log AccessLogger
	// MaxRequestLifetime bounds how far in the future a request's expiry may
	// be, which bounds how long nonces are remembered. Default 5 minutes.
	MaxRequestLifetime time.Duration
	// ClockSkew is the tolerance for a request whose expiry is just past.
	// Default 0: an expired request is refused.
	ClockSkew time.Duration
	// RatePerGrantee and Burst limit requests per grantee key. Default 500/s,
	// burst 1,000.
	RatePerGrantee rate.Limit
	Burst          int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rand is the randomness for proofs (default crypto/rand).
	Rand io.Reader
	// Logger receives structured logs.
	Logger *slog.Logger
}

// Proxy answers re-encryption requests: it checks the grant on-chain at that
// moment, the grantee's signature, the request's expiry and nonce, and a per
// grantee rate limit, then returns a cfrag whose proof is bound to the
// request, or a refusal with a reason. Every request is logged.
type Proxy struct {
	cfg ProxyConfig
	log *slog.Logger

	mu        sync.Mutex
	seen      map[[32]byte]time.Time // request id → expiry
	nextGC    time.Time
	limiters  map[[32]byte]*rate.Limiter // at most maxLimiters
	overflow  *rate.Limiter              // shared by new grantees while limiters is full of busy ones
	nextSweep time.Time                  // when limiters may next be swept for idle ones
	kfrags    map[[32]byte]heldKFrag     // verified kfrags, by grant
	grants    map[[32]byte]cachedGrant   // grants as read at a block
	head      *headReader

	deliveries sync.Mutex // serialises kfrag deliveries (read-merge-write of a grant's record)

	counts [OutcomeCount]atomic.Uint64
}

// NewProxy returns a proxy. It does not listen; see Serve.
func NewProxy(cfg ProxyConfig) (*Proxy, error) {
	switch {
	case cfg.Ledger == nil:
		return nil, errors.New("p2p: proxy config has no ledger")
	case cfg.Vault == nil:
		return nil, errors.New("p2p: proxy config has no kfrag vault")
	case cfg.Log == nil:
		return nil, errors.New("p2p: proxy config has no access log")
	case cfg.Self == (common.Address{}):
		return nil, errors.New("p2p: proxy config has no member account")
	}
	if cfg.MaxRequestLifetime <= 0 {
		cfg.MaxRequestLifetime = 5 * time.Minute
	}
	if cfg.RatePerGrantee == 0 {
		cfg.RatePerGrantee = 500
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 1000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Proxy{
		cfg:      cfg,
		log:      log.With("component", "proxy"),
		seen:     make(map[[32]byte]time.Time),
		limiters: make(map[[32]byte]*rate.Limiter),
		kfrags:   make(map[[32]byte]heldKFrag),
		grants:   make(map[[32]byte]cachedGrant),
		head:     newHeadReader(cfg.Ledger.BlockNumber),
	}, nil
}

// Count returns how many requests ended with outcome o.
func (p *Proxy) Count(o Outcome) uint64 {
	if o >= OutcomeCount {
		return 0
	}
	return p.counts[o].Load()
}

// Serve registers the proxy's protocol handler on h. Handlers stop when the
// host closes.
func (p *Proxy) Serve(h host.Host) {
	serveFrames(h, ReencryptProtocol, func(raw []byte) ([]byte, error) {
		b, err := p.HandleBytes(context.Background(), raw).MarshalBinary()
		if err != nil {
			p.log.Error("encode response", "err", err)
		}
		return b, err
	})
}

// HandleBytes decodes and handles one request.
func (p *Proxy) HandleBytes(ctx context.Context, raw []byte) *ReencryptResponse {
	req, err := ParseReencryptRequest(raw)
	if err != nil {
		p.counts[RefusedMalformed].Add(1)
		p.logEntry(ctx, AccessEntry{Time: p.cfg.Now(), Outcome: RefusedMalformed})
		return &ReencryptResponse{Outcome: RefusedMalformed, Message: err.Error()}
	}
	return p.Handle(ctx, req)
}

// Handle answers one decoded request.
func (p *Proxy) Handle(ctx context.Context, req *ReencryptRequest) *ReencryptResponse {
	now := p.cfg.Now()
	entry := AccessEntry{
		Time:    now,
		Grantee: req.Grantee.Hash(),
		GrantID: req.GrantID,
		Capsule: capsuleHash(req.Capsule),
		Purpose: req.Purpose,
	}
	resp, job := p.handle(ctx, req, now, &entry)
	if job == nil {
		entry.Outcome = resp.Outcome
		p.counts[resp.Outcome].Add(1)
		_ = p.logEntry(ctx, entry)
		return resp
	}
	// Granted: the entry goes to the log first; the cfrag is computed while
	// the log syncs, and leaves only once the entry is durable.
	entry.Outcome = Granted
	wait := func() error { return p.logEntry(ctx, entry) }
	if b, ok := p.cfg.Log.(interface {
		Begin(context.Context, AccessEntry) (func() error, error)
	}); ok {
		w, err := b.Begin(ctx, entry)
		if err != nil {
			w = func() error { return err }
		}
		wait = w
	}
	cf, rerr := reencrypt.ReEncrypt(p.cfg.Rand, req.Capsule, job.kfrag, job.binding)
	if err := wait(); err != nil {
		p.log.Error("access log append failed", "err", err)
		p.counts[RefusedInternal].Add(1)
		// No cfrag leaves the proxy unless its access is on record.
		return &ReencryptResponse{Outcome: RefusedInternal, Message: "access log unavailable"}
	}
	if rerr != nil {
		p.log.Error("re-encrypt", "grant", fmt.Sprintf("%x", req.GrantID[:8]), "err", rerr)
		entry.Outcome = RefusedInternal
		p.counts[RefusedInternal].Add(1)
		_ = p.logEntry(ctx, entry) // the log says granted, then that it failed
		return refuse(RefusedInternal, "re-encryption failed")
	}
	p.counts[Granted].Add(1)
	return &ReencryptResponse{Outcome: Granted, CFrag: cf}
}

// reencryptJob is a request that passed every check: what remains is the
// re-encryption itself.
type reencryptJob struct {
	kfrag   *reencrypt.KFrag
	binding reencrypt.RequestBinding
}

func (p *Proxy) logEntry(ctx context.Context, e AccessEntry) error {
	if err := p.cfg.Log.Append(ctx, e); err != nil {
		p.log.Error("access log append failed", "err", err)
		return err
	}
	return nil
}

func refuse(o Outcome, format string, args ...any) *ReencryptResponse {
	return &ReencryptResponse{Outcome: o, Message: fmt.Sprintf(format, args...)}
}

// handle runs every check; it returns a refusal, or the job to do.
func (p *Proxy) handle(ctx context.Context, req *ReencryptRequest, now time.Time, entry *AccessEntry) (*ReencryptResponse, *reencryptJob) {
	if !req.VerifySignature() {
		return refuse(RefusedBadSignature, "request signature does not verify with the grantee key"), nil
	}
	if !now.Before(req.Expires.Add(p.cfg.ClockSkew)) {
		return refuse(RefusedExpiredRequest, "request expired at %s", req.Expires.UTC().Format(time.RFC3339)), nil
	}
	if req.Expires.After(now.Add(p.cfg.MaxRequestLifetime)) {
		return refuse(RefusedExpiredRequest, "request expiry is more than %s ahead", p.cfg.MaxRequestLifetime), nil
	}
	binding := req.Binding()
	if !p.remember(binding.RequestID, req.Expires.Add(p.cfg.ClockSkew), now) {
		return refuse(RefusedReplay, "request was already answered"), nil
	}
	if !p.limiter(entry.Grantee).AllowN(now, 1) {
		return refuse(RefusedRateLimited, "too many requests for this grantee"), nil
	}
	g, err := p.checkGrant(ctx, req.GrantID, now)
	entry.StreamTag = p.streamOf(ctx, req.GrantID) // logged with refusals too (zero: no kfrag held)
	switch {
	case err == nil:
	case errors.Is(err, pointers.ErrUnknownGrant):
		return refuse(RefusedNoGrant, "no such grant on chain"), nil
	case errors.Is(err, pointers.ErrGrantRevoked):
		p.forget(ctx, req.GrantID)
		return refuse(RefusedRevoked, "grant revoked"), nil
	case errors.Is(err, pointers.ErrGrantNotYetValid):
		return refuse(RefusedNotYetValid, "grant opens %s", g.NotBefore.UTC().Format(time.RFC3339)), nil
	case errors.Is(err, pointers.ErrGrantExpired):
		p.forget(ctx, req.GrantID)
		return refuse(RefusedGrantExpired, "grant closed %s", g.NotAfter.UTC().Format(time.RFC3339)), nil
	default:
		p.log.Error("grant check failed", "grant", fmt.Sprintf("%x", req.GrantID[:8]), "err", err)
		return refuse(RefusedInternal, "grant could not be checked on chain"), nil
	}
	gh := req.Grantee.Hash()
	if subtle.ConstantTimeCompare(gh[:], g.GranteeKeyHash[:]) != 1 {
		return refuse(RefusedWrongGrantee, "the grant is for another grantee"), nil
	}
	isProxy := false
	for _, a := range g.Proxies {
		if a == p.cfg.Self {
			isProxy = true
		}
	}
	if !isProxy {
		return refuse(RefusedNotProxy, "this node is not a proxy of the grant"), nil
	}
	held, err := p.kfrag(ctx, g, req.Grantee)
	if err != nil {
		if errors.Is(err, ErrNoKFrag) {
			return refuse(RefusedNoKFrag, "this proxy holds no kfrag for the grant"), nil
		}
		p.log.Error("load kfrag", "grant", fmt.Sprintf("%x", req.GrantID[:8]), "err", err)
		return refuse(RefusedInternal, "kfrag unavailable"), nil
	}
	if !held.allows(req.Purpose) {
		return refuse(RefusedPurpose, "purpose %q is not one the patient consented to (%s)", req.Purpose, strings.Join(held.purposes, ", ")), nil
	}
	kf := held.forKey(req.Delegating)
	if kf == nil {
		return refuse(RefusedNoKFrag, "this proxy holds no kfrag of the grant for the stream key epoch of this batch"), nil
	}
	return nil, &reencryptJob{kfrag: kf, binding: binding}
}

// streamOf is the stream tag of the grant's kfrags held here (cached with
// the verified kfrags, else read from the vault), zero if none is held.
func (p *Proxy) streamOf(ctx context.Context, grant [32]byte) [32]byte {
	p.mu.Lock()
	held, ok := p.kfrags[grant]
	p.mu.Unlock()
	if ok {
		return held.stream
	}
	tag, err := p.cfg.Vault.KFragStream(ctx, grant)
	if err != nil {
		return [32]byte{}
	}
	return tag
}

// heldKFrag is a grant's verified kfrags, one per key epoch of its stream,
// and the purposes of use the grant allows (none listed: any purpose).
type heldKFrag struct {
	kfs      []*reencrypt.KFrag
	purposes []string
	stream   [32]byte // the stream tag, as the custodian delivered it and the grant's binding confirmed
}

func (h heldKFrag) allows(purpose string) bool {
	return len(h.purposes) == 0 || slices.Contains(h.purposes, purpose)
}

// forKey returns the kfrag whose delegating key is pk (the key epoch the
// request's capsule was made under), or nil.
func (h heldKFrag) forKey(pk *reencrypt.PublicKey) *reencrypt.KFrag {
	for _, kf := range h.kfs {
		if pk != nil && kf.DelegatingKey().Equal(pk) {
			return kf
		}
	}
	return nil
}

func (h heldKFrag) wipe() {
	for _, kf := range h.kfs {
		kf.Wipe()
	}
}

type cachedGrant struct {
	rec   pointers.GrantRecord
	block uint64
}

// checkGrant is Ledger.CheckGrant, answered from the grant as read at the
// current head when the head has not moved since: the same answer the chain
// would give, without re-reading and re-verifying the grant per request.
func (p *Proxy) checkGrant(ctx context.Context, id [32]byte, now time.Time) (pointers.GrantRecord, error) {
	if err := p.cfg.Ledger.CheckLive(ctx); err != nil {
		return pointers.GrantRecord{}, fmt.Errorf("grant %x: %w", id[:4], err)
	}
	head, err := p.head.Head(ctx)
	if err != nil {
		return pointers.GrantRecord{}, fmt.Errorf("chain head: %w", err)
	}
	p.mu.Lock()
	c, ok := p.grants[id]
	p.mu.Unlock()
	if !ok || c.block != head {
		rec, err := p.cfg.Ledger.CheckGrant(ctx, id, now)
		switch {
		case err == nil, errors.Is(err, pointers.ErrGrantNotYetValid), errors.Is(err, pointers.ErrGrantExpired):
			p.mu.Lock()
			if len(p.grants) > 100_000 {
				clear(p.grants)
			}
			p.grants[id] = cachedGrant{rec: rec, block: head}
			p.mu.Unlock()
		}
		return rec, err
	}
	g := c.rec
	switch {
	case g.Revoked:
		return g, fmt.Errorf("grant %x: %w", id[:4], pointers.ErrGrantRevoked)
	case now.Unix() < g.NotBefore.Unix():
		return g, fmt.Errorf("grant %x: %w", id[:4], pointers.ErrGrantNotYetValid)
	case now.Unix() >= g.NotAfter.Unix():
		return g, fmt.Errorf("grant %x: %w", id[:4], pointers.ErrGrantExpired)
	}
	return g, nil
}

// kfrag returns the verified kfrags of the grant, loading and verifying them
// from the vault on first use.
func (p *Proxy) kfrag(ctx context.Context, g pointers.GrantRecord, grantee GranteeKey) (heldKFrag, error) {
	p.mu.Lock()
	held, ok := p.kfrags[g.ID]
	p.mu.Unlock()
	if ok {
		if !held.kfs[0].ReceivingKey().Equal(grantee.PRE) {
			return heldKFrag{}, fmt.Errorf("%w: cached kfrag is for another receiving key", ErrNoKFrag)
		}
		return held, nil
	}
	raw, err := p.cfg.Vault.KFrag(ctx, g.ID)
	if err != nil {
		return heldKFrag{}, err
	}
	defer clear(raw)
	purposes, kbs, err := DecodeStoredKFrags(raw)
	if err != nil {
		return heldKFrag{}, fmt.Errorf("stored kfrag: %w", err)
	}
	stream, err := p.cfg.Vault.KFragStream(ctx, g.ID)
	if err != nil {
		return heldKFrag{}, err
	}
	held = heldKFrag{purposes: purposes, stream: stream}
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	for _, kb := range kbs {
		kf, err := reencrypt.ParseKFrag(kb)
		if err != nil {
			held.wipe()
			return heldKFrag{}, fmt.Errorf("stored kfrag: %w", err)
		}
		held.kfs = append(held.kfs, kf)
		if err := kf.Verify(g.SignerKey, kf.DelegatingKey(), grantee.PRE, binding); err != nil {
			held.wipe()
			return heldKFrag{}, fmt.Errorf("%w: stored kfrag does not verify for this grant and grantee: %v", ErrNoKFrag, err)
		}
	}
	p.mu.Lock()
	if old, ok := p.kfrags[g.ID]; ok {
		held.wipe()
		held = old
	} else {
		p.kfrags[g.ID] = held
	}
	p.mu.Unlock()
	return held, nil
}

// Reload makes the proxy read grant's kfrags from the vault again on the
// next request (after kfrags for a new key epoch were stored there).
func (p *Proxy) Reload(grant [32]byte) { p.dropHeld(grant) }

// dropHeld forgets the verified kfrags of grant kept in memory.
func (p *Proxy) dropHeld(grant [32]byte) {
	p.mu.Lock()
	if held, ok := p.kfrags[grant]; ok {
		held.wipe()
		delete(p.kfrags, grant)
	}
	p.mu.Unlock()
}

// Forget drops the proxy's kfrag for grant, in memory and in the vault. It is
// called when the grant is revoked or expires, or its patient is erased.
func (p *Proxy) Forget(ctx context.Context, grant [32]byte) (bool, error) {
	p.dropHeld(grant)
	return p.cfg.Vault.DeleteKFrag(ctx, grant)
}

func (p *Proxy) forget(ctx context.Context, grant [32]byte) {
	if _, err := p.Forget(ctx, grant); err != nil {
		p.log.Error("delete kfrag of a dead grant", "grant", fmt.Sprintf("%x", grant[:8]), "err", err)
	}
}

// ForgetStream drops every kfrag of the stream (erasure).
func (p *Proxy) ForgetStream(ctx context.Context, streamTag [32]byte, grants [][32]byte) (int, error) {
	for _, g := range grants {
		p.dropHeld(g)
	}
	return p.cfg.Vault.DeleteStreamKFrags(ctx, streamTag)
}

// remember records a request id until its expiry and reports whether it was
// new.
func (p *Proxy) remember(id [32]byte, until, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.After(p.nextGC) {
		for k, exp := range p.seen {
			if now.After(exp) {
				delete(p.seen, k)
			}
		}
		p.nextGC = now.Add(time.Second)
	}
	if _, dup := p.seen[id]; dup {
		return false
	}
	p.seen[id] = until
	return true
}

// maxLimiters bounds the per-grantee limiters a proxy keeps: anyone can make
// grantee keys (a request is checked against its grant only after the rate
// limit), so the map must not grow with them.
const maxLimiters = 10_000

// limiter returns the rate limiter of grantee. When the proxy already keeps
// maxLimiters, it first forgets the idle ones (a full bucket is what a new
// limiter would be); if all are busy, new grantees share one overflow
// limiter, so a flood of fresh keys is limited as one client.
func (p *Proxy) limiter(grantee [32]byte) *rate.Limiter {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.limiters[grantee]; ok {
		return l
	}
	if len(p.limiters) >= maxLimiters {
		// One sweep per second at most: while a flood keeps the map full,
		// a sweep per request would cost O(maxLimiters) each.
		if now := p.cfg.Now(); !now.Before(p.nextSweep) {
			for k, l := range p.limiters {
				if l.TokensAt(now) >= float64(p.cfg.Burst) {
					delete(p.limiters, k)
				}
			}
			p.nextSweep = now.Add(time.Second)
		}
		if len(p.limiters) >= maxLimiters {
			if p.overflow == nil {
				p.overflow = rate.NewLimiter(p.cfg.RatePerGrantee, p.cfg.Burst)
			}
			return p.overflow
		}
	}
	l := rate.NewLimiter(p.cfg.RatePerGrantee, p.cfg.Burst)
	p.limiters[grantee] = l
	return l
}

// RequestCFrag sends a signed request to the proxy at pid and returns its
// verified-shape response; a refusal is returned as *RefusalError.
func RequestCFrag(ctx context.Context, h host.Host, pid peer.ID, req *ReencryptRequest) (*reencrypt.CFrag, error) {
	raw, err := req.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b, err := roundTrip(ctx, h, pid, ReencryptProtocol, raw)
	if err != nil {
		return nil, fmt.Errorf("p2p: request to %s: %w", pid, err)
	}
	resp, err := ParseReencryptResponse(b)
	if err != nil {
		return nil, fmt.Errorf("p2p: response from %s: %w", pid, err)
	}
	if resp.Outcome != Granted {
		return nil, &RefusalError{Outcome: resp.Outcome, Message: resp.Message}
	}
	return resp.CFrag, nil
}
