package node

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/p2p"
)

// A grant is limited to purposes of use that are HL7 v3 PurposeOfUse codes:
// text is refused before anything is recorded.
func TestGrantRefusesFreeTextPurpose(t *testing.T) {
	n, _ := benchNode(t)
	g, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.Grant(context.Background(), GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), Purposes: []string{"TREAT", "Jane.Doe-1970"}})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "PurposeOfUse") {
		t.Fatalf("free-text purpose: %v", err)
	}
}

// A window that ends before it starts is refused in the API's words, not
// the CLI's (the API answered "--until must be after --from").
func TestGrantWindowMessageNamesNoFlag(t *testing.T) {
	n, _ := benchNode(t)
	g, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	_, err = n.Grant(context.Background(), GrantRequest{Patient: "MRN-1", Stream: "glucose", Grantee: g.Public(), M: 1, N: 1,
		NotBefore: now, NotAfter: now.Add(-time.Hour)})
	if !errors.Is(err, ErrBadInput) || strings.Contains(err.Error(), "--") || !strings.Contains(err.Error(), "window") {
		t.Fatalf("reversed window: %v", err)
	}
}
