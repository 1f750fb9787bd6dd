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
	var patient, ref, reason, certPath, ground string
	var refuse bool
	cmd := &cobra.Command{
		Use:   "erase --patient P --request-ref REF [--reason TEXT] --certificate FILE | erase --refuse --ground G ...",
		Short: "erase a patient everywhere and write the signed erasure certificate, or refuse the request on a GDPR Art. 17(3) ground",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if patient == "" || ref == "" || certPath == "" {
				return fault.Usagef("--patient, --request-ref and --certificate are required")
			}
			if refuse {
				if ground == "" {
					return fault.Usagef("--refuse needs --ground: legal-obligation, public-health, archiving-research or legal-claims")
				}
				return refuseErasure(cmd, g, patient, ref, ground, reason, certPath)
			}
			if ground != "" {
				return fault.Usagef("--ground goes with --refuse")
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
	f.StringVar(&certPath, "certificate", "", "where to write the certificate (with --refuse: the signed refusal)")
	f.BoolVar(&refuse, "refuse", false, "refuse the request instead of erasing: recorded on-chain with --ground, nothing destroyed")
	f.StringVar(&ground, "ground", "", "with --refuse, the GDPR Art. 17(3) ground: legal-obligation, public-health, archiving-research, legal-claims")
	return cmd
}

// refuseErasure refuses the request and writes the signed refusal document.
func refuseErasure(cmd *cobra.Command, g *globals, patient, ref, ground, reason, path string) error {
	var doc []byte
	err := g.withService(cmd, false, func(svc service.Service) error {
		var err error
		doc, err = svc.RefuseErasure(cmd.Context(), patient, ref, ground, reason)
		return err
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		return fmt.Errorf("write refusal: %w", err)
	}
	return g.out(cmd.OutOrStdout(), json.RawMessage(doc), func(w io.Writer) {
		fmt.Fprintf(w, "erasure refused on the ground %s, recorded on-chain; signed refusal written to %s\n", ground, path)
	})
}
