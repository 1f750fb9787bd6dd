package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newPatientCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "patient", Short: "create and list patients"}
	var mrn string
	var streams []string
	create := &cobra.Command{
		Use:   "create [--mrn MRN] [--stream NAME]...",
		Short: "enrol a patient: random pseudonym and root key (optionally mapped from a local MRN)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				p, err := svc.CreatePatient(cmd.Context(), mrn, streams)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), p, func(w io.Writer) { fmt.Fprintln(w, p.Pseudonym) })
			})
		},
	}
	create.Flags().StringVar(&mrn, "mrn", "", "local medical record number (stays on this node)")
	create.Flags().StringArrayVar(&streams, "stream", nil, "create this stream now (streams are also created on first ingest)")
	list := &cobra.Command{
		Use:   "list",
		Short: "list patients (pseudonyms, streams)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				ps, err := svc.Patients(cmd.Context())
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), ps, func(w io.Writer) {
					for _, p := range ps {
						fmt.Fprintf(w, "%s  %-16s %s\n", p.Pseudonym, p.MRN, strings.Join(p.Streams, ","))
					}
				})
			})
		},
	}
	implants := &cobra.Command{
		Use:   "implants MRN",
		Short: "the registered units implanted in a patient (kept on this node, never on chain; erased with the patient)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				is, err := svc.Implants(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), is, func(w io.Writer) {
					if len(is) == 0 {
						fmt.Fprintf(w, "no implant recorded for %s\n", args[0])
					}
					for _, i := range is {
						fmt.Fprintf(w, "%-16s %s  implanted %s", i.Device, i.UDI, i.Implanted.Format(time.RFC3339))
						if i.Explanted != nil {
							fmt.Fprintf(w, ", explanted %s", i.Explanted.Format(time.RFC3339))
						}
						fmt.Fprintln(w)
					}
				})
			})
		},
	}
	cmd.AddCommand(create, list, implants)
	return cmd
}
