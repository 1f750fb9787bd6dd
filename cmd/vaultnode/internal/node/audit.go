package node

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// FindTicket builds the ticket of the live grant of a local patient's stream
// for grantee (the newest one, if several).
func (n *Node) FindTicket(ctx context.Context, patient, stream string, grantee p2p.GranteeKey) (Ticket, error) {
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: unknown patient on this node (use --ticket for a patient of another node)", ErrBadInput)
	}
	st, err := n.Keys.Stream(ctx, pt.Pseudonym, stream)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: patient has no stream %q", ErrBadInput, stream)
	}
	ids, err := n.findGrants(ctx, [][32]byte{st.Tag})
	if err != nil {
		return Ticket{}, err
	}
	want := grantee.Hash()
	var best *pointers.GrantRecord
	for _, id := range ids {
		g, err := n.Chain.GetGrant(ctx, id)
		if err != nil || g.GranteeKeyHash != want {
			continue
		}
		if best == nil || (best.Revoked && !g.Revoked) || (best.Revoked == g.Revoked && g.NotAfter.After(best.NotAfter)) {
			b := g
			best = &b
		}
	}
	if best == nil {
		return Ticket{}, fmt.Errorf("%w: no grant of stream %q for this key", ErrAccessRefused, stream)
	}
	return Ticket{GrantID: best.ID, StreamTag: st.Tag, StreamKey: st.PublicKey}, nil
}

// AuditEntry is one access-log entry with its on-chain proof status.
type AuditEntry struct {
	Index   uint64    `json:"index"`
	Time    time.Time `json:"time"`
	Grant   string    `json:"grant"`
	Grantee string    `json:"granteeKeyHash"`
	Stream  string    `json:"streamTag"`
	Batch   string    `json:"capsuleHash"`
	Purpose string    `json:"purpose"`
	Outcome string    `json:"outcome"`
	Hash    string    `json:"hash"`
	Proven  bool      `json:"proven"`
	Anchor  uint64    `json:"anchor,omitempty"`
}

// Audit anchors this proxy's unanchored access-log entries on-chain, then
// returns the entries (of a patient's streams, if given), each proven
// against its anchor.
func (n *Node) Audit(ctx context.Context, patient string) ([]AuditEntry, error) {
	if n.Access == nil {
		return nil, fmt.Errorf("audit needs the node's access log")
	}
	var filter map[[32]byte]bool
	if patient != "" {
		pt, err := n.Keys.ResolvePatient(ctx, patient)
		if err != nil {
			return nil, fmt.Errorf("%w: unknown patient", ErrBadInput)
		}
		filter = map[[32]byte]bool{}
		for _, s := range pt.Streams {
			filter[n.Keys.StreamTag(pt.Pseudonym, s)] = true
		}
	}
	if _, _, err := n.Access.Anchor(ctx, n.Chain); err != nil {
		n.Log.Warn("anchor access log", "err", err)
	}
	out := []AuditEntry{}
	for _, e := range n.Access.Entries(0, n.Access.Len()) {
		if filter != nil && !filter[e.StreamTag] {
			continue
		}
		a := AuditEntry{Index: e.Index, Time: e.Time, Grant: hex.EncodeToString(e.GrantID[:]), Grantee: hex.EncodeToString(e.Grantee[:]),
			Stream: hex.EncodeToString(e.StreamTag[:]), Batch: hex.EncodeToString(e.Capsule[:]), Purpose: e.Purpose, Outcome: e.Outcome.String(),
			Hash: hex.EncodeToString(e.Hash[:])}
		if p, err := n.Access.Prove(ctx, n.Chain, e.Index); err == nil {
			if err := p.Verify(); err != nil {
				return out, fmt.Errorf("%w: access log entry %d does not match its on-chain anchor: %v", ErrIntegrity, e.Index, err)
			}
			a.Proven, a.Anchor = true, p.Anchor.Index
		} else if !errors.Is(err, pointers.ErrNoAnchor) {
			return out, fmt.Errorf("prove entry %d: %w", e.Index, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// FHIRAuditBundle renders entries as a FHIR R4 Bundle of AuditEvent resources.
func FHIRAuditBundle(es []AuditEntry) map[string]any {
	var entries []map[string]any
	for _, e := range es {
		outcome := "0"
		if e.Outcome != p2p.Granted.String() {
			outcome = "4"
		}
		entries = append(entries, map[string]any{"resource": map[string]any{
			"resourceType": "AuditEvent",
			"type":         map[string]any{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110106", "display": "Export"},
			"action":       "R",
			"recorded":     e.Time.UTC().Format(time.RFC3339Nano),
			"outcome":      outcome,
			"outcomeDesc":  e.Outcome,
			"purposeOfEvent": []map[string]any{{"coding": []map[string]any{{
				"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": e.Purpose}}}},
			"agent": []map[string]any{{"requestor": true, "who": map[string]any{"identifier": map[string]any{
				"system": "urn:vaultnode:grantee-key-hash", "value": e.Grantee}}}},
			"source": map[string]any{"observer": map[string]any{"display": "vaultnode proxy"}},
			"entity": []map[string]any{{"what": map[string]any{"identifier": map[string]any{"system": "urn:vaultnode:stream-tag", "value": e.Stream}},
				"detail": []map[string]any{{"type": "grant", "valueString": e.Grant}, {"type": "log-entry-hash", "valueString": e.Hash}}}},
		}})
	}
	return map[string]any{"resourceType": "Bundle", "type": "collection", "entry": entries}
}

// VerifyResult is the check of one batch.
type VerifyResult struct {
	Root    string `json:"root"`
	Seq     uint64 `json:"seq"`
	Count   uint32 `json:"count"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
}

// Verify checks batches against their on-chain commitments: every block
// present (here or over bitswap) and hashing to its CID, the root's header
// equal to the commitment (tag, seq, count, Merkle root). With a patient of
// this node, each batch is also decrypted with the stream key and its Merkle
// tree rebuilt from the readings. Any failure is ErrIntegrity (results say
// which CID).
func (n *Node) Verify(ctx context.Context, roots []cid.Cid, patient string) ([]VerifyResult, error) {
	type item struct {
		root cid.Cid
		sk   *reencrypt.SecretKey
	}
	var items []item
	var bg store.BlockGetter = n.Store
	if n.P2P != nil {
		bg = n.P2P.Blocks
	}
	for _, r := range roots {
		items = append(items, item{root: r})
	}
	if patient != "" {
		pt, err := n.Keys.ResolvePatient(ctx, patient)
		if err != nil {
			return nil, fmt.Errorf("%w: unknown patient", ErrBadInput)
		}
		for _, s := range pt.Streams {
			t := n.Keys.StreamTag(pt.Pseudonym, s)
			cs, err := n.Chain.StreamCommitments(ctx, t)
			if err != nil {
				return nil, err
			}
			sk, err := n.Keys.StreamSecretKey(ctx, pt.Pseudonym, s)
			if err != nil {
				return nil, err
			}
			defer sk.Wipe()
			for _, c := range cs {
				r, err := cid.Cast(c.RootCID)
				if err != nil {
					return nil, fmt.Errorf("%w: commitment %d holds a bad CID", ErrIntegrity, c.Seq)
				}
				items = append(items, item{root: r, sk: sk})
			}
		}
	}
	var out []VerifyResult
	failed := 0
	for _, it := range items {
		vr := VerifyResult{Root: it.root.String()}
		err := func() error {
			cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			h, chunks, err := store.ReadRoot(cctx, bg, it.root)
			if err != nil {
				return err
			}
			vr.Seq, vr.Count = h.Seq, h.Count
			c, err := n.Chain.LookupCommitment(cctx, h.StreamTag, h.Seq)
			if err != nil {
				return fmt.Errorf("no on-chain commitment for this batch: %v", err)
			}
			if string(c.RootCID) != string(it.root.Bytes()) || c.MerkleRoot != h.MerkleRoot || c.Count != h.Count {
				return fmt.Errorf("batch does not match its on-chain commitment")
			}
			for _, ch := range chunks {
				if _, err := bg.GetBlock(cctx, ch); err != nil {
					return &store.IntegrityError{CID: ch, Reason: "chunk missing or corrupt", Err: err}
				}
			}
			if it.sk != nil {
				capsule, err := reencrypt.ParseCapsule(h.Capsule)
				if err != nil {
					return err
				}
				dek, err := reencrypt.Decapsulate(it.sk, capsule)
				if err != nil {
					return err
				}
				_, err = store.OpenBatch(cctx, bg, it.root, &dek)
				wipe(dek[:])
				if err != nil {
					return err
				}
			}
			return nil
		}()
		if err != nil {
			failed++
			var ie *store.IntegrityError
			if errors.As(err, &ie) {
				vr.Problem = fmt.Sprintf("%s: %v", ie.CID, err)
			} else {
				vr.Problem = err.Error()
			}
		} else {
			vr.OK = true
		}
		out = append(out, vr)
	}
	if failed > 0 {
		return out, fmt.Errorf("%w: %d of %d batches failed verification", ErrIntegrity, failed, len(out))
	}
	return out, nil
}

var _ = keys.ErrInvalid
