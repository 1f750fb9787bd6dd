package p2p

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

type storePeer struct {
	*Node
	st  *store.Store
	rep *Replicator
}

// storeConsortium starts n members, each on its own badger store, fully
// connected, each with a replicator (R=2).
func storeConsortium(t testing.TB, n int) []*storePeer {
	t.Helper()
	return storeConsortiumWith(t, n, nil)
}

// storeConsortiumWith is storeConsortium where the peers whose index is in
// passive run a passive replicator (like a one-shot CLI process).
func storeConsortiumWith(t testing.TB, n int, passive map[int]bool) []*storePeer {
	t.Helper()
	ctx := context.Background()
	keys, members := memberIdentities(t, n)
	var peers []*storePeer
	var nodes []*Node
	for i := 0; i < n; i++ {
		st, err := store.Open(ctx, t.TempDir(), &store.Options{MemTableSize: 8 << 20})
		if err != nil {
			t.Fatal(err)
		}
		node, err := NewNode(ctx, Config{Identity: keys[i], Members: members, Blockstore: st, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		rep := NewReplicator(node, st, members, ReplicatorConfig{Factor: 2, LossTimeout: 300 * time.Millisecond,
			CheckInterval: 100 * time.Millisecond, FetchTimeout: 20 * time.Second, Passive: passive[i], Logger: testLogger(t)})
		sp := &storePeer{Node: node, st: st, rep: rep}
		t.Cleanup(func() { sp.rep.Close(); sp.Node.Close(); sp.st.Close() })
		peers = append(peers, sp)
		nodes = append(nodes, node)
	}
	connectAll(t, nodes)
	// Fully connected means every member also knows what the others speak
	// (identify), as a consortium that has been up for a moment does.
	ictx, icancel := context.WithTimeout(ctx, 10*time.Second)
	defer icancel()
	for _, p := range peers {
		p.rep.awaitIdentify(ictx)
	}
	for _, p := range peers {
		p.rep.refreshLive(time.Now())
	}
	return peers
}

func sealTestBatch(t testing.TB, st *store.Store, size int) (cid.Cid, []byte) {
	t.Helper()
	sk, _ := reencrypt.GenerateSecretKey(rand.Reader)
	capsule, dek, err := reencrypt.Encapsulate(rand.Reader, sk.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, size)
	_, _ = rand.Read(data)
	sb, err := st.AddFile(context.Background(), bytes.NewReader(data), store.SealParams{DEK: &dek, Capsule: capsule.Bytes(), StreamTag: [32]byte{1}, Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	return sb.Root, data
}

func pinnedOn(t *testing.T, peers []*storePeer, root cid.Cid) []peer.ID {
	var out []peer.ID
	for _, p := range peers {
		if ok, err := p.st.IsPinned(context.Background(), root); err == nil && ok {
			out = append(out, p.ID())
		}
	}
	return out
}

func TestReplicationAndRepair(t *testing.T) {
	peers := storeConsortium(t, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	writer := peers[0]
	root, _ := sealTestBatch(t, writer.st, 3<<20)
	set, err := writer.rep.Replicate(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	want := ReplicaSet(root, writer.rep.Live(), 2)
	if len(set) != 2 {
		t.Fatalf("replicated on %d members, want 2", len(set))
	}
	for _, id := range want {
		found := false
		for _, p := range pinnedOn(t, peers, root) {
			found = found || p == id
		}
		if !found {
			t.Fatalf("chosen member %s does not hold the batch", id)
		}
	}

	// Lose one replica holder that is not the writer (or any other, if the
	// writer was not chosen); the survivors restore R among the live members.
	var victim *storePeer
	for _, p := range peers[1:] {
		for _, id := range want {
			if p.ID() == id && victim == nil {
				victim = p
			}
		}
	}
	if victim == nil {
		victim = peers[1]
	}
	victim.rep.Close()
	victim.Node.Close()
	for _, p := range peers {
		if p != victim {
			go p.rep.Run(ctx)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		holders := 0
		live := peers[0].rep.Live()
		for _, id := range ReplicaSet(root, live, 2) {
			for _, p := range pinnedOn(t, peers, root) {
				if p == id && p != victim.ID() {
					holders++
				}
			}
		}
		if holders == 2 && len(live) == 3 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("R was not restored after losing %s: pinned on %v", victim.ID(), pinnedOn(t, peers, root))
}

func TestReplicaSetDeterministic(t *testing.T) {
	var ids []peer.ID
	for i := 0; i < 5; i++ {
		_, id := newIdentity(t)
		ids = append(ids, id)
	}
	c, _ := cid.Decode("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	a := ReplicaSet(c, ids, 2)
	rev := append([]peer.ID(nil), ids...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b := ReplicaSet(c, rev, 2)
	if len(a) != 2 || a[0] != b[0] || a[1] != b[1] {
		t.Fatalf("replica set depends on list order: %v vs %v", a, b)
	}
	// Dropping a member that is not in the set does not move the set.
	var rest []peer.ID
	for _, id := range ids {
		if id != a[0] && id != a[1] && len(rest) == 0 {
			continue // drop the first non-chosen member
		}
		rest = append(rest, id)
	}
	c2 := ReplicaSet(c, rest, 2)
	if c2[0] != a[0] || c2[1] != a[1] {
		t.Fatal("dropping an unchosen member moved the replica set")
	}
}

// A node whose replicator has not ticked since it connected to the members
// (a daemon just restarted) still places a batch on R members: Replicate
// looks at the connections of now.
func TestReplicateRightAfterConnect(t *testing.T) {
	peers := storeConsortium(t, 3)
	writer := peers[0]
	writer.rep.mu.Lock()
	writer.rep.live = []peer.ID{writer.ID()} // as before the first tick
	writer.rep.lastSeen = map[peer.ID]time.Time{}
	writer.rep.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	root, _ := sealTestBatch(t, writer.st, 1<<20)
	set, err := writer.rep.Replicate(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != 2 || len(pinnedOn(t, peers, root)) < 2 {
		t.Fatalf("replicas confirmed %v, held by %v; want 2 members", set, pinnedOn(t, peers, root))
	}
}

// A passive member (a one-shot CLI process) is connected like any member but
// is never chosen to hold a replica.
func TestPassiveMemberTakesNoReplicas(t *testing.T) {
	peers := storeConsortiumWith(t, 3, map[int]bool{2: true})
	cli := peers[2]
	writer := peers[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := 0; i < 8; i++ { // several roots: rendezvous hashing would pick the CLI for some
		root, _ := sealTestBatch(t, writer.st, 64<<10)
		set, err := writer.rep.Replicate(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		if len(set) != 2 {
			t.Fatalf("replicas %v, want 2", set)
		}
		for _, id := range set {
			if id == cli.ID() {
				t.Fatalf("the passive member was chosen to hold %s", root)
			}
		}
	}
}

// A Passive replicator does not serve ReplicateProtocol.
func TestPassiveReplicatorServesNothing(t *testing.T) {
	peers, members := consortium(t, 1)
	st, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := NewReplicator(peers[0].Node, st, members, ReplicatorConfig{Passive: true})
	defer r.Close()
	for _, p := range peers[0].Host.Mux().Protocols() {
		if p == ReplicateProtocol {
			t.Fatal("a passive replicator serves " + ReplicateProtocol)
		}
	}
}

// A batch placed on fewer than R members is counted until a repair brings
// it to R.
func TestUnderReplicatedCount(t *testing.T) {
	peers := storeConsortium(t, 3)
	writer := peers[0]
	// Alone: the other members are not live yet.
	writer.rep.mu.Lock()
	writer.rep.live = []peer.ID{writer.ID()}
	writer.rep.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	root, _ := sealTestBatch(t, writer.st, 64<<10)
	for _, p := range peers[1:] {
		_ = p.Node.Close() // gone for good
	}
	if set, _ := writer.rep.Replicate(ctx, root); len(set) >= 2 {
		t.Fatalf("placed on %v with every other member closed", set)
	}
	if n := writer.rep.UnderReplicated(); n != 1 {
		t.Fatalf("UnderReplicated = %d, want 1", n)
	}
	// A new member joins: the repair places the batch and the count clears.
	sk, id := newIdentity(t)
	members := writer.rep.members
	members.Add(id)
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := NewNode(ctx, Config{Identity: sk, Members: members, Blockstore: st, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	rep := NewReplicator(n, st, members, ReplicatorConfig{Factor: 2, Logger: testLogger(t)})
	defer rep.Close()
	if err := n.Connect(ctx, writer.AddrInfo()); err != nil {
		t.Fatal(err)
	}
	if err := writer.rep.Repair(ctx); err != nil {
		t.Logf("repair: %v (the closed members are still counted live within the loss timeout)", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for writer.rep.UnderReplicated() != 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		_ = writer.rep.Repair(ctx)
	}
	if n := writer.rep.UnderReplicated(); n != 0 {
		t.Fatalf("UnderReplicated = %d after the repair, want 0", n)
	}
	if ok, _ := st.IsPinned(ctx, root); !ok {
		t.Fatal("the new member does not hold the batch")
	}
}

// A member that takes a replicate request and never answers (a stuck fetch) delays the placement by
// HedgeAfter, not by FetchTimeout: the next member in placement order is asked too, and its confirmation
// completes the replica set.
func TestReplicateHedgesAroundAStuckMember(t *testing.T) {
	// Four members: whether or not placement puts the writer in the set, a member beyond the stuck one is
	// left to ask.
	peers := storeConsortium(t, 4)
	writer := peers[0]
	writer.rep.cfg.HedgeAfter = 300 * time.Millisecond
	root, _ := sealTestBatch(t, writer.st, 1<<20)
	live := writer.rep.Live()
	var stuck *storePeer
	for _, id := range ReplicaSet(root, live, len(live)) {
		for _, p := range peers[1:] {
			if p.ID() == id && stuck == nil {
				stuck = p
			}
		}
	}
	set := replicateAroundSilent(t, writer, stuck, root)
	held := pinnedOn(t, peers, root)
	if len(set) != 2 {
		t.Fatalf("replicas confirmed %v, want 2", set)
	}
	for _, id := range set {
		found := false
		for _, h := range held {
			found = found || h == id
		}
		if !found {
			t.Fatalf("confirmed member %s does not hold the batch (held by %v)", id, held)
		}
	}
}

// In a three-member consortium, when placement leaves the writer out of the set and one member of the set
// never answers, no member is left to ask: the writer, which holds the batch, counts as the second copy
// after HedgeAfter, so the batch is acknowledged with R copies instead of waiting FetchTimeout.
func TestReplicateCountsTheWriterWhenNoMemberIsLeft(t *testing.T) {
	peers := storeConsortium(t, 3)
	writer := peers[0]
	writer.rep.cfg.HedgeAfter = 300 * time.Millisecond
	live := writer.rep.Live()
	var root cid.Cid
	for range 64 {
		r, _ := sealTestBatch(t, writer.st, 256<<10)
		if order := ReplicaSet(r, live, len(live)); order[len(order)-1] == writer.ID() {
			root = r
			break
		}
	}
	if !root.Defined() {
		t.Fatal("no batch placed the writer last in 64 tries")
	}
	stuckID := ReplicaSet(root, live, len(live))[0]
	var stuck *storePeer
	for _, p := range peers {
		if p.ID() == stuckID {
			stuck = p
		}
	}
	set := replicateAroundSilent(t, writer, stuck, root)
	hasWriter := false
	for _, id := range set {
		hasWriter = hasWriter || id == writer.ID()
	}
	if len(set) != 2 || !hasWriter || len(pinnedOn(t, peers, root)) != 2 {
		t.Fatalf("confirmed %v, held by %v: want the writer and the member that answered", set, pinnedOn(t, peers, root))
	}
	if n := writer.rep.UnderReplicated(); n != 0 {
		t.Fatalf("%d batches counted under-replicated with R copies held", n)
	}
}

// replicateAroundSilent makes silent take replicate requests and never answer, places root from writer, and
// returns the confirmed members, failing unless placement ended well before FetchTimeout (20 s here) and
// without counting the silent member.
func replicateAroundSilent(t *testing.T, writer, silent *storePeer, root cid.Cid) []peer.ID {
	t.Helper()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	silent.Host.SetStreamHandler(ReplicateProtocol, func(s network.Stream) {
		defer s.Reset()
		<-release
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	set, err := writer.rep.Replicate(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("placement took %v with one member silent: it waited for that member, not HedgeAfter", took)
	}
	for _, id := range set {
		if id == silent.ID() {
			t.Fatalf("the silent member is counted as a replica: %v", set)
		}
	}
	return set
}
