package fetch

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p/proxywire"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// GranteeKeyPurpose is the keys.Seal purpose of a clinician's key file: the
// PRE secret key and the Ed25519 signing seed, 64 bytes, sealed under a
// passphrase (Argon2id). docs/KEYSTORE.md §6.
const GranteeKeyPurpose = "grantee-key"

const granteeSecretSize = 32 + 32

// OpenGranteeKey opens the bytes of a sealed clinician key file with cred.
// The caller wipes the returned keys (Grantee.Wipe); the unsealed secret is
// wiped before returning. Errors are ErrBadInput, naming what is wrong
// (not a clinician key file, wrong passphrase, malformed key).
func OpenGranteeKey(b []byte, cred keys.Credential) (*proxywire.Grantee, error) {
	if keys.SealedPurpose(b) != GranteeKeyPurpose {
		return nil, fmt.Errorf("%w: not a vaultnode clinician key file", ErrBadInput)
	}
	secret, err := keys.Unseal(b, GranteeKeyPurpose, cred)
	if err != nil {
		if errors.Is(err, keys.ErrWrongPassphrase) {
			return nil, fmt.Errorf("%w: wrong passphrase", ErrBadInput)
		}
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	defer clear(secret)
	if len(secret) != granteeSecretSize {
		return nil, fmt.Errorf("%w: malformed key", ErrBadInput)
	}
	sk, err := reencrypt.SecretKeyFromBytes(secret[:32])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	return &proxywire.Grantee{PRE: sk, Sign: ed25519.NewKeyFromSeed(secret[32:])}, nil
}
