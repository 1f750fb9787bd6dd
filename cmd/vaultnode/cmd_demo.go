package main

import (
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/demo"
	"github.com/vaultnode/vaultnode/internal/fault"
)

func newDemoCmd(g *globals) *cobra.Command {
	var readings int
	var keep bool
	cmd := &cobra.Command{
		Use:         "demo",
		Short:       "3 in-process peers on an embedded chain; the whole story, narrated",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if readings < 1 || readings > 2_000_000 {
				return fault.Usagef("--readings must be between 1 and 2,000,000")
			}
			w := cmd.OutOrStdout()
			if g.json {
				w = io.Discard
			}
			self, err := os.Executable()
			if err != nil {
				self = "" // the auditor's check then runs in this process
			}
			sum, err := demo.Run(cmd.Context(), w, g.logger(cmd.ErrOrStderr(), slog.LevelError), readings, keep, cmd.ErrOrStderr(), self)
			if g.json {
				if perr := g.out(cmd.OutOrStdout(), sum, nil); perr != nil {
					return perr
				}
			}
			return err
		},
	}
	cmd.Flags().IntVar(&readings, "readings", 100_000, "synthetic glucose readings to ingest")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the temporary directory")
	return cmd
}
