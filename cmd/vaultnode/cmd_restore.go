package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newRestoreCmd(g *globals) *cobra.Command {
	var keyFile string
	var keysOnly, skipErasureSync bool
	cmd := &cobra.Command{
		Use:   "restore FILE [--keys-only] [--backup-key-file K]",
		Short: "restore a backup into --repo (a new directory), or only its keystore (--keys-only); patients erased since the backup are never restored",
		Long: `Restores a backup. Before any patient's keys come back, the restore learns every erasure made since the
backup: from the chain when it is one the backup did not roll back (JSON-RPC, or --keys-only into the live
repo), else from the other members' signed purge orders (executed here too). When neither can be asked the
restore stops; --skip-erasure-sync overrides that (logged), for a consortium of one.`,
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, args []string) error {
			res, err := service.Restore(cmd.Context(), dir, args[0], keyFile, keysOnly, skipErasureSync, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "restored %s (peer %s): %d patients, %d streams, %d devices, %d repo files; %d patient(s) erased since left out\n",
					res.Dir, res.PeerID, res.Keystore.Patients, res.Keystore.Streams, res.Keystore.Devices, res.Files, res.ErasedSkipped)
				if len(res.ErasureSources) == 0 {
					fmt.Fprintln(w, "WARNING: erasures made since the backup were not checked (--skip-erasure-sync)")
				} else {
					fmt.Fprintf(w, "erasures since the backup learnt from: %s\n", strings.Join(res.ErasureSources, ", "))
				}
			})
		}),
	}
	cmd.Flags().StringVar(&keyFile, "backup-key-file", "", "the backup's key file (else $"+service.BackupPassphraseEnv+")")
	cmd.Flags().BoolVar(&keysOnly, "keys-only", false, "import only the keystore into the existing repo (recovery of a lost keystore)")
	cmd.Flags().BoolVar(&skipErasureSync, "skip-erasure-sync", false, "restore even if no member can say which patients were erased since the backup (logged; such a patient comes back)")
	return cmd
}
