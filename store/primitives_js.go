//go:build js && wasm

package store

import (
	"crypto/cipher"
	"crypto/sha256"
	"errors"
	"fmt"
	"syscall/js"
)

// In a browser, the console's WebAssembly client opens chunks and draws
// salts with the browser's own AES (WebCrypto, crypto.subtle), and hashes
// large blocks with its SHA-256: Go has no assembly for AES or SHA-256 on
// js/wasm, and its portable AES-GCM alone was close to half of a batch's
// opening time there (docs/BENCHMARKS.md, "Console"). Sealing
// stays with Go's AES-GCM (a browser only opens), and so does everything
// where crypto.subtle is missing. The results are the same bytes either way
// (TestWebCryptoMatchesGo, run under Node.js by make test).

var webCrypto = func() js.Value {
	c := js.Global().Get("crypto")
	if c.Type() != js.TypeObject {
		return js.Undefined()
	}
	return c.Get("subtle")
}()

func haveWebCrypto() bool { return webCrypto.Type() == js.TypeObject }

func newChunkAEAD(key []byte) (cipher.AEAD, error) {
	g, err := goChunkAEAD(key)
	if err != nil || !haveWebCrypto() {
		return g, err
	}
	k, err := importKey(key, "AES-GCM", "decrypt")
	if err != nil {
		return g, nil // this browser refuses the key: Go's AES-GCM opens
	}
	return &webGCM{AEAD: g, key: k}, nil
}

// webGCM seals with Go and opens with WebCrypto's AES-GCM (the same
// algorithm: 96-bit nonce, 128-bit tag, tag after the ciphertext).
type webGCM struct {
	cipher.AEAD
	key js.Value // a CryptoKey, not extractable
}

var errOpen = errors.New("cipher: message authentication failed")

func (w *webGCM) Open(dst, nonce, ciphertext, ad []byte) ([]byte, error) {
	if len(nonce) != w.NonceSize() || len(ciphertext) < w.Overhead() {
		return nil, errOpen
	}
	alg := js.Global().Get("Object").New()
	alg.Set("name", "AES-GCM")
	alg.Set("iv", bytesToJS(nonce))
	alg.Set("additionalData", bytesToJS(ad))
	alg.Set("tagLength", 128)
	v, err := await(webCrypto.Call("decrypt", alg, w.key, bytesToJS(ciphertext)))
	if err != nil {
		return nil, errOpen // WebCrypto says only OperationError
	}
	return appendJS(dst, v), nil
}

// blockSHA256 hashes a block for its CID check: with WebCrypto from
// webDigestMin bytes (a chunk is 256 KiB), below it with Go, where one call
// into JavaScript would cost more than it saves.
func blockSHA256(data []byte) ([sha256.Size]byte, error) {
	if !haveWebCrypto() || len(data) < webDigestMin {
		return sha256.Sum256(data), nil
	}
	v, err := await(webCrypto.Call("digest", "SHA-256", bytesToJS(data)))
	if err != nil {
		return sha256.Sum256(data), nil
	}
	var out [sha256.Size]byte
	if d := appendJS(nil, v); len(d) == sha256.Size {
		copy(out[:], d)
		return out, nil
	}
	return sha256.Sum256(data), nil
}

const webDigestMin = 16 << 10

func saltStream(key *[32]byte, n int) ([]byte, error) {
	if !haveWebCrypto() || n == 0 {
		return goSaltStream(key, n)
	}
	k, err := importKey(key[:], "AES-CTR", "encrypt")
	if err != nil {
		return goSaltStream(key, n)
	}
	alg := js.Global().Get("Object").New()
	alg.Set("name", "AES-CTR")
	alg.Set("counter", js.Global().Get("Uint8Array").New(16))
	alg.Set("length", 128)
	v, err := await(webCrypto.Call("encrypt", alg, k, js.Global().Get("Uint8Array").New(n)))
	if err != nil {
		return nil, fmt.Errorf("store: webcrypto aes-ctr: %w", err)
	}
	out := appendJS(make([]byte, 0, n), v)
	if len(out) != n {
		return nil, fmt.Errorf("store: webcrypto aes-ctr gave %d bytes, want %d", len(out), n)
	}
	return out, nil
}

// importKey makes a non-extractable CryptoKey of raw; the copy handed to
// JavaScript is zeroed once imported.
func importKey(raw []byte, alg, use string) (js.Value, error) {
	b := bytesToJS(raw)
	defer b.Call("fill", 0)
	return await(webCrypto.Call("importKey", "raw", b, alg, false, js.Global().Get("Array").New(use)))
}

func bytesToJS(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

func appendJS(dst []byte, buf js.Value) []byte {
	u := js.Global().Get("Uint8Array").New(buf)
	n := u.Get("length").Int()
	dst = append(dst, make([]byte, n)...)
	js.CopyBytesToGo(dst[len(dst)-n:], u)
	return dst
}

// await blocks the calling goroutine until p settles. It must not run on
// the goroutine of a JavaScript callback (the event loop would stop): the
// console calls store from goroutines of its own.
func await(p js.Value) (js.Value, error) {
	done := make(chan struct{})
	var v js.Value
	var err error
	ok := js.FuncOf(func(_ js.Value, a []js.Value) any {
		v = a[0]
		close(done)
		return nil
	})
	fail := js.FuncOf(func(_ js.Value, a []js.Value) any {
		err = errors.New(a[0].Call("toString").String())
		close(done)
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	<-done
	return v, err
}
