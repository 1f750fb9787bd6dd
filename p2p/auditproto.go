package p2p

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/vaultnode/vaultnode/pointers"
)

// AuditProtocol is the libp2p protocol over which a member asks another
// member's proxy for the granted accesses it logged on some streams (by
// stream tag), with their inclusion proofs: what a custodian needs to
// account for every disclosure of its patient's data, not only those its own
// proxy served. Only members connect (the gater), and a tag names no one.
const AuditProtocol = "/vaultnode/audit/1.0.0"

// auditPage bounds the entries in one answer (each about 1.5 KB in JSON).
const auditPage = 24

type auditRequest struct {
	Tags []string `json:"tags"` // stream tags, hex
	From uint64   `json:"from"` // first log index to consider
}

type auditItem struct {
	Record []byte   `json:"record"`         // the access-log record (encodeAccessRecord)
	Path   []string `json:"path,omitempty"` // Merkle path to the covering anchor; absent: not anchored yet
}

type auditResponse struct {
	Items []auditItem `json:"items"`
	Next  uint64      `json:"next"` // where the next page starts; equal to the log length when done
	Done  bool        `json:"done"`
	Error string      `json:"error,omitempty"`
}

// ServeAudit answers AuditProtocol requests from the log: granted entries
// on the asked stream tags, with their proofs against chain's anchors.
func (l *AccessLog) ServeAudit(h host.Host, chain AuditAnchorer) {
	serveFrames(h, AuditProtocol, func(raw []byte) ([]byte, error) {
		return json.Marshal(l.answerAudit(context.Background(), chain, raw))
	})
}

func (l *AccessLog) answerAudit(ctx context.Context, chain AuditAnchorer, raw []byte) auditResponse {
	var req auditRequest
	if err := json.Unmarshal(raw, &req); err != nil || len(req.Tags) == 0 || len(req.Tags) > 256 {
		return auditResponse{Error: "malformed audit request"}
	}
	tags := map[[32]byte]bool{}
	for _, t := range req.Tags {
		b, err := hex.DecodeString(t)
		if err != nil || len(b) != 32 {
			return auditResponse{Error: "malformed stream tag"}
		}
		tags[[32]byte(b)] = true
	}
	n := l.Len()
	resp := auditResponse{Items: []auditItem{}, Next: n, Done: true}
	for i := req.From; i < n; i++ {
		e := l.Entries(i, i+1)[0]
		if e.Outcome != Granted || !tags[e.StreamTag] {
			continue
		}
		if len(resp.Items) == auditPage {
			resp.Next, resp.Done = i, false
			break
		}
		it := auditItem{Record: encodeAccessRecord(&e)}
		if p, err := l.Prove(ctx, chain, i); err == nil {
			it.Path = []string{}
			for _, h := range p.Path {
				it.Path = append(it.Path, hex.EncodeToString(h[:]))
			}
		}
		resp.Items = append(resp.Items, it)
	}
	return resp
}

// AuditedAccess is a granted access another member's proxy logged: the entry
// and, when its log has anchored it, its proof checked against the anchor
// read from the chain (nil: not anchored yet, so not proven).
type AuditedAccess struct {
	Entry LoggedAccess
	Proof *AccessProof
}

// RequestAudit asks member pid, whose access log is logID on chain, for the
// granted accesses it logged on the stream tags, and checks every proof
// against the anchor read from the chain. An entry whose proof does not
// match is an error: the member's log does not match what it anchored.
func RequestAudit(ctx context.Context, h host.Host, pid peer.ID, chain AuditAnchorer, logID [32]byte, tags [][32]byte) ([]AuditedAccess, error) {
	want := map[[32]byte]bool{}
	req := auditRequest{}
	for _, t := range tags {
		want[t] = true
		req.Tags = append(req.Tags, hex.EncodeToString(t[:]))
	}
	var out []AuditedAccess
	for page := 0; ; page++ {
		if page > 1<<16 {
			return nil, errors.New("p2p: audit: too many pages")
		}
		raw, err := json.Marshal(req)
		if err != nil {
			return nil, err
		}
		b, err := roundTrip(ctx, h, pid, AuditProtocol, raw)
		if err != nil {
			return nil, fmt.Errorf("p2p: audit %s: %w", pid, err)
		}
		var resp auditResponse
		if err := json.Unmarshal(b, &resp); err != nil {
			return nil, fmt.Errorf("p2p: audit %s: malformed answer: %w", pid, err)
		}
		if resp.Error != "" {
			return nil, fmt.Errorf("p2p: audit %s: refused: %s", pid, resp.Error)
		}
		for _, it := range resp.Items {
			e, err := decodeAccessRecord(it.Record)
			if err != nil {
				return nil, fmt.Errorf("p2p: audit %s: %w", pid, err)
			}
			if e.Outcome != Granted || !want[e.StreamTag] || e.Index < req.From {
				return nil, fmt.Errorf("p2p: audit %s: answered entry %d that was not asked for", pid, e.Index)
			}
			a := AuditedAccess{Entry: e}
			if it.Path != nil {
				anchor, err := chain.LookupAnchor(ctx, logID, e.Index)
				if err != nil {
					return nil, fmt.Errorf("p2p: audit %s: anchor of entry %d: %w", pid, e.Index, err)
				}
				p := &AccessProof{Entry: e, Anchor: anchor}
				for _, s := range it.Path {
					hb, err := hex.DecodeString(s)
					if err != nil || len(hb) != 32 {
						return nil, fmt.Errorf("p2p: audit %s: malformed proof of entry %d", pid, e.Index)
					}
					p.Path = append(p.Path, [32]byte(hb))
				}
				if err := p.Verify(); err != nil {
					return nil, fmt.Errorf("p2p: audit %s: entry %d does not match the member's on-chain anchor: %w", pid, e.Index, err)
				}
				a.Proof = p
			}
			out = append(out, a)
		}
		if resp.Done || resp.Next <= req.From {
			return out, nil
		}
		req.From = resp.Next
	}
}

var _ AuditAnchorer = (*pointers.Client)(nil)

// roundTrip sends one frame on a new stream of proto to pid and returns the
// one frame answered; both are at most maxFrame bytes.
func roundTrip(ctx context.Context, h host.Host, pid peer.ID, proto protocol.ID, msg []byte) ([]byte, error) {
	if len(msg) > maxFrame {
		return nil, fmt.Errorf("%s request of %d bytes exceeds the %d-byte limit", proto, len(msg), maxFrame)
	}
	s, err := h.NewStream(ctx, pid, proto)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = s.SetDeadline(dl)
	}
	// A cancelled caller stops waiting at once, not at the deadline.
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()
	if err := writeFrame(s, msg); err != nil {
		_ = s.Reset()
		return nil, err
	}
	if err := s.CloseWrite(); err != nil {
		_ = s.Reset()
		return nil, err
	}
	b, err := readFrame(s, maxFrame)
	if err != nil {
		return nil, fmt.Errorf("%s answer: %w", proto, err)
	}
	return b, nil
}
