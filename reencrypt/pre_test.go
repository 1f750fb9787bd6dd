package reencrypt

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestThresholdRoundTrips(t *testing.T) {
	for _, tc := range []struct{ m, n int }{{1, 1}, {2, 3}, {3, 5}, {5, 10}} {
		t.Run(fmt.Sprintf("%d-of-%d", tc.m, tc.n), func(t *testing.T) {
			f := newFixture(t, nil, tc.m, tc.n)
			if len(f.kfrags) != tc.n {
				t.Fatalf("got %d kfrags, want %d", len(f.kfrags), tc.n)
			}
			cfs := f.cfrags(t)
			// Every subset of exactly M distinct cfrags opens the capsule.
			count := 0
			subsets(tc.n, tc.m, func(idx []int) {
				sel := make([]*CFrag, len(idx))
				for i, j := range idx {
					sel[i] = cfs[j]
				}
				key, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, sel)
				if err != nil {
					t.Fatalf("subset %v: %v", idx, err)
				}
				if key != f.dek {
					t.Fatalf("subset %v: wrong key", idx)
				}
				count++
			})
			if count == 0 {
				t.Fatal("no subsets tried")
			}
			// More than M also works (the extra ones are ignored).
			if key, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, cfs); err != nil || key != f.dek {
				t.Fatalf("all %d cfrags: key ok=%v err=%v", tc.n, key == f.dek, err)
			}
			// Fewer than M fail, and duplicates do not make up the count.
			if tc.m > 1 {
				few := cfs[:tc.m-1]
				if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, few); !errors.Is(err, ErrNotEnoughCFrags) {
					t.Fatalf("%d cfrags: got %v, want ErrNotEnoughCFrags", len(few), err)
				}
				dup := append(append([]*CFrag{}, few...), few[0])
				if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, dup); !errors.Is(err, ErrNotEnoughCFrags) {
					t.Fatalf("%d distinct + duplicate: got %v, want ErrNotEnoughCFrags", len(few), err)
				}
				// A re-encryption of the same kfrag (fresh proof) is still the same share.
				again, err := ReEncrypt(rand.Reader, f.capsule, f.kfrags[0], f.req)
				if err != nil {
					t.Fatal(err)
				}
				f.verify(t, again)
				dup = append(append([]*CFrag{}, few...), again)
				if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, dup); !errors.Is(err, ErrNotEnoughCFrags) {
					t.Fatalf("re-encryption with an already used kfrag counted twice: %v", err)
				}
				// Duplicates first, then enough distinct ones: works.
				withDup := append([]*CFrag{cfs[0], cfs[0]}, cfs[1:tc.m]...)
				if key, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, withDup); err != nil || key != f.dek {
					t.Fatalf("M distinct plus a duplicate: ok=%v err=%v", key == f.dek, err)
				}
			}
		})
	}
}

// The threshold is enforced by the mathematics too, not only by the count:
// M-1 shares (the signed threshold bypassed in memory) interpolate to a
// wrong point, which the final check against the capsule and the
// delegating key refuses; no key comes out.
func TestBelowThresholdYieldsNoKey(t *testing.T) {
	f := newFixture(t, nil, 3, 5)
	cfs := f.cfrags(t)
	few := cfs[:2]
	for _, cf := range few {
		cf.threshold = 2 // pretend the threshold were 2
	}
	key, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, few)
	if !errors.Is(err, ErrDelegation) {
		t.Fatalf("2 shares of a 3-threshold delegation: %v, want ErrDelegation", err)
	}
	if key == f.dek {
		t.Fatal("2 shares of a 3-threshold delegation opened the capsule")
	}
	if direct, _ := Decapsulate(f.alice.sk, f.capsule); direct != f.dek {
		t.Fatal("fixture broken")
	}
}

func TestDirectDecapsulationStillWorksAfterDelegation(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	key, err := Decapsulate(f.alice.sk, f.capsule)
	if err != nil || key != f.dek {
		t.Fatalf("delegator decapsulation: ok=%v err=%v", key == f.dek, err)
	}
	if key, _ := Decapsulate(f.bob.sk, f.capsule); key == f.dek {
		t.Fatal("grantee opened the capsule without cfrags")
	}
}

func TestCFragForAnotherGranteeFailsVerification(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	carol := newParty(t, rand.Reader)
	kfs, err := GenerateKFrags(rand.Reader, f.alice.sk, carol.pk, f.signer, 2, 3, f.binding)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := ReEncrypt(rand.Reader, f.capsule, kfs[0], f.req)
	if err != nil {
		t.Fatal(err)
	}
	// Bob presents Carol's cfrag as his.
	err = cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req)
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("cfrag for Carol verified for Bob: %v", err)
	}
	// And it cannot be smuggled into Bob's decapsulation unverified.
	good := f.cfrags(t)
	if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, []*CFrag{good[0], cf}); !errors.Is(err, ErrUnverified) {
		t.Fatalf("unverified cfrag accepted: %v", err)
	}
	// Carol's own kfrag, verified for Bob, is refused too.
	if err := kfs[0].Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); !errors.Is(err, ErrWrongDelegation) {
		t.Fatalf("kfrag for Carol verified for Bob: %v", err)
	}
}

func TestCFragForAnotherCapsuleFailsVerification(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	other, _, err := Encapsulate(rand.Reader, f.alice.pk)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := ReEncrypt(rand.Reader, other, f.kfrags[0], f.req)
	if err != nil {
		t.Fatal(err)
	}
	if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); !errors.Is(err, ErrBadProof) {
		t.Fatalf("cfrag of another capsule verified: %v", err)
	}
	// Verified for its own capsule, it still cannot be used for this one.
	if err := cf.Verify(other, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); err != nil {
		t.Fatal(err)
	}
	good := f.cfrags(t)
	if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, []*CFrag{good[0], cf}); !errors.Is(err, ErrUnverified) {
		t.Fatalf("cfrag verified for another capsule accepted: %v", err)
	}
}

func TestCFragProofBoundToRequest(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	cf, err := ReEncrypt(rand.Reader, f.capsule, f.kfrags[0], f.req)
	if err != nil {
		t.Fatal(err)
	}
	f.verify(t, cf)
	otherID := testRequest("request-2")
	if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, otherID); !errors.Is(err, ErrBadProof) {
		t.Fatalf("proof for request-1 verified for request-2: %v", err)
	}
	laterExpiry := f.req
	laterExpiry.Expires = f.req.Expires.Add(time.Hour)
	if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, laterExpiry); !errors.Is(err, ErrBadProof) {
		t.Fatalf("proof verified for a request with another expiry: %v", err)
	}
}

func TestKFragFromAnotherDelegatorRejected(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	mallory := newParty(t, rand.Reader)
	_, mallorySigner, _ := ed25519.GenerateKey(rand.Reader)
	// Mallory delegates her own key to Bob and signs with her own signer.
	kfs, err := GenerateKFrags(rand.Reader, mallory.sk, f.bob.pk, mallorySigner, 2, 3, f.binding)
	if err != nil {
		t.Fatal(err)
	}
	if err := kfs[0].Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); !errors.Is(err, ErrWrongDelegation) {
		t.Fatalf("Mallory's kfrag verified as Alice's: %v", err)
	}
	// Mallory delegates her key but claims Alice's identity only in the signature check.
	if err := kfs[0].Verify(f.signerPub, mallory.pk, f.bob.pk, f.binding); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("kfrag signed by Mallory verified under Alice's signer: %v", err)
	}
	// Alice's delegation re-signed by another signer is refused.
	kfs2, err := GenerateKFrags(rand.Reader, f.alice.sk, f.bob.pk, mallorySigner, 2, 3, f.binding)
	if err != nil {
		t.Fatal(err)
	}
	if err := kfs2[0].Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("kfrag signed by another signer verified: %v", err)
	}
	// A cfrag made with Mallory's kfrag fails for Alice's delegation.
	cf, err := ReEncrypt(rand.Reader, f.capsule, kfs2[0], f.req)
	if err != nil {
		t.Fatal(err)
	}
	if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("cfrag from a kfrag of another signer verified: %v", err)
	}
}

func TestKFragBindingEnforced(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	kf := f.kfrags[0]
	if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); err != nil {
		t.Fatal(err)
	}
	otherGrant := f.binding
	otherGrant.GrantID[0] ^= 1
	longer := f.binding
	longer.NotAfter = longer.NotAfter.Add(24 * time.Hour)
	earlier := f.binding
	earlier.NotBefore = earlier.NotBefore.Add(-time.Second)
	for name, b := range map[string]KFragBinding{"grant id": otherGrant, "expiry": longer, "start": earlier} {
		if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, b); !errors.Is(err, ErrWrongDelegation) {
			t.Errorf("kfrag verified for another %s: %v", name, err)
		}
		cf, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req)
		if err != nil {
			t.Fatal(err)
		}
		if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, b, f.req); !errors.Is(err, ErrBadSignature) {
			t.Errorf("cfrag verified for another %s: %v", name, err)
		}
	}
	if !f.binding.Covers(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)) || f.binding.Covers(time.Date(2026, 4, 1, 0, 0, 1, 0, time.UTC)) {
		t.Fatal("Covers does not follow the window")
	}
	bad := f.binding
	bad.NotAfter = bad.NotBefore.Add(-time.Second)
	if _, err := GenerateKFrags(rand.Reader, f.alice.sk, f.bob.pk, f.signer, 2, 3, bad); !errors.Is(err, ErrBadParameters) {
		t.Fatalf("inverted window accepted: %v", err)
	}
}

func TestGenerateKFragsParameters(t *testing.T) {
	f := newFixture(t, nil, 1, 1)
	for _, mn := range [][2]int{{0, 1}, {2, 1}, {1, 256}, {-1, 3}} {
		if _, err := GenerateKFrags(rand.Reader, f.alice.sk, f.bob.pk, f.signer, mn[0], mn[1], f.binding); !errors.Is(err, ErrBadParameters) {
			t.Errorf("M=%d N=%d accepted: %v", mn[0], mn[1], err)
		}
	}
	if _, err := GenerateKFrags(rand.Reader, f.alice.sk, f.alice.pk, f.signer, 1, 1, f.binding); !errors.Is(err, ErrBadParameters) {
		t.Errorf("delegation to self accepted: %v", err)
	}
}

func TestParsedKFragMustBeVerifiedBeforeUse(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	kf, err := ParseKFrag(f.kfrags[0].Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req); !errors.Is(err, ErrUnverified) {
		t.Fatalf("unverified kfrag used: %v", err)
	}
	if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); err != nil {
		t.Fatal(err)
	}
	cf, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req)
	if err != nil {
		t.Fatal(err)
	}
	f.verify(t, cf)
	kf.Wipe()
	if _, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req); !errors.Is(err, ErrUnverified) {
		t.Fatalf("wiped kfrag used: %v", err)
	}
}

func TestKFragCorruptShareRejected(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	b := f.kfrags[0].Bytes()
	b[headerSize+KFragIDSize] ^= 0x01 // first byte of rk
	kf, err := ParseKFrag(b)
	if err != nil {
		t.Fatalf("structurally fine kfrag refused: %v", err)
	}
	if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); !errors.Is(err, ErrBadKFrag) {
		t.Fatalf("kfrag with a corrupt share verified: %v", err)
	}
}

func TestMixedDelegationsRefused(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	// A second delegation Alice→Bob (same keys, new kfrag set) for the same capsule.
	kfs2, err := GenerateKFrags(rand.Reader, f.alice.sk, f.bob.pk, f.signer, 2, 3, f.binding)
	if err != nil {
		t.Fatal(err)
	}
	cf2, err := ReEncrypt(rand.Reader, f.capsule, kfs2[1], f.req)
	if err != nil {
		t.Fatal(err)
	}
	f.verify(t, cf2)
	cfs := f.cfrags(t)
	if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, []*CFrag{cfs[0], cf2}); !errors.Is(err, ErrMixedCFrags) {
		t.Fatalf("cfrags of two delegations combined: %v", err)
	}
}

func TestCFragRoundTripEncoding(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	cfs := f.cfrags(t)
	parsed := make([]*CFrag, len(cfs))
	for i, cf := range cfs {
		p, err := ParseCFrag(cf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if string(p.Bytes()) != string(cf.Bytes()) {
			t.Fatal("cfrag encoding not stable")
		}
		if _, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, []*CFrag{p, p}); !errors.Is(err, ErrUnverified) {
			t.Fatalf("parsed, unverified cfrag accepted: %v", err)
		}
		f.verify(t, p)
		parsed[i] = p
	}
	key, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, parsed[1:])
	if err != nil || key != f.dek {
		t.Fatalf("parsed cfrags: ok=%v err=%v", key == f.dek, err)
	}
	// The wrong receiving key cannot use them.
	eve := newParty(t, rand.Reader)
	if _, err := DecapsulateFrags(eve.sk, f.alice.pk, f.capsule, parsed); !errors.Is(err, ErrUnverified) {
		t.Fatalf("cfrags verified for Bob accepted for Eve: %v", err)
	}
}

// A proxy serves many requests at once with one kfrag, and a grantee may
// verify cfrags from several goroutines: both are safe (run under -race).
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t, nil, 2, 3)
	kf, err := ParseKFrag(f.kfrags[0].Bytes())
	if err != nil {
		t.Fatal(err)
	}
	shared, err := ReEncrypt(rand.Reader, f.capsule, f.kfrags[1], f.req)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 16)
	for g := 0; g < 4; g++ {
		go func() {
			// Every goroutine verifies the same parsed kfrag and the same cfrag.
			if err := kf.Verify(f.signerPub, f.alice.pk, f.bob.pk, f.binding); err != nil {
				errs <- err
				return
			}
			if err := shared.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); err != nil {
				errs <- err
				return
			}
			cf, err := ReEncrypt(rand.Reader, f.capsule, kf, f.req)
			if err != nil {
				errs <- err
				return
			}
			if err := cf.Verify(f.capsule, f.signerPub, f.alice.pk, f.bob.pk, f.binding, f.req); err != nil {
				errs <- err
				return
			}
			key, err := DecapsulateFrags(f.bob.sk, f.alice.pk, f.capsule, []*CFrag{cf, shared})
			if err == nil && key != f.dek {
				err = errors.New("wrong key")
			}
			errs <- err
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
