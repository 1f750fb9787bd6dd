package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

// maxConsent bounds a FHIR Consent document.
const maxConsent = 1 << 20

func newConsentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "consent", Short: "FHIR Consent: import a patient's consent as grants"}
	var m, n int
	imp := &cobra.Command{
		Use:   "import FILE|- [--threshold M --proxies N]",
		Short: "turn a FHIR R4 Consent (permit, period, actor key, stream codes, purpose) into grants; anything a grant cannot enforce is refused",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, closer, err := input(cmd, args)
			if err != nil {
				return err
			}
			defer closer()
			body, err := io.ReadAll(io.LimitReader(r, maxConsent+1))
			if err != nil {
				return err
			}
			if len(body) > maxConsent {
				return fmt.Errorf("%w: a Consent larger than 1 MiB", fault.ErrTooLarge)
			}
			return g.withService(cmd, false, func(svc service.Service) error {
				res, err := svc.ImportConsent(cmd.Context(), body, m, n)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), res, func(w io.Writer) { printConsent(w, res) })
			})
		},
	}
	imp.Flags().IntVar(&m, "threshold", 0, "M: proxies needed to re-encrypt (default 2; 1 only when asked, with a warning)")
	imp.Flags().IntVar(&n, "proxies", 0, "N: proxies holding a kfrag (default M+1 when the consortium has them, else M)")
	cmd.AddCommand(imp)
	return cmd
}

func printConsent(w io.Writer, res *service.ConsentResult) {
	c := res.Consent
	fmt.Fprintf(w, "consent %s: %s may access %s of %s from %s until %s (purposes %s)\n", c.ConsentID, orDash(c.Actor),
		strings.Join(c.Streams, ", "), c.Patient, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339),
		orDash(strings.Join(c.Purposes, ",")))
	for _, gr := range res.Grants {
		fmt.Fprintf(w, "  grant %s  ticket %s\n", gr.ID, gr.Ticket)
	}
}
