package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newKeysCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "the node's keystore: master-key rotation"}
	var newKeyFile string
	rotate := &cobra.Command{
		Use:         "rotate [--new-key-file FILE]",
		Short:       "re-protect the keystore under a new master key: a new key file (created if missing) or $" + service.NewPassphraseEnv,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, _ []string) error {
			abs, err := service.RotateMasterKey(cmd.Context(), dir, newKeyFile, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), map[string]any{"rotated": true, "keyFile": abs}, func(w io.Writer) {
				if abs != "" {
					fmt.Fprintf(w, "keystore master key rotated: it now opens with the key file %s (the old credential no longer does)\n", abs)
				} else {
					fmt.Fprintf(w, "keystore master key rotated: it now opens with the new passphrase; set $VAULTNODE_PASSPHRASE to it (the old one no longer works)\n")
				}
			})
		}),
	}
	rotate.Flags().StringVar(&newKeyFile, "new-key-file", "", "protect the keystore with this key file from now on (created if missing)")
	cmd.AddCommand(rotate)
	return cmd
}
