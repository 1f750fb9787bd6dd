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
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
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

// progress draws a progress line on stderr while a long operation runs —
// a bar with done/total when the total is known, else a spinner with the
// count — but only when that stream is a terminal: piped or redirected, it
// writes nothing at all. Safe for concurrent set/add.
type progress struct {
	w        io.Writer
	what     string
	unit     string // "bytes" shows sizes; anything else is a count of that unit
	start    time.Time
	done_    atomic.Int64
	total    atomic.Int64
	phase    atomic.Pointer[string]
	stop     chan struct{}
	finished chan struct{}
}

// newProgress starts a progress line on w if w is a terminal; otherwise the
// returned progress is inert.
func newProgress(w io.Writer, what, unit string) *progress {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) || os.Getenv("TERM") == "dumb" {
		return &progress{}
	}
	return startProgress(w, what, unit, 150*time.Millisecond)
}

func startProgress(w io.Writer, what, unit string, every time.Duration) *progress {
	p := &progress{w: w, what: what, unit: unit, start: time.Now(), stop: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(p.finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-p.stop:
				fmt.Fprint(p.w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(p.w, "\r\033[K%s", p.line(i))
			}
		}
	}()
	return p
}

// line renders the current state; frame animates the spinner.
func (p *progress) line(frame int) string {
	done, total := p.done_.Load(), p.total.Load()
	label := p.what
	if ph := p.phase.Load(); ph != nil && *ph != "" {
		label += ": " + *ph
	}
	el := fmt.Sprintf("%.1f s", time.Since(p.start).Seconds())
	amount := func(n int64) string {
		if p.unit == "bytes" {
			return humanBytes(n)
		}
		return thousands(int(n))
	}
	if total > 0 {
		frac := min(float64(done)/float64(total), 1)
		const width = 30
		fill := int(frac * width)
		bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
		if fill < width && fill > 0 {
			bar = bar[:fill-1] + ">" + bar[fill:]
		}
		unit := ""
		if p.unit != "bytes" {
			unit = " " + p.unit
		}
		return fmt.Sprintf("%s [%s] %3.0f%% %s/%s%s  %s", label, bar, frac*100, amount(done), amount(total), unit, el)
	}
	spin := `|/-\`[frame%4 : frame%4+1]
	if done > 0 {
		unit := ""
		if p.unit != "bytes" {
			unit = " " + p.unit
		}
		return fmt.Sprintf("%s %s %s%s  %s", label, spin, amount(done), unit, el)
	}
	return fmt.Sprintf("%s %s  %s", label, spin, el)
}

// set records done of total (total <= 0: unknown).
func (p *progress) set(done, total int64) {
	p.done_.Store(done)
	p.total.Store(total)
}

// add counts n more done.
func (p *progress) add(n int64) { p.done_.Add(n) }

// setPhase names what is happening now (shown after the operation's name).
func (p *progress) setPhase(s string) { p.phase.Store(&s) }

// reader counts what is read through r as done.
func (p *progress) reader(r io.Reader) io.Reader {
	if p.stop == nil {
		return r
	}
	return progressReader{r, p}
}

type progressReader struct {
	r io.Reader
	p *progress
}

func (pr progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.add(int64(n))
	return n, err
}

// done erases the line and stops drawing.
func (p *progress) done() {
	if p.stop != nil {
		close(p.stop)
		<-p.finished
		p.stop = nil
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
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
			err := viaAPIOrRepo(cmd, g, false, func() error {
				q := "/v1/audit"
				if patient != "" {
					q += "?patient=" + url.QueryEscape(patient)
				}
				return apiCall(cmd, g, "operator", "GET", q, "", nil, &entries)
			}, func(n *node.Node) (err error) {
				entries, err = n.Audit(cmd.Context(), patient)
				return err
			})
			if err != nil {
				return err
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
			var res []node.VerifyResult
			var err error
			if g.api != "" {
				q := url.Values{}
				for _, r := range roots {
					q.Add("cid", r.String())
				}
				if patient != "" {
					q.Set("patient", patient)
				}
				if err := apiCall(cmd, g, "operator", "GET", "/v1/verify?"+q.Encode(), "", nil, &res); err != nil {
					return err
				}
				for _, r := range res {
					if !r.OK {
						err = fmt.Errorf("%w: batch %s: %s", node.ErrIntegrity, r.Root, r.Problem)
						break
					}
				}
			} else {
				n, err2 := g.open(cmd, false)
				if err2 != nil {
					return err2
				}
				defer n.Close()
				res, err = n.Verify(cmd.Context(), roots, patient)
				if err != nil && !errors.Is(err, node.ErrIntegrity) {
					return err
				}
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
