package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newErasureCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "erasure", Short: "erasure certificates"}
	verify := &cobra.Command{
		Use:   "verify FILE",
		Short: "verify an erasure certificate against the chain",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			return g.withService(cmd, true, func(svc service.Service) error {
				chk, err := svc.VerifyErasure(cmd.Context(), b)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), chk, func(w io.Writer) {
					fmt.Fprintf(w, "certificate valid: %d keys destroyed, %d peer acknowledgements, %d pending, deletion record in block %d (tx %s)\n",
						chk.KeysDestroyed, chk.Acks, chk.PendingCount, chk.Block, chk.Tx)
				})
			})
		},
	}
	cmd.AddCommand(verify)
	return cmd
}
