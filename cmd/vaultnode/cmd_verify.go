package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var patient string
	cmd := &cobra.Command{
		Use:   "verify CID|--patient P",
		Short: "check stored batches against their on-chain commitments (exit 4 on any mismatch)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (patient != "") {
				return fault.Usagef("give either a CID or --patient")
			}
			var roots []cid.Cid
			if len(args) == 1 {
				c, err := cid.Decode(args[0])
				if err != nil {
					return fault.Usagef("%q is not a CID: %v", args[0], err)
				}
				roots = append(roots, c)
			}
			return g.withService(cmd, false, func(svc service.Service) error {
				res, err := svc.Verify(cmd.Context(), roots, patient)
				if err != nil && !errors.Is(err, fault.Integrity.Sentinel) {
					return err
				}
				if perr := g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
					for _, r := range res {
						status := "ok"
						if !r.OK {
							status = "FAILED: " + r.Problem
						}
						fmt.Fprintf(w, "%s  seq %d  %d readings  %s\n", r.Root, r.Seq, r.Count, status)
					}
				}); perr != nil {
					return perr
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "verify every batch of this patient (decrypts with the custodian's keys)")
	return cmd
}
