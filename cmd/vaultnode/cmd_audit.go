package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newAuditCmd(g *globals) *cobra.Command {
	var patient string
	var fhir bool
	cmd := &cobra.Command{
		Use:   "audit [--patient P] [--fhir]",
		Short: "who accessed what, when, why and the outcome; each entry proven against an on-chain anchor",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withService(cmd, false, func(svc service.Service) error {
				es, err := svc.Audit(cmd.Context(), patient)
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				if fhir {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(service.FHIRAuditBundle(es))
				}
				return g.out(w, es, func(w io.Writer) { printAudit(w, es) })
			})
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "only accesses to this patient's streams")
	cmd.Flags().BoolVar(&fhir, "fhir", false, "export as a FHIR R4 Bundle of AuditEvent")
	return cmd
}

func printAudit(w io.Writer, es []service.AuditEntry) {
	for _, e := range es {
		proof := "not anchored yet"
		if e.Proven {
			proof = fmt.Sprintf("proven (anchor %d)", e.Anchor)
		}
		fmt.Fprintf(w, "#%d %s grant %s grantee %s purpose %s → %s  [%s]\n", e.Index, e.Time.UTC().Format(time.RFC3339), prefix(e.Grant, 12), prefix(e.Grantee, 12), e.Purpose, e.Outcome, proof)
	}
	if len(es) == 0 {
		fmt.Fprintln(w, "no access recorded")
	}
}

// prefix is the first n bytes of s (all of a shorter s).
func prefix(s string, n int) string { return s[:min(n, len(s))] }
