package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
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
	if wantsPlainJSON(r) {
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
	if err := fhirContentType(r); err != nil {
		s.failFHIR(w, r, err)
		return
	}
	sig, err := base64.StdEncoding.DecodeString(r.Header.Get("X-Vaultnode-Signature"))
	if err != nil || len(sig) != 64 {
		s.failFHIR(w, r, fmt.Errorf("%w: X-Vaultnode-Signature must hold the base64 Ed25519 signature of the body", node.ErrBadSignature))
		return
	}
	fw, err := node.ParseFirmwareHeader(r.Header.Get(node.FirmwareHeaderName))
	if err != nil {
		s.failFHIR(w, r, err)
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
	res, err := s.svc.IngestFHIRDoc(r.Context(), deviceOf(r), body, sig, fw)
	if err != nil {
		s.m.countRefusal(err)
		s.failFHIR(w, r, err)
		return
	}
	if !res.Receipt.Replayed {
		s.m.ingested.Add(float64(res.Receipt.Readings))
	}
	switch {
	case wantsPlainJSON(r):
		// The vaultnode CLI: its receipt (sequence numbers, roots, replicas).
		writeJSON(w, http.StatusOK, res.Receipt)
	case r.URL.Path == "/fhir/Observation":
		// A create: 201 (200 when a conditional create matched) with the
		// Location, and what happened as an OperationOutcome.
		w.Header().Set("Location", res.Location)
		entry := res.Response["entry"].([]any)[0].(map[string]any)["response"].(map[string]any)
		writeFHIR(w, res.Status, entry["outcome"])
	default:
		writeFHIR(w, http.StatusOK, res.Response)
	}
}

// wantsPlainJSON: the client asks for the API's JSON (Accept:
// application/json without fhir), as the vaultnode CLI does.
func wantsPlainJSON(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/json") && !strings.Contains(a, "fhir")
}

// fhirContentType refuses a body that is not declared as FHIR JSON (415):
// application/fhir+json, or application/json (or none at all).
func fhirContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/fhir+json" || mt == "application/json" || mt == "application/json+fhir") {
		return nil
	}
	return fmt.Errorf("%w: Content-Type %q: send FHIR JSON as application/fhir+json", fault.ErrUnsupportedMediaType, ct)
}

// fhirMetadata serves GET /fhir/metadata: the CapabilityStatement.
func (s *Server) fhirMetadata(w http.ResponseWriter, r *http.Request) {
	writeFHIR(w, http.StatusOK, node.CapabilityStatement())
}

// fhirConsent serves POST /fhir/Consent (operator): the Consent becomes one
// grant per stream (?threshold=M&proxies=N, defaults as for /v1/grants: 2, and
// one spare proxy when the consortium has it); a refused
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
	m, n := 0, 0 // the node's defaults
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
