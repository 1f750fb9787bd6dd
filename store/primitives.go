package store

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
)

// goChunkAEAD is AES-256-GCM from Go's standard library, the chunk cipher.
func goChunkAEAD(key []byte) (cipher.AEAD, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("store: aes: %w", err)
	}
	g, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, fmt.Errorf("store: gcm: %w", err)
	}
	return g, nil
}

// goSaltStream is n bytes of AES-256-CTR keystream under key from counter
// block zero, from Go's standard library.
func goSaltStream(key *[32]byte, n int) ([]byte, error) {
	blk, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, fmt.Errorf("store: aes: %w", err)
	}
	buf := make([]byte, n)
	var iv [16]byte
	cipher.NewCTR(blk, iv[:]).XORKeyStream(buf, buf)
	return buf, nil
}
