package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newGrantCmd(g *globals) *cobra.Command {
	var patient, stream, to, from, until string
	var purposes []string
	var m, n int
	cmd := &cobra.Command{
		Use:   "grant --patient P --stream S --to PUBKEY --until T [--from T] [--threshold M --proxies N] [--purpose CODE]...",
		Short: "grant a clinician access to one stream for a time window (threshold re-encryption); `grant show ID` shows one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if patient == "" || stream == "" || to == "" || until == "" {
				return fault.Usagef("--patient, --stream, --to and --until are required")
			}
			if (cmd.Flags().Changed("threshold") && m < 1) || (cmd.Flags().Changed("proxies") && n < 1) {
				return fault.Usagef("--threshold and --proxies must be at least 1 (got %d and %d)", m, n)
			}
			nb, err := parseTime("--from", from, time.Now())
			if err != nil {
				return err
			}
			na, err := parseTime("--until", until, time.Time{})
			if err != nil {
				return err
			}
			gk, err := service.ParseGranteePublic(to)
			if err != nil {
				return fault.AsUsage(fmt.Errorf("--to: %w", err))
			}
			req := service.GrantRequest{Patient: patient, Stream: stream, Grantee: gk, NotBefore: nb, NotAfter: na, M: m, N: n, Purposes: purposes}
			return g.withService(cmd, false, func(svc service.Service) error {
				res, err := svc.Grant(cmd.Context(), req)
				if err != nil {
					return err
				}
				for _, w := range res.Warnings {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", w)
				}
				return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
					if res.Pending {
						fmt.Fprintf(w, "grant %s pending: the chain is unreachable; it is journaled and sent when the chain answers, and the proxies get their kfrags then\n", res.ID)
					} else {
						fmt.Fprintf(w, "grant %s (%d of %d proxies) until %s\n", res.ID, res.M, len(res.Proxies), res.NotAfter.UTC().Format(time.RFC3339))
					}
					fmt.Fprintf(w, "ticket for the clinician (no secret in it):\n%s\n", res.Ticket)
				})
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&patient, "patient", "", "patient pseudonym or local MRN")
	f.StringVar(&stream, "stream", "", "stream name, e.g. glucose")
	f.StringVar(&to, "to", "", "clinician public key: hex, or their public key file (keygen's .pub)")
	f.StringVar(&from, "from", "", "start of the window (default now)")
	f.StringVar(&until, "until", "", "end of the window")
	f.IntVar(&m, "threshold", 0, "M: cfrags needed (default 2; 1 only when asked, with a warning)")
	f.IntVar(&n, "proxies", 0, "N: proxies holding a kfrag (default M+1 when the consortium has them, else M)")
	f.StringArrayVar(&purposes, "purpose", nil, "restrict to this purpose of use (HL7 v3 code, e.g. TREAT); repeatable; default any")
	cmd.AddCommand(newGrantShowCmd(g))
	return cmd
}

func newGrantShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show GRANT_ID",
		Short: "show a grant as the chain holds it, and whether the proxies would serve it now (a unique prefix of the id will do)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withService(cmd, true, func(svc service.Service) error {
				v, err := svc.GrantStatus(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), v, func(w io.Writer) {
					fmt.Fprintf(w, "grant %s\n  window  %s .. %s\n  %d of %d proxies\n  state   %s\n", v.ID,
						v.NotBefore.UTC().Format(time.RFC3339), v.NotAfter.UTC().Format(time.RFC3339), v.Threshold, len(v.Proxies), v.State)
				})
			})
		},
	}
}

// parseTime reads the time of a flag: RFC 3339, "now", or a duration from
// now ("24h", "-1h"); "" is def.
func parseTime(flag, s string, def time.Time) (time.Time, error) {
	switch s {
	case "":
		return def, nil
	case "now":
		return time.Now(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(d), nil
	}
	return time.Time{}, fault.Usagef("%s %q: want an RFC 3339 time (2026-03-01T08:00:00Z), \"now\" or a duration from now (24h, -1h)", flag, s)
}
