package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/manufacturer"
	"github.com/vaultnode/vaultnode/internal/service"
)

// manufacturerFlags are the flags every manufacturer command shares.
type manufacturerFlags struct {
	dir, passFile string
}

func (f *manufacturerFlags) resolveDir() (string, error) {
	if f.dir != "" {
		return f.dir, nil
	}
	if v := os.Getenv(service.ManufacturerDirEnv); v != "" {
		return v, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fault.Usagef("no --dir, no $%s and no home directory", service.ManufacturerDirEnv)
	}
	return filepath.Join(home, ".vaultnode-manufacturer"), nil
}

// with runs f with the opened manufacturer.
func (f *manufacturerFlags) with(ctx context.Context, run func(*manufacturer.Manufacturer) error) error {
	dir, err := f.resolveDir()
	if err != nil {
		return err
	}
	m, err := service.OpenManufacturer(ctx, dir, f.passFile)
	if err != nil {
		return err
	}
	defer m.Close()
	return run(m)
}

func newManufacturerCmd(g *globals) *cobra.Command {
	f := &manufacturerFlags{}
	cmd := &cobra.Command{Use: "manufacturer", Short: "a device manufacturer's side of the lifecycle registry: models, units, firmware releases, recalls, custody"}
	cmd.PersistentFlags().StringVar(&f.dir, "dir", "", "the manufacturer's directory (default $"+service.ManufacturerDirEnv+", else ~/.vaultnode-manufacturer)")
	cmd.PersistentFlags().StringVar(&f.passFile, "passphrase-file", "", "read the manufacturer key's passphrase from FILE (default $VAULTNODE_KEY_PASSPHRASE)")
	cmd.AddCommand(newManufacturerInitCmd(g, f), newManufacturerAdmitCmd(g), newManufacturerShowCmd(g, f), newManufacturerModelCmd(g, f),
		newManufacturerUnitCmd(g, f), newManufacturerReleaseCmd(g, f), newManufacturerReleaseStatusCmd(g, f), newManufacturerCustodyCmd(g, f))
	return cmd
}

func newManufacturerInitCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	var r service.ManufacturerInit
	cmd := &cobra.Command{
		Use:   "init --name NAME --chain-rpc URL --contracts FILE",
		Short: "create a manufacturer: a chain account and a release-signing key, sealed in DIR/manufacturer.key; prints the admin's admit command",
		Long: `init creates a manufacturer's identity in --dir: a chain account and the Ed25519 key that signs its firmware
releases, sealed together in manufacturer.key (mode 0600) under a passphrase stretched with Argon2id, read from
$VAULTNODE_KEY_PASSPHRASE or --passphrase-file. --contracts is the consortium's contracts.json (any member's
REPO/chain/contracts.json) and --chain-rpc a JSON-RPC endpoint of its chain. It contacts nothing: a consortium
admin then admits the account with the command it prints. See docs/DEVICES.md.`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := f.resolveDir()
			if err != nil {
				return err
			}
			r.Dir, r.PassphraseFile = dir, f.passFile
			id, err := service.InitManufacturer(r)
			if err != nil {
				return err
			}
			out := map[string]any{"dir": id.Dir, "name": id.Name, "account": id.Account, "signingKey": id.SigningKey, "chainRpc": id.ChainRPC,
				"admitCommand": id.AdmitCommand()}
			return g.out(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "manufacturer %q created in %s\naccount      %s\nsigning key  %s\nA consortium admin admits it with:\n  %s\n",
					id.Name, id.Dir, id.Account, id.SigningKey, id.AdmitCommand())
			})
		},
	}
	cmd.Flags().StringVar(&r.Name, "name", "", "the manufacturer's name, as FHIR Device.manufacturer will show it")
	cmd.Flags().StringVar(&r.ChainRPC, "chain-rpc", "", "the consortium chain's JSON-RPC endpoints (comma-separated)")
	cmd.Flags().StringVar(&r.ContractsFile, "contracts", "", "the consortium's contracts.json")
	return cmd
}

func newManufacturerAdmitCmd(g *globals) *cobra.Command {
	var account, key, name string
	cmd := &cobra.Command{
		Use:   "admit --account ADDR --signing-key HEX --name NAME",
		Short: "admit a manufacturer to the lifecycle registry (consortium admins, on their node): fund its account, record its release-signing key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if account == "" || key == "" || name == "" {
				return fault.Usagef("--account, --signing-key and --name are required (printed by the manufacturer's `vaultnode manufacturer init`)")
			}
			return g.withService(cmd, true, func(svc service.Service) error {
				m, err := svc.AdmitManufacturer(cmd.Context(), account, key, name)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), m, func(w io.Writer) {
					fmt.Fprintf(w, "manufacturer %q (%s) admitted; its releases are checked against signing key %s\n", m.Name, m.Account, m.SigningKey)
				})
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the manufacturer's chain account")
	cmd.Flags().StringVar(&key, "signing-key", "", "the manufacturer's Ed25519 release-signing key (hex)")
	cmd.Flags().StringVar(&name, "name", "", "the manufacturer's name")
	return cmd
}

func newManufacturerShowCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	return &cobra.Command{
		Use:         "show",
		Short:       "the manufacturer's identity and whether the registry has admitted it",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.with(cmd.Context(), func(m *manufacturer.Manufacturer) error {
				s, err := m.Standing(cmd.Context())
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), s, func(w io.Writer) {
					state := "admitted as " + fmt.Sprintf("%q", s.OnChain)
					if !s.Admitted {
						state = "NOT admitted yet: a consortium admin runs\n  " + s.AdmitCommand()
					}
					fmt.Fprintf(w, "manufacturer %q, account %s, chain %s: %s\n", s.Name, s.Account, s.ChainRPC, state)
				})
			})
		},
	}
}

func newManufacturerModelCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	return &cobra.Command{
		Use:         "model DI",
		Short:       "register a device model (its GTIN-14, the UDI-DI) to this manufacturer",
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.with(cmd.Context(), func(m *manufacturer.Manufacturer) error {
				r, err := m.RegisterModel(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), r, func(w io.Writer) { fmt.Fprintf(w, "model %s registered (block %d)\n", r.Model, r.Block) })
			})
		},
	}
}

func newManufacturerUnitCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	var model, serial, pub string
	cmd := &cobra.Command{
		Use:         "unit --model DI --serial SERIAL --public-key HEX",
		Short:       "register a unit of a model: its serial (UDI-PI) bound to the Ed25519 key it was made with; prints the UDI hospitals enrol it with",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || serial == "" || pub == "" {
				return fault.Usagef("--model, --serial and --public-key are required")
			}
			return f.with(cmd.Context(), func(m *manufacturer.Manufacturer) error {
				u, err := m.RegisterUnit(cmd.Context(), model, serial, pub)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), u, func(w io.Writer) {
					fmt.Fprintf(w, "unit %s registered (block %d); a hospital enrols it with\n  vaultnode device enroll ID --udi '%s' --public-key %s\n",
						u.UDI, u.Block, u.UDI, u.DeviceKey)
				})
			})
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "the model's GTIN-14 (UDI-DI)")
	cmd.Flags().StringVar(&serial, "serial", "", "the unit's serial number (UDI-PI, GS1 AI 21)")
	cmd.Flags().StringVar(&pub, "public-key", "", "the unit's Ed25519 public key (hex)")
	return cmd
}

func newManufacturerReleaseCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	var model, version, image, sum string
	cmd := &cobra.Command{
		Use:         "release --model DI --version V (--image FILE | --image-sha256 HEX)",
		Short:       "publish an approved firmware release of a model: the version and the image's SHA-256, signed with the release key",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || version == "" {
				return fault.Usagef("--model and --version are required")
			}
			h, err := manufacturer.ImageHash(image, sum)
			if err != nil {
				return err
			}
			return f.with(cmd.Context(), func(m *manufacturer.Manufacturer) error {
				r, err := m.PublishRelease(cmd.Context(), model, version, h)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), r, func(w io.Writer) {
					fmt.Fprintf(w, "firmware %s of model %s published, %s (image sha256 %s, block %d)\n", r.Version, r.Model, r.Status, r.Image, r.Block)
				})
			})
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "the model's GTIN-14 (UDI-DI)")
	cmd.Flags().StringVar(&version, "version", "", "the firmware version, as devices declare it in their batches")
	cmd.Flags().StringVar(&image, "image", "", "the firmware image file (its SHA-256 is published)")
	cmd.Flags().StringVar(&sum, "image-sha256", "", "the image's SHA-256 (hex), instead of --image")
	return cmd
}

func newManufacturerReleaseStatusCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	var model, version, status, reason string
	cmd := &cobra.Command{
		Use:   "release-status --model DI --version V --status approved|deprecated|recalled [--reason TEXT]",
		Short: "deprecate, re-approve or recall a firmware release (a recall needs a reason and is final)",
		Long: `A recall takes effect at the next batch each hospital ingests: readings from that firmware are flagged
"recalled" for the clinician, and 'vaultnode recall impact' lists what each hospital holds from it.`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || version == "" || status == "" {
				return fault.Usagef("--model, --version and --status are required")
			}
			return f.with(cmd.Context(), func(m *manufacturer.Manufacturer) error {
				r, err := m.SetReleaseStatus(cmd.Context(), model, version, status, reason)
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), r, func(w io.Writer) {
					fmt.Fprintf(w, "firmware %s of model %s is now %s (block %d)\n", r.Version, r.Model, r.Status, r.Block)
				})
			})
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "the model's GTIN-14 (UDI-DI)")
	cmd.Flags().StringVar(&version, "version", "", "the firmware version")
	cmd.Flags().StringVar(&status, "status", "", "approved, deprecated or recalled")
	cmd.Flags().StringVar(&reason, "reason", "", "why (required for a recall; hospitals read it)")
	return cmd
}

func newManufacturerCustodyCmd(g *globals, f *manufacturerFlags) *cobra.Command {
	return &cobra.Command{
		Use:         "custody UDI manufactured|sterilised|shipped",
		Short:       "record the manufacturer's next custody step of a unit (hospitals record received, implanted, explanted)",
		Args:        cobra.ExactArgs(2),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.with(cmd.Context(), func(m *manufacturer.Manufacturer) error {
				r, err := m.RecordCustody(cmd.Context(), args[0], args[1])
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), r, func(w io.Writer) { fmt.Fprintf(w, "%s: %s (block %d)\n", r.UDI, r.Step, r.Block) })
			})
		},
	}
}
