package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/node"
)

// writeFHIR writes a FHIR JSON resource.
func writeFHIR(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/fhir+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// failFHIR answers a refused FHIR request with an OperationOutcome naming
// what was wrong (each issue with its FHIRPath expression), or, for a
// client that asks for plain JSON (Accept: application/json, as the
// vaultnode CLI does), with the API's {"error", "code"} body; the status is
// the one of the error's class either way.
func (s *Server) failFHIR(w http.ResponseWriter, r *http.Request, err error) {
	s.m.fhirRefused.Inc()
	if a := r.Header.Get("Accept"); strings.Contains(a, "application/json") && !strings.Contains(a, "fhir") {
		s.fail(w, err)
		return
	}
	c := fault.Classify(err)
	if c == fault.Internal {
		s.log.Error("FHIR request failed", "err", err)
	}
	writeFHIR(w, c.Status, node.OperationOutcome(err, c.FHIR))
}

// fhirIngest serves POST /fhir/Observation and POST /fhir (a transaction,
// batch or collection Bundle of Observations): the device's signature over
// the body is in X-Vaultnode-Signature. A refused document is answered with
// an OperationOutcome and nothing of it is stored.
func (s *Server) fhirIngest(w http.ResponseWriter, r *http.Request) {
	sig, err := base64.StdEncoding.DecodeString(r.Header.Get("X-Vaultnode-Signature"))
	if err != nil || len(sig) != 64 {
		s.failFHIR(w, r, fmt.Errorf("%w: X-Vaultnode-Signature must hold the base64 Ed25519 signature of the body", node.ErrBadSignature))
		return
	}
	body, err := readAll(r)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if r.URL.Path == "/fhir/Observation" && (json.Unmarshal(body, &head) != nil || head.ResourceType != "Observation") {
		s.failFHIR(w, r, errors.Join(node.ErrBadInput, errors.New("POST /fhir/Observation takes one Observation; send Bundles to POST /fhir")))
		return
	}
	rc, err := s.svc.IngestFHIR(r.Context(), deviceOf(r), body, sig)
	if err != nil {
		s.m.countRefusal(err)
		s.failFHIR(w, r, err)
		return
	}
	s.m.ingested.Add(float64(rc.Readings))
	writeJSON(w, http.StatusOK, rc)
}

// fhirConsent serves POST /fhir/Consent (operator): the Consent becomes one
// grant per stream (?threshold=M&proxies=N, default 1 of 1); a refused
// Consent is answered with an OperationOutcome.
func (s *Server) fhirConsent(w http.ResponseWriter, r *http.Request) {
	m, n, err := thresholdQuery(r)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	body, err := readAll(r)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	res, err := s.svc.ImportConsent(r.Context(), body, m, n)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func thresholdQuery(r *http.Request) (int, int, error) {
	m, n := 1, 0
	for name, dst := range map[string]*int{"threshold": &m, "proxies": &n} {
		if v := r.URL.Query().Get(name); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				return 0, 0, fmt.Errorf("%w: %s must be an integer", node.ErrBadInput, name)
			}
			*dst = x
		}
	}
	return m, n, nil
}
