package erasure

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
)

// Step is a journaled step of an erasure. Steps run in this order; the
// journal records the last one completed, and every step is idempotent, so
// running an interrupted erasure again finishes it.
type Step int

// Steps of an erasure.
const (
	StepOpened    Step = 1 // request journaled: reference, reason, deadline, streams, key ids
	StepRevoked   Step = 2 // the patient's grants revoked on-chain (Art. 19), before the signer can go
	StepDestroyed Step = 3 // keys destroyed physically; the pseudonym is dropped from the journal
	StepPurged    Step = 4 // purge order sent to every member; acknowledgements (or pending peers) kept
	StepRecorded  Step = 5 // deletion record on-chain
	StepVerified  Step = 6 // probes: no cfrag, no block, no key
	StepCertified Step = 7 // certificate signed and written
)

var stepNames = map[Step]string{StepOpened: "opened", StepRevoked: "revoked", StepDestroyed: "destroyed",
	StepPurged: "purged", StepRecorded: "recorded", StepVerified: "verified", StepCertified: "certified"}

func (s Step) String() string {
	if n, ok := stepNames[s]; ok {
		return n
	}
	return fmt.Sprintf("step(%d)", int(s))
}

const journalVersion = 1

// journal is the persisted state of one erasure (docs/ERASURE.md "Journal").
// It holds no key and, once the keys are destroyed, not the pseudonym.
type journal struct {
	Version    int    `json:"version"`
	ID         Hex32  `json:"id"`
	Step       Step   `json:"step"`
	Pseudonym  string `json:"pseudonym,omitempty"` // until StepDestroyed, to resume the destruction
	SubjectTag Hex32  `json:"subjectTag"`
	RequestRef string `json:"requestRef"`
	// RequestRefSalt keys the on-chain hash of RequestRef (RequestRefHash).
	RequestRefSalt Hex32        `json:"requestRefSalt"`
	Reason         string       `json:"reason,omitempty"`
	Received       time.Time    `json:"received"`
	Deadline       time.Time    `json:"deadline"`
	Streams        []CertStream `json:"streams"`
	// ChainSecrets are the streams' chain secrets (by stream tag), kept
	// from the opening until the erasure is recorded: the custodian finds
	// the streams' commitments with them after the keys are gone. They
	// never reach the certificate and are dropped at the record step.
	ChainSecrets  map[Hex32]Hex32 `json:"chainSecrets,omitempty"`
	KeyIDs        []Hex32         `json:"keyIds"`
	Recipients    []Recipient     `json:"recipients,omitempty"`
	AccessesFrom  string          `json:"accessesFrom,omitempty"`
	KeysDestroyed time.Time       `json:"keysDestroyed,omitzero"`
	Order         []byte          `json:"order,omitempty"`
	Acks          [][]byte        `json:"acks,omitempty"`
	Pending       []string        `json:"pending,omitempty"`
	Chain         *ChainRef       `json:"chain,omitempty"`
	// RecordJournaled: the on-chain record was journaled while the chain was unreachable (it is sent
	// from the chain journal; the erasure finishes when it lands).
	RecordJournaled bool      `json:"recordJournaled,omitempty"`
	Checks          []Check   `json:"checks,omitempty"`
	VerifyFailures  int       `json:"verifyFailures,omitempty"`
	Certified       time.Time `json:"certified,omitzero"`
}

// journalEnvelope frames the journal with a checksum, so a damaged file is
// told apart from a valid one.
type journalEnvelope struct {
	SHA256  Hex32           `json:"sha256"`
	Journal json.RawMessage `json:"journal"`
}

// ErrJournalCorrupt: an erasure journal file does not decode or its checksum
// does not match.
var ErrJournalCorrupt = errors.New("erasure journal corrupt")

func encodeJournal(j *journal) ([]byte, error) {
	body, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	return json.Marshal(journalEnvelope{SHA256: sha256.Sum256(body), Journal: body})
}

// decodeJournal parses a journal file strictly.
func decodeJournal(b []byte) (*journal, error) {
	var env journalEnvelope
	if err := strictJSON(b, &env); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJournalCorrupt, err)
	}
	if sha256.Sum256(env.Journal) != env.SHA256 {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrJournalCorrupt)
	}
	var j journal
	if err := strictJSON(env.Journal, &j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJournalCorrupt, err)
	}
	if j.Version != journalVersion {
		return nil, fmt.Errorf("%w: version %d", ErrJournalCorrupt, j.Version)
	}
	if j.Step < StepOpened || j.Step > StepCertified {
		return nil, fmt.Errorf("%w: step %d", ErrJournalCorrupt, j.Step)
	}
	if j.ID != erasureID(j.SubjectTag) {
		return nil, fmt.Errorf("%w: id does not match the subject", ErrJournalCorrupt)
	}
	if j.Step >= StepDestroyed && j.Pseudonym != "" {
		return nil, fmt.Errorf("%w: pseudonym kept after destruction", ErrJournalCorrupt)
	}
	if j.Step < StepDestroyed && j.Pseudonym == "" {
		return nil, fmt.Errorf("%w: pseudonym missing before destruction", ErrJournalCorrupt)
	}
	return &j, nil
}

func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func journalPath(dir string, id Hex32) string {
	return filepath.Join(dir, hex.EncodeToString(id[:])+".journal")
}

func certPath(dir string, id Hex32) string {
	return filepath.Join(dir, hex.EncodeToString(id[:])+".certificate.json")
}

// saveJournal replaces the journal atomically and durably: write a temporary
// file, fsync it, rename it over the old one, fsync the directory.
func saveJournal(dir string, j *journal) error {
	b, err := encodeJournal(j)
	if err != nil {
		return fmt.Errorf("encode journal: %w", err)
	}
	return atomicfile.Write(journalPath(dir, j.ID), b, 0o600)
}

func loadJournal(dir string, id Hex32) (*journal, error) {
	b, err := os.ReadFile(journalPath(dir, id))
	if err != nil {
		return nil, err
	}
	j, err := decodeJournal(b)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", journalPath(dir, id), err)
	}
	return j, nil
}

func listJournals(dir string) ([]Hex32, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []Hex32
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".journal")
		if !ok {
			continue
		}
		var id Hex32
		if err := id.UnmarshalText([]byte(name)); err != nil {
			continue
		}
		out = append(out, id)
	}
	return out, nil
}
