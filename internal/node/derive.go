package node

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"io"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/hkdf"

	"github.com/libp2p/go-libp2p/core/crypto"
)

// Secrets derived from the node identity (kept encrypted in the keystore), so
// that no further secret has to be stored on disk:
//
//	chain key    = secp256k1 scalar from HKDF-SHA256(identity, "vaultnode/chain-key/v1", counter)
//	grant signer = Ed25519 seed   from HKDF-SHA256(identity, "vaultnode/grant-signer/v1")
//	device tag   = HMAC-SHA256 key from HKDF-SHA256(identity, "vaultnode/device-tag/v1")
//	ingest id    = HMAC-SHA256 key from HKDF-SHA256(identity, "vaultnode/ingest-id/v1")
type derived struct {
	chainKey    *ecdsa.PrivateKey
	grantSigner ed25519.PrivateKey
	deviceTag   [32]byte
	ingestKey   [32]byte
}

func deriveSecrets(id crypto.PrivKey) (*derived, error) {
	raw, err := id.Raw()
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	defer wipe(raw)
	expand := func(label string, n int) ([]byte, error) {
		out := make([]byte, n)
		if _, err := io.ReadFull(hkdf.New(sha256.New, raw, nil, []byte(label)), out); err != nil {
			return nil, err
		}
		return out, nil
	}
	d := &derived{}
	for i := 0; i < 16 && d.chainKey == nil; i++ {
		b, err := expand(fmt.Sprintf("vaultnode/chain-key/v1/%d", i), 32)
		if err != nil {
			return nil, err
		}
		if k, err := ethcrypto.ToECDSA(b); err == nil {
			d.chainKey = k
		}
		wipe(b)
	}
	if d.chainKey == nil {
		return nil, fmt.Errorf("derive chain key: no valid scalar")
	}
	seed, err := expand("vaultnode/grant-signer/v1", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	d.grantSigner = ed25519.NewKeyFromSeed(seed)
	wipe(seed)
	tk, err := expand("vaultnode/device-tag/v1", 32)
	if err != nil {
		return nil, err
	}
	copy(d.deviceTag[:], tk)
	wipe(tk)
	ik, err := expand("vaultnode/ingest-id/v1", 32)
	if err != nil {
		return nil, err
	}
	copy(d.ingestKey[:], ik)
	wipe(ik)
	return d, nil
}

// ingestID is the identity of a device submission: a keyed hash of the
// device and the bytes it signed, so that a retry of the same submission is
// recognised and nobody reading the repo can test a guess of its readings.
func (d *derived) ingestID(device string, signed []byte) [32]byte {
	m := hmac.New(sha256.New, d.ingestKey[:])
	m.Write([]byte(device))
	m.Write([]byte{0})
	m.Write(signed)
	var out [32]byte
	copy(out[:], m.Sum(nil))
	return out
}

// DeviceIDHash is the keyed hash of a device id recorded on-chain.
func (d *derived) deviceIDHash(id string) [32]byte {
	m := hmac.New(sha256.New, d.deviceTag[:])
	m.Write([]byte("vaultnode/device-id/v1\x00"))
	m.Write([]byte(id))
	var out [32]byte
	copy(out[:], m.Sum(nil))
	return out
}

func (d *derived) wipe() {
	if d == nil {
		return
	}
	wipe(d.grantSigner)
	wipe(d.deviceTag[:])
	wipe(d.ingestKey[:])
	if d.chainKey != nil {
		d.chainKey.D.SetInt64(0)
	}
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

func ed25519NewKeyFromSeed(seed []byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seed) }
