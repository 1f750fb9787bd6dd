package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newRecallCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "recall", Short: "firmware recalls"}
	var model, firmware string
	impact := &cobra.Command{
		Use:   "impact --model DI --firmware VERSION",
		Short: "this hospital's devices and batches produced under one firmware of one model (counts and time ranges, no patient)",
		Long: `Lists, per device of this node, the batches it produced under the firmware (as the devices declared it in
their signed batches), with counts and time ranges, and the release's status in the lifecycle registry now.
Each hospital runs it on its own node. See docs/DEVICES.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || firmware == "" {
				return fault.Usagef("give --model (the GTIN-14, UDI-DI) and --firmware VERSION")
			}
			return g.withService(cmd, false, func(svc service.Service) error {
				ri, err := svc.RecallImpact(cmd.Context(), model, firmware)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), ri, func(w io.Writer) { printRecallImpact(w, ri) })
			})
		},
	}
	impact.Flags().StringVar(&model, "model", "", "the model's GTIN-14 (UDI-DI)")
	impact.Flags().StringVar(&firmware, "firmware", "", "the firmware version")
	cmd.AddCommand(impact)
	return cmd
}

func printRecallImpact(w io.Writer, ri *service.RecallImpact) {
	fmt.Fprintf(w, "model %s firmware %s (release %s in the registry), hospital %s: %d device(s), %d batch(es), %d reading(s)\n",
		ri.Model, ri.Firmware, ri.Release, ri.Node, len(ri.Devices), ri.Batches, ri.Readings)
	for _, d := range ri.Devices {
		fmt.Fprintf(w, "  %-16s %s  %d batch(es), %d reading(s), %s … %s  (%v)\n", d.Device, d.UDI, d.Batches, d.Readings,
			d.First.UTC().Format(time.RFC3339), d.Last.UTC().Format(time.RFC3339), d.Streams)
	}
}
