package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"os"
	"syscall"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/cmd/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/pointers"
)

func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

func parseAddresses(b []byte) (pointers.Addresses, error) {
	a, err := pointers.ParseAddresses(b)
	if err != nil {
		return a, usageError{fmt.Errorf("contracts file: %w", err)}
	}
	return a, nil
}

func etherWei(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

func peerString(b []byte) string {
	id, err := peer.IDFromBytes(b)
	if err != nil {
		return hex.EncodeToString(b)
	}
	return id.String()
}

// progress shows a spinner line on a terminal, nothing when piped.
type progress struct {
	w     io.Writer
	stop  chan struct{}
	done_ chan struct{}
}

func newProgress(w io.Writer, what string) *progress {
	p := &progress{}
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return p
	}
	p.w, p.stop, p.done_ = w, make(chan struct{}), make(chan struct{})
	start := time.Now()
	go func() {
		defer close(p.done_)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				fmt.Fprintf(p.w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(p.w, "\r%s… %.1f s", what, time.Since(start).Seconds())
			}
		}
	}()
	return p
}

func (p *progress) done() {
	if p.stop != nil {
		close(p.stop)
		<-p.done_
	}
}

func newAuditCmd(g *globals) *cobra.Command {
	var patient string
	var fhir bool
	cmd := &cobra.Command{
		Use:   "audit [--patient P] [--fhir]",
		Short: "who accessed what, when, why and the outcome; each entry proven against an on-chain anchor",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var entries []node.AuditEntry
			if g.api != "" {
				q := "/v1/audit"
				if patient != "" {
					q += "?patient=" + url.QueryEscape(patient)
				}
				if err := apiCall(cmd, g, "operator", "GET", q, "", nil, &entries); err != nil {
					return err
				}
			} else {
				n, err := g.open(cmd, false)
				if err != nil {
					return err
				}
				defer n.Close()
				if entries, err = n.Audit(cmd.Context(), patient); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			if fhir {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(node.FHIRAuditBundle(entries))
			}
			return g.out(w, entries, func(w io.Writer) {
				for _, e := range entries {
					proof := "not anchored yet"
					if e.Proven {
						proof = fmt.Sprintf("proven (anchor %d)", e.Anchor)
					}
					fmt.Fprintf(w, "#%d %s grant %s grantee %s purpose %s → %s  [%s]\n", e.Index, e.Time.UTC().Format(time.RFC3339), e.Grant[:12], e.Grantee[:12], e.Purpose, e.Outcome, proof)
				}
				if len(entries) == 0 {
					fmt.Fprintln(w, "no access recorded")
				}
			})
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "only accesses to this patient's streams")
	cmd.Flags().BoolVar(&fhir, "fhir", false, "export as a FHIR R4 Bundle of AuditEvent")
	return cmd
}

func newVerifyCmd(g *globals) *cobra.Command {
	var patient string
	cmd := &cobra.Command{
		Use:   "verify CID|--patient P",
		Short: "check stored batches against their on-chain commitments (exit 4 on any mismatch)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (patient != "") {
				return usagef("give either a CID or --patient")
			}
			var roots []cid.Cid
			if len(args) == 1 {
				c, err := cid.Decode(args[0])
				if err != nil {
					return usagef("%q is not a CID: %v", args[0], err)
				}
				roots = append(roots, c)
			}
			n, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer n.Close()
			res, err := n.Verify(cmd.Context(), roots, patient)
			if err != nil && !errors.Is(err, node.ErrIntegrity) {
				return err
			}
			if perr := g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				for _, r := range res {
					status := "ok"
					if !r.OK {
						status = "FAILED: " + r.Problem
					}
					fmt.Fprintf(w, "%s  seq %d  %d readings  %s\n", r.Root, r.Seq, r.Count, status)
				}
			}); perr != nil {
				return perr
			}
			return err
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "verify every batch of this patient (decrypts with the custodian's keys)")
	return cmd
}
