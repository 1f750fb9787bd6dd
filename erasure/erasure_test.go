package erasure

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// checkErased asserts what an erasure promises, from the outside.
func (w *world) checkErased(t *testing.T, P *patient, via int) {
	t.Helper()
	ctx := testCtx(t)
	if n := w.held(P); n != 0 {
		t.Fatalf("%d batch roots of the patient still held by some peer", n)
	}
	if n := w.served(P, via); n != 0 {
		t.Fatalf("%d batch roots still served over bitswap", n)
	}
	if _, err := w.clinicianRead(P, via); err == nil {
		t.Fatal("the clinician still decrypts after erasure")
	}
	for _, s := range P.streams {
		if _, err := w.ks.StreamSecretKey(ctx, P.p, s.Name); !errors.Is(err, keys.ErrDestroyed) {
			t.Fatalf("stream key %s: %v, want ErrDestroyed", s.Name, err)
		}
	}
	g, err := w.chain.GetGrant(ctx, P.grant.ID)
	if err != nil || !g.Revoked {
		t.Fatalf("grant not revoked on-chain: %v", err)
	}
	if _, err := w.chain.LookupErasure(ctx, w.ks.SubjectTag(P.p)); err != nil {
		t.Fatalf("no on-chain deletion record: %v", err)
	}
}

func TestEraseEndToEnd(t *testing.T) {
	w := newWorld(t, 3)
	ctx := testCtx(t)
	P := w.newPatient(3, 200, 2)
	other := w.newPatient(1, 50, 3) // another patient, untouched by the erasure
	if n, err := w.clinicianRead(P, 1); err != nil || n != 200 {
		t.Fatalf("before erasure the clinician reads %d readings (%v)", n, err)
	}
	if w.served(P, 1) == 0 {
		t.Fatal("before erasure no batch is served: the probe proves nothing")
	}
	keyIDs, _ := w.ks.KeyIDs(ctx, P.p)
	// Needles for the physical scan afterwards: a stream's secret key and
	// 64 bytes of ciphertext of one chunk of every batch.
	sk, err := w.ks.StreamSecretKey(ctx, P.p, "glucose")
	if err != nil {
		t.Fatal(err)
	}
	needles := [][]byte{bytes.Clone(sk.Bytes())}
	sk.Wipe()
	for _, b := range P.batches {
		for _, p := range w.peers {
			if blk, err := p.st.Get(ctx, b.root); err == nil {
				_, links, err := store.DecodeRoot(blk.RawData())
				if err != nil {
					t.Fatal(err)
				}
				chunk, err := p.st.Get(ctx, links[0])
				if err != nil {
					t.Fatal(err)
				}
				needles = append(needles, bytes.Clone(chunk.RawData()[100:164]))
				break
			}
		}
	}
	dirs := []string{w.ks.Dir()}
	for _, p := range w.peers {
		dirs = append(dirs, p.storeDir)
	}
	for i, n := range scanDirs(t, dirs, needles) {
		if i > 0 && n == 0 {
			t.Fatalf("ciphertext needle %d not found before erasure: the scan proves nothing", i)
		}
	}
	e := w.eraser(nil)
	start := time.Now()
	res, err := e.Erase(ctx, Request{Patient: P.p, RequestRef: "DPO-2026-0042", Reason: "patient request by letter"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("erasure took %s", time.Since(start))
	w.checkErased(t, P, 1)
	// Physically gone: no file of any peer's store or of the keystore holds
	// a byte sequence of the destroyed key or of the patient's ciphertext.
	for i, n := range scanDirs(t, dirs, needles) {
		if n != 0 {
			t.Errorf("needle %d (0 = stream key, else ciphertext) still in %d file(s)", i, n)
		}
	}
	v, err := Verify(ctx, res.Certificate, w.chain)
	if err != nil {
		t.Fatal(err)
	}
	c := v.Certificate
	if v.Status != StatusValid || len(v.Members) != 3 || len(v.Missing) != 0 {
		t.Fatalf("verification: %s, members %v, missing %v", v.Status, v.Members, v.Missing)
	}
	if len(c.Acks) != 3 || len(c.Pending) != 0 {
		t.Fatalf("acks %d pending %v, want 3 and none", len(c.Acks), c.Pending)
	}
	var blocks, kfrags uint64
	for _, a := range c.Acks {
		blocks += a.Blocks
		kfrags += a.KFrags
	}
	if kfrags != 3 || blocks < uint64(2*len(P.batches)*2) {
		t.Fatalf("acks report %d kfrags and %d blocks; want 3 kfrags and every replica's blocks", kfrags, blocks)
	}
	if len(c.KeyIDs) != len(keyIDs) || c.KeyIDs[0] != Hex32(keyIDs[0]) {
		t.Fatalf("certificate lists key ids %v, keystore had %v", c.KeyIDs, keyIDs)
	}
	if len(c.Recipients) != 1 || c.Recipients[0].Grantee != Hex32(P.clinician.Public().Hash()) || c.Recipients[0].Status != "revoked" {
		t.Fatalf("recipients: %+v", c.Recipients)
	}
	if !c.Deadline.Equal(c.Received.AddDate(0, 1, 0)) {
		t.Fatalf("deadline %s is not one month after receipt %s", c.Deadline, c.Received)
	}
	for _, ch := range c.Checks {
		if !ch.OK {
			t.Fatalf("check %s failed: %s", ch.Name, ch.Detail)
		}
	}
	if len(c.Checks) != 3 {
		t.Fatalf("checks: %+v", c.Checks)
	}
	// The other patient is intact.
	if n, err := w.clinicianRead(other, 1); err != nil || n != 50 {
		t.Fatalf("other patient: %d readings, %v", n, err)
	}
	// Erasing twice is harmless: same certificate.
	res2, err := e.Erase(ctx, Request{Patient: P.p, RequestRef: "DPO-2026-0042"})
	if err != nil || !bytes.Equal(res2.Certificate, res.Certificate) {
		t.Fatalf("second erasure: %v (same certificate: %v)", err, res2 != nil && bytes.Equal(res2.Certificate, res.Certificate))
	}
	if _, err := e.Erase(ctx, Request{Patient: P.p, RequestRef: "another"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("erasure under another reference: %v, want ErrConflict", err)
	}
	// Neither the journal nor the certificate keeps the stream names.
	for _, f := range []string{journalPath(w.dir, res.ID), certPath(w.dir, res.ID)} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"glucose", "insulin"} {
			if bytes.Contains(b, []byte(name)) {
				t.Errorf("%s names the erased stream %q", filepath.Base(f), name)
			}
		}
	}
	// Nor the pseudonym.
	pn := hex.EncodeToString(P.p[:])
	filepath.Walk(w.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(pn)) || bytes.Contains(b, P.p[:]) {
			t.Errorf("%s holds the pseudonym", path)
		}
		return nil
	})
}

func TestEraseBadRequest(t *testing.T) {
	for _, r := range []Request{{RequestRef: ""}, {RequestRef: strings.Repeat("x", MaxRequestRefLen+1)}, {RequestRef: "a\nb"}, {RequestRef: "ok", Reason: "\xff"}} {
		if err := r.validate(); !errors.Is(err, ErrBadRequest) {
			t.Fatalf("request %q: %v", r.RequestRef, err)
		}
	}
}

var errCrash = errors.New("simulated crash")

// TestCrashAtEachStepThenResume cuts the erasure short right after each
// step's action, before its journal entry (the worst moment), then runs it
// again: it must finish the same erasure with a valid certificate.
func TestCrashAtEachStepThenResume(t *testing.T) {
	w := newWorld(t, 3)
	for s := StepOpened; s <= StepCertified; s++ {
		t.Run(s.String(), func(t *testing.T) {
			ctx := testCtx(t)
			P := w.newPatient(1, 20, 2)
			subject := w.ks.SubjectTag(P.p)
			req := Request{Patient: P.p, RequestRef: "REF-" + s.String()}
			_, err := w.eraser(func(at Step) error {
				if at == s {
					return errCrash
				}
				return nil
			}).Erase(ctx, req)
			if !errors.Is(err, errCrash) {
				t.Fatalf("crash at %s: %v", s, err)
			}
			// Invariant at the crash: never recorded without destroyed keys.
			if _, err := w.chain.LookupErasure(ctx, subject); err == nil {
				if _, derr := w.ks.StreamSecretKey(ctx, P.p, "glucose"); !errors.Is(derr, keys.ErrDestroyed) {
					t.Fatal("erasure recorded on-chain while the keys are not destroyed")
				}
			}
			e := w.eraser(nil)
			var res *Result
			if s%2 == 0 {
				ids, err := e.ResumeAll(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if s > StepOpened && len(ids) != 1 {
					t.Fatalf("ResumeAll finished %d erasures, want 1", len(ids))
				}
				b, err := e.Certificate(e.ID(P.p))
				if err != nil {
					t.Fatal(err)
				}
				res = &Result{Certificate: b}
			} else {
				if res, err = e.Erase(ctx, req); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := Verify(ctx, res.Certificate, w.chain); err != nil {
				t.Fatal(err)
			}
			w.checkErased(t, P, 1)
			if st, _ := e.Status(e.ID(P.p)); st != StepCertified {
				t.Fatalf("journal at %s", st)
			}
		})
	}
}

func TestPeerDownDuringErasure(t *testing.T) {
	w := newWorld(t, 3)
	ctx := testCtx(t)
	P := w.newPatient(2, 100, 3) // every peer holds every batch
	down := w.peers[2]
	if down.vault.count() != 1 {
		t.Fatalf("peer 2 holds %d kfrags before", down.vault.count())
	}
	w.stop(2)
	e := w.eraser(nil)
	res, err := e.Erase(ctx, Request{Patient: P.p, RequestRef: "REF-DOWN"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(ctx, res.Certificate, w.chain)
	if err != nil {
		t.Fatal(err)
	}
	c := v.Certificate
	if len(c.Pending) != 1 || c.Pending[0] != down.id.String() || len(c.Acks) != 2 {
		t.Fatalf("pending %v acks %d; want peer 2 pending", c.Pending, len(c.Acks))
	}
	// A member that has not acknowledged makes the certificate incomplete, not valid.
	if v.Status != StatusIncomplete || len(v.Missing) != 1 || v.Missing[0] != down.id.String() {
		t.Fatalf("verification with a member pending: %s, missing %v", v.Status, v.Missing)
	}
	// Peer 2 comes back: its store still holds the batches, but it serves
	// nothing before it has fetched and executed the orders it missed.
	w.start(2, true)
	w.connectAll()
	if n := w.held(P); n != len(P.batches) {
		t.Fatalf("the returning peer holds %d batch roots, want %d (the test proves nothing otherwise)", n, len(P.batches))
	}
	if n := w.served(P, 0); n != 0 {
		t.Fatalf("the returning peer served %d roots before its purge", n)
	}
	n, err := down.purger.Sync(ctx, down.node.Host, w.members.List())
	if err != nil || n != 1 {
		t.Fatalf("sync: executed %d orders, %v", n, err)
	}
	down.gate.Open()
	w.checkErased(t, P, 0)
	if down.vault.count() != 0 {
		t.Fatal("the returning peer kept its kfrag")
	}
	// The custodian collects the late acknowledgement and re-issues the certificate.
	changed, err := e.RetryPending(ctx)
	if err != nil || len(changed) != 1 {
		t.Fatalf("retry pending: %v %v", changed, err)
	}
	b, _ := e.Certificate(res.ID)
	v2, err := Verify(ctx, b, w.chain)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Status != StatusValid {
		t.Fatalf("after the late acknowledgement: %s, missing %v", v2.Status, v2.Missing)
	}
	c2 := v2.Certificate
	if len(c2.Pending) != 0 || len(c2.Acks) != 3 {
		t.Fatalf("after retry: pending %v acks %d", c2.Pending, len(c2.Acks))
	}
	for _, a := range c2.Acks {
		if a.Peer == down.id.String() && (a.Blocks == 0 || a.KFrags != 1) {
			t.Fatalf("late ack: %+v", a)
		}
	}
}

func TestRefusal(t *testing.T) {
	w := newWorld(t, 3)
	ctx := testCtx(t)
	P := w.newPatient(1, 20, 2)
	e := w.eraser(nil)
	if _, err := e.Refuse(ctx, RefusalRequest{Patient: P.p, RequestRef: "REF-R", Ground: 9}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("unknown ground: %v", err)
	}
	doc, err := e.Refuse(ctx, RefusalRequest{Patient: P.p, RequestRef: "REF-R", Reason: "medical records are kept 20 years by law", Ground: GroundLegalObligation})
	if err != nil {
		t.Fatal(err)
	}
	r, err := VerifyRefusal(ctx, doc, w.chain)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ground != 1 || r.Article != "GDPR Art. 17(3)(b)" {
		t.Fatalf("refusal: %+v", r)
	}
	if RequestRefHash(Hex32{}, "REF-R") == r.RequestRefHash {
		t.Fatal("the on-chain request hash is the unsalted hash: anyone can test guesses against it")
	}
	rec, err := w.chain.LookupRefusal(ctx, r.RequestRefHash)
	if err != nil || rec.LegalGround != 1 || rec.SubjectTag != w.ks.SubjectTag(P.p) {
		t.Fatalf("on-chain refusal: %+v %v", rec, err)
	}
	// Nothing destroyed: the clinician still reads, keys are live.
	if n, err := w.clinicianRead(P, 1); err != nil || n != 20 {
		t.Fatalf("after refusal: %d, %v", n, err)
	}
	if _, err := w.chain.LookupErasure(ctx, w.ks.SubjectTag(P.p)); !errors.Is(err, pointers.ErrUnknownErasure) {
		t.Fatalf("a refusal recorded an erasure: %v", err)
	}
	again, err := e.Refuse(ctx, RefusalRequest{Patient: P.p, RequestRef: "REF-R", Ground: GroundLegalObligation})
	if err != nil || !bytes.Equal(again, doc) {
		t.Fatalf("refusing again: %v", err)
	}
	// A document whose ground was changed does not verify.
	bad := bytes.Replace(doc, []byte(`"ground": 1`), []byte(`"ground": 4`), 1)
	if _, err := VerifyRefusal(ctx, bad, w.chain); !errors.Is(err, ErrInvalidCertificate) {
		t.Fatalf("altered refusal: %v", err)
	}
}

// mutate decodes the certificate into a generic map, applies f, and
// re-encodes it (the signature is kept).
func mutate(t *testing.T, cert []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(cert, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// twoErased erases two patients, A and B, of a 3-peer world and returns the
// world, A and both results.
func twoErased(t *testing.T) (*world, context.Context, *patient, *Result, *Result) {
	t.Helper()
	w := newWorld(t, 3)
	ctx := testCtx(t)
	A := w.newPatient(1, 20, 2)
	B := w.newPatient(1, 20, 2)
	e := w.eraser(nil)
	ra, err := e.Erase(ctx, Request{Patient: A.p, RequestRef: "REF-A"})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := e.Erase(ctx, Request{Patient: B.p, RequestRef: "REF-B"})
	if err != nil {
		t.Fatal(err)
	}
	return w, ctx, A, ra, rb
}

func TestVerifyRejectsForgedCertificates(t *testing.T) {
	w, ctx, _, ra, rb := twoErased(t)
	if _, err := Verify(ctx, ra.Certificate, w.chain); err != nil {
		t.Fatal(err)
	}
	var cb map[string]any
	_ = json.Unmarshal(rb.Certificate, &cb)
	flip := func(s string) string { // change one hex digit / character
		if s == "" {
			return "x"
		}
		c := s[len(s)-1]
		r := byte('0')
		if c == '0' {
			r = '1'
		}
		return s[:len(s)-1] + string(r)
	}
	cases := map[string]func(m map[string]any){
		"subject":     func(m map[string]any) { m["subjectTag"] = flip(m["subjectTag"].(string)) },
		"request ref": func(m map[string]any) { m["requestRef"] = "REF-X" },
		"reason":      func(m map[string]any) { m["reason"] = "changed" },
		"deadline":    func(m map[string]any) { m["deadline"] = "2099-01-01T00:00:00Z" },
		"key id":      func(m map[string]any) { ids := m["keyIds"].([]any); ids[0] = flip(ids[0].(string)) },
		"drop key id": func(m map[string]any) { m["keyIds"] = m["keyIds"].([]any)[1:] },
		"tx hash":     func(m map[string]any) { ch := m["chain"].(map[string]any); ch["txHash"] = flip(ch["txHash"].(string)) },
		"block":       func(m map[string]any) { ch := m["chain"].(map[string]any); ch["block"] = ch["block"].(float64) + 1 },
		"ack count": func(m map[string]any) {
			a := m["acks"].([]any)[0].(map[string]any)
			a["blocks"] = a["blocks"].(float64) + 1
		},
		"swap ack sig": func(m map[string]any) {
			acks := m["acks"].([]any)
			a0, a1 := acks[0].(map[string]any), acks[1].(map[string]any)
			a0["signature"], a1["signature"] = a1["signature"], a0["signature"]
		},
		"ack from B": func(m map[string]any) { m["acks"].([]any)[0] = cb["acks"].([]any)[0] },
		"drop ack":   func(m map[string]any) { m["acks"] = m["acks"].([]any)[1:] },
		"pending":    func(m map[string]any) { m["pending"] = []any{m["custodian"]} },
		"order of B": func(m map[string]any) { m["purgeOrder"] = cb["purgeOrder"] },
		"check":      func(m map[string]any) { c := m["checks"].([]any)[1].(map[string]any); c["ok"] = false },
		"signature":  func(m map[string]any) { m["signature"] = cb["signature"] },
		"unknown":    func(m map[string]any) { m["extra"] = 1 },
		"format":     func(m map[string]any) { m["format"] = "vaultnode-erasure-certificate/1" },
		"recipient": func(m map[string]any) {
			r := m["recipients"].([]any)[0].(map[string]any)
			r["grantee"] = flip(r["grantee"].(string))
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			bad := mutate(t, ra.Certificate, f)
			if _, err := Verify(ctx, bad, w.chain); !errors.Is(err, ErrInvalidCertificate) {
				t.Fatalf("altered certificate accepted or wrong error: %v", err)
			}
		})
	}
	// Re-signed by the real custodian key, every hash consistent, but
	// claiming fewer destroyed keys than the chain's commitment says.
	t.Run("validly signed lie", func(t *testing.T) {
		c, _ := ParseCertificate(ra.Certificate)
		c.KeyIDs = c.KeyIDs[:1]
		c.KeyIDsCommitment = KeyIDsCommitment(c.KeyIDs)
		key, _ := w.ks.NodeIdentity()
		b, err := c.sign(key)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(ctx, b, w.chain); !errors.Is(err, ErrInvalidCertificate) || !strings.Contains(err.Error(), "on-chain key-id commitment") {
			t.Fatalf("lie accepted or caught for another reason: %v", err)
		}
	})
	// Signed by another key (claiming to be the custodian with its own peer id).
	t.Run("wrong signer", func(t *testing.T) {
		c, _ := ParseCertificate(ra.Certificate)
		other, _, _ := crypto.GenerateEd25519Key(rand.Reader)
		// A thorough forger re-signs the purge order too.
		o, _ := p2p.ParsePurgeOrder(c.PurgeOrder)
		if err := o.Sign(other); err != nil {
			t.Fatal(err)
		}
		c.PurgeOrder, _ = o.MarshalBinary()
		oh, _ := o.Hash()
		c.PurgeOrderHash = oh
		b, err := c.sign(other)
		if err != nil {
			t.Fatal(err)
		}
		// The re-signed order's hash is not the one anchored on-chain.
		if _, err := Verify(ctx, b, w.chain); !errors.Is(err, ErrInvalidCertificate) || !strings.Contains(err.Error(), "purge-order hash") {
			t.Fatalf("certificate by another signer accepted or caught for another reason: %v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		for _, b := range [][]byte{nil, []byte("{}"), []byte("[]"), ra.Certificate[:len(ra.Certificate)/2], append(bytes.Clone(ra.Certificate), []byte("{}")...)} {
			if _, err := Verify(ctx, b, w.chain); !errors.Is(err, ErrInvalidCertificate) {
				t.Fatalf("%q: %v", b, err)
			}
		}
	})
}

// scanDirs counts, for each needle, the files under dirs that contain it.
func scanDirs(t *testing.T, dirs []string, needles [][]byte) []int {
	t.Helper()
	counts := make([]int, len(needles))
	for _, d := range dirs {
		filepath.Walk(d, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(path)
			for i, n := range needles {
				if bytes.Contains(b, n) {
					counts[i]++
				}
			}
			return nil
		})
	}
	return counts
}

// A lying peer acknowledges the purge without deleting anything: the
// verification probe finds its blocks served, no certificate is issued, and
// once the peer really purges, running the erasure again completes it.
func TestLyingPeerCaughtByVerification(t *testing.T) {
	w := newWorld(t, 3)
	ctx := testCtx(t)
	P := w.newPatient(1, 20, 3)
	liar := w.peers[2]
	liar.node.Host.SetStreamHandler(p2p.PurgeProtocol, func(s network.Stream) {
		defer s.Close()
		var hdr [4]byte
		if _, err := io.ReadFull(s, hdr[:]); err != nil {
			return
		}
		b := make([]byte, binary.BigEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(s, b); err != nil || len(b) == 0 || b[0] != 'O' {
			return
		}
		o, err := p2p.ParsePurgeOrder(b[1:])
		if err != nil {
			return
		}
		oh, _ := o.Hash()
		a := &p2p.PurgeAck{Order: oh, KFrags: 1, Blocks: 99, Time: time.Now().UTC()}
		_ = a.Sign(liar.key)
		ab, _ := a.MarshalBinary()
		out := append([]byte{0}, ab...)
		binary.BigEndian.PutUint32(hdr[:], uint32(len(out)))
		_, _ = s.Write(append(hdr[:], out...))
	})
	e := w.eraser(nil)
	req := Request{Patient: P.p, RequestRef: "REF-LIAR"}
	if _, err := e.Erase(ctx, req); !errors.Is(err, ErrVerifyFailed) {
		t.Fatalf("erasure with a lying peer: %v, want ErrVerifyFailed", err)
	}
	if _, err := e.Certificate(e.ID(P.p)); err == nil {
		t.Fatal("a certificate was issued although a peer still serves the patient's data")
	}
	// The keys are gone and the record is on-chain regardless.
	if _, err := w.ks.StreamSecretKey(ctx, P.p, "glucose"); !errors.Is(err, keys.ErrDestroyed) {
		t.Fatalf("keys: %v", err)
	}
	liar.purger.Serve(liar.node.Host) // the peer is fixed
	res, err := e.Erase(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(ctx, res.Certificate, w.chain); err != nil {
		t.Fatal(err)
	}
	w.checkErased(t, P, 0)
}

// A custodian that re-signs its own certificate after changing what it
// states (its key is the one that signs) must still not pass: everything a
// forger could rewrite is checked against the chain or the members'
// signatures, not taken from the file.
func TestVerifyRejectsValidlySignedForgeries(t *testing.T) {
	w, ctx, A, ra, rb := twoErased(t)
	key, err := w.ks.NodeIdentity()
	if err != nil {
		t.Fatal(err)
	}
	resign := func(t *testing.T, f func(c *Certificate)) []byte {
		t.Helper()
		c, err := ParseCertificate(ra.Certificate)
		if err != nil {
			t.Fatal(err)
		}
		f(c)
		b, err := c.sign(key)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cb, _ := ParseCertificate(rb.Certificate)
	other := w.peers[1].id.String()
	dropAck := func(c *Certificate) {
		for i, a := range c.Acks {
			if a.Peer == other {
				c.Acks = append(c.Acks[:i], c.Acks[i+1:]...)
				return
			}
		}
		t.Fatal("no acknowledgement of peer 1 to drop")
	}
	rejected := map[string]struct {
		forge func(c *Certificate)
		why   string
	}{
		"acknowledgement removed": {dropAck, "pending list"},
		"pending peer not a member": {func(c *Certificate) {
			stranger, _, _ := crypto.GenerateEd25519Key(rand.Reader)
			id, _ := peer.IDFromPrivateKey(stranger)
			c.Pending = append(c.Pending, id.String())
		}, "pending list"},
		"fake check": {func(c *Certificate) {
			c.Checks = append(c.Checks, Check{Name: "all-members-purged", OK: true, Detail: "trust me"})
		}, "does not run"},
		"recipient removed":            {func(c *Certificate) { c.Recipients = c.Recipients[:0] }, "missing from the recipients"},
		"recipient of another erasure": {func(c *Certificate) { c.Recipients = append(c.Recipients, cb.Recipients...) }, "stream not erased"},
		"order and acks of another erasure": {func(c *Certificate) {
			c.PurgeOrder, c.PurgeOrderHash, c.Acks, c.Streams, c.Recipients = cb.PurgeOrder, cb.PurgeOrderHash, cb.Acks, cb.Streams, cb.Recipients
			// The order names its subject: a thorough forger re-signs one for A's subject with B's roots.
			o, _ := p2p.ParsePurgeOrder(cb.PurgeOrder)
			o.SubjectTag = c.SubjectTag
			if err := o.Sign(key); err != nil {
				t.Fatal(err)
			}
			c.PurgeOrder, _ = o.MarshalBinary()
			oh, _ := o.Hash()
			c.PurgeOrderHash = oh
		}, "purge-order hash"},
		"another grants registry": {func(c *Certificate) { c.Chain.Grants = c.Chain.Registry }, "registries"},
		"stream named":            {func(c *Certificate) { c.Streams[0].Name = "glucose" }, "names a stream"},
	}
	for name, tc := range rejected {
		t.Run(name, func(t *testing.T) {
			v, err := Verify(ctx, resign(t, tc.forge), w.chain)
			if !errors.Is(err, ErrInvalidCertificate) || !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("forgery accepted (%+v) or caught for another reason: %v", v, err)
			}
		})
	}
	// Owning up: the dropped acknowledgement moved to pending verifies, but
	// as incomplete, never valid.
	t.Run("acknowledgement moved to pending", func(t *testing.T) {
		v, err := Verify(ctx, resign(t, func(c *Certificate) { dropAck(c); c.Pending = append(c.Pending, other) }), w.chain)
		if err != nil || v.Status != StatusIncomplete || len(v.Missing) != 1 || v.Missing[0] != other {
			t.Fatalf("want incomplete with %s missing: %+v %v", other, v, err)
		}
	})
	// A grant recorded on an erased stream after the erasure and never
	// revoked: the certificate no longer holds.
	t.Run("unrevoked grant on an erased stream", func(t *testing.T) {
		now := time.Now()
		g := pointers.Grant{GranteeKeyHash: [32]byte{7}, NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour),
			M: 1, SignerKey: w.signer.Public().(ed25519.PublicKey), Proxies: []common.Address{w.peers[0].account}}
		_, _ = rand.Read(g.ID[:])
		g.StreamBinding = pointers.GrantKeyOf(A.streams[0].Tag).Binding(g.ID)
		g.Signature = ed25519.Sign(w.signer, w.chain.GrantMessage(g))
		if _, err := w.chain.Grant(ctx, g); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(ctx, ra.Certificate, w.chain); !errors.Is(err, ErrInvalidCertificate) || !strings.Contains(err.Error(), "not revoked") {
			t.Fatalf("a live grant on an erased stream went unnoticed: %v", err)
		}
		if v, err := Verify(ctx, rb.Certificate, w.chain); err != nil || v.Status != StatusValid {
			t.Fatalf("B's certificate: %+v %v", v, err)
		}
	})
}

// A member that was away during the erasure (or runs no daemon) purges
// when it next runs and delivers its acknowledgement itself: the
// custodian's certificate becomes valid without the custodian asking.
func TestLateMemberDeliversItsAck(t *testing.T) {
	w := newWorld(t, 3)
	ctx := testCtx(t)
	P := w.newPatient(1, 20, 3)
	w.stop(2)
	e := w.eraser(nil)
	res, err := e.Erase(ctx, Request{Patient: P.p, RequestRef: "REF-LATE"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := Verify(ctx, res.Certificate, w.chain); err != nil || v.Status != StatusIncomplete {
		t.Fatalf("with peer 2 away: %+v %v, want incomplete", v, err)
	}
	late := w.peers[2]
	w.start(2, true)
	w.connectAll()
	if n, err := late.purger.Sync(ctx, late.node.Host, w.members.List()); err != nil || n != 1 {
		t.Fatalf("sync: %d orders, %v", n, err)
	}
	if n, err := late.purger.DeliverAcks(ctx, late.node.Host); err != nil || n != 1 {
		t.Fatalf("deliver: %d acks, %v", n, err)
	}
	b, err := e.Certificate(res.ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(ctx, b, w.chain)
	if err != nil || v.Status != StatusValid || len(v.Certificate.Acks) != 3 {
		t.Fatalf("after the late member delivered its ack: %+v %v", v, err)
	}
	// Delivered once: not sent again, and a repeat changes nothing.
	if n, err := late.purger.DeliverAcks(ctx, late.node.Host); err != nil || n != 0 {
		t.Fatalf("second delivery: %d acks, %v", n, err)
	}
	a, _ := p2p.ParsePurgeAck(mustAckOf(t, late, res.Cert.PurgeOrderHash))
	if err := e.AcceptAck(ctx, a); err != nil {
		t.Fatalf("repeated acknowledgement: %v", err)
	}
	if b2, _ := e.Certificate(res.ID); !bytes.Equal(b, b2) {
		t.Fatal("a repeated acknowledgement re-issued the certificate")
	}
	// An acknowledgement for an order this custodian never issued is refused.
	other := &p2p.PurgeAck{Order: [32]byte{9}, KFrags: 0, Blocks: 0, Time: time.Now().UTC()}
	if err := other.Sign(late.key); err != nil {
		t.Fatal(err)
	}
	if err := e.AcceptAck(ctx, other); !errors.Is(err, ErrNoJournal) {
		t.Fatalf("ack of an unknown order: %v", err)
	}
}

// mustAckOf is the acknowledgement peer p keeps for order h.
func mustAckOf(t *testing.T, p *tpeer, h Hex32) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(p.purgeDir, hex.EncodeToString(h[:])+".ack"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
