package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// What a patient, a clinician and a DPO see of this node through the
// console (docs/UI.md) beyond the operator's routes: a patient's grants, the
// tickets of a grantee's grants, and the queue of erasure requests.

// PatientGrant is one grant on a patient's stream, as the chain holds it.
type PatientGrant struct {
	ID        string    `json:"id"`
	Stream    string    `json:"stream"`
	Grantee   string    `json:"granteeKeyHash"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	Threshold int       `json:"threshold"`
	Proxies   int       `json:"proxies"`
	Revoked   bool      `json:"revoked"`
	// State is "live", or why the proxies would refuse now (revoked,
	// grant-expired, not-yet-valid).
	State string `json:"state"`
}

// PatientGrants lists every grant on the patient's streams (the chain's
// record, with this node's journal while the chain is away), newest window
// first.
func (n *Node) PatientGrants(ctx context.Context, patient string) ([]PatientGrant, error) {
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown patient", ErrNotFound)
	}
	out := []PatientGrant{}
	now := time.Now()
	err = n.eachGrant(ctx, pt, func(name string, _ keys.Stream, g pointers.GrantRecord) {
		out = append(out, PatientGrant{ID: hex.EncodeToString(g.ID[:]), Stream: name, Grantee: hex.EncodeToString(g.GranteeKeyHash[:]),
			NotBefore: g.NotBefore, NotAfter: g.NotAfter, Threshold: int(g.M), Proxies: len(g.Proxies), Revoked: g.Revoked, State: grantStateWord(GrantState(g, now))})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NotAfter.After(out[j].NotAfter) })
	return out, nil
}

// eachGrant calls f with every grant on chain of the patient's streams (a
// grant still in this node's chain journal is left out).
func (n *Node) eachGrant(ctx context.Context, pt keys.Patient, f func(stream string, st keys.Stream, g pointers.GrantRecord)) error {
	for _, name := range pt.Streams {
		st, err := n.Keys.Stream(ctx, pt.Pseudonym, name)
		if err != nil {
			return err
		}
		ids, err := n.findGrants(ctx, [][32]byte{st.Tag})
		if err != nil {
			return err
		}
		for _, id := range ids {
			if g, err := n.Chain.GetGrant(ctx, id); err == nil {
				f(name, st, g)
			}
		}
	}
	return nil
}

// PatientLabel is how the console and the erasure queue name a patient:
// the local MRN, or the pseudonym when it has none.
func PatientLabel(pt keys.Patient) string {
	if pt.MRN != "" {
		return pt.MRN
	}
	return pt.Pseudonym.String()
}

// grantStateWord is "live", or the refusal's reason word.
func grantStateWord(err error) string {
	if err == nil {
		return "live"
	}
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, ": "); ok {
		msg = after
	}
	w, _, _ := strings.Cut(msg, " ")
	return w
}

// GranteeTicket is a grant of this node's patients to one grantee, with the
// ticket its fetch needs.
type GranteeTicket struct {
	Patient  string    `json:"patient"` // the MRN, or the pseudonym when there is none
	Stream   string    `json:"stream"`
	Grant    string    `json:"grant"`
	Ticket   string    `json:"ticket"`
	NotAfter time.Time `json:"notAfter"`
	State    string    `json:"state"`
}

// GranteeTickets lists the grants of this node's patients to the grantee
// (revoked and closed ones too, with their state), each with its ticket. It
// reads every stream's grant list: its cost grows with the node's streams.
func (n *Node) GranteeTickets(ctx context.Context, grantee p2p.GranteeKey) ([]GranteeTicket, error) {
	ps, err := n.Keys.Patients(ctx)
	if err != nil {
		return nil, err
	}
	want := grantee.Hash()
	out := []GranteeTicket{}
	now := time.Now()
	for _, pt := range ps {
		label := PatientLabel(pt)
		err := n.eachGrant(ctx, pt, func(name string, st keys.Stream, g pointers.GrantRecord) {
			if g.GranteeKeyHash != want {
				return
			}
			t := Ticket{GrantID: g.ID, StreamTag: st.Tag, ChainSecret: pointers.StreamSecret(st.ChainSecret), StreamKey: st.FirstKey}
			out = append(out, GranteeTicket{Patient: label, Stream: name, Grant: hex.EncodeToString(g.ID[:]), Ticket: t.String(), NotAfter: g.NotAfter, State: grantStateWord(GrantState(g, now))})
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ErasureRequest is a patient's request to be erased, queued for the DPO.
// Once decided it names no patient any more: only its outcome remains.
type ErasureRequest struct {
	ID        string    `json:"id"`
	Patient   string    `json:"patient,omitempty"` // the MRN (or pseudonym) while open
	Requested time.Time `json:"requested"`
	Note      string    `json:"note,omitempty"`
	// State is open, erased or refused; Decided and Reference (the erasure
	// id, or the refusal's ground) once decided.
	State     string     `json:"state"`
	Decided   *time.Time `json:"decided,omitempty"`
	Reference string     `json:"reference,omitempty"`
}

const erasureRequestPrefix = "/vaultnode/erasure-request/"

// maxErasureNote bounds the free text a patient adds to a request.
const maxErasureNote = 500

// RequestErasure queues an erasure request of the patient for the DPO (one
// open request per patient: asking again returns the open one).
func (n *Node) RequestErasure(ctx context.Context, patient, note string) (*ErasureRequest, error) {
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown patient", ErrNotFound)
	}
	if len(note) > maxErasureNote {
		return nil, fmt.Errorf("%w: note: at most %d bytes", ErrBadInput, maxErasureNote)
	}
	label := PatientLabel(pt)
	rs, err := n.ErasureRequests(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.State == "open" && r.Patient == label {
			return &r, nil
		}
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	r := ErasureRequest{ID: "er-" + hex.EncodeToString(id[:]), Patient: label, Requested: time.Now().UTC(), Note: note, State: "open"}
	return &r, n.putErasureRequest(ctx, r)
}

func (n *Node) putErasureRequest(ctx context.Context, r ErasureRequest) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := n.Store.Datastore().Put(ctx, ds.NewKey(erasureRequestPrefix+r.ID), b); err != nil {
		return err
	}
	return n.Store.Datastore().Sync(ctx, ds.NewKey(erasureRequestPrefix))
}

// ErasureRequests is the DPO's queue: open requests first, oldest first.
func (n *Node) ErasureRequests(ctx context.Context) ([]ErasureRequest, error) {
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: erasureRequestPrefix})
	if err != nil {
		return nil, err
	}
	defer res.Close()
	out := []ErasureRequest{}
	for e := range res.Next() {
		if e.Error != nil {
			return nil, e.Error
		}
		var r ErasureRequest
		if err := json.Unmarshal(e.Value, &r); err != nil {
			return nil, fmt.Errorf("erasure request %s: %w", e.Key, err)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].State == "open") != (out[j].State == "open") {
			return out[i].State == "open"
		}
		return out[i].Requested.Before(out[j].Requested)
	})
	return out, nil
}

// decideErasureRequests closes the open requests of the patient labelled
// label (and the request whose id is ref, if any) with the outcome, and
// drops the patient from them.
func (n *Node) decideErasureRequests(ctx context.Context, label, ref, state, reference string) error {
	rs, err := n.ErasureRequests(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, r := range rs {
		if r.State != "open" || (r.Patient != label && r.ID != ref) {
			continue
		}
		r.State, r.Decided, r.Reference, r.Patient, r.Note = state, &now, reference, "", ""
		if err := n.putErasureRequest(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// forgetPatientRequests is what an erasure does to the queue and the
// tokens of the patient: its requests are closed and name no one, its
// patient tokens are revoked and name no one.
func (n *Node) forgetPatientRequests(ctx context.Context, pt keys.Patient, ref, erasureID string) error {
	label := PatientLabel(pt)
	err := n.decideErasureRequests(ctx, label, ref, "erased", erasureID)
	if n.Dir != "" {
		_, terr := ForgetPatientTokens(n.Dir, pt.Pseudonym.String(), time.Now())
		err = errors.Join(err, terr)
	}
	return err
}
