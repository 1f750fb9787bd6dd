package p2p

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// KFragProtocol is the libp2p protocol over which a grantor delivers a sealed
// kfrag to one proxy.
const KFragProtocol = "/vaultnode/kfrag/1.0.0"

// kfragSuite is the HPKE suite kfrags are sealed with (RFC 9180 base mode):
// X25519, HKDF-SHA256, ChaCha20-Poly1305.
var kfragSuite = hpke.NewSuite(kfragKEM, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305)

const kfragKEM = hpke.KEM_X25519_HKDF_SHA256

const (
	kfragInfo     = "vaultnode/kfrag-seal/v1"
	deliveryTag   = 'D'
	ProxyKeySize  = 32 // X25519 public key
	sealedMaxSize = 1024
)

// ProxyKey is a proxy's HPKE key pair. Its public half is recorded on-chain
// with the member, so grantors can seal kfrags to it.
type ProxyKey struct {
	pub  kem.PublicKey
	priv kem.PrivateKey
}

// GenerateProxyKey draws a fresh proxy key pair from rand.
func GenerateProxyKey(rand io.Reader) (*ProxyKey, error) {
	seed := make([]byte, kfragKEM.Scheme().SeedSize())
	defer clear(seed)
	if _, err := io.ReadFull(rand, seed); err != nil {
		return nil, fmt.Errorf("generate proxy key: %w", err)
	}
	return ProxyKeyFromSeed(seed)
}

// ProxyKeyFromSeed derives the proxy key pair from a 32-byte seed kept in
// the keystore.
func ProxyKeyFromSeed(seed []byte) (*ProxyKey, error) {
	s := kfragKEM.Scheme()
	if len(seed) != s.SeedSize() {
		return nil, fmt.Errorf("proxy key seed: %d bytes, want %d", len(seed), s.SeedSize())
	}
	pub, priv := s.DeriveKeyPair(seed)
	return &ProxyKey{pub: pub, priv: priv}, nil
}

// PublicBytes is the proxy's public key as recorded on-chain.
func (k *ProxyKey) PublicBytes() []byte {
	b, _ := k.pub.MarshalBinary()
	return b
}

// MaxPurposes bounds the purposes of use a grant's kfrags may carry.
const MaxPurposes = 16

// encodePurposes is the canonical encoding of a purpose list:
// count u8 | (len u8 | code)*. The order is the grantor's.
func encodePurposes(purposes []string) ([]byte, error) {
	if len(purposes) > MaxPurposes {
		return nil, fmt.Errorf("%d purposes of use, at most %d", len(purposes), MaxPurposes)
	}
	b := []byte{byte(len(purposes))}
	for _, p := range purposes {
		if len(p) == 0 || len(p) > MaxPurposeLen {
			return nil, fmt.Errorf("purpose of use %q: want 1..%d bytes", p, MaxPurposeLen)
		}
		b = append(b, byte(len(p)))
		b = append(b, p...)
	}
	return b, nil
}

// decodePurposes reads an encodePurposes prefix of b and returns the rest.
func decodePurposes(b []byte) ([]string, []byte, error) {
	if len(b) < 1 {
		return nil, nil, errors.New("purposes: missing count")
	}
	n := int(b[0])
	if n > MaxPurposes {
		return nil, nil, fmt.Errorf("purposes: %d, at most %d", n, MaxPurposes)
	}
	b = b[1:]
	var out []string
	for i := 0; i < n; i++ {
		if len(b) < 1 || b[0] == 0 || int(b[0]) > MaxPurposeLen || len(b) < 1+int(b[0]) {
			return nil, nil, fmt.Errorf("purposes: entry %d malformed", i)
		}
		out = append(out, string(b[1:1+int(b[0])]))
		b = b[1+int(b[0]):]
	}
	return out, b, nil
}

// storedKFragTag marks a stored kfrag record:
// 'P' 2 | purposes | kfrag*, one kfrag per key epoch of the stream (in the
// order they arrived), each reencrypt.KFragSize bytes. Version 1 records
// ('P' 1 | purposes | kfrag, written before key epochs) are still read.
const storedKFragTag = 'P'

const storedKFragVersion = 2

// MaxKFragsPerGrant bounds the kfrags one grant holds at a proxy: one per
// key epoch of its stream (keys.MaxStreamEpochs, plus the first key).
const MaxKFragsPerGrant = keys.MaxStreamEpochs + 1

// EncodeStoredKFrags is what a proxy keeps in its vault for a grant: its
// kfrags, one per key epoch of the stream, and the purposes of use the
// grantor allowed (none: any purpose).
func EncodeStoredKFrags(purposes []string, kfrags [][]byte) ([]byte, error) {
	if len(kfrags) == 0 || len(kfrags) > MaxKFragsPerGrant {
		return nil, fmt.Errorf("stored kfrag: %d kfrags (1..%d)", len(kfrags), MaxKFragsPerGrant)
	}
	pb, err := encodePurposes(purposes)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 2+len(pb)+len(kfrags)*reencrypt.KFragSize)
	b = append(b, storedKFragTag, storedKFragVersion)
	b = append(b, pb...)
	for i, kf := range kfrags {
		if len(kf) != reencrypt.KFragSize {
			clear(b)
			return nil, fmt.Errorf("stored kfrag: kfrag %d is %d bytes, want %d", i, len(kf), reencrypt.KFragSize)
		}
		b = append(b, kf...)
	}
	return b, nil
}

// DecodeStoredKFrags splits a vault record into its purposes and kfrags
// (which alias b).
func DecodeStoredKFrags(b []byte) ([]string, [][]byte, error) {
	if len(b) < 3 || b[0] != storedKFragTag || (b[1] != 1 && b[1] != storedKFragVersion) {
		return nil, nil, errors.New("stored kfrag: not a kfrag record of version 1 or 2")
	}
	purposes, rest, err := decodePurposes(b[2:])
	if err != nil {
		return nil, nil, fmt.Errorf("stored kfrag: %w", err)
	}
	if len(rest) == 0 || len(rest)%reencrypt.KFragSize != 0 || len(rest)/reencrypt.KFragSize > MaxKFragsPerGrant ||
		(b[1] == 1 && len(rest) != reencrypt.KFragSize) {
		return nil, nil, fmt.Errorf("stored kfrag: %d bytes of kfrags, want 1..%d of %d bytes", len(rest), MaxKFragsPerGrant, reencrypt.KFragSize)
	}
	var kfrags [][]byte
	for ; len(rest) > 0; rest = rest[reencrypt.KFragSize:] {
		kfrags = append(kfrags, rest[:reencrypt.KFragSize:reencrypt.KFragSize])
	}
	return purposes, kfrags, nil
}

// AddKFrag stores kfrag for grant in vault next to the kfrags it already
// holds for the grant's other key epochs; a kfrag for a delegating key
// already held replaces the old one. A grant's purposes of use never
// change: a kfrag delivered with other purposes is refused.
func AddKFrag(ctx context.Context, vault KFragVault, grant, streamTag [32]byte, purposes []string, kfrag []byte) error {
	kf, err := reencrypt.ParseKFrag(kfrag)
	if err != nil {
		return fmt.Errorf("store kfrag: %w", err)
	}
	defer kf.Wipe()
	var held [][]byte
	old, err := vault.KFrag(ctx, grant)
	switch {
	case errors.Is(err, ErrNoKFrag):
	case err != nil:
		return fmt.Errorf("store kfrag: %w", err)
	default:
		defer clear(old)
		ps, kfs, err := DecodeStoredKFrags(old)
		if err != nil {
			return fmt.Errorf("store kfrag: held record: %w", err)
		}
		if !slices.Equal(ps, purposes) {
			return fmt.Errorf("store kfrag: %w: the grant's purposes of use were %v, this kfrag carries %v", ErrPurposesChanged, ps, purposes)
		}
		for _, b := range kfs {
			h, err := reencrypt.ParseKFrag(b)
			if err != nil {
				return fmt.Errorf("store kfrag: held record: %w", err)
			}
			same := h.DelegatingKey().Equal(kf.DelegatingKey())
			h.Wipe()
			if !same {
				held = append(held, b)
			}
		}
	}
	rec, err := EncodeStoredKFrags(purposes, append(held, kfrag))
	if err != nil {
		return fmt.Errorf("store kfrag: %w", err)
	}
	defer clear(rec)
	return vault.PutKFrag(ctx, grant, streamTag, rec)
}

// ErrPurposesChanged: a kfrag for a grant arrived with other purposes of use
// than the grant's kfrags held already.
var ErrPurposesChanged = errors.New("purposes of use changed")

// SealKFrag seals a kfrag to a proxy's public key, bound to the grant id.
// It is SealKFragFor with no purpose restriction.
func SealKFrag(rand io.Reader, proxyPub []byte, grant [32]byte, kfrag []byte) ([]byte, error) {
	return SealKFragFor(rand, proxyPub, grant, nil, kfrag)
}

// SealKFragFor seals a kfrag to a proxy's public key, bound to the grant id
// and to the purposes of use the proxy must enforce (the HPKE associated
// data), so nobody without the kfrag can change them in transit.
func SealKFragFor(rand io.Reader, proxyPub []byte, grant [32]byte, purposes []string, kfrag []byte) ([]byte, error) {
	aad, err := kfragAAD(grant, purposes)
	if err != nil {
		return nil, fmt.Errorf("seal kfrag: %w", err)
	}
	pub, err := kfragKEM.Scheme().UnmarshalBinaryPublicKey(proxyPub)
	if err != nil {
		return nil, fmt.Errorf("seal kfrag: proxy public key: %w", err)
	}
	sender, err := kfragSuite.NewSender(pub, []byte(kfragInfo))
	if err != nil {
		return nil, fmt.Errorf("seal kfrag: %w", err)
	}
	enc, sealer, err := sender.Setup(rand)
	if err != nil {
		return nil, fmt.Errorf("seal kfrag: %w", err)
	}
	ct, err := sealer.Seal(kfrag, aad)
	if err != nil {
		return nil, fmt.Errorf("seal kfrag: %w", err)
	}
	return append(enc, ct...), nil
}

func kfragAAD(grant [32]byte, purposes []string) ([]byte, error) {
	pb, err := encodePurposes(purposes)
	if err != nil {
		return nil, err
	}
	return append(grant[:], pb...), nil
}

// OpenKFrag opens a sealed kfrag for grant and the purposes it was sealed
// with. The caller wipes the result.
func (k *ProxyKey) OpenKFrag(grant [32]byte, purposes []string, sealed []byte) ([]byte, error) {
	aad, err := kfragAAD(grant, purposes)
	if err != nil {
		return nil, fmt.Errorf("open kfrag: %w", err)
	}
	encLen := kfragKEM.Scheme().CiphertextSize()
	if len(sealed) <= encLen || len(sealed) > sealedMaxSize {
		return nil, fmt.Errorf("open kfrag: sealed kfrag of %d bytes", len(sealed))
	}
	recv, err := kfragSuite.NewReceiver(k.priv, []byte(kfragInfo))
	if err != nil {
		return nil, fmt.Errorf("open kfrag: %w", err)
	}
	opener, err := recv.Setup(sealed[:encLen])
	if err != nil {
		return nil, fmt.Errorf("open kfrag: %w", err)
	}
	pt, err := opener.Open(sealed[encLen:], aad)
	if err != nil {
		return nil, fmt.Errorf("open kfrag: not sealed to this proxy for this grant and purposes: %w", err)
	}
	return pt, nil
}

// deliveryVersion is the kfrag delivery message version: 2 added the
// purposes of use, 3 the stream tag (the chain no longer names a grant's
// stream; earlier versions are refused).
const deliveryVersion = 3

// kfragDelivery is the wire message:
// 'D' 3 | grant id 32 | stream tag 32 | purposes (count u8 | (len u8 | code)*) | sealed kfrag.
// The stream tag travels beside the sealed kfrag: the proxy accepts it only
// if the grant's on-chain stream binding confirms it.
func encodeDelivery(grant, stream [32]byte, purposes []string, sealed []byte) ([]byte, error) {
	pb, err := encodePurposes(purposes)
	if err != nil {
		return nil, err
	}
	b := []byte{deliveryTag, deliveryVersion}
	b = append(b, grant[:]...)
	b = append(b, stream[:]...)
	b = append(b, pb...)
	return append(b, sealed...), nil
}

func decodeDelivery(b []byte) (grant, stream [32]byte, purposes []string, sealed []byte, err error) {
	if len(b) < 2+64+1+1 {
		return grant, stream, nil, nil, malformed("kfrag delivery: %d bytes, too short", len(b))
	}
	if b[0] != deliveryTag || b[1] != deliveryVersion {
		return grant, stream, nil, nil, malformed("kfrag delivery: tag %#x version %d, want %#x version %d", b[0], b[1], deliveryTag, deliveryVersion)
	}
	copy(grant[:], b[2:34])
	copy(stream[:], b[34:66])
	purposes, sealed, err = decodePurposes(b[66:])
	if err != nil {
		return grant, stream, nil, nil, malformed("kfrag delivery: %v", err)
	}
	if len(sealed) == 0 {
		return grant, stream, nil, nil, malformed("kfrag delivery: no sealed kfrag")
	}
	return grant, stream, purposes, sealed, nil
}

// ServeKFrags registers the kfrag delivery handler: the proxy opens the
// sealed kfrag, checks the grant on-chain (live, naming this proxy), verifies
// the kfrag against the grant's signer and binding, and stores it in the
// vault. The answer is a response with Outcome Granted (stored) or a refusal.
func (p *Proxy) ServeKFrags(h host.Host, key *ProxyKey) {
	serveFrames(h, KFragProtocol, func(raw []byte) ([]byte, error) {
		resp := p.acceptKFrag(context.Background(), key, raw)
		if resp.Outcome == Granted {
			return []byte{ResponseTag, WireVersion, byte(Granted)}, nil // stored
		}
		return resp.MarshalBinary()
	})
}

func (p *Proxy) acceptKFrag(ctx context.Context, key *ProxyKey, raw []byte) *ReencryptResponse {
	grant, stream, purposes, sealed, err := decodeDelivery(raw)
	if err != nil {
		return refuse(RefusedMalformed, "%v", err)
	}
	kb, err := key.OpenKFrag(grant, purposes, sealed)
	if err != nil {
		return refuse(RefusedMalformed, "%v", err)
	}
	defer clear(kb)
	kf, err := reencrypt.ParseKFrag(kb)
	if err != nil {
		return refuse(RefusedMalformed, "kfrag: %v", err)
	}
	defer kf.Wipe()
	// A grant may open later (kfrags are delivered ahead of the window); one
	// that is unknown, revoked or closed gets no kfrag stored.
	g, err := p.cfg.Ledger.CheckGrant(ctx, grant, p.cfg.Now())
	if err != nil && !errors.Is(err, pointers.ErrGrantNotYetValid) {
		return refuse(RefusedNoGrant, "grant is not live on chain: %v", err)
	}
	isProxy := false
	for _, a := range g.Proxies {
		if a == p.cfg.Self {
			isProxy = true
		}
	}
	if !isProxy {
		return refuse(RefusedNotProxy, "this node is not a proxy of the grant")
	}
	if !pointers.GrantKeyOf(stream).Binds(g.ID, g.StreamBinding) {
		return refuse(RefusedMalformed, "kfrag delivery: the stream tag is not the one the grant's on-chain binding names")
	}
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	if err := kf.Verify(g.SignerKey, kf.DelegatingKey(), kf.ReceivingKey(), binding); err != nil {
		return refuse(RefusedBadSignature, "kfrag does not verify for the grant: %v", err)
	}
	// One delivery at a time merges into the grant's record (a grant holds
	// one kfrag per key epoch of its stream), and the verified copy in
	// memory is dropped so that the next request loads the new set.
	p.deliveries.Lock()
	defer p.deliveries.Unlock()
	err = AddKFrag(ctx, p.cfg.Vault, grant, stream, purposes, kb)
	if errors.Is(err, ErrPurposesChanged) {
		return refuse(RefusedMalformed, "kfrag delivery: %v", err)
	}
	if err != nil {
		p.log.Error("store kfrag", "err", err)
		return refuse(RefusedInternal, "kfrag could not be stored")
	}
	p.dropHeld(grant)
	return &ReencryptResponse{Outcome: Granted, CFrag: nil}
}

// ProxyTarget is where one kfrag goes: the proxy's peer id and its public
// HPKE key from the member registry.
type ProxyTarget struct {
	Peer     peer.ID
	ProxyKey []byte
}

// DeliverKFrags seals kfrags[i] to targets[i] and sends it; it returns once
// every proxy confirmed storage, or the first failure. A non-empty purposes
// list restricts the grant to those purposes of use: each proxy refuses
// requests for any other (RefusedPurpose). stream is the grant's stream tag,
// which the proxy checks against the grant's on-chain binding.
func DeliverKFrags(ctx context.Context, h host.Host, rand io.Reader, grant, stream [32]byte, purposes []string, kfrags []*reencrypt.KFrag, targets []ProxyTarget) error {
	if len(kfrags) != len(targets) {
		return fmt.Errorf("p2p: %d kfrags for %d proxies", len(kfrags), len(targets))
	}
	for i, kf := range kfrags {
		kb := kf.Bytes()
		sealed, err := SealKFragFor(rand, targets[i].ProxyKey, grant, purposes, kb)
		clear(kb)
		if err != nil {
			return err
		}
		msg, err := encodeDelivery(grant, stream, purposes, sealed)
		if err != nil {
			return err
		}
		if err := sendKFragOnceGrantSeen(ctx, h, targets[i].Peer, msg); err != nil {
			return fmt.Errorf("p2p: deliver kfrag %d to %s: %w", i, targets[i].Peer, err)
		}
	}
	return nil
}

// grantSeenWithin bounds how long a delivery waits for a proxy whose chain
// view does not show the grant yet.
const grantSeenWithin = 20 * time.Second

// sendKFragOnceGrantSeen sends a kfrag delivery and, while the proxy
// answers that the grant is unknown, sends it again (backing off from
// 250 ms): the grant was just recorded and the proxy's chain endpoint may
// be a block or two behind the granter's (a validator catching up after a
// restart). Any other refusal is final.
func sendKFragOnceGrantSeen(ctx context.Context, h host.Host, pid peer.ID, msg []byte) error {
	deadline := time.Now().Add(grantSeenWithin)
	wait := 250 * time.Millisecond
	for {
		err := sendKFrag(ctx, h, pid, msg)
		var re *RefusalError
		if err == nil || !errors.As(err, &re) || re.Outcome != RefusedNoGrant || time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 4*time.Second)
	}
}

func sendKFrag(ctx context.Context, h host.Host, pid peer.ID, msg []byte) error {
	b, err := roundTrip(ctx, h, pid, KFragProtocol, msg)
	if err != nil {
		return err
	}
	if len(b) < 3 || b[0] != ResponseTag {
		return errors.New("malformed acknowledgement")
	}
	if Outcome(b[2]) != Granted {
		resp, err := ParseReencryptResponse(b)
		if err != nil {
			return err
		}
		return &RefusalError{Outcome: resp.Outcome, Message: resp.Message}
	}
	return nil
}
