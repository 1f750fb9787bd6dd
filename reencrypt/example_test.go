package reencrypt_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
)

// The whole flow: a stream key encapsulates a DEK, the patient side grants a
// clinician 2-of-3 access, two proxies re-encrypt for one request, and the
// clinician verifies the cfrags and recovers the DEK.
func Example() {
	streamSK, _ := reencrypt.GenerateSecretKey(rand.Reader)
	streamPK := streamSK.PublicKey()
	clinicianSK, _ := reencrypt.GenerateSecretKey(rand.Reader)
	clinicianPK := clinicianSK.PublicKey()
	signerPub, signer, _ := ed25519.GenerateKey(rand.Reader)

	capsule, dek, _ := reencrypt.Encapsulate(rand.Reader, streamPK)

	grant := reencrypt.KFragBinding{
		GrantID:   [32]byte{1},
		NotBefore: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
	}
	kfrags, _ := reencrypt.GenerateKFrags(rand.Reader, streamSK, clinicianPK, signer, 2, 3, grant)

	// Each proxy receives its kfrag (sealed, as bytes), verifies it once, and
	// answers a request.
	req := reencrypt.RequestBinding{RequestID: [32]byte{7}, Expires: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	var cfrags []*reencrypt.CFrag
	for _, kf := range kfrags[1:] {
		proxyKF, _ := reencrypt.ParseKFrag(kf.Bytes())
		if err := proxyKF.Verify(signerPub, streamPK, clinicianPK, grant); err != nil {
			fmt.Println("proxy refuses kfrag:", err)
			return
		}
		cf, _ := reencrypt.ReEncrypt(rand.Reader, capsule, proxyKF, req)
		cfrags = append(cfrags, cf)
	}

	// The clinician checks each cfrag against what it asked for, then opens.
	for _, cf := range cfrags {
		if err := cf.Verify(capsule, signerPub, streamPK, clinicianPK, grant, req); err != nil {
			fmt.Println("bad cfrag:", err)
			return
		}
	}
	got, err := reencrypt.DecapsulateFrags(clinicianSK, streamPK, capsule, cfrags)
	fmt.Println(err == nil && got == dek)
	// Output: true
}
