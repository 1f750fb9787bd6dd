package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store/zkclaim"
)

var claimT0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// ingestValues ingests one signed batch of glucose readings, one a minute from claimT0+off minutes, with
// the given values in unit.
func ingestValues(t testing.TB, n *Node, priv ed25519.PrivateKey, patient string, off int, unit string, values ...float64) {
	t.Helper()
	code := "loinc:15074-8"
	if unit == "mg/dL" {
		code = "loinc:2339-0"
	}
	lines := make([][]byte, len(values))
	for i, v := range values {
		lines[i] = fmt.Appendf(nil, `{"device":"cgm-17","patient":%q,"stream":"glucose","time":"%s","value":%g,"unit":%q,"code":%q}`,
			patient, claimT0.Add(time.Duration(off+i)*time.Minute).Format(time.RFC3339Nano), v, unit, code)
	}
	b, err := ParseBatch(bytes.NewReader(SignedBatch(priv, "cgm-17", lines)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Ingest(context.Background(), "cgm-17", b); err != nil {
		t.Fatal(err)
	}
}

func claimsNode(t *testing.T, streams ...string) (*Node, ed25519.PrivateKey) {
	n, priv, _ := onlineNodeWith(t, func(c *Config) { c.Claims.Streams = streams })
	return n, priv
}

// The care team's question: did the patient have a hypoglycaemic reading (< 3.9 mmol/L, i.e. ≤ 3.89)
// in the window? The custodian proves it against a batch commitment on chain; the claim verifies against
// the chain alone; it names no patient and carries no reading.
func TestClaimProvenAgainstTheChainRevealsNoReading(t *testing.T) {
	ctx := context.Background()
	n, priv := claimsNode(t, "glucose")
	ingestValues(t, n, priv, "MRN-1", 0, "mmol/L", 5.4, 6.1, 7.7)
	// The hypoglycaemic reading arrives in mg/dL: 63 mg/dL is 3.50 mmol/L.
	ingestValues(t, n, priv, "MRN-1", 60, "mg/dL", 110, 63, 95)
	ingestValues(t, n, priv, "MRN-1", 120, "mmol/L", 8.2, 9.0)
	pt, st := mustStream(t, n, "MRN-1", "glucose")
	waitCommitted(t, n, st, 3)

	req := ClaimRequest{Patient: "MRN-1", Stream: "glucose", Threshold: 3.89, Below: true, From: claimT0, To: claimT0.Add(24 * time.Hour)}
	c, err := n.ProveClaim(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Statement, "at or below 3.89 mmol/L") {
		t.Fatalf("statement %q", c.Statement)
	}
	file, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseClaim(file)
	if err != nil {
		t.Fatal(err)
	}
	chk, err := VerifyClaim(ctx, n.Chain, parsed)
	if err != nil || !chk.Valid || chk.OnChain != "accepted" || len(chk.Recorded) != 0 {
		t.Fatalf("claim does not verify (or claims a record it does not have): %+v %v", chk, err)
	}
	// Recorded on chain: the Claims contract verified it; the verification names the record.
	req.Record = true
	rec, err := n.ProveClaim(ctx, req)
	if err != nil || rec.Recorded == nil {
		t.Fatalf("prove and record: %+v %v", rec, err)
	}
	if chk, err := VerifyClaim(ctx, n.Chain, rec); err != nil || len(chk.Recorded) != 1 || chk.Recorded[0].Tx != rec.Recorded.Tx {
		t.Fatalf("recorded claim: %+v %v", chk, err)
	}
	req.Record = false
	// The chain's verifier refuses what the off-chain one refuses: a statement the proof was not made for.
	proof, _ := base64.StdEncoding.DecodeString(c.Proof)
	zp, err := zkclaim.UnmarshalProof(proof)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := zkclaim.ParseRoot(c.Batch.ClaimRoot)
	forged := parsed.statement()
	forged.Threshold = 300
	call, err := exceedsCall(forged, root, zp)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Chain.CheckExceedsClaim(ctx, call); !errors.Is(err, pointers.ErrClaimRefused) {
		t.Fatalf("the chain's verifier accepts a proof for another threshold: %v", err)
	}
	if _, err := n.Chain.RecordExceedsClaim(ctx, call); !errors.Is(err, pointers.ErrClaimRefused) {
		t.Fatalf("the Claims contract records a refused proof: %v", err)
	}
	// The batch it names is the one with the hypoglycaemic reading (the second).
	if want := pointers.StreamSecret(st.ChainSecret).BatchTag(2); c.Batch.Tag != hex.EncodeToString(want[:]) {
		t.Fatalf("claim proven against batch tag %s, want batch 2's", c.Batch.Tag)
	}
	// Nothing in the file names the patient or the stream, or carries a reading's value or time. Long
	// identifiers are looked for in the whole file; short values in its text and numbers (the proof's
	// bytes are zkclaim's privacy test's business, where they are checked in every encoding).
	for what, s := range map[string]string{
		"MRN": "MRN-1", "pseudonym": pt.String(), "stream tag": st.Tag.String(),
		"chain secret": hex.EncodeToString(st.ChainSecret[:]), "claim secret": hex.EncodeToString(st.ClaimSecret[:]),
	} {
		if strings.Contains(strings.ToLower(string(file)), strings.ToLower(s)) {
			t.Errorf("the claim file carries the %s (%q): %s", what, s, file)
		}
	}
	text := *c
	text.Batch.Tag, text.Batch.ClaimRoot, text.Batch.Tx, text.Batch.By, text.Chain.Commitments, text.VerifyingKey, text.Proof = "", "", "", "", "", "", ""
	textJSON, _ := json.Marshal(&text)
	for what, s := range map[string]string{
		"value 63 mg/dL": "63", "value 3.50 mmol/L": "3.5", "fixed-point 350": "350",
		"reading time": claimT0.Add(61 * time.Minute).Format("15:04"), "reading ms": fmt.Sprint(claimT0.Add(61 * time.Minute).UnixMilli()),
	} {
		if strings.Contains(string(textJSON), s) {
			t.Errorf("the claim file carries the %s (%q): %s", what, s, textJSON)
		}
	}

	// False statements cannot be proven: no reading ≤ 3.49 at all; the hypoglycaemic reading outside the
	// window; a threshold every reading misses upwards.
	for name, r := range map[string]ClaimRequest{
		"lower threshold": {Patient: "MRN-1", Stream: "glucose", Threshold: 3.49, Below: true, From: claimT0, To: claimT0.Add(24 * time.Hour)},
		"window without":  {Patient: "MRN-1", Stream: "glucose", Threshold: 3.89, Below: true, From: claimT0.Add(62 * time.Minute), To: claimT0.Add(24 * time.Hour)},
		"above":           {Patient: "MRN-1", Stream: "glucose", Threshold: 9.01, From: claimT0, To: claimT0.Add(24 * time.Hour)},
	} {
		if _, err := n.ProveClaim(ctx, r); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "false") {
			t.Errorf("%s: a false claim was not refused as false: %v", name, err)
		}
	}
	// A true one at the edge: 9.0 mmol/L is ≥ 9.00.
	if _, err := n.ProveClaim(ctx, ClaimRequest{Patient: "MRN-1", Stream: "glucose", Threshold: 9.0, From: claimT0, To: claimT0.Add(24 * time.Hour)}); err != nil {
		t.Errorf("a true claim at the edge: %v", err)
	}

	// Tampering with a claim file: each is refused as an integrity failure.
	other := pointers.StreamSecret(st.ChainSecret).BatchTag(1)
	otherList, err := n.Chain.LookupCommitment(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	// A claim proven against batch 1 (7.7 mmol/L in the first hour), for its Poseidon2 root.
	first, err := n.ProveClaim(ctx, ClaimRequest{Patient: "MRN-1", Stream: "glucose", Threshold: 7.7, From: claimT0, To: claimT0.Add(time.Hour)})
	if err != nil || first.Batch.Tag != hex.EncodeToString(other[:]) {
		t.Fatalf("claim about batch 1: %v", err)
	}
	tamper := map[string]func(c *Claim){
		"threshold raised with its words": func(c *Claim) {
			c.Threshold = 300
			c.Statement = strings.Replace(c.Statement, "3.89", "3.00", 1)
		},
		"words only": func(c *Claim) { c.Statement = strings.Replace(c.Statement, "3.89", "3.00", 1) },
		"window moved": func(c *Claim) {
			c.From += 120 * 60_000
			c.Statement = claimWords(c.Stream, claimProfiles[c.Stream], c.statement())
		},
		"another batch's root":       func(c *Claim) { c.Batch.ClaimRoot = first.Batch.ClaimRoot },
		"another batch's bound root": func(c *Claim) { c.Batch.ClaimRoot = hex.EncodeToString(otherList[0].ClaimRoot[:]) },
		"another batch's tag":        func(c *Claim) { c.Batch.Tag = hex.EncodeToString(other[:]) },
		"direction flipped": func(c *Claim) {
			c.Below = false
			c.Statement = claimWords(c.Stream, claimProfiles[c.Stream], c.statement())
		},
		// The same numbers read as another kind of reading: "heart rate ≤ 389 /min".
		"relabelled as heart rate": func(c *Claim) {
			c.Stream, c.Unit, c.Scale = "heart-rate", "/min", 0
			c.Statement = claimWords(c.Stream, claimProfiles[c.Stream], c.statement())
		},
		"another verifying key":  func(c *Claim) { c.VerifyingKey = strings.Repeat("ab", 32) },
		"unknown batch tag":      func(c *Claim) { c.Batch.Tag = strings.Repeat("11", 32) },
		"proof of another claim": func(c *Claim) {},
	}
	edge, err := n.ProveClaim(ctx, ClaimRequest{Patient: "MRN-1", Stream: "glucose", Threshold: 9.0, From: claimT0, To: claimT0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tamper["proof of another claim"] = func(c *Claim) { c.Proof = edge.Proof }
	for name, f := range tamper {
		cp := *parsed
		f(&cp)
		b, _ := json.Marshal(&cp)
		pc, err := ParseClaim(b)
		if err == nil {
			_, err = VerifyClaim(ctx, n.Chain, pc)
		}
		if err == nil {
			t.Errorf("%s: the tampered claim verifies", name)
		} else if !errors.Is(err, ErrIntegrity) && !errors.Is(err, ErrBadInput) {
			t.Errorf("%s: refused with an unclassified error: %v", name, err)
		}
	}

	// Erasure destroys the claim secret with the patient's keys: nothing new can be proven.
	if _, err := n.Erase(ctx, "MRN-1", "DSAR-claims", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.ProveClaim(ctx, req); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a claim about an erased patient: %v", err)
	}
}

// A stream whose batches were ingested without claims.streams carries no claim root: the custodian is
// told why nothing can be proven, and a node refuses a claims.streams entry it cannot commit.
func TestClaimNeedsAClaimRootAtIngest(t *testing.T) {
	ctx := context.Background()
	n, priv := claimsNode(t) // claims off
	ingestValues(t, n, priv, "MRN-1", 0, "mmol/L", 3.1, 5.0)
	_, st := mustStream(t, n, "MRN-1", "glucose")
	waitCommitted(t, n, st, 1)
	list, err := n.Chain.LookupCommitment(ctx, pointers.StreamSecret(st.ChainSecret).BatchTag(1))
	if err != nil || list[0].ClaimRoot != ([32]byte{}) {
		t.Fatalf("a batch of a stream without claims carries claim root %x (%v)", list[0].ClaimRoot, err)
	}
	_, err = n.ProveClaim(ctx, ClaimRequest{Patient: "MRN-1", Stream: "glucose", Threshold: 3.89, Below: true, From: claimT0, To: claimT0.Add(time.Hour)})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "claims.streams") {
		t.Fatalf("claim without a claim root: %v", err)
	}
	if err := checkClaimStreams([]string{"glucose", "ecg"}); err == nil || !strings.Contains(err.Error(), `"ecg"`) {
		t.Fatalf("claims.streams with a stream without profile: %v", err)
	}
}

// Claim roots hide the readings: two batches with the same readings at the same times (two patients)
// get unrelated claim roots, and so do one patient's batches.
func TestClaimRootsOfEqualReadingsDiffer(t *testing.T) {
	ctx := context.Background()
	n, priv := claimsNode(t, "glucose")
	if _, err := n.Keys.CreatePatient(ctx, "MRN-2"); err != nil {
		t.Fatal(err)
	}
	ingestValues(t, n, priv, "MRN-1", 0, "mmol/L", 5.5, 6.5)
	ingestValues(t, n, priv, "MRN-2", 0, "mmol/L", 5.5, 6.5)
	var roots [][32]byte
	for _, mrn := range []string{"MRN-1", "MRN-2"} {
		_, st := mustStream(t, n, mrn, "glucose")
		waitCommitted(t, n, st, 1)
		list, err := n.Chain.LookupCommitment(ctx, pointers.StreamSecret(st.ChainSecret).BatchTag(1))
		if err != nil {
			t.Fatal(err)
		}
		if list[0].ClaimRoot == ([32]byte{}) {
			t.Fatalf("%s: no claim root on chain", mrn)
		}
		roots = append(roots, list[0].ClaimRoot)
	}
	if roots[0] == roots[1] {
		t.Fatal("equal readings of two patients got the same claim root: the root links them")
	}
	// The same statement about the two patients: the claim files differ only in what is fresh per batch or
	// per proof (the commitment's tag, claim root, block, transaction; the proof), nothing else.
	var files []map[string]any
	for _, mrn := range []string{"MRN-1", "MRN-2"} {
		c, err := n.ProveClaim(ctx, ClaimRequest{Patient: mrn, Stream: "glucose", Threshold: 6.0, From: claimT0, To: claimT0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(c)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		files = append(files, m)
	}
	fresh := map[string]bool{"batch": true, "proof": true}
	for k, v := range files[0] {
		if !fresh[k] && fmt.Sprint(v) != fmt.Sprint(files[1][k]) {
			t.Errorf("claims of the same statement about two patients differ in %q: %v vs %v", k, v, files[1][k])
		}
	}
	b0, b1 := files[0]["batch"].(map[string]any), files[1]["batch"].(map[string]any)
	// (block, tx and member may be shared: the custodian commits many batches, of any patients, per
	// transaction.)
	for _, k := range []string{"tag", "claimRoot"} {
		if b0[k] == b1[k] {
			t.Errorf("the two claims share batch.%s: they link the patients' batches", k)
		}
	}
	if files[0]["proof"] == files[1]["proof"] {
		t.Error("two proofs are the same bytes")
	}
}

// BenchmarkClaimProve5000 is `vaultnode claim prove` on the node: one batch of 5,000 glucose readings (one a
// minute), an exceeds claim over the whole week — open the batch, recompute its claim root, check it against
// the chain, prove — then one recording by the Claims contract, whose gas it reports.
func BenchmarkClaimProve5000(b *testing.B) {
	n, priv, _ := onlineNodeWith(b, func(c *Config) { c.Claims.Streams = []string{"glucose"} })
	values := make([]float64, 5000)
	for i := range values {
		values[i] = 4 + float64(i%90)/10
	}
	values[4321] = 3.2
	ingestValues(b, n, priv, "MRN-1", 0, "mmol/L", values...)
	_, st := mustStream(b, n, "MRN-1", "glucose")
	waitCommitted(b, n, st, 1)
	req := ClaimRequest{Patient: "MRN-1", Stream: "glucose", Threshold: 3.89, Below: true, From: claimT0, To: claimT0.Add(7 * 24 * time.Hour)}
	ctx := context.Background()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := n.ProveClaim(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.StopTimer()
	c, err := n.ProveClaim(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	proof, _ := base64.StdEncoding.DecodeString(c.Proof)
	zp, err := zkclaim.UnmarshalProof(proof)
	if err != nil {
		b.Fatal(err)
	}
	root, _ := zkclaim.ParseRoot(c.Batch.ClaimRoot)
	call, err := exceedsCall(c.statement(), root, zp)
	if err != nil {
		b.Fatal(err)
	}
	rc, err := n.Chain.RecordExceedsClaim(ctx, call)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(rc.GasUsed), "gas/record")
}
