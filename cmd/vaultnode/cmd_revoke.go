package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newRevokeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke GRANT_ID",
		Short: "revoke a grant on-chain (a unique prefix of the id will do); proxies refuse from the next block and drop its kfrags",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, false, func(svc service.Service) error {
				rv, err := svc.Revoke(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), rv, func(w io.Writer) {
					if rv.Pending {
						fmt.Fprintf(w, "grant %s: revocation pending: the chain is unreachable; it is journaled and sent when the chain answers (proxies refuse the grant meanwhile)\n", rv.Grant)
						return
					}
					fmt.Fprintf(w, "grant %s revoked in block %d\n", rv.Grant, rv.Block)
				})
			})
		},
	}
}
