package node

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// APILogFile is the API's call log: one JSON line per authenticated
// mutating call (who by token name and role, what, when, the answer's
// status), under DIR/audit/. It holds no body, no query string and no
// token.
const (
	AuditDir   = "audit"
	APILogFile = "api.jsonl"
)

// APICall is one line of the API's call log.
type APICall struct {
	Time   time.Time `json:"time"`
	Token  string    `json:"token"` // the token's name (a role token: its role)
	Role   string    `json:"role"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	Remote string    `json:"remote,omitempty"`
}

// APILog appends to and reads the API's call log.
type APILog struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

// OpenAPILog opens (creating) the call log of the repo in dir.
func OpenAPILog(dir string) (*APILog, error) {
	d := filepath.Join(dir, AuditDir)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return nil, fmt.Errorf("API call log: %w", err)
	}
	p := filepath.Join(d, APILogFile)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("API call log: %w", err)
	}
	return &APILog{path: p, f: f}, nil
}

// Record appends c and syncs the file. It is called when the handler has
// answered, so the answer can reach the client just before the line is on
// disk: a crash in between loses that line.
func (l *APILog) Record(c APICall) error {
	if l == nil {
		return nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("API call log is closed")
	}
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("API call log: %w", err)
	}
	return l.f.Sync()
}

// Calls returns the last limit calls (all for limit <= 0), oldest first.
func (l *APILog) Calls(limit int) ([]APICall, error) {
	if l == nil {
		return []APICall{}, nil
	}
	f, err := os.Open(l.path)
	if err != nil {
		return nil, fmt.Errorf("API call log: %w", err)
	}
	defer f.Close()
	out := []APICall{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var c APICall
		if json.Unmarshal(sc.Bytes(), &c) != nil {
			continue // a line cut short by a crash
		}
		out = append(out, c)
		if limit > 0 && len(out) > 2*limit {
			out = append(out[:0], out[len(out)-limit:]...)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("API call log: %w", err)
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// Close closes the log.
func (l *APILog) Close() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
