package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// soakDuration is how long the soak's fault injection runs
// (VAULTNODE_E2E_DURATION, default 8 minutes, at most 30).
func soakDuration(t *testing.T) time.Duration {
	d := 8 * time.Minute
	if v := os.Getenv("VAULTNODE_E2E_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d <= 0 {
			t.Fatalf("VAULTNODE_E2E_DURATION=%q: want a Go duration such as 8m", v)
		}
	}
	return min(d, 30*time.Minute)
}

// TestSoak (VAULTNODE_E2E_LONG=1, scripts/e2e-long.sh) streams signed
// batches into all three daemons of a cluster, on both chains side by side,
// while faults are injected at random every 10–30 s for a bounded time:
// SIGKILL of a daemon restarted after 0–3 s, SIGKILL of a daemon left down
// for 40 s (past the replicator's loss timeout), and the chain node restarted
// (geth --dev, or the embedded chain's host). At the end every daemon is
// brought back and, for each custodian, every acknowledged reading must be
// fetched back exactly once with its commitment on the chain once.
func TestSoak(t *testing.T) {
	if !longMode() {
		t.Skip("soak: set VAULTNODE_E2E_LONG=1 (scripts/e2e-long.sh, make e2e-long)")
	}
	dur := soakDuration(t)
	for _, kind := range []string{chainEmbedded, chainGeth} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			soak(t, newCluster(t, kind), dur)
		})
	}
}

func soak(t *testing.T, c *cluster, dur time.Duration) {
	type stream struct {
		n    *node
		mrn  string
		loop *ingestLoop
	}
	var streams []stream
	for i, n := range c.nodes {
		mrn := fmt.Sprintf("MRN-SOAK-%d", i)
		dev, _ := n.enrol(t, fmt.Sprintf("cgm-soak-%d", i), mrn)
		streams = append(streams, stream{n: n, mrn: mrn, loop: n.startIngestLoop(t, dev, mrn, 100, time.Second, false)})
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	deadline := time.Now().Add(dur)
	faults := map[string]int{}
	for time.Now().Before(deadline) {
		time.Sleep(time.Duration(10+rng.IntN(20)) * time.Second)
		if time.Now().After(deadline) {
			break
		}
		switch f := rng.IntN(4); {
		case f <= 1: // a daemon SIGKILLed and restarted at once
			n := c.nodes[rng.IntN(len(c.nodes))]
			n.kill()
			time.Sleep(time.Duration(rng.IntN(3000)) * time.Millisecond)
			n.start(t)
			faults["kill+restart "+n.name]++
		case f == 2: // a daemon lost for longer than the loss timeout
			n := c.nodes[1+rng.IntN(len(c.nodes)-1)]
			n.kill()
			time.Sleep(40 * time.Second)
			n.start(t)
			faults["lost 40s "+n.name]++
		default: // the chain node restarted
			if c.kind == chainGeth {
				c.geth.proc.stop(30 * time.Second)
				time.Sleep(time.Second)
				c.geth.start(t)
				c.mu.Lock()
				c.procs = append(c.procs, c.geth.proc)
				c.mu.Unlock()
			} else {
				c.nodes[0].kill()
				time.Sleep(time.Second)
				c.nodes[0].start(t)
			}
			faults["chain restart"]++
		}
	}
	t.Logf("faults injected over %v: %v", dur, faults)
	for _, n := range c.nodes {
		if !n.running() {
			n.start(t)
		}
	}
	c.waitMesh(t)
	for i, s := range streams {
		sent, acked, roots := s.loop.finish()
		t.Logf("%s: refusals %v, transport errors %d", s.n.name, s.loop.refused, s.loop.failures)
		c.checkAcknowledged(t, s.n, s.mrn, fmt.Sprintf("soak-clin-%d", i), sent, acked, roots)
	}
}
