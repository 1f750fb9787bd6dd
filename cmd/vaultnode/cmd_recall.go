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
	var consortium bool
	impact := &cobra.Command{
		Use:   "impact --model DI --firmware VERSION [--consortium]",
		Short: "the devices and batches produced under one firmware of one model (counts and time ranges, no patient): this hospital's, or every member's",
		Long: `Lists, per device of this node, the batches it produced under the firmware (as the devices declared it in
their signed batches), with counts and time ranges, and the release's status in the lifecycle registry now.
With --consortium, every other member is asked over the network for its own report, shown per hospital (their
devices by UDI: local device names stay with each hospital); members that did not answer are listed, since
their share is unknown. See docs/DEVICES.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || firmware == "" {
				return fault.Usagef("give --model (the GTIN-14, UDI-DI) and --firmware VERSION")
			}
			if consortium {
				return g.withService(cmd, false, func(svc service.Service) error {
					ci, err := svc.ConsortiumRecallImpact(cmd.Context(), model, firmware)
					if err != nil {
						return err
					}
					return g.out(cmd.OutOrStdout(), ci, func(w io.Writer) { printConsortiumRecallImpact(w, ci) })
				})
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
	impact.Flags().BoolVar(&consortium, "consortium", false, "ask every member for its share (through the daemon)")
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

func printConsortiumRecallImpact(w io.Writer, ci *service.ConsortiumRecallImpact) {
	fmt.Fprintf(w, "model %s firmware %s (release %s in the registry), consortium: %d hospital(s) reported, %d batch(es), %d reading(s)\n",
		ci.Model, ci.Firmware, ci.Release, len(ci.Hospitals), ci.Batches, ci.Readings)
	for _, h := range ci.Hospitals {
		fmt.Fprintf(w, "hospital %s: %d device(s), %d batch(es), %d reading(s)\n", h.Node, len(h.Devices), h.Batches, h.Readings)
		for _, d := range h.Devices {
			name := d.Device
			if name == "" {
				name = "(their device)"
			}
			fmt.Fprintf(w, "  %-16s %s  %d batch(es), %d reading(s), %s … %s  (%v)\n", name, d.UDI, d.Batches, d.Readings,
				d.First.UTC().Format(time.RFC3339), d.Last.UTC().Format(time.RFC3339), d.Streams)
		}
	}
	for _, u := range ci.Unreachable {
		fmt.Fprintf(w, "NO REPORT from %s: its share is unknown\n", u)
	}
}
