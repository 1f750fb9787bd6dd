package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkIngestReplicated (make bench-ingest-replicated, recorded in
// docs/BENCHMARKS.md): two daemons on this machine, A (hosting the embedded
// chain) and B (a member), both with replication.factor 2. Concurrent
// clients post pre-signed device batches to A's API; one op is one
// submission of benchReadings() readings. The sub-benchmarks differ only in
// replication.writeConcern:
//
//	R=1  writeConcern 1: acknowledged once the batch is durable on A
//	R=2  writeConcern 2: acknowledged once A and B both hold it durably
//
// (As measured in docs/BENCHMARKS.md, ingest asks the replica set and
// waits for its answers before acknowledging whatever the write concern;
// writeConcern 1 only accepts a shortfall.)
//
// Every answer must be 200 with a receipt naming at least R replicas per
// batch. Metrics: readings/s (wall clock), and CPU seconds per million
// readings of the daemon processes (utime+stime from /proc/PID/stat; A's
// figure includes the embedded chain it hosts).
//
// Each sub-benchmark gets a fresh pair, set up outside the timer when its
// first round starts (go test runs the -count rounds of a sub-benchmark one
// after another, so R=1's rounds all come before R=2's); the pair of R=1 is
// gone before R=2's is set up. Within a sub-benchmark the rounds share the
// pair, so the store grows the same way for both.
//
// Env: VAULTNODE_BENCH_CLIENTS (concurrent clients, default 4: 1, 2, 4 and
// 8 were tried, 4 and 8 gave the most),
// VAULTNODE_BENCH_READINGS (readings per submission, default 5000),
// VAULTNODE_BENCH_STREAMS (patient×stream pairs per submission, default 1).
func BenchmarkIngestReplicated(b *testing.B) {
	if testing.Short() {
		b.Skip("BenchmarkIngestReplicated starts two daemons and an embedded chain: not under -short (make bench-ingest-replicated)")
	}
	var p *benchPair
	b.Cleanup(func() {
		if p != nil {
			p.close()
		}
	})
	for _, r := range []int{1, 2} {
		b.Run(fmt.Sprintf("R=%d", r), func(b2 *testing.B) {
			if p == nil || p.concern != r {
				if p != nil {
					p.close()
					p = nil
				}
				p = newBenchPair(b2, b.TempDir())
				p.configure(b2, r)
			}
			b2.Cleanup(func() {
				if b2.Failed() && p != nil {
					p.dumpLogs(b2)
				}
			})
			p.bench(b2, r)
		})
	}
}

func benchEnv(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return def
}

func benchClients() int  { return benchEnv("VAULTNODE_BENCH_CLIENTS", 4) }
func benchReadings() int { return benchEnv("VAULTNODE_BENCH_READINGS", 5000) }
func benchStreams() int  { return benchEnv("VAULTNODE_BENCH_STREAMS", 1) }

// benchPair: the two daemons and the devices posting to A.
type benchPair struct {
	c        *cluster
	a, bn    *node
	concern  int // the writeConcern the daemons run with now
	devs     []*device
	mrns     []string
	token    string
	next     []int // per client: submissions made (which patient and stream the next one goes to)
	off      []int // per client: readings made (every reading, so every submission, is new)
	warmedUp bool
	dumped   bool // the daemons' logs were shown after a failure
}

// benchStreamKinds: the streams readings go to (name, unit, code).
var benchStreamKinds = [][3]string{
	{"glucose", "mmol/L", "loinc:15074-8"},
	{"heart-rate", "/min", "loinc:8867-4"},
}

// newBenchPair sets up A and B in dir the way newCluster does (which takes
// a *testing.T and makes three daemons and a CLI-only member): A inits the
// embedded chain serving JSON-RPC, B joins with A's contracts, A admits B,
// both bootstrap to each other. The daemons are started by configure.
func newBenchPair(b testing.TB, dir string) *benchPair {
	b.Helper()
	start := time.Now()
	c := &cluster{kind: chainEmbedded, dir: dir}
	p := &benchPair{c: c}
	ok := false
	b.Cleanup(func() { // a failed set-up leaves nothing running
		if !ok && b.Failed() {
			p.dumpLogs(b)
			p.close()
		}
	})
	mk := func(name string) *node {
		return &node{c: c, name: name, repo: filepath.Join(c.dir, name), log: filepath.Join(c.dir, name+".log"),
			apiAddr: fmt.Sprintf("127.0.0.1:%d", freePort(b)), p2pPort: freePort(b)}
	}
	a, bn := mk("A"), mk("B")
	c.nodes = []*node{a, bn}
	initArgs := func(n *node) []string {
		return []string{"--json", "--repo", n.repo, "init", "--key-file", filepath.Join(c.dir, n.name+".key"),
			"--listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.p2pPort), "--api-addr", n.apiAddr}
	}
	c.rpc = fmt.Sprintf("http://127.0.0.1:%d", freePort(b))
	c.initNode(b, a, append(initArgs(a), "--serve-rpc", strings.TrimPrefix(c.rpc, "http://"))...)
	a.start(b) // B's init needs A's chain
	c.initNode(b, bn, append(initArgs(bn), "--chain-rpc", c.rpc, "--contracts", filepath.Join(a.repo, "chain", "contracts.json"))...)
	a.must(b, "member", "add", "--account", bn.account, "--peer-id", bn.peerID, "--proxy-key", bn.proxyKey)
	p.a, p.bn = a, bn
	k := benchClients()
	for i := 0; i < k; i++ {
		dev, _ := a.enrol(b, fmt.Sprintf("bench-%d", i), fmt.Sprintf("MRN-BENCH-%d", i))
		p.devs = append(p.devs, dev)
		p.mrns = append(p.mrns, fmt.Sprintf("MRN-BENCH-%d", i))
	}
	p.token = a.token(b, "device")
	p.next, p.off = make([]int, k), make([]int, k)
	a.proc.stop(30 * time.Second)
	for _, n := range c.nodes {
		other := a
		if n == a {
			other = bn
		}
		patchConfig(b, n.repo, func(m map[string]any) {
			m["p2p"].(map[string]any)["bootstrap"] = []any{other.addr()}
			m["chain"].(map[string]any)["commitInterval"] = commitInterval.String()
		})
	}
	ok = true
	b.Logf("pair set up in %v (A %s, B %s), %d devices", time.Since(start).Round(time.Millisecond), a.peerID, bn.peerID, k)
	return p
}

// close kills both daemons and removes their repos.
func (p *benchPair) close() {
	for _, n := range p.c.nodes {
		if n.proc != nil {
			n.proc.kill()
		}
	}
	os.RemoveAll(p.c.dir)
}

// dumpLogs logs the tail of both daemons' logs (once).
func (p *benchPair) dumpLogs(b testing.TB) {
	if p.dumped {
		return
	}
	p.dumped = true
	for _, n := range p.c.nodes {
		b.Logf("--- %s log (tail):\n%s", n.name, tail(n.log, 80))
	}
}

// configure (re)starts both daemons with replication.factor 2 and the given
// write concern, unless they already run with it.
func (p *benchPair) configure(b *testing.B, concern int) {
	b.Helper()
	if p.concern == concern && p.a.running() && p.bn.running() {
		return
	}
	for _, n := range p.c.nodes {
		if n.running() {
			n.proc.stop(30 * time.Second)
		}
		patchConfig(b, n.repo, func(m map[string]any) {
			r, _ := m["replication"].(map[string]any)
			if r == nil {
				r = map[string]any{}
				m["replication"] = r
			}
			r["factor"] = 2
			r["writeConcern"] = concern
		})
	}
	p.a.start(b)
	p.bn.start(b)
	p.c.waitMesh(b)
	// A restarted daemon serves no block until it has synced the purge
	// orders it missed from a member (GET /readyz "purgeSync"); a batch
	// ingested before that waits for B's fetch from A to time out.
	for _, n := range p.c.nodes {
		waitFor(b, 60*time.Second, n.name+" /readyz", func() bool {
			status, _, err := tryCall("GET", n.api()+"/readyz", "", "", nil)
			return err == nil && status == 200
		})
	}
	p.concern = concern
	p.warmedUp = false
}

// submission makes client i's next signed submission: benchReadings()
// readings over benchStreams() patient×stream pairs, rotating over the
// patients and streams.
func (p *benchPair) submission(i, readings, streams int) []byte {
	dev := p.devs[i]
	rs := make([]reading, 0, readings)
	for g := 0; g < streams; g++ {
		k := p.next[i] + g // which patient and stream this group goes to
		mrn := p.mrns[(i+k)%len(p.mrns)]
		kind := benchStreamKinds[(k/len(p.mrns))%len(benchStreamKinds)]
		n := readings / streams
		if g == streams-1 {
			n = readings - len(rs)
		}
		for _, r := range mkReadings(dev.id, mrn, p.off[i]+len(rs), n) {
			r.Stream, r.Unit, r.Code = kind[0], kind[1], kind[2]
			rs = append(rs, r)
		}
	}
	p.next[i]++
	p.off[i] += len(rs)
	return dev.signBatch(lines(rs))
}

// post sends one submission and checks the answer: 200, every reading
// acknowledged, at least want replicas per batch.
func (p *benchPair) post(dev string, body []byte, readings, want int) error {
	status, raw, err := rawCall("POST", p.a.api()+"/v1/readings?device="+dev, p.token, "application/x-ndjson", body)
	if err != nil {
		return fmt.Errorf("POST /v1/readings: %v", err)
	}
	if status != 200 {
		return fmt.Errorf("POST /v1/readings (writeConcern %d, B running: %v): status %d: %s", p.concern, p.bn.running(), status, raw)
	}
	var rc receipt
	if err := json.Unmarshal(raw, &rc); err != nil {
		return fmt.Errorf("receipt: %v: %.300s", err, raw)
	}
	if rc.Readings != readings {
		return fmt.Errorf("receipt for %d readings, sent %d", rc.Readings, readings)
	}
	for _, bt := range rc.Batches {
		if len(bt.Replicas) < want {
			return fmt.Errorf("batch %s/%d (%s) acknowledged with %d replica(s) %v, write concern %d", bt.Stream, bt.Seq, bt.Root, len(bt.Replicas), bt.Replicas, want)
		}
	}
	return nil
}

func (p *benchPair) bench(b *testing.B, concern int) {
	p.configure(b, concern)
	k, per, streams := len(p.devs), benchReadings(), benchStreams()
	if !p.warmedUp {
		// Outside the timer: every stream's keys created and cached, its
		// first commitment made, the connections up.
		// Client i's warm-up submissions go to every patient and stream.
		var wg sync.WaitGroup
		errs := make([]error, k)
		for i := 0; i < k; i++ {
			var bodies [][]byte
			for j := 0; j < len(p.mrns)*len(benchStreamKinds); j++ {
				bodies = append(bodies, p.submission(i, 100, 1))
			}
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for _, body := range bodies {
					if errs[i] = p.post(p.devs[i].id, body, 100, concern); errs[i] != nil {
						return
					}
				}
			}(i)
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatalf("warm-up: %v", err)
			}
		}
		p.warmedUp = true
	}
	// Pre-signed submissions, b.N in all, dealt to the clients.
	work := make([][][]byte, k)
	for op := 0; op < b.N; op++ {
		i := op % k
		work[i] = append(work[i], p.submission(i, per, streams))
	}
	idle := ""
	if b.N > 1 {
		// What the daemons burn with nothing to do (chain, repair and
		// liveness loops), for reading the CPU figures.
		c0, t0 := [2]float64{procCPU(b, p.a), procCPU(b, p.bn)}, time.Now()
		time.Sleep(2 * time.Second)
		d := time.Since(t0).Seconds()
		idle = fmt.Sprintf("; idle before: A %.2f, B %.2f cores", (procCPU(b, p.a)-c0[0])/d, (procCPU(b, p.bn)-c0[1])/d)
	}
	cpu0 := [2]float64{procCPU(b, p.a), procCPU(b, p.bn)}
	load0 := loadAvg()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, k)
	for i := 0; i < k; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for _, body := range work[i] {
				if err := p.post(p.devs[i].id, body, per, concern); err != nil {
					errs[i] = err
					return
				}
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	cpu1 := [2]float64{procCPU(b, p.a), procCPU(b, p.bn)}
	mreadings := float64(b.N*per) / 1e6
	b.ReportMetric(float64(b.N*per)/elapsed.Seconds(), "readings/s")
	b.ReportMetric((cpu1[0]-cpu0[0]+cpu1[1]-cpu0[1])/mreadings, "cpu-s/Mreadings")
	b.ReportMetric((cpu1[0]-cpu0[0])/mreadings, "A-cpu-s/Mreadings")
	b.ReportMetric((cpu1[1]-cpu0[1])/mreadings, "B-cpu-s/Mreadings")
	if b.N > 1 {
		b.Logf("R=%d: %d clients × %d readings/submission (%d patient×stream each), %d submissions in %v (%s–%s); daemons used A %.2f, B %.2f cores; load average %s → %s%s",
			concern, k, per, streams, b.N, elapsed.Round(time.Millisecond), start.Format("15:04:05.000"), start.Add(elapsed).Format("15:04:05.000"), (cpu1[0]-cpu0[0])/elapsed.Seconds(), (cpu1[1]-cpu0[1])/elapsed.Seconds(), load0, loadAvg(), idle)
	}
}

// procCPU is a daemon's user+system CPU time so far, in seconds, all threads
// (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s on Linux).
func procCPU(b *testing.B, n *node) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n.proc.cmd.Process.Pid))
	if err != nil {
		b.Fatalf("%s: %v", n.name, err)
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // f[0] is field 3 (state)
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("%s: /proc/PID/stat: %q", n.name, s)
	}
	return (ut + st) / 100
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
