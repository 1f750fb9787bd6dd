package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
)

// consentResult is the answer to a Consent import.
type consentResult struct {
	Consent *node.ConsentGrant  `json:"consent"`
	Grants  []*node.GrantResult `json:"grants"`
}

// fhirConsent serves POST /fhir/Consent (operator): the Consent becomes one
// grant per stream (?threshold=M&proxies=N, default 1 of 1); a refused
// Consent is answered with an OperationOutcome.
func (s *server) fhirConsent(w http.ResponseWriter, r *http.Request) {
	m, n, err := thresholdQuery(r)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	cg, grants, err := s.n.ImportConsent(r.Context(), body, m, n)
	if err != nil {
		s.failFHIR(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, consentResult{Consent: cg, Grants: grants})
}

func thresholdQuery(r *http.Request) (int, int, error) {
	m, n := 1, 0
	for name, dst := range map[string]*int{"threshold": &m, "proxies": &n} {
		if v := r.URL.Query().Get(name); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				return 0, 0, fmt.Errorf("%w: %s must be an integer", node.ErrBadInput, name)
			}
			*dst = x
		}
	}
	if n == 0 {
		n = m
	}
	return m, n, nil
}

// fhirClientCall posts a FHIR resource to the daemon; a refusal's
// OperationOutcome becomes the error (its status mapped like apiCall's).
func fhirClientCall(cmd *cobra.Command, g *globals, role, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(cmd.Context(), "POST", strings.TrimRight(g.api, "/")+path, bytes.NewReader(body))
	if err != nil {
		return usageError{err}
	}
	req.Header.Set("Content-Type", "application/fhir+json")
	if t := apiToken(g, role); t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("daemon at %s: %w", g.api, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var oo struct {
			Issue []struct {
				Diagnostics string   `json:"diagnostics"`
				Expression  []string `json:"expression"`
			} `json:"issue"`
			Error string `json:"error"`
		}
		_ = json.Unmarshal(b, &oo)
		var msgs []string
		for _, is := range oo.Issue {
			m := is.Diagnostics
			if len(is.Expression) > 0 {
				m = is.Expression[0] + ": " + m
			}
			msgs = append(msgs, m)
		}
		if oo.Error != "" {
			msgs = append(msgs, oo.Error)
		}
		msg := fmt.Sprintf("daemon: %s", strings.Join(msgs, "; "))
		switch resp.StatusCode {
		case http.StatusForbidden:
			return fmt.Errorf("%w: %s", node.ErrAccessRefused, msg)
		case http.StatusUnprocessableEntity:
			return fmt.Errorf("%w: %s", node.ErrBadSignature, msg)
		case http.StatusBadRequest, http.StatusNotFound:
			return fmt.Errorf("%w: %s", node.ErrBadInput, msg)
		}
		return errors.New(msg)
	}
	return json.Unmarshal(b, out)
}

func newConsentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "consent", Short: "FHIR Consent: import a patient's consent as grants"}
	var m, n int
	imp := &cobra.Command{
		Use:   "import FILE|- [--threshold M --proxies N]",
		Short: "turn a FHIR R4 Consent (permit, period, actor key, stream codes, purpose) into grants; anything a grant cannot enforce is refused",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n == 0 {
				n = m
			}
			r, closer, err := input(cmd, args)
			if err != nil {
				return err
			}
			defer closer()
			body, err := io.ReadAll(io.LimitReader(r, 1<<20+1))
			if err != nil {
				return err
			}
			if len(body) > 1<<20 {
				return fmt.Errorf("%w: a Consent larger than 1 MiB", node.ErrBadInput)
			}
			var res consentResult
			err = viaAPIOrRepo(cmd, g, false, func() error {
				q := fmt.Sprintf("/fhir/Consent?threshold=%d&proxies=%d", m, n)
				return fhirClientCall(cmd, g, "operator", q, body, &res)
			}, func(nd *node.Node) (err error) {
				res.Consent, res.Grants, err = nd.ImportConsent(cmd.Context(), body, m, n)
				if err == nil {
					flush(cmd.Context(), nd)
				}
				return err
			})
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				c := res.Consent
				fmt.Fprintf(w, "consent %s: %s may access %s of %s from %s until %s (purposes %s)\n", c.ConsentID, orDash(c.Actor),
					strings.Join(c.Streams, ", "), c.Patient, c.NotBefore.UTC().Format("2006-01-02T15:04:05Z"), c.NotAfter.UTC().Format("2006-01-02T15:04:05Z"),
					orDash(strings.Join(c.Purposes, ",")))
				for _, gr := range res.Grants {
					fmt.Fprintf(w, "  grant %s  ticket %s\n", gr.ID, gr.Ticket)
				}
			})
		},
	}
	imp.Flags().IntVar(&m, "threshold", 1, "M: proxies needed to re-encrypt")
	imp.Flags().IntVar(&n, "proxies", 0, "N: proxies holding a kfrag (default M)")
	cmd.AddCommand(imp)
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var _ = os.Stdin
