package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/store"
)

// ingestLoop posts signed batches of size readings to n, one after another,
// until stop is closed or a post fails (the daemon died). It is the
// device side of the crash scenarios: it records exactly what was
// acknowledged.
type ingestLoop struct {
	n         *node
	dev       *device
	mrn       string
	size      int
	token     string
	pause     time.Duration
	stopOnErr bool

	mu       sync.Mutex
	sent     []reading
	acked    []reading
	roots    []string
	refused  map[string]int    // "status code" → count (non-200 answers)
	messages map[string]string // "status code" → the first answer's message
	failures int               // transport errors
	stop     chan struct{}
	done     chan struct{}
}

func (n *node) startIngestLoop(t testing.TB, dev *device, mrn string, size int, pause time.Duration, stopOnErr bool) *ingestLoop {
	l := &ingestLoop{n: n, dev: dev, mrn: mrn, size: size, token: n.token(t, "device"), pause: pause, stopOnErr: stopOnErr,
		refused: map[string]int{}, messages: map[string]string{}, stop: make(chan struct{}), done: make(chan struct{})}
	go l.run()
	return l
}

func (l *ingestLoop) run() {
	defer close(l.done)
	for i := 0; ; i++ {
		select {
		case <-l.stop:
			return
		default:
		}
		rs := mkReadings(l.dev.id, l.mrn, i*l.size, l.size)
		l.mu.Lock()
		l.sent = append(l.sent, rs...)
		l.mu.Unlock()
		status, raw, err := rawCall("POST", l.n.api()+"/v1/readings?device="+l.dev.id, l.token, "application/x-ndjson", l.dev.signBatch(lines(rs)))
		l.mu.Lock()
		switch {
		case err != nil:
			l.failures++
		case status == 200:
			var rc receipt
			if json.Unmarshal(raw, &rc) == nil && rc.Readings == len(rs) {
				l.acked = append(l.acked, rs...)
				for _, b := range rc.Batches {
					l.roots = append(l.roots, b.Root)
				}
			}
		default:
			var e struct{ Code, Error string }
			_ = json.Unmarshal(raw, &e)
			k := fmt.Sprintf("%d %s", status, e.Code)
			if l.refused[k]++; l.refused[k] == 1 {
				l.messages[k] = e.Error
			}
		}
		l.mu.Unlock()
		if err != nil && l.stopOnErr {
			return
		}
		if err != nil || status != 200 {
			time.Sleep(100 * time.Millisecond)
		} else if l.pause > 0 {
			time.Sleep(l.pause)
		}
	}
}

func (l *ingestLoop) ackedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// finish stops the loop and returns what was sent and acknowledged.
func (l *ingestLoop) finish() (sent, acked []reading, roots []string) {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent, l.acked, l.roots
}

func (n *node) restart(t testing.TB) {
	t.Helper()
	if n.running() {
		n.kill()
	}
	n.start(t)
	n.c.waitMesh(t)
}

// checkAcknowledged is the "nothing acknowledged is lost" check after a
// crash: the custodian grants a fresh clinician the stream, D fetches it,
// and every acknowledged reading comes back exactly once, nothing that was
// never sent comes back, and the chain holds each batch commitment once
// (sequence numbers 1..n, every acknowledged root among them, counts
// summing to what was fetched).
func (c *cluster) checkAcknowledged(t testing.TB, custodian *node, mrn, who string, sent, acked []reading, ackedRoots []string) {
	t.Helper()
	custodian.waitCommitted(t)
	key := c.clinician(t, who)
	g := custodian.grant(t, mrn, key, "--until", "1h", "--threshold", "2", "--proxies", "3")
	r, got := c.fetch(t, key, g.Ticket)
	if r.code != 0 {
		t.Fatalf("fetch after the crash: %s", r)
	}
	sameReadings(t, got, acked, false)
	sentSet := map[string]bool{}
	for _, s := range sent {
		sentSet[s.key()] = true
	}
	for _, g := range got {
		if !sentSet[g.key()] {
			t.Fatalf("fetched a reading that was never sent: %+v", g)
		}
	}
	cs := c.commitments(t, g.Ticket, g.StreamTag)
	onChain := map[string]int{}
	total := 0
	for _, cb := range cs {
		rc, err := cid.Cast(cb.RootCID)
		if err != nil {
			t.Fatalf("on-chain root of seq %d: %v", cb.Seq, err)
		}
		onChain[rc.String()]++
		total += int(cb.Count)
	}
	for root, k := range onChain {
		if k != 1 {
			t.Fatalf("batch %s committed %d times", root, k)
		}
	}
	for _, root := range ackedRoots {
		if onChain[root] != 1 {
			t.Fatalf("acknowledged batch %s is not on the chain (%d commitments)", root, len(cs))
		}
	}
	if total != len(got) {
		t.Fatalf("on-chain commitments count %d readings, fetched %d", total, len(got))
	}
	t.Logf("%d readings sent, %d acknowledged, %d fetched back in %d on-chain batches", len(sent), len(acked), len(got), len(cs))
}

// testNonMember: a node that is not a consortium member (initialised on the
// same chain, never admitted) cannot connect to the members: even with a
// valid ticket and the clinician's key, its fetch gets no cfrag and no
// block, and the members count the refused connections.
func testNonMember(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-nm", "MRN-NM")
	rs := mkReadings(dev.id, "MRN-NM", 0, 50)
	a.mustIngest(t, dev, rs)
	a.waitCommitted(t)
	key := c.clinician(t, "nm")
	g := a.grant(t, "MRN-NM", key, "--until", "1h", "--threshold", "1", "--proxies", "3")
	c.mustFetchAll(t, key, g.Ticket, rs) // control: from the member D it works

	e := filepath.Join(c.dir, "E")
	eAPI := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args := []string{"--json", "--repo", e, "init", "--key-file", filepath.Join(c.dir, "E.key"), "--listen", "/ip4/127.0.0.1/tcp/0",
		"--api-addr", eAPI, "--chain-rpc", c.rpc, "--contracts", filepath.Join(a.repo, "chain", "contracts.json")}
	for _, n := range c.nodes {
		args = append(args, "--bootstrap", n.addr())
	}
	if r := c.run(t, "", args...); r.code != 0 {
		t.Fatalf("init of the outsider: %s", r)
	}
	refusedBefore := 0.0
	for _, n := range c.nodes {
		refusedBefore += n.metric(t, "vaultnode_refused_connections_total")
	}
	// The outsider is refused at once, as access refused (exit 3), naming
	// membership.
	r := runBinTimeout(t, c.dir, 30*time.Second, "--repo", e, "fetch", "--key", key, "--ticket", g.Ticket)
	if r.code != 3 || strings.Contains(r.stdout, "mmol/L") || !strings.Contains(r.stderr, "not a consortium member") {
		t.Fatalf("a non-member's fetch: want exit 3 naming membership, got %s", r)
	}
	refusedAfter := 0.0
	for _, n := range c.nodes {
		refusedAfter += n.metric(t, "vaultnode_refused_connections_total")
	}
	if refusedAfter <= refusedBefore {
		t.Fatalf("members counted no refused connection (%v → %v)", refusedBefore, refusedAfter)
	}
	t.Logf("outsider's fetch: exit %d: %s", r.code, strings.TrimSpace(r.stderr))

	// The same through the outsider's daemon (a clinician with no repo using
	// its API): refused, exit 3, naming membership; it was exit 4, "missing
	// data", after waiting for blocks no member would serve.
	en := &node{c: c, name: "E", repo: e, apiAddr: eAPI, log: filepath.Join(c.dir, "E.log")}
	en.start(t)
	defer en.proc.stop(10 * time.Second)
	r = runBinTimeout(t, t.TempDir(), 90*time.Second, "--api", en.api(), "--api-cert", en.apiCert(), "fetch", "--key", key, "--ticket", g.Ticket)
	if r.code != 3 || strings.Contains(r.stdout, "mmol/L") || !strings.Contains(r.stderr, "not a consortium member") {
		t.Fatalf("a fetch through a non-member's daemon: want exit 3 naming membership, got %s", r)
	}
}

// testKillDuringIngest: B (not the chain host) is SIGKILLed while a device
// streams batches to it; after restart every acknowledged reading is there,
// once, and committed once.
func testKillDuringIngest(t *testing.T, c *cluster) {
	b := c.nodes[1]
	dev, _ := b.enrol(t, "cgm-kill", "MRN-KILL")
	l := b.startIngestLoop(t, dev, "MRN-KILL", 40, 0, true)
	waitFor(t, 30*time.Second, "10 acknowledged batches", func() bool { return l.ackedCount() >= 400 })
	b.kill() // SIGKILL, while the next batch is in flight
	sent, acked, roots := l.finish()
	b.restart(t)
	c.checkAcknowledged(t, b, "MRN-KILL", "kill-clin", sent, acked, roots)
}

// testPeerLost: the custodian C is SIGKILLed and not restarted. A clinician
// still fetches everything (blocks from the surviving replica, cfrags from
// the 2 other proxies of a 2-of-3 grant), and the replication factor is
// restored: both surviving members end up holding every batch.
func testPeerLost(t *testing.T, c *cluster) {
	a, b, cc := c.nodes[0], c.nodes[1], c.nodes[2]
	dev, _ := cc.enrol(t, "cgm-lost", "MRN-LOST")
	// Ingest until some batch is missing from A or B: one whose replica set
	// (2 of A, B, C by rendezvous hashing) included C, so that losing C leaves
	// it with a single copy and the scenario tests the repair. Each batch
	// misses A or B with probability 2/3, so 12 batches without one would
	// mean the replica sets are not what docs/DESIGN.md says.
	rs := mkReadings(dev.id, "MRN-LOST", 0, 1200)
	var roots []string
	needsRepair := ""
	for i := 0; i < 12 && needsRepair == ""; i++ {
		rc := cc.mustIngest(t, dev, rs[i*100:(i+1)*100])
		root := rc.Batches[0].Root
		roots = append(roots, root)
		var names []string
		waitFor(t, 30*time.Second, "2 replicas of "+root, func() bool {
			hs := c.holders(root)
			names = names[:0]
			for _, n := range hs {
				names = append(names, n.name)
			}
			return len(hs) >= 2
		})
		if !slices.Contains(names, "A") || !slices.Contains(names, "B") {
			needsRepair = root
			t.Logf("batch %d %s held by %v: losing C leaves it one copy", i, root, names)
		}
	}
	if needsRepair == "" {
		t.Fatalf("all %d batches of C landed on A and B as well: the replica sets never include the custodian", len(roots))
	}
	rs = rs[:100*len(roots)]
	cc.waitCommitted(t)
	key := c.clinician(t, "lost")
	g := cc.grant(t, "MRN-LOST", key, "--until", "1h", "--threshold", "2", "--proxies", "3")
	cc.kill()
	defer cc.restart(t)
	// Replication restored: A and B both hold every batch once C counts as
	// lost (the replicator's loss timeout is 30 s). Unloaded this takes about
	// 32 s; inside `make test` on 2 busy cores it once took over 100 s.
	waitFor(t, 180*time.Second, "A and B to hold every batch of the lost custodian", func() bool {
		for _, root := range roots {
			for _, n := range []*node{a, b} {
				if status, _, err := rawCall("GET", n.api()+"/v1/records/"+root, "", "", nil); err != nil || status != 200 {
					return false
				}
			}
		}
		return true
	})
	c.mustFetchAll(t, key, g.Ticket, rs)
}

// testTamperedBlock: one byte of a stored chunk is flipped in the files of
// a replica, under the running daemon. The altered block is never served
// (the API and bitswap refuse it), the clinician still gets every reading
// (from the other replica), and the replica repairs its copy.
func testTamperedBlock(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-tamper", "MRN-TAMPER")
	rs := mkReadings(dev.id, "MRN-TAMPER", 0, 3000) // one chunk of ~200 KB: in badger's value log
	rc := a.mustIngest(t, dev, rs)
	root := rc.Batches[0].Root
	a.waitCommitted(t)
	var holders []*node
	waitFor(t, 30*time.Second, "2 replicas of the batch", func() bool {
		holders = c.holders(root)
		return len(holders) >= 2
	})
	status, raw, err := rawCall("GET", holders[0].api()+"/v1/records/"+root, "", "", nil)
	if err != nil || status != 200 {
		t.Fatalf("root: %d %v", status, err)
	}
	_, chunks, err := store.DecodeRoot(raw)
	if err != nil || len(chunks) == 0 {
		t.Fatalf("root %s: %v (%d chunks)", root, err, len(chunks))
	}
	chunk := chunks[0].String()
	_, orig, err := rawCall("GET", holders[0].api()+"/v1/records/"+chunk, "", "", nil)
	if err != nil || len(orig) < 8<<10 {
		t.Fatalf("chunk %s: %v (%d bytes)", chunk, err, len(orig))
	}
	// The victim: a replica that is not the custodian if there is one.
	victim := holders[0]
	for _, h := range holders {
		if h != a {
			victim = h
		}
	}
	if k := alterOnDisk(t, filepath.Join(victim.repo, "blocks"), orig); k == 0 {
		t.Fatalf("the chunk's bytes are in no file of %s/blocks", victim.name)
	}
	status, got, err := rawCall("GET", victim.api()+"/v1/records/"+chunk, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if status == 200 {
		if bytes.Equal(got, orig) {
			t.Fatalf("%s still serves the intact chunk: the alteration did not reach the store (cached?)", victim.name)
		}
		t.Fatalf("%s served the altered chunk %s as valid", victim.name, chunk)
	}
	t.Logf("%s refuses the altered chunk: %d", victim.name, status)
	key := c.clinician(t, "tamper")
	g := a.grant(t, "MRN-TAMPER", key, "--until", "1h", "--threshold", "2", "--proxies", "3")
	c.mustFetchAll(t, key, g.Ticket, rs)

	t.Run("repaired from a replica", func(t *testing.T) {
		waitFor(t, 30*time.Second, victim.name+" to serve the repaired chunk", func() bool {
			status, got, err := rawCall("GET", victim.api()+"/v1/records/"+chunk, "", "", nil)
			return err == nil && status == 200 && bytes.Equal(got, orig)
		})
	})
}

// holders lists the running daemons that serve a block.
func (c *cluster) holders(root string) []*node {
	var out []*node
	for _, n := range c.nodes {
		if !n.running() {
			continue
		}
		if status, _, err := rawCall("GET", n.api()+"/v1/records/"+root, "", "", nil); err == nil && status == 200 {
			out = append(out, n)
		}
	}
	return out
}

// alterOnDisk flips one byte in the middle of every copy of block found in
// the files under dir, in place, and returns how many copies it altered.
func alterOnDisk(t testing.TB, dir string, block []byte) int {
	t.Helper()
	altered := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for off := 0; ; {
			i := bytes.Index(b[off:], block)
			if i < 0 {
				break
			}
			at := int64(off + i + len(block)/2)
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteAt([]byte{b[at] ^ 0x5a}, at)
			f.Close()
			if err != nil {
				return err
			}
			altered++
			off += i + len(block)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return altered
}

// testChainRestart: the chain node goes away in the middle of an ingest
// stream and comes back: geth --dev stopped and restarted on the same data
// directory; on the embedded chain, its host A SIGKILLed and restarted. B
// keeps ingesting; its committer catches up, and the chain holds every
// acknowledged batch exactly once.
func testChainRestart(t *testing.T, c *cluster) {
	a, b := c.nodes[0], c.nodes[1]
	dev, _ := b.enrol(t, "cgm-chain", "MRN-CHAIN")
	l := b.startIngestLoop(t, dev, "MRN-CHAIN", 20, 50*time.Millisecond, false)
	waitFor(t, 60*time.Second, "ingest under way", func() bool { return l.ackedCount() >= 100 })
	switch c.kind {
	case chainGeth:
		if !c.geth.proc.stop(30 * time.Second) {
			t.Logf("geth did not stop cleanly on SIGTERM")
		}
		time.Sleep(time.Second)
		c.geth.start(t)
		c.mu.Lock()
		c.procs = append(c.procs, c.geth.proc)
		c.mu.Unlock()
	case chainEmbedded:
		a.kill()
		time.Sleep(time.Second)
		a.start(t)
	}
	before := l.ackedCount()
	waitFor(t, 60*time.Second, "B to acknowledge batches again after the chain's return", func() bool { return l.ackedCount() >= before+100 })
	sent, acked, roots := l.finish()
	t.Logf("while the chain was away: %v refused, %d transport errors", l.refused, l.failures)
	c.waitMesh(t)
	c.checkAcknowledged(t, b, "MRN-CHAIN", "chain-clin", sent, acked, roots)

	t.Run("refusals name the chain", func(t *testing.T) {
		for k := range l.refused {
			if k != "503 chain_unavailable" {
				t.Errorf("ingest refused with %q (%q) while the chain was away, want 503 chain_unavailable", k, l.messages[k])
			}
		}
	})
}

// testHostKilledAfterRevokeErase: the chain host A (on geth: the custodian
// A) revokes one grant and erases another patient, and is SIGKILLed as soon
// as the erasure returns. After its restart the revocation and the erasure
// are in force: no proxy answers for either grant, the erased batches are
// gone from every peer, and the certificate verifies.
func testHostKilledAfterRevokeErase(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-host", "MRN-REV")
	a.must(t, "patient", "create", "--mrn", "MRN-ERA")
	r1, r2 := mkReadings(dev.id, "MRN-REV", 0, 100), mkReadings(dev.id, "MRN-ERA", 0, 100)
	rc1, rc2 := a.mustIngest(t, dev, r1), a.mustIngest(t, dev, r2)
	a.waitCommitted(t)
	key := c.clinician(t, "kim")
	g1 := a.grant(t, "MRN-REV", key, "--until", "1h", "--threshold", "2", "--proxies", "3")
	g2 := a.grant(t, "MRN-ERA", key, "--until", "1h", "--threshold", "2", "--proxies", "3")
	c.mustFetchAll(t, key, g1.Ticket, r1)
	c.mustFetchAll(t, key, g2.Ticket, r2)
	ask1 := c.reencryptAsker(t, key, g1, rc1.Batches[0].Root)
	ask2 := c.reencryptAsker(t, key, g2, rc2.Batches[0].Root)
	for _, n := range c.nodes {
		ask1.wantGranted(t, n)
		ask2.wantGranted(t, n)
	}

	a.must(t, "revoke", g1.ID)
	cert := filepath.Join(c.dir, "host-cert.json")
	eraseArgs := []string{"erase", "--patient", "MRN-ERA", "--request-ref", "DSAR-HOST", "--certificate", cert}
	a.must(t, eraseArgs...)
	a.kill()
	a.start(t)
	c.waitMesh(t)

	c.D.want(t, 3, "revoked", "fetch", "--key", key, "--ticket", g1.Ticket)
	c.D.want(t, 3, "", "fetch", "--key", key, "--ticket", g2.Ticket)
	for _, n := range c.nodes {
		ask1.wantRefused(t, n, "revoked")
		ask2.wantRefused(t, n, "")
		if status, m := call(t, "GET", n.api()+"/v1/records/"+rc2.Batches[0].Root, "", "", nil); status != 404 {
			t.Fatalf("%s serves the erased batch after the restart: %d %v", n.name, status, m)
		}
	}
	if out := c.certifiedByAll(t, a, eraseArgs, cert); !strings.Contains(out, `"valid": true`) {
		t.Fatalf("certificate after the restart: %s", out)
	}
	if strings.Contains(a.must(t, "patient", "list"), "MRN-ERA") {
		t.Fatal("the erased patient is back after the restart")
	}
	if status, _, _ := a.ingest(t, dev, mkReadings(dev.id, "MRN-ERA", 500, 2)); status == 200 {
		t.Fatal("ingest for the erased patient accepted after the restart")
	}
	// The revoked patient's data is still there for the custodian.
	kim2 := c.clinician(t, "kim2")
	c.mustFetchAll(t, kim2, a.grant(t, "MRN-REV", kim2, "--until", "1h").Ticket, r1)
}

// testClock: the proxies judge time with their own clocks. A clinician's
// request carries its expiry (vaultnode fetch: its clock + 60 s) and a proxy
// accepts it while the expiry is ahead of the proxy's clock and at most
// 5 minutes ahead, so a requester's clock may be up to 60 s behind or 4 min
// ahead of a proxy's. Grant windows open and close on the proxies' clocks,
// to the second.
func testClock(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-clock", "MRN-CLOCK")
	rs := mkReadings(dev.id, "MRN-CLOCK", 0, 20)
	rc := a.mustIngest(t, dev, rs)
	a.waitCommitted(t)
	key := c.clinician(t, "lee")
	g := a.grant(t, "MRN-CLOCK", key, "--until", "1h", "--threshold", "1", "--proxies", "3")
	ask := c.reencryptAsker(t, key, g, rc.Batches[0].Root)
	for _, skew := range []struct {
		d      time.Duration
		status int
		reason string
	}{
		{-50 * time.Second, 200, ""},
		{230 * time.Second, 200, ""},
		{-70 * time.Second, 403, "request-expired"},
		{250 * time.Second, 403, "request-expired"},
	} {
		for _, n := range c.nodes {
			status, m := ask.post(t, n, ask.request(t, time.Now().Add(skew.d+time.Minute)))
			if status != skew.status || !strings.Contains(fmt.Sprint(m), skew.reason) {
				t.Fatalf("requester clock %v off, proxy %s: %d %v, want %d %s", skew.d, n.name, status, m, skew.status, skew.reason)
			}
		}
	}

	// A window opening in 3 s and closing 3 s later.
	nb := time.Now().Truncate(time.Second).Add(3 * time.Second)
	na := nb.Add(3 * time.Second)
	w := a.grant(t, "MRN-CLOCK", key, "--from", nb.Format(time.RFC3339), "--until", na.Format(time.RFC3339), "--threshold", "1", "--proxies", "3")
	wask := c.reencryptAsker(t, key, w, rc.Batches[0].Root)
	if time.Now().Before(nb.Add(-300 * time.Millisecond)) {
		for _, n := range c.nodes {
			wask.wantRefused(t, n, "grant-not-yet-valid")
		}
	}
	time.Sleep(time.Until(nb.Add(300 * time.Millisecond)))
	for _, n := range c.nodes {
		wask.wantGranted(t, n)
	}
	time.Sleep(time.Until(na.Add(300 * time.Millisecond)))
	for _, n := range c.nodes {
		wask.wantRefused(t, n, "grant-expired")
	}
	c.D.want(t, 3, "grant-expired", "fetch", "--key", key, "--ticket", w.Ticket)
}

// testReplicasRightAfterConnect: a daemon that has just (re)connected to
// the other members acknowledges a batch only once R members hold it.
func testReplicasRightAfterConnect(t *testing.T, c *cluster) {
	cc := c.nodes[2]
	dev, _ := cc.enrol(t, "cgm-fresh", "MRN-FRESH")
	cc.kill()
	cc.start(t)
	// Wait for the connections only, not for the replicator's next tick.
	waitFor(t, 30*time.Second, "C connected to A and B", func() bool {
		p, _ := cc.health(t)["peers"].(float64)
		return p >= 2
	})
	rc := cc.mustIngest(t, dev, mkReadings(dev.id, "MRN-FRESH", 0, 10))
	if n := len(rc.Batches[0].Replicas); n < 2 {
		t.Fatalf("batch acknowledged with %d replica(s) %v while 2 other members are connected (R=2)", n, rc.Batches[0].Replicas)
	}
}

// testCLIMemberNotAReplica: a member used from the CLI only (D: its fetch
// runs a node for a few seconds and exits) must not be counted as a replica
// holder: batches ingested right after one of its fetches still get R=2
// replicas on daemons.
func testCLIMemberNotAReplica(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-cli", "MRN-CLI")
	a.mustIngest(t, dev, mkReadings(dev.id, "MRN-CLI", 0, 10))
	a.waitCommitted(t)
	key := c.clinician(t, "cli")
	g := a.grant(t, "MRN-CLI", key, "--until", "1h")
	c.mustFetchAll(t, key, g.Ticket, mkReadings(dev.id, "MRN-CLI", 0, 10))
	// D fetches again and again for 6 s (a clinician's tool polling) while
	// A ingests a batch every 300 ms.
	stop := time.Now().Add(6 * time.Second)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for time.Now().Before(stop) {
			cmd := exec.Command(bin, "--repo", c.D.repo, "fetch", "--key", key, "--ticket", g.Ticket)
			cmd.Env = append(os.Environ(), "VAULTNODE_PASSPHRASE=")
			_ = cmd.Run()
		}
	}()
	defer func() { <-done }()
	bad := 0
	for i := 1; i <= 25; i++ {
		time.Sleep(300 * time.Millisecond)
		rc := a.mustIngest(t, dev, mkReadings(dev.id, "MRN-CLI", i*10, 10))
		reps := rc.Batches[0].Replicas
		onD := false
		for _, r := range reps {
			onD = onD || r == c.D.peerID
		}
		if len(reps) < 2 || onD {
			bad++
			t.Errorf("batch %d acknowledged with replicas %v (D is %s)", i, reps, c.D.peerID)
		}
	}
	if bad > 0 {
		t.Fatalf("%d of 25 batches ingested while a CLI member fetches lack a second daemon replica", bad)
	}
}

// testGateStaysShut: a member that returns while every other member is
// down cannot learn the purge orders it missed, so it serves nothing — not
// the ciphertext of a patient erased while it was away — and says so on
// /readyz, until a member answers; then it executes the orders and serves.
// It opened its gate anyway (geth only: the embedded chain's host is a
// member, and without it the returning member cannot start at all).
func testGateStaysShut(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-gate", "MRN-GATE")
	rc := a.mustIngest(t, dev, mkReadings(dev.id, "MRN-GATE", 0, 40))
	root := rc.Batches[0].Root
	var x, y *node // x holds a replica and is away during the erasure
	for _, n := range c.nodes[1:] {
		if slices.Contains(rc.Batches[0].Replicas, n.peerID) && x == nil {
			x = n
		} else {
			y = n
		}
	}
	if x == nil {
		t.Fatalf("no replica of %s on B or C: %v", root, rc.Batches[0].Replicas)
	}
	if status, _ := call(t, "GET", x.api()+"/v1/records/"+root, "", "", nil); status != 200 {
		t.Fatalf("%s does not serve its replica: %d", x.name, status)
	}
	x.kill()
	a.must(t, "erase", "--patient", "MRN-GATE", "--request-ref", "DSAR-GATE", "--certificate", filepath.Join(c.dir, "gate-cert.json"))
	a.kill()
	y.kill()
	x.start(t) // alone: no member to ask what it missed
	if status, m := call(t, "GET", x.api()+"/v1/records/"+root, "", "", nil); status != 404 {
		t.Fatalf("%s, back alone, serves a batch erased while it was away: %d %v", x.name, status, m)
	}
	status, raw, err := rawCall("GET", x.api()+"/readyz", "", "", nil)
	var ready struct {
		Checks map[string]struct{ OK bool } `json:"checks"`
	}
	if err != nil || status != 503 || json.Unmarshal(raw, &ready) != nil || ready.Checks["purgeSync"].OK {
		t.Fatalf("/readyz of a member that could not sync: %d %s %v", status, raw, err)
	}
	a.start(t)
	y.start(t)
	waitFor(t, 90*time.Second, x.name+" to sync its purge orders and serve again", func() bool {
		status, _, err := tryCall("GET", x.api()+"/readyz", "", "", nil)
		return err == nil && status == 200
	})
	if status, _ := call(t, "GET", x.api()+"/v1/records/"+root, "", "", nil); status != 404 {
		t.Fatalf("%s serves the erased batch after syncing: %d", x.name, status)
	}
	c.waitMesh(t)
}

// testChainHostLost: the chain host A is killed. B, whose only chain
// endpoint was A, keeps acknowledging readings from a device the chain had
// confirmed, restarts while the chain is still away (its health says
// degraded and why), keeps ingesting, and revokes a grant (pending). When A
// returns, the members reconnect, every commitment and the revocation land
// once, and nothing acknowledged is lost.
func testChainHostLost(t *testing.T, c *cluster) {
	a, b := c.nodes[0], c.nodes[1]
	dev, _ := b.enrol(t, "cgm-lost", "MRN-LOST")
	var sent, acked []reading
	var roots []string
	ingest := func(i int, what string) {
		t.Helper()
		rs := mkReadings(dev.id, "MRN-LOST", i*50, 50)
		sent = append(sent, rs...)
		status, rc, err := b.ingest(t, dev, rs)
		if err != nil {
			t.Fatalf("%s: %d %v", what, status, err)
		}
		acked = append(acked, rs...)
		for _, bt := range rc.Batches {
			roots = append(roots, bt.Root)
		}
	}
	ingest(0, "ingest with the chain up")
	g := b.grant(t, "MRN-LOST", c.clinician(t, "lost-clin"), "--until", "1h")
	// A second patient, erased while the chain is away.
	b.must(t, "patient", "create", "--mrn", "MRN-LOST-ERA")
	era := mkReadings(dev.id, "MRN-LOST-ERA", 0, 20)
	rcEra := b.mustIngest(t, dev, era)
	gEra := b.grant(t, "MRN-LOST-ERA", c.clinician(t, "lost-era-clin"), "--until", "1h")
	b.waitCommitted(t)

	a.kill()
	ingest(1, "ingest with the chain host dead")
	b.kill()
	b.start(t)
	h := b.health(t)
	if h["status"] != "degraded" || !strings.Contains(fmt.Sprint(h["reasons"]), "chain") {
		t.Fatalf("B's health with the chain away: %v; want degraded, naming the chain", h)
	}
	ingest(2, "ingest after B restarted without the chain")
	// Enrolment needs the chain: refused, and no half-enrolled device left.
	b.want(t, 1, "chain", "device", "enroll", "cgm-during-outage", "--out", filepath.Join(c.dir, "outage-dev.key"))
	if strings.Contains(b.must(t, "device", "list"), "cgm-during-outage") {
		t.Fatal("a device enrolled while the chain was away is listed (its key was never handed out)")
	}
	out := b.must(t, "revoke", g.ID)
	if !strings.Contains(out, "pending") {
		t.Fatalf("revoke with the chain away: %q; want it reported pending", out)
	}
	// A grant made while the chain is away is journaled (it was refused):
	// recorded when the chain answers, its kfrags delivered then.
	pendKey := c.clinician(t, "lost-pending-clin")
	gPend := b.grant(t, "MRN-LOST", pendKey, "--until", "1h")
	if !gPend.Pending {
		t.Fatalf("grant with the chain away: %+v; want it pending", gPend)
	}
	// Erasure: keys destroyed and purge ordered now, the on-chain record
	// (and the grant's revocation) pending; the certificate follows.
	cert := filepath.Join(c.dir, "lost-era-cert.json")
	eraseArgs := []string{"erase", "--patient", "MRN-LOST-ERA", "--request-ref", "DSAR-LOST", "--certificate", cert}
	if out := b.must(t, eraseArgs...); !strings.Contains(out, "pending") {
		t.Fatalf("erase with the chain away: %q; want it reported pending", out)
	}
	if strings.Contains(b.must(t, "patient", "list"), "MRN-LOST-ERA") {
		t.Fatal("the patient erased during the outage is still listed")
	}

	a.start(t)
	waitFor(t, 90*time.Second, "B healthy again (chain back, members reconnected)", func() bool {
		h := b.health(t)
		return h["status"] == "ok"
	})
	waitFor(t, 60*time.Second, "the pending revocation to land", func() bool {
		var v struct {
			Revoked bool `json:"revoked"`
		}
		r := c.run(t, "", "--repo", b.repo, "--json", "grant", "show", g.ID)
		return r.code == 0 && json.Unmarshal([]byte(r.stdout), &v) == nil && v.Revoked
	})
	waitFor(t, 120*time.Second, "the grant made during the outage to serve its clinician", func() bool {
		r, got := c.fetch(t, pendKey, gPend.Ticket)
		return r.code == 0 && len(got) > 0
	})
	var last result
	deadline := time.Now().Add(90 * time.Second)
	for {
		last = b.cli(t, "", eraseArgs...)
		if last.code == 0 && !strings.Contains(last.stdout, "pending") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the erasure made during the outage did not finish after the chain came back: %s", last)
		}
		time.Sleep(time.Second)
	}
	if out := c.certifiedByAll(t, b, eraseArgs, cert); !strings.Contains(out, `"valid": true`) {
		t.Fatalf("certificate of the erasure made during the outage: %s", out)
	}
	c.waitMesh(t)
	for _, n := range c.nodes {
		if status, m := call(t, "GET", n.api()+"/v1/records/"+rcEra.Batches[0].Root, "", "", nil); status != 404 {
			t.Fatalf("%s serves a batch of the patient erased during the outage: %d %v", n.name, status, m)
		}
	}
	var v struct {
		Revoked bool `json:"revoked"`
	}
	r := c.run(t, "", "--repo", b.repo, "--json", "grant", "show", gEra.ID)
	if json.Unmarshal([]byte(r.stdout), &v) != nil || !v.Revoked {
		t.Fatalf("the erased patient's grant after the outage: %s", r)
	}
	c.checkAcknowledged(t, b, "MRN-LOST", "lost-clin-2", sent, acked, roots)
}

// testOutsiderSockets: an outsider holds 1,000 idle TCP sockets and 100
// stalled handshakes on member A's libp2p port (about 80 idle sockets used
// to lock members out). Meanwhile the story still works at A: a member
// restarts and reconnects to it, A ingests with R replicas, grants, and a
// clinician fetches through D.
func testOutsiderSockets(t *testing.T, c *cluster) {
	a, b := c.nodes[0], c.nodes[1]
	target := fmt.Sprintf("127.0.0.1:%d", a.p2pPort)
	var held []net.Conn
	defer func() {
		for _, s := range held {
			s.Close()
		}
	}()
	for i := 0; i < 1000; i++ {
		s, err := net.Dial("tcp", target)
		if err != nil {
			t.Fatalf("idle socket %d: %v", i, err)
		}
		held = append(held, s)
	}
	// multistream-select's header and a proposal of Noise, then nothing.
	stall := []byte("\x13/multistream/1.0.0\n\x07/noise\n")
	for i := 0; i < 100; i++ {
		s, err := net.Dial("tcp", target)
		if err != nil {
			t.Fatalf("stalled handshake %d: %v", i, err)
		}
		held = append(held, s)
		if _, err := s.Write(stall); err != nil {
			t.Fatal(err)
		}
	}
	b.restart(t) // B's daemon must get back in to A while the sockets are held
	dev, _ := a.enrol(t, "cgm-siege", "MRN-SIEGE")
	rs := mkReadings(dev.id, "MRN-SIEGE", 0, 100)
	rc := a.mustIngest(t, dev, rs)
	if len(rc.Batches) != 1 || len(rc.Batches[0].Replicas) < 2 {
		t.Fatalf("ingest under siege: %+v, want R=2 replicas", rc)
	}
	clin := c.clinician(t, "clin-siege")
	g := a.grant(t, "MRN-SIEGE", clin, "--until", "1h", "--threshold", "2", "--proxies", "3")
	a.waitCommitted(t)
	c.mustFetchAll(t, clin, g.Ticket, rs)
}

// testRestoreAfterErasure: the chain host's backup, taken before a patient
// was erased, is restored. The restored repo brings the embedded chain back
// as old as the backup, which knows nothing of the erasure; the restore
// asks the other members instead, executes their purge order and leaves the
// patient out. Without a member to ask it would stop (cmd's backup test).
func testRestoreAfterErasure(t *testing.T, c *cluster) {
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-bk", "MRN-BK")
	a.mustIngest(t, dev, mkReadings(dev.id, "MRN-BK", 0, 20))
	a.must(t, "patient", "create", "--mrn", "MRN-BK-KEEP")
	a.waitCommitted(t)
	key := filepath.Join(c.dir, "backup.key")
	if err := os.WriteFile(key, bytes.Repeat([]byte("k"), 40), 0o600); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(c.dir, "a-before-erasure.vnbk")
	a.proc.stop(30 * time.Second) // a backup wants the repo to itself
	a.must(t, "backup", "--out", backup, "--backup-key-file", key)
	a.start(t)
	c.waitMesh(t)
	cert := filepath.Join(c.dir, "bk-cert.json")
	a.must(t, "erase", "--patient", "MRN-BK", "--request-ref", "DSAR-BK", "--certificate", cert)

	restored := filepath.Join(c.dir, "A-restored")
	out := c.run(t, "", "--json", "--repo", restored, "restore", "--backup-key-file", key, backup)
	if out.code != 0 {
		t.Fatalf("restore of the chain host's old backup: %s", out)
	}
	var res struct {
		ErasedSkipped  int      `json:"erasedSkipped"`
		ErasureSources []string `json:"erasureSources"`
	}
	if err := json.Unmarshal([]byte(out.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.ErasedSkipped != 1 || !slices.Contains(res.ErasureSources, "members") {
		t.Fatalf("restore: %s; want the erased patient left out, learnt from the members", out.stdout)
	}
	// The restored repo replaces A (same identity, same ports); A still runs
	// here, so it reads its patients without serving the chain.
	patchConfig(t, restored, func(m map[string]any) {
		delete(m["chain"].(map[string]any), "serveRpc")
	})
	list := c.run(t, "", "--json", "--repo", restored, "patient", "list")
	var pl []struct {
		MRN string `json:"mrn"`
	}
	if err := json.Unmarshal([]byte(list.stdout), &pl); err != nil || list.code != 0 {
		t.Fatalf("restored patients: %v %s", err, list)
	}
	var mrns []string
	for _, p := range pl {
		mrns = append(mrns, p.MRN)
	}
	if slices.Contains(mrns, "MRN-BK") || !slices.Contains(mrns, "MRN-BK-KEEP") {
		t.Fatalf("restored patients %v: the erased patient came back, or the other is missing", mrns)
	}
}
