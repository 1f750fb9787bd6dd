package fetch

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/vaultnode/vaultnode/reencrypt"
)

func FuzzParseTicket(f *testing.F) {
	f.Add("vng1.")
	f.Add("vng1.q-pPO1Hsf3Omldz1C_nQLpbX38fgsfz2HqpWLnsqsoeT3uU1lBt4WbdCWAQTnrnMCIyOH64EjvaHePdzA2T8QVABFrpwUZsiPP7gLOkYYDxKw3-kmLmPKAdL-wUQGEXTIWg")
	f.Add("vng2.")
	f.Add("vng2.q-pPO1Hsf3Omldz1C_nQLpbX38fgsfz2HqpWLnsqsoeT3uU1lBt4WbdCWAQTnrnMCIyOH64EjvaHePdzA2T8QUBBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fUAEWunBRmyI8_uAs6RhgPErDf6SYuY8oB0v7BRAYRdMhaA")
	f.Fuzz(func(t *testing.T, s string) {
		tk, err := ParseTicket(s)
		if err != nil {
			return
		}
		again, err := ParseTicket(tk.String())
		if err != nil || again.GrantID != tk.GrantID || again.StreamTag != tk.StreamTag || again.ChainSecret != tk.ChainSecret || !again.StreamKey.Equal(tk.StreamKey) {
			t.Fatalf("ticket does not round-trip: %v", err)
		}
	})
}

// FuzzParseBatchCapsule: a batch header's capsule field decodes strictly
// (a bare capsule, or 'K' 1 ‖ delegating key ‖ capsule), and what decodes
// re-encodes to the same bytes.
func FuzzParseBatchCapsule(f *testing.F) {
	sk, _ := reencrypt.GenerateSecretKey(rand.Reader)
	c, _, _ := reencrypt.Encapsulate(rand.Reader, sk.PublicKey())
	f.Add(c.Bytes())
	f.Add(EncodeBatchCapsule(sk.PublicKey(), c))
	f.Add([]byte{batchCapsuleTag, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		capsule, pk, err := ParseBatchCapsule(b, sk.PublicKey())
		if err != nil {
			return
		}
		again := capsule.Bytes()
		if len(b) != reencrypt.CapsuleSize {
			again = EncodeBatchCapsule(pk, capsule)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("%x decodes but re-encodes to %x", b, again)
		}
	})
}
