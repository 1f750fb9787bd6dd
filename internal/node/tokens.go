package node

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
)

// API tokens (docs/API.md "Authentication"). Two kinds:
//
//   - the repo's role tokens, tokens/{device,operator,dpo}: created by init,
//     read by the repo's own CLI to call its daemon; named after their role
//     in the audit;
//   - named tokens, one per person or system (`vaultnode token create --name
//     dr-ito --role clinician`): stored only as SHA-256 hashes in
//     tokens/named.json (mode 0600), each with a role, a creation time, an
//     optional expiry, and a revocation time once revoked. The token itself
//     is shown once, at creation.
//
// A token is 32 random bytes: SHA-256 without salt or stretching is enough
// to store it (nothing to guess), and every presented token is compared
// with every stored hash in constant time.

// NamedTokensFile holds the named tokens (hashes only), under TokensDir.
const NamedTokensFile = "named.json"

// ClinicianRole may ask a node for the ticket of its own grant (GET
// /v1/tickets); every other clinician call needs no token (the re-encryption
// requests are signed by the clinician's key).
const ClinicianRole = "clinician"

// PatientRole is a patient's own token, scoped to one patient of this node
// (its pseudonym is stored with the token's hash): the console's patient
// view and the /v1/me routes, which serve that patient only. It is created
// by the node (CreatePatientToken), which resolves the patient.
const PatientRole = "patient"

// TokenRoles are the roles a named token can have.
var TokenRoles = []string{"device", "operator", "dpo", ClinicianRole, PatientRole}

var tokenNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// NamedToken is a named token as stored (the hash, never the token).
type NamedToken struct {
	Name    string     `json:"name"`
	Role    string     `json:"role"`
	Patient string     `json:"patient,omitempty"` // pseudonym, for the patient role
	SHA256  string     `json:"sha256"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// TokenInfo is what `token list` shows of a token.
type TokenInfo struct {
	Name    string     `json:"name"`
	Role    string     `json:"role"`
	Kind    string     `json:"kind"` // "named" or "role" (the repo's role token file)
	Created *time.Time `json:"created,omitempty"`
	Expires *time.Time `json:"expires,omitempty"`
	Revoked *time.Time `json:"revoked,omitempty"`
	State   string     `json:"state"` // active, expired, revoked
}

type namedTokensFile struct {
	Version int          `json:"version"`
	Tokens  []NamedToken `json:"tokens"`
}

var tokensMu sync.Mutex // serialises this process's read-modify-write of named.json

func namedTokensPath(dir string) string { return filepath.Join(dir, TokensDir, NamedTokensFile) }

func readNamedTokens(dir string) ([]NamedToken, error) {
	b, err := os.ReadFile(namedTokensPath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("named tokens: %w", err)
	}
	var f namedTokensFile
	if err := strictJSON(b, &f); err != nil || f.Version != 1 {
		return nil, fmt.Errorf("named tokens %s: not a version 1 token file (%v)", namedTokensPath(dir), err)
	}
	return f.Tokens, nil
}

func writeNamedTokens(dir string, ts []NamedToken) error {
	b, err := json.MarshalIndent(namedTokensFile{Version: 1, Tokens: ts}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, TokensDir), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(namedTokensPath(dir), append(b, '\n'), 0o600)
}

// CreateToken makes a named token for role, valid for ttl (0: no expiry),
// records its hash in the repo in dir, and returns the token (shown once).
func CreateToken(dir, name, role string, ttl time.Duration, now time.Time) (string, NamedToken, error) {
	if role == PatientRole {
		return "", NamedToken{}, fmt.Errorf("%w: a patient token is scoped to one patient: create it with --patient (through the node, which resolves the patient)", ErrBadInput)
	}
	return createToken(dir, name, role, "", ttl, now)
}

// CreatePatientToken makes a named token for the patient with this
// pseudonym (the caller resolved it on the keystore).
func CreatePatientToken(dir, name, pseudonym string, ttl time.Duration, now time.Time) (string, NamedToken, error) {
	if pseudonym == "" {
		return "", NamedToken{}, fmt.Errorf("%w: a patient token needs its patient", ErrBadInput)
	}
	return createToken(dir, name, PatientRole, pseudonym, ttl, now)
}

func createToken(dir, name, role, patient string, ttl time.Duration, now time.Time) (string, NamedToken, error) {
	if !tokenNameRE.MatchString(name) {
		return "", NamedToken{}, fmt.Errorf("%w: token name %q: 1-64 of a-z 0-9 . _ -, starting with a letter or digit", ErrBadInput, name)
	}
	if slices.Contains(TokenRoles, name) {
		return "", NamedToken{}, fmt.Errorf("%w: %q names a role (and the repo's role tokens); choose a person's or a system's name", ErrBadInput, name)
	}
	if !slices.Contains(TokenRoles, role) {
		return "", NamedToken{}, fmt.Errorf("%w: role %q: one of %v", ErrBadInput, role, TokenRoles)
	}
	if ttl < 0 {
		return "", NamedToken{}, fmt.Errorf("%w: a negative expiry", ErrBadInput)
	}
	tokensMu.Lock()
	defer tokensMu.Unlock()
	ts, err := readNamedTokens(dir)
	if err != nil {
		return "", NamedToken{}, err
	}
	for _, t := range ts {
		if t.Name == name && t.Revoked == nil {
			return "", NamedToken{}, fmt.Errorf("%w: a token named %q exists (revoke it first)", ErrBadInput, name)
		}
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", NamedToken{}, err
	}
	tok := "vnt_" + hex.EncodeToString(raw[:])
	clear(raw[:])
	h := sha256.Sum256([]byte(tok))
	nt := NamedToken{Name: name, Role: role, Patient: patient, SHA256: hex.EncodeToString(h[:]), Created: now.UTC()}
	if ttl > 0 {
		e := now.Add(ttl).UTC()
		nt.Expires = &e
	}
	// A revoked token of the same name stays listed (history) under its
	// revocation; the new one is appended.
	ts = append(ts, nt)
	if err := writeNamedTokens(dir, ts); err != nil {
		return "", NamedToken{}, err
	}
	return tok, nt, nil
}

// RevokeToken revokes the live named token called name.
func RevokeToken(dir, name string, now time.Time) (NamedToken, error) {
	if slices.Contains(Roles, name) {
		return NamedToken{}, fmt.Errorf("%w: %q is the repo's role token (tokens/%s), used by the repo's own CLI; replace it with `vaultnode token rotate %s`", ErrBadInput, name, name, name)
	}
	tokensMu.Lock()
	defer tokensMu.Unlock()
	ts, err := readNamedTokens(dir)
	if err != nil {
		return NamedToken{}, err
	}
	for i := range ts {
		if ts[i].Name == name && ts[i].Revoked == nil {
			r := now.UTC()
			ts[i].Revoked = &r
			if err := writeNamedTokens(dir, ts); err != nil {
				return NamedToken{}, err
			}
			return ts[i], nil
		}
	}
	return NamedToken{}, fmt.Errorf("%w: no live token named %q", ErrNotFound, name)
}

// ForgetPatientTokens revokes every token scoped to the patient with this
// pseudonym and drops the pseudonym from the token file (an erasure: the
// tokens stay listed, revoked, naming no one).
func ForgetPatientTokens(dir, pseudonym string, now time.Time) (int, error) {
	tokensMu.Lock()
	defer tokensMu.Unlock()
	ts, err := readNamedTokens(dir)
	if err != nil {
		return 0, err
	}
	k := 0
	for i := range ts {
		if ts[i].Role != PatientRole || ts[i].Patient != pseudonym {
			continue
		}
		if ts[i].Revoked == nil {
			r := now.UTC()
			ts[i].Revoked = &r
		}
		ts[i].Patient = ""
		k++
	}
	if k == 0 {
		return 0, nil
	}
	return k, writeNamedTokens(dir, ts)
}

// RotateRoleToken replaces the repo's role token of role with a new random
// one (the old one stops working at the daemon's next request).
func RotateRoleToken(dir, role string) error {
	if !slices.Contains(Roles, role) {
		return fmt.Errorf("%w: %q is not a role token (one of %v); a named token is revoked and created again", ErrBadInput, role, Roles)
	}
	return writeRoleToken(dir, role)
}

func writeRoleToken(dir, role string) error {
	var t [32]byte
	if _, err := rand.Read(t[:]); err != nil {
		return err
	}
	defer clear(t[:])
	return atomicfile.Write(filepath.Join(dir, TokensDir, role), []byte("vn"+role[:1]+"_"+hex.EncodeToString(t[:])+"\n"), 0o600)
}

// ListTokens lists the repo's role tokens and its named tokens (no token or
// hash), with their state at now.
func ListTokens(dir string, now time.Time) ([]TokenInfo, error) {
	var out []TokenInfo
	for _, r := range Roles {
		if _, err := os.Stat(filepath.Join(dir, TokensDir, r)); err == nil {
			out = append(out, TokenInfo{Name: r, Role: r, Kind: "role", State: "active"})
		}
	}
	ts, err := readNamedTokens(dir)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		c := t.Created
		out = append(out, TokenInfo{Name: t.Name, Role: t.Role, Kind: "named", Created: &c, Expires: t.Expires, Revoked: t.Revoked, State: t.state(now)})
	}
	return out, nil
}

func (t NamedToken) state(now time.Time) string {
	switch {
	case t.Revoked != nil:
		return "revoked"
	case t.Expires != nil && !now.Before(*t.Expires):
		return "expired"
	}
	return "active"
}

// Identity is who a token names: the token's name (a role token is named
// after its role) and role.
type Identity struct {
	Name string
	Role string
	// Patient is the pseudonym a patient token is scoped to.
	Patient string
}

// Errors of TokenChecker.Check (the API answers them as unauthenticated).
var (
	ErrTokenUnknown = errors.New("unknown token")
	ErrTokenExpired = errors.New("token expired")
	ErrTokenRevoked = errors.New("token revoked")
)

// TokenChecker checks bearer tokens against the repo's role token files and
// named tokens, comparing the token's SHA-256 with every stored hash in
// constant time. It re-reads the files when they change, so that `vaultnode
// token create/revoke/rotate` take effect at the daemon's next request.
type TokenChecker struct {
	dir string
	now func() time.Time

	mu    sync.Mutex
	stamp string // size and mtime of the token files last read
	roles map[string][32]byte
	named []namedHash
}

type namedHash struct {
	tok  NamedToken
	hash [32]byte
}

// LoadTokens reads the token files of a repo.
func LoadTokens(dir string) (*TokenChecker, error) {
	tc := &TokenChecker{dir: dir, now: time.Now}
	if err := tc.load(); err != nil {
		return nil, err
	}
	return tc, nil
}

// filesStamp summarises the token files' sizes and modification times.
func (tc *TokenChecker) filesStamp() string {
	var b bytes.Buffer
	for _, n := range append(slices.Clone(Roles), NamedTokensFile) {
		if st, err := os.Stat(filepath.Join(tc.dir, TokensDir, n)); err == nil {
			fmt.Fprintf(&b, "%s:%d:%d;", n, st.Size(), st.ModTime().UnixNano())
		}
	}
	return b.String()
}

func (tc *TokenChecker) load() error {
	stamp := tc.filesStamp()
	roles := map[string][32]byte{}
	for _, r := range Roles {
		t, err := ReadToken(tc.dir, r)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return err
		}
		roles[r] = sha256.Sum256([]byte(t))
	}
	ts, err := readNamedTokens(tc.dir)
	if err != nil {
		return err
	}
	named := make([]namedHash, 0, len(ts))
	for _, t := range ts {
		h, err := hex.DecodeString(t.SHA256)
		if err != nil || len(h) != 32 {
			return fmt.Errorf("named tokens: token %q: malformed hash", t.Name)
		}
		named = append(named, namedHash{tok: t, hash: [32]byte(h)})
	}
	tc.stamp, tc.roles, tc.named = stamp, roles, named
	return nil
}

// refresh re-reads the token files when they changed, checked at every
// request (a few stat calls): a revocation takes effect at the next request.
// Checking at most every 100 ms let a token revoked by the CLI right after a
// request still pass (TestNamedTokens saw it). A file that cannot be read
// keeps the previous state.
func (tc *TokenChecker) refresh() {
	if tc.dir == "" {
		return
	}
	if tc.filesStamp() != tc.stamp {
		_ = tc.load()
	}
}

// Check returns who token names, or ErrTokenUnknown, ErrTokenExpired or
// ErrTokenRevoked.
func (tc *TokenChecker) Check(token string) (Identity, error) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.refresh()
	h := sha256.Sum256([]byte(token))
	var id Identity
	var match *NamedToken
	for r, want := range tc.roles {
		if subtle.ConstantTimeCompare(h[:], want[:]) == 1 {
			id = Identity{Name: r, Role: r}
		}
	}
	for i := range tc.named {
		if subtle.ConstantTimeCompare(h[:], tc.named[i].hash[:]) == 1 {
			match = &tc.named[i].tok
		}
	}
	if id.Role != "" {
		return id, nil
	}
	if match == nil {
		return Identity{}, ErrTokenUnknown
	}
	switch match.state(tc.now()) {
	case "revoked":
		return Identity{Name: match.Name, Role: match.Role}, ErrTokenRevoked
	case "expired":
		return Identity{Name: match.Name, Role: match.Role}, ErrTokenExpired
	}
	return Identity{Name: match.Name, Role: match.Role, Patient: match.Patient}, nil
}

// Role returns the role of a valid token, or "".
func (tc *TokenChecker) Role(token string) string {
	id, err := tc.Check(token)
	if err != nil {
		return ""
	}
	return id.Role
}
