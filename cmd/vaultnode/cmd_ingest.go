package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/progress"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newIngestCmd(g *globals) *cobra.Command {
	var device, sig, firmware, image string
	cmd := &cobra.Command{
		Use:   "ingest --device ID [--sig SIG [--firmware VERSION --image-sha256 HEX]] [FILE|-]",
		Short: "ingest a signed device batch (JSON lines + signature line) or a signed FHIR Observation/Bundle",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if device == "" {
				return fault.Usagef("--device ID is required")
			}
			fw, err := service.ParseFirmware(firmware, image)
			if err != nil {
				return err
			}
			r, closer, err := input(cmd, args)
			if err != nil {
				return err
			}
			defer closer()
			p := progress.New(cmd.ErrOrStderr(), "ingest", "bytes")
			defer p.Done()
			if len(args) == 1 && args[0] != "-" {
				if st, err := os.Stat(args[0]); err == nil && st.Mode().IsRegular() {
					p.Set(0, st.Size())
				}
			}
			br := bufio.NewReaderSize(p.Reader(r), 64<<10)
			fhir := isFHIR(br)
			if fhir && sig == "" {
				return fault.Usagef("a FHIR document needs --sig: the device's base64 signature (vaultnode device sign --fhir)")
			}
			var rc *service.Receipt
			err = g.withService(cmd, false, func(svc service.Service) error {
				p.SetPhase("verifying, sealing, storing, replicating")
				var err error
				rc, err = ingest(cmd, svc, device, br, fhir, sig, fw)
				if err == nil {
					p.SetPhase("committing to the chain")
				}
				return err
			})
			p.Done()
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), rc, func(w io.Writer) { printReceipt(w, rc) })
		},
	}
	cmd.Flags().StringVar(&device, "device", "", "the device that signed the batch")
	cmd.Flags().StringVar(&sig, "sig", "", "FHIR input: the device's base64 Ed25519 signature over the document (docs/API.md)")
	cmd.Flags().StringVar(&firmware, "firmware", "", "FHIR input: the firmware version the device declared and signed with the document (device sign --fhir --firmware)")
	cmd.Flags().StringVar(&image, "image-sha256", "", "with --firmware: the SHA-256 of the firmware image (hex)")
	return cmd
}

func printReceipt(w io.Writer, rc *service.Receipt) {
	fmt.Fprintf(w, "%d readings from %s acknowledged in %d batch(es)\n", rc.Readings, rc.Device, len(rc.Batches))
	for _, b := range rc.Batches {
		fmt.Fprintf(w, "  %s seq %d  %d readings  root %s\n", b.Stream, b.Seq, b.Count, b.Root)
	}
}
