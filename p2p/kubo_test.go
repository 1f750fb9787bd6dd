package p2p

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// kubo is a stock kubo daemon on 127.0.0.1 (no bootstrap, no routing), built
// by scripts/bench-store.sh or scripts/kubo.sh into .tools/bin/ipfs.
type kubo struct {
	bin, repo string
	id        peer.ID
	cmd       *exec.Cmd
}

func kuboBinary(t testing.TB) string {
	t.Helper()
	bin, err := filepath.Abs("../.tools/bin/ipfs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("kubo not installed at %s: `make interop` builds it and runs this test", bin)
	}
	return bin
}

func (k *kubo) run(t testing.TB, timeout time.Duration, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, k.bin, args...)
	cmd.Env = kuboEnv(k.repo)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.Bytes(), fmt.Errorf("ipfs %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes(), nil
}

// kuboEnv points kubo at its repo and turns its telemetry off: tests never
// talk to anything beyond loopback.
func kuboEnv(repo string) []string {
	return append(os.Environ(), "IPFS_PATH="+repo, "IPFS_TELEMETRY=off")
}

func startKubo(t testing.TB) *kubo {
	t.Helper()
	k := &kubo{bin: kuboBinary(t), repo: t.TempDir()}
	if _, err := k.run(t, time.Minute, "init", "--profile", "test"); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][]string{{"Routing.Type", "none"}} {
		if _, err := k.run(t, 10*time.Second, "config", kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	out, err := k.run(t, 10*time.Second, "config", "Identity.PeerID")
	if err != nil {
		t.Fatal(err)
	}
	k.id, err = peer.Decode(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	k.cmd = exec.Command(k.bin, "daemon")
	k.cmd.Env = kuboEnv(k.repo)
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = k.cmd.Process.Kill()
		_ = k.cmd.Wait()
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(k.repo, "api")); err == nil {
			if _, err := k.run(t, 5*time.Second, "id"); err == nil {
				return k
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("kubo daemon did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestKuboMemberFetchesBatch: our blocks are plain IPFS blocks. A stock kubo
// daemon admitted as a member fetches a sealed batch by its root CID over
// bitswap and exports the same CAR as ours; a kubo that is not a member gets
// nothing.
func TestKuboMemberFetchesBatch(t *testing.T) {
	kuboBinary(t)
	if testing.Short() {
		t.Skip("starts kubo daemons")
	}
	peers := storeConsortium(t, 1)
	a := peers[0]
	root, _ := sealTestBatch(t, a.st, 3<<20)
	var ours bytes.Buffer
	if err := a.st.ExportCAR(context.Background(), root, &ours); err != nil {
		t.Fatal(err)
	}
	addr := ""
	for _, ma := range a.Host.Addrs() {
		if strings.Contains(ma.String(), "/tcp/") {
			addr = ma.String() + "/p2p/" + a.ID().String()
		}
	}

	member := startKubo(t)
	outsider := startKubo(t)
	members := a.rep.members
	members.Add(member.id)

	if _, err := member.run(t, 20*time.Second, "swarm", "connect", addr); err != nil {
		t.Fatalf("member kubo cannot connect: %v", err)
	}
	car, err := member.run(t, 60*time.Second, "dag", "export", root.String())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(car, ours.Bytes()) {
		t.Fatalf("kubo's CAR (%d bytes) differs from ours (%d bytes)", len(car), ours.Len())
	}

	before := a.RefusedConnections()
	_, _ = outsider.run(t, 20*time.Second, "swarm", "connect", addr)
	if _, err := outsider.run(t, 20*time.Second, "block", "get", "--timeout", "3s", root.String()); err == nil {
		t.Fatal("a kubo that is not a member fetched a block")
	}
	if a.RefusedConnections() == before {
		t.Fatal("the non-member kubo was not refused at connection time")
	}
}
