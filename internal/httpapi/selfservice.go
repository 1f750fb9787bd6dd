package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// The routes of a patient's own token (/v1/me: scoped to the token's
// patient, whatever the request names), the DPO's erasure queue, a
// grantee's list of tickets and the caller's identity: what the console
// (docs/UI.md) shows beyond the operator's routes.

// patientOnly runs h with the pseudonym the caller's patient token is
// scoped to; any other token is refused.
func (s *Server) patientOnly(h func(w http.ResponseWriter, r *http.Request, patient string)) http.HandlerFunc {
	return s.auth(node.PatientRole)(func(w http.ResponseWriter, r *http.Request) {
		id, _ := identityOf(r)
		if id.Patient == "" {
			s.fail(w, fmt.Errorf("%w: the token names no patient (erased, or not a patient token)", fault.ErrForbidden))
			return
		}
		h(w, r, id.Patient)
	})
}

// whoami answers the caller's token name, role and, for a patient token,
// the patient's label: the console chooses its view from it.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	id, _ := identityOf(r)
	out := map[string]string{"name": id.Name, "role": id.Role}
	if id.Patient != "" {
		if pt, err := s.n.Keys.ResolvePatient(r.Context(), id.Patient); err == nil {
			out["patient"] = service.PatientOf(pt).MRN
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// me is the patient's overview: streams, implanted devices, grants, open
// erasure requests.
func (s *Server) me(w http.ResponseWriter, r *http.Request, patient string) {
	ctx := r.Context()
	pt, err := s.n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		s.fail(w, fmt.Errorf("%w: the token's patient is not on this node (erased?)", fault.ErrForbidden))
		return
	}
	grants, err := s.n.PatientGrants(ctx, patient)
	if err != nil {
		s.fail(w, err)
		return
	}
	implants, err := s.n.Implants(ctx, patient)
	if err != nil {
		s.fail(w, err)
		return
	}
	rs, err := s.n.ErasureRequests(ctx)
	if err != nil {
		s.fail(w, err)
		return
	}
	open := []node.ErasureRequest{}
	for _, q := range rs {
		if q.State == "open" && q.Patient == node.PatientLabel(pt) {
			open = append(open, q)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"patient": service.PatientOf(pt), "devices": implants, "grants": grants, "erasureRequests": open})
}

// MeGrantBody is the JSON form of POST /v1/me/grants: the node chooses the
// threshold and the proxies (its defaults).
type MeGrantBody struct {
	Stream   string    `json:"stream"`
	Grantee  string    `json:"grantee"` // the clinician's public key, hex
	NotAfter time.Time `json:"notAfter"`
	Purposes []string  `json:"purposes,omitempty"`
}

func (s *Server) meGrant(w http.ResponseWriter, r *http.Request, patient string) {
	var b MeGrantBody
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	req, err := service.GrantBody{Patient: patient, Stream: b.Stream, Grantee: b.Grantee, NotBefore: time.Now().Add(-time.Minute), NotAfter: b.NotAfter, Purposes: b.Purposes}.Request()
	if err != nil {
		s.fail(w, err)
		return
	}
	res, err := s.svc.Grant(r.Context(), req)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (s *Server) meRevoke(w http.ResponseWriter, r *http.Request, patient string) {
	id := strings.ToLower(r.PathValue("id"))
	gs, err := s.n.PatientGrants(r.Context(), patient)
	if err != nil {
		s.fail(w, err)
		return
	}
	for _, g := range gs {
		if g.ID == id {
			res, err := s.svc.Revoke(r.Context(), id)
			if err != nil {
				s.fail(w, err)
				return
			}
			writeJSON(w, http.StatusOK, res)
			return
		}
	}
	// Another patient's grant is not found, as a grant that does not exist.
	s.fail(w, fmt.Errorf("%w: no grant %s on your streams", node.ErrNotFound, id))
}

// meAccess is the patient's accounting of disclosures: every re-encryption
// any member's proxy served on the patient's streams (gathered from the
// consortium, with each entry's proof against the chain), not only this
// node's access log.
func (s *Server) meAccess(w http.ResponseWriter, r *http.Request, patient string) {
	rep, err := s.svc.Disclosures(r.Context(), patient, "")
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) meErasureRequest(w http.ResponseWriter, r *http.Request, patient string) {
	var b struct {
		Note string `json:"note"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	q, err := s.n.RequestErasure(r.Context(), patient, b.Note)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, q)
}

// erasureRequests is the DPO's queue.
func (s *Server) erasureRequests(w http.ResponseWriter, r *http.Request) {
	rs, err := s.n.ErasureRequests(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rs)
}

// patientToken makes a token scoped to one patient (operator).
func (s *Server) patientToken(w http.ResponseWriter, r *http.Request) {
	var b service.PatientTokenBody
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	ttl := time.Duration(b.Expires) * time.Second
	if b.Expires == 0 {
		ttl = 90 * 24 * time.Hour
	}
	t, err := s.svc.CreatePatientToken(r.Context(), b.Name, b.Patient, ttl)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// granteeTickets lists the tickets of a grantee's grants on this node's
// patients (GET /v1/tickets?grantee=HEX without patient and stream), to the
// holder of the grantee's key (fetch.CheckTicketProof).
func (s *Server) granteeTickets(w http.ResponseWriter, r *http.Request) {
	gk, err := node.ParseGranteeHex(r.URL.Query().Get("grantee"))
	if err != nil {
		s.fail(w, fmt.Errorf("%w: grantee: %v", node.ErrBadInput, err))
		return
	}
	// The list names patients: only the key's holder gets it.
	if err := fetch.CheckTicketProof(gk, r.Header.Get(fetch.TicketProofHeader), time.Now()); err != nil {
		s.fail(w, fmt.Errorf("%w: %v", fault.ErrForbidden, err))
		return
	}
	ts, err := s.n.GranteeTickets(r.Context(), gk)
	if err != nil && !errors.Is(err, node.ErrNotFound) {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ts)
}
