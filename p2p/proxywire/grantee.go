package proxywire

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// GranteeKey is a clinician's public key: the PRE key cfrags are made for,
// and the Ed25519 key that signs re-encryption requests. Grants name it by
// Hash, never in the clear.
type GranteeKey struct {
	PRE  *reencrypt.PublicKey
	Sign ed25519.PublicKey
}

const granteeHashDomain = "vaultnode/grantee-key/v1\x00"

// Hash is the grantee key hash recorded in grants on-chain.
func (k GranteeKey) Hash() [32]byte {
	h := sha256.New()
	h.Write([]byte(granteeHashDomain))
	h.Write(k.PRE.Bytes())
	h.Write(k.Sign)
	return [32]byte(h.Sum(nil))
}

// GranteeKeySize is the length of a grantee public key's encoding.
const GranteeKeySize = reencrypt.PublicKeySize + ed25519.PublicKeySize

// Bytes encodes the key as PRE public key || Ed25519 public key.
func (k GranteeKey) Bytes() []byte {
	return append(k.PRE.Bytes(), k.Sign...)
}

// ParseGranteeKey decodes GranteeKey.Bytes strictly.
func ParseGranteeKey(b []byte) (GranteeKey, error) {
	if len(b) != GranteeKeySize {
		return GranteeKey{}, fmt.Errorf("grantee key: %d bytes, want %d", len(b), GranteeKeySize)
	}
	pre, err := reencrypt.ParsePublicKey(b[:reencrypt.PublicKeySize])
	if err != nil {
		return GranteeKey{}, fmt.Errorf("grantee key: PRE part: %w", err)
	}
	sign := ed25519.PublicKey(append([]byte(nil), b[reencrypt.PublicKeySize:]...))
	if isZero(sign) {
		return GranteeKey{}, errors.New("grantee key: signing part is all zero")
	}
	return GranteeKey{PRE: pre, Sign: sign}, nil
}

// Grantee is a clinician's key pair.
type Grantee struct {
	PRE  *reencrypt.SecretKey
	Sign ed25519.PrivateKey
}

// GenerateGrantee draws a fresh clinician key pair from rand.
func GenerateGrantee(rand io.Reader) (*Grantee, error) {
	pre, err := reencrypt.GenerateSecretKey(rand)
	if err != nil {
		return nil, fmt.Errorf("generate grantee PRE key: %w", err)
	}
	_, sign, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("generate grantee signing key: %w", err)
	}
	return &Grantee{PRE: pre, Sign: sign}, nil
}

// Public returns the grantee's public key.
func (g *Grantee) Public() GranteeKey {
	return GranteeKey{PRE: g.PRE.PublicKey(), Sign: g.Sign.Public().(ed25519.PublicKey)}
}

// Wipe zeroes the secret keys.
func (g *Grantee) Wipe() {
	g.PRE.Wipe()
	clear(g.Sign)
}

func isZero(b []byte) bool {
	var acc byte
	for _, x := range b {
		acc |= x
	}
	return acc == 0
}
