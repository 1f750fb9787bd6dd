package p2p

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

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

// SealKFrag seals a kfrag to a proxy's public key, bound to the grant id.
func SealKFrag(rand io.Reader, proxyPub []byte, grant [32]byte, kfrag []byte) ([]byte, error) {
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
	ct, err := sealer.Seal(kfrag, grant[:])
	if err != nil {
		return nil, fmt.Errorf("seal kfrag: %w", err)
	}
	return append(enc, ct...), nil
}

// OpenKFrag opens a sealed kfrag for grant. The caller wipes the result.
func (k *ProxyKey) OpenKFrag(grant [32]byte, sealed []byte) ([]byte, error) {
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
	pt, err := opener.Open(sealed[encLen:], grant[:])
	if err != nil {
		return nil, fmt.Errorf("open kfrag: not sealed to this proxy for this grant: %w", err)
	}
	return pt, nil
}

// kfragDelivery is the wire message: 'D' 1 | grant id 32 | sealed kfrag.
func encodeDelivery(grant [32]byte, sealed []byte) []byte {
	b := []byte{deliveryTag, wireVersion}
	b = append(b, grant[:]...)
	return append(b, sealed...)
}

func decodeDelivery(b []byte) ([32]byte, []byte, error) {
	var grant [32]byte
	if len(b) < 2+32+1 {
		return grant, nil, malformed("kfrag delivery: %d bytes, too short", len(b))
	}
	if b[0] != deliveryTag || b[1] != wireVersion {
		return grant, nil, malformed("kfrag delivery: tag %#x version %d", b[0], b[1])
	}
	copy(grant[:], b[2:34])
	return grant, b[34:], nil
}

// ServeKFrags registers the kfrag delivery handler: the proxy opens the
// sealed kfrag, checks the grant on-chain (live, naming this proxy), verifies
// the kfrag against the grant's signer and binding, and stores it in the
// vault. The answer is a response with Outcome Granted (stored) or a refusal.
func (p *Proxy) ServeKFrags(h host.Host, key *ProxyKey) {
	serveFrames(h, KFragProtocol, func(raw []byte) ([]byte, error) {
		resp := p.acceptKFrag(context.Background(), key, raw)
		if resp.Outcome == Granted {
			return []byte{responseTag, wireVersion, byte(Granted)}, nil // stored
		}
		return resp.MarshalBinary()
	})
}

func (p *Proxy) acceptKFrag(ctx context.Context, key *ProxyKey, raw []byte) *ReencryptResponse {
	grant, sealed, err := decodeDelivery(raw)
	if err != nil {
		return refuse(RefusedMalformed, "%v", err)
	}
	kb, err := key.OpenKFrag(grant, sealed)
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
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	if err := kf.Verify(g.SignerKey, kf.DelegatingKey(), kf.ReceivingKey(), binding); err != nil {
		return refuse(RefusedBadSignature, "kfrag does not verify for the grant: %v", err)
	}
	if err := p.cfg.Vault.PutKFrag(ctx, grant, g.StreamTag, kb); err != nil {
		p.log.Error("store kfrag", "err", err)
		return refuse(RefusedInternal, "kfrag could not be stored")
	}
	return &ReencryptResponse{Outcome: Granted, CFrag: nil}
}

// ProxyTarget is where one kfrag goes: the proxy's peer id and its public
// HPKE key from the member registry.
type ProxyTarget struct {
	Peer     peer.ID
	ProxyKey []byte
}

// DeliverKFrags seals kfrags[i] to targets[i] and sends it; it returns once
// every proxy confirmed storage, or the first failure.
func DeliverKFrags(ctx context.Context, h host.Host, rand io.Reader, grant [32]byte, kfrags []*reencrypt.KFrag, targets []ProxyTarget) error {
	if len(kfrags) != len(targets) {
		return fmt.Errorf("p2p: %d kfrags for %d proxies", len(kfrags), len(targets))
	}
	for i, kf := range kfrags {
		kb := kf.Bytes()
		sealed, err := SealKFrag(rand, targets[i].ProxyKey, grant, kb)
		clear(kb)
		if err != nil {
			return err
		}
		if err := sendKFrag(ctx, h, targets[i].Peer, encodeDelivery(grant, sealed)); err != nil {
			return fmt.Errorf("p2p: deliver kfrag %d to %s: %w", i, targets[i].Peer, err)
		}
	}
	return nil
}

func sendKFrag(ctx context.Context, h host.Host, pid peer.ID, msg []byte) error {
	s, err := h.NewStream(ctx, pid, KFragProtocol)
	if err != nil {
		return err
	}
	defer s.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = s.SetDeadline(dl)
	}
	if err := writeFrame(s, msg); err != nil {
		_ = s.Reset()
		return err
	}
	_ = s.CloseWrite()
	b, err := readFrame(s)
	if err != nil {
		return err
	}
	if len(b) < 3 || b[0] != responseTag {
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
