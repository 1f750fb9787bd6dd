package pointers

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// gethBinary is where scripts/install-geth.sh puts the geth of the go.mod version.
func gethBinary(t *testing.T) string {
	if p := os.Getenv("VAULTNODE_GETH"); p != "" {
		return p
	}
	p, _ := filepath.Abs("../.tools/bin/geth")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("geth --dev integration test skipped: %s not found; run scripts/install-geth.sh (go install github.com/ethereum/go-ethereum/cmd/geth@<go.mod version>, several minutes on 2 cores) or set VAULTNODE_GETH", p)
	}
	return p
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startGethDev runs `geth --dev` as a separate process on 127.0.0.1 and returns its HTTP RPC URL.
func startGethDev(t *testing.T) string {
	bin := gethBinary(t)
	httpPort, authPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--dev", "--dev.period", "0", "--dev.gaslimit", "60000000",
		"--datadir", t.TempDir(), "--ipcdisable", "--nodiscover", "--maxpeers", "0", "--port", "0", "--nat", "none",
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(httpPort), "--http.api", "eth,net,web3",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(authPort), "--verbosity", "2")
	logf, err := os.Create(filepath.Join(t.TempDir(), "geth.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logf.Close()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := ethclient.Dial(url)
		if err == nil {
			_, err = c.ChainID(context.Background())
			c.Close()
			if err == nil {
				return url
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("geth --dev did not answer on %s: %v\n%s", url, err, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// fundFromDev sends ether from geth's unlocked dev account.
func fundFromDev(t *testing.T, url string, to common.Address) {
	ctx := context.Background()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var accts []common.Address
	if err := rc.CallContext(ctx, &accts, "eth_accounts"); err != nil || len(accts) == 0 {
		t.Fatalf("geth dev account: %v %v", accts, err)
	}
	var txHash common.Hash
	value := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	if err := rc.CallContext(ctx, &txHash, "eth_sendTransaction", map[string]any{"from": accts[0], "to": to, "value": (*hexutil.Big)(value)}); err != nil {
		t.Fatal(err)
	}
	ec := ethclient.NewClient(rc)
	for i := 0; i < 300; i++ {
		if r, err := ec.TransactionReceipt(ctx, txHash); err == nil && r.Status == 1 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("funding transaction not mined")
}

// TestAPIGethDev runs the same API suite against a separate `geth --dev` process over --chain-rpc.
func TestAPIGethDev(t *testing.T) {
	url := startGethDev(t)
	key, _ := crypto.GenerateKey()
	fundFromDev(t, url, crypto.PubkeyToAddress(key.PublicKey))
	admin, err := Open(context.Background(), Config{ChainDir: t.TempDir(), RPCURL: url, Key: key,
		CommitInterval: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond, PeerID: []byte("peer-admin"), ProxyKey: []byte("proxy-admin")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if admin.Embedded() != nil {
		t.Fatal("RPC client started an embedded chain")
	}
	runAPISuite(t, apiEnv{admin: admin, newOther: func(t *testing.T) *Client { return joinClient(t, admin, url) }})
}
