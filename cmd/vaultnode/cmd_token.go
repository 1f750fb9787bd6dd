package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newTokenCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "named API tokens, one per person or system: create, list, revoke (and rotate the repo's role tokens)",
		Long: `Named API tokens authenticate one person or system on the daemon's API, with a role
(device, operator, dpo, clinician). Only their SHA-256 hashes are stored (REPO/tokens/named.json);
the token is printed once, by create. The daemon re-reads the tokens at its next request: no restart.
Every mutating API call is recorded with the token's name (GET /v1/audit/calls).`,
	}
	cmd.AddCommand(newTokenCreateCmd(g), newTokenListCmd(g), newTokenRevokeCmd(g), newTokenRotateCmd(g))
	return cmd
}

func newTokenCreateCmd(g *globals) *cobra.Command {
	var name, role, patient string
	var expires time.Duration
	cmd := &cobra.Command{
		Use:         "create --name NAME --role ROLE [--expires 720h]",
		Short:       "create a named token (printed once; only its hash is stored)",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" || role == "" {
				return fault.Usagef("--name and --role are required")
			}
			if (role == "patient") != (patient != "") {
				return fault.Usagef("--patient goes with --role patient, and a patient token needs it")
			}
			if patient != "" {
				// The node resolves the patient on its keystore: through the
				// daemon when one runs, else on the repo.
				if dir, err := g.repoDir(); err == nil && g.api == "" {
					g.api, g.apiCert = service.RunningAPI(dir), service.RunningAPICert(dir)
				}
				return g.withService(cmd, true, func(svc service.Service) error {
					t, err := svc.CreatePatientToken(cmd.Context(), name, patient, expires)
					if err != nil {
						return err
					}
					return printToken(cmd.OutOrStdout(), g, t)
				})
			}
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			t, err := service.CreateToken(dir, name, role, expires)
			if err != nil {
				return err
			}
			return printToken(cmd.OutOrStdout(), g, t)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "who the token is for (a-z 0-9 . _ -), recorded in the audit of every call")
	cmd.Flags().StringVar(&role, "role", "", "device, operator, dpo, clinician or patient")
	cmd.Flags().StringVar(&patient, "patient", "", "the patient (MRN or pseudonym) a patient token is scoped to")
	cmd.Flags().DurationVar(&expires, "expires", 90*24*time.Hour, "validity (0: never expires)")
	return cmd
}

func printToken(w io.Writer, g *globals, t *service.CreatedToken) error {
	return g.out(w, t, func(w io.Writer) {
		until := "never expires"
		if t.Expires != nil {
			until = "expires " + t.Expires.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "token %s (role %s, %s), shown only now:\n%s\n", t.Name, t.Role, until, t.Token)
	})
}

func newTokenListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:         "list",
		Short:       "list the repo's tokens: names, roles, expiry, state (never a token or its hash)",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, _ []string) error {
			ts, err := service.ListTokens(dir)
			if err != nil {
				return err
			}
			if ts == nil {
				ts = []service.TokenInfo{}
			}
			return g.out(cmd.OutOrStdout(), ts, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tROLE\tKIND\tSTATE\tEXPIRES")
				for _, t := range ts {
					exp := "-"
					if t.Expires != nil {
						exp = t.Expires.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Role, t.Kind, t.State, exp)
				}
				tw.Flush()
			})
		}),
	}
}

func newTokenRevokeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:         "revoke NAME",
		Short:       "revoke a named token (refused at the daemon's next request)",
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, args []string) error {
			t, err := service.RevokeToken(dir, args[0])
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), t, func(w io.Writer) { fmt.Fprintf(w, "token %s revoked\n", t.Name) })
		}),
	}
}

func newTokenRotateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:         "rotate ROLE",
		Short:       "replace the repo's role token tokens/ROLE (device, operator, dpo) with a new one",
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, args []string) error {
			if err := service.RotateRoleToken(dir, strings.TrimSpace(args[0])); err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), map[string]string{"rotated": args[0]}, func(w io.Writer) {
				fmt.Fprintf(w, "role token %s replaced; the old one is refused from the daemon's next request\n", args[0])
			})
		}),
	}
}
