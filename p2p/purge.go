package p2p

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vaultnode/vaultnode/internal/atomicfile"

	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// PurgeProtocol is the libp2p protocol over which a custodian orders every
// member to delete an erased patient's kfrags and ciphertext blocks, and over
// which a returning peer fetches the purge orders it missed.
const PurgeProtocol = "/vaultnode/purge/1.0.0"

// Limits of a purge order. Batches beyond MaxOrderRoots are still found by
// each peer's scan of its own pins (by stream tag).
const (
	MaxOrderStreams = 4096
	MaxOrderGrants  = 65536
	MaxOrderRoots   = 65536
	maxPeerIDLen    = 128
	maxCIDLen       = 128
	maxSigLen       = 256
	maxPurgeFrame   = 16 << 20
)

const (
	orderMagic  = "VNPO"
	ackMagic    = "VNPA"
	orderDomain = "vaultnode/purge-order/v1\x00"
	ackDomain   = "vaultnode/purge-ack/v1\x00"
	purgeVer    = 1

	msgOrder = 'O' // request: an order; answer: an acknowledgement
	msgList  = 'L' // request: every order the peer holds; answer: the list
	msgAck   = 'A' // request: an acknowledgement for the custodian of its order; answer: empty
)

// ErrPurgeRefused: a peer refused a purge order (bad signature, custodian not
// a member, or it could not purge). The message names the reason.
var ErrPurgeRefused = errors.New("purge refused")

// PurgeOrder tells a member to delete everything of one erased patient:
// the kfrags of the patient's streams (and of the listed grants) and every
// batch of those streams (the listed roots, plus any pinned batch whose root
// header carries one of the stream tags). It is signed by the custodian's
// node key; the custodian must be a consortium member.
type PurgeOrder struct {
	Custodian  peer.ID
	SubjectTag [32]byte
	Issued     time.Time // nanosecond precision, UTC
	StreamTags [][32]byte
	Grants     [][32]byte
	Roots      []cid.Cid
	Sig        []byte
}

// PurgeAck is a peer's signed acknowledgement of a purge order: how many
// kfrags and blocks it removed, and when.
type PurgeAck struct {
	Order  [32]byte // PurgeOrder.Hash
	Peer   peer.ID
	KFrags uint64
	Blocks uint64
	Time   time.Time // nanosecond precision, UTC
	Sig    []byte
}

// ---- encoding ----

type wbuf struct{ b []byte }

func (w *wbuf) u8(v uint8)       { w.b = append(w.b, v) }
func (w *wbuf) u16(v uint16)     { w.b = binary.BigEndian.AppendUint16(w.b, v) }
func (w *wbuf) u32(v uint32)     { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *wbuf) u64(v uint64)     { w.b = binary.BigEndian.AppendUint64(w.b, v) }
func (w *wbuf) raw(b []byte)     { w.b = append(w.b, b...) }
func (w *wbuf) bytes16(b []byte) { w.u16(uint16(len(b))); w.raw(b) }

type rbuf struct {
	b   []byte
	err error
}

func (r *rbuf) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.err = malformed("%s: truncated", what)
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}
func (r *rbuf) u8(what string) uint8 {
	b := r.take(1, what)
	if b == nil {
		return 0
	}
	return b[0]
}
func (r *rbuf) u16(what string) uint16 {
	b := r.take(2, what)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint16(b)
}
func (r *rbuf) u32(what string) uint32 {
	b := r.take(4, what)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}
func (r *rbuf) u64(what string) uint64 {
	b := r.take(8, what)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
func (r *rbuf) bytes16(max int, what string) []byte {
	n := int(r.u16(what))
	if r.err == nil && n > max {
		r.err = malformed("%s: %d bytes exceeds %d", what, n, max)
		return nil
	}
	return r.take(n, what)
}
func (r *rbuf) tag(what string) (t [32]byte) {
	copy(t[:], r.take(32, what))
	return t
}

func parsePeerID(b []byte, what string) (peer.ID, error) {
	if len(b) == 0 {
		return "", malformed("%s: empty peer id", what)
	}
	id, err := peer.IDFromBytes(b)
	if err != nil {
		return "", malformed("%s: %v", what, err)
	}
	if _, err := id.ExtractPublicKey(); err != nil {
		return "", malformed("%s: peer id does not embed its public key: %v", what, err)
	}
	return id, nil
}

func timeFromNanos(n uint64) time.Time { return time.Unix(0, int64(n)).UTC() }

func checkTime(t time.Time, what string) error {
	if t.IsZero() || t.UnixNano() <= 0 {
		return fmt.Errorf("%w: %s: time out of range", ErrMalformed, what)
	}
	return nil
}

// body is the signed part of the order.
func (o *PurgeOrder) body() ([]byte, error) {
	if len(o.Custodian) == 0 || len(o.Custodian) > maxPeerIDLen {
		return nil, fmt.Errorf("%w: purge order: custodian peer id missing or too long", ErrMalformed)
	}
	if err := checkTime(o.Issued, "purge order issued"); err != nil {
		return nil, err
	}
	if len(o.StreamTags) > MaxOrderStreams || len(o.Grants) > MaxOrderGrants || len(o.Roots) > MaxOrderRoots {
		return nil, fmt.Errorf("%w: purge order: too many streams, grants or roots", ErrMalformed)
	}
	w := &wbuf{b: make([]byte, 0, 128+32*(len(o.StreamTags)+len(o.Grants))+40*len(o.Roots))}
	w.raw([]byte(orderMagic))
	w.u8(purgeVer)
	w.bytes16([]byte(o.Custodian))
	w.raw(o.SubjectTag[:])
	w.u64(uint64(o.Issued.UnixNano()))
	w.u16(uint16(len(o.StreamTags)))
	for _, t := range o.StreamTags {
		w.raw(t[:])
	}
	w.u32(uint32(len(o.Grants)))
	for _, g := range o.Grants {
		w.raw(g[:])
	}
	w.u32(uint32(len(o.Roots)))
	for _, c := range o.Roots {
		cb := c.Bytes()
		if !c.Defined() || len(cb) > maxCIDLen {
			return nil, fmt.Errorf("%w: purge order: bad root CID", ErrMalformed)
		}
		w.u8(uint8(len(cb)))
		w.raw(cb)
	}
	return w.b, nil
}

// Hash identifies the order: SHA-256 over a domain tag and the signed body.
// Acknowledgements name the order by it.
func (o *PurgeOrder) Hash() ([32]byte, error) {
	b, err := o.body()
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(append([]byte(orderDomain), b...)), nil
}

// Sign sets Custodian to key's peer id and signs the order with key.
func (o *PurgeOrder) Sign(key crypto.PrivKey) error {
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return fmt.Errorf("sign purge order: %w", err)
	}
	o.Custodian = id
	b, err := o.body()
	if err != nil {
		return fmt.Errorf("sign purge order: %w", err)
	}
	o.Sig, err = key.Sign(append([]byte(orderDomain), b...))
	if err != nil {
		return fmt.Errorf("sign purge order: %w", err)
	}
	return nil
}

// Verify checks the order's signature against the public key embedded in
// the custodian's peer id.
func (o *PurgeOrder) Verify() error {
	b, err := o.body()
	if err != nil {
		return err
	}
	return verifyByPeer(o.Custodian, append([]byte(orderDomain), b...), o.Sig, "purge order")
}

func verifyByPeer(id peer.ID, msg, sig []byte, what string) error {
	pub, err := id.ExtractPublicKey()
	if err != nil {
		return fmt.Errorf("%s: signer %s: %w", what, id, err)
	}
	ok, err := pub.Verify(msg, sig)
	if err != nil || !ok {
		return fmt.Errorf("%s: signature by %s does not verify", what, id)
	}
	return nil
}

// MarshalBinary encodes the signed order (docs/ERASURE.md "Purge protocol").
func (o *PurgeOrder) MarshalBinary() ([]byte, error) {
	b, err := o.body()
	if err != nil {
		return nil, err
	}
	if len(o.Sig) == 0 || len(o.Sig) > maxSigLen {
		return nil, fmt.Errorf("%w: purge order: unsigned", ErrMalformed)
	}
	w := &wbuf{b: b}
	w.bytes16(o.Sig)
	return w.b, nil
}

// ParsePurgeOrder decodes an order strictly (no trailing bytes, canonical
// lengths). It does not check the signature (Verify does).
func ParsePurgeOrder(b []byte) (*PurgeOrder, error) {
	r := &rbuf{b: b}
	if string(r.take(4, "magic")) != orderMagic {
		return nil, malformed("purge order: bad magic")
	}
	if v := r.u8("version"); r.err == nil && v != purgeVer {
		return nil, malformed("purge order: unsupported version %d", v)
	}
	o := &PurgeOrder{}
	pid := r.bytes16(maxPeerIDLen, "custodian")
	o.SubjectTag = r.tag("subject tag")
	o.Issued = timeFromNanos(r.u64("issued"))
	ns := int(r.u16("stream count"))
	if r.err == nil && ns > MaxOrderStreams {
		return nil, malformed("purge order: %d streams exceeds %d", ns, MaxOrderStreams)
	}
	for i := 0; i < ns && r.err == nil; i++ {
		o.StreamTags = append(o.StreamTags, r.tag("stream tag"))
	}
	ng := int(r.u32("grant count"))
	if r.err == nil && ng > MaxOrderGrants {
		return nil, malformed("purge order: %d grants exceeds %d", ng, MaxOrderGrants)
	}
	for i := 0; i < ng && r.err == nil; i++ {
		o.Grants = append(o.Grants, r.tag("grant id"))
	}
	nr := int(r.u32("root count"))
	if r.err == nil && nr > MaxOrderRoots {
		return nil, malformed("purge order: %d roots exceeds %d", nr, MaxOrderRoots)
	}
	for i := 0; i < nr && r.err == nil; i++ {
		n := int(r.u8("root length"))
		cb := r.take(n, "root")
		if r.err != nil {
			break
		}
		c, err := cid.Cast(cb)
		if err != nil || !bytes.Equal(c.Bytes(), cb) {
			return nil, malformed("purge order: root %d is not a canonical CID", i)
		}
		o.Roots = append(o.Roots, c)
	}
	o.Sig = append([]byte(nil), r.bytes16(maxSigLen, "signature")...)
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, malformed("purge order: %d trailing bytes", len(r.b))
	}
	if len(o.Sig) == 0 {
		return nil, malformed("purge order: no signature")
	}
	var err error
	if o.Custodian, err = parsePeerID(pid, "purge order custodian"); err != nil {
		return nil, err
	}
	if err := checkTime(o.Issued, "purge order issued"); err != nil {
		return nil, err
	}
	return o, nil
}

func (a *PurgeAck) body() ([]byte, error) {
	if len(a.Peer) == 0 || len(a.Peer) > maxPeerIDLen {
		return nil, fmt.Errorf("%w: purge ack: peer id missing or too long", ErrMalformed)
	}
	if err := checkTime(a.Time, "purge ack time"); err != nil {
		return nil, err
	}
	w := &wbuf{b: make([]byte, 0, 128)}
	w.raw([]byte(ackMagic))
	w.u8(purgeVer)
	w.raw(a.Order[:])
	w.bytes16([]byte(a.Peer))
	w.u64(a.KFrags)
	w.u64(a.Blocks)
	w.u64(uint64(a.Time.UnixNano()))
	return w.b, nil
}

// Sign sets Peer to key's peer id and signs the acknowledgement.
func (a *PurgeAck) Sign(key crypto.PrivKey) error {
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return fmt.Errorf("sign purge ack: %w", err)
	}
	a.Peer = id
	b, err := a.body()
	if err != nil {
		return fmt.Errorf("sign purge ack: %w", err)
	}
	a.Sig, err = key.Sign(append([]byte(ackDomain), b...))
	if err != nil {
		return fmt.Errorf("sign purge ack: %w", err)
	}
	return nil
}

// Verify checks the acknowledgement's signature by the key embedded in Peer.
func (a *PurgeAck) Verify() error {
	b, err := a.body()
	if err != nil {
		return err
	}
	return verifyByPeer(a.Peer, append([]byte(ackDomain), b...), a.Sig, "purge ack")
}

// MarshalBinary encodes the signed acknowledgement.
func (a *PurgeAck) MarshalBinary() ([]byte, error) {
	b, err := a.body()
	if err != nil {
		return nil, err
	}
	if len(a.Sig) == 0 || len(a.Sig) > maxSigLen {
		return nil, fmt.Errorf("%w: purge ack: unsigned", ErrMalformed)
	}
	w := &wbuf{b: b}
	w.bytes16(a.Sig)
	return w.b, nil
}

// ParsePurgeAck decodes an acknowledgement strictly. It does not check the
// signature (Verify does).
func ParsePurgeAck(b []byte) (*PurgeAck, error) {
	r := &rbuf{b: b}
	if string(r.take(4, "magic")) != ackMagic {
		return nil, malformed("purge ack: bad magic")
	}
	if v := r.u8("version"); r.err == nil && v != purgeVer {
		return nil, malformed("purge ack: unsupported version %d", v)
	}
	a := &PurgeAck{}
	a.Order = r.tag("order hash")
	pid := r.bytes16(maxPeerIDLen, "peer")
	a.KFrags = r.u64("kfrags")
	a.Blocks = r.u64("blocks")
	a.Time = timeFromNanos(r.u64("time"))
	a.Sig = append([]byte(nil), r.bytes16(maxSigLen, "signature")...)
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, malformed("purge ack: %d trailing bytes", len(r.b))
	}
	if len(a.Sig) == 0 {
		return nil, malformed("purge ack: no signature")
	}
	var err error
	if a.Peer, err = parsePeerID(pid, "purge ack peer"); err != nil {
		return nil, err
	}
	if err := checkTime(a.Time, "purge ack time"); err != nil {
		return nil, err
	}
	return a, nil
}

// encodeOrderList encodes a list of signed orders: u32 n | n × (u32 len | order).
func encodeOrderList(orders [][]byte) []byte {
	w := &wbuf{}
	w.u32(uint32(len(orders)))
	for _, o := range orders {
		w.u32(uint32(len(o)))
		w.raw(o)
	}
	return w.b
}

// parseOrderList decodes a list written by encodeOrderList, each order
// strictly.
func parseOrderList(b []byte) ([]*PurgeOrder, error) {
	r := &rbuf{b: b}
	n := int(r.u32("order count"))
	if r.err == nil && n > len(b)/4 {
		return nil, malformed("order list: %d orders cannot fit", n)
	}
	var out []*PurgeOrder
	for i := 0; i < n && r.err == nil; i++ {
		l := int(r.u32("order length"))
		ob := r.take(l, "order")
		if r.err != nil {
			break
		}
		o, err := ParsePurgeOrder(ob)
		if err != nil {
			return nil, fmt.Errorf("order list: order %d: %w", i, err)
		}
		out = append(out, o)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, malformed("order list: %d trailing bytes", len(r.b))
	}
	return out, nil
}

// ---- the peer side ----

// PurgeStore is the part of the store a purge needs. *store.Store
// implements it: DeleteBatches deletes physically.
type PurgeStore interface {
	// RootsOfStream lists the batches pinned here for a stream tag.
	RootsOfStream(ctx context.Context, tag [32]byte) ([]cid.Cid, error)
	// DeleteBatches deletes the roots' batches physically, with every
	// datastore entry under the forget prefixes.
	DeleteBatches(ctx context.Context, roots []cid.Cid, forget ...string) (int, error)
}

// KFragForgetter drops the kfrags of a stream. *Proxy implements it.
type KFragForgetter interface {
	ForgetStream(ctx context.Context, streamTag [32]byte, grants [][32]byte) (int, error)
}

// PurgerConfig configures a Purger.
type PurgerConfig struct {
	// Identity signs acknowledgements (the node key). Required.
	Identity crypto.PrivKey
	// Members decides whose orders are obeyed: the custodian named in an
	// order must be a member. Required.
	Members Membership
	// Store holds this peer's blocks. Required.
	Store PurgeStore
	// KFrags, when this peer is a proxy, drops kfrags. May be nil.
	KFrags KFragForgetter
	// Dir keeps every executed order and its acknowledgement (fsynced), so
	// a repeated order gets the same acknowledgement and a returning peer
	// can fetch the orders it missed from any member. Required.
	Dir string
	// Timeout bounds one exchange (default 2 min).
	Timeout time.Duration
	// Forget, when set, names what the node keeps about the purged streams
	// beyond blocks and kfrags (its indexes of the streams' batches and
	// grants), as datastore key prefixes the store removes physically with
	// the blocks; it is called with the order and the roots to purge.
	Forget func(ctx context.Context, o *PurgeOrder, roots []cid.Cid) ([]string, error)
	// OnAck, on a custodian, takes an acknowledgement a peer delivers for an
	// order this node issued (a peer that missed the order, or a member that
	// runs no daemon, purges later and delivers it itself). Nil: such
	// deliveries are refused.
	OnAck func(ctx context.Context, a *PurgeAck) error
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Purger executes purge orders on this peer and serves PurgeProtocol.
type Purger struct {
	cfg PurgerConfig
	log *slog.Logger

	mu        sync.Mutex // serialises executions and guards orders/acks/delivered
	orders    map[[32]byte][]byte
	acks      map[[32]byte]*PurgeAck
	delivered map[[32]byte]bool // the custodian has the acknowledgement
}

// NewPurger loads the orders already executed from cfg.Dir.
func NewPurger(cfg PurgerConfig) (*Purger, error) {
	if cfg.Identity == nil || cfg.Members == nil || cfg.Store == nil || cfg.Dir == "" {
		return nil, errors.New("p2p: purger needs Identity, Members, Store and Dir")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	p := &Purger{cfg: cfg, log: cfg.Logger.With("component", "purge"), orders: map[[32]byte][]byte{}, acks: map[[32]byte]*PurgeAck{}, delivered: map[[32]byte]bool{}}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("p2p: purger dir: %w", err)
	}
	ents, err := os.ReadDir(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("p2p: purger dir: %w", err)
	}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".order")
		if !ok {
			continue
		}
		ob, err := os.ReadFile(filepath.Join(cfg.Dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("p2p: purger: %w", err)
		}
		o, err := ParsePurgeOrder(ob)
		if err != nil {
			return nil, fmt.Errorf("p2p: purger: %s: %w", e.Name(), err)
		}
		h, _ := o.Hash()
		if hex.EncodeToString(h[:]) != name {
			return nil, fmt.Errorf("p2p: purger: %s: %w: name does not match the order", e.Name(), ErrMalformed)
		}
		ab, err := os.ReadFile(filepath.Join(cfg.Dir, name+".ack"))
		if errors.Is(err, os.ErrNotExist) {
			continue // crashed before the purge finished: the order runs again when asked
		}
		if err != nil {
			return nil, fmt.Errorf("p2p: purger: %w", err)
		}
		a, err := ParsePurgeAck(ab)
		if err != nil || a.Order != h {
			return nil, fmt.Errorf("p2p: purger: %s.ack: %w: does not acknowledge its order", name, ErrMalformed)
		}
		p.orders[h], p.acks[h] = ob, a
		if _, err := os.Stat(filepath.Join(cfg.Dir, name+".delivered")); err == nil {
			p.delivered[h] = true
		}
	}
	return p, nil
}

// Serve registers the PurgeProtocol handler on h.
func (p *Purger) Serve(h host.Host) { h.SetStreamHandler(PurgeProtocol, p.handle) }

// Orders returns every order this peer has executed.
func (p *Purger) Orders() []*PurgeOrder {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*PurgeOrder, 0, len(p.orders))
	for _, ob := range p.orders {
		if o, err := ParsePurgeOrder(ob); err == nil {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Issued.Before(out[j].Issued) })
	return out
}

// Has reports whether the order with hash h was executed here.
func (p *Purger) Has(h [32]byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.acks[h]
	return ok
}

// Execute checks an order (signature, custodian a member) and purges:
// every listed root and every pinned batch of the order's streams is
// deleted physically, and every kfrag of the streams is dropped. It is
// idempotent: a repeated order purges again (anything that came back) and
// returns the stored acknowledgement, with counts added when more was
// removed. The order and its acknowledgement are kept durably in Dir
// before the acknowledgement is returned.
func (p *Purger) Execute(ctx context.Context, o *PurgeOrder) (*PurgeAck, error) {
	if err := o.Verify(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPurgeRefused, err)
	}
	if !p.cfg.Members.IsMember(o.Custodian) {
		return nil, fmt.Errorf("%w: custodian %s is not a consortium member", ErrPurgeRefused, o.Custodian)
	}
	h, _ := o.Hash()
	ob, err := o.MarshalBinary()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	roots, err := p.rootsToPurge(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("purge: %w", err)
	}
	var kfrags uint64
	if p.cfg.KFrags != nil {
		for _, t := range o.StreamTags {
			n, err := p.cfg.KFrags.ForgetStream(ctx, t, o.Grants)
			if err != nil {
				return nil, fmt.Errorf("purge: kfrags of stream %x: %w", t[:8], err)
			}
			kfrags += uint64(n)
		}
	}
	var forget []string
	if p.cfg.Forget != nil {
		if forget, err = p.cfg.Forget(ctx, o, roots); err != nil {
			return nil, fmt.Errorf("purge: the streams' indexes: %w", err)
		}
	}
	var nblocks int
	if len(roots) > 0 || len(forget) > 0 {
		if nblocks, err = p.cfg.Store.DeleteBatches(ctx, roots, forget...); err != nil {
			return nil, fmt.Errorf("purge: delete batches: %w", err)
		}
	}
	if old, ok := p.acks[h]; ok && kfrags == 0 && nblocks == 0 {
		return old, nil
	}
	a := &PurgeAck{Order: h, KFrags: kfrags, Blocks: uint64(nblocks), Time: p.cfg.Now().UTC()}
	if old, ok := p.acks[h]; ok {
		a.KFrags += old.KFrags
		a.Blocks += old.Blocks
	}
	if err := a.Sign(p.cfg.Identity); err != nil {
		return nil, err
	}
	ab, _ := a.MarshalBinary()
	name := hex.EncodeToString(h[:])
	if err := atomicfile.Write(filepath.Join(p.cfg.Dir, name+".order"), ob, 0o600); err != nil {
		return nil, fmt.Errorf("purge: keep order: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(p.cfg.Dir, name+".ack"), ab, 0o600); err != nil {
		return nil, fmt.Errorf("purge: keep ack: %w", err)
	}
	p.orders[h], p.acks[h] = ob, a
	p.log.Info("purged erased patient", "order", name[:16], "custodian", o.Custodian.String(), "kfrags", kfrags, "blocks", nblocks)
	return a, nil
}

// rootsToPurge is the order's roots plus every batch pinned here under one
// of the order's stream tags (the store's per-stream index: no scan of every
// pin).
func (p *Purger) rootsToPurge(ctx context.Context, o *PurgeOrder) ([]cid.Cid, error) {
	seen := map[cid.Cid]bool{}
	var out []cid.Cid
	for _, c := range o.Roots {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, t := range o.StreamTags {
		rs, err := p.cfg.Store.RootsOfStream(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("batches of a stream: %w", err)
		}
		for _, c := range rs {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func (p *Purger) handle(s network.Stream) {
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(p.cfg.Timeout))
	b, err := readFrame(s, maxPurgeFrame)
	if err != nil || len(b) == 0 {
		_ = s.Reset()
		return
	}
	reply := func(ok bool, payload []byte) {
		st := byte(0)
		if !ok {
			st = 1
		}
		_ = writeFrame(s, append([]byte{st}, payload...))
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.Timeout)
	defer cancel()
	switch b[0] {
	case msgOrder:
		o, err := ParsePurgeOrder(b[1:])
		if err != nil {
			reply(false, []byte(truncate(err.Error())))
			return
		}
		a, err := p.Execute(ctx, o)
		if err != nil {
			p.log.Warn("purge order refused or failed", "from", s.Conn().RemotePeer().String(), "err", err)
			reply(false, []byte(truncate(err.Error())))
			return
		}
		ab, _ := a.MarshalBinary()
		reply(true, ab)
		if o.Custodian == s.Conn().RemotePeer() {
			_ = p.markDelivered(a.Order) // the custodian asked and has it
		}
	case msgAck:
		a, err := ParsePurgeAck(b[1:])
		if err == nil && a.Peer != s.Conn().RemotePeer() {
			err = fmt.Errorf("%w: acknowledgement of %s delivered by %s", ErrPurgeRefused, a.Peer, s.Conn().RemotePeer())
		}
		if err == nil {
			err = a.Verify()
		}
		if err == nil && p.cfg.OnAck == nil {
			err = fmt.Errorf("%w: this node takes no acknowledgements", ErrPurgeRefused)
		}
		if err == nil {
			err = p.cfg.OnAck(ctx, a)
		}
		if err != nil {
			reply(false, []byte(truncate(err.Error())))
			return
		}
		reply(true, nil)
	case msgList:
		p.mu.Lock()
		list := make([][]byte, 0, len(p.orders))
		for h, ob := range p.orders {
			if _, ok := p.acks[h]; ok {
				list = append(list, ob)
			}
		}
		p.mu.Unlock()
		reply(true, encodeOrderList(list))
	default:
		reply(false, []byte("unknown purge message"))
	}
}

func truncate(s string) string {
	if len(s) > 512 {
		return s[:512]
	}
	return s
}

func purgeExchange(ctx context.Context, h host.Host, pid peer.ID, req []byte, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := h.NewStream(network.WithAllowLimitedConn(ctx, "purge"), pid, PurgeProtocol)
	if err != nil {
		return nil, fmt.Errorf("purge: open stream to %s: %w", pid, err)
	}
	defer s.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = s.SetDeadline(dl)
	}
	if err := writeFrame(s, req); err != nil {
		_ = s.Reset()
		return nil, fmt.Errorf("purge: send to %s: %w", pid, err)
	}
	_ = s.CloseWrite()
	b, err := readFrame(s, maxPurgeFrame)
	if err != nil {
		return nil, fmt.Errorf("purge: answer of %s: %w", pid, err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("purge: answer of %s: %w", pid, malformed("empty answer"))
	}
	if b[0] != 0 {
		return nil, fmt.Errorf("%w by %s: %s", ErrPurgeRefused, pid, string(b[1:]))
	}
	return b[1:], nil
}

// SendPurgeOrder sends a signed order to the member pid and returns its
// acknowledgement once checked: signed by pid, for this order.
func SendPurgeOrder(ctx context.Context, h host.Host, pid peer.ID, o *PurgeOrder, timeout time.Duration) (*PurgeAck, error) {
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ob, err := o.MarshalBinary()
	if err != nil {
		return nil, err
	}
	oh, _ := o.Hash()
	b, err := purgeExchange(ctx, h, pid, append([]byte{msgOrder}, ob...), timeout)
	if err != nil {
		return nil, err
	}
	a, err := ParsePurgeAck(b)
	if err != nil {
		return nil, fmt.Errorf("purge: ack of %s: %w", pid, err)
	}
	if a.Peer != pid {
		return nil, fmt.Errorf("purge: ack of %s is signed as %s", pid, a.Peer)
	}
	if a.Order != oh {
		return nil, fmt.Errorf("purge: ack of %s names another order", pid)
	}
	if err := a.Verify(); err != nil {
		return nil, fmt.Errorf("purge: ack of %s: %w", pid, err)
	}
	return a, nil
}

// SendPurgeAck delivers this peer's acknowledgement a to the custodian of
// its order.
func SendPurgeAck(ctx context.Context, h host.Host, custodian peer.ID, a *PurgeAck, timeout time.Duration) error {
	ab, err := a.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = purgeExchange(ctx, h, custodian, append([]byte{msgAck}, ab...), timeout)
	return err
}

// DeliverAcks sends each acknowledgement of an order issued by another
// custodian that this peer has not delivered yet (it executed the order
// after fetching it in Sync, not at the custodian's request) to that
// custodian, and remembers those delivered. It returns how many it
// delivered; a custodian out of reach is tried again on the next call.
func (p *Purger) DeliverAcks(ctx context.Context, h host.Host) (int, error) {
	type due struct {
		custodian peer.ID
		ack       *PurgeAck
	}
	var todo []due
	p.mu.Lock()
	for oh, a := range p.acks {
		if p.delivered[oh] {
			continue
		}
		o, err := ParsePurgeOrder(p.orders[oh])
		if err != nil || o.Custodian == h.ID() {
			continue
		}
		todo = append(todo, due{o.Custodian, a})
	}
	p.mu.Unlock()
	sent := 0
	var lastErr error
	for _, d := range todo {
		if err := SendPurgeAck(ctx, h, d.custodian, d.ack, p.cfg.Timeout); err != nil {
			lastErr = err
			p.log.Debug("acknowledgement not delivered", "custodian", d.custodian.String(), "err", err)
			continue
		}
		if err := p.markDelivered(d.ack.Order); err != nil {
			return sent, err
		}
		sent++
	}
	if sent < len(todo) {
		return sent, fmt.Errorf("purge: %d acknowledgement(s) not delivered: %w", len(todo)-sent, lastErr)
	}
	return sent, nil
}

// markDelivered records that the custodian has the acknowledgement of order h.
func (p *Purger) markDelivered(h [32]byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.delivered[h] {
		return nil
	}
	if err := atomicfile.Write(filepath.Join(p.cfg.Dir, hex.EncodeToString(h[:])+".delivered"), nil, 0o600); err != nil {
		return fmt.Errorf("purge: keep delivery: %w", err)
	}
	p.delivered[h] = true
	return nil
}

// FetchPurgeOrders asks the member pid for every purge order it holds.
func FetchPurgeOrders(ctx context.Context, h host.Host, pid peer.ID, timeout time.Duration) ([]*PurgeOrder, error) {
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	b, err := purgeExchange(ctx, h, pid, []byte{msgList}, timeout)
	if err != nil {
		return nil, err
	}
	return parseOrderList(b)
}

// Sync fetches the purge orders held by the given members and executes
// every one not executed here yet (each checked: signed by a member
// custodian). A peer calls it at start, before it serves anything (see
// GatedBlockstore), so a patient erased while it was down is purged first.
// It returns how many orders it executed; it fails when no member could be
// asked, so the caller does not serve unpurged data on a partition.
func (p *Purger) Sync(ctx context.Context, h host.Host, members []peer.ID) (int, error) {
	asked, done := 0, 0
	var lastErr error
	for _, m := range members {
		if m == h.ID() {
			continue
		}
		orders, err := FetchPurgeOrders(ctx, h, m, p.cfg.Timeout)
		if err != nil {
			lastErr = err
			p.log.Warn("fetch purge orders", "peer", m.String(), "err", err)
			continue
		}
		asked++
		for _, o := range orders {
			oh, err := o.Hash()
			if err != nil || p.Has(oh) {
				continue
			}
			if _, err := p.Execute(ctx, o); err != nil {
				return done, fmt.Errorf("purge sync: order from %s: %w", m, err)
			}
			done++
		}
	}
	if asked == 0 && lastErr != nil {
		return done, fmt.Errorf("purge sync: no member answered: %w", lastErr)
	}
	return done, nil
}

// GatedBlockstore serves nothing until Open is called: every read answers
// "not found" (bitswap tells askers it does not have the block). A peer
// wraps its store in it, starts its node, runs Purger.Sync, then Opens the
// gate, so a block of a patient erased while it was down is never served.
// Writes pass through.
//
// Blocks this peer wrote itself since it started (Admit) are served while
// the gate is shut: no purge order missed while down can name them, and a
// member replicating a batch just ingested here must not wait for the sync.
type GatedBlockstore struct {
	blockstore.Blockstore
	open atomic.Bool

	mu    sync.Mutex
	fresh map[cid.Cid]struct{} // admitted while shut; dropped when the gate opens
}

// maxFresh bounds the blocks admitted while the gate is shut (beyond, they
// wait for the gate like the rest).
const maxFresh = 1 << 20

// Admit lets blocks written here since the start be read while the gate is
// shut.
func (g *GatedBlockstore) Admit(cs ...cid.Cid) {
	if g.open.Load() {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fresh == nil {
		g.fresh = make(map[cid.Cid]struct{})
	}
	for _, c := range cs {
		if len(g.fresh) >= maxFresh {
			return
		}
		g.fresh[c] = struct{}{}
	}
}

// admitted reports whether c may be read: the gate is open, or c was
// written here since the start.
func (g *GatedBlockstore) admitted(c cid.Cid) bool {
	if g.open.Load() {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	_, ok := g.fresh[c]
	return ok
}

// NewGatedBlockstore wraps bs, closed.
func NewGatedBlockstore(bs blockstore.Blockstore) *GatedBlockstore {
	return &GatedBlockstore{Blockstore: bs}
}

// Open lets reads through.
func (g *GatedBlockstore) Open() {
	g.open.Store(true)
	g.mu.Lock()
	g.fresh = nil
	g.mu.Unlock()
}

// IsOpen reports whether reads are let through.
func (g *GatedBlockstore) IsOpen() bool { return g.open.Load() }

// Get returns the block once the gate is open.
func (g *GatedBlockstore) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	if !g.admitted(c) {
		return nil, format.ErrNotFound{Cid: c}
	}
	return g.Blockstore.Get(ctx, c)
}

// Has reports false until the gate is open.
func (g *GatedBlockstore) Has(ctx context.Context, c cid.Cid) (bool, error) {
	if !g.admitted(c) {
		return false, nil
	}
	return g.Blockstore.Has(ctx, c)
}

// GetSize answers not found until the gate is open.
func (g *GatedBlockstore) GetSize(ctx context.Context, c cid.Cid) (int, error) {
	if !g.admitted(c) {
		return -1, format.ErrNotFound{Cid: c}
	}
	return g.Blockstore.GetSize(ctx, c)
}
