package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newMemberCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "member", Short: "consortium membership (admins)"}
	var account, peerID, proxyKey string
	add := &cobra.Command{
		Use:   "add --account ADDR --peer-id ID --proxy-key HEX",
		Short: "admit a new member: fund its chain account and record it on-chain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if account == "" || peerID == "" || proxyKey == "" {
				return fault.Usagef("--account, --peer-id and --proxy-key are required (printed by the new member's `vaultnode init`)")
			}
			return g.withService(cmd, true, func(svc service.Service) error {
				m, err := svc.AddMember(cmd.Context(), account, peerID, proxyKey)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), m, func(w io.Writer) { fmt.Fprintf(w, "member %s (%s) added\n", m.Account, m.PeerID) })
			})
		},
	}
	add.Flags().StringVar(&account, "account", "", "the member's chain account")
	add.Flags().StringVar(&peerID, "peer-id", "", "the member's libp2p peer id")
	add.Flags().StringVar(&proxyKey, "proxy-key", "", "the member's proxy public key (hex)")
	list := &cobra.Command{
		Use:   "list",
		Short: "list consortium members",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				ms, err := svc.Members(cmd.Context())
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), ms, func(w io.Writer) {
					for _, m := range ms {
						fmt.Fprintf(w, "%s  active=%v  %s\n", m.Account, m.Active, m.PeerID)
					}
				})
			})
		},
	}
	cmd.AddCommand(add, list)
	return cmd
}
