package reencrypt

import (
	"crypto"
	_ "crypto/sha512" // SHA-512 for expand_message_xmd

	"github.com/cloudflare/circl/expander"
	r255 "github.com/gtank/ristretto255"
)

// Domain-separation tags. Every hash in the construction uses its own tag, so
// no value computed for one purpose can be reused for another. They are
// documented in docs/PRE.md; changing any of them changes every test vector.
const (
	dstPrefix = "vaultnode/reencrypt/v1/"

	// DSTCapsule: h = H(E, V) in the capsule check s·G = V + h·E.
	DSTCapsule = dstPrefix + "capsule-challenge"
	// DSTDEK: prefix of the SHA-256 input deriving the 32-byte DEK from the
	// shared point and the capsule.
	DSTDEK = dstPrefix + "dek"
	// DSTGeneratorU: hash-to-element input naming the second generator U.
	DSTGeneratorU = dstPrefix + "generator-U"
	// DSTDHFactor: d = H(X, pkB, x·pkB), the non-interactive DH factor.
	DSTDHFactor = dstPrefix + "dh-factor"
	// DSTDelegation: D = H(pkA, pkB, a·pkB), the per-delegation shared secret.
	DSTDelegation = dstPrefix + "delegation-secret"
	// DSTShareIndex: x_i = H(id_i, D), the Shamir evaluation point of kfrag i.
	DSTShareIndex = dstPrefix + "share-index"
	// DSTKFragSignature: prefix of the Ed25519-signed kfrag message.
	DSTKFragSignature = dstPrefix + "kfrag-signature"
	// DSTCFragProof: Fiat–Shamir challenge of the cfrag correctness proof
	// (its input includes the RequestBinding).
	DSTCFragProof = dstPrefix + "cfrag-proof"
	// DSTProofNonce: the hedged nonce τ of the cfrag proof,
	// H(rk, capsule, request, 32 fresh random bytes). A repeated or weak
	// random value alone no longer repeats τ across different inputs (a
	// repeated τ with two challenges would give away the share rk).
	DSTProofNonce = dstPrefix + "cfrag-proof-nonce"
)

// hashToScalar is hash_to_scalar of RFC 9497 / RFC 9380 for ristretto255:
// expand_message_xmd(SHA-512, dst) to 64 bytes, reduced modulo the order.
// The message parts are fixed-length or length-prefixed by the caller.
func hashToScalar(out *r255.Scalar, dst string, parts ...[]byte) *r255.Scalar {
	var msg []byte
	for _, p := range parts {
		msg = append(msg, p...)
	}
	u := expander.NewExpanderMD(crypto.SHA512, []byte(dst)).Expand(msg, 64)
	out.FromUniformBytes(u)
	wipeBytes(u)
	wipeBytes(msg)
	return out
}

// hashToElement is hash_to_ristretto255 (RFC 9380 appendix B,
// ristretto255_XMD:SHA-512_R255MAP_RO_).
func hashToElement(dst string, msg []byte) *r255.Element {
	u := expander.NewExpanderMD(crypto.SHA512, []byte(dst)).Expand(msg, 64)
	return r255.NewElement().FromUniformBytes(u)
}

// generatorU is the second, independent generator used to commit to each
// re-encryption key share (nobody knows its discrete log with respect to G).
var generatorU, generatorUEnc = func() (*r255.Element, [pointSize]byte) {
	u := hashToElement(DSTGeneratorU, []byte("U"))
	var enc [pointSize]byte
	u.Encode(enc[:0])
	return u, enc
}()
