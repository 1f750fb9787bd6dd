package main

import (
	"fmt"
	"io"
	"strings"

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
	cmd.AddCommand(create, list)
	return cmd
}
