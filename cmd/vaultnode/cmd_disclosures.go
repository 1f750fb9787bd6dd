package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newDisclosuresCmd(g *globals) *cobra.Command {
	var patient, requestRef, out string
	cmd := &cobra.Command{
		Use:   "disclosures --patient P|--request-ref REF [-o FILE] | disclosures verify FILE",
		Short: "accounting of disclosures of a patient (HIPAA §164.528): date, recipient, description, purpose, each proven against the chain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (patient == "") == (requestRef == "") {
				return fault.Usagef("give --patient, or --request-ref for a patient erased under that request")
			}
			return g.withService(cmd, false, func(svc service.Service) error {
				rep, err := svc.Disclosures(cmd.Context(), patient, requestRef)
				if err != nil {
					return err
				}
				if out != "" {
					b, _ := json.MarshalIndent(rep, "", "  ")
					if err := os.WriteFile(out, append(b, '\n'), 0o600); err != nil {
						return err
					}
				}
				return g.out(cmd.OutOrStdout(), rep, func(w io.Writer) { printDisclosures(w, rep, out) })
			})
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "the patient (MRN or pseudonym)")
	cmd.Flags().StringVar(&requestRef, "request-ref", "", "an erased patient, by the request reference of its erasure (the accounting outlives the erasure)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "also write the report, with its proofs, to FILE")
	verify := &cobra.Command{
		Use:         "verify FILE",
		Short:       "check every disclosure of a report against the on-chain audit anchors (exit 4 on any mismatch)",
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			checks, err := service.VerifyDisclosures(cmd.Context(), dir, b, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			if err != nil && !errors.Is(err, fault.Integrity.Sentinel) {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if perr := g.out(cmd.OutOrStdout(), checks, func(w io.Writer) {
				for _, c := range checks {
					status := "proven against the chain"
					if !c.Proven {
						status = "NOT PROVEN: " + c.Problem
					}
					fmt.Fprintf(w, "disclosure %d: %s\n", c.Index, status)
				}
			}); perr != nil {
				return perr
			}
			return err
		},
	}
	cmd.AddCommand(verify)
	return cmd
}

func printDisclosures(w io.Writer, rep *service.DisclosureReport, out string) {
	if rep.Erasure != "" {
		fmt.Fprintf(w, "Accounting of disclosures, erased patient (erasure %s), %d disclosure(s)\n", rep.Erasure, len(rep.Disclosures))
	} else {
		fmt.Fprintf(w, "Accounting of disclosures, patient %s (%s), %d disclosure(s)\n", rep.Patient, orDash(rep.MRN), len(rep.Disclosures))
	}
	for _, d := range rep.Disclosures {
		proof := "not anchored yet"
		if d.Proof != nil {
			proof = fmt.Sprintf("log entry %d, anchor %d", d.Proof.Index, d.Proof.Anchor)
		}
		who := d.Recipient
		if len(who) > 16 {
			who = who[:16] + "…"
		}
		if d.RecipientName != "" {
			who = d.RecipientName + " (" + who + ")"
		}
		fmt.Fprintf(w, "%s  to %s  purpose %s  %s  [%s]\n", d.Date.UTC().Format(time.RFC3339), who, d.Purpose, d.Description, proof)
	}
	for _, u := range rep.Unreachable {
		fmt.Fprintf(w, "warning: member %s could not be asked; disclosures its proxy served are missing\n", u)
	}
	if out != "" {
		fmt.Fprintf(w, "written to %s (check it with: vaultnode disclosures verify %s)\n", out, out)
	}
}
