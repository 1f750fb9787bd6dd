package httpapi

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// deviceOf is the device a submission names: ?device= or the
// X-Vaultnode-Device header.
func deviceOf(r *http.Request) string {
	if d := r.URL.Query().Get("device"); d != "" {
		return d
	}
	return r.Header.Get("X-Vaultnode-Device")
}

func (s *Server) readings(w http.ResponseWriter, r *http.Request) {
	device := deviceOf(r)
	if device == "" {
		s.badInput(w, "the device id goes in ?device= or the X-Vaultnode-Device header")
		return
	}
	rc, err := s.svc.Ingest(r.Context(), device, sizedBody{r.Body, min(r.ContentLength, s.max)})
	if err != nil {
		s.m.countRefusal(err)
		s.fail(w, err)
		return
	}
	s.m.ingested.Add(float64(rc.Readings))
	writeJSON(w, http.StatusOK, rc)
}

// sizedBody tells the batch parser the body's announced length (Len), so
// that it sizes its buffer once; the body limit still applies to what is
// read.
type sizedBody struct {
	io.Reader
	n int64
}

func (b sizedBody) Len() int { return int(min(max(b.n, 0), 1<<30)) }

// notAMember refuses a block request a non-member node would wait on in
// vain (no member serves it): the fetch then reads "refused", not
// "missing". Members refuse a non-member at the handshake, so only a node
// with no peer connected asks the chain, not every block of every fetch.
func (s *Server) notAMember(ctx context.Context) error {
	if len(s.n.P2P.Host.Network().Peers()) > 0 {
		return nil
	}
	if ok, err := s.n.Chain.IsMember(ctx, s.n.Chain.Account()); err == nil && !ok {
		return fmt.Errorf("%w: this daemon's node (account %s) is not a consortium member on-chain, so members do not serve it blocks; fetch through a member's daemon",
			node.ErrAccessRefused, s.n.Chain.Account().Hex())
	}
	return nil
}

// networkBlockTimeout bounds how long GET /v1/records/{cid}?network=1 waits
// for the members to serve a block this node does not hold.
const networkBlockTimeout = 20 * time.Second

func (s *Server) record(w http.ResponseWriter, r *http.Request) {
	c, err := cid.Decode(r.PathValue("cid"))
	if err != nil {
		s.badInput(w, "%q is not a CID", r.PathValue("cid"))
		return
	}
	var blk blocks.Block
	if s.n.P2P != nil {
		blk, err = s.n.P2P.LocalBlock(r.Context(), c) // a corrupted block is not served, and is repaired
	} else {
		blk, err = s.n.Store.Get(r.Context(), c)
	}
	if err != nil && r.URL.Query().Get("network") != "" && s.n.P2P != nil {
		// ?network=1: not held here, ask the members over bitswap.
		if err := s.notAMember(r.Context()); err != nil {
			s.fail(w, err)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), networkBlockTimeout)
		blk, err = s.n.P2P.Blocks.GetBlock(ctx, c)
		cancel()
	}
	if err != nil {
		s.fail(w, fmt.Errorf("%w: no block %s on this peer", node.ErrNotFound, c))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(blk.RawData())
}

func (s *Server) grant(w http.ResponseWriter, r *http.Request) {
	var b service.GrantBody
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	req, err := b.Request()
	if err != nil {
		s.fail(w, err)
		return
	}
	res, err := s.svc.Grant(r.Context(), req)
	if err != nil {
		s.fail(w, err)
		return
	}
	if res.Pending {
		writeJSON(w, http.StatusAccepted, res)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	rv, err := s.svc.Revoke(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rv)
}

func (s *Server) grantGet(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.GrantStatus(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) commitments(w http.ResponseWriter, r *http.Request) {
	var q service.CommitmentQuery
	if err := decodeJSON(r, &q); err != nil {
		s.fail(w, err)
		return
	}
	secret, custodian, err := q.Parse()
	if err != nil {
		s.fail(w, err)
		return
	}
	cs, err := s.n.Commitments(r.Context(), secret, custodian)
	if err != nil {
		s.fail(w, err)
		return
	}
	out := make([]service.Commitment, 0, len(cs))
	for _, c := range cs {
		cj, err := service.CommitmentOf(c)
		if err != nil {
			s.fail(w, err)
			return
		}
		out = append(out, cj)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("patient") == "" && q.Get("stream") == "" && q.Get("grantee") != "" {
		s.granteeTickets(w, r)
		return
	}
	if q.Get("patient") == "" || q.Get("stream") == "" || q.Get("grantee") == "" {
		s.badInput(w, "patient, stream and grantee (public key hex) are required (grantee alone lists the grantee's tickets)")
		return
	}
	gk, err := node.ParseGranteeHex(q.Get("grantee"))
	if err != nil {
		s.fail(w, fmt.Errorf("%w: grantee: %v", node.ErrBadInput, err))
		return
	}
	t, err := s.n.FindTicket(r.Context(), q.Get("patient"), q.Get("stream"), gk)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"ticket": t.String(), "grant": hex.EncodeToString(t.GrantID[:])})
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var roots []cid.Cid
	for _, c := range q["cid"] {
		x, err := cid.Decode(c)
		if err != nil {
			s.badInput(w, "%q is not a CID", c)
			return
		}
		roots = append(roots, x)
	}
	res, err := s.svc.Verify(r.Context(), roots, q.Get("patient"))
	// Mismatches are results (ok=false), not an error of the call.
	if err != nil && !errors.Is(err, node.ErrIntegrity) {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) erasureVerify(w http.ResponseWriter, r *http.Request) {
	s.verifyBody(w, r, func(ctx context.Context, b []byte) (any, error) { return s.svc.VerifyErasure(ctx, b) })
}

// verifyBody serves a token-free verification of a document in the body (an erasure certificate, a claim
// file): 200 with the check, 422 with {valid: false} when the document does not hold, the error's class else.
func (s *Server) verifyBody(w http.ResponseWriter, r *http.Request, verify func(context.Context, []byte) (any, error)) {
	b, err := readAll(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	chk, err := verify(r.Context(), b)
	if errors.Is(err, node.ErrIntegrity) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"valid": false, "error": err.Error(), "code": "integrity"})
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, chk)
}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request) {
	ms, err := s.svc.Members(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ms)
}

func (s *Server) member(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Account  string `json:"account"`
		PeerID   string `json:"peerId"`
		ProxyKey string `json:"proxyKey"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	m, err := s.svc.AddMember(r.Context(), b.Account, b.PeerID, b.ProxyKey)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

// deviceEnroll returns the new device's private key seed once (loopback,
// operator token); the CLI writes it to the --out file.
func (s *Server) deviceEnroll(w http.ResponseWriter, r *http.Request) {
	var b struct {
		ID string `json:"id"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	dev, priv, err := s.svc.EnrollDevice(r.Context(), b.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer clear(priv)
	writeJSON(w, http.StatusCreated, struct {
		service.Device
		Seed string `json:"privateKeySeed"`
	}{dev, hex.EncodeToString(priv.Seed())})
}

// unitEnroll enrols a device its manufacturer registered (UDI and public key; no private key returned).
func (s *Server) unitEnroll(w http.ResponseWriter, r *http.Request) {
	var b struct {
		ID        string `json:"id"`
		UDI       string `json:"udi"`
		PublicKey string `json:"publicKey"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	pub, err := hex.DecodeString(b.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		s.fail(w, fmt.Errorf("%w: publicKey: want the device's Ed25519 public key, 64 hex digits", node.ErrBadInput))
		return
	}
	dev, err := s.svc.EnrollUnit(r.Context(), b.ID, b.UDI, pub)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, dev)
}

// deviceUpdate records a firmware update a registered unit attested to (its signature over the old and new
// image hashes).
func (s *Server) deviceUpdate(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Version   string `json:"version"`
		FromImage string `json:"fromImage"`
		ToImage   string `json:"toImage"`
		Signature string `json:"signature"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	from, err1 := hex.DecodeString(b.FromImage)
	to, err2 := hex.DecodeString(b.ToImage)
	sig, err3 := base64.StdEncoding.DecodeString(b.Signature)
	if err1 != nil || err2 != nil || len(from) != 32 || len(to) != 32 {
		s.fail(w, fmt.Errorf("%w: fromImage and toImage: want SHA-256 hashes, 64 hex digits each", node.ErrBadInput))
		return
	}
	if err3 != nil {
		s.fail(w, fmt.Errorf("%w: signature: not base64", node.ErrBadInput))
		return
	}
	res, err := s.svc.RecordUpdate(r.Context(), r.PathValue("id"), b.Version, [32]byte(from), [32]byte(to), sig)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

// manufacturer admits a device manufacturer to the lifecycle registry.
func (s *Server) manufacturer(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Account    string `json:"account"`
		SigningKey string `json:"signingKey"`
		Name       string `json:"name"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	m, err := s.svc.AdmitManufacturer(r.Context(), b.Account, b.SigningKey, b.Name)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

// patientImplants lists the units implanted in a local patient.
func (s *Server) patientImplants(w http.ResponseWriter, r *http.Request) {
	is, err := s.svc.Implants(r.Context(), r.PathValue("patient"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, is)
}

// deviceCustody records a hospital's custody step of a registered unit.
func (s *Server) deviceCustody(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Step    string `json:"step"`
		Patient string `json:"patient"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	res, err := s.svc.RecordCustody(r.Context(), r.PathValue("id"), b.Step, b.Patient)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (s *Server) deviceReleaseQuarantine(w http.ResponseWriter, r *http.Request) {
	released, err := s.svc.ReleaseQuarantine(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"device": r.PathValue("id"), "released": released})
}

func (s *Server) recallImpact(w http.ResponseWriter, r *http.Request) {
	ri, err := s.svc.RecallImpact(r.Context(), r.URL.Query().Get("model"), r.URL.Query().Get("firmware"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ri)
}

func (s *Server) consortiumRecallImpact(w http.ResponseWriter, r *http.Request) {
	ri, err := s.svc.ConsortiumRecallImpact(r.Context(), r.URL.Query().Get("model"), r.URL.Query().Get("firmware"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ri)
}

func (s *Server) deviceHistory(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.DeviceHistory(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *Server) deviceRevoke(w http.ResponseWriter, r *http.Request) {
	dev, err := s.svc.RevokeDevice(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, dev)
}

func (s *Server) deviceList(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("format") == "fhir" {
		b, err := s.svc.FHIRDevices(r.Context())
		if err != nil {
			s.fail(w, err)
			return
		}
		writeFHIR(w, http.StatusOK, b)
		return
	}
	ds, err := s.svc.Devices(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ds)
}

func (s *Server) patientCreate(w http.ResponseWriter, r *http.Request) {
	var b struct {
		MRN     string   `json:"mrn"`
		Streams []string `json:"streams"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	p, err := s.svc.CreatePatient(r.Context(), b.MRN, b.Streams)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) patientList(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.Patients(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

func (s *Server) erase(w http.ResponseWriter, r *http.Request) {
	var b service.EraseBody
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	res, err := s.svc.Erase(r.Context(), b.Patient, b.RequestRef, b.Reason)
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/v1/erasures/"+res.ID)
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(res.Certificate)
}

// refuse records a DPO's refusal of an erasure request (GDPR Art. 17(3))
// and answers the signed refusal document.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) {
	var b service.RefusalBody
	if err := decodeJSON(r, &b); err != nil {
		s.fail(w, err)
		return
	}
	doc, err := s.svc.RefuseErasure(r.Context(), b.Patient, b.RequestRef, b.Ground, b.Reason)
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(doc)
}

func (s *Server) erasureGet(w http.ResponseWriter, r *http.Request) {
	var id erasure.Hex32
	if err := id.UnmarshalText([]byte(r.PathValue("id"))); err != nil {
		s.badInput(w, "the erasure id must be 64 hex digits")
		return
	}
	c, err := s.n.Eraser.Certificate(id)
	if err != nil {
		s.fail(w, fmt.Errorf("%w: no certificate for erasure %s (yet)", node.ErrNotFound, id))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(c)
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) {
	es, err := s.svc.Audit(r.Context(), r.URL.Query().Get("patient"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if r.URL.Query().Get("format") == "fhir" {
		writeFHIR(w, http.StatusOK, node.FHIRAuditBundle(es))
		return
	}
	writeJSON(w, http.StatusOK, es)
}

// proveClaim proves a zero-knowledge claim about a patient's stream and answers the claim file.
func (s *Server) proveClaim(w http.ResponseWriter, r *http.Request) {
	var req service.ClaimRequest
	if err := decodeJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	c, err := s.svc.ProveClaim(r.Context(), req)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// claimVerify checks a claim file against this node's chain; anyone may ask (nothing changes).
func (s *Server) claimVerify(w http.ResponseWriter, r *http.Request) {
	s.verifyBody(w, r, func(ctx context.Context, b []byte) (any, error) { return s.svc.VerifyClaim(ctx, b) })
}

// disclosures serves the accounting of disclosures of one patient, each
// entry with its on-chain proof.
func (s *Server) disclosures(w http.ResponseWriter, r *http.Request) {
	rep, err := s.svc.Disclosures(r.Context(), r.URL.Query().Get("patient"), r.URL.Query().Get("requestRef"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) identity(w http.ResponseWriter, r *http.Request) {
	id, err := s.svc.Identity(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	id.Repo = "" // a client need not learn the daemon's file system
	writeJSON(w, http.StatusOK, id)
}

// health serves GET /healthz, the liveness probe: 200 while the process
// serves, with status "ok" or "degraded" and the reasons (chain unreachable
// or stalled, members unreachable, batches under-replicated). A node that
// lost the chain still ingests and serves what does not need it: it is
// degraded, not dead.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	writeJSON(w, http.StatusOK, node.Health(ctx, s.n))
}

// ready serves GET /readyz: 200 when the node can serve (chain reachable,
// keystore open, p2p listening, access log open), else 503 naming the
// failing checks. /healthz stays the liveness probe.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	rep := node.Readiness(ctx, s.n)
	status := http.StatusOK
	if !rep.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, rep)
}
