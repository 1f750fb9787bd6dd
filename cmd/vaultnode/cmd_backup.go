package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newBackupCmd(g *globals) *cobra.Command {
	var out, keyFile string
	cmd := &cobra.Command{
		Use:         "backup --out FILE [--backup-key-file K]",
		Short:       "write an encrypted backup of the repo (keystore without erased patients, config, tokens, logs, chain journal, ciphertext blocks)",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fault.Usagef("--out FILE is required")
			}
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			res, err := service.Backup(cmd.Context(), dir, out, keyFile, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "backup %s: %d patients, %d streams, %d devices, %d destruction records, %d repo files, %d bytes\n",
					out, res.Keystore.Patients, res.Keystore.Streams, res.Keystore.Devices, res.Keystore.Destroyed, res.Files, res.Bytes)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "backup file to write")
	cmd.Flags().StringVar(&keyFile, "backup-key-file", "", "protect the backup with this key file (else $"+service.BackupPassphraseEnv+")")
	return cmd
}
