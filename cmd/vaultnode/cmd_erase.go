package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/progress"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newEraseCmd(g *globals) *cobra.Command {
	var patient, ref, reason, certPath string
	cmd := &cobra.Command{
		Use:   "erase --patient P --request-ref REF [--reason TEXT] --certificate FILE",
		Short: "erase a patient everywhere and write the signed erasure certificate",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if patient == "" || ref == "" || certPath == "" {
				return fault.Usagef("--patient, --request-ref and --certificate are required")
			}
			p := progress.New(cmd.ErrOrStderr(), "erase", "")
			p.SetPhase("destroying keys, purging every peer, recording on-chain")
			var e *service.Erasure
			err := g.withService(cmd, false, func(svc service.Service) error {
				var err error
				e, err = svc.Erase(cmd.Context(), patient, ref, reason)
				return err
			})
			p.Done()
			if err != nil {
				return err
			}
			if len(e.Pending) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d peers have not acknowledged yet; the daemon retries and re-issues the certificate\n", len(e.Pending))
			}
			if err := os.WriteFile(certPath, e.Certificate, 0o600); err != nil {
				return fmt.Errorf("write certificate: %w", err)
			}
			return g.out(cmd.OutOrStdout(), json.RawMessage(e.Certificate), func(w io.Writer) {
				fmt.Fprintf(w, "patient erased; certificate written to %s\n", certPath)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&patient, "patient", "", "patient pseudonym or local MRN")
	f.StringVar(&ref, "request-ref", "", "the DPO's reference of the erasure request")
	f.StringVar(&reason, "reason", "", "free text")
	f.StringVar(&certPath, "certificate", "", "where to write the certificate")
	return cmd
}
