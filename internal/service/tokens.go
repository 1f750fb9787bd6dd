package service

import (
	"context"
	"fmt"
	"time"

	"github.com/vaultnode/vaultnode/internal/node"
)

// Named API tokens (docs/API.md "Authentication"). They live in the repo
// (hashes only) and need no running daemon: a daemon re-reads them at its
// next request.

// TokenInfo is what `token list` shows of a token (no token, no hash).
type TokenInfo = node.TokenInfo

// CreatedToken is a token just made: the token itself is shown once.
type CreatedToken struct {
	Name    string     `json:"name"`
	Role    string     `json:"role"`
	Token   string     `json:"token"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"`
}

// PatientTokenBody is the JSON form of POST /v1/tokens/patient.
type PatientTokenBody struct {
	Name    string `json:"name"`
	Patient string `json:"patient"`
	// Expires is the validity in seconds (0: 90 days).
	Expires int64 `json:"expires,omitempty"`
}

// CreatePatientToken makes a token scoped to one patient of this node (the
// patient role: the console's patient view, the /v1/me routes). The node
// resolves the patient; the token file keeps its pseudonym.
func (l *Local) CreatePatientToken(ctx context.Context, name, patient string, ttl time.Duration) (*CreatedToken, error) {
	pt, err := l.N.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown patient", node.ErrNotFound)
	}
	tok, nt, err := node.CreatePatientToken(l.N.Dir, name, pt.Pseudonym.String(), ttl, time.Now())
	if err != nil {
		return nil, err
	}
	return &CreatedToken{Name: nt.Name, Role: nt.Role, Token: tok, Created: nt.Created, Expires: nt.Expires}, nil
}

// CreateToken makes a named token for role in the repo in dir, valid for
// ttl (0: no expiry).
func CreateToken(dir, name, role string, ttl time.Duration) (*CreatedToken, error) {
	if _, err := node.LoadConfig(dir); err != nil {
		return nil, err
	}
	tok, nt, err := node.CreateToken(dir, name, role, ttl, time.Now())
	if err != nil {
		return nil, err
	}
	return &CreatedToken{Name: nt.Name, Role: nt.Role, Token: tok, Created: nt.Created, Expires: nt.Expires}, nil
}

// ListTokens lists the repo's tokens and their state.
func ListTokens(dir string) ([]TokenInfo, error) {
	if _, err := node.LoadConfig(dir); err != nil {
		return nil, err
	}
	return node.ListTokens(dir, time.Now())
}

// RevokeToken revokes the named token name.
func RevokeToken(dir, name string) (TokenInfo, error) {
	if _, err := node.LoadConfig(dir); err != nil {
		return TokenInfo{}, err
	}
	nt, err := node.RevokeToken(dir, name, time.Now())
	if err != nil {
		return TokenInfo{}, err
	}
	c := nt.Created
	return TokenInfo{Name: nt.Name, Role: nt.Role, Kind: "named", Created: &c, Expires: nt.Expires, Revoked: nt.Revoked, State: "revoked"}, nil
}

// RotateRoleToken replaces the repo's role token of role (tokens/ROLE).
func RotateRoleToken(dir, role string) error {
	if _, err := node.LoadConfig(dir); err != nil {
		return err
	}
	return node.RotateRoleToken(dir, role)
}
