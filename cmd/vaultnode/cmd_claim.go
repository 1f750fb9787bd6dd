package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newClaimCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "claim", Short: "zero-knowledge claims about a stream's readings (prove, verify)"}
	cmd.AddCommand(newClaimProveCmd(g), newClaimVerifyCmd(g))
	return cmd
}

func newClaimProveCmd(g *globals) *cobra.Command {
	var patient, stream, from, to, out string
	var exceeds, below float64
	var record bool
	cmd := &cobra.Command{
		Use:   "prove --patient P --stream S (--exceeds X | --below X) --from T --to T [-o FILE] [--record]",
		Short: "prove that a reading of the patient's stream in [from, to] was ≥ X (or ≤ X), revealing no reading",
		Long: `Proves, with a zero-knowledge proof against a batch commitment on chain, that at least one reading of
the patient's stream between --from and --to was at or above --exceeds (or at or below --below), in the
stream's claim unit (glucose: mmol/L). The claim file names no patient and carries no reading: anyone checks
it with 'vaultnode claim verify FILE --chain-rpc URL'. The stream must be named in the node's
claims.streams when its readings were ingested (docs/ZK.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ex, be := cmd.Flags().Changed("exceeds"), cmd.Flags().Changed("below")
			if patient == "" || stream == "" || ex == be {
				return fault.Usagef("give --patient, --stream and one of --exceeds X or --below X")
			}
			fr, err := parseTime("--from", from, time.Time{})
			if err != nil {
				return err
			}
			un, err := parseTime("--to", to, time.Time{})
			if err != nil {
				return err
			}
			if fr.IsZero() || un.IsZero() {
				return fault.Usagef("give the claim's window: --from T --to T")
			}
			req := service.ClaimRequest{Patient: patient, Stream: stream, Threshold: exceeds, From: fr, To: un, Record: record}
			if be {
				req.Threshold, req.Below = below, true
			}
			return g.withService(cmd, false, func(svc service.Service) error {
				c, err := svc.ProveClaim(cmd.Context(), req)
				if err != nil {
					return err
				}
				b, err := json.MarshalIndent(c, "", "  ")
				if err != nil {
					return err
				}
				b = append(b, '\n')
				if out == "" || out == "-" {
					_, err = cmd.OutOrStdout().Write(b)
					return err
				}
				if err := atomicfile.Write(out, b, 0o644); err != nil {
					return fmt.Errorf("write claim: %w", err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "claim proven: %s (batch committed in block %d); written to %s\n", c.Statement, c.Batch.Block, out)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&patient, "patient", "", "the patient (MRN or pseudonym)")
	f.StringVar(&stream, "stream", "", "the stream (glucose, spo2, heart-rate, temperature)")
	f.Float64Var(&exceeds, "exceeds", 0, "claim a reading at or above this value (in the stream's claim unit)")
	f.Float64Var(&below, "below", 0, "claim a reading at or below this value (in the stream's claim unit)")
	f.StringVar(&from, "from", "", "start of the window (RFC 3339, now, or a duration from now such as -168h)")
	f.StringVar(&to, "to", "", "end of the window")
	f.StringVarP(&out, "output", "o", "", "write the claim file here (default stdout)")
	f.BoolVar(&record, "record", false, "also have the chain's Claims contract verify and record the claim (a transaction)")
	return cmd
}

func newClaimVerifyCmd(g *globals) *cobra.Command {
	var chainRPC, contracts string
	cmd := &cobra.Command{
		Use:   "verify FILE [--chain-rpc URL [--contracts FILE]]",
		Short: "verify a claim against the chain, with no repo and no key (exit 4 if it does not hold)",
		Long: `Checks the claim's proof with this vaultnode's verifying key, the claim root against the batch
commitment on chain, and asks the chain's claim verifier too. With --chain-rpc it needs no repo and no key:
pin the consortium's contracts with its contracts.json (--contracts), else the contract the claim names is
used, and said so. Without --chain-rpc it uses the local node's chain (its repo or its daemon).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return fault.Usagef("claim file: %v", err)
			}
			var v *service.ClaimVerification
			switch {
			case chainRPC != "":
				v, err = service.VerifyClaimOnChain(cmd.Context(), chainRPC, contracts, b, g.logger(cmd.ErrOrStderr(), slog.LevelWarn))
			case contracts != "":
				return fault.Usagef("--contracts goes with --chain-rpc")
			default:
				err = g.withService(cmd, false, func(svc service.Service) error {
					v, err = svc.VerifyClaim(cmd.Context(), b)
					return err
				})
			}
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), v, func(w io.Writer) {
				fmt.Fprintf(w, "claim valid: %s\n", v.Statement)
				fmt.Fprintf(w, "  proven against claim root %s of the batch committed in block %d (tx %s) by member %s\n", v.ClaimRoot, v.Block, v.Tx, v.By)
				fmt.Fprintf(w, "  the chain's claim verifier: %s\n", v.OnChain)
				for _, r := range v.Recorded {
					fmt.Fprintf(w, "  recorded on chain in block %d (tx %s) by %s\n", r.Block, r.Tx, r.By)
				}
				fmt.Fprintf(w, "registries: %s\n", v.Registries)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&chainRPC, "chain-rpc", "", "EVM JSON-RPC endpoints of the consortium's chain (comma-separated)")
	f.StringVar(&contracts, "contracts", "", "the consortium's contracts.json, pinning the commitments contract")
	return cmd
}
