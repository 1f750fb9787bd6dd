package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newRestoreCmd(g *globals) *cobra.Command {
	var keyFile string
	var keysOnly bool
	cmd := &cobra.Command{
		Use:         "restore FILE [--keys-only] [--backup-key-file K]",
		Short:       "restore a backup into --repo (a new directory), or only its keystore (--keys-only); patients erased on-chain are never restored",
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			res, err := service.Restore(cmd.Context(), dir, args[0], keyFile, keysOnly, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "restored %s (peer %s): %d patients, %d streams, %d devices, %d repo files; %d patient(s) erased on-chain left out\n",
					res.Dir, res.PeerID, res.Keystore.Patients, res.Keystore.Streams, res.Keystore.Devices, res.Files, res.ErasedSkipped)
			})
		},
	}
	cmd.Flags().StringVar(&keyFile, "backup-key-file", "", "the backup's key file (else $"+service.BackupPassphraseEnv+")")
	cmd.Flags().BoolVar(&keysOnly, "keys-only", false, "import only the keystore into the existing repo (recovery of a lost keystore)")
	return cmd
}
