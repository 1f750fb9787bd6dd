//go:build unix

package p2p

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

const (
	idleAttackSockets    = 1000
	stalledAttackSockets = 100
	// memberAdmittedWithin bounds how long a member may take to connect to
	// and fetch from a member under attack. It is longer than the inbound
	// handshake timeout (a member that found the unauthenticated budget
	// full gets in once the attacker's sockets are cut) and shorter than
	// libp2p's default accept timeout (15 s), under which the sockets held
	// the budget.
	memberAdmittedWithin = 10 * time.Second
)

// raiseFDLimit lifts the soft limit on open files to the hard limit and
// skips the test when it stays below need: the attack's client and server
// ends are both in this process.
func raiseFDLimit(t *testing.T, need uint64) {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("cannot read the open-file limit: %v", err)
	}
	// Rlimit's fields are uint64 on Linux and macOS, int64 on the BSDs.
	if uint64(lim.Cur) < need && lim.Max > lim.Cur {
		raised := lim
		raised.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err == nil {
			lim = raised
		}
	}
	if uint64(lim.Cur) < need {
		t.Skipf("the attack needs %d open files, the limit is %d (hard %d): raise it (ulimit -n) to run this test", need, lim.Cur, lim.Max)
	}
}

// tcpDialAddr is the host:port of n's TCP listener.
func tcpDialAddr(t *testing.T, n *Node) string {
	t.Helper()
	for _, a := range n.Host.Addrs() {
		if _, err := a.ValueForProtocol(ma.P_TCP); err != nil {
			continue
		}
		_, hostport, err := manet.DialArgs(a)
		if err != nil {
			t.Fatal(err)
		}
		return hostport
	}
	t.Fatal("the node does not listen on TCP")
	return ""
}

// multistream-select messages are a uvarint length, then the line.
func mssLine(s string) []byte { return append([]byte{byte(len(s) + 1)}, s+"\n"...) }

// An outsider holding many idle TCP sockets and stalled handshakes on a
// member's libp2p port must not stop another member from connecting and
// fetching a block. Before the fix ~80 idle sockets filled libp2p's default
// budget of unauthenticated connections for 15 s (its accept timeout) and
// a member's dial failed with "failed to negotiate security protocol: EOF".
// All test connections come from 127.0.0.1, so no per-IP limit can tell
// the attacker from the member here (and loopback is exempt from it): what
// lets the member in is that anonymous connections have their own budget,
// apart from the members', and are cut after a short handshake timeout.
// With a high open-file limit the budget exceeds this attack and the member
// gets in at once; with a low one (ulimit -n 2600: a budget of 325) it gets
// in once the attacker's sockets are cut.
func TestOutsidersCannotLockMembersOut(t *testing.T) {
	raiseFDLimit(t, 2*(idleAttackSockets+stalledAttackSockets)+300)
	skA, idA := newIdentity(t)
	skB, idB := newIdentity(t)
	members := NewMemberSet(idA, idB)
	a := startPeer(t, skA, members)
	root, blks := testDAG(t, 2)
	putAll(t, a, blks)
	target := tcpDialAddr(t, a.Node)

	var attack []net.Conn
	t.Cleanup(func() {
		for _, c := range attack {
			c.Close()
		}
	})
	for range idleAttackSockets {
		c, err := net.Dial("tcp", target)
		if err != nil {
			t.Fatalf("open idle socket %d: %v", len(attack), err)
		}
		attack = append(attack, c)
	}
	// A stalled handshake: multistream-select's header and a proposal of
	// Noise, then nothing.
	stall := append(mssLine("/multistream/1.0.0"), mssLine("/noise")...)
	for range stalledAttackSockets {
		c, err := net.Dial("tcp", target)
		if err != nil {
			t.Fatalf("open stalled handshake %d: %v", len(attack)-idleAttackSockets, err)
		}
		attack = append(attack, c)
		if _, err := c.Write(stall); err != nil {
			t.Fatalf("start stalled handshake: %v", err)
		}
	}
	attackStart := time.Now()
	waitAccepted(t, a.Node)

	b := startPeer(t, skB, members)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), memberAdmittedWithin)
	defer cancel()
	// A member retries (KeepMembersConnected does it with backoff); the
	// swarm's own dial backoff is bypassed so the retries really dial.
	var lastErr error
	for !b.Connected(a.ID()) {
		dctx, dcancel := context.WithTimeout(network.WithForceDirectDial(ctx, "test"), 2*time.Second)
		lastErr = b.Connect(dctx, a.AddrInfo())
		dcancel()
		if lastErr == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("a member could not connect to a member under attack within %v: %v", memberAdmittedWithin, lastErr)
		case <-time.After(250 * time.Millisecond):
		}
	}
	blk, err := b.Blocks.GetBlock(ctx, root)
	if err != nil {
		t.Fatalf("a member could not fetch a block from a member under attack within %v (connected after %v): %v",
			memberAdmittedWithin, time.Since(start).Round(time.Millisecond), err)
	}
	if blk.Cid() != root {
		t.Fatalf("fetched %s, want %s", blk.Cid(), root)
	}
	t.Logf("member connected and fetched a block in %v with %d attack sockets open", time.Since(start).Round(time.Millisecond), len(attack))

	// The attacker's sockets do not hold a slot for long: the member cuts
	// every one that has not completed a handshake.
	cutBy := attackStart.Add(handshakeTimeout + 3*time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := 0
	for _, c := range attack {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetReadDeadline(cutBy)
			buf := make([]byte, 512)
			for {
				_, err := c.Read(buf)
				if err == nil {
					continue // the member's multistream answer
				}
				if errors.Is(err, os.ErrDeadlineExceeded) {
					mu.Lock()
					open++
					mu.Unlock()
				} else if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("attack socket: %v", err)
				}
				return
			}
		}()
	}
	wg.Wait()
	if open > 0 {
		t.Fatalf("%d of %d attack sockets still open %v after the attack began (handshake timeout %v)",
			open, len(attack), cutBy.Sub(attackStart), handshakeTimeout)
	}
}

// waitAccepted returns once n's unauthenticated inbound connection count
// has stopped changing: the attack's sockets have all been accepted (or
// refused) by the member.
func waitAccepted(t *testing.T, n *Node) {
	t.Helper()
	count := func() int {
		var c int
		_ = n.Host.Network().ResourceManager().ViewTransient(func(s network.ResourceScope) error {
			c = s.Stat().NumConnsInbound
			return nil
		})
		return c
	}
	last, stable := -1, time.Now()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c := count(); c != last {
			last, stable = c, time.Now()
		} else if time.Since(stable) > 300*time.Millisecond {
			break
		}
	}
	t.Logf("%d unauthenticated inbound connections held on the member", last)
}
