package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/vaultnode/vaultnode/pointers/evmdnet"
)

// The BFT variant: four Cosmos EVM validators (CometBFT consensus) started
// by scripts/evmd-net.sh, one per hospital. Each hospital's daemon uses its
// own validator's JSON-RPC first and the others as failover, as
// docs/CHAIN.md tells an operator to run it.

const chainBFT = "bft"

type bftNet struct {
	*evmdnet.Net
	funder *ecdsa.PrivateKey
}

func startBFT(t *testing.T, dir string) *bftNet {
	t.Helper()
	bin, err := evmdnet.Binary(rootDir)
	if err != nil {
		t.Skipf("BFT variant skipped: %v (make e2e-long installs it)", err)
	}
	start := time.Now()
	nt, err := evmdnet.Start(rootDir, bin, filepath.Join(dir, "bft"), 4)
	if nt != nil {
		t.Cleanup(func() {
			if t.Failed() {
				for i := range nt.Validators {
					t.Logf("--- validator %d log (tail):\n%s", i, nt.LogTail(i, 12))
				}
			}
			if err := nt.Stop(); err != nil {
				t.Log(err)
			}
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	n := &bftNet{Net: nt}
	if n.funder, err = crypto.HexToECDSA(nt.Funder.PrivateKey); err != nil {
		t.Fatal(err)
	}
	t.Logf("4 validators up in %v", time.Since(start).Round(time.Second))
	return n
}

func (n *bftNet) kill(t testing.TB, i int) {
	t.Helper()
	if err := n.Kill(i); err != nil {
		t.Fatal(err)
	}
}

func (n *bftNet) restart(t testing.TB, i int) {
	t.Helper()
	if err := n.Restart(i); err != nil {
		t.Fatal(err)
	}
}

// fund sends 1000 coins from the genesis funder to addr through validator 0
// (or the first validator that answers).
func (n *bftNet) fund(ctx context.Context, addr common.Address) error {
	var last error
	for _, v := range n.Validators {
		ec, err := ethclient.DialContext(ctx, v.RPC)
		if err != nil {
			last = err
			continue
		}
		err = func() error {
			defer ec.Close()
			from := crypto.PubkeyToAddress(n.funder.PublicKey)
			nonce, err := ec.PendingNonceAt(ctx, from)
			if err != nil {
				return err
			}
			tip, err := ec.SuggestGasTipCap(ctx)
			if err != nil {
				return err
			}
			head, err := ec.HeaderByNumber(ctx, nil)
			if err != nil {
				return err
			}
			id := new(big.Int).SetUint64(n.ChainID)
			tx, err := types.SignNewTx(n.funder, types.LatestSignerForChainID(id), &types.DynamicFeeTx{ChainID: id, Nonce: nonce,
				GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))), Gas: 21000, To: &addr,
				Value: new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))})
			if err != nil {
				return err
			}
			if err := ec.SendTransaction(ctx, tx); err != nil {
				return err
			}
			for {
				if r, err := ec.TransactionReceipt(ctx, tx.Hash()); err == nil {
					if r.Status != 1 {
						return fmt.Errorf("funding %s reverted", addr)
					}
					return nil
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
		if err == nil {
			return nil
		}
		last = err
	}
	return last
}

// TestE2EBFT runs the scenarios that matter for "no single hospital can stop
// the consortium" on a real 4-validator BFT chain (make e2e-long; skipped
// without evmd).
func TestE2EBFT(t *testing.T) {
	if os.Getenv("VAULTNODE_BFT") == "" {
		t.Skip("BFT variant: runs in make e2e-long (set VAULTNODE_BFT=1; needs scripts/install-evmd.sh)")
	}
	newCluster(t, chainBFT).runScenarios(t, []scenario{
		{"story", "", testStory},
		{"non-member refused", "", testNonMember},
		{"SIGKILL during ingest", "", testKillDuringIngest},
		{"block altered on disk", "", testTamperedBlock},
		{"daemon A killed after revoke and erase", "", testHostKilledAfterRevokeErase},
		{"one validator killed: every flow works", "", testOneValidatorKilled},
		{"two validators killed: fetch refused, ingest acknowledged, writes land once after", "", testChainHalted},
		{"a hospital lost for good (daemon and validator)", "", testHospitalLost},
	})
}

// testOneValidatorKilled: validator 1 (B's own chain node) is killed; B
// fails over and every flow works through it and the others: ingest, grant,
// fetch, revoke, erase.
func testOneValidatorKilled(t *testing.T, c *cluster) {
	b := c.nodes[1]
	c.bft.kill(t, 1)
	defer c.bft.restart(t, 1)
	flowsWork(t, c, b, "ONEVAL", 3)
}

// flowsWork runs ingest, grant (2 of proxies), fetch, revoke and erase at n.
func flowsWork(t *testing.T, c *cluster, n *node, tag string, proxies int) {
	t.Helper()
	mrn := "MRN-" + tag
	dev, _ := n.enrol(t, "cgm-"+strings.ToLower(tag), mrn)
	rs := mkReadings(dev.id, mrn, 0, 100)
	n.mustIngest(t, dev, rs)
	n.waitCommitted(t)
	clin := c.clinician(t, "clin-"+strings.ToLower(tag))
	g := n.grant(t, mrn, clin, "--until", "1h", "--threshold", "2", "--proxies", strconv.Itoa(proxies))
	c.mustFetchAll(t, clin, g.Ticket, rs)
	if out := n.must(t, "revoke", g.ID); strings.Contains(out, "pending") {
		t.Fatalf("revoke with one validator down was left pending: %s", out)
	}
	c.D.want(t, 3, "revoked", "fetch", "--key", clin, "--ticket", g.Ticket)
	n.must(t, "erase", "--patient", mrn, "--request-ref", "REQ-"+tag, "--certificate", filepath.Join(c.dir, "cert-"+tag+".json"))
}

// testChainHalted: with two of four validators killed the chain makes no
// block. Fetch is refused (fail closed), ingest is acknowledged and the
// commitments journaled, a revocation is pending, a daemon restarts. With
// the validators back, every journaled commitment and the revocation land
// once, and nothing acknowledged is lost.
func testChainHalted(t *testing.T, c *cluster) {
	a, b := c.nodes[0], c.nodes[1]
	dev, _ := a.enrol(t, "cgm-halt", "MRN-HALT")
	rs := mkReadings(dev.id, "MRN-HALT", 0, 300)
	a.mustIngest(t, dev, rs[:100])
	clin := c.clinician(t, "clin-halt")
	g := a.grant(t, "MRN-HALT", clin, "--until", "1h", "--threshold", "2", "--proxies", "3")
	a.waitCommitted(t)
	c.mustFetchAll(t, clin, g.Ticket, rs[:100])
	other := c.clinician(t, "clin-halt-2")
	g2 := a.grant(t, "MRN-HALT", other, "--until", "1h")

	c.bft.kill(t, 2)
	c.bft.kill(t, 3)
	time.Sleep(bftMaxHeadAge + 2*time.Second) // the head ages past chain.maxHeadAge
	// Fail closed: no proxy serves a cfrag from a chain that has stopped.
	r := c.D.cli(t, "", "fetch", "--key", clin, "--ticket", g.Ticket)
	if r.code == 0 || strings.Contains(r.stdout, "mmol/L") {
		t.Fatalf("fetch on a halted chain: want refused, got %s", r)
	}
	// Ingest goes on (durable, R replicas, commitments journaled).
	a.mustIngest(t, dev, rs[100:200])
	if out := a.must(t, "revoke", g2.ID); !strings.Contains(out, "pending") {
		t.Fatalf("revoke on a halted chain: %q, want pending", out)
	}
	b.kill()
	b.start(t)
	a.mustIngest(t, dev, rs[200:])

	c.bft.restart(t, 2)
	c.bft.restart(t, 3)
	a.waitCommitted(t)
	waitFor(t, 90*time.Second, "the pending revocation to land", func() bool {
		var v struct {
			Revoked bool `json:"revoked"`
		}
		r := c.run(t, "", "--repo", a.repo, "--json", "grant", "show", g2.ID)
		return r.code == 0 && json.Unmarshal([]byte(r.stdout), &v) == nil && v.Revoked
	})
	c.waitMesh(t)
	c.checkAcknowledged(t, a, "MRN-HALT", "clin-halt-3", rs, rs, nil)
}

// testHospitalLost: hospital C is lost for good, its daemon and its
// validator. A and B keep every flow working and get R replicas again.
func testHospitalLost(t *testing.T, c *cluster) {
	cc := c.nodes[2]
	cc.kill()
	c.bft.kill(t, 2)
	a := c.nodes[0]
	// Two hospitals are left to be proxies.
	flowsWork(t, c, a, "LOST", 2)
	dev, _ := a.enrol(t, "cgm-lost-r", "MRN-LOST-R")
	rc := a.mustIngest(t, dev, mkReadings(dev.id, "MRN-LOST-R", 0, 50))
	if len(rc.Batches[0].Replicas) < 2 {
		t.Fatalf("batch after losing C: replicas %v, want 2", rc.Batches[0].Replicas)
	}
	for _, rep := range rc.Batches[0].Replicas {
		if rep == cc.peerID {
			t.Fatalf("the lost hospital C counted as a replica: %v", rc.Batches[0].Replicas)
		}
	}
}

// bftMaxHeadAge is chain.maxHeadAge of the BFT variant's daemons.
const bftMaxHeadAge = 8 * time.Second
