package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newErasureCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "erasure", Short: "erasure certificates"}
	var chainRPC, contracts string
	var allowIncomplete bool
	verify := &cobra.Command{
		Use:   "verify FILE [--chain-rpc URL [--contracts FILE]]",
		Short: "verify an erasure certificate against the chain (exit 4 if it does not hold or is incomplete)",
		Long: `Checks the certificate against the chain, trusting nothing its custodian wrote that the chain or a
member's signature can check: the deletion record, the purge order it anchors, a signed acknowledgement
from every member at the erasure block, and every grant on the erased streams revoked.

With --chain-rpc it needs no repo: an auditor runs it against any endpoint of the consortium's chain,
pinning the contract addresses with the consortium's contracts.json (--contracts). Without --chain-rpc it
reads the chain of the local node (its repo or its daemon); a member without a daemon first executes the
purge orders it missed and delivers its acknowledgements, so the custodian's next certificate counts it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return fault.Usagef("certificate file: %v", err)
			}
			var chk *service.ErasureCheck
			if chainRPC != "" {
				chk, err = service.VerifyErasureOnChain(cmd.Context(), chainRPC, contracts, b, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			} else if contracts != "" {
				return fault.Usagef("--contracts goes with --chain-rpc")
			} else {
				// On the network: a member that missed the purge executes it
				// and delivers its acknowledgement as it opens (the custodian
				// then re-issues the certificate).
				err = g.withService(cmd, false, func(svc service.Service) error {
					chk, err = svc.VerifyErasure(cmd.Context(), b)
					return err
				})
			}
			if err != nil {
				return err
			}
			if perr := g.out(cmd.OutOrStdout(), chk, func(w io.Writer) { printErasureCheck(w, chk) }); perr != nil {
				return perr
			}
			if !chk.Valid && !allowIncomplete {
				return fault.Newf(fault.Integrity, "certificate incomplete: %d member(s) have not acknowledged the purge: %s", len(chk.Missing), strings.Join(chk.Missing, ", "))
			}
			return nil
		},
	}
	f := verify.Flags()
	f.StringVar(&chainRPC, "chain-rpc", "", "verify without a repo against these EVM JSON-RPC endpoints of the consortium's chain (comma-separated)")
	f.StringVar(&contracts, "contracts", "", "with --chain-rpc: the consortium's contracts.json, pinning the registries (else those the certificate names are used, and said so)")
	f.BoolVar(&allowIncomplete, "allow-incomplete", false, "exit 0 for a certificate that holds but still lists members that have not acknowledged")
	cmd.AddCommand(verify)
	return cmd
}

func printErasureCheck(w io.Writer, chk *service.ErasureCheck) {
	if chk.Valid {
		fmt.Fprintf(w, "certificate valid: %d keys destroyed, %d of %d members acknowledged the purge, %d recipient grant(s) revoked, deletion record in block %d (tx %s)\n",
			chk.KeysDestroyed, chk.Acks, len(chk.Members), chk.Recipients, chk.Block, chk.Tx)
	} else {
		fmt.Fprintf(w, "certificate INCOMPLETE: it holds, but %d of %d members have not acknowledged the purge: %s\n",
			len(chk.Missing), len(chk.Members), strings.Join(chk.Missing, ", "))
	}
	for _, c := range chk.Checks {
		fmt.Fprintf(w, "  ok  %-18s %s\n", c.Name, c.Detail)
	}
	fmt.Fprintf(w, "registries: %s\n", chk.Registries)
	fmt.Fprintln(w, "what no certificate can prove:")
	for _, s := range chk.CannotProve {
		fmt.Fprintf(w, "  - %s\n", s)
	}
}
