package pointers

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// gateway is a JSON-RPC endpoint in front of a chain node that a test can
// take down (connection refused) and bring back on the same address: a
// member's chain node dying and restarting.
type gateway struct {
	t      *testing.T
	addr   string
	target *url.URL
	filter func(body []byte) string // non-empty: answer this JSON-RPC error instead of forwarding

	mu  sync.Mutex
	srv *http.Server
}

func newGateway(t *testing.T, target string) *gateway {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &gateway{t: t, addr: l.Addr().String(), target: u}
	g.serve(l)
	t.Cleanup(g.down)
	return g
}

func (g *gateway) url() string { return "http://" + g.addr }

func (g *gateway) serve(l net.Listener) {
	rp := httputil.NewSingleHostReverseProxy(g.target)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.filter != nil {
			body, _ := io.ReadAll(r.Body)
			if msg := g.filter(body); msg != "" {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"` + msg + `"}}`))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rp.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: h}
	g.mu.Lock()
	g.srv = srv
	g.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

func (g *gateway) down() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.srv != nil {
		_ = g.srv.Close()
		g.srv = nil
	}
}

func (g *gateway) up() {
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if l, err = net.Listen("tcp", g.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		g.t.Fatalf("gateway back on %s: %v", g.addr, err)
	}
	g.serve(l)
}

// memberOn opens a member client (funded, added by the admin) on rpc, which
// may list several endpoints.
func memberOn(t *testing.T, admin *Client, rpc string, cfg Config) (*Client, Config) {
	t.Helper()
	ctx := context.Background()
	key, _ := crypto.GenerateKey()
	if _, err := admin.Fund(ctx, crypto.PubkeyToAddress(key.PublicKey), new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddMember(ctx, crypto.PubkeyToAddress(key.PublicKey), []byte("peer-b"), []byte("proxy-b")); err != nil {
		t.Fatal(err)
	}
	addrs := admin.Contracts()
	cfg.ChainDir, cfg.RPCURL, cfg.Key, cfg.Contracts = t.TempDir(), rpc, key, &addrs
	cfg.CommitInterval, cfg.PollInterval = 100*time.Millisecond, 50*time.Millisecond
	cl, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl, cfg
}

func servedEmbedded(t *testing.T) *Client {
	t.Helper()
	key, _ := crypto.GenerateKey()
	admin, err := Open(context.Background(), Config{ChainDir: t.TempDir(), Key: key, ServeRPC: "127.0.0.1:0",
		CommitInterval: 100 * time.Millisecond, PeerID: []byte("peer-admin"), ProxyKey: []byte("proxy-admin")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return admin
}

func newDevice(t *testing.T, label string) ([32]byte, ed25519.PublicKey) {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return testTag("device/" + label), pub
}

// A member lists its own chain node first and another member's after it:
// when its own node dies, reads and writes go on through the other, and
// the health answer names the endpoint that is down.
func TestFailoverKeepsReadsAndWritesGoing(t *testing.T) {
	admin := servedEmbedded(t)
	own, other := newGateway(t, admin.Embedded().RPCURL()), newGateway(t, admin.Embedded().RPCURL())
	b, _ := memberOn(t, admin, own.url()+","+other.url(), Config{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	d1, pub1 := newDevice(t, "failover-1")
	if _, err := b.RegisterDevice(ctx, d1, pub1); err != nil {
		t.Fatal(err)
	}
	own.down()
	d2, pub2 := newDevice(t, "failover-2")
	if _, err := b.RegisterDevice(ctx, d2, pub2); err != nil {
		t.Fatalf("write with the first endpoint down: %v", err)
	}
	for _, d := range [][32]byte{d1, d2} {
		if _, err := b.ActiveDevice(ctx, d); err != nil {
			t.Fatalf("read with the first endpoint down: %v", err)
		}
	}
	st := b.Endpoints()
	if len(st) != 2 || st[0].Up || !st[1].Up {
		t.Fatalf("endpoint status %+v: want the first down, the second up", st)
	}
}

// An endpoint on another chain (a misconfigured URL, a node reset to a new
// genesis) never answers for this repo's chain, not even when it is the
// only one left.
func TestEndpointOnAnotherChainIsNeverUsed(t *testing.T) {
	admin := servedEmbedded(t)
	stranger := servedEmbedded(t) // same chain id (the embedded chain's), another genesis
	own := newGateway(t, admin.Embedded().RPCURL())
	b, _ := memberOn(t, admin, own.url()+","+stranger.Embedded().RPCURL(), Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, pub := newDevice(t, "stranger")
	if _, err := b.RegisterDevice(ctx, d, pub); err != nil {
		t.Fatal(err)
	}
	own.down()
	_, err := b.ResolveDevice(ctx, d)
	if err == nil {
		t.Fatal("a read was answered with the only reachable endpoint on another chain")
	}
	if !IsUnavailable(err) || !strings.Contains(err.Error(), "another chain") {
		t.Fatalf("error %v: want chain unavailable, naming the endpoint on another chain", err)
	}
	st := b.Endpoints()
	if len(st) != 2 || !strings.Contains(st[1].Problem, "serves chain") {
		t.Fatalf("endpoint status %+v: want the second refused as another chain", st)
	}
}

// A member whose chain endpoints are all down still starts: devices it has
// seen enrolled keep being accepted (within the staleness bound), writes are
// journaled and reported pending, and they land exactly once when the chain
// answers again.
func TestMemberStartsAndWorksWithoutChain(t *testing.T) {
	admin := servedEmbedded(t)
	gw := newGateway(t, admin.Embedded().RPCURL())
	b, cfg := memberOn(t, admin, gw.url(), Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	known, pub := newDevice(t, "known")
	if _, err := b.RegisterDevice(ctx, known, pub); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ActiveDevice(ctx, known); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members(ctx); err != nil {
		t.Fatal(err)
	}
	b.Close()
	gw.down()

	b, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("a member that joined earlier cannot start while the chain is down: %v", err)
	}
	defer b.Close()
	if b.Ready() {
		t.Fatal("Ready with no endpoint answering")
	}
	if _, err := b.ActiveDevice(ctx, known); err != nil {
		t.Fatalf("a device confirmed enrolled minutes ago is refused during the outage: %v", err)
	}
	stranger, spub := newDevice(t, "never-seen")
	if _, err := b.ActiveDevice(ctx, stranger); !IsUnavailable(err) {
		t.Fatalf("a device never confirmed by the chain: got %v, want chain unavailable", err)
	}
	if ms, err := b.Members(ctx); err != nil || len(ms) != 2 {
		t.Fatalf("members during the outage: %d, %v; want the 2 cached", len(ms), err)
	}
	_, err = b.RegisterDevice(ctx, stranger, spub)
	if !errors.Is(err, ErrPending) || IsUnavailable(err) {
		t.Fatalf("a write during the outage: %v; want ErrPending (journaled), not a failure", err)
	}
	if n := b.PendingWrites(); n != 1 {
		t.Fatalf("%d pending writes, want 1", n)
	}

	gw.up()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if d, err := admin.ResolveDevice(ctx, stranger); err == nil && bytes.Equal(d.PubKey, spub) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the journaled write did not land after the chain came back (ready %v, pending %d)", b.Ready(), b.PendingWrites())
		}
		time.Sleep(200 * time.Millisecond)
	}
	for b.PendingWrites() != 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := b.PendingWrites(); n != 0 || !b.Ready() {
		t.Fatalf("after the chain came back: %d pending, ready %v", n, b.Ready())
	}
	if _, err := b.RegisterDevice(ctx, stranger, spub); !errors.Is(err, ErrDeviceExists) {
		t.Fatalf("registering again: %v, want ErrDeviceExists (landed once)", err)
	}
}

// The staleness bound holds: a device whose status was last confirmed
// longer ago than DeviceMaxStale is refused while the chain is down.
func TestStaleDeviceStatusRefused(t *testing.T) {
	admin := servedEmbedded(t)
	gw := newGateway(t, admin.Embedded().RPCURL())
	b, cfg := memberOn(t, admin, gw.url(), Config{DeviceMaxStale: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, pub := newDevice(t, "stale")
	if _, err := b.RegisterDevice(ctx, d, pub); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ActiveDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	gw.down()
	time.Sleep(500 * time.Millisecond)
	_, err := b.ActiveDevice(ctx, d)
	if !IsUnavailable(err) || !strings.Contains(err.Error(), "last confirmed") {
		t.Fatalf("got %v; want refused: status older than the bound", err)
	}
	_ = cfg
}

// eth_getLogs is paged: a provider that refuses ranges over a few blocks
// still serves every commitment of a stream.
func TestLogQueriesArePaged(t *testing.T) {
	admin := servedEmbedded(t)
	gw := newGateway(t, admin.Embedded().RPCURL())
	const maxRange = 3
	gw.filter = func(body []byte) string {
		var req struct {
			Method string `json:"method"`
			Params []struct {
				FromBlock *hexutil.Uint64 `json:"fromBlock"`
				ToBlock   *hexutil.Uint64 `json:"toBlock"`
			} `json:"params"`
		}
		if json.Unmarshal(body, &req) != nil || req.Method != "eth_getLogs" {
			return ""
		}
		p := req.Params[0]
		if p.FromBlock == nil || p.ToBlock == nil || uint64(*p.ToBlock)-uint64(*p.FromBlock) >= maxRange {
			return "block range too large"
		}
		return ""
	}
	b, _ := memberOn(t, admin, gw.url(), Config{LogPageBlocks: maxRange})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tag := StreamSecret(testTag("paged"))
	for seq := uint64(1); seq <= 4; seq++ {
		c := tag.Commitment(seq, []byte(fmt.Sprintf("paged-%d", seq)), testTag("m"), 1)
		if _, err := b.CommitBatches(ctx, []Commitment{c}); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ { // blocks in between
			if _, err := admin.Fund(ctx, admin.Account(), big.NewInt(1)); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := b.StreamCommitments(ctx, tag, b.Account())
	if err != nil || len(got) != 4 {
		t.Fatalf("stream commitments through a range-capped provider: %d, %v; want 4", len(got), err)
	}
}

// A chain that has stopped making blocks cannot back an access decision:
// with MaxHeadAge set, a grant check on a stalled chain fails closed.
func TestStalledChainFailsGrantChecksClosed(t *testing.T) {
	key, _ := crypto.GenerateKey()
	cl, err := Open(context.Background(), Config{ChainDir: t.TempDir(), Key: key, MaxHeadAge: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	// The embedded chain seals only on demand, so its head ages (its block times run a few seconds
	// ahead after a burst of blocks: wait until it is old enough).
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err = cl.CheckGrant(ctx, testTag("any grant"), time.Now())
		if !errors.Is(err, ErrUnknownGrant) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !errors.Is(err, ErrChainUnavailable) || !strings.Contains(err.Error(), "stalled") {
		t.Fatalf("grant check on a stalled chain: %v; want chain unavailable (stalled)", err)
	}
	cl.cfg.MaxHeadAge = 0
	if _, err = cl.CheckGrant(ctx, testTag("any grant"), time.Now()); !errors.Is(err, ErrUnknownGrant) {
		t.Fatalf("without the rule: %v; want unknown grant", err)
	}
}

// A member restarted during an outage queues its new batches before the
// journal (with the older ones) is reconciled: the commitments still reach
// the chain in sequence order, none rejected as a duplicate.
func TestCommitmentsAfterOutageLandInOrder(t *testing.T) {
	admin := servedEmbedded(t)
	gw := newGateway(t, admin.Embedded().RPCURL())
	b, cfg := memberOn(t, admin, gw.url(), Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tag := StreamSecret(testTag("outage-order"))
	c := func(seq uint64) Commitment {
		return tag.Commitment(seq, []byte(fmt.Sprintf("outage-%d", seq)), testTag("m"), 1)
	}
	if _, err := b.CommitBatches(ctx, []Commitment{c(1)}); err != nil {
		t.Fatal(err)
	}
	gw.down()
	if err := b.EnqueueCommitments(ctx, []Commitment{c(2)}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	b, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.EnqueueCommitments(ctx, []Commitment{c(3)}); err != nil {
		t.Fatal(err)
	}
	gw.up()
	deadline := time.Now().Add(60 * time.Second)
	for b.PendingCommitments() > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	got, err := admin.StreamCommitments(ctx, tag, b.Account())
	if err != nil || len(got) != 3 {
		t.Fatalf("on chain after the outage: %d commitments (%v), want 3 (pending %d)", len(got), err, b.PendingCommitments())
	}
}

// The status cache is a file on disk: whatever it holds, opening it never
// fails the client (a damaged cache is dropped), and every device it keeps
// has a 32-byte id hash and a 32-byte Ed25519 key.
func FuzzStatusCache(f *testing.F) {
	f.Add([]byte(`{"membersChecked":"2026-01-02T03:04:05Z","members":[{"account":"0x0000000000000000000000000000000000000001","active":true,"since":1,"peerId":"00","proxyKey":"01"}],"devices":[{"idHash":"` + strings.Repeat("ab", 32) + `","pubKey":"` + strings.Repeat("cd", 32) + `","owner":"0x0000000000000000000000000000000000000002","enrolledAt":1,"revoked":false,"checked":"2026-01-02T03:04:05Z"}]}`))
	f.Add([]byte(`{"devices":[{"idHash":"zz"}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), statusCacheFile)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		sc, err := openStatusCache(path, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatalf("a readable cache failed the open: %v", err)
		}
		for id, d := range sc.devices {
			if id != d.IDHash || len(d.PubKey) != ed25519.PublicKeySize {
				t.Fatalf("device kept with id %x / %x and a %d-byte key", id, d.IDHash, len(d.PubKey))
			}
		}
	})
}
