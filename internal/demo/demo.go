package demo

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/progress"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/store"
)

// Step is one narrated step (also the --json form).
type Step struct {
	N      int           `json:"step"`
	Name   string        `json:"name"`
	Took   time.Duration `json:"-"`
	MS     float64       `json:"ms"`
	OK     bool          `json:"ok"`
	Detail []string      `json:"detail,omitempty"`
	Error  string        `json:"error,omitempty"`
}

// Summary is what `vaultnode --json demo` prints.
type Summary struct {
	OK               bool    `json:"ok"`
	Readings         int     `json:"readings"`
	IngestPerSecond  int     `json:"ingestReadingsPerSecond,omitempty"`
	TotalMS          float64 `json:"totalMs"`
	Steps            []Step  `json:"steps"`
	TemporaryDir     string  `json:"dir"`
	TemporaryDirKept bool    `json:"dirKept"`
}

type demo struct {
	w     io.Writer
	prog  io.Writer // where the progress line of a running step goes (a terminal only)
	steps []Step
	n     int
}

func (d *demo) step(title string, f func() (string, error)) error {
	d.n++
	fmt.Fprintf(d.w, "\n%d. %s\n", d.n, title)
	p := progress.New(d.prog, fmt.Sprintf("step %d", d.n), "")
	start := time.Now()
	detail, err := f()
	took := time.Since(start)
	p.Done()
	st := Step{N: d.n, Name: title, Took: took, MS: float64(took.Microseconds()) / 1000, OK: err == nil}
	if err != nil {
		st.Error = err.Error()
		d.steps = append(d.steps, st)
		fmt.Fprintf(d.w, "   FAILED after %s: %v\n", fmtDur(took), err)
		return fmt.Errorf("demo step %d (%s): %w", d.n, title, err)
	}
	for _, l := range strings.Split(strings.TrimRight(detail, "\n"), "\n") {
		if l != "" {
			st.Detail = append(st.Detail, l)
			fmt.Fprintf(d.w, "   %s\n", l)
		}
	}
	d.steps = append(d.steps, st)
	fmt.Fprintf(d.w, "   ok (%s)\n", fmtDur(took))
	return nil
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func short(s string) string {
	if len(s) <= 12 {
		return s
	}
	return s[:6] + "…" + s[len(s)-4:]
}

// Run tells the story of count readings on w (the narration), with each
// running step's progress line on prog, logging to lg; keep leaves the
// temporary directory for inspection. The summary is returned even when a
// step fails (the error is that step's).
//
// self is the path of the vaultnode binary: the outsider's check of the
// erasure certificate runs it as a separate process in an empty directory
// with no repo. Empty: that check runs in this process, still with no repo.
func Run(ctx context.Context, w io.Writer, lg *slog.Logger, count int, keep bool, prog io.Writer, self string) (sum *Summary, err error) {
	return RunAndServe(ctx, w, lg, count, keep, prog, self, false)
}

// RunAndServe is Run; with serve, it then serves hospital A's web console
// (docs/UI.md) with a patient, a granted clinician and tokens to sign in
// with, until ctx ends.
func RunAndServe(ctx context.Context, w io.Writer, lg *slog.Logger, count int, keep bool, prog io.Writer, self string, serve bool) (sum *Summary, err error) {
	total := time.Now()
	sum = &Summary{Readings: count, TemporaryDirKept: keep}
	dir, err := os.MkdirTemp("", "vaultnode-demo-")
	if err != nil {
		return sum, err
	}
	sum.TemporaryDir = dir
	if !keep {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintf(w, "vaultnode demo: a CGM's readings, from device to clinician to erasure.\n")
	fmt.Fprintf(w, "Three storage peers (A, B, C) run in this process on an embedded EVM chain, in %s.\n", dir)
	d := &demo{w: w, prog: prog}
	defer func() {
		sum.Steps = d.steps
		sum.TotalMS = float64(time.Since(total).Microseconds()) / 1000
		sum.OK = err == nil
	}()
	var peers [3]*node.Node
	defer func() {
		for _, p := range peers {
			if p != nil {
				p.Close()
			}
		}
	}()
	names := []string{"A", "B", "C"}
	opts := node.Options{Logger: lg, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, CommitInterval: 300 * time.Millisecond, ReplicationCheck: 200 * time.Millisecond}

	if err := d.step("Start 3 peers: members-only libp2p, bitswap, proxies; peer A deploys the contracts", func() (string, error) {
		repo := func(i int) string { return filepath.Join(dir, "peer-"+names[i]) }
		cfg := node.DefaultConfig()
		cfg.P2P.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
		cfg.API.Addr = "127.0.0.1:0"
		cfg.Chain.ServeRPC = "127.0.0.1:0"
		cfg.Claims.Streams = []string{"glucose"} // claim roots at ingest, for the care team's question
		if _, err := node.Init(ctx, repo(0), node.InitOptions{Config: cfg, KeyFile: filepath.Join(dir, "A.key"), Logger: lg}); err != nil {
			return "", err
		}
		a, err := node.Open(ctx, repo(0), opts)
		if err != nil {
			return "", err
		}
		peers[0] = a
		url := a.Chain.Embedded().RPCURL()
		contracts := a.Chain.Contracts()
		for i := 1; i < 3; i++ {
			c := node.DefaultConfig()
			c.P2P.Listen = cfg.P2P.Listen
			c.Chain.RPC = url
			c.Chain.Contracts = &contracts
			res, err := node.Init(ctx, repo(i), node.InitOptions{Config: c, KeyFile: filepath.Join(dir, names[i]+".key"), Logger: lg})
			if err != nil {
				return "", err
			}
			if err := admit(ctx, a, res); err != nil {
				return "", err
			}
			if peers[i], err = node.Open(ctx, repo(i), opts); err != nil {
				return "", err
			}
		}
		for _, p := range peers {
			if err := p.RefreshMembers(ctx); err != nil {
				return "", err
			}
		}
		for i := range peers {
			for j := i + 1; j < len(peers); j++ {
				if err := peers[i].P2P.Connect(ctx, peers[j].P2P.AddrInfo()); err != nil {
					return "", fmt.Errorf("connect %s-%s: %w", names[i], names[j], err)
				}
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		for _, p := range peers {
			for len(p.Replicator.Live()) < 3 {
				if time.Now().After(deadline) {
					return "", errors.New("peers do not see each other")
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		var b strings.Builder
		for i, p := range peers {
			role := "custodian hospital, chain admin"
			if i > 0 {
				role = "member, joined over JSON-RPC"
			}
			fmt.Fprintf(&b, "peer %s  %s  account %s  (%s)\n", names[i], short(p.PeerID().String()), short(p.Account().Hex()), role)
		}
		refused, err := tryOutsider(ctx, a)
		if err != nil {
			return "", err
		}
		b.WriteString(refused)
		return b.String(), nil
	}); err != nil {
		return sum, err
	}
	A, B, C := peers[0], peers[1], peers[2]

	var pt keys.Patient
	var devPriv []byte
	if err := d.step("Enrol a patient and a CGM device at hospital A", func() (string, error) {
		var err error
		pt, err = A.Keys.CreatePatient(ctx, "MRN-0042")
		if err != nil {
			return "", err
		}
		dev, priv, err := A.EnrollDevice(ctx, "cgm-17")
		if err != nil {
			return "", err
		}
		devPriv = priv
		return fmt.Sprintf("patient MRN-0042 → pseudonym %s (the MRN never leaves A)\ndevice cgm-17, Ed25519 key %s registered on-chain", short(pt.Pseudonym.String()), short(dev.KeyID.String())), nil
	}); err != nil {
		return sum, err
	}
	defer func() { clear(devPriv) }()

	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	values := make([]float64, count)
	// The care team's week: the second week of readings (every 5 minutes), or the middle of a shorter run.
	weekFrom, weekTo := start.Add(7*24*time.Hour), start.Add(14*24*time.Hour)
	hypoAt := 10 * 24 * 12
	if count <= hypoAt {
		hypoAt = count / 2
		weekFrom = start.Add(time.Duration(hypoAt)*5*time.Minute - 3*24*time.Hour)
		weekTo = weekFrom.Add(7 * 24 * time.Hour)
	}
	var rcpt *node.Receipt
	if err := d.step(fmt.Sprintf("Device cgm-17 signs a batch of %s glucose readings; A ingests it", progress.Thousands(count)), func() (string, error) {
		lines := make([][]byte, count)
		for i := range lines {
			v := 6.5 + 2.2*math.Sin(float64(i)/36) + jitter()
			v = math.Round(v*10) / 10
			if i == hypoAt {
				v = 3.4 // one hypoglycaemic reading, for the care team's question
			}
			values[i] = v
			lines[i] = fmt.Appendf(nil, `{"device":"cgm-17","patient":"MRN-0042","stream":"glucose","time":"%s","value":%v,"unit":"mmol/L","code":"loinc:15074-8"}`,
				start.Add(time.Duration(i)*5*time.Minute).Format(time.RFC3339Nano), v)
		}
		raw := node.SignedBatch(devPriv, "cgm-17", lines)
		t0 := time.Now()
		b, err := node.ParseBatch(strings.NewReader(string(raw)), 0)
		if err != nil {
			return "", err
		}
		rcpt, err = A.Ingest(ctx, "cgm-17", b)
		if err != nil {
			return "", err
		}
		took := time.Since(t0)
		var s strings.Builder
		fmt.Fprintf(&s, "signature and on-chain device status checked; %d batches sealed (fresh DEK each, Umbral capsule to the stream key, Poseidon2 claim root)\n", len(rcpt.Batches))
		for _, br := range rcpt.Batches {
			var reps []string
			for _, r := range br.Replicas {
				reps = append(reps, peerName(peers[:], r))
			}
			fmt.Fprintf(&s, "receipt: seq %d, %s readings, root %s, pinned on %s\n", br.Seq, progress.Thousands(br.Count), short(br.Root), strings.Join(reps, "+"))
		}
		sum.IngestPerSecond = int(float64(count) / took.Seconds())
		fmt.Fprintf(&s, "acknowledged durably: %s readings/s (parse, verify, seal, fsync, replicate)", progress.Thousands(sum.IngestPerSecond))
		return s.String(), nil
	}); err != nil {
		return sum, err
	}

	if err := d.step("A's committer anchors the batch commitments on-chain (CID, Merkle root, claim root, count; no identifiers)", func() (string, error) {
		for A.Chain.PendingCommitments() > 0 {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			time.Sleep(20 * time.Millisecond)
		}
		txs, cs, gas := A.Chain.CommitterStats()
		return fmt.Sprintf("%d commitments in %d transaction(s), %s gas", cs, txs, progress.Thousands(int(gas))), nil
	}); err != nil {
		return sum, err
	}

	clin, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		return sum, err
	}
	defer clin.Wipe()
	var grant *node.GrantResult
	if err := d.step("The patient grants clinician Dr. Ito (at hospital C) the glucose stream, 2-of-3 proxies", func() (string, error) {
		var err error
		grant, err = A.Grant(ctx, node.GrantRequest{Patient: pt.Pseudonym.String(), Stream: "glucose", Grantee: clin.Public(),
			NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(24 * time.Hour), M: 2, N: 3})
		if err != nil {
			return "", err
		}
		var ps []string
		for _, p := range grant.Proxies {
			ps = append(ps, peerName(peers[:], p))
		}
		return fmt.Sprintf("grant %s recorded on-chain (block %d), signed by the patient side\n3 kfrags sealed (HPKE) to proxies %s; any 2 can re-encrypt", short(grant.ID), grant.Block, strings.Join(ps, ", ")), nil
	}); err != nil {
		return sum, err
	}
	ticket, err := node.ParseTicket(grant.Ticket)
	if err != nil {
		return sum, err
	}

	if err := d.step("Dr. Ito fetches through peer C: blocks over bitswap, cfrags from 2 proxies, every reading verified", func() (string, error) {
		res, err := C.Fetch(ctx, node.FetchRequest{Grantee: clin, Ticket: ticket})
		if err != nil {
			return "", err
		}
		if len(res.Readings) != count || res.Verified != count {
			return "", fmt.Errorf("got %d readings (%d verified), want %d", len(res.Readings), res.Verified, count)
		}
		for i, r := range res.Readings {
			if r.Value != values[i] || !r.Time.Equal(start.Add(time.Duration(i)*5*time.Minute)) || r.Patient != pt.Pseudonym {
				return "", fmt.Errorf("reading %d differs from what the device sent", i)
			}
		}
		first, last := res.Readings[0], res.Readings[len(res.Readings)-1]
		return fmt.Sprintf("%s readings in %d batches decrypted; every reading re-hashed: the Merkle tree rebuilt from them equals the on-chain root\nfirst %s %.1f mmol/L … last %s %.1f mmol/L; identical to what the device sent",
			progress.Thousands(len(res.Readings)), res.Batches, first.Time.Format("2006-01-02 15:04"), first.Value, last.Time.Format("2006-01-02 15:04"), last.Value), nil
	}); err != nil {
		return sum, err
	}

	if err := d.step("A care team asks: a hypoglycaemic reading (< 3.9 mmol/L) that week? A proves it in zero knowledge; an auditor verifies on chain", func() (string, error) {
		c, err := A.ProveClaim(ctx, node.ClaimRequest{Patient: "MRN-0042", Stream: "glucose", Threshold: 3.89, Below: true, From: weekFrom, To: weekTo, Record: true})
		if err != nil {
			return "", err
		}
		if _, err := A.ProveClaim(ctx, node.ClaimRequest{Patient: "MRN-0042", Stream: "glucose", Threshold: 3.0, Below: true, From: weekFrom, To: weekTo}); !errors.Is(err, node.ErrBadInput) {
			return "", fmt.Errorf("a false claim (a reading ≤ 3.0) was not refused: %v", err)
		}
		file, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return "", err
		}
		out, err := verifyClaimAsOutsider(ctx, dir, self, file, A.Chain.Embedded().RPCURL(), A.Chain.Contracts(), lg)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("claim: %s\nproven against the claim root of a batch committed in block %d; recorded by the chain's Claims contract in block %d\n"+
			"the claim file (%s bytes) names no patient and carries no reading; \"a reading ≤ 3.00\" is refused as false\n%s",
			c.Statement, c.Batch.Block, c.Recorded.Block, progress.Thousands(len(file)), out), nil
	}); err != nil {
		return sum, err
	}

	if err := d.step("A firmware recall: a registered CGM unit's readings are flagged from the batch after the recall", func() (string, error) {
		return recallEpisode(ctx, dir, A, start.Add(time.Duration(count)*5*time.Minute), func() ([]store.Reading, error) {
			res, err := C.Fetch(ctx, node.FetchRequest{Grantee: clin, Ticket: ticket, PendingWait: 15 * time.Second})
			if err != nil {
				return nil, err
			}
			return res.Readings, nil
		})
	}); err != nil {
		return sum, err
	}

	if err := d.step("Dr. Sato, another clinician, tries the same grant through peer B: refused", func() (string, error) {
		other, err := p2p.GenerateGrantee(rand.Reader)
		if err != nil {
			return "", err
		}
		defer other.Wipe()
		_, err = B.Fetch(ctx, node.FetchRequest{Grantee: other, Ticket: ticket, ProxiesOnly: true})
		if !errors.Is(err, node.ErrAccessRefused) {
			return "", fmt.Errorf("expected a refusal, got %v", err)
		}
		return "proxies answered: " + refusalReason(err), nil
	}); err != nil {
		return sum, err
	}

	if err := d.step("The patient revokes the grant; Dr. Ito is refused from the next block on", func() (string, error) {
		id, _ := node.ParseGrantID(grant.ID)
		rc, err := A.Revoke(ctx, id)
		if err != nil {
			return "", err
		}
		_, err = C.Fetch(ctx, node.FetchRequest{Grantee: clin, Ticket: ticket, ProxiesOnly: true})
		if !errors.Is(err, node.ErrAccessRefused) {
			return "", fmt.Errorf("expected a refusal after revocation, got %v", err)
		}
		return fmt.Sprintf("revocation in block %d\nproxies answered: %s", rc.Block, refusalReason(err)), nil
	}); err != nil {
		return sum, err
	}

	var cert []byte
	if err := d.step("The DPO erases the patient: keys destroyed, every peer purges and signs, deletion recorded on-chain", func() (string, error) {
		_, _, roots, err := A.PatientStreams(ctx, pt.Pseudonym.String())
		if err != nil {
			return "", err
		}
		res, err := A.Erase(ctx, pt.Pseudonym.String(), "DSAR-2026-0042", "patient request, GDPR Art. 17")
		if err != nil {
			return "", err
		}
		if len(res.Pending) > 0 {
			return "", fmt.Errorf("%d peers did not acknowledge the purge", len(res.Pending))
		}
		cert = res.Certificate
		c := res.Cert
		var s strings.Builder
		fmt.Fprintf(&s, "%d keys destroyed at A (root + stream key); deletion record in block %d\n", len(c.KeyIDs), c.Chain.Block)
		for _, ack := range c.Acks {
			fmt.Fprintf(&s, "peer %s: purge acknowledged and signed (%d blocks, %d kfrags deleted)\n", peerName(peers[:], ack.Peer), ack.Blocks, ack.KFrags)
		}
		for _, ch := range c.Checks {
			if !ch.OK {
				return "", fmt.Errorf("erasure check %s failed: %s", ch.Name, ch.Detail)
			}
		}
		if _, err := A.Keys.ResolvePatient(ctx, "MRN-0042"); err == nil {
			return "", errors.New("the MRN still resolves after erasure")
		}
		for i, n := range peers {
			for _, r := range roots {
				if ok, _ := n.Store.Has(ctx, r); ok {
					return "", fmt.Errorf("peer %s still holds batch %s", names[i], r)
				}
			}
		}
		fmt.Fprintf(&s, "(no kfrag left to delete: the proxies dropped the grant's kfrags when it was revoked)\n")
		fmt.Fprintf(&s, "checked here too: the MRN no longer resolves, no peer holds any of the %d batches\n", len(roots))
		fmt.Fprintf(&s, "certificate: %s bytes, signed by A, %d checks passed", progress.Thousands(len(cert)), len(c.Checks))
		return s.String(), nil
	}); err != nil {
		return sum, err
	}

	if err := d.step("An auditor with no repo verifies the certificate against the chain's RPC endpoint", func() (string, error) {
		return verifyAsOutsider(ctx, dir, self, cert, A.Chain.Embedded().RPCURL(), A.Chain.Contracts(), lg)
	}); err != nil {
		return sum, err
	}

	fmt.Fprintf(w, "\nSummary (%s in total)\n", fmtDur(time.Since(total)))
	for _, s := range d.steps {
		fmt.Fprintf(w, "  ok %8s  %s\n", fmtDur(s.Took), s.Name)
	}
	if serve {
		if err := serveConsole(ctx, w, A, filepath.Join(dir, "peer-A"), dir, min(count, 7*288)); err != nil {
			return sum, fmt.Errorf("console: %w", err)
		}
	}
	return sum, nil
}

// tryOutsider starts a libp2p peer that is not a consortium member and
// shows that A refuses it.
func tryOutsider(ctx context.Context, a *node.Node) (string, error) {
	sk, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return "", err
	}
	id, _ := peer.IDFromPrivateKey(sk)
	o, err := p2p.NewNode(ctx, p2p.Config{Identity: sk, Members: p2p.NewMemberSet(id, a.PeerID()), Blockstore: blockstore.NewBlockstore(dssync.MutexWrap(datastore.NewMapDatastore())), Logger: a.Log})
	if err != nil {
		return "", err
	}
	defer o.Close()
	before := a.P2P.RefusedConnections()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = o.Connect(cctx, a.P2P.AddrInfo())
	deadline := time.Now().Add(3 * time.Second)
	for a.P2P.RefusedConnections() == before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if a.P2P.RefusedConnections() == before {
		return "", errors.New("a non-member peer was not refused by A")
	}
	time.Sleep(50 * time.Millisecond)
	if a.P2P.Connected(id) {
		return "", errors.New("a non-member peer is connected to A")
	}
	return fmt.Sprintf("an outsider peer %s (not on-chain) dialled A: refused", short(id.String())), nil
}

// admit makes a newly initialised peer a consortium member: A (admin) funds
// its chain account and adds it with its peer id and proxy key.
func admit(ctx context.Context, a *node.Node, res *node.InitResult) error {
	return node.Admit(ctx, a, res.Account, res.PeerID, res.ProxyKey, new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18)))
}

func peerName(peers []*node.Node, id string) string {
	for i, p := range peers {
		if p.PeerID().String() == id {
			return string(rune('A' + i))
		}
	}
	return short(id)
}

func refusalReason(err error) string {
	s := err.Error()
	if i := strings.Index(s, "cfrags needed: "); i >= 0 {
		s = s[i+len("cfrags needed: "):]
	}
	return s
}

func jitter() float64 {
	var b [1]byte
	_, _ = rand.Read(b[:])
	return (float64(b[0]) - 128) / 640
}
