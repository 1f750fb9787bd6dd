package p2p

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/boxo/blockstore"
	ds "github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	"github.com/libp2p/go-libp2p/core/peer"
)

// reconnectWithin is how soon members must be connected again once both
// are up: a few of the keeper's first backoff steps (1 s, 2 s, 4 s).
const reconnectWithin = 10 * time.Second

// startNode starts a node from cfg, with an in-memory blockstore and a
// quiet logger unless cfg has them, closed at the end of the test.
func startNode(t *testing.T, cfg Config) *Node {
	t.Helper()
	if cfg.Blockstore == nil {
		cfg.Blockstore = blockstore.NewBlockstore(dssync.MutexWrap(ds.NewMapDatastore()))
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	n, err := NewNode(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// freeTCPPort returns a loopback TCP port nothing listens on.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls cond until it holds or within has passed, and reports
// whether it held and after how long.
func waitFor(within time.Duration, cond func() bool) (bool, time.Duration) {
	start := time.Now()
	for time.Since(start) < within {
		if cond() {
			return true, time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond(), time.Since(start)
}

// A member that restarts (same identity, same address) is connected again
// by the members that knew it, with nothing else dialling: before, the
// bootstrap peers were dialled once at start and a member that went away
// stayed disconnected for good.
func TestMembersReconnectAfterRestart(t *testing.T) {
	skA, idA := newIdentity(t)
	skB, idB := newIdentity(t)
	members := NewMemberSet(idA, idB)
	listenA := []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freeTCPPort(t))}
	a := startNode(t, Config{Identity: skA, Members: members, ListenAddrs: listenA})
	b := startNode(t, Config{Identity: skB, Members: members})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := b.KeepMembersConnected(ctx, []string{listenA[0] + "/p2p/" + idA.String()}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := waitFor(reconnectWithin, func() bool { return b.Connected(idA) }); !ok {
		t.Fatal("B never connected to its bootstrap peer A")
	}

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := waitFor(5*time.Second, func() bool { return !b.Connected(idA) }); !ok {
		t.Fatal("B still connected to A after A closed")
	}
	if got := b.UnreachableMembers(); !slices.Equal(got, []peer.ID{idA}) {
		t.Fatalf("unreachable members while A is down: %v, want [%s]", got, idA)
	}

	// A comes back on the same address; it dials nobody.
	a2 := startNode(t, Config{Identity: skA, Members: members, ListenAddrs: listenA})
	ok, took := waitFor(reconnectWithin, func() bool { return b.Connected(idA) && a2.Connected(idB) })
	if !ok {
		t.Fatalf("members not connected again %v after A restarted", reconnectWithin)
	}
	t.Logf("connected again %v after A restarted", took.Round(time.Millisecond))
	if got := b.UnreachableMembers(); len(got) != 0 {
		t.Fatalf("unreachable members after the reconnection: %v", got)
	}
}

// A node restarted with no bootstrap peer redials the members whose
// addresses it learned before the restart, from its address book.
func TestRestartedMemberRedialsFromAddressBook(t *testing.T) {
	skA, idA := newIdentity(t)
	skB, idB := newIdentity(t)
	members := NewMemberSet(idA, idB)
	book := filepath.Join(t.TempDir(), "addrbook.json")
	a := startNode(t, Config{Identity: skA, Members: members})
	b := startNode(t, Config{Identity: skB, Members: members, AddrBookPath: book})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var boot []string
	for _, addr := range a.Host.Addrs() {
		boot = append(boot, addr.String()+"/p2p/"+idA.String())
	}
	if err := b.KeepMembersConnected(ctx, boot); err != nil {
		t.Fatal(err)
	}
	// B learns A's addresses from A itself and writes them down before any
	// restart (a crash gives no chance to write them at Close).
	written := func() bool {
		data, err := os.ReadFile(book)
		return err == nil && strings.Contains(string(data), idA.String())
	}
	if ok, _ := waitFor(reconnectWithin, written); !ok {
		t.Fatal("B never wrote A's addresses to its address book")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := waitFor(5*time.Second, func() bool { return !a.Connected(idB) }); !ok {
		t.Fatal("A still connected to B after B closed")
	}

	b2 := startNode(t, Config{Identity: skB, Members: members, AddrBookPath: book})
	if got := b2.UnreachableMembers(); !slices.Equal(got, []peer.ID{idA}) {
		t.Fatalf("unreachable members before redialling: %v, want [%s]", got, idA)
	}
	if err := b2.KeepMembersConnected(ctx, nil); err != nil {
		t.Fatal(err)
	}
	ok, took := waitFor(reconnectWithin, func() bool { return b2.Connected(idA) })
	if !ok {
		t.Fatalf("B, restarted without bootstrap peers, did not redial A from its address book within %v", reconnectWithin)
	}
	t.Logf("B redialled A from its address book in %v", took.Round(time.Millisecond))
}

// The address book is a file on disk: whatever it holds, loading it never
// fails the node (a damaged book is only a lost cache), never keeps more than
// maxBookAddrs addresses per member, and keeps only valid peer ids and
// multiaddrs.
func FuzzLoadAddrBook(f *testing.F) {
	f.Add([]byte(`{"members":{"12D3KooWDdJRV6UHr38ve81yyQ6VdxdBSaX2ijzm54wWw4wpeRk1":["/ip4/127.0.0.1/tcp/4001"]}}`))
	f.Add([]byte(`{"members":{"x":["/ip4/1.2.3.4/tcp/1"]}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "peers.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := loadAddrBook(path, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatalf("a readable file failed the load: %v", err)
		}
		for id, addrs := range b.addrs {
			if id.Validate() != nil {
				t.Fatalf("invalid peer id %q kept", id)
			}
			if len(addrs) > maxBookAddrs {
				t.Fatalf("%d addresses kept for one member", len(addrs))
			}
		}
	})
}
