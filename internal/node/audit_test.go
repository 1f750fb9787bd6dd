package node

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// memAnchors is an in-memory audit-anchor registry (the chain's role).
type memAnchors struct{ as []pointers.Anchor }

func (m *memAnchors) AnchorAudit(_ context.Context, logID [32]byte, from, to uint64, root [32]byte) (pointers.Receipt, error) {
	m.as = append(m.as, pointers.Anchor{LogID: logID, Index: uint64(len(m.as)), Root: root, From: from, To: to, Time: time.Now()})
	return pointers.Receipt{}, nil
}
func (m *memAnchors) AnchorCount(context.Context, [32]byte) (uint64, error) {
	return uint64(len(m.as)), nil
}
func (m *memAnchors) LookupAnchor(_ context.Context, _ [32]byte, entry uint64) (pointers.Anchor, error) {
	for _, a := range m.as {
		if entry >= a.From && entry < a.To {
			return a, nil
		}
	}
	return pointers.Anchor{}, pointers.ErrNoAnchor
}

// disclosureFixture logs five accesses, anchors the first four, and builds
// the report of the granted ones the way Node.Disclosures does.
func disclosureFixture(t *testing.T) (*memAnchors, *DisclosureReport) {
	t.Helper()
	ctx := context.Background()
	logID := [32]byte{7}
	l, err := p2p.OpenAccessLog(t.TempDir(), logID, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 123456789, time.UTC)
	chain := &memAnchors{}
	for i := 0; i < 5; i++ {
		o := p2p.Granted
		if i == 1 {
			o = p2p.RefusedRevoked
		}
		if err := l.Append(ctx, p2p.AccessEntry{Time: t0.Add(time.Duration(i) * time.Minute), Grantee: [32]byte{byte(i), 1}, GrantID: [32]byte{2},
			StreamTag: [32]byte{3}, Capsule: [32]byte{byte(i), 4}, Purpose: "TREAT", Outcome: o}); err != nil {
			t.Fatal(err)
		}
		if i == 3 { // anchor [0,4): entry 4 stays unanchored
			if _, _, err := l.Anchor(ctx, chain); err != nil {
				t.Fatal(err)
			}
		}
	}
	all := l.Entries(0, l.Len())
	rep := &DisclosureReport{Format: DisclosuresFormat, Patient: strings.Repeat("ab", 32), Generated: time.Now()}
	for _, e := range all {
		if e.Outcome != p2p.Granted {
			continue
		}
		d := Disclosure{Date: e.Time.UTC(), Recipient: hex.EncodeToString(e.Grantee[:]), Purpose: e.Purpose, Stream: "glucose", Description: "x"}
		if p, err := l.Prove(ctx, chain, e.Index); err == nil {
			d.Proof = disclosureProof(logID, p)
		} else if !errors.Is(err, pointers.ErrNoAnchor) {
			t.Fatal(err)
		}
		rep.Disclosures = append(rep.Disclosures, d)
	}
	return chain, rep
}

func TestVerifyDisclosures(t *testing.T) {
	ctx := context.Background()
	chain, rep := disclosureFixture(t)
	if len(rep.Disclosures) != 4 || rep.Disclosures[3].Proof != nil {
		t.Fatalf("%d disclosures, want the 4 granted accesses, the last unanchored", len(rep.Disclosures))
	}
	checks, err := VerifyDisclosures(ctx, chain, rep)
	if err != nil {
		t.Fatal(err)
	}
	proven := 0
	for _, c := range checks {
		if c.Proven {
			proven++
		}
	}
	if proven != 3 || checks[3].Proven || checks[3].Problem == "" {
		t.Fatalf("%d of %d proven: %+v", proven, len(rep.Disclosures), checks)
	}
	// Round trip through JSON: the file an auditor receives.
	raw, _ := json.Marshal(rep)
	tamper := func(f func(r *DisclosureReport)) error {
		var r DisclosureReport
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		f(&r)
		_, err := VerifyDisclosures(ctx, chain, &r)
		return err
	}
	if err := tamper(func(*DisclosureReport) {}); err != nil {
		t.Fatalf("untouched report after JSON: %v", err)
	}
	for name, f := range map[string]func(r *DisclosureReport){
		"date moved":         func(r *DisclosureReport) { r.Disclosures[1].Date = r.Disclosures[1].Date.Add(time.Hour) },
		"recipient replaced": func(r *DisclosureReport) { r.Disclosures[0].Recipient = strings.Repeat("00", 32) },
		"purpose changed":    func(r *DisclosureReport) { r.Disclosures[2].Purpose = "HPAYMT" },
		"entry and date changed together": func(r *DisclosureReport) {
			r.Disclosures[0].Proof.TimeNanos += 1e9
			r.Disclosures[0].Date = r.Disclosures[0].Date.Add(time.Second)
		},
		"purpose changed in entry too": func(r *DisclosureReport) {
			r.Disclosures[1].Purpose, r.Disclosures[1].Proof.Purpose = "HRESCH", "HRESCH"
		},
		"path altered":     func(r *DisclosureReport) { r.Disclosures[0].Proof.Path[0] = strings.Repeat("11", 32) },
		"path cut":         func(r *DisclosureReport) { r.Disclosures[0].Proof.Path = r.Disclosures[0].Proof.Path[:1] },
		"root claimed":     func(r *DisclosureReport) { r.Disclosures[0].Proof.AnchorRoot = strings.Repeat("22", 32) },
		"refusal as grant": func(r *DisclosureReport) { r.Disclosures[0].Proof.Outcome = uint8(p2p.RefusedRevoked) },
		"bad hex":          func(r *DisclosureReport) { r.Disclosures[0].Proof.Grant = "zz" },
	} {
		if err := tamper(f); !errors.Is(err, ErrIntegrity) {
			t.Errorf("%s: err = %v, want ErrIntegrity", name, err)
		}
	}
	// A disclosure whose entry is not anchored yet is reported unproven, not
	// failed; a report of another format is refused.
	if _, err := VerifyDisclosures(ctx, chain, &DisclosureReport{Format: "x"}); !errors.Is(err, ErrBadInput) {
		t.Fatalf("foreign format: %v", err)
	}
	// The chain changing its anchor (or a different chain) fails every proof.
	chain.as[0].Root[0] ^= 1
	if _, err := VerifyDisclosures(ctx, chain, rep); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("altered on-chain root: %v", err)
	}
}

func TestFHIRAuditEventIsBALPShaped(t *testing.T) {
	es := []AuditEntry{
		{Index: 0, Time: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Grant: strings.Repeat("01", 32), Grantee: strings.Repeat("02", 32),
			Stream: strings.Repeat("03", 32), Batch: strings.Repeat("04", 32), Purpose: "TREAT", Outcome: "granted", Hash: strings.Repeat("05", 32),
			Proven: true, Anchor: 0, Patient: strings.Repeat("06", 32), StreamName: "glucose", Observer: "12D3KooWxyz"},
		{Index: 1, Time: time.Date(2026, 3, 1, 10, 1, 0, 0, time.UTC), Grant: strings.Repeat("01", 32), Grantee: strings.Repeat("07", 32),
			Stream: strings.Repeat("03", 32), Batch: strings.Repeat("04", 32), Purpose: "ETREAT", Outcome: "revoked", Hash: strings.Repeat("08", 32)},
	}
	raw, _ := json.Marshal(FHIRAuditBundle(es))
	var b fhir.Bundle
	fe := &FHIRError{}
	if decodeFHIR(raw, "Bundle", "Bundle", &b, fe) == nil {
		t.Fatalf("not a valid FHIR Bundle: %v", fe)
	}
	if len(b.Entry) != 2 {
		t.Fatalf("%d entries, want one AuditEvent per access", len(b.Entry))
	}
	for i, en := range b.Entry {
		var ev fhir.AuditEvent
		if decodeFHIR(en.Resource, "AuditEvent", "AuditEvent", &ev, fe) == nil {
			t.Fatalf("entry %d is not a valid AuditEvent: %v", i, fe)
		}
		if *ev.Type.Code != "rest" || *ev.Subtype[0].Code != "read" || ev.Action.Code() != "R" || ev.Recorded == "" {
			t.Errorf("entry %d: type/subtype/action/recorded wrong", i)
		}
		req := 0
		for _, a := range ev.Agent {
			if a.Requestor {
				req++
				if *a.Who.Identifier.Value != es[i].Grantee {
					t.Errorf("entry %d: requestor is not the grantee", i)
				}
			}
		}
		if req != 1 {
			t.Errorf("entry %d: %d requestors", i, req)
		}
		if *ev.PurposeOfEvent[0].Coding[0].Code != es[i].Purpose {
			t.Errorf("entry %d: purposeOfEvent", i)
		}
		if ev.Source.Observer.Display == nil {
			t.Errorf("entry %d: no source.observer", i)
		}
		wantOutcome := map[int]string{0: "0", 1: "4"}[i]
		if ev.Outcome.Code() != wantOutcome {
			t.Errorf("entry %d: outcome %s, want %s", i, ev.Outcome.Code(), wantOutcome)
		}
		patients := 0
		for _, e := range ev.Entity {
			if e.Role != nil && *e.Role.Code == "1" {
				patients++
				if *e.What.Identifier.Value != es[i].Patient {
					t.Errorf("entry %d: patient entity", i)
				}
			}
		}
		if want := map[int]int{0: 1, 1: 0}[i]; patients != want {
			t.Errorf("entry %d: %d patient entities, want %d", i, patients, want)
		}
	}
}

func FuzzVerifyDisclosuresJSON(f *testing.F) {
	f.Add([]byte(`{"format":"vaultnode-accounting-of-disclosures/v1","disclosures":[{"date":"2026-03-01T10:00:00Z","recipient":"00","purpose":"TREAT","proof":{"logId":"00","path":["zz"]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r DisclosureReport
		if json.Unmarshal(b, &r) != nil {
			return
		}
		checks, err := VerifyDisclosures(context.Background(), &memAnchors{}, &r)
		if err != nil && !errors.Is(err, ErrIntegrity) && !errors.Is(err, ErrBadInput) {
			t.Fatalf("unclassified error: %v", err)
		}
		for _, c := range checks {
			if c.Proven {
				t.Fatal("proven against an empty chain")
			}
		}
	})
}
