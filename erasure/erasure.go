package erasure

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vaultnode/vaultnode/internal/atomicfile"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// Limits of a request.
const (
	MaxRequestRefLen = 256
	MaxReasonLen     = 2048
)

var (
	// ErrBadRequest: the request is malformed (empty or over-long reference,
	// reason not UTF-8, ...). Nothing was done.
	ErrBadRequest = errors.New("bad erasure request")
	// ErrConflict: an erasure of this patient is already journaled under
	// another request reference, or the subject was erased on-chain with
	// another record.
	ErrConflict = errors.New("conflicting erasure")
	// ErrVerifyFailed: after the purge, a probe found something of the
	// patient still served. The erasure stays journaled; running it again
	// re-sends the purge order to every member and verifies again.
	ErrVerifyFailed = errors.New("erasure verification failed")
	// ErrNoJournal: no erasure is journaled under that id.
	ErrNoJournal = errors.New("no such erasure")
)

// RevokeSigner produces the patient side's signature over a grant's
// revocation message (pointers.Client.RevokeMessage). The custodian acts on
// the patient's signed consent and holds the patient-side grant signer;
// the signer is asked before the patient's keys are destroyed, so a signer
// kept with the patient's keys still works.
type RevokeSigner interface {
	SignRevoke(ctx context.Context, grant pointers.GrantRecord, msg []byte) ([]byte, error)
}

// Ed25519Signer is a RevokeSigner holding the patient-side Ed25519 grant
// signing key. It refuses grants recorded under another signer key.
type Ed25519Signer ed25519.PrivateKey

// SignRevoke signs msg when the grant was recorded under this key.
func (s Ed25519Signer) SignRevoke(_ context.Context, g pointers.GrantRecord, msg []byte) ([]byte, error) {
	pub := ed25519.PrivateKey(s).Public().(ed25519.PublicKey)
	if subtle.ConstantTimeCompare(pub, g.SignerKey) != 1 {
		return nil, fmt.Errorf("grant %x was signed by another patient-side key", g.ID[:8])
	}
	return ed25519.Sign(ed25519.PrivateKey(s), msg), nil
}

// SignerKey is the public key grants signed by s carry.
func (s Ed25519Signer) SignerKey() ed25519.PublicKey {
	return ed25519.PrivateKey(s).Public().(ed25519.PublicKey)
}

// GrantFinder lists the ids of the grants ever recorded for the given stream
// tags (live, expired or revoked).
type GrantFinder func(ctx context.Context, streamTags [][32]byte) ([][32]byte, error)

// Config wires an Eraser to the custodian node's parts.
type Config struct {
	// Dir holds the erasure journals and certificates (e.g. repo/erasures).
	// Required.
	Dir string
	// Keys is the custodian's keystore. Required.
	Keys *keys.Keystore
	// Chain is the chain client of the custodian node. Required.
	Chain *pointers.Client
	// Node is the custodian's storage peer. Required.
	Node *p2p.Node
	// Purger purges the custodian's own store and proxy (the custodian is a
	// member like the others). Required.
	Purger *p2p.Purger
	// Store is the custodian's store: its pins of the patient's streams are
	// added to the purge order. Optional.
	Store *store.Store
	// Proxy is the custodian's own re-encryption proxy, probed directly
	// during verification (a host cannot dial itself). Optional.
	Proxy *p2p.Proxy
	// Grants finds the patient's grants (Art. 19). Required.
	Grants GrantFinder
	// Accesses, when set, counts the granted re-encryptions the proxies'
	// access logs record per grant on the given streams (the custodian's own
	// and every member's it can ask), and says whose logs it read; the
	// certificate lists with each recipient whether it actually fetched.
	Accesses func(ctx context.Context, streamTags [][32]byte) (counts map[Hex32]int, from string, err error)
	// RevokeSigner signs the revocations of the patient's live grants.
	// Required when the patient has live grants.
	RevokeSigner RevokeSigner
	// Members lists the peers to order the purge to; default: every active
	// member on-chain with a peer id.
	Members func(ctx context.Context) ([]peer.ID, error)
	// PurgeTimeout bounds one peer's purge (default 60 s); a peer that does
	// not answer in time is listed as pending.
	PurgeTimeout time.Duration
	// ProbeTimeout bounds the verification probes (default 1 s): a block
	// fetch that gets nothing within it counts as not served.
	ProbeTimeout time.Duration
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger

	// failAfter, in tests, is called after each step's action, before the
	// journal records it: returning an error simulates a crash there.
	failAfter func(Step) error
}

// Eraser runs erasures and refusals for one custodian node.
type Eraser struct {
	cfg Config
	id  crypto.PrivKey
	log *slog.Logger
	mu  sync.Mutex // one erasure step sequence at a time
}

// New checks cfg and returns an Eraser. It does not resume anything; call
// ResumeAll at start.
func New(cfg Config) (*Eraser, error) {
	if cfg.Dir == "" || cfg.Keys == nil || cfg.Chain == nil || cfg.Node == nil || cfg.Purger == nil || cfg.Grants == nil {
		return nil, errors.New("erasure: config needs Dir, Keys, Chain, Node, Purger and Grants")
	}
	if cfg.PurgeTimeout <= 0 {
		cfg.PurgeTimeout = 60 * time.Second
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("erasure: dir: %w", err)
	}
	id, err := cfg.Keys.NodeIdentity()
	if err != nil {
		return nil, fmt.Errorf("erasure: node identity: %w", err)
	}
	return &Eraser{cfg: cfg, id: id, log: cfg.Logger.With("component", "erasure")}, nil
}

// Request is a data subject's erasure request (GDPR Art. 17).
type Request struct {
	Patient    keys.Pseudonym
	RequestRef string    // the DPO's reference of the request (ticket, letter); 1..256 bytes
	Reason     string    // free text, optional
	Received   time.Time // when the request was received (default now); the deadline is one month later
}

// Result is the outcome of an erasure.
type Result struct {
	ID          Hex32
	Certificate []byte // the signed certificate JSON (also written to Dir)
	Pending     []peer.ID
	Cert        *Certificate
}

// ID returns the erasure id of a patient: a hash of its subject tag.
func (e *Eraser) ID(p keys.Pseudonym) Hex32 { return erasureID(Hex32(e.cfg.Keys.SubjectTag(p))) }

// CertificatePath is where the certificate of erasure id is written.
func (e *Eraser) CertificatePath(id Hex32) string { return certPath(e.cfg.Dir, id) }

func (r *Request) validate() error {
	if r.RequestRef == "" || len(r.RequestRef) > MaxRequestRefLen || !utf8.ValidString(r.RequestRef) {
		return fmt.Errorf("%w: request reference must be 1..%d bytes of UTF-8", ErrBadRequest, MaxRequestRefLen)
	}
	if len(r.Reason) > MaxReasonLen || !utf8.ValidString(r.Reason) {
		return fmt.Errorf("%w: reason must be at most %d bytes of UTF-8", ErrBadRequest, MaxReasonLen)
	}
	for _, c := range r.RequestRef {
		if c < 0x20 || c == 0x7f {
			return fmt.Errorf("%w: request reference holds control characters", ErrBadRequest)
		}
	}
	return nil
}

// Erase erases a patient everywhere and returns the signed certificate:
// (1) journal the request, (2) revoke the patient's grants on-chain,
// (3) destroy the keys, (4) order every member to purge, (5) record the
// erasure on-chain, (6) verify, (7) certify. Each step is journaled when
// done; calling Erase again with the same request (after a crash, or when
// done) resumes or returns the same certificate. A request with another
// reference for a patient already being erased is ErrConflict.
func (e *Eraser) Erase(ctx context.Context, req Request) (*Result, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	id := e.ID(req.Patient)
	j, err := loadJournal(e.cfg.Dir, id)
	switch {
	case err == nil:
		if j.RequestRef != req.RequestRef {
			return nil, fmt.Errorf("%w: patient already being erased under request %q", ErrConflict, j.RequestRef)
		}
	case errors.Is(err, os.ErrNotExist):
		if j, err = e.open(ctx, id, req); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("erasure: %w", err)
	}
	return e.run(ctx, j)
}

// Resume finishes the journaled erasure id (it needs no pseudonym once the
// keys are destroyed; before that the journal holds it).
func (e *Eraser) Resume(ctx context.Context, id Hex32) (*Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := loadJournal(e.cfg.Dir, id)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoJournal, id)
	}
	if err != nil {
		return nil, fmt.Errorf("erasure: %w", err)
	}
	return e.run(ctx, j)
}

// ResumeRequest finishes (or returns the certificate of) the erasure made
// for request reference ref: after the keys are destroyed the patient can
// no longer be named, but the DPO still holds the request's reference.
// ErrNoJournal when no erasure has that reference.
func (e *Eraser) ResumeRequest(ctx context.Context, ref string) (*Result, error) {
	e.mu.Lock()
	j, err := e.journalOfRequest(ref)
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return e.Resume(ctx, j.ID)
}

// findJournal returns the first journal in Dir that match accepts, or nil.
// The caller holds e.mu.
func (e *Eraser) findJournal(match func(*journal) (bool, error)) (*journal, error) {
	ids, err := listJournals(e.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("erasure: list journals: %w", err)
	}
	for _, id := range ids {
		j, err := loadJournal(e.cfg.Dir, id)
		if err != nil {
			return nil, fmt.Errorf("erasure: %w", err)
		}
		if ok, err := match(j); err != nil || ok {
			return j, err
		}
	}
	return nil, nil
}

// journalOfRequest is the journal of the erasure made for request
// reference ref (ErrNoJournal if none). The caller holds e.mu.
func (e *Eraser) journalOfRequest(ref string) (*journal, error) {
	j, err := e.findJournal(func(j *journal) (bool, error) { return j.RequestRef == ref, nil })
	if err == nil && j == nil {
		err = fmt.Errorf("%w: no erasure for request %q", ErrNoJournal, ref)
	}
	return j, err
}

// ResumeAll finishes every interrupted erasure in Dir (call it at daemon
// start) and returns the ids it finished.
func (e *Eraser) ResumeAll(ctx context.Context) ([]Hex32, error) {
	ids, err := listJournals(e.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("erasure: list journals: %w", err)
	}
	var done []Hex32
	for _, id := range ids {
		e.mu.Lock()
		j, err := loadJournal(e.cfg.Dir, id)
		e.mu.Unlock()
		if err != nil {
			return done, fmt.Errorf("erasure: %w", err)
		}
		if j.Step == StepCertified {
			continue
		}
		if _, err := e.Resume(ctx, id); err != nil {
			return done, err
		}
		done = append(done, id)
	}
	return done, nil
}

// open takes the inventory that must be read while the keys still exist
// and journals the request.
func (e *Eraser) open(ctx context.Context, id Hex32, req Request) (*journal, error) {
	ks := e.cfg.Keys
	pt, err := ks.Patient(ctx, req.Patient)
	if err != nil {
		return nil, fmt.Errorf("erasure: patient: %w", err)
	}
	streams, err := ks.Streams(ctx, req.Patient)
	if err != nil {
		return nil, fmt.Errorf("erasure: streams: %w", err)
	}
	ids, err := ks.KeyIDs(ctx, req.Patient)
	if err != nil {
		return nil, fmt.Errorf("erasure: key ids: %w", err)
	}
	received := req.Received
	if received.IsZero() {
		received = e.cfg.Now()
	}
	received = received.UTC()
	salt, err := refSalt(e.id, req.RequestRef)
	if err != nil {
		return nil, fmt.Errorf("erasure: %w", err)
	}
	pn, _ := req.Patient.MarshalText()
	j := &journal{Version: journalVersion, ID: id, Step: StepOpened, Pseudonym: string(pn), SubjectTag: Hex32(pt.SubjectTag),
		RequestRef: req.RequestRef, RequestRefSalt: salt, Reason: req.Reason, Received: received, Deadline: received.AddDate(0, 1, 0)}
	j.ChainSecrets = map[Hex32]Hex32{}
	for _, s := range streams {
		j.Streams = append(j.Streams, CertStream{Name: s.Name, Tag: Hex32(s.Tag)})
		j.ChainSecrets[Hex32(s.Tag)] = Hex32(s.ChainSecret)
	}
	for _, k := range ids {
		j.KeyIDs = append(j.KeyIDs, Hex32(k))
	}
	if err := e.fail(StepOpened); err != nil {
		return nil, err
	}
	if err := saveJournal(e.cfg.Dir, j); err != nil {
		return nil, fmt.Errorf("erasure: journal: %w", err)
	}
	e.log.Info("erasure opened", "erasure", id.String()[:16], "deadline", j.Deadline.Format(time.DateOnly))
	return j, nil
}

func (e *Eraser) fail(s Step) error {
	if e.cfg.failAfter != nil {
		return e.cfg.failAfter(s)
	}
	return nil
}

func (e *Eraser) advance(j *journal, s Step) error {
	if err := e.fail(s); err != nil {
		return err
	}
	j.Step = s
	if err := saveJournal(e.cfg.Dir, j); err != nil {
		return fmt.Errorf("erasure: journal: %w", err)
	}
	e.log.Info("erasure step done", "erasure", j.ID.String()[:16], "step", s.String())
	return nil
}

func (e *Eraser) run(ctx context.Context, j *journal) (*Result, error) {
	steps := []struct {
		s  Step
		fn func(context.Context, *journal) error
	}{
		{StepRevoked, e.revoke},
		{StepDestroyed, e.destroy},
		{StepPurged, e.purge},
		{StepRecorded, e.record},
		{StepVerified, e.verify},
		{StepCertified, e.certify},
	}
	for _, st := range steps {
		if j.Step >= st.s {
			continue
		}
		if err := st.fn(ctx, j); err != nil {
			return nil, fmt.Errorf("erasure %s: step %s: %w", j.ID.String()[:16], st.s, err)
		}
		if err := e.advance(j, st.s); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(certPath(e.cfg.Dir, j.ID))
	if err != nil {
		return nil, fmt.Errorf("erasure: read certificate: %w", err)
	}
	c, err := ParseCertificate(b)
	if err != nil {
		return nil, err
	}
	res := &Result{ID: j.ID, Certificate: b, Cert: c}
	for _, s := range j.Pending {
		if id, err := peer.Decode(s); err == nil {
			res.Pending = append(res.Pending, id)
		}
	}
	return res, nil
}

func (j *journal) tags() [][32]byte {
	out := make([][32]byte, len(j.Streams))
	for i, s := range j.Streams {
		out[i] = s.Tag
	}
	return out
}

// streamOf is the tag of the patient's stream the grant's on-chain binding
// names (zero if none of them).
func (j *journal) streamOf(g pointers.Grant) Hex32 {
	for _, t := range j.tags() {
		if pointers.GrantKeyOf(t).Binds(g.ID, g.StreamBinding) {
			return Hex32(t)
		}
	}
	return Hex32{}
}

// statusRevocationPending: the grant's revocation is journaled, not yet on chain.
const statusRevocationPending = "revocation-pending"

// revoke (step 2): revoke every grant of the patient's streams that is not
// revoked yet, and list the recipients (Art. 19).
func (e *Eraser) revoke(ctx context.Context, j *journal) error {
	ids, err := e.cfg.Grants(ctx, j.tags())
	if err != nil {
		return fmt.Errorf("find grants: %w", err)
	}
	known := map[Hex32]bool{}
	for _, r := range j.Recipients {
		known[r.GrantID] = true
	}
	for _, id := range ids {
		if known[id] {
			continue
		}
		g, err := e.cfg.Chain.GetGrant(ctx, id)
		if own, ok := e.cfg.RevokeSigner.(interface{ SignerKey() ed25519.PublicKey }); err != nil && pointers.IsUnavailable(err) && ok {
			// The chain is away. The grants found without it come from this
			// node's own index (it signed them): the revocation is signed and
			// journaled now and settled at the record step, where the grant's
			// details are read.
			g.ID, g.SignerKey = id, own.SignerKey()
			sig, serr := e.cfg.RevokeSigner.SignRevoke(ctx, g, e.cfg.Chain.RevokeMessage(id))
			if serr != nil {
				return fmt.Errorf("sign revocation of grant %x: %w", id[:8], serr)
			}
			if _, rerr := e.cfg.Chain.Revoke(ctx, id, sig); rerr != nil && !errors.Is(rerr, pointers.ErrPending) {
				return fmt.Errorf("revoke grant %x: %w", id[:8], rerr)
			}
			j.Recipients = append(j.Recipients, Recipient{GrantID: id, Status: statusRevocationPending})
			known[id] = true
			continue
		}
		if err != nil {
			return fmt.Errorf("grant %x: %w", id[:8], err)
		}
		r := Recipient{GrantID: id, StreamTag: j.streamOf(g.Grant), Grantee: g.GranteeKeyHash, Status: "already-revoked"}
		if !g.Revoked {
			if e.cfg.RevokeSigner == nil {
				return fmt.Errorf("grant %x is live and no revoke signer is configured", id[:8])
			}
			sig, err := e.cfg.RevokeSigner.SignRevoke(ctx, g, e.cfg.Chain.RevokeMessage(id))
			if err != nil {
				return fmt.Errorf("sign revocation of grant %x: %w", id[:8], err)
			}
			rc, err := e.cfg.Chain.Revoke(ctx, id, sig)
			switch {
			case err == nil:
				r.Status, r.RevokeTx = "revoked", rc.TxHash.Hex()
			case errors.Is(err, pointers.ErrGrantRevoked):
				// revoked by a run cut short before its journal entry
				r.Status = "revoked"
			case errors.Is(err, pointers.ErrPending):
				// The chain has stalled: the revocation is journaled and sent when it
				// makes blocks again; proxies refuse meanwhile. record settles it.
				r.Status = statusRevocationPending
			default:
				return fmt.Errorf("revoke grant %x: %w", id[:8], err)
			}
		}
		j.Recipients = append(j.Recipients, r)
		known[id] = true
	}
	sort.Slice(j.Recipients, func(a, b int) bool { return j.Recipients[a].GrantID.String() < j.Recipients[b].GrantID.String() })
	if e.cfg.Accesses != nil && len(j.Recipients) > 0 {
		// Art. 19: whether each recipient actually received the data, as the
		// proxies' hash-chained access logs record it.
		counts, asked, err := e.cfg.Accesses(ctx, j.tags())
		if err != nil {
			e.log.Warn("recipients' accesses not counted", "err", err)
		} else {
			for i := range j.Recipients {
				n := counts[j.Recipients[i].GrantID]
				j.Recipients[i].Accesses = &n
			}
			j.AccessesFrom = asked
		}
	}
	return nil
}

// destroy (step 3): destroy the keys physically, check they are unusable,
// and drop the pseudonym from the journal.
func (e *Eraser) destroy(ctx context.Context, j *journal) error {
	p, err := keys.ParsePseudonym(j.Pseudonym)
	if err != nil {
		return fmt.Errorf("journal pseudonym: %w", err)
	}
	ids, err := e.cfg.Keys.Destroy(ctx, p)
	if err != nil {
		return fmt.Errorf("destroy keys: %w", err)
	}
	d, ok, err := e.cfg.Keys.Destroyed(ctx, p)
	if err != nil || !ok {
		return fmt.Errorf("destroy keys: no destruction record after Destroy (%v)", err)
	}
	j.KeyIDs = j.KeyIDs[:0]
	for _, k := range ids {
		j.KeyIDs = append(j.KeyIDs, Hex32(k))
	}
	j.KeysDestroyed = d.Destroyed.UTC()
	// Nothing left that decrypts: every stream key and the patient are gone.
	usable := 0
	for _, s := range j.Streams {
		if sk, err := e.cfg.Keys.StreamSecretKey(ctx, p, s.Name); err == nil {
			sk.Wipe()
			usable++
		} else if !errors.Is(err, keys.ErrDestroyed) {
			return fmt.Errorf("probe stream key %s: %w", s.Name, err)
		}
	}
	_, perr := e.cfg.Keys.Patient(ctx, p)
	j.Checks = append(j.Checks[:0], Check{Name: "keys-unusable", OK: usable == 0 && errors.Is(perr, keys.ErrDestroyed),
		Detail: fmt.Sprintf("%d key(s) destroyed; %d of %d stream keys still usable; patient lookup: %v", len(ids), usable, len(j.Streams), errText(perr))})
	if usable != 0 {
		return fmt.Errorf("%w: %d stream keys still usable after Destroy", ErrVerifyFailed, usable)
	}
	// The pseudonym and the stream names go with the keys: from here on the
	// journal and the certificate know the streams by their tags only.
	j.Pseudonym = ""
	for i := range j.Streams {
		j.Streams[i].Name = ""
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return "found"
	}
	if errors.Is(err, keys.ErrDestroyed) {
		return "destroyed"
	}
	return err.Error()
}

// purge (step 4): build and journal the signed purge order (once), purge
// the custodian itself, then every other member; peers that do not answer
// are pending.
func (e *Eraser) purge(ctx context.Context, j *journal) error {
	if len(j.Order) == 0 {
		roots, err := e.roots(ctx, j)
		if err != nil {
			return err
		}
		o := &p2p.PurgeOrder{SubjectTag: j.SubjectTag, Issued: e.cfg.Now().UTC(), StreamTags: j.tags(), Roots: roots}
		for _, r := range j.Recipients {
			o.Grants = append(o.Grants, r.GrantID)
		}
		if err := o.Sign(e.id); err != nil {
			return err
		}
		if j.Order, err = o.MarshalBinary(); err != nil {
			return err
		}
		// The order is fixed once journaled: a resumed run sends the same
		// order, so every acknowledgement names the same hash.
		if err := saveJournal(e.cfg.Dir, j); err != nil {
			return fmt.Errorf("journal order: %w", err)
		}
	}
	order, err := p2p.ParsePurgeOrder(j.Order)
	if err != nil {
		return fmt.Errorf("journaled order: %w", err)
	}
	members, err := e.members(ctx)
	if err != nil {
		return err
	}
	acked := map[peer.ID]bool{}
	if j.VerifyFailures == 0 {
		for _, ab := range j.Acks {
			if a, err := p2p.ParsePurgeAck(ab); err == nil {
				acked[a.Peer] = true
			}
		}
	} else {
		j.Acks = nil // after a failed verification every member purges again
	}
	self := e.cfg.Node.ID()
	var targets []peer.ID
	if !acked[self] {
		targets = append(targets, self)
	}
	for _, m := range members {
		if m != self && !acked[m] {
			targets = append(targets, m)
		}
	}
	type res struct {
		id  peer.ID
		ack *p2p.PurgeAck
		err error
	}
	out := make(chan res, len(targets))
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if t == self {
				a, err := e.cfg.Purger.Execute(ctx, order)
				out <- res{t, a, err}
				return
			}
			a, err := p2p.SendPurgeOrder(ctx, e.cfg.Node.Host, t, order, e.cfg.PurgeTimeout)
			out <- res{t, a, err}
		}()
	}
	wg.Wait()
	close(out)
	var pending []string
	for r := range out {
		if r.err != nil {
			if r.id == self {
				return fmt.Errorf("purge the custodian's own store: %w", r.err)
			}
			e.log.Warn("peer did not purge; pending", "peer", r.id.String(), "err", r.err)
			pending = append(pending, r.id.String())
			continue
		}
		ab, _ := r.ack.MarshalBinary()
		j.Acks = append(j.Acks, ab)
	}
	sort.Strings(pending)
	j.Pending = pending
	return nil
}

// streamCommitments lists a stream's commitments with the chain secret the
// journal kept for it (none: a journal of an erasure opened before chain
// secrets existed, or already recorded).
func (e *Eraser) streamCommitments(ctx context.Context, j *journal, tag Hex32) ([]pointers.CommittedBatch, error) {
	secret, ok := j.ChainSecrets[tag]
	if !ok {
		return nil, nil
	}
	return e.cfg.Chain.StreamCommitments(ctx, pointers.StreamSecret(secret), e.cfg.Chain.Account())
}

// roots lists the patient's batches: the chain commitments of its streams
// and the custodian's pins whose root header carries one of its stream tags.
func (e *Eraser) roots(ctx context.Context, j *journal) ([]cid.Cid, error) {
	seen := map[cid.Cid]bool{}
	var out []cid.Cid
	for i, s := range j.Streams {
		cs, err := e.streamCommitments(ctx, j, s.Tag)
		if err != nil && pointers.IsUnavailable(err) {
			// Without the chain the order names the batches pinned here;
			// every peer also purges what it pins under the stream tags.
			// The batch count is taken at the record step.
			e.log.Warn("chain unreachable: purge order lists the batches pinned here", "stream", s.Name, "err", err)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("commitments of stream %s: %w", s.Name, err)
		}
		j.Streams[i].Batches = len(cs)
		for _, c := range cs {
			r, err := cid.Cast(c.RootCID)
			if err != nil || seen[r] {
				continue
			}
			seen[r] = true
			out = append(out, r)
		}
	}
	if e.cfg.Store != nil {
		for _, t := range j.tags() {
			rs, err := e.cfg.Store.RootsOfStream(ctx, t)
			if err != nil {
				return nil, fmt.Errorf("local batches of a stream: %w", err)
			}
			for _, r := range rs {
				if !seen[r] {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
	}
	if len(out) > p2p.MaxOrderRoots {
		// Peers find the rest through their stores' per-stream index.
		out = out[:p2p.MaxOrderRoots]
	}
	return out, nil
}

func (e *Eraser) members(ctx context.Context) ([]peer.ID, error) {
	if e.cfg.Members != nil {
		return e.cfg.Members(ctx)
	}
	ms, err := e.cfg.Chain.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	var out []peer.ID
	for _, m := range ms {
		if !m.Active {
			continue
		}
		if id, err := peer.IDFromBytes(m.PeerID); err == nil {
			out = append(out, id)
		}
	}
	return out, nil
}

// record (step 5): the on-chain deletion record.
//
// A record this erasure already made (sent from the chain journal after an
// outage, or by a run cut short before its journal entry) is adopted, not
// sent twice. While the chain cannot be reached the record is journaled
// and the error wraps pointers.ErrPending: the keys are destroyed and the
// purge ordered already; the daemon finishes the erasure (record, verify,
// certify) when the chain answers.
func (e *Eraser) record(ctx context.Context, j *journal) error {
	commit := KeyIDsCommitment(j.KeyIDs)
	refHash := RequestRefHash(j.RequestRefSalt, j.RequestRef)
	order, err := p2p.ParsePurgeOrder(j.Order)
	if err != nil {
		return fmt.Errorf("journaled order: %w", err)
	}
	orderHash, err := order.Hash()
	if err != nil {
		return fmt.Errorf("journaled order: %w", err)
	}
	rec, err := e.cfg.Chain.LookupErasure(ctx, j.SubjectTag)
	switch {
	case err == nil && rec.RequestRefHash == refHash && rec.KeyIDsCommitment == commit && rec.PurgeOrderHash == orderHash && rec.Block != 0:
		// ours, already on chain
	case err == nil:
		return fmt.Errorf("%w: the subject has another deletion record on-chain (block %d)", ErrConflict, rec.Block)
	case errors.Is(err, pointers.ErrUnknownErasure):
		if j.RecordJournaled && e.cfg.Chain.PendingWrites() > 0 {
			return fmt.Errorf("record erasure: %w (sent from the chain journal)", pointers.ErrPending)
		}
		_, err = e.cfg.Chain.RecordErasure(ctx, j.SubjectTag, commit, refHash, orderHash)
		if errors.Is(err, pointers.ErrPending) {
			j.RecordJournaled = true
			if serr := saveJournal(e.cfg.Dir, j); serr != nil {
				return fmt.Errorf("erasure: journal: %w", serr)
			}
		}
		if errors.Is(err, pointers.ErrAlreadyErased) {
			return fmt.Errorf("%w: the subject has another deletion record on-chain: %w", ErrConflict, err)
		}
		if err != nil {
			return fmt.Errorf("record erasure: %w", err)
		}
		if rec, err = e.cfg.Chain.LookupErasure(ctx, j.SubjectTag); err != nil {
			return fmt.Errorf("read back erasure record: %w", err)
		}
	case pointers.IsUnavailable(err):
		// Not even readable: journal the record now, so that it is sent the moment the chain answers.
		if !j.RecordJournaled {
			if _, werr := e.cfg.Chain.RecordErasure(ctx, j.SubjectTag, commit, refHash, orderHash); werr != nil && !errors.Is(werr, pointers.ErrPending) {
				return fmt.Errorf("record erasure: %w", werr)
			}
			j.RecordJournaled = true
			if serr := saveJournal(e.cfg.Dir, j); serr != nil {
				return fmt.Errorf("erasure: journal: %w", serr)
			}
		}
		return fmt.Errorf("record erasure: %w (%v)", pointers.ErrPending, err)
	default:
		return fmt.Errorf("look up erasure record: %w", err)
	}
	for i, st := range j.Streams {
		if st.Batches == 0 {
			cs, err := e.streamCommitments(ctx, j, st.Tag)
			if err != nil {
				return fmt.Errorf("commitments of stream %s: %w", st.Tag, err)
			}
			j.Streams[i].Batches = len(cs)
		}
	}
	j.ChainSecrets = nil // counted: nothing needs to find the streams' commitments any more
	// Revocations journaled during an outage have landed by now (the chain
	// journal sends writes in order) or are still on their way.
	for i := range j.Recipients {
		r := &j.Recipients[i]
		if r.Status != statusRevocationPending {
			continue
		}
		g, err := e.cfg.Chain.GetGrant(ctx, r.GrantID)
		if err != nil {
			return fmt.Errorf("grant %x: %w", r.GrantID[:8], err)
		}
		if !g.Revoked {
			return fmt.Errorf("revocation of grant %x: %w", r.GrantID[:8], pointers.ErrPending)
		}
		r.Status, r.StreamTag, r.Grantee = "revoked", j.streamOf(g.Grant), g.GranteeKeyHash
	}
	// Every member at the record's block could hold the patient's data: one
	// that joined after the order went out is ordered to purge too (pending
	// until it acknowledges), so the certificate accounts for all of them.
	ms, err := e.cfg.Chain.MembersAt(ctx, rec.Block)
	if err != nil {
		return fmt.Errorf("members at block %d: %w", rec.Block, err)
	}
	accounted := map[string]bool{}
	for _, s := range j.Pending {
		accounted[s] = true
	}
	for _, ab := range j.Acks {
		if a, err := p2p.ParsePurgeAck(ab); err == nil {
			accounted[a.Peer.String()] = true
		}
	}
	for _, m := range ms {
		if id, err := peer.IDFromBytes(m.PeerID); err == nil && !accounted[id.String()] {
			j.Pending = append(j.Pending, id.String())
			accounted[id.String()] = true
		}
	}
	sort.Strings(j.Pending)
	addrs := e.cfg.Chain.Contracts()
	j.Chain = &ChainRef{ChainID: addrs.ChainID, Registry: addrs.Erasures.Hex(), Consortium: addrs.Consortium.Hex(), Grants: addrs.Grants.Hex(),
		DeployBlock: addrs.DeployBlock, TxHash: rec.TxHash.Hex(), Block: rec.Block, BlockHash: rec.BlockHash.Hex(), DPO: rec.DPO.Hex(), Time: rec.Time.UTC()}
	return nil
}

// verify (step 6): probe that nothing of the patient is served any more.
func (e *Eraser) verify(ctx context.Context, j *journal) error {
	order, err := p2p.ParsePurgeOrder(j.Order)
	if err != nil {
		return fmt.Errorf("journaled order: %w", err)
	}
	checks := []Check{}
	for _, c := range j.Checks {
		if c.Name == "keys-unusable" {
			checks = append(checks, c)
		}
	}
	pending := map[peer.ID]bool{}
	for _, s := range j.Pending {
		if id, err := peer.Decode(s); err == nil {
			pending[id] = true
		}
	}
	blocksCheck := e.probeBlocks(ctx, order.Roots)
	cfragCheck := e.probeCFrags(ctx, j, pending)
	checks = append(checks, blocksCheck, cfragCheck)
	j.Checks = checks
	if !blocksCheck.OK || !cfragCheck.OK {
		j.VerifyFailures++
		j.Step = StepDestroyed // the next run purges every member again
		if err := saveJournal(e.cfg.Dir, j); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		return fmt.Errorf("%w: %s; %s", ErrVerifyFailed, blocksCheck.Detail, cfragCheck.Detail)
	}
	j.VerifyFailures = 0
	return nil
}

// probeBlocks asks the members over bitswap for every root of the order,
// and for good measure tries to open each: none may arrive.
func (e *Eraser) probeBlocks(ctx context.Context, roots []cid.Cid) Check {
	if len(roots) == 0 {
		return Check{Name: "no-block-served", OK: true, Detail: "the patient had no batch"}
	}
	pctx, cancel := context.WithTimeout(ctx, e.cfg.ProbeTimeout)
	defer cancel()
	ch, err := e.cfg.Node.Bitswap.GetBlocks(pctx, roots)
	if err != nil {
		return Check{Name: "no-block-served", OK: false, Detail: fmt.Sprintf("bitswap probe could not run: %v", err)}
	}
	var served []string
	for b := range ch {
		served = append(served, b.Cid().String())
	}
	if len(served) > 0 {
		// A served block came into this node's store through bitswap only if
		// it was written; delete it again to leave nothing behind.
		if e.cfg.Store != nil {
			var rs []cid.Cid
			for _, s := range served {
				if c, err := cid.Decode(s); err == nil {
					rs = append(rs, c)
				}
			}
			_, _ = e.cfg.Store.DeleteBatches(ctx, rs)
		}
		return Check{Name: "no-block-served", OK: false, Detail: fmt.Sprintf("%d of %d batch roots still served: %s", len(served), len(roots), strings.Join(served[:min(3, len(served))], ", "))}
	}
	// Decryption needs the root's capsule and chunks: with no root
	// obtainable nothing can be opened, whatever key were left.
	return Check{Name: "no-block-served", OK: true, Detail: fmt.Sprintf("none of %d batch roots obtainable from any reachable member within %s", len(roots), e.cfg.ProbeTimeout)}
}

// probeCFrags asks every proxy of every grant of the patient for a cfrag
// with a fresh grantee key: each must refuse because the grant is revoked
// or it holds no kfrag; "wrong grantee" would mean the grant is still live.
func (e *Eraser) probeCFrags(ctx context.Context, j *journal, pending map[peer.ID]bool) Check {
	if len(j.Recipients) == 0 {
		return Check{Name: "no-cfrag-answered", OK: true, Detail: "the patient had no grant"}
	}
	ms, err := e.cfg.Chain.Members(ctx)
	if err != nil {
		return Check{Name: "no-cfrag-answered", Detail: fmt.Sprintf("members: %v", err)}
	}
	peerOf := map[[20]byte]peer.ID{}
	for _, m := range ms {
		if id, err := peer.IDFromBytes(m.PeerID); err == nil {
			peerOf[m.Account] = id
		}
	}
	probe, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		return Check{Name: "no-cfrag-answered", Detail: err.Error()}
	}
	defer probe.Wipe()
	capsule, dek, err := reencrypt.Encapsulate(rand.Reader, probe.PRE.PublicKey())
	clear(dek[:])
	if err != nil {
		return Check{Name: "no-cfrag-answered", Detail: err.Error()}
	}
	asked, refused, unreachable := 0, 0, 0
	var live []string
	for _, r := range j.Recipients {
		g, err := e.cfg.Chain.GetGrant(ctx, r.GrantID)
		if err != nil {
			return Check{Name: "no-cfrag-answered", Detail: fmt.Sprintf("grant %s: %v", r.GrantID, err)}
		}
		if !g.Revoked {
			live = append(live, r.GrantID.String()[:16]+" (not revoked on-chain)")
		}
		for _, acct := range g.Proxies {
			pid, ok := peerOf[acct]
			if !ok || pending[pid] {
				unreachable++
				continue
			}
			req := &p2p.ReencryptRequest{GrantID: r.GrantID, Capsule: capsule, Grantee: probe.Public(), Purpose: "HSYSADMIN", Expires: e.cfg.Now().Add(time.Minute)}
			_, _ = rand.Read(req.Nonce[:])
			req.Sign(probe.Sign)
			if pid == e.cfg.Node.ID() {
				if e.cfg.Proxy == nil {
					unreachable++
					continue
				}
				resp := e.cfg.Proxy.Handle(ctx, req)
				if resp.Outcome == p2p.Granted {
					err = nil
				} else {
					err = &p2p.RefusalError{Outcome: resp.Outcome, Message: resp.Message}
				}
			} else {
				pctx, cancel := context.WithTimeout(ctx, e.cfg.ProbeTimeout+2*time.Second)
				_, err = p2p.RequestCFrag(pctx, e.cfg.Node.Host, pid, req)
				cancel()
			}
			asked++
			var re *p2p.RefusalError
			switch {
			case errors.As(err, &re) && (re.Outcome == p2p.RefusedRevoked || re.Outcome == p2p.RefusedNoKFrag || re.Outcome == p2p.RefusedNoGrant || re.Outcome == p2p.RefusedGrantExpired || re.Outcome == p2p.RefusedNotProxy):
				refused++
			case errors.As(err, &re):
				live = append(live, fmt.Sprintf("%s at %s: %s", r.GrantID.String()[:16], pid, re.Outcome))
			case err == nil:
				live = append(live, fmt.Sprintf("%s at %s answered a cfrag", r.GrantID.String()[:16], pid))
			default:
				unreachable++ // no answer at all: nothing served either
			}
		}
	}
	if len(live) > 0 {
		return Check{Name: "no-cfrag-answered", Detail: "grant still answered: " + strings.Join(live, "; ")}
	}
	return Check{Name: "no-cfrag-answered", OK: true, Detail: fmt.Sprintf("%d proxy request(s) refused (revoked or no kfrag), %d proxy(ies) unreachable, of %d grant(s)", refused, unreachable, len(j.Recipients))}
}

// certify (step 7): sign and write the certificate.
func (e *Eraser) certify(ctx context.Context, j *journal) error {
	_, err := e.writeCertificate(j)
	return err
}

func (e *Eraser) writeCertificate(j *journal) ([]byte, error) {
	order, err := p2p.ParsePurgeOrder(j.Order)
	if err != nil {
		return nil, fmt.Errorf("journaled order: %w", err)
	}
	oh, _ := order.Hash()
	c := &Certificate{Format: CertificateFormat, ErasureID: j.ID, SubjectTag: j.SubjectTag, RequestRef: j.RequestRef,
		RequestRefSalt: j.RequestRefSalt, RequestRefHash: RequestRefHash(j.RequestRefSalt, j.RequestRef), Reason: j.Reason, Received: j.Received, Deadline: j.Deadline,
		KeysDestroyed: j.KeysDestroyed, Issued: e.cfg.Now().UTC(), KeyIDs: j.KeyIDs, KeyIDsCommitment: KeyIDsCommitment(j.KeyIDs),
		Streams: j.Streams, Recipients: j.Recipients, AccessesFrom: j.AccessesFrom, PurgeOrder: j.Order, PurgeOrderHash: oh, Pending: j.Pending,
		Chain: *j.Chain, Checks: j.Checks, Acks: []Ack{}, CannotProve: cannotProve}
	if c.Recipients == nil {
		c.Recipients = []Recipient{}
	}
	if c.Streams == nil {
		c.Streams = []CertStream{}
	}
	if c.Pending == nil {
		c.Pending = []string{}
	}
	for _, ab := range j.Acks {
		a, err := p2p.ParsePurgeAck(ab)
		if err != nil {
			return nil, fmt.Errorf("journaled ack: %w", err)
		}
		c.Acks = append(c.Acks, Ack{Peer: a.Peer.String(), KFrags: a.KFrags, Blocks: a.Blocks, Time: a.Time, Signature: a.Sig})
	}
	sort.Slice(c.Acks, func(a, b int) bool { return c.Acks[a].Peer < c.Acks[b].Peer })
	b, err := c.sign(e.id)
	if err != nil {
		return nil, fmt.Errorf("sign certificate: %w", err)
	}
	if err := atomicfile.Write(certPath(e.cfg.Dir, j.ID), b, 0o600); err != nil {
		return nil, fmt.Errorf("write certificate: %w", err)
	}
	j.Certified = c.Issued
	return b, nil
}

// RetryPending re-sends the purge order of every certified erasure that
// still lists pending peers to those peers; each peer that acknowledges
// moves from pending to the acknowledgements and the certificate is
// re-issued (signed again, same erasure). Call it when a member connects
// and periodically. It returns the ids whose certificate changed.
func (e *Eraser) RetryPending(ctx context.Context) ([]Hex32, error) {
	ids, err := listJournals(e.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("erasure: list journals: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var changed []Hex32
	for _, id := range ids {
		j, err := loadJournal(e.cfg.Dir, id)
		if err != nil {
			return changed, fmt.Errorf("erasure: %w", err)
		}
		if j.Step != StepCertified || len(j.Pending) == 0 {
			continue
		}
		order, err := p2p.ParsePurgeOrder(j.Order)
		if err != nil {
			return changed, fmt.Errorf("erasure %s: journaled order: %w", id, err)
		}
		var still []string
		moved := false
		for _, s := range j.Pending {
			pid, err := peer.Decode(s)
			if err != nil {
				continue
			}
			a, err := p2p.SendPurgeOrder(ctx, e.cfg.Node.Host, pid, order, e.cfg.PurgeTimeout)
			if err != nil {
				still = append(still, s)
				continue
			}
			ab, _ := a.MarshalBinary()
			j.Acks = append(j.Acks, ab)
			moved = true
		}
		if !moved {
			continue
		}
		j.Pending = still
		if _, err := e.writeCertificate(j); err != nil {
			return changed, err
		}
		if err := saveJournal(e.cfg.Dir, j); err != nil {
			return changed, fmt.Errorf("erasure: journal: %w", err)
		}
		changed = append(changed, id)
	}
	return changed, nil
}

// Certificate returns the current certificate of erasure id.
func (e *Eraser) Certificate(id Hex32) ([]byte, error) {
	b, err := os.ReadFile(certPath(e.cfg.Dir, id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: no certificate for %s yet", ErrNoJournal, id)
	}
	return b, err
}

// Status reports the journaled step of erasure id.
func (e *Eraser) Status(id Hex32) (Step, error) {
	j, err := loadJournal(e.cfg.Dir, id)
	if errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("%w: %s", ErrNoJournal, id)
	}
	if err != nil {
		return 0, err
	}
	return j.Step, nil
}

// AcceptAck takes an acknowledgement a member delivers itself (p2p
// PurgerConfig.OnAck): a member that missed the order and executed it
// later, or one that runs no daemon and purged when it next ran. The
// acknowledgement must be for the order of one of this custodian's
// erasures and signed by its peer; the peer moves from pending to the
// acknowledgements and a certified erasure's certificate is re-issued.
// Delivering the same acknowledgement again changes nothing.
func (e *Eraser) AcceptAck(ctx context.Context, a *p2p.PurgeAck) error {
	if err := a.Verify(); err != nil {
		return fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.findJournal(func(j *journal) (bool, error) {
		if len(j.Order) == 0 {
			return false, nil
		}
		o, err := p2p.ParsePurgeOrder(j.Order)
		if err != nil {
			return false, fmt.Errorf("erasure %s: journaled order: %w", j.ID, err)
		}
		oh, _ := o.Hash()
		return oh == a.Order, nil
	})
	if err != nil {
		return err
	}
	if j == nil {
		return fmt.Errorf("%w: no erasure of this custodian issued that order", ErrNoJournal)
	}
	for _, ab := range j.Acks {
		if prev, err := p2p.ParsePurgeAck(ab); err == nil && prev.Peer == a.Peer {
			return nil // already counted
		}
	}
	// Only a member the certificate lists as pending: anything else
	// would make the certificate invalid (an ack from a non-member).
	if !slices.Contains(j.Pending, a.Peer.String()) {
		return fmt.Errorf("%w: %s is not a member this erasure awaits an acknowledgement from", ErrBadRequest, a.Peer)
	}
	ab, err := a.MarshalBinary()
	if err != nil {
		return err
	}
	j.Acks = append(j.Acks, ab)
	j.Pending = slices.DeleteFunc(j.Pending, func(s string) bool { return s == a.Peer.String() })
	if j.Step == StepCertified {
		if _, err := e.writeCertificate(j); err != nil {
			return err
		}
	}
	if err := saveJournal(e.cfg.Dir, j); err != nil {
		return fmt.Errorf("erasure: journal: %w", err)
	}
	e.log.Info("late purge acknowledgement taken", "erasure", j.ID.String()[:16], "peer", a.Peer.String(), "pending", len(j.Pending))
	return nil
}

// StreamsOf names the erasure made for request reference ref and the tags
// of the streams it erased: what an accounting of disclosures of the erased
// patient needs (the patient itself can no longer be named). ErrNoJournal
// when no erasure has that reference.
func (e *Eraser) StreamsOf(ref string) (Hex32, [][32]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.journalOfRequest(ref)
	if err != nil {
		return Hex32{}, nil, err
	}
	return j.ID, j.tags(), nil
}
