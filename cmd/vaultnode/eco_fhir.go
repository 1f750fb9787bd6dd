package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/vaultnode/vaultnode/internal/node"
)

// writeFHIR writes a FHIR JSON resource.
func writeFHIR(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/fhir+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fhirStatus is the HTTP status of a refused FHIR request (the same as the
// rest of the API, SPEC §5).
func fhirStatus(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, node.ErrBadSignature):
		return http.StatusUnprocessableEntity
	case errors.Is(err, node.ErrDeviceRefused), errors.Is(err, node.ErrAccessRefused):
		return http.StatusForbidden
	case errors.Is(err, node.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, node.ErrBadInput):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// failFHIR answers a refused FHIR request with an OperationOutcome naming
// what was wrong (each issue with its FHIRPath expression), or, for a
// client that asks for plain JSON (Accept: application/json, as the
// vaultnode CLI does), with the API's {"error", "code"} body (SPEC §5);
// the status is the same either way.
func (s *server) failFHIR(w http.ResponseWriter, r *http.Request, err error) {
	ecoOf(s).fhirRefused.Inc()
	if a := r.Header.Get("Accept"); strings.Contains(a, "application/json") && !strings.Contains(a, "fhir") {
		s.failErr(w, err)
		return
	}
	st := fhirStatus(err)
	if st == http.StatusInternalServerError {
		s.log.Error("FHIR request failed", "err", err)
	}
	writeFHIR(w, st, node.OperationOutcome(err))
}

// fhirIngest serves POST /fhir/Observation and POST /fhir (a transaction,
// batch or collection Bundle of Observations): the device's signature over
// the body is in X-Vaultnode-Signature. A refused document is answered with
// an OperationOutcome and nothing of it is stored.
func (s *server) fhirIngest(w http.ResponseWriter, r *http.Request) {
	device := r.URL.Query().Get("device")
	if device == "" {
		device = r.Header.Get("X-Vaultnode-Device")
	}
	sig, err := base64.StdEncoding.DecodeString(r.Header.Get("X-Vaultnode-Signature"))
	if err != nil || len(sig) != 64 {
		s.failFHIR(w, r, errors.Join(node.ErrBadSignature, errors.New("X-Vaultnode-Signature must hold the base64 Ed25519 signature of the body")))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	b, err := node.ParseFHIR(body, device)
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
	b.Sig = sig
	rc, err := s.n.Ingest(r.Context(), device, b)
	if err != nil {
		if errors.Is(err, node.ErrBadSignature) || errors.Is(err, node.ErrDeviceRefused) {
			s.refused.Inc()
		}
		s.failFHIR(w, r, err)
		return
	}
	s.ingested.Add(float64(rc.Readings))
	writeJSON(w, http.StatusOK, rc)
}
