package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/p2p"
)

// A patient token names its patient; an erasure revokes it and leaves the
// token file naming no one; the patient's queued erasure request is closed
// with the erasure's id and names no one either. A patient token cannot be
// made without its patient.
func TestPatientTokenAndErasureQueueForgetThePatient(t *testing.T) {
	ctx := context.Background()
	n, ingest := onlineNode(t)
	ingest(20, 0)
	pseudo := mustPseudonym(t, n, "MRN-1").String()

	if _, _, err := CreateToken(n.Dir, "anybody", PatientRole, time.Hour, time.Now()); !errors.Is(err, ErrBadInput) {
		t.Fatalf("a patient token without its patient: %v, want ErrBadInput", err)
	}
	tok, _, err := CreatePatientToken(n.Dir, "ana", pseudo, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tc, err := LoadTokens(n.Dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := tc.Check(tok)
	if err != nil || id.Role != PatientRole || id.Patient != pseudo {
		t.Fatalf("patient token: %+v %v", id, err)
	}

	if _, err := n.RequestErasure(ctx, "MRN-UNKNOWN", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("erasure request for an unknown patient: %v", err)
	}
	if _, err := n.RequestErasure(ctx, "MRN-1", strings.Repeat("x", maxErasureNote+1)); !errors.Is(err, ErrBadInput) {
		t.Fatalf("an over-long note: %v", err)
	}
	req, err := n.RequestErasure(ctx, "MRN-1", "please")
	if err != nil {
		t.Fatal(err)
	}
	again, err := n.RequestErasure(ctx, "MRN-1", "again")
	if err != nil || again.ID != req.ID {
		t.Fatalf("asking twice made a second request: %v %v", again, err)
	}
	rs, err := n.ErasureRequests(ctx)
	if err != nil || len(rs) != 1 || rs[0].State != "open" || rs[0].Patient != "MRN-1" {
		t.Fatalf("queue: %+v %v", rs, err)
	}

	res, err := n.Erase(ctx, "MRN-1", req.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	rs, err = n.ErasureRequests(ctx)
	if err != nil || len(rs) != 1 {
		t.Fatalf("queue after the erasure: %+v %v", rs, err)
	}
	if q := rs[0]; q.State != "erased" || q.Patient != "" || q.Note != "" || q.Reference != res.ID.String() || q.Decided == nil {
		t.Fatalf("the decided request: %+v (want erased, naming no one, with the erasure id)", q)
	}
	if _, err := tc.Check(tok); !errors.Is(err, ErrTokenRevoked) {
		t.Fatalf("the erased patient's token: %v, want revoked", err)
	}
	b, err := os.ReadFile(filepath.Join(n.Dir, TokensDir, NamedTokensFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), pseudo) {
		t.Fatal("the token file still names the erased patient's pseudonym")
	}
}

// A patient's grants are listed with their state; a grantee finds the
// ticket of its grant, and its state follows a revocation.
func TestPatientGrantsAndGranteeTickets(t *testing.T) {
	ctx := context.Background()
	n, ingest := onlineNode(t)
	ingest(10, 0)
	clin, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.Grant(ctx, GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: clin.Public(), NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour), M: 1, N: 1})
	if err != nil {
		t.Fatal(err)
	}
	gs, err := n.PatientGrants(ctx, "MRN-1")
	if err != nil || len(gs) != 1 || gs[0].ID != g.ID || gs[0].State != "live" || gs[0].Stream != "glucose" {
		t.Fatalf("patient grants: %+v %v", gs, err)
	}
	ts, err := n.GranteeTickets(ctx, clin.Public())
	if err != nil || len(ts) != 1 || ts[0].Ticket != g.Ticket || ts[0].Patient != "MRN-1" || ts[0].State != "live" {
		t.Fatalf("grantee tickets: %+v %v", ts, err)
	}
	other, _ := p2p.GenerateGrantee(rand.Reader)
	if ts, err := n.GranteeTickets(ctx, other.Public()); err != nil || len(ts) != 0 {
		t.Fatalf("another grantee sees %+v %v", ts, err)
	}
	raw, _ := hex.DecodeString(g.ID)
	if _, err := n.Revoke(ctx, [32]byte(raw)); err != nil {
		t.Fatal(err)
	}
	gs, err = n.PatientGrants(ctx, "MRN-1")
	if err != nil || len(gs) != 1 || gs[0].State != "revoked" || !gs[0].Revoked {
		t.Fatalf("after the revocation: %+v %v", gs, err)
	}
	ts, _ = n.GranteeTickets(ctx, clin.Public())
	if len(ts) != 1 || ts[0].State != "revoked" {
		t.Fatalf("the grantee's ticket after the revocation: %+v", ts)
	}
}
