package reencrypt

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	r255 "github.com/gtank/ristretto255"
)

// RequestIDSize is the length of RequestBinding.RequestID.
const RequestIDSize = 32

// CFragSize is the length of CFrag.Bytes.
const CFragSize = 292

// Compile-time check of CFragSize against its layout.
const _ = uint8(CFragSize - (headerSize + 4*pointSize + KFragIDSize + 2 + ed25519.SignatureSize + 2*scalarSize))
const _ = uint8((headerSize + 4*pointSize + KFragIDSize + 2 + ed25519.SignatureSize + 2*scalarSize) - CFragSize)

// Errors of re-encryption and combination.
var (
	// ErrBadProof: a cfrag's correctness proof does not verify for this
	// capsule, kfrag commitment and request.
	ErrBadProof = errors.New("reencrypt: cfrag proof invalid")
	// ErrNotEnoughCFrags: fewer distinct cfrags than the threshold.
	ErrNotEnoughCFrags = errors.New("reencrypt: not enough distinct cfrags")
	// ErrMixedCFrags: cfrags come from different delegations (kfrag sets).
	ErrMixedCFrags = errors.New("reencrypt: cfrags from different delegations")
)

// RequestBinding identifies one re-encryption request. The cfrag's proof
// covers it, so a cfrag (and its proof) made for one request does not verify
// for another. RequestID should be unique per request, e.g. SHA-256 of the
// grantee-signed request including its nonce; Expires is encoded as Unix
// seconds. This package does not read a clock: callers refuse expired
// requests.
type RequestBinding struct {
	RequestID [RequestIDSize]byte
	Expires   time.Time
}

func (r RequestBinding) encode(out []byte) []byte {
	out = append(out, r.RequestID[:]...)
	return binary.BigEndian.AppendUint64(out, uint64(r.Expires.Unix()))
}

// CFrag is a capsule fragment: a proxy's re-encryption E1 = rk·E, V1 = rk·V
// of a capsule with one kfrag, with the public parts of that kfrag (so the
// grantee can check the delegator's signature) and a proof that both were
// computed with the committed share. E1 and V1 travel apart so that the
// grantee can check the combination against the capsule and the delegating
// key (DecapsulateFrags). It holds no secret.
type CFrag struct {
	e1, v1     r255.Element
	id         [KFragIDSize]byte
	precursor  r255.Element
	commitment r255.Element
	threshold  uint8
	shares     uint8
	sig        [ed25519.SignatureSize]byte
	c, z       r255.Scalar // proof: challenge and response

	enc      [CFragSize]byte
	verified atomic.Pointer[verifiedFor] // what it was verified for
}

// ReEncrypt re-encrypts capsule with kfrag for the request req: E1 = rk·E,
// V1 = rk·V, and proves (Chaum–Pedersen, Fiat–Shamir) that both have the same
// discrete log rk as the kfrag's signed commitment U1 = rk·U. kfrag must have
// passed Verify (or come from GenerateKFrags). All randomness comes from rand.
func ReEncrypt(rand io.Reader, capsule *Capsule, kfrag *KFrag, req RequestBinding) (*CFrag, error) {
	if err := capsule.check(); err != nil {
		return nil, fmt.Errorf("reencrypt: %w", err)
	}
	if kfrag == nil || !kfrag.verified.Load() {
		return nil, fmt.Errorf("reencrypt: kfrag: %w", ErrUnverified)
	}
	var tau r255.Scalar
	defer tau.Zero()
	if err := hedgedNonce(rand, &tau, kfrag, capsule, req); err != nil {
		return nil, fmt.Errorf("reencrypt: %w", err)
	}
	cf := &CFrag{
		id:         kfrag.id,
		precursor:  kfrag.precursor,
		commitment: kfrag.commitment,
		threshold:  kfrag.threshold,
		shares:     kfrag.shares,
		sig:        kfrag.sig,
	}
	cf.e1.ScalarMult(&kfrag.rk, &capsule.e)
	cf.v1.ScalarMult(&kfrag.rk, &capsule.v)
	var e2, v2, u2 r255.Element
	e2.ScalarMult(&tau, &capsule.e)
	v2.ScalarMult(&tau, &capsule.v)
	u2.ScalarMult(&tau, generatorU)

	// Encode everything once: the cfrag body feeds both Bytes and the challenge.
	enc := cf.enc[:0]
	enc = append(enc, tagCFrag, versionCFrag)
	enc = cf.e1.Encode(enc)
	enc = cf.v1.Encode(enc)
	enc = append(enc, cf.id[:]...)
	enc = append(enc, kfrag.precursorEnc[:]...)
	enc = append(enc, kfrag.commitmentEnc[:]...)
	enc = append(enc, cf.threshold, cf.shares)
	enc = append(enc, cf.sig[:]...)
	var proofCommitments [3 * pointSize]byte
	e2.Encode(proofCommitments[:0])
	v2.Encode(proofCommitments[pointSize:pointSize])
	u2.Encode(proofCommitments[2*pointSize : 2*pointSize])
	proofChallenge(&cf.c, capsule, cf.enc[headerSize:cfragProofOffset], proofCommitments[:], req)
	cf.z.Multiply(&cf.c, &kfrag.rk).Add(&cf.z, &tau) // z = τ + c·rk
	enc = cf.c.Encode(enc)
	cf.z.Encode(enc)
	return cf, nil
}

// hedgedNonce sets tau to H(DSTProofNonce; rk || capsule || request ||
// fresh), retried in the (2^-252) case of zero. The secret share and the
// inputs make τ unique per (share, capsule, request) even if rand repeats;
// the fresh bytes keep it unpredictable if the hash inputs repeat.
func hedgedNonce(rand io.Reader, tau *r255.Scalar, kfrag *KFrag, capsule *Capsule, req RequestBinding) error {
	var fresh [32]byte
	defer wipeBytes(fresh[:])
	rk := kfrag.rk.Encode(make([]byte, 0, scalarSize))
	defer wipeBytes(rk)
	reqEnc := req.encode(make([]byte, 0, RequestIDSize+8))
	for {
		if _, err := io.ReadFull(rand, fresh[:]); err != nil {
			return fmt.Errorf("%w: %w", ErrRandom, err)
		}
		hashToScalar(tau, DSTProofNonce, rk, capsule.enc[:], reqEnc, fresh[:])
		if !isZero(tau) {
			return nil
		}
	}
}

// cfragProofOffset is where (c, z) start in the encoding.
const cfragProofOffset = CFragSize - 2*scalarSize

// proofChallenge c = H(DSTCFragProof; E || V || s || cfrag body || E2 || V2 || U2 || U || request).
// The cfrag body is E1 || V1 || id || X_A || U1 || M || N || signature.
func proofChallenge(c *r255.Scalar, capsule *Capsule, body, commitments []byte, req RequestBinding) {
	reqEnc := req.encode(make([]byte, 0, RequestIDSize+8))
	hashToScalar(c, DSTCFragProof, capsule.enc[headerSize:], body, commitments, generatorUEnc[:], reqEnc)
}

// Verify checks cf for the given capsule and request: the kfrag signature
// under signer for this delegating key, receiving key and binding, and the
// correctness proof. On success cf is marked verified for this capsule and
// these keys, which DecapsulateFrags requires. All inputs are public, so the
// check runs in variable time. Verify is safe for concurrent use.
func (cf *CFrag) Verify(capsule *Capsule, signer ed25519.PublicKey, delegating, receiving *PublicKey,
	binding KFragBinding, req RequestBinding) error {
	if err := capsule.check(); err != nil {
		return fmt.Errorf("verify cfrag: %w", err)
	}
	if len(signer) != ed25519.PublicKeySize {
		return fmt.Errorf("verify cfrag: signer key has %d bytes, want %d: %w", len(signer), ed25519.PublicKeySize, ErrBadParameters)
	}
	if err := delegating.check(); err != nil {
		return fmt.Errorf("verify cfrag: delegating key: %w", err)
	}
	if err := receiving.check(); err != nil {
		return fmt.Errorf("verify cfrag: receiving key: %w", err)
	}
	body := cf.enc[headerSize:]
	id := body[2*pointSize : 2*pointSize+KFragIDSize]
	precursor := body[2*pointSize+KFragIDSize : 3*pointSize+KFragIDSize]
	commitment := body[3*pointSize+KFragIDSize : 4*pointSize+KFragIDSize]
	msg := kfragMessage(id, precursor, commitment, delegating, receiving, cf.threshold, cf.shares, truncateBinding(binding))
	if !ed25519.Verify(signer, msg, cf.sig[:]) {
		return fmt.Errorf("verify cfrag: kfrag signature does not verify for this signer, delegator, grantee and grant: %w", ErrBadSignature)
	}
	// Recompute the commitments: E2 = z·E − c·E1, V2 = z·V − c·V1 and
	// U2 = z·U − c·U1.
	var negC r255.Scalar
	negC.Negate(&cf.c)
	scalars := []*r255.Scalar{&cf.z, &negC}
	var e2, v2, u2 r255.Element
	e2.VarTimeMultiScalarMult(scalars, []*r255.Element{&capsule.e, &cf.e1})
	v2.VarTimeMultiScalarMult(scalars, []*r255.Element{&capsule.v, &cf.v1})
	u2.VarTimeMultiScalarMult(scalars, []*r255.Element{generatorU, &cf.commitment})
	var commitments [3 * pointSize]byte
	e2.Encode(commitments[:0])
	v2.Encode(commitments[pointSize:pointSize])
	u2.Encode(commitments[2*pointSize : 2*pointSize])
	var c r255.Scalar
	proofChallenge(&c, capsule, cf.enc[headerSize:cfragProofOffset], commitments[:], req)
	if c.Equal(&cf.c) != 1 {
		return fmt.Errorf("verify cfrag: proof does not verify for this capsule and request: %w", ErrBadProof)
	}
	cf.verified.Store(&verifiedFor{keys: verifyContext(capsule, delegating, receiving), grant: grantContext(signer, truncateBinding(binding))})
	return nil
}

// verifiedFor is what a cfrag passed Verify for: the capsule and the two
// keys, and the signer and grant binding it was checked under.
// DecapsulateFrags requires the first to match its arguments and the second
// to be the same for every cfrag it combines, so cfrags checked under
// different signers or grants are never mixed.
type verifiedFor struct {
	keys, grant [sha256.Size]byte
}

func verifyContext(capsule *Capsule, delegating, receiving *PublicKey) [sha256.Size]byte {
	h := sha256.New()
	h.Write(capsule.enc[:])
	h.Write(delegating.enc[:])
	h.Write(receiving.enc[:])
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

func grantContext(signer ed25519.PublicKey, b KFragBinding) [sha256.Size]byte {
	h := sha256.New()
	h.Write(signer)
	h.Write(b.encode(nil))
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// ID returns the identifier of the kfrag the cfrag was made with.
func (cf *CFrag) ID() [KFragIDSize]byte { return cf.id }

// Threshold returns M as signed by the delegator.
func (cf *CFrag) Threshold() int { return int(cf.threshold) }

// Bytes returns the versioned encoding (CFragSize bytes):
// 'F' 2 | E1 32 | V1 32 | id 32 | X_A 32 | U1 32 | M 1 | N 1 |
// kfrag signature 64 | proof c 32 | proof z 32.
func (cf *CFrag) Bytes() []byte {
	out := make([]byte, CFragSize)
	copy(out, cf.enc[:])
	return out
}

// ParseCFrag decodes a cfrag strictly. The result is not verified: call
// Verify before DecapsulateFrags.
func ParseCFrag(b []byte) (*CFrag, error) {
	body, err := checkHeaderVersion(b, tagCFrag, versionCFrag, CFragSize, "cfrag")
	if err != nil {
		return nil, err
	}
	cf := new(CFrag)
	r := reader{b: body}
	if err := decodePoint(&cf.e1, r.next(pointSize), "cfrag point E1"); err != nil {
		return nil, err
	}
	if err := decodePoint(&cf.v1, r.next(pointSize), "cfrag point V1"); err != nil {
		return nil, err
	}
	copy(cf.id[:], r.next(KFragIDSize))
	if err := decodePoint(&cf.precursor, r.next(pointSize), "cfrag precursor X_A"); err != nil {
		return nil, err
	}
	if err := decodePoint(&cf.commitment, r.next(pointSize), "cfrag commitment U1"); err != nil {
		return nil, err
	}
	cf.threshold, cf.shares = r.next(1)[0], r.next(1)[0]
	if cf.threshold < 1 || cf.shares < cf.threshold {
		return nil, fmt.Errorf("cfrag: threshold %d, shares %d: %w", cf.threshold, cf.shares, ErrBadParameters)
	}
	copy(cf.sig[:], r.next(ed25519.SignatureSize))
	if err := decodeScalar(&cf.c, r.next(scalarSize), "cfrag proof challenge c"); err != nil {
		return nil, err
	}
	if err := decodeScalar(&cf.z, r.next(scalarSize), "cfrag proof response z"); err != nil {
		return nil, err
	}
	copy(cf.enc[:], b)
	return cf, nil
}

// DecapsulateFrags opens capsule with the receiving secret key and at least
// threshold distinct cfrags, each of which must have passed Verify for this
// capsule, this delegating key and this receiving key. Cfrags with the same
// kfrag id count once; only the first threshold distinct ones are used.
func DecapsulateFrags(receiving *SecretKey, delegating *PublicKey, capsule *Capsule, cfrags []*CFrag) ([DEKSize]byte, error) {
	var key [DEKSize]byte
	if err := receiving.check(); err != nil {
		return key, fmt.Errorf("decapsulate frags: receiving key: %w", err)
	}
	if err := delegating.check(); err != nil {
		return key, fmt.Errorf("decapsulate frags: delegating key: %w", err)
	}
	if err := capsule.check(); err != nil {
		return key, fmt.Errorf("decapsulate frags: %w", err)
	}
	if len(cfrags) == 0 {
		return key, fmt.Errorf("decapsulate frags: no cfrags: %w", ErrNotEnoughCFrags)
	}
	pkB := receiving.PublicKey()
	ctx := verifyContext(capsule, delegating, pkB)
	first := cfrags[0]
	distinct := make([]*CFrag, 0, len(cfrags))
	seen := make(map[[KFragIDSize]byte]bool, len(cfrags))
	for i, cf := range cfrags {
		if cf == nil {
			return key, fmt.Errorf("decapsulate frags: cfrag %d is nil: %w", i, ErrBadParameters)
		}
		v := cf.verified.Load()
		if v == nil || v.keys != ctx {
			return key, fmt.Errorf("decapsulate frags: cfrag %d not verified for this capsule and these keys: %w", i, ErrUnverified)
		}
		if v0 := first.verified.Load(); v0 == nil || v.grant != v0.grant {
			return key, fmt.Errorf("decapsulate frags: cfrag %d was verified under another signer or grant than cfrag 0: %w", i, ErrMixedCFrags)
		}
		if cf.precursor.Equal(&first.precursor) != 1 || cf.threshold != first.threshold || cf.shares != first.shares {
			return key, fmt.Errorf("decapsulate frags: cfrag %d: %w", i, ErrMixedCFrags)
		}
		if seen[cf.id] {
			continue // a duplicate never counts twice
		}
		seen[cf.id] = true
		distinct = append(distinct, cf)
	}
	m := int(first.threshold)
	if len(distinct) < m {
		return key, fmt.Errorf("decapsulate frags: %d distinct cfrags, threshold is %d: %w", len(distinct), m, ErrNotEnoughCFrags)
	}
	distinct = distinct[:m]

	// D = H6(pkA, pkB, b·pkA); x_i = H5(id_i, D).
	var shared r255.Element
	defer shared.Zero()
	shared.ScalarMult(&receiving.s, &delegating.p)
	var dSecret [scalarSize]byte
	defer wipeBytes(dSecret[:])
	delegationSecret(&dSecret, delegating, pkB, &shared)
	xs := make([]r255.Scalar, m)
	for i, cf := range distinct {
		shareIndex(&xs[i], cf.id[:], &dSecret)
	}
	lambdas, err := lagrangeAtZero(xs)
	if err != nil {
		return key, fmt.Errorf("decapsulate frags: %w", err)
	}
	defer func() {
		for i := range lambdas {
			lambdas[i].Zero()
			xs[i].Zero()
		}
	}()
	// d = H3(X_A, pkB, b·X_A).
	var dh r255.Element
	defer dh.Zero()
	dh.ScalarMult(&receiving.s, &first.precursor)
	var precursorEnc [pointSize]byte
	first.precursor.Encode(precursorEnc[:0])
	var d r255.Scalar
	defer d.Zero()
	dhFactor(&d, precursorEnc[:], pkB, &dh)

	// E'' = Σ (d·λ_i)·E1_i = d·(a/d)·E = a·E, and V'' = a·V likewise, when
	// the shares rk_i are shares of a/d, i.e. the kfrags were made with the
	// delegating secret a. The weights derive from the delegation secret, so
	// this is constant time.
	var eSum, vSum, t r255.Element
	defer eSum.Zero()
	defer vSum.Zero()
	defer t.Zero()
	eSum.Zero()
	vSum.Zero()
	var mu r255.Scalar
	defer mu.Zero()
	for i, cf := range distinct {
		mu.Multiply(&d, &lambdas[i])
		eSum.Add(&eSum, t.ScalarMult(&mu, &cf.e1))
		vSum.Add(&vSum, t.ScalarMult(&mu, &cf.v1))
	}
	// The paper's check: s·pkA = h·E'' + V'' (= a·(h·E + V) = a·s·G).
	// Kfrags forged by someone who does not know a (any signer the grantee
	// accepts can sign kfrags) give other points and fail here, instead of
	// yielding a DEK the forger chose.
	var h r255.Scalar
	capsuleChallenge(&h, capsule.enc[headerSize:headerSize+2*pointSize])
	var lhs, rhs r255.Element
	// s·pkA is public: variable time. h·E'' is not (E'' + V'' is the shared
	// secret): constant time.
	lhs.VarTimeMultiScalarMult([]*r255.Scalar{&capsule.s}, []*r255.Element{&delegating.p})
	rhs.ScalarMult(&h, &eSum)
	rhs.Add(&rhs, &vSum)
	if lhs.Equal(&rhs) != 1 {
		return key, fmt.Errorf("decapsulate frags: %w", ErrDelegation)
	}
	// (r+u)·pkA = a·(E + V) = E'' + V''.
	var sharedKey r255.Element
	defer sharedKey.Zero()
	sharedKey.Add(&eSum, &vSum)
	return deriveDEK(&sharedKey, capsule), nil
}

// lagrangeAtZero returns λ_i = Π_{j≠i} x_j / (x_j − x_i), using one
// inversion for all denominators.
func lagrangeAtZero(xs []r255.Scalar) ([]r255.Scalar, error) {
	m := len(xs)
	nums := make([]r255.Scalar, m)
	dens := make([]r255.Scalar, m)
	for i := range xs {
		nums[i] = *scalarOne()
		dens[i] = *scalarOne()
		for j := range xs {
			if j == i {
				continue
			}
			var diff r255.Scalar
			diff.Subtract(&xs[j], &xs[i])
			if isZero(&diff) {
				return nil, fmt.Errorf("two cfrags share an evaluation point: %w", ErrMixedCFrags)
			}
			nums[i].Multiply(&nums[i], &xs[j])
			dens[i].Multiply(&dens[i], &diff)
		}
	}
	// Batch inversion (Montgomery's trick).
	prefix := make([]r255.Scalar, m)
	acc := *scalarOne()
	for i := range dens {
		prefix[i] = acc
		acc.Multiply(&acc, &dens[i])
	}
	var inv r255.Scalar
	inv.Invert(&acc)
	for i := m - 1; i >= 0; i-- {
		var di r255.Scalar
		di.Multiply(&inv, &prefix[i]) // 1/dens[i]
		inv.Multiply(&inv, &dens[i])
		nums[i].Multiply(&nums[i], &di)
	}
	return nums, nil
}

func scalarOne() *r255.Scalar {
	var one [scalarSize]byte
	one[0] = 1
	s := r255.NewScalar()
	if err := s.Decode(one[:]); err != nil {
		panic(err)
	}
	return s
}
