package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/vaultnode/vaultnode/pointers"
)

// The harness: the vaultnode binary built once (TestMain), daemons and geth
// as child processes on 127.0.0.1, CLI commands as a user runs them, and
// HTTP calls as an integrator makes them. Every child is killed when its test
// ends (t.Cleanup), and also if the test binary dies (Pdeathsig).

var (
	bin     string // the vaultnode binary under test
	rootDir string // the module root
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vaultnode-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rootDir, _ = filepath.Abs("..")
	// VAULTNODE_E2E_BIN: test an already built binary instead.
	if bin = os.Getenv("VAULTNODE_E2E_BIN"); bin == "" {
		bin = filepath.Join(dir, "vaultnode")
		// The console's WebAssembly client first: the binary embeds it.
		wasm := exec.Command("scripts/build-wasm.sh")
		wasm.Dir = rootDir
		if out, err := wasm.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: build the console's WebAssembly client: %v\n%s", err, out)
			os.RemoveAll(dir)
			os.Exit(1)
		}
		build := exec.Command("go", "build", "-o", bin, "./cmd/vaultnode")
		build.Dir = rootDir
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: build vaultnode: %v\n%s", err, out)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	// Clinician key files are sealed (keygen): every command of the suite
	// gets the passphrase, and cheap Argon2id parameters.
	os.Setenv("VAULTNODE_KEY_PASSPHRASE", e2eKeyPassphrase)
	os.Setenv("VAULTNODE_ARGON2", "1,64,1")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// e2eKeyPassphrase seals the suite's clinician key files.
const e2eKeyPassphrase = "e2e clinician passphrase"

// longMode: the soak variants (scripts/e2e-long.sh).
func longMode() bool { return os.Getenv("VAULTNODE_E2E_LONG") == "1" }

// freePort returns a TCP port free on 127.0.0.1 at the time of the call.
//
// The kernel may hand the same free port out twice once the probe closes
// (it did: one daemon's API and another's libp2p port), so the ports given
// out in this process are remembered and never given again.
func freePort(t testing.TB) int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !portsGiven[p] {
			portsGiven[p] = true
			return p
		}
	}
}

var (
	portsMu    sync.Mutex
	portsGiven = map[int]bool{}
)

// ---------------------------------------------------------------------------
// Child processes

type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

func startProc(t testing.TB, name, logPath, workDir string, env []string, path string, args ...string) *proc {
	t.Helper()
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(lf, "=== %s start %s %s\n", time.Now().Format(time.RFC3339Nano), filepath.Base(path), strings.Join(args, " "))
	cmd := exec.Command(path, args...)
	cmd.Dir = workDir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = lf, lf
	// Own process group; killed with the test binary if it dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		lf.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		lf.Close()
		close(p.done)
	}()
	return p
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the exit.
func (p *proc) kill() {
	if p.running() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// stop sends SIGTERM and waits up to grace, then SIGKILL. It reports whether
// the process exited by itself with status 0.
func (p *proc) stop(grace time.Duration) (clean bool) {
	if !p.running() {
		return p.err == nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err == nil
	case <-time.After(grace):
		p.kill()
		return false
	}
}

func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// ---------------------------------------------------------------------------
// geth --dev

// gethPath is where scripts/install-geth.sh puts geth (VAULTNODE_GETH overrides).
func gethPath() string {
	if p := os.Getenv("VAULTNODE_GETH"); p != "" {
		return p
	}
	return filepath.Join(rootDir, ".tools", "bin", "geth")
}

type gethNode struct {
	path, dir, log      string
	httpPort, authPort  int
	url                 string
	proc                *proc
	startedAt, lastStop time.Time
}

func startGeth(t testing.TB, dir string) *gethNode {
	t.Helper()
	p := gethPath()
	if _, err := os.Stat(p); err != nil {
		t.Skipf("geth --dev variant skipped: %s not found; run scripts/install-geth.sh (make tools) or set VAULTNODE_GETH", p)
	}
	g := &gethNode{path: p, dir: filepath.Join(dir, "geth"), log: filepath.Join(dir, "geth.log"),
		httpPort: freePort(t), authPort: freePort(t)}
	g.url = fmt.Sprintf("http://127.0.0.1:%d", g.httpPort)
	g.start(t)
	return g
}

func (g *gethNode) start(t testing.TB) {
	t.Helper()
	g.proc = startProc(t, "geth", g.log, filepath.Dir(g.dir), nil, g.path,
		"--dev", "--dev.period", "0", "--dev.gaslimit", "60000000",
		"--datadir", g.dir, "--ipcdisable", "--nodiscover", "--maxpeers", "0", "--port", "0", "--nat", "none",
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(g.httpPort), "--http.api", "eth,net,web3",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(g.authPort), "--verbosity", "2")
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := ethclient.Dial(g.url)
		if err == nil {
			_, err = c.ChainID(context.Background())
			c.Close()
			if err == nil {
				return
			}
		}
		if !g.proc.running() || time.Now().After(deadline) {
			t.Fatalf("geth --dev did not answer on %s: %v\n%s", g.url, err, tail(g.log, 40))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fund sends 1000 ether from geth's unlocked dev account to addr and waits
// for the receipt.
func (g *gethNode) fund(ctx context.Context, addr common.Address) error {
	rc, err := rpc.DialContext(ctx, g.url)
	if err != nil {
		return err
	}
	defer rc.Close()
	var accts []common.Address
	if err := rc.CallContext(ctx, &accts, "eth_accounts"); err != nil || len(accts) == 0 {
		return fmt.Errorf("geth dev account: %v %v", accts, err)
	}
	value := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	var h common.Hash
	if err := rc.CallContext(ctx, &h, "eth_sendTransaction", map[string]any{"from": accts[0], "to": addr, "value": (*hexutil.Big)(value)}); err != nil {
		return err
	}
	ec := ethclient.NewClient(rc)
	for i := 0; i < 300; i++ {
		if r, err := ec.TransactionReceipt(ctx, h); err == nil && r.Status == 1 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("funding of %s not mined", addr)
}

// ---------------------------------------------------------------------------
// Cluster: three daemons A, B, C and a CLI-only member D (the clinician's
// hospital, from which fetches run), on one chain.

const (
	chainEmbedded = "embedded"
	chainGeth     = "geth"
)

type cluster struct {
	t     *testing.T
	kind  string
	dir   string
	rpc   string // the chain's JSON-RPC URL the members use
	geth  *gethNode
	bft   *bftNet
	nodes []*node // A (chain host or first member, admin), B, C: daemons
	D     *node   // member without a daemon: fetch, verify, erasure verify
	procs []*proc
	mu    sync.Mutex
}

type node struct {
	c        *cluster
	name     string
	repo     string
	apiAddr  string
	p2pPort  int
	peerID   string
	account  string
	proxyKey string
	proc     *proc
	log      string
}

// api is the daemon's HTTPS API; its certificate is the repo's api.crt,
// which the suite's HTTP client pins (trustedAPICert) and the CLI is given
// (--api-cert).
func (n *node) api() string { return "https://" + n.apiAddr }

// apiCert is the certificate file of the node's API.
func (n *node) apiCert() string { return filepath.Join(n.repo, "api.crt") }
func (n *node) addr() string {
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", n.p2pPort, n.peerID)
}
func (n *node) token(t testing.TB, role string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(n.repo, "tokens", role))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

type initResult struct {
	PeerID   string `json:"peerId"`
	Account  string `json:"chainAccount"`
	ProxyKey string `json:"proxyKey"`
}

func newCluster(t *testing.T, kind string) *cluster {
	t.Helper()
	start := time.Now()
	c := &cluster{t: t, kind: kind, dir: t.TempDir()}
	t.Cleanup(c.shutdown)
	mk := func(name string, daemon bool) *node {
		n := &node{c: c, name: name, repo: filepath.Join(c.dir, name), log: filepath.Join(c.dir, name+".log")}
		if daemon {
			n.apiAddr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
			n.p2pPort = freePort(t)
		}
		return n
	}
	a, b, cc := mk("A", true), mk("B", true), mk("C", true)
	d := mk("D", false)
	c.nodes, c.D = []*node{a, b, cc}, d
	// The chain endpoints each member uses: one per hospital on the BFT
	// chain (its own validator first), the one chain node otherwise.
	rpcOf := func(n *node) string {
		if c.bft == nil {
			return c.rpc
		}
		for i, m := range []*node{a, b, cc, d} {
			if m == n {
				return c.bft.Endpoints(i)
			}
		}
		return c.rpc
	}

	initArgs := func(n *node) []string {
		args := []string{"--json", "--repo", n.repo, "init", "--key-file", filepath.Join(c.dir, n.name+".key")}
		if n.apiAddr != "" {
			args = append(args, "--listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.p2pPort), "--api-addr", n.apiAddr)
		} else {
			args = append(args, "--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0")
		}
		return args
	}
	// A: deploys the contracts (first member, admin).
	switch kind {
	case chainEmbedded:
		c.rpc = fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
		c.initNode(t, a, append(initArgs(a), "--serve-rpc", strings.TrimPrefix(c.rpc, "http://"))...)
	case chainBFT:
		c.bft = startBFT(t, c.dir)
		c.rpc = c.bft.Endpoints(0)
		r := c.run(t, "", append(initArgs(a), "--chain-rpc", rpcOf(a))...)
		acct := regexp.MustCompile(`account (0x[0-9a-fA-F]{40})`).FindStringSubmatch(r.stderr)
		if r.code != 1 || acct == nil {
			t.Fatalf("init A on an unfunded account: exit %d, want 1 naming the account to fund\n%s%s", r.code, r.stdout, r.stderr)
		}
		fctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		err := c.bft.fund(fctx, common.HexToAddress(acct[1]))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		c.initNode(t, a, "--json", "--repo", a.repo, "init")
	case chainGeth:
		c.geth = startGeth(t, c.dir)
		c.procs = append(c.procs, c.geth.proc)
		c.rpc = c.geth.url
		// The first member deploys the contracts from an account derived
		// from the identity init creates, which nobody could fund before:
		// init names it and keeps the repo; the operator funds it and runs
		// init again, as docs/CONFIG.md says.
		r := c.run(t, "", append(initArgs(a), "--chain-rpc", c.rpc)...)
		acct := regexp.MustCompile(`account (0x[0-9a-fA-F]{40})`).FindStringSubmatch(r.stderr)
		if r.code != 1 || acct == nil || !strings.Contains(r.stderr, "again to finish") {
			t.Fatalf("init A on an unfunded account: exit %d, want 1 naming the account to fund\n%s%s", r.code, r.stdout, r.stderr)
		}
		fctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		err := c.geth.fund(fctx, common.HexToAddress(acct[1]))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		c.initNode(t, a, "--json", "--repo", a.repo, "init")
	}
	patchConfig(t, a.repo, func(m map[string]any) {
		m["chain"].(map[string]any)["commitInterval"] = commitInterval.String()
		if c.bft != nil {
			m["chain"].(map[string]any)["maxHeadAge"] = bftMaxHeadAge.String()
		}
	})
	a.start(t)
	// B, C, D join with A's contracts.json, then A admits them.
	var wg sync.WaitGroup
	errs := make(chan string, 3)
	for _, n := range []*node{b, cc, d} {
		wg.Add(1)
		go func(n *node) {
			defer wg.Done()
			r := c.run(t, "", append(initArgs(n), "--chain-rpc", rpcOf(n), "--contracts", filepath.Join(a.repo, "chain", "contracts.json"))...)
			if r.code != 0 {
				errs <- fmt.Sprintf("init %s: exit %d: %s", n.name, r.code, r.stderr)
				return
			}
			var ir initResult
			if err := json.Unmarshal([]byte(r.stdout), &ir); err != nil {
				errs <- fmt.Sprintf("init %s: %v: %s", n.name, err, r.stdout)
				return
			}
			n.peerID, n.account, n.proxyKey = ir.PeerID, ir.Account, ir.ProxyKey
		}(n)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	for _, n := range []*node{b, cc, d} {
		a.must(t, "member", "add", "--account", n.account, "--peer-id", n.peerID, "--proxy-key", n.proxyKey)
	}
	// Full mesh: every member dials the daemons at start (p2p.bootstrap).
	for _, n := range append([]*node{d}, c.nodes...) {
		var boot []any
		for _, o := range c.nodes {
			if o != n {
				boot = append(boot, o.addr())
			}
		}
		patchConfig(t, n.repo, func(m map[string]any) {
			m["p2p"].(map[string]any)["bootstrap"] = boot
			// Commitments reach the chain within a second (default 5 s).
			m["chain"].(map[string]any)["commitInterval"] = commitInterval.String()
			if c.bft != nil {
				// CometBFT makes a block every second or so: older means stalled.
				m["chain"].(map[string]any)["maxHeadAge"] = bftMaxHeadAge.String()
			}
		})
	}
	c.parallel(t, func(n *node) { n.start(t) }, b, cc)
	c.waitMesh(t)
	t.Logf("%s cluster up in %v (A %s, B %s, C %s, D %s)", kind, time.Since(start).Round(time.Millisecond), a.peerID, b.peerID, cc.peerID, d.peerID)
	return c
}

func (c *cluster) initNode(t testing.TB, n *node, args ...string) {
	t.Helper()
	r := c.run(t, "", args...)
	if r.code != 0 {
		t.Fatalf("init %s: exit %d\n%s%s", n.name, r.code, r.stdout, r.stderr)
	}
	var ir initResult
	if err := json.Unmarshal([]byte(r.stdout), &ir); err != nil {
		t.Fatalf("init %s: %v: %s", n.name, err, r.stdout)
	}
	n.peerID, n.account, n.proxyKey = ir.PeerID, ir.Account, ir.ProxyKey
}

func (c *cluster) parallel(t testing.TB, f func(*node), ns ...*node) {
	var wg sync.WaitGroup
	for _, n := range ns {
		wg.Add(1)
		go func(n *node) { defer wg.Done(); f(n) }(n)
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
}

// waitMesh waits until every running daemon is connected to every other
// running daemon.
func (c *cluster) waitMesh(t testing.TB) {
	t.Helper()
	var up []*node
	for _, n := range c.nodes {
		if n.proc != nil && n.proc.running() {
			up = append(up, n)
		}
	}
	deadline := time.Now().Add(45 * time.Second)
	for _, n := range up {
		for {
			h := n.health(t)
			if p, _ := h["peers"].(float64); int(p) >= len(up)-1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s sees %v peers, want %d: %v\n%s", n.name, h["peers"], len(up)-1, h, tail(n.log, 30))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// No pause for the replicator's next liveness check: a batch ingested
	// right now must get its R replicas (scenario "replicas right after
	// connect").
}

// commitInterval is the daemons' chain.commitInterval in these tests.
const commitInterval = time.Second

func (c *cluster) shutdown() {
	for _, n := range c.nodes {
		if n.proc != nil {
			n.proc.kill()
		}
	}
	c.mu.Lock()
	procs := c.procs
	c.mu.Unlock()
	for _, p := range procs {
		p.kill()
	}
	if c.t.Failed() {
		for _, n := range c.nodes {
			c.t.Logf("--- %s log (tail):\n%s", n.name, tail(n.log, 60))
		}
		if c.geth != nil {
			c.t.Logf("--- geth log (tail):\n%s", tail(c.geth.log, 30))
		}
	}
}

// patchConfig edits a repo's config.json (docs/CONFIG.md).
func patchConfig(t testing.TB, repo string, f func(map[string]any)) {
	t.Helper()
	p := filepath.Join(repo, "config.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, _ = json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// start runs `vaultnode daemon` on the repo and waits for /healthz.
func (n *node) start(t testing.TB) {
	t.Helper()
	trustRepo(n.repo)
	n.proc = startProc(t, n.name, n.log, n.c.dir, []string{"VAULTNODE_PASSPHRASE="}, bin, "--repo", n.repo, "--log-level", "info", "daemon")
	n.waitHealthy(t, 60*time.Second)
}

func (n *node) waitHealthy(t testing.TB, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		status, m, err := tryCall("GET", n.api()+"/healthz", "", "", nil)
		if err == nil && status == 200 && (m["status"] == "ok" || m["status"] == "degraded") {
			return
		}
		if !n.proc.running() {
			t.Fatalf("%s daemon exited (%v):\n%s", n.name, n.proc.err, tail(n.log, 40))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s daemon not healthy after %v: %d %v %v\n%s", n.name, d, status, m, err, tail(n.log, 40))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (n *node) kill() { n.proc.kill() }
func (n *node) running() bool {
	return n.proc != nil && n.proc.running()
}

func (n *node) health(t testing.TB) map[string]any {
	t.Helper()
	status, m, err := tryCall("GET", n.api()+"/healthz", "", "", nil)
	if err != nil || status != 200 {
		t.Fatalf("%s healthz: %d %v %v", n.name, status, m, err)
	}
	return m
}

// metric reads one value of the daemon's /metrics.
func (n *node) metric(t testing.TB, name string) float64 {
	t.Helper()
	resp, err := httpClient.Get(n.api() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, name+" ") {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(l, name)), 64)
			if err != nil {
				t.Fatalf("metric %s: %q", name, l)
			}
			return v
		}
	}
	t.Fatalf("%s: metric %s not exposed", n.name, name)
	return 0
}

// ---------------------------------------------------------------------------
// CLI

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
}

func (c *cluster) run(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	return runBin(t, c.dir, stdin, args...)
}

func runBin(t testing.TB, dir, stdin string, args ...string) result {
	t.Helper()
	return runBinCtx(t, dir, stdin, 3*time.Minute, args...)
}

// runBinTimeout runs a command that is killed after d (exit code -1 then).
func runBinTimeout(t testing.TB, dir string, d time.Duration, args ...string) result {
	t.Helper()
	return runBinCtx(t, dir, "", d, args...)
}

func runBinCtx(t testing.TB, dir, stdin string, d time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "VAULTNODE_PASSPHRASE=", "VAULTNODE_REPO=")
	cmd.Stdin = strings.NewReader(stdin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	r := result{stdout: so.String(), stderr: se.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("vaultnode %v: %v", args, err)
	}
	return r
}

// cli runs a command on the node's repo, through its daemon's API when it runs.
func (n *node) cli(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	pre := []string{"--repo", n.repo}
	if n.running() {
		pre = append(pre, "--api", n.api(), "--api-cert", n.apiCert())
	}
	return n.c.run(t, stdin, append(pre, args...)...)
}

func (n *node) must(t testing.TB, args ...string) string {
	t.Helper()
	r := n.cli(t, "", args...)
	if r.code != 0 {
		t.Fatalf("%s: vaultnode %s: %s", n.name, strings.Join(args, " "), r)
	}
	return r.stdout
}

// want runs a command that must end with exit code and mention contains.
func (n *node) want(t testing.TB, code int, contains string, args ...string) result {
	t.Helper()
	r := n.cli(t, "", args...)
	if r.code != code || !strings.Contains(r.stdout+r.stderr, contains) {
		t.Fatalf("%s: vaultnode %s: want exit %d mentioning %q, got %s", n.name, strings.Join(args, " "), code, contains, r)
	}
	return r
}

// ---------------------------------------------------------------------------
// HTTP

// httpClient talks to the daemons' HTTPS APIs: it accepts exactly the
// certificates in the api.crt of the repos whose daemons the suite started
// (read at each handshake: a restored repo's daemon makes its own).
var httpClient = &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
	MaxIdleConnsPerHost: 16,
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true, VerifyConnection: func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 || !trustedAPICert(cs.PeerCertificates[0].Raw) {
			return errors.New("e2e: the API's certificate is not the api.crt of a repo of the suite")
		}
		return nil
	}},
}}

var (
	trustedMu    sync.Mutex
	trustedRepos = map[string]bool{}
)

// trustRepo makes httpClient accept the API certificate of the repo in dir.
func trustRepo(dir string) {
	trustedMu.Lock()
	defer trustedMu.Unlock()
	trustedRepos[dir] = true
}

func trustedAPICert(der []byte) bool {
	trustedMu.Lock()
	defer trustedMu.Unlock()
	for dir := range trustedRepos {
		b, err := os.ReadFile(filepath.Join(dir, "api.crt"))
		if err != nil {
			continue
		}
		if blk, _ := pem.Decode(b); blk != nil && bytes.Equal(blk.Bytes, der) {
			return true
		}
	}
	return false
}

func tryCall(method, url, token, ctype string, body []byte, hdr ...string) (int, map[string]any, error) {
	status, raw, err := rawCall(method, url, token, ctype, body, hdr...)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return status, m, err
}

func rawCall(method, url, token, ctype string, body []byte, hdr ...string) (int, []byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// call makes an HTTP call that must get an answer; an error status must come
// with the documented JSON error body.
func call(t testing.TB, method, url, token, ctype string, body []byte, hdr ...string) (int, map[string]any) {
	t.Helper()
	status, raw, err := rawCall(method, url, token, ctype, body, hdr...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	if status >= 400 && (m["error"] == nil || m["code"] == nil) {
		t.Fatalf("%s %s: status %d without the JSON error body: %q", method, url, status, raw)
	}
	return status, m
}

// ---------------------------------------------------------------------------
// Devices, patients, readings

type device struct {
	id   string
	key  ed25519.PrivateKey
	file string
}

// enrol enrols a device and a patient on n (through its daemon), returns
// the device and the patient's pseudonym.
func (n *node) enrol(t testing.TB, dev, mrn string) (*device, string) {
	t.Helper()
	file := filepath.Join(n.c.dir, n.name+"-"+dev+".key")
	n.must(t, "device", "enroll", dev, "--out", file)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var kf struct {
		Kind, Device, Seed string
	}
	if err := json.Unmarshal(b, &kf); err != nil || kf.Kind != "vaultnode-device-key" || kf.Device != dev {
		t.Fatalf("device key file: %v %s", err, b)
	}
	seed, err := hex.DecodeString(kf.Seed)
	if err != nil || len(seed) != ed25519.SeedSize {
		t.Fatalf("device key seed: %v", err)
	}
	pseudo := strings.TrimSpace(n.must(t, "patient", "create", "--mrn", mrn))
	if len(pseudo) != 64 {
		t.Fatalf("patient create printed %q, want a 64-hex pseudonym", pseudo)
	}
	return &device{id: dev, key: ed25519.NewKeyFromSeed(seed), file: file}, pseudo
}

// reading is one reading as sent and as fetched back.
type reading struct {
	Device  string  `json:"device"`
	Patient string  `json:"patient"`
	Stream  string  `json:"stream"`
	Time    string  `json:"time"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	Code    string  `json:"code"`
}

// key identifies a reading across ingest and fetch (the patient field comes
// back as the pseudonym).
func (r reading) key() string {
	tm, err := time.Parse(time.RFC3339Nano, r.Time)
	if err != nil {
		return "bad time " + r.Time
	}
	return fmt.Sprintf("%s|%s|%d|%v", r.Device, r.Stream, tm.UnixNano(), r.Value)
}

var epoch = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// mkReadings makes n glucose readings of dev for patient, the k-th at
// epoch + (first+k) seconds, with distinct values.
func mkReadings(dev, patient string, first, n int) []reading {
	out := make([]reading, n)
	for k := range out {
		i := first + k
		out[k] = reading{Device: dev, Patient: patient, Stream: "glucose",
			Time:  epoch.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano),
			Value: float64(4000+i%7000) / 1000, Unit: "mmol/L", Code: "loinc:15074-8"}
	}
	return out
}

func lines(rs []reading) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		b, _ := json.Marshal(r)
		out[i] = string(b)
	}
	return out
}

// signBatch makes a signed device batch as docs/API.md specifies it:
// Ed25519 over "vaultnode/device-batch/v1\n" || device || "\n" || each line
// || "\n", then a {"sig":...} line.
func (d *device) signBatch(ls []string) []byte {
	var msg, body bytes.Buffer
	msg.WriteString("vaultnode/device-batch/v1\n" + d.id + "\n")
	for _, l := range ls {
		msg.WriteString(l + "\n")
		body.WriteString(l + "\n")
	}
	sig := ed25519.Sign(d.key, msg.Bytes())
	fmt.Fprintf(&body, "{\"sig\":%q}\n", base64.StdEncoding.EncodeToString(sig))
	return body.Bytes()
}

// signFHIR is the X-Vaultnode-Signature of a FHIR document (docs/API.md).
func (d *device) signFHIR(doc []byte) string {
	msg := append([]byte("vaultnode/device-fhir/v1\n"+d.id+"\n"), doc...)
	return base64.StdEncoding.EncodeToString(ed25519.Sign(d.key, msg))
}

type receipt struct {
	Device   string `json:"device"`
	Readings int    `json:"readings"`
	Batches  []struct {
		Patient  string   `json:"patient"`
		Stream   string   `json:"stream"`
		Seq      uint64   `json:"seq"`
		Root     string   `json:"root"`
		Count    int      `json:"count"`
		Replicas []string `json:"replicas"`
	} `json:"batches"`
}

// ingest posts a signed batch to n's API; it returns the status and, on 200,
// the receipt.
func (n *node) ingest(t testing.TB, d *device, rs []reading) (int, *receipt, error) {
	t.Helper()
	status, raw, err := rawCall("POST", n.api()+"/v1/readings?device="+d.id, n.token(t, "device"), "application/x-ndjson", d.signBatch(lines(rs)))
	if err != nil || status != 200 {
		return status, nil, fmt.Errorf("ingest on %s: %d %s %v", n.name, status, raw, err)
	}
	var rc receipt
	if err := json.Unmarshal(raw, &rc); err != nil {
		return status, nil, fmt.Errorf("receipt: %w: %s", err, raw)
	}
	return status, &rc, nil
}

func (n *node) mustIngest(t testing.TB, d *device, rs []reading) *receipt {
	t.Helper()
	_, rc, err := n.ingest(t, d, rs)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Readings != len(rs) {
		t.Fatalf("receipt for %d readings, sent %d", rc.Readings, len(rs))
	}
	return rc
}

// ---------------------------------------------------------------------------
// Grants and fetches

type grant struct {
	ID        string   `json:"id"`
	Ticket    string   `json:"ticket"`
	StreamTag string   `json:"streamTag"`
	Proxies   []string `json:"proxies"`
	Threshold int      `json:"threshold"`
	Pending   bool     `json:"pending"` // journaled while the chain was away
}

// clinician makes a clinician key pair in the cluster dir: the sealed key
// file (returned) and its public key file (pubKeyFile).
func (c *cluster) clinician(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(c.dir, name+".key")
	if r := c.run(t, "", "keygen", "--out", p); r.code != 0 {
		t.Fatalf("keygen: %s", r)
	}
	return p
}

func (n *node) grant(t testing.TB, mrn, keyFile string, extra ...string) grant {
	t.Helper()
	args := append([]string{"--json", "grant", "--patient", mrn, "--stream", "glucose", "--to", pubKeyFile(keyFile)}, extra...)
	out := n.must(t, args...)
	var g grant
	if err := json.Unmarshal([]byte(out), &g); err != nil || g.ID == "" || g.Ticket == "" {
		t.Fatalf("grant: %v: %s", err, out)
	}
	return g
}

// pubKeyFile is the public key file keygen wrote next to keyFile.
func pubKeyFile(keyFile string) string { return strings.TrimSuffix(keyFile, ".key") + ".pub" }

// fetch runs `vaultnode fetch` from the CLI-only member D.
func (c *cluster) fetch(t testing.TB, keyFile, ticket string, extra ...string) (result, []reading) {
	t.Helper()
	r := c.D.cli(t, "", append([]string{"fetch", "--key", keyFile, "--ticket", ticket}, extra...)...)
	if r.code != 0 {
		return r, nil
	}
	var out []reading
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if l == "" {
			continue
		}
		var rd reading
		if err := json.Unmarshal([]byte(l), &rd); err != nil {
			t.Fatalf("fetch output line %q: %v", l, err)
		}
		out = append(out, rd)
	}
	return r, out
}

// mustFetchAll fetches and checks that the readings are exactly want (as a
// set, each once).
func (c *cluster) mustFetchAll(t testing.TB, keyFile, ticket string, want []reading) {
	t.Helper()
	r, got := c.fetch(t, keyFile, ticket)
	if r.code != 0 {
		t.Fatalf("fetch: %s", r)
	}
	sameReadings(t, got, want, true)
}

// sameReadings checks that every reading of want is in got exactly once;
// with exact, also that got holds nothing else.
func sameReadings(t testing.TB, got, want []reading, exact bool) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range got {
		seen[r.key()]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Fatalf("reading %s fetched %d times", k, n)
		}
	}
	missing := 0
	for _, r := range want {
		if seen[r.key()] != 1 {
			if missing < 5 {
				t.Errorf("reading %s missing", r.key())
			}
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d readings missing (fetched %d)", missing, len(want), len(got))
	}
	if exact && len(got) != len(want) {
		t.Fatalf("fetched %d readings, want %d", len(got), len(want))
	}
}

// ---------------------------------------------------------------------------
// Chain reader: checks what is on the chain, independently of the daemons.

func (c *cluster) chain(t testing.TB) *pointers.Client {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.nodes[0].repo, "chain", "contracts.json"))
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := pointers.ParseAddresses(b)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.GenerateKey()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := pointers.Open(ctx, pointers.Config{ChainDir: t.TempDir(), RPCURL: c.rpc, Key: key, Contracts: &addrs,
		PeerID: []byte("e2e-reader"), ProxyKey: []byte("e2e-reader"), PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("chain reader: %v", err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// commitments returns the on-chain commitments of the stream a grant
// ticket names, as its grantee finds them (the chain names no stream: the
// ticket's chain secret derives the batch tags, the grant's recording
// member is the custodian), checking that their sequence numbers strictly
// increase (no repeat). Gaps are allowed (docs/CHAIN.md: a sequence number
// taken by a batch that was never acknowledged, e.g. when its node was
// killed, is never committed); they are logged.
func (c *cluster) commitments(t testing.TB, ticket, streamTag string) []pointers.CommittedBatch {
	t.Helper()
	grant, tag, secret := parseTicket(t, ticket)
	if want := mustHex32(t, streamTag); tag != want {
		t.Fatalf("the ticket names stream %x, the grant %x", tag[:4], want[:4])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl := c.chain(t)
	g, err := cl.GetGrant(ctx, grant)
	if err != nil {
		t.Fatalf("grant of the ticket: %v", err)
	}
	if !pointers.GrantKeyOf(tag).Binds(grant, g.StreamBinding) {
		t.Fatalf("the grant's on-chain binding does not name the ticket's stream")
	}
	cs, err := cl.StreamCommitments(ctx, secret, g.RecordedBy)
	if err != nil {
		t.Fatalf("stream commitments: %v", err)
	}
	var last uint64
	for i, cb := range cs {
		if cb.Seq <= last {
			t.Fatalf("on-chain commitment %d has seq %d after seq %d: repeated or out of order (%d commitments)", i, cb.Seq, last, len(cs))
		}
		if cb.Seq != last+1 {
			t.Logf("stream sequence gap on chain: %d → %d", last, cb.Seq)
		}
		last = cb.Seq
	}
	return cs
}

// parseTicket reads a grant ticket as a grantee's tool would:
// "vng2." + base64url(grant id ‖ stream tag ‖ chain secret ‖ stream key).
func parseTicket(t testing.TB, s string) (grant, tag [32]byte, secret pointers.StreamSecret) {
	t.Helper()
	rest, ok := strings.CutPrefix(s, "vng2.")
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if !ok || err != nil || len(b) <= 96 {
		t.Fatalf("not a vng2 grant ticket: %q", s)
	}
	return [32]byte(b[:32]), [32]byte(b[32:64]), pointers.StreamSecret(b[64:96])
}

func mustHex32(t testing.TB, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("not 32 hex bytes: %q", s)
	}
	return [32]byte(b)
}

// waitFor polls cond every 100 ms until it holds or d has passed.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitCommitted waits until n has no pending commitment.
func (n *node) waitCommitted(t testing.TB) {
	t.Helper()
	waitFor(t, 60*time.Second, n.name+" pending commitments to reach the chain", func() bool {
		p, _ := n.health(t)["pendingCommitments"].(float64)
		return p == 0
	})
}
