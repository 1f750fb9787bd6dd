package p2p

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// A purpose of use is an HL7 v3 PurposeOfUse code, never text: a request
// carrying anything else is malformed (so the proxy logs no purpose for it);
// internal/node refuses a grant limited to one. Free text went into the hash-chained
// access logs, which erasure does not touch (a name and a date of birth did).
func TestPurposeOfUseCodesOnly(t *testing.T) {
	g, err := GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sk, _ := reencrypt.GenerateSecretKey(rand.Reader)
	capsule, _, err := reencrypt.Encapsulate(rand.Reader, sk.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	mk := func(purpose string) []byte {
		req := &ReencryptRequest{Capsule: capsule, Delegating: sk.PublicKey(), Grantee: g.Public(), Purpose: purpose, Expires: time.Now().Add(time.Minute)}
		req.Sign(g.Sign)
		b, err := req.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := ParseReencryptRequest(mk("TREAT")); err != nil {
		t.Fatalf("TREAT: %v", err)
	}
	for _, text := range []string{"Jane.Doe,1970-01-01", "treat", "DR-VISIT"} {
		_, err := ParseReencryptRequest(mk(text))
		if err == nil || !strings.Contains(err.Error(), "PurposeOfUse") {
			t.Errorf("purpose %q accepted: %v", text, err)
		}
	}
	for _, c := range PurposeCodes() {
		if CheckPurpose(c) != nil || PurposeDisplay(c) == "" || len(c) > MaxPurposeLen {
			t.Errorf("code %q", c)
		}
	}
}
