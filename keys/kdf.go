package keys

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

const (
	kdfArgon2id = "argon2id"
	kdfKeyFile  = "keyfile"

	saltSize     = 32
	keyCheckSize = 16
	masterSize   = 32
)

// Argon2Params are the Argon2id cost parameters used to stretch a passphrase.
// They are stored in the keystore header (and backup header), so a keystore
// keeps opening when the defaults change.
type Argon2Params struct {
	Time      uint32 // passes over memory (t)
	MemoryKiB uint32 // memory in KiB (m)
	Threads   uint8  // parallelism (p); part of the result, not only a speed knob
}

// DefaultArgon2 is the production default: t=3, m=64 MiB, p=4
// (RFC 9106, second recommended option). About 0.2-0.4 s on one core of a
// current server.
var DefaultArgon2 = Argon2Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// Bounds accepted from a header: they stop a tampered header from making
// Open allocate unbounded memory or spin for hours.
const (
	maxArgonTime   = 64
	maxArgonMemKiB = 4 << 20 // 4 GiB
)

func (p Argon2Params) validate() error {
	if p.Time < 1 || p.Time > maxArgonTime {
		return fmt.Errorf("%w: argon2id time %d outside [1, %d]", ErrInvalid, p.Time, maxArgonTime)
	}
	if p.Threads < 1 {
		return fmt.Errorf("%w: argon2id threads must be at least 1", ErrInvalid)
	}
	if p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxArgonMemKiB {
		return fmt.Errorf("%w: argon2id memory %d KiB outside [8*threads, %d]", ErrInvalid, p.MemoryKiB, maxArgonMemKiB)
	}
	return nil
}

// kdfBlock says how the master key is derived from a credential, and holds
// a key check value to tell a wrong credential from corrupt data.
type kdfBlock struct {
	KDF      string      `json:"kdf"`
	Argon2   *argon2JSON `json:"argon2id,omitempty"`
	Salt     []byte      `json:"salt"`
	KeyCheck []byte      `json:"key_check"`
}

type argon2JSON struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

func (b *kdfBlock) validate() error {
	switch b.KDF {
	case kdfArgon2id:
		if b.Argon2 == nil {
			return fmt.Errorf("%w: argon2id parameters missing", ErrCorrupt)
		}
		p := Argon2Params{Time: b.Argon2.Time, MemoryKiB: b.Argon2.MemoryKiB, Threads: b.Argon2.Threads}
		if err := p.validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	case kdfKeyFile:
		if b.Argon2 != nil {
			return fmt.Errorf("%w: argon2id parameters on a key-file header", ErrCorrupt)
		}
	default:
		return fmt.Errorf("%w: unknown kdf %q", ErrCorrupt, b.KDF)
	}
	if len(b.Salt) != saltSize {
		return fmt.Errorf("%w: salt is %d bytes, want %d", ErrCorrupt, len(b.Salt), saltSize)
	}
	if len(b.KeyCheck) != keyCheckSize {
		return fmt.Errorf("%w: key check is %d bytes, want %d", ErrCorrupt, len(b.KeyCheck), keyCheckSize)
	}
	return nil
}

// newKDFBlock draws a salt for cred and derives the master key. The
// returned master key must be wiped by the caller.
func newKDFBlock(cred Credential, params Argon2Params, rnd io.Reader) (kdfBlock, []byte, error) {
	if err := cred.check(); err != nil {
		return kdfBlock{}, nil, err
	}
	b := kdfBlock{KDF: cred.kind.kdfName(), Salt: make([]byte, saltSize)}
	if cred.kind == credPassphrase {
		if err := params.validate(); err != nil {
			return kdfBlock{}, nil, err
		}
		b.Argon2 = &argon2JSON{Time: params.Time, MemoryKiB: params.MemoryKiB, Threads: params.Threads}
	}
	if _, err := io.ReadFull(rnd, b.Salt); err != nil {
		return kdfBlock{}, nil, fmt.Errorf("salt: %w", err)
	}
	master := deriveMaster(cred, &b)
	b.KeyCheck = keyCheck(master)
	return b, master, nil
}

// unlock derives the master key from cred and checks it against the key
// check value (in constant time). Wrong credential: ErrWrongPassphrase.
func (b *kdfBlock) unlock(cred Credential) ([]byte, error) {
	if err := cred.check(); err != nil {
		return nil, err
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	if cred.kind.kdfName() != b.KDF {
		return nil, fmt.Errorf("%w: protected by %s, got %s", ErrCredentialKind, b.KDF, cred.kind.kdfName())
	}
	master := deriveMaster(cred, b)
	kc := keyCheck(master)
	if subtle.ConstantTimeCompare(kc, b.KeyCheck) != 1 {
		wipe(master)
		return nil, ErrWrongPassphrase
	}
	return master, nil
}

func deriveMaster(cred Credential, b *kdfBlock) []byte {
	if b.KDF == kdfArgon2id {
		return argon2.IDKey(cred.secret, b.Salt, b.Argon2.Time, b.Argon2.MemoryKiB, b.Argon2.Threads, masterSize)
	}
	return hkdfKey(cred.secret, b.Salt, "vaultnode/keystore/v1/keyfile", masterSize)
}

func keyCheck(master []byte) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("vaultnode/keystore/v1/key-check"))
	return m.Sum(nil)[:keyCheckSize]
}

// hkdfKey expands secret into n bytes with HKDF-SHA256.
func hkdfKey(secret, salt []byte, info string, n int) []byte {
	out := make([]byte, n)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, salt, []byte(info)), out); err != nil {
		panic("keys: hkdf: " + err.Error()) // cannot happen for n <= 255*32
	}
	return out
}

// adBytes is the canonical encoding of the kdf block bound as associated
// data into what the master key encrypts.
func (b *kdfBlock) adBytes(domain string) []byte {
	var buf bytes.Buffer
	buf.WriteString(domain)
	buf.WriteByte(0)
	buf.WriteString(b.KDF)
	buf.WriteByte(0)
	if b.Argon2 != nil {
		binary.Write(&buf, binary.BigEndian, b.Argon2.Time)
		binary.Write(&buf, binary.BigEndian, b.Argon2.MemoryKiB)
		buf.WriteByte(b.Argon2.Threads)
	}
	buf.Write(b.Salt)
	buf.Write(b.KeyCheck)
	return buf.Bytes()
}

// wrapAEAD returns the AEAD keyed by the master key for wrapping (domain
// separated from the key check).
func wrapAEAD(master []byte, info string) cipherAEAD {
	k := hkdfKey(master, nil, info, chacha20poly1305.KeySize)
	defer wipe(k)
	a, err := chacha20poly1305.NewX(k)
	if err != nil {
		panic("keys: xchacha20poly1305: " + err.Error())
	}
	return a
}
