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
	var keep, noServe bool
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
			// On a terminal the demo ends by serving the web console until
			// Ctrl-C; piped, in CI or with --json it ends with the story.
			serve := !noServe && !g.json && isTerminal(cmd.OutOrStdout())
			sum, err := demo.RunAndServe(cmd.Context(), w, g.logger(cmd.ErrOrStderr(), slog.LevelError), readings, keep, cmd.ErrOrStderr(), self, serve)
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
	cmd.Flags().BoolVar(&noServe, "no-serve", false, "end with the story; do not serve the web console afterwards (it is served only on a terminal anyway)")
	return cmd
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
