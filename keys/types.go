package keys

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"unicode/utf8"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// Pseudonym is a patient's 32 random bytes: the only patient identifier
// that leaves the custodian node. Its text form is 64 lowercase hex digits.
type Pseudonym [32]byte

// String returns the pseudonym as 64 hex digits.
func (p Pseudonym) String() string { return hex.EncodeToString(p[:]) }

// MarshalText encodes the pseudonym as hex.
func (p Pseudonym) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes 64 hex digits.
func (p *Pseudonym) UnmarshalText(b []byte) error {
	q, err := ParsePseudonym(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePseudonym decodes 64 hex digits.
func ParsePseudonym(s string) (Pseudonym, error) {
	var p Pseudonym
	if len(s) != 2*len(p) {
		return p, fmt.Errorf("%w: pseudonym must be %d hex digits, got %d characters", ErrInvalid, 2*len(p), len(s))
	}
	if _, err := hex.Decode(p[:], []byte(s)); err != nil {
		return Pseudonym{}, fmt.Errorf("%w: pseudonym is not hex: %v", ErrInvalid, err)
	}
	return p, nil
}

// Tag is a keyed hash under the node's tag key: a stream tag or a subject
// tag. It reveals nothing about the patient to anyone without the tag key.
type Tag [32]byte

// String returns the tag as 64 hex digits.
func (t Tag) String() string { return hex.EncodeToString(t[:]) }

// MarshalText encodes the tag as hex.
func (t Tag) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// KeyID is a public, non-secret commitment to one key (a hash of its public
// part, or of a symmetric key under a domain tag). Erasure certificates list
// the KeyIDs of destroyed keys.
type KeyID [32]byte

// String returns the key id as 64 hex digits.
func (k KeyID) String() string { return hex.EncodeToString(k[:]) }

// MarshalText encodes the key id as hex.
func (k KeyID) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// domainSum is h (a SHA-256 or an HMAC-SHA256) over a domain tag, a zero
// byte and the parts.
func domainSum(h hash.Hash, domain string, parts ...[]byte) [32]byte {
	h.Write([]byte(domain))
	h.Write([]byte{0})
	for _, p := range parts {
		h.Write(p)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func hashID(domain string, parts ...[]byte) KeyID {
	return domainSum(sha256.New(), domain, parts...)
}

// StreamKeyID is the key id of a stream's delegating key: SHA-256 over a
// domain tag and the public key encoding.
func StreamKeyID(pk *reencrypt.PublicKey) KeyID {
	return hashID("vaultnode/keyid/v1/stream", pk.Bytes())
}

// DeviceKeyID is the key id of a device key: SHA-256 over a domain tag and
// the Ed25519 public key.
func DeviceKeyID(pub ed25519.PublicKey) KeyID {
	return hashID("vaultnode/keyid/v1/device", pub)
}

// rootKeyID commits to a patient's symmetric root key (256 random bits, so
// the hash reveals nothing usable).
func rootKeyID(root []byte) KeyID {
	return hashID("vaultnode/keyid/v1/patient-root", root)
}

func keyedTag(key []byte, domain string, parts ...[]byte) Tag {
	return domainSum(hmac.New(sha256.New, key), domain, parts...)
}

// Input validation. Device ids and stream names appear in database keys and
// on the wire, so they are restricted to a small alphabet.

const (
	maxDeviceIDLen = 128
	maxStreamLen   = 64
	maxMRNLen      = 128
)

// ValidateDeviceID checks a device id: 1 to 128 characters from
// [A-Za-z0-9._:@-].
func ValidateDeviceID(id string) error {
	if len(id) == 0 || len(id) > maxDeviceIDLen {
		return fmt.Errorf("%w: device id must be 1 to %d characters, got %d", ErrInvalid, maxDeviceIDLen, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '@' || c == '-') {
			return fmt.Errorf("%w: device id %q: character %q not allowed (use A-Z a-z 0-9 . _ : @ -)", ErrInvalid, id, c)
		}
	}
	return nil
}

// ValidateStreamName checks a stream name: 1 to 64 characters from
// [a-z0-9._-], starting with a letter or digit (e.g. "glucose").
func ValidateStreamName(name string) error {
	if len(name) == 0 || len(name) > maxStreamLen {
		return fmt.Errorf("%w: stream name must be 1 to %d characters, got %d", ErrInvalid, maxStreamLen, len(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if i > 0 {
			ok = ok || c == '.' || c == '_' || c == '-'
		}
		if !ok {
			return fmt.Errorf("%w: stream name %q: character %q not allowed (use a-z 0-9 . _ -, starting with a letter or digit)", ErrInvalid, name, c)
		}
	}
	return nil
}

// ValidateMRN checks a local medical record number: 1 to 128 bytes of
// UTF-8 without control characters. (The error does not repeat the MRN.)
func ValidateMRN(mrn string) error {
	if len(mrn) == 0 || len(mrn) > maxMRNLen {
		return fmt.Errorf("%w: MRN must be 1 to %d bytes, got %d", ErrInvalid, maxMRNLen, len(mrn))
	}
	if !utf8.ValidString(mrn) {
		return fmt.Errorf("%w: MRN is not valid UTF-8", ErrInvalid)
	}
	for _, r := range mrn {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("%w: MRN contains a control character", ErrInvalid)
		}
	}
	return nil
}
