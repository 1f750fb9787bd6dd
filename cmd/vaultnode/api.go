package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// apiError is the JSON error body of the HTTP API.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

type server struct {
	n        *node.Node
	tokens   *node.TokenChecker
	log      *slog.Logger
	max      int64
	ingested prometheus.Counter
	refused  prometheus.Counter
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiError{Error: msg, Code: code})
}

// failErr maps a node error to its status and code.
func (s *server) failErr(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		fail(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body larger than %d bytes", mbe.Limit))
	case errors.Is(err, node.ErrBadSignature):
		fail(w, http.StatusUnprocessableEntity, "invalid_signature", err.Error())
	case errors.Is(err, node.ErrDeviceRefused):
		fail(w, http.StatusForbidden, "device_refused", err.Error())
	case errors.Is(err, node.ErrAccessRefused):
		fail(w, http.StatusForbidden, "access_refused", err.Error())
	case errors.Is(err, node.ErrNotFound), errors.Is(err, pointers.ErrUnknownGrant):
		fail(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, pointers.ErrGrantRevoked), errors.Is(err, erasure.ErrConflict), errors.Is(err, keys.ErrExists):
		fail(w, http.StatusConflict, "conflict", err.Error())
	case errors.Is(err, node.ErrIntegrity):
		fail(w, http.StatusInternalServerError, "integrity", err.Error())
	case pointers.IsUnavailable(err):
		fail(w, http.StatusServiceUnavailable, "chain_unavailable", err.Error())
	case errors.Is(err, node.ErrBadInput), errors.Is(err, pointers.ErrBadInput):
		fail(w, http.StatusBadRequest, "bad_input", err.Error())
	default:
		s.log.Error("request failed", "err", err)
		fail(w, http.StatusInternalServerError, "internal", err.Error())
	}
}

// auth checks the bearer token's role against the allowed roles.
func (s *server) auth(roles ...string) func(http.HandlerFunc) http.HandlerFunc {
	return func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || tok == "" {
				fail(w, http.StatusUnauthorized, "unauthenticated", "missing bearer token")
				return
			}
			role := s.tokens.Role(tok)
			if role == "" {
				fail(w, http.StatusUnauthorized, "unauthenticated", "unknown token")
				return
			}
			for _, want := range roles {
				if role == want {
					h(w, r)
					return
				}
			}
			fail(w, http.StatusForbidden, "forbidden", fmt.Sprintf("the %s token may not call this endpoint", role))
		}
	}
}

func (s *server) routes(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	dev := s.auth("device", "operator")
	op := s.auth("operator")
	dpo := s.auth("dpo")
	opdpo := s.auth("operator", "dpo")
	mux.HandleFunc("POST /v1/readings", dev(s.readings))
	mux.HandleFunc("POST /fhir/Observation", dev(s.fhirIngest))
	mux.HandleFunc("POST /fhir", dev(s.fhirIngest))
	mux.HandleFunc("GET /v1/records/{cid}", s.record)
	mux.HandleFunc("POST /v1/grants", op(s.grant))
	mux.HandleFunc("DELETE /v1/grants/{id}", op(s.revoke))
	mux.HandleFunc("POST /v1/reencrypt", s.reencrypt)
	mux.HandleFunc("POST /v1/erasures", dpo(s.erase))
	mux.HandleFunc("GET /v1/erasures/{id}", dpo(s.erasureGet))
	mux.HandleFunc("GET /v1/audit", opdpo(s.audit))
	mux.HandleFunc("POST /v1/members", op(s.member))
	mux.HandleFunc("POST /v1/devices", op(s.deviceEnroll))
	mux.HandleFunc("DELETE /v1/devices/{id}", op(s.deviceRevoke))
	mux.HandleFunc("GET /v1/devices", op(s.deviceList))
	mux.HandleFunc("POST /v1/patients", op(s.patientCreate))
	mux.HandleFunc("GET /v1/patients", op(s.patientList))
	// Read-only views the CLI uses when a daemon runs (docs/API.md).
	mux.HandleFunc("GET /v1/grants/{id}", s.grantGet)
	mux.HandleFunc("GET /v1/streams/{tag}/commitments", s.commitments)
	mux.HandleFunc("GET /v1/tickets", op(s.ticket))
	mux.HandleFunc("GET /v1/verify", opdpo(s.verify))
	mux.HandleFunc("POST /v1/erasures/verify", s.erasureVerify)
	mux.HandleFunc("GET /v1/members", op(s.memberList))
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.ecosystemRoutes(mux, reg)
	return http.MaxBytesHandler(mux, s.max)
}

func (s *server) readings(w http.ResponseWriter, r *http.Request) {
	device := r.URL.Query().Get("device")
	if device == "" {
		device = r.Header.Get("X-Vaultnode-Device")
	}
	if device == "" {
		fail(w, http.StatusBadRequest, "bad_input", "the device id goes in ?device= or the X-Vaultnode-Device header")
		return
	}
	b, err := node.ParseBatch(sizedBody{r.Body, min(r.ContentLength, s.max)}, s.n.Cfg.Ingest.MaxLineBytes)
	if err != nil {
		s.failErr(w, err)
		return
	}
	rc, err := s.n.Ingest(r.Context(), device, b)
	if err != nil {
		if errors.Is(err, node.ErrBadSignature) || errors.Is(err, node.ErrDeviceRefused) {
			s.refused.Inc()
		}
		s.failErr(w, err)
		return
	}
	s.ingested.Add(float64(rc.Readings))
	writeJSON(w, http.StatusOK, rc)
}

// sizedBody tells ParseBatch the body's announced length (Len), so that it
// sizes its buffer once; the body limit still applies to what is read.
type sizedBody struct {
	io.Reader
	n int64
}

func (b sizedBody) Len() int { return int(min(max(b.n, 0), 1<<30)) }

func (s *server) fhir(w http.ResponseWriter, r *http.Request) {
	device := r.URL.Query().Get("device")
	if device == "" {
		device = r.Header.Get("X-Vaultnode-Device")
	}
	sig, err := base64.StdEncoding.DecodeString(r.Header.Get("X-Vaultnode-Signature"))
	if err != nil || len(sig) != 64 {
		fail(w, http.StatusUnprocessableEntity, "invalid_signature", "X-Vaultnode-Signature must hold the base64 Ed25519 signature of the body")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.failErr(w, err)
		return
	}
	b, err := node.ParseFHIR(body, device)
	if err != nil {
		s.failErr(w, err)
		return
	}
	b.Sig = sig
	rc, err := s.n.Ingest(r.Context(), device, b)
	if err != nil {
		s.failErr(w, err)
		return
	}
	s.ingested.Add(float64(rc.Readings))
	writeJSON(w, http.StatusOK, rc)
}

func (s *server) record(w http.ResponseWriter, r *http.Request) {
	c, err := cid.Decode(r.PathValue("cid"))
	if err != nil {
		fail(w, http.StatusBadRequest, "bad_input", "not a CID")
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
		ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
		blk, err = s.n.P2P.Blocks.GetBlock(ctx, c)
		cancel()
	}
	if err != nil {
		fail(w, http.StatusNotFound, "not_found", "no such block on this peer")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(blk.RawData())
}

type grantBody struct {
	Patient   string    `json:"patient"`
	Stream    string    `json:"stream"`
	Grantee   string    `json:"grantee"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	Threshold int       `json:"threshold"`
	Proxies   int       `json:"proxies"`
	Purposes  []string  `json:"purposes,omitempty"`
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return fmt.Errorf("%w: JSON body: %v", node.ErrBadInput, err)
	}
	return nil
}

func (s *server) grant(w http.ResponseWriter, r *http.Request) {
	var b grantBody
	if err := decodeJSON(r, &b); err != nil {
		s.failErr(w, err)
		return
	}
	gk, err := node.ParseGranteePublic(b.Grantee)
	if err != nil {
		s.failErr(w, fmt.Errorf("%w: grantee: %v", node.ErrBadInput, err))
		return
	}
	if b.NotBefore.IsZero() {
		b.NotBefore = time.Now()
	}
	if b.Threshold == 0 {
		b.Threshold = 1
	}
	if b.Proxies == 0 {
		b.Proxies = b.Threshold
	}
	res, err := s.n.Grant(r.Context(), node.GrantRequest{Patient: b.Patient, Stream: b.Stream, Grantee: gk, NotBefore: b.NotBefore, NotAfter: b.NotAfter, M: b.Threshold, N: b.Proxies, Purposes: b.Purposes})
	if err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (s *server) revoke(w http.ResponseWriter, r *http.Request) {
	id, err := node.ParseGrantID(r.PathValue("id"))
	if err != nil {
		s.failErr(w, err)
		return
	}
	rc, err := s.n.Revoke(r.Context(), id)
	if err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"grant": hex.EncodeToString(id[:]), "revoked": true, "tx": rc.TxHash.Hex(), "block": rc.Block})
}

// reencryptBody is the relay form of POST /v1/reencrypt.
type reencryptBody struct {
	Request []byte   `json:"request"`           // the signed request, p2p wire encoding (base64)
	Want    int      `json:"want,omitempty"`    // cfrags wanted (default: the grant's threshold M)
	Exclude []string `json:"exclude,omitempty"` // proxies (peer ids) not to ask
}

// reencryptReply is the relay's answer.
type reencryptReply struct {
	Grant     string             `json:"grant"`
	Threshold int                `json:"threshold"`
	Want      int                `json:"want"`
	Outcome   string             `json:"outcome"` // granted (want cfrags) or refused
	Answers   []node.RelayAnswer `json:"answers"`
	Error     string             `json:"error,omitempty"`
	Code      string             `json:"code,omitempty"`
}

// reencrypt: with a JSON body (reencryptBody), the daemon relays the signed
// request to the grant's proxies over libp2p and returns their cfrags and
// refusals (SPEC §5); with a binary body (the request itself,
// application/octet-stream), this node's own proxy answers it. The grantee's
// signature authenticates the request either way.
func (s *server) reencrypt(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		s.failErr(w, err)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		s.relay(w, r, raw)
		return
	}
	resp := s.n.Proxy.HandleBytes(r.Context(), raw)
	out := map[string]any{"outcome": resp.Outcome.String(), "message": resp.Message}
	if resp.Outcome == p2p.Granted {
		out["cfrag"] = base64.StdEncoding.EncodeToString(resp.CFrag.Bytes())
		writeJSON(w, http.StatusOK, out)
		return
	}
	status, code := refusalStatus(resp.Outcome.String())
	writeJSON(w, status, apiError{Error: resp.Outcome.String() + ": " + resp.Message, Code: code})
}

// refusalStatus maps a proxy outcome to the API's status and code.
func refusalStatus(outcome string) (int, string) {
	switch outcome {
	case p2p.RefusedMalformed.String():
		return http.StatusBadRequest, "bad_input"
	case p2p.RefusedBadSignature.String():
		return http.StatusUnprocessableEntity, "invalid_signature"
	case p2p.RefusedReplay.String():
		return http.StatusConflict, "replay"
	case p2p.RefusedRateLimited.String():
		return http.StatusTooManyRequests, "rate_limited"
	case p2p.RefusedInternal.String():
		return http.StatusInternalServerError, "internal"
	}
	return http.StatusForbidden, "access_refused"
}

func (s *server) relay(w http.ResponseWriter, r *http.Request, raw []byte) {
	var b reencryptBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		fail(w, http.StatusBadRequest, "bad_input", "JSON body: "+err.Error())
		return
	}
	req, err := p2p.ParseReencryptRequest(b.Request)
	if err != nil {
		fail(w, http.StatusBadRequest, "bad_input", "request: "+err.Error())
		return
	}
	if !req.VerifySignature() {
		fail(w, http.StatusUnprocessableEntity, "invalid_signature", "the request's signature does not verify with its grantee key")
		return
	}
	if b.Want < 0 || b.Want > 255 {
		fail(w, http.StatusBadRequest, "bad_input", "want must be 0..255")
		return
	}
	ans, g, err := s.n.Relay(r.Context(), req, b.Want, b.Exclude)
	if err != nil {
		s.failErr(w, err)
		return
	}
	want := b.Want
	if want == 0 {
		want = int(g.M)
	}
	rep := reencryptReply{Grant: hex.EncodeToString(g.ID[:]), Threshold: int(g.M), Want: want, Answers: ans, Outcome: "granted"}
	granted := 0
	outcomes := map[string]bool{}
	var reasons []string
	for _, a := range ans {
		if a.Outcome == p2p.Granted.String() {
			granted++
			continue
		}
		outcomes[a.Outcome] = true
		reasons = append(reasons, a.Outcome)
	}
	if granted >= want {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	rep.Outcome = "refused"
	status, code := http.StatusForbidden, "access_refused"
	if len(outcomes) == 1 && granted == 0 {
		status, code = refusalStatus(reasons[0])
	}
	rep.Error = fmt.Sprintf("%d of %d cfrags: %s", granted, want, strings.Join(reasons, ", "))
	rep.Code = code
	writeJSON(w, status, rep)
}

// grantJSON is a grant as the API shows it (docs/API.md).
type grantJSON struct {
	ID             string    `json:"id"`
	StreamTag      string    `json:"streamTag"`
	GranteeKeyHash string    `json:"granteeKeyHash"`
	NotBefore      time.Time `json:"notBefore"`
	NotAfter       time.Time `json:"notAfter"`
	Threshold      int       `json:"threshold"`
	Proxies        []string  `json:"proxies"` // chain accounts
	SignerKey      string    `json:"signerKey"`
	Signature      string    `json:"signature"`
	Revoked        bool      `json:"revoked"`
	RevokedAt      time.Time `json:"revokedAt,omitzero"`
	// State is the grant's state now, as the proxies will find it ("" when
	// it allows access, else the refusal).
	State string `json:"state"`
}

func (s *server) grantGet(w http.ResponseWriter, r *http.Request) {
	id, err := node.ParseGrantID(r.PathValue("id"))
	if err != nil {
		s.failErr(w, err)
		return
	}
	g, err := s.n.GrantRecord(r.Context(), id)
	if errors.Is(err, node.ErrAccessRefused) {
		fail(w, http.StatusNotFound, "not_found", err.Error())
		return
	}
	if err != nil {
		s.failErr(w, err)
		return
	}
	out := grantJSON{ID: hex.EncodeToString(g.ID[:]), StreamTag: hex.EncodeToString(g.StreamTag[:]), GranteeKeyHash: hex.EncodeToString(g.GranteeKeyHash[:]),
		NotBefore: g.NotBefore, NotAfter: g.NotAfter, Threshold: int(g.M), SignerKey: hex.EncodeToString(g.SignerKey), Signature: hex.EncodeToString(g.Signature),
		Revoked: g.Revoked, RevokedAt: g.RevokedAt, State: "live"}
	for _, a := range g.Proxies {
		out.Proxies = append(out.Proxies, a.Hex())
	}
	if err := s.n.CheckGrantNow(r.Context(), g); err != nil {
		out.State = strings.TrimPrefix(err.Error(), node.ErrAccessRefused.Error()+": ")
	}
	writeJSON(w, http.StatusOK, out)
}

func (g grantJSON) record() (pointers.GrantRecord, error) {
	var rec pointers.GrantRecord
	var err error
	dec := func(dst []byte, s string) {
		b, e := hex.DecodeString(s)
		if e != nil || len(b) != len(dst) {
			err = fmt.Errorf("%w: daemon sent a malformed grant", node.ErrIntegrity)
		}
		copy(dst, b)
	}
	dec(rec.ID[:], g.ID)
	dec(rec.StreamTag[:], g.StreamTag)
	dec(rec.GranteeKeyHash[:], g.GranteeKeyHash)
	rec.SignerKey = make([]byte, 32)
	dec(rec.SignerKey, g.SignerKey)
	if rec.Signature, err = hex.DecodeString(g.Signature); err != nil {
		return rec, fmt.Errorf("%w: daemon sent a malformed grant", node.ErrIntegrity)
	}
	if g.Threshold < 1 || g.Threshold > 255 {
		return rec, fmt.Errorf("%w: daemon sent a grant with threshold %d", node.ErrIntegrity, g.Threshold)
	}
	rec.M, rec.NotBefore, rec.NotAfter, rec.Revoked, rec.RevokedAt = uint8(g.Threshold), g.NotBefore, g.NotAfter, g.Revoked, g.RevokedAt
	for _, p := range g.Proxies {
		rec.Proxies = append(rec.Proxies, common.HexToAddress(p))
	}
	return rec, err
}

// commitmentJSON is one batch commitment as the API shows it.
type commitmentJSON struct {
	Seq        uint64 `json:"seq"`
	Root       string `json:"root"`
	MerkleRoot string `json:"merkleRoot"`
	Count      uint32 `json:"count"`
}

func (s *server) commitments(w http.ResponseWriter, r *http.Request) {
	var tag [32]byte
	if b, err := hex.DecodeString(r.PathValue("tag")); err != nil || len(b) != 32 {
		fail(w, http.StatusBadRequest, "bad_input", "stream tag must be 64 hex digits")
		return
	} else {
		copy(tag[:], b)
	}
	cs, err := s.n.Commitments(r.Context(), tag)
	if err != nil {
		s.failErr(w, err)
		return
	}
	out := []commitmentJSON{}
	for _, c := range cs {
		root, err := cid.Cast(c.RootCID)
		if err != nil {
			s.failErr(w, fmt.Errorf("%w: commitment %d holds a bad CID", node.ErrIntegrity, c.Seq))
			return
		}
		out = append(out, commitmentJSON{Seq: c.Seq, Root: root.String(), MerkleRoot: hex.EncodeToString(c.MerkleRoot[:]), Count: c.Count})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) ticket(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("patient") == "" || q.Get("stream") == "" || q.Get("grantee") == "" {
		fail(w, http.StatusBadRequest, "bad_input", "patient, stream and grantee (public key hex) are required")
		return
	}
	gk, err := node.ParseGranteePublic(q.Get("grantee"))
	if err != nil {
		s.failErr(w, err)
		return
	}
	t, err := s.n.FindTicket(r.Context(), q.Get("patient"), q.Get("stream"), gk)
	if err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"ticket": t.String(), "grant": hex.EncodeToString(t.GrantID[:])})
}

func (s *server) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var roots []cid.Cid
	for _, c := range q["cid"] {
		x, err := cid.Decode(c)
		if err != nil {
			fail(w, http.StatusBadRequest, "bad_input", fmt.Sprintf("%q is not a CID", c))
			return
		}
		roots = append(roots, x)
	}
	if (len(roots) == 0) == (q.Get("patient") == "") {
		fail(w, http.StatusBadRequest, "bad_input", "give cid=... or patient=...")
		return
	}
	res, err := s.n.Verify(r.Context(), roots, q.Get("patient"))
	if err != nil && !errors.Is(err, node.ErrIntegrity) {
		s.failErr(w, err)
		return
	}
	if res == nil {
		res = []node.VerifyResult{}
	}
	// Mismatches are results (ok=false), not an error of the call.
	writeJSON(w, http.StatusOK, res)
}

func (s *server) erasureVerify(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		s.failErr(w, err)
		return
	}
	c, err := node.VerifyCertificate(r.Context(), s.n.Chain, b)
	if err != nil {
		if errors.Is(err, node.ErrIntegrity) {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"valid": false, "error": err.Error(), "code": "integrity"})
			return
		}
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, erasureVerifyJSON(c))
}

func (s *server) memberList(w http.ResponseWriter, r *http.Request) {
	ms, err := s.n.Chain.Members(r.Context())
	if err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, membersJSON(ms))
}

type memberBody struct {
	Account  string `json:"account"`
	PeerID   string `json:"peerId"`
	ProxyKey string `json:"proxyKey"`
}

func (s *server) member(w http.ResponseWriter, r *http.Request) {
	var b memberBody
	if err := decodeJSON(r, &b); err != nil {
		s.failErr(w, err)
		return
	}
	if err := node.Admit(r.Context(), s.n, b.Account, b.PeerID, b.ProxyKey, etherWei(100)); err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"account": b.Account, "peerId": b.PeerID, "member": true})
}

// deviceEnroll returns the new device's private key seed once (loopback,
// operator token); the CLI writes it to the --out file.
func (s *server) deviceEnroll(w http.ResponseWriter, r *http.Request) {
	var b struct {
		ID string `json:"id"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.failErr(w, err)
		return
	}
	dev, priv, err := s.n.EnrollDevice(r.Context(), b.ID)
	if err != nil {
		s.failErr(w, err)
		return
	}
	defer clear(priv)
	out := deviceJSON(dev)
	out["privateKeySeed"] = hex.EncodeToString(priv.Seed())
	writeJSON(w, http.StatusCreated, out)
}

func (s *server) deviceRevoke(w http.ResponseWriter, r *http.Request) {
	dev, err := s.n.RevokeDevice(r.Context(), r.PathValue("id"))
	if err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, deviceJSON(dev))
}

func (s *server) deviceList(w http.ResponseWriter, r *http.Request) {
	ds, err := s.n.Keys.Devices(r.Context())
	if err != nil {
		s.failErr(w, err)
		return
	}
	out := []any{}
	for _, d := range ds {
		out = append(out, deviceJSON(d))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) patientCreate(w http.ResponseWriter, r *http.Request) {
	var b struct {
		MRN     string   `json:"mrn"`
		Streams []string `json:"streams"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.failErr(w, err)
		return
	}
	if b.MRN != "" {
		if err := keys.ValidateMRN(b.MRN); err != nil {
			s.failErr(w, fmt.Errorf("%w: %v", node.ErrBadInput, err))
			return
		}
	}
	p, err := s.n.Keys.CreatePatient(r.Context(), b.MRN)
	if err != nil {
		s.failErr(w, err)
		return
	}
	for _, st := range b.Streams {
		if _, err := s.n.Keys.CreateStream(r.Context(), p.Pseudonym, st); err != nil {
			s.failErr(w, fmt.Errorf("%w: stream %q: %v", node.ErrBadInput, st, err))
			return
		}
	}
	p, _ = s.n.Keys.Patient(r.Context(), p.Pseudonym)
	writeJSON(w, http.StatusCreated, patientJSON(p))
}

func (s *server) patientList(w http.ResponseWriter, r *http.Request) {
	ps, err := s.n.Keys.Patients(r.Context())
	if err != nil {
		s.failErr(w, err)
		return
	}
	out := []any{}
	for _, p := range ps {
		out = append(out, patientJSON(p))
	}
	writeJSON(w, http.StatusOK, out)
}

type eraseBody struct {
	Patient    string `json:"patient"`
	RequestRef string `json:"requestRef"`
	Reason     string `json:"reason"`
}

func (s *server) erase(w http.ResponseWriter, r *http.Request) {
	var b eraseBody
	if err := decodeJSON(r, &b); err != nil {
		s.failErr(w, err)
		return
	}
	if b.Patient == "" || b.RequestRef == "" {
		fail(w, http.StatusBadRequest, "bad_input", "patient and requestRef are required")
		return
	}
	res, err := s.n.Erase(r.Context(), b.Patient, b.RequestRef, b.Reason)
	if err != nil {
		s.failErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/v1/erasures/"+res.ID.String())
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(res.Certificate)
}

func (s *server) erasureGet(w http.ResponseWriter, r *http.Request) {
	var id erasure.Hex32
	if err := id.UnmarshalText([]byte(r.PathValue("id"))); err != nil {
		fail(w, http.StatusBadRequest, "bad_input", "erasure id must be 64 hex digits")
		return
	}
	c, err := s.n.Eraser.Certificate(id)
	if err != nil {
		fail(w, http.StatusNotFound, "not_found", "no certificate for that erasure (yet)")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(c)
}

func (s *server) audit(w http.ResponseWriter, r *http.Request) {
	es, err := s.n.Audit(r.Context(), r.URL.Query().Get("patient"))
	if err != nil {
		s.failErr(w, err)
		return
	}
	if r.URL.Query().Get("format") == "fhir" {
		writeJSON(w, http.StatusOK, node.FHIRAuditBundle(es))
		return
	}
	writeJSON(w, http.StatusOK, es)
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	head, err := s.n.Chain.BlockNumber(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "chain_unavailable", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "peerId": s.n.PeerID().String(), "chainHead": head,
		"pendingCommitments": s.n.Chain.PendingCommitments(), "peers": len(s.n.P2P.Host.Network().Peers())})
}

func newDaemonCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "daemon",
		Short: "run a storage peer: libp2p, bitswap, replication, proxy, chain watcher, HTTP API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			c, err := node.LoadConfig(dir)
			if err != nil {
				return err
			}
			if g.logLevel == "" {
				g.logLevel = c.Log.Level
			}
			g.logJSON = g.logJSON || c.Log.Format == "json"
			lg := g.logger(cmd.ErrOrStderr(), slog.LevelInfo)
			host, _, err := net.SplitHostPort(c.API.Addr)
			if err != nil {
				return fmt.Errorf("config api.addr: %w", err)
			}
			if ip := net.ParseIP(host); !c.API.AllowRemote && (ip == nil || !ip.IsLoopback()) && host != "localhost" {
				return fmt.Errorf("config api.addr %s is not a loopback address (set api.allowRemote to expose it)", c.API.Addr)
			}
			tokens, err := node.LoadTokens(dir)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			n, err := node.Open(ctx, dir, node.Options{Logger: lg})
			if err != nil {
				return err
			}
			defer n.Close()
			if ids, err := n.Eraser.ResumeAll(ctx); err != nil {
				lg.Error("resume erasures", "err", err)
			} else if len(ids) > 0 {
				lg.Info("finished interrupted erasures", "count", len(ids))
			}
			reg := prometheus.NewRegistry()
			s := &server{n: n, tokens: tokens, log: lg, max: c.API.MaxBodyBytes,
				ingested: prometheus.NewCounter(prometheus.CounterOpts{Name: "vaultnode_readings_ingested_total", Help: "Readings acknowledged."}),
				refused:  prometheus.NewCounter(prometheus.CounterOpts{Name: "vaultnode_batches_refused_total", Help: "Device batches refused (signature or device status)."}),
			}
			reg.MustRegister(s.ingested, s.refused,
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vaultnode_pending_commitments", Help: "Commitments journaled, not yet on chain."}, func() float64 { return float64(n.Chain.PendingCommitments()) }),
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vaultnode_peers", Help: "Connected members."}, func() float64 { return float64(len(n.P2P.Host.Network().Peers())) }),
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vaultnode_refused_connections_total", Help: "Connections refused (not a member)."}, func() float64 { return float64(n.P2P.RefusedConnections()) }),
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vaultnode_reencrypt_granted_total", Help: "Re-encryptions granted."}, func() float64 { return float64(n.Proxy.Count(p2p.Granted)) }),
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vaultnode_access_log_entries", Help: "Entries in the access log."}, func() float64 { return float64(n.Access.Len()) }),
				prometheus.NewGoCollector(),
			)
			ln, err := net.Listen("tcp", c.API.Addr)
			if err != nil {
				return fmt.Errorf("HTTP API: %w", err)
			}
			srv := &http.Server{Handler: s.routes(reg), ReadHeaderTimeout: 10 * time.Second}
			apiURL := "http://" + ln.Addr().String()
			info := map[string]any{"pid": os.Getpid(), "api": apiURL, "addrs": n.Addrs(), "peerId": n.PeerID().String()}
			if e := n.Chain.Embedded(); e != nil && e.RPCURL() != "" {
				info["chainRpc"] = e.RPCURL()
			}
			ib, _ := json.MarshalIndent(info, "", "  ")
			if err := os.WriteFile(filepath.Join(dir, node.DaemonFile), append(ib, '\n'), 0o600); err != nil {
				return err
			}
			defer os.Remove(filepath.Join(dir, node.DaemonFile))
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			// Background upkeep, owned here: anchor the access log, retry pending purges.
			bg, stopBG := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				t := time.NewTicker(30 * time.Second)
				defer t.Stop()
				for {
					select {
					case <-bg.Done():
						return
					case <-t.C:
						if _, _, err := n.Access.Anchor(bg, n.Chain); err != nil {
							lg.Warn("anchor access log", "err", err)
						}
						if _, err := n.Eraser.RetryPending(bg); err != nil {
							lg.Warn("retry pending purges", "err", err)
						}
					}
				}
			}()
			go systemdNotify(ctx, lg) // READY=1 now, watchdog, STOPPING=1 at shutdown (eco_ops.go)
			lg.Info("daemon running", "api", apiURL, "peer", n.PeerID().String(), "addrs", n.Addrs())
			// --json: one JSON line per event on stdout ("ready" now,
			// "stopped" at the end), for supervisors and scripts.
			event := func(v map[string]any) {
				b, _ := json.Marshal(v)
				fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
			}
			if g.json {
				ready := map[string]any{"event": "ready"}
				for k, v := range info {
					ready[k] = v
				}
				event(ready)
				defer event(map[string]any{"event": "stopped"})
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "vaultnode daemon: API %s, peer %s\n", apiURL, n.PeerID())
				for _, a := range n.Addrs() {
					fmt.Fprintf(cmd.OutOrStdout(), "  p2p %s\n", a)
				}
			}
			var serveErr error
			select {
			case <-ctx.Done():
				lg.Info("shutting down")
			case serveErr = <-errc:
			}
			// Finish in-flight requests (an acknowledged batch is already durable), then stop.
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
			stopBG()
			<-done
			// Give the committer a moment to put acknowledged batches on chain
			// (they are journaled either way and committed at the next start).
			fctx, fcancel := context.WithTimeout(context.Background(), 10*time.Second)
			flush(fctx, n)
			fcancel()
			if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
				return serveErr
			}
			return n.Close()
		},
	}
}

// --- client side (--api) ---

func apiToken(g *globals, role string) string {
	if t := os.Getenv("VAULTNODE_TOKEN"); t != "" {
		return t
	}
	dir, err := g.repoDir()
	if err != nil {
		return ""
	}
	t, _ := node.ReadToken(dir, role)
	return t
}

func apiCall(cmd *cobra.Command, g *globals, role, method, path, ctype string, body io.Reader, out any) error {
	return apiCallCtx(cmd.Context(), g, role, method, path, ctype, body, out)
}

// apiCallCtx calls the daemon's API with the token of role ("" for none)
// and decodes a 2xx JSON answer into out (*[]byte: the raw body); an error
// answer becomes an error of the class its status and code say.
func apiCallCtx(ctx context.Context, g *globals, role, method, path, ctype string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(g.api, "/")+path, body)
	if err != nil {
		return usageError{fmt.Errorf("--api: %w", err)}
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if role != "" {
		if t := apiToken(g, role); t != "" {
			req.Header.Set("Authorization", "Bearer "+t)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("daemon at %s: %w", g.api, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e apiError
		_ = json.Unmarshal(b, &e)
		msg := fmt.Sprintf("daemon: %s (%s)", e.Error, e.Code)
		if e.Code == "integrity" {
			return fmt.Errorf("%w: %s", node.ErrIntegrity, msg)
		}
		switch resp.StatusCode {
		case http.StatusForbidden:
			return fmt.Errorf("%w: %s", node.ErrAccessRefused, msg)
		case http.StatusUnprocessableEntity:
			return fmt.Errorf("%w: %s", node.ErrBadSignature, msg)
		case http.StatusBadRequest:
			return fmt.Errorf("%w: %s", node.ErrBadInput, msg)
		}
		if resp.StatusCode == http.StatusNotFound {
			return fmt.Errorf("%w: %s", node.ErrNotFound, msg)
		}
		return errors.New(msg)
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = b
		return nil
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func apiIngest(cmd *cobra.Command, g *globals, device string, r io.Reader, p *progress) error {
	var rc node.Receipt
	if err := apiCall(cmd, g, "device", "POST", "/v1/readings?device="+url.QueryEscape(device), "application/x-ndjson", r, &rc); err != nil {
		return err
	}
	p.done()
	return printReceipt(cmd, g, &rc)
}

func apiIngestFHIR(cmd *cobra.Command, g *globals, device, sig string, r io.Reader, p *progress) error {
	defer p.done()
	req, err := http.NewRequestWithContext(cmd.Context(), "POST", strings.TrimRight(g.api, "/")+"/fhir?device="+url.QueryEscape(device), r)
	if err != nil {
		return usageError{err}
	}
	req.Header.Set("Content-Type", "application/fhir+json")
	req.Header.Set("X-Vaultnode-Signature", sig)
	req.Header.Set("Accept", "application/json") // the {error, code} body, not an OperationOutcome (eco_fhir.go)
	if t := apiToken(g, "device"); t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("daemon at %s: %w", g.api, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e apiError
		_ = json.Unmarshal(b, &e)
		if resp.StatusCode == http.StatusUnprocessableEntity {
			return fmt.Errorf("%w: daemon: %s", node.ErrBadSignature, e.Error)
		}
		return fmt.Errorf("daemon: %s (%s)", e.Error, e.Code)
	}
	var rc node.Receipt
	if err := json.Unmarshal(b, &rc); err != nil {
		return err
	}
	return printReceipt(cmd, g, &rc)
}

func apiGrant(cmd *cobra.Command, g *globals, req node.GrantRequest) (*node.GrantResult, error) {
	b, _ := json.Marshal(grantBody{Patient: req.Patient, Stream: req.Stream, Grantee: hex.EncodeToString(req.Grantee.Bytes()),
		NotBefore: req.NotBefore, NotAfter: req.NotAfter, Threshold: req.M, Proxies: req.N, Purposes: req.Purposes})
	var res node.GrantResult
	if err := apiCall(cmd, g, "operator", "POST", "/v1/grants", "application/json", bytes.NewReader(b), &res); err != nil {
		return nil, err
	}
	return &res, nil
}

func apiRevoke(cmd *cobra.Command, g *globals, id [32]byte) error {
	var out map[string]any
	if err := apiCall(cmd, g, "operator", "DELETE", "/v1/grants/"+hex.EncodeToString(id[:]), "", nil, &out); err != nil {
		return err
	}
	return g.out(cmd.OutOrStdout(), out, func(w io.Writer) { fmt.Fprintf(w, "grant %x revoked\n", id) })
}

func apiErase(cmd *cobra.Command, g *globals, patient, ref, reason string) ([]byte, error) {
	b, _ := json.Marshal(eraseBody{Patient: patient, RequestRef: ref, Reason: reason})
	var cert []byte
	if err := apiCall(cmd, g, "dpo", "POST", "/v1/erasures", "application/json", bytes.NewReader(b), &cert); err != nil {
		return nil, err
	}
	return cert, nil
}

// apiSource is a node.FetchSource over a daemon's HTTP API: the daemon reads
// the chain, serves blocks (from members over bitswap when it does not hold
// them) and relays the signed requests to the proxies; decryption and every
// check happen here, with the clinician's keys.
type apiSource struct{ g *globals }

func (a apiSource) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	var raw []byte
	if err := apiCallCtx(ctx, a.g, "", "GET", "/v1/records/"+c.String()+"?network=1", "", nil, &raw); err != nil {
		return nil, err
	}
	// The store's readers re-hash every block against its CID.
	return blocks.NewBlockWithCid(raw, c)
}

func (a apiSource) Grant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error) {
	var gj grantJSON
	err := apiCallCtx(ctx, a.g, "", "GET", "/v1/grants/"+hex.EncodeToString(id[:]), "", nil, &gj)
	if errors.Is(err, node.ErrNotFound) {
		return pointers.GrantRecord{}, fmt.Errorf("%w: no grant %x on-chain", node.ErrAccessRefused, id)
	}
	if err != nil {
		return pointers.GrantRecord{}, err
	}
	return gj.record()
}

func (a apiSource) CheckGrant(_ context.Context, g pointers.GrantRecord) error {
	return node.GrantState(g, time.Now())
}

func (a apiSource) Commitments(ctx context.Context, tag [32]byte) ([]pointers.Commitment, error) {
	var cj []commitmentJSON
	if err := apiCallCtx(ctx, a.g, "", "GET", "/v1/streams/"+hex.EncodeToString(tag[:])+"/commitments", "", nil, &cj); err != nil {
		return nil, err
	}
	out := make([]pointers.Commitment, 0, len(cj))
	for _, c := range cj {
		root, err := cid.Decode(c.Root)
		mr, err2 := hex.DecodeString(c.MerkleRoot)
		if err != nil || err2 != nil || len(mr) != 32 {
			return nil, fmt.Errorf("%w: daemon sent a malformed commitment (seq %d)", node.ErrIntegrity, c.Seq)
		}
		out = append(out, pointers.Commitment{Tag: tag, Seq: c.Seq, RootCID: root.Bytes(), MerkleRoot: [32]byte(mr), Count: c.Count})
	}
	return out, nil
}

func (a apiSource) Reencrypt(ctx context.Context, req *p2p.ReencryptRequest, want int, exclude []string) ([]node.RelayAnswer, error) {
	raw, err := req.MarshalBinary()
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(reencryptBody{Request: raw, Want: want, Exclude: exclude})
	hr, err := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(a.g.api, "/")+"/v1/reencrypt", bytes.NewReader(body))
	if err != nil {
		return nil, usageError{err}
	}
	hr.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("daemon at %s: %w", a.g.api, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	var rep reencryptReply
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("daemon: re-encryption relay: status %d: %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	if rep.Answers == nil && resp.StatusCode != http.StatusOK {
		// Refused before any proxy was asked (no grant, bad request).
		e := fmt.Sprintf("daemon: %s (%s)", rep.Error, rep.Code)
		switch resp.StatusCode {
		case http.StatusForbidden, http.StatusNotFound:
			return nil, fmt.Errorf("%w: %s", node.ErrAccessRefused, e)
		case http.StatusBadRequest:
			return nil, fmt.Errorf("%w: %s", node.ErrBadInput, e)
		}
		return nil, errors.New(e)
	}
	return rep.Answers, nil
}
