package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
)

// disclosures serves GET /v1/audit/disclosures?patient=P: the accounting of
// disclosures of one patient, each entry with its on-chain proof.
func (s *server) disclosures(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query().Get("patient")
	if p == "" {
		fail(w, http.StatusBadRequest, "bad_input", "patient is required")
		return
	}
	rep, err := s.n.Disclosures(r.Context(), p)
	if err != nil {
		s.failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func newDisclosuresCmd(g *globals) *cobra.Command {
	var patient, out string
	cmd := &cobra.Command{
		Use:   "disclosures --patient P [-o FILE] | disclosures verify FILE",
		Short: "accounting of disclosures of a patient (HIPAA §164.528): date, recipient, description, purpose, each proven against the chain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if patient == "" {
				return usagef("--patient is required")
			}
			var rep node.DisclosureReport
			err := viaAPIOrRepo(cmd, g, false, func() error {
				return apiCall(cmd, g, "operator", "GET", "/v1/audit/disclosures?patient="+url.QueryEscape(patient), "", nil, &rep)
			}, func(n *node.Node) error {
				r, err := n.Disclosures(cmd.Context(), patient)
				if err == nil {
					rep = *r
				}
				return err
			})
			if err != nil {
				return err
			}
			if out != "" {
				b, _ := json.MarshalIndent(rep, "", "  ")
				if err := os.WriteFile(out, append(b, '\n'), 0o600); err != nil {
					return err
				}
			}
			return g.out(cmd.OutOrStdout(), rep, func(w io.Writer) {
				fmt.Fprintf(w, "Accounting of disclosures, patient %s (%s), %d disclosure(s)\n", rep.Patient, orDash(rep.MRN), len(rep.Disclosures))
				for _, d := range rep.Disclosures {
					proof := "not anchored yet"
					if d.Proof != nil {
						proof = fmt.Sprintf("log entry %d, anchor %d", d.Proof.Index, d.Proof.Anchor)
					}
					who := d.Recipient
					if len(who) > 16 {
						who = who[:16] + "…"
					}
					if d.RecipientName != "" {
						who = d.RecipientName + " (" + who + ")"
					}
					fmt.Fprintf(w, "%s  to %s  purpose %s  %s  [%s]\n", d.Date.Format("2006-01-02T15:04:05Z"), who, d.Purpose, d.Description, proof)
				}
				for _, u := range rep.Unreachable {
					fmt.Fprintf(w, "warning: member %s could not be asked; disclosures its proxy served are missing\n", u)
				}
				if out != "" {
					fmt.Fprintf(w, "written to %s (check it with: vaultnode disclosures verify %s)\n", out, out)
				}
			})
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "the patient (MRN or pseudonym)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "also write the report, with its proofs, to FILE")
	verify := &cobra.Command{
		Use:   "verify FILE",
		Short: "check every disclosure of a report against the on-chain audit anchors (exit 4 on any mismatch)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var rep node.DisclosureReport
			dec := json.NewDecoder(bytesReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&rep); err != nil {
				return fmt.Errorf("%w: %s is not an accounting of disclosures: %v", node.ErrBadInput, args[0], err)
			}
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			checks, err := node.VerifyDisclosures(cmd.Context(), n.Chain, &rep)
			if err != nil && !errors.Is(err, node.ErrIntegrity) {
				return err
			}
			if perr := g.out(cmd.OutOrStdout(), checks, func(w io.Writer) {
				for _, c := range checks {
					status := "proven against the chain"
					if !c.Proven {
						status = "NOT PROVEN: " + c.Problem
					}
					fmt.Fprintf(w, "disclosure %d: %s\n", c.Index, status)
				}
			}); perr != nil {
				return perr
			}
			return err
		},
	}
	cmd.AddCommand(verify)
	return cmd
}
