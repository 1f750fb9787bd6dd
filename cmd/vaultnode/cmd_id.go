package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newIDCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "id",
		Short: "this node's identity: peer id, chain account, p2p addresses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				id, err := svc.Identity(cmd.Context())
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), id, func(w io.Writer) {
					fmt.Fprintf(w, "peer id        %s\nchain account  %s\n", id.PeerID, id.Account)
					for _, a := range id.Addrs {
						fmt.Fprintf(w, "p2p            %s\n", a)
					}
					if id.API != "" {
						fmt.Fprintf(w, "API            %s\n", id.API)
					}
				})
			})
		},
	}
}
