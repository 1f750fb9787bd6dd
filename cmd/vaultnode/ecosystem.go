package main

import (
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
)

// addEcosystemCommands registers the healthcare and operator commands:
// FHIR Consent import, the accounting of disclosures, backup/restore and
// master-key rotation.
func addEcosystemCommands(root *cobra.Command, g *globals) {
	root.AddCommand(newConsentCmd(g), newDisclosuresCmd(g), newBackupCmd(g), newRestoreCmd(g), newKeysCmd(g))
}

// ecoServer is the state of the ecosystem endpoints of one server.
type ecoServer struct {
	fhirRefused prometheus.Counter
}

var (
	ecoMu      sync.Mutex
	ecoServers = map[*server]*ecoServer{}
)

// ecoOf returns the ecosystem state of s (created on first use, so that a
// server built without ecosystemRoutes still works).
func ecoOf(s *server) *ecoServer {
	ecoMu.Lock()
	defer ecoMu.Unlock()
	e := ecoServers[s]
	if e == nil {
		e = &ecoServer{fhirRefused: prometheus.NewCounter(prometheus.CounterOpts{Name: "vaultnode_fhir_refused_total",
			Help: "FHIR submissions refused (invalid resource, signature, device), answered with an OperationOutcome."})}
		ecoServers[s] = e
	}
	return e
}

// ecosystemRoutes registers the healthcare and operator HTTP endpoints on
// mux and their metrics on reg.
func (s *server) ecosystemRoutes(mux *http.ServeMux, reg *prometheus.Registry) {
	e := ecoOf(s)
	op := s.auth("operator")
	opdpo := s.auth("operator", "dpo")
	mux.HandleFunc("POST /fhir/Consent", op(s.fhirConsent))
	mux.HandleFunc("GET /v1/audit/disclosures", opdpo(s.disclosures))
	mux.HandleFunc("GET /readyz", s.ready)
	reg.MustRegister(e.fhirRefused, &opsCollector{n: s.n})
}
