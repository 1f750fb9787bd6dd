package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newDeviceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "device", Short: "enrol, revoke and list devices; sign batches as a device"}
	cmd.AddCommand(newDeviceEnrollCmd(g), newDeviceRevokeCmd(g), newDeviceListCmd(g), newDeviceSignCmd(g), newDeviceHistoryCmd(g),
		newDeviceReleaseCmd(g), newDeviceCustodyCmd(g))
	return cmd
}

func newDeviceEnrollCmd(g *globals) *cobra.Command {
	var out, udi, pubHex string
	cmd := &cobra.Command{
		Use:   "enroll ID (--out FILE | --udi UDI --public-key HEX)",
		Short: "enrol a device: new Ed25519 key (written to FILE for the device), or a unit its manufacturer registered",
		Long: `With --out: a new Ed25519 key pair, the private key written to FILE for the device, the device registered
on-chain. With --udi and --public-key: a unit its manufacturer registered on chain (docs/DEVICES.md), enrolled
only if the UDI is registered and the key is the one the manufacturer registered for it (a counterfeit is
refused, exit 3); the device keeps its own private key.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if udi != "" || pubHex != "" {
				if out != "" || udi == "" || pubHex == "" {
					return fault.Usagef("a registered unit takes --udi UDI and --public-key HEX (and no --out: the device keeps its key)")
				}
				pub, err := hex.DecodeString(pubHex)
				if err != nil || len(pub) != ed25519.PublicKeySize {
					return fault.Usagef("--public-key: want the device's Ed25519 public key, 64 hex digits")
				}
				return g.withService(cmd, true, func(svc service.Service) error {
					dev, err := svc.EnrollUnit(cmd.Context(), args[0], udi, pub)
					if err != nil {
						return err
					}
					return g.out(cmd.OutOrStdout(), dev, func(w io.Writer) {
						fmt.Fprintf(w, "device %s enrolled as unit %s (key id %s), registered by its manufacturer\n", dev.ID, dev.UDI, dev.KeyID)
					})
				})
			}
			if out == "" {
				return fault.Usagef("--out FILE is required: the device's private key is written there, once")
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s exists; refusing to overwrite a key file", out)
			}
			return g.withService(cmd, true, func(svc service.Service) error {
				dev, err := enrollDevice(cmd.Context(), svc, args[0], out)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), dev, func(w io.Writer) {
					fmt.Fprintf(w, "device %s enrolled (key id %s); private key written to %s\n", dev.ID, dev.KeyID, out)
				})
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file for the device's private key (mode 0600)")
	cmd.Flags().StringVar(&udi, "udi", "", "the unit's UDI, GS1 element string: (01)GTIN(17)YYMMDD(10)LOT(21)SERIAL")
	cmd.Flags().StringVar(&pubHex, "public-key", "", "with --udi: the unit's Ed25519 public key (hex), as its manufacturer registered it")
	return cmd
}

func newDeviceRevokeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "revoke a device locally and on-chain; its batches are refused from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				dev, err := svc.RevokeDevice(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), dev, func(w io.Writer) { fmt.Fprintf(w, "device %s revoked\n", dev.ID) })
			})
		},
	}
}

func newDeviceListCmd(g *globals) *cobra.Command {
	var fhir bool
	cmd := &cobra.Command{
		Use:   "list [--fhir]",
		Short: "list enrolled devices (--fhir: a FHIR R4 Bundle of Device resources, with UDI, manufacturer and firmware)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				if fhir {
					b, err := svc.FHIRDevices(cmd.Context())
					if err != nil {
						return err
					}
					enc := json.NewEncoder(cmd.OutOrStdout())
					enc.SetIndent("", "  ")
					return enc.Encode(b)
				}
				ds, err := svc.Devices(cmd.Context())
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), ds, func(w io.Writer) {
					for _, d := range ds {
						fmt.Fprintf(w, "%-24s %-8s enrolled %s\n", d.ID, d.Status, d.Enrolled.UTC().Format(time.RFC3339))
					}
				})
			})
		},
	}
	cmd.Flags().BoolVar(&fhir, "fhir", false, "print a FHIR R4 Bundle (collection) of Device resources")
	return cmd
}

func newDeviceSignCmd(g *globals) *cobra.Command {
	var keyPath, firmware, image string
	var fhir bool
	cmd := &cobra.Command{
		Use:         "sign --key FILE [--fhir | --firmware VERSION --image-sha256 HEX] [IN|-]",
		Short:       "integrator tool: sign JSON-lines readings with a device key (appends the signature line)",
		Args:        cobra.MaximumNArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if keyPath == "" {
				return fault.Usagef("--key FILE is required")
			}
			r, closer, err := input(cmd, args)
			if err != nil {
				return err
			}
			defer closer()
			raw, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			fw, err := service.ParseFirmware(firmware, image)
			if err != nil {
				return err
			}
			return signBatch(cmd.OutOrStdout(), g, keyPath, raw, fhir, fw)
		},
	}
	cmd.Flags().StringVar(&keyPath, "key", "", "device key file written by 'device enroll --out'")
	cmd.Flags().BoolVar(&fhir, "fhir", false, "the input is a FHIR Observation or Bundle: print its base64 signature (for ingest --sig)")
	cmd.Flags().StringVar(&firmware, "firmware", "", "declare the firmware version that produced the readings (signed with them; checked against the lifecycle registry at ingest)")
	cmd.Flags().StringVar(&image, "image-sha256", "", "with --firmware: the SHA-256 of the firmware image (hex)")
	return cmd
}

func newDeviceHistoryCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "history ID",
		Short: "an enrolled unit's life from the lifecycle registry: registration, custody, firmware updates (exit 4 if the custody chain does not hold)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, false, func(svc service.Service) error {
				h, err := svc.DeviceHistory(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if err := g.out(cmd.OutOrStdout(), h, func(w io.Writer) { printDeviceHistory(w, h) }); err != nil {
					return err
				}
				if len(h.Problems) > 0 {
					return fault.Newf(fault.Integrity, "custody of %s does not hold: %s", h.UDI, strings.Join(h.Problems, "; "))
				}
				return nil
			})
		},
	}
}

func printDeviceHistory(w io.Writer, h *service.DeviceHistory) {
	if h.UDI == "" {
		fmt.Fprintf(w, "device %s, enrolled here %s with a key this node made: no UDI, so the lifecycle registry holds nothing about it\n",
			h.Device, h.Enrolled.UTC().Format(time.RFC3339))
		return
	}
	fmt.Fprintf(w, "device %s, UDI %s (unit %s), enrolled here %s\n", h.Device, h.UDI, h.Unit[:16], h.Enrolled.UTC().Format(time.RFC3339))
	for _, e := range h.Events {
		switch e.Kind {
		case "registered":
			fmt.Fprintf(w, "  block %-6d registered by its manufacturer\n", e.Block)
		case "custody":
			fmt.Fprintf(w, "  block %-6d %-12s by %s\n", e.Block, e.Step, e.By)
		case "update":
			fmt.Fprintf(w, "  block %-6d firmware %s → %s (attested by the device, recorded by %s)\n", e.Block,
				imageLabel(e.FromVersion, e.From), imageLabel(e.ToVersion, e.To), e.By)
		}
	}
	for _, f := range h.Firmware {
		fmt.Fprintf(w, "  ran firmware %s (%s now): %d batch(es), %d reading(s) here, %s … %s\n", f.Version, f.Release, f.Batches, f.Readings,
			f.First.UTC().Format(time.RFC3339), f.Last.UTC().Format(time.RFC3339))
	}
	for _, p := range h.Problems {
		fmt.Fprintf(w, "  PROBLEM: %s\n", p)
	}
}

func newDeviceReleaseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "release ID",
		Short: "release a device from quarantine (it attested an update to firmware that is not an approved release)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				released, err := svc.ReleaseQuarantine(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				out := map[string]any{"device": args[0], "released": released}
				return g.out(cmd.OutOrStdout(), out, func(w io.Writer) {
					if released {
						fmt.Fprintf(w, "device %s released from quarantine: its readings are no longer flagged quarantined\n", args[0])
					} else {
						fmt.Fprintf(w, "device %s was not in quarantine\n", args[0])
					}
				})
			})
		},
	}
}

func newDeviceCustodyCmd(g *globals) *cobra.Command {
	var patient string
	cmd := &cobra.Command{
		Use:   "custody ID received|implanted|explanted [--patient MRN]",
		Short: "record this hospital's next custody step of an enrolled unit (implanted and explanted name the local patient, kept off chain)",
		Long: `The chain records the step, by this hospital's account, chained to the previous one; the manufacturer
records manufactured, sterilised and shipped before it ('vaultnode manufacturer custody'). A step out of order
is refused (exit 1, conflict). implanted and explanted take --patient: the unit-to-patient link stays in this
node and is destroyed by the patient's erasure. 'vaultnode device history ID' shows the whole chain.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				r, err := svc.RecordCustody(cmd.Context(), args[0], args[1], patient)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), r, func(w io.Writer) { fmt.Fprintf(w, "device %s: %s (block %d)\n", r.Device, r.Step, r.Block) })
			})
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "with implanted and explanted: the local patient (MRN or pseudonym)")
	return cmd
}

// imageLabel names a firmware image by its release version, or by its hash when no release has it.
func imageLabel(version, image string) string {
	if version != "" {
		return version
	}
	return "unreleased image " + image[:12] + "…"
}
