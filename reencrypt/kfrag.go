package reencrypt

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	r255 "github.com/gtank/ristretto255"
)

// MaxShares is the largest N (and so M) GenerateKFrags accepts; M and N are
// encoded in one byte each.
const MaxShares = 255

// KFragIDSize is the length of a kfrag identifier.
const KFragIDSize = 32

// KFragBindingSize is the length of the encoded KFragBinding.
const KFragBindingSize = 48

// KFragSize is the length of KFrag.Bytes.
const KFragSize = 308

const _ = uint8(KFragSize - (headerSize + KFragIDSize + scalarSize + 4*pointSize + 2 + KFragBindingSize + ed25519.SignatureSize))
const _ = uint8((headerSize + KFragIDSize + scalarSize + 4*pointSize + 2 + KFragBindingSize + ed25519.SignatureSize) - KFragSize)

// Errors of delegation (kfrags) and re-encryption (cfrags).
var (
	// ErrBadSignature: a kfrag signature does not verify under the expected
	// signer for the expected delegator, grantee and grant.
	ErrBadSignature = errors.New("reencrypt: kfrag signature invalid")
	// ErrWrongDelegation: a kfrag or cfrag names another delegator, grantee
	// or grant than the one expected.
	ErrWrongDelegation = errors.New("reencrypt: kfrag belongs to another delegation")
	// ErrUnverified: a kfrag or cfrag was used before Verify succeeded.
	ErrUnverified = errors.New("reencrypt: fragment not verified")
	// ErrBadKFrag: a kfrag's secret share does not match its commitment.
	ErrBadKFrag = errors.New("reencrypt: kfrag share does not match its commitment")
	// ErrBadParameters: invalid threshold, share count or binding.
	ErrBadParameters = errors.New("reencrypt: invalid parameters")
)

// KFragBinding is what a delegation is for, besides the keys: the grant it
// implements and its validity window. Every kfrag's Ed25519 signature covers
// it, together with the delegating key, the receiving key, the threshold and
// the share count. Times are encoded as whole Unix seconds (sub-second parts
// are dropped). This package does not read a clock: callers decide whether
// the window covers "now" (see Covers).
type KFragBinding struct {
	GrantID   [32]byte
	NotBefore time.Time
	NotAfter  time.Time
}

// Covers reports whether t lies in [NotBefore, NotAfter] at second precision.
func (b KFragBinding) Covers(t time.Time) bool {
	s := t.Unix()
	return s >= b.NotBefore.Unix() && s <= b.NotAfter.Unix()
}

func (b KFragBinding) validate() error {
	if b.NotAfter.Unix() < b.NotBefore.Unix() {
		return fmt.Errorf("binding: not-after %s is before not-before %s: %w",
			b.NotAfter.UTC().Format(time.RFC3339), b.NotBefore.UTC().Format(time.RFC3339), ErrBadParameters)
	}
	return nil
}

func (b KFragBinding) encode(out []byte) []byte {
	out = append(out, b.GrantID[:]...)
	out = binary.BigEndian.AppendUint64(out, uint64(b.NotBefore.Unix()))
	return binary.BigEndian.AppendUint64(out, uint64(b.NotAfter.Unix()))
}

func decodeBinding(b []byte) KFragBinding {
	var kb KFragBinding
	copy(kb.GrantID[:], b[:32])
	kb.NotBefore = time.Unix(int64(binary.BigEndian.Uint64(b[32:40])), 0).UTC()
	kb.NotAfter = time.Unix(int64(binary.BigEndian.Uint64(b[40:48])), 0).UTC()
	return kb
}

// KFrag is one share of a re-encryption key from a delegating key to a
// receiving key, signed by the delegator's Ed25519 signer. It holds a secret
// scalar (rk): store it sealed to its proxy, and Wipe it when done.
type KFrag struct {
	id         [KFragIDSize]byte
	rk         r255.Scalar // secret share f(x_i)
	precursor  r255.Element
	commitment r255.Element // U1 = rk·U
	delegating *PublicKey
	receiving  *PublicKey
	threshold  uint8
	shares     uint8
	binding    KFragBinding
	sig        [ed25519.SignatureSize]byte

	precursorEnc, commitmentEnc [pointSize]byte
	verified                    atomic.Bool
}

// GenerateKFrags splits the re-encryption key from delegating to receiving
// into shares kfrags, any threshold of which let the receiving key open
// capsules made for the delegating key. Each kfrag is signed with signer
// (Ed25519) over the delegating and receiving keys, the threshold, the share
// count, the binding and its own public parts. All randomness comes from rand.
// The returned kfrags are verified.
func GenerateKFrags(rand io.Reader, delegating *SecretKey, receiving *PublicKey, signer ed25519.PrivateKey,
	threshold, shares int, binding KFragBinding) ([]*KFrag, error) {
	if err := delegating.check(); err != nil {
		return nil, fmt.Errorf("generate kfrags: delegating key: %w", err)
	}
	if err := receiving.check(); err != nil {
		return nil, fmt.Errorf("generate kfrags: receiving key: %w", err)
	}
	if len(signer) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("generate kfrags: signer key has %d bytes, want %d: %w", len(signer), ed25519.PrivateKeySize, ErrBadParameters)
	}
	if threshold < 1 || shares < threshold || shares > MaxShares {
		return nil, fmt.Errorf("generate kfrags: need 1 <= threshold (%d) <= shares (%d) <= %d: %w", threshold, shares, MaxShares, ErrBadParameters)
	}
	if err := binding.validate(); err != nil {
		return nil, fmt.Errorf("generate kfrags: %w", err)
	}
	pkA := delegating.PublicKey()
	if pkA.Equal(receiving) {
		return nil, fmt.Errorf("generate kfrags: receiving key equals delegating key: %w", ErrBadParameters)
	}

	// Precursor: x_A random, X_A = x_A·G, d = H3(X_A, pkB, x_A·pkB).
	var xA r255.Scalar
	defer xA.Zero()
	if err := randomNonZeroScalar(rand, &xA); err != nil {
		return nil, fmt.Errorf("generate kfrags: %w", err)
	}
	var precursor, dh r255.Element
	defer dh.Zero()
	precursor.ScalarBaseMult(&xA)
	var precursorEnc [pointSize]byte
	precursor.Encode(precursorEnc[:0])
	dh.ScalarMult(&xA, &receiving.p)
	var d r255.Scalar
	defer d.Zero()
	dhFactor(&d, precursorEnc[:], receiving, &dh)
	if isZero(&d) {
		return nil, fmt.Errorf("generate kfrags: degenerate DH factor, retry: %w", ErrRandom)
	}

	// Polynomial f of degree threshold-1 with f(0) = a·d⁻¹.
	coeffs := make([]r255.Scalar, threshold)
	defer func() {
		for i := range coeffs {
			coeffs[i].Zero()
		}
	}()
	var dInv r255.Scalar
	defer dInv.Zero()
	dInv.Invert(&d)
	coeffs[0].Multiply(&delegating.s, &dInv)
	for i := 1; i < threshold; i++ {
		if err := randomNonZeroScalar(rand, &coeffs[i]); err != nil {
			return nil, fmt.Errorf("generate kfrags: %w", err)
		}
	}

	// D = H6(pkA, pkB, a·pkB): the delegation secret shared by A and B only.
	var shared r255.Element
	defer shared.Zero()
	shared.ScalarMult(&delegating.s, &receiving.p)
	var dSecret [scalarSize]byte
	defer wipeBytes(dSecret[:])
	delegationSecret(&dSecret, pkA, receiving, &shared)

	kfrags := make([]*KFrag, 0, shares)
	// Share indices drawn so far, compared in constant time (they are secret
	// from the proxies).
	xs := make([]r255.Scalar, 0, shares)
	defer func() {
		for i := range xs {
			xs[i].Zero()
		}
	}()
	for len(kfrags) < shares {
		kf := &KFrag{
			delegating: pkA,
			receiving:  receiving,
			threshold:  uint8(threshold),
			shares:     uint8(shares),
			binding:    truncateBinding(binding),
			precursor:  precursor,
		}
		kf.precursorEnc = precursorEnc
		if _, err := io.ReadFull(rand, kf.id[:]); err != nil {
			return nil, fmt.Errorf("generate kfrags: %w: %w", ErrRandom, err)
		}
		var x r255.Scalar
		shareIndex(&x, kf.id[:], &dSecret)
		repeated := 0
		for i := range xs {
			repeated |= xs[i].Equal(&x)
		}
		if isZero(&x) || repeated == 1 {
			continue // probability ~2^-252; draw another id
		}
		// rk = f(x) by Horner's rule.
		kf.rk = coeffs[threshold-1]
		for j := threshold - 2; j >= 0; j-- {
			kf.rk.Multiply(&kf.rk, &x).Add(&kf.rk, &coeffs[j])
		}
		if isZero(&kf.rk) {
			continue
		}
		xs = append(xs, x)
		x.Zero()
		kf.commitment.ScalarMult(&kf.rk, generatorU)
		kf.commitment.Encode(kf.commitmentEnc[:0])
		sig := ed25519.Sign(signer, kf.signedMessage())
		copy(kf.sig[:], sig)
		kf.verified.Store(true)
		kfrags = append(kfrags, kf)
	}
	return kfrags, nil
}

func truncateBinding(b KFragBinding) KFragBinding {
	return KFragBinding{GrantID: b.GrantID, NotBefore: time.Unix(b.NotBefore.Unix(), 0).UTC(), NotAfter: time.Unix(b.NotAfter.Unix(), 0).UTC()}
}

// dhFactor d = H3(X_A || pkB || DH) with DSTDHFactor.
func dhFactor(d *r255.Scalar, precursorEnc []byte, receiving *PublicKey, dh *r255.Element) {
	var dhEnc [pointSize]byte
	defer wipeBytes(dhEnc[:])
	dh.Encode(dhEnc[:0])
	hashToScalar(d, DSTDHFactor, precursorEnc, receiving.enc[:], dhEnc[:])
}

// delegationSecret D = H6(pkA || pkB || a·pkB) with DSTDelegation, as a
// 32-byte scalar encoding.
func delegationSecret(out *[scalarSize]byte, pkA, pkB *PublicKey, shared *r255.Element) {
	var enc [pointSize]byte
	defer wipeBytes(enc[:])
	shared.Encode(enc[:0])
	var s r255.Scalar
	defer s.Zero()
	hashToScalar(&s, DSTDelegation, pkA.enc[:], pkB.enc[:], enc[:])
	s.Encode(out[:0])
}

// shareIndex x_i = H5(id_i || D) with DSTShareIndex.
func shareIndex(x *r255.Scalar, id []byte, dSecret *[scalarSize]byte) {
	hashToScalar(x, DSTShareIndex, id, dSecret[:])
}

// signedMessage is what the delegator's Ed25519 key signs for a kfrag:
// DSTKFragSignature || id || X_A || U1 || pkA || pkB || M || N || binding.
// All fields have fixed lengths.
func (kf *KFrag) signedMessage() []byte {
	return kfragMessage(kf.id[:], kf.precursorEnc[:], kf.commitmentEnc[:], kf.delegating, kf.receiving,
		kf.threshold, kf.shares, kf.binding)
}

func kfragMessage(id, precursor, commitment []byte, pkA, pkB *PublicKey, m, n uint8, b KFragBinding) []byte {
	msg := make([]byte, 0, len(DSTKFragSignature)+KFragIDSize+4*pointSize+2+KFragBindingSize)
	msg = append(msg, DSTKFragSignature...)
	msg = append(msg, id...)
	msg = append(msg, precursor...)
	msg = append(msg, commitment...)
	msg = append(msg, pkA.enc[:]...)
	msg = append(msg, pkB.enc[:]...)
	msg = append(msg, m, n)
	return b.encode(msg)
}

// Verify checks that kf was signed by signer for exactly this delegating key,
// receiving key and binding, and that its secret share matches its public
// commitment. A proxy must call it on every kfrag it receives; ReEncrypt
// refuses kfrags that have not passed it.
func (kf *KFrag) Verify(signer ed25519.PublicKey, delegating, receiving *PublicKey, binding KFragBinding) error {
	if err := kf.checkDelegation(signer, delegating, receiving, binding); err != nil {
		return fmt.Errorf("verify kfrag: %w", err)
	}
	if !ed25519.Verify(signer, kf.signedMessage(), kf.sig[:]) {
		return fmt.Errorf("verify kfrag: %w", ErrBadSignature)
	}
	var u1 r255.Element
	u1.ScalarMult(&kf.rk, generatorU)
	if u1.Equal(&kf.commitment) != 1 {
		return fmt.Errorf("verify kfrag: %w", ErrBadKFrag)
	}
	kf.verified.Store(true)
	return nil
}

func (kf *KFrag) checkDelegation(signer ed25519.PublicKey, delegating, receiving *PublicKey, binding KFragBinding) error {
	if len(signer) != ed25519.PublicKeySize {
		return fmt.Errorf("signer key has %d bytes, want %d: %w", len(signer), ed25519.PublicKeySize, ErrBadParameters)
	}
	if err := delegating.check(); err != nil {
		return fmt.Errorf("delegating key: %w", err)
	}
	if err := receiving.check(); err != nil {
		return fmt.Errorf("receiving key: %w", err)
	}
	if !kf.delegating.Equal(delegating) {
		return fmt.Errorf("kfrag is for another delegating key: %w", ErrWrongDelegation)
	}
	if !kf.receiving.Equal(receiving) {
		return fmt.Errorf("kfrag is for another receiving key: %w", ErrWrongDelegation)
	}
	if !equalBytes(kf.binding.encode(nil), binding.encode(nil)) {
		return fmt.Errorf("kfrag is for another grant or validity window: %w", ErrWrongDelegation)
	}
	return nil
}

// ID returns the kfrag's public identifier.
func (kf *KFrag) ID() [KFragIDSize]byte { return kf.id }

// Threshold returns M, the number of cfrags needed to open a capsule.
func (kf *KFrag) Threshold() int { return int(kf.threshold) }

// Shares returns N, the number of kfrags of the delegation.
func (kf *KFrag) Shares() int { return int(kf.shares) }

// Binding returns the grant binding the kfrag was signed for.
func (kf *KFrag) Binding() KFragBinding { return kf.binding }

// DelegatingKey returns the delegating public key the kfrag names.
func (kf *KFrag) DelegatingKey() *PublicKey { return kf.delegating }

// ReceivingKey returns the receiving (grantee) public key the kfrag names.
func (kf *KFrag) ReceivingKey() *PublicKey { return kf.receiving }

// Wipe zeroes the secret share; the kfrag is unusable afterwards.
func (kf *KFrag) Wipe() {
	if kf != nil {
		kf.rk.Zero()
		kf.verified.Store(false)
	}
}

// Bytes returns the versioned encoding (KFragSize bytes):
// 'K' 1 | id 32 | rk 32 | X_A 32 | U1 32 | pkA 32 | pkB 32 | M 1 | N 1 |
// grant id 32 | not-before 8 | not-after 8 | Ed25519 signature 64.
// It contains the secret share: seal it before storing or sending it, and
// wipe the slice afterwards.
func (kf *KFrag) Bytes() []byte {
	out := make([]byte, 0, KFragSize)
	out = append(out, tagKFrag, version1)
	out = append(out, kf.id[:]...)
	out = kf.rk.Encode(out)
	out = append(out, kf.precursorEnc[:]...)
	out = append(out, kf.commitmentEnc[:]...)
	out = append(out, kf.delegating.enc[:]...)
	out = append(out, kf.receiving.enc[:]...)
	out = append(out, kf.threshold, kf.shares)
	out = kf.binding.encode(out)
	return append(out, kf.sig[:]...)
}

// ParseKFrag decodes a kfrag strictly. The result is not verified: call
// Verify before using it.
func ParseKFrag(b []byte) (*KFrag, error) {
	body, err := checkHeader(b, tagKFrag, KFragSize, "kfrag")
	if err != nil {
		return nil, err
	}
	kf := new(KFrag)
	r := reader{b: body}
	copy(kf.id[:], r.next(KFragIDSize))
	if err := decodeScalar(&kf.rk, r.next(scalarSize), "kfrag share rk"); err != nil {
		return nil, err
	}
	if isZero(&kf.rk) {
		return nil, fmt.Errorf("kfrag share rk: %w", ErrZeroScalar)
	}
	if err := decodePointEnc(&kf.precursor, &kf.precursorEnc, r.next(pointSize), "kfrag precursor X_A"); err != nil {
		return nil, err
	}
	if err := decodePointEnc(&kf.commitment, &kf.commitmentEnc, r.next(pointSize), "kfrag commitment U1"); err != nil {
		return nil, err
	}
	if kf.delegating, err = parseRawPublicKey(r.next(pointSize), "kfrag delegating key"); err != nil {
		return nil, err
	}
	if kf.receiving, err = parseRawPublicKey(r.next(pointSize), "kfrag receiving key"); err != nil {
		return nil, err
	}
	kf.threshold, kf.shares = r.next(1)[0], r.next(1)[0]
	if kf.threshold < 1 || kf.shares < kf.threshold {
		return nil, fmt.Errorf("kfrag: threshold %d, shares %d: %w", kf.threshold, kf.shares, ErrBadParameters)
	}
	kf.binding = decodeBinding(r.next(KFragBindingSize))
	if err := kf.binding.validate(); err != nil {
		return nil, fmt.Errorf("kfrag %w", err)
	}
	copy(kf.sig[:], r.next(ed25519.SignatureSize))
	return kf, nil
}

// reader walks a buffer whose total length was already checked.
type reader struct {
	b   []byte
	off int
}

func (r *reader) next(n int) []byte {
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func decodePointEnc(p *r255.Element, enc *[pointSize]byte, b []byte, what string) error {
	if err := decodePoint(p, b, what); err != nil {
		return err
	}
	copy(enc[:], b)
	return nil
}

func parseRawPublicKey(b []byte, what string) (*PublicKey, error) {
	pk := new(PublicKey)
	if err := decodePointEnc(&pk.p, &pk.enc, b, what); err != nil {
		return nil, err
	}
	return pk, nil
}
