package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	vnode "github.com/vaultnode/vaultnode/internal/node"
)

// testRecallAcrossHospitals: a manufacturer's units are in use at two hospitals, each sending readings under
// firmware 4.0; the manufacturer recalls it. Asked at A, the consortium-wide impact holds every hospital's
// share as that hospital reported it: A's devices by name, B's by UDI only (B's device names stay at B), C
// with nothing, and the CLI-only member D, which runs no node, as giving no report.
func testRecallAcrossHospitals(t *testing.T, c *cluster) {
	a, b := c.nodes[0], c.nodes[1]
	const model = "00614141000012"
	mf := c.manufacturer(t, a, "acme-recall")
	mf("model", model)
	image := sha256.Sum256([]byte("acme infusion pump 4.0"))
	mf("release", "--model", model, "--version", "4.0", "--image-sha256", hex.EncodeToString(image[:]))
	fw := &vnode.Firmware{Version: "4.0", Image: image}
	send := func(n *node, dev string, key ed25519.PrivateKey, mrn string, first int) {
		t.Helper()
		n.ingestFirmware(t, dev, key, fw, mkReadings(dev, mrn, first, 20))
	}
	unit := func(n *node, dev, serial, mrn string) ed25519.PrivateKey {
		t.Helper()
		return enrolUnit(t, mf, n, model, dev, serial, mrn)
	}
	ka := unit(a, "pump-a1", "INF-A1", "MRN-RECALL-A")
	kb := unit(b, "pump-b1", "INF-B1", "MRN-RECALL-B")
	send(a, "pump-a1", ka, "MRN-RECALL-A", 0)
	send(a, "pump-a1", ka, "MRN-RECALL-A", 100)
	send(b, "pump-b1", kb, "MRN-RECALL-B", 0)
	mf("release-status", "--model", model, "--version", "4.0", "--status", "recalled", "--reason", "free-flow risk (FSN-2026-40)")

	var ci struct {
		Release   string
		Hospitals []struct {
			Node              string
			Batches, Readings int
			Devices           []struct{ Device, UDI string }
		}
		Unreachable       []string
		Batches, Readings int
	}
	if err := json.Unmarshal([]byte(a.must(t, "--json", "recall", "impact", "--model", model, "--firmware", "4.0", "--consortium")), &ci); err != nil {
		t.Fatal(err)
	}
	if ci.Release != "recalled" || ci.Batches != 3 || ci.Readings != 60 || len(ci.Hospitals) != 3 {
		t.Fatalf("consortium impact: %+v", ci)
	}
	byNode := map[string]int{}
	for i, h := range ci.Hospitals {
		byNode[strings.ToLower(h.Node)] = i
	}
	ha, okA := byNode[strings.ToLower(a.account)]
	hb, okB := byNode[strings.ToLower(b.account)]
	hc, okC := byNode[strings.ToLower(c.nodes[2].account)]
	if !okA || !okB || !okC || ha != 0 {
		t.Fatalf("consortium impact: hospitals %v, want A first, then B and C", byNode)
	}
	if h := ci.Hospitals[ha]; h.Batches != 2 || len(h.Devices) != 1 || h.Devices[0].Device != "pump-a1" {
		t.Fatalf("A's share: %+v", h)
	}
	if h := ci.Hospitals[hb]; h.Batches != 1 || len(h.Devices) != 1 || h.Devices[0].Device != "" || h.Devices[0].UDI != "(01)"+model+"(21)INF-B1" {
		t.Fatalf("B's share (its device by UDI only): %+v", h)
	}
	if h := ci.Hospitals[hc]; h.Batches != 0 || len(h.Devices) != 0 {
		t.Fatalf("C's share: %+v", h)
	}
	if len(ci.Unreachable) != 1 || !strings.Contains(strings.ToLower(ci.Unreachable[0]), strings.ToLower(c.D.account)) {
		t.Fatalf("unreachable: %v, want the CLI-only member D alone", ci.Unreachable)
	}
	if out := a.must(t, "recall", "impact", "--model", model, "--firmware", "4.0", "--consortium"); !strings.Contains(out, "NO REPORT from") ||
		!strings.Contains(out, "(their device)") {
		t.Fatalf("recall impact --consortium text:\n%s", out)
	}
}

// manufacturer creates a manufacturer (directory name under the cluster's) that admin admits, and returns a
// runner of its commands (run on admin's host, against the cluster's chain).
func (c *cluster) manufacturer(t testing.TB, admin *node, name string) func(args ...string) string {
	t.Helper()
	dir := filepath.Join(c.dir, name)
	var id struct{ Account, SigningKey string }
	if err := json.Unmarshal([]byte(admin.must(t, "--json", "manufacturer", "--dir", dir, "init", "--name", name,
		"--chain-rpc", c.rpc, "--contracts", filepath.Join(admin.repo, "chain", "contracts.json"))), &id); err != nil {
		t.Fatal(err)
	}
	admin.must(t, "manufacturer", "admit", "--account", id.Account, "--signing-key", id.SigningKey, "--name", name)
	return func(args ...string) string {
		t.Helper()
		return admin.must(t, append([]string{"manufacturer", "--dir", dir}, args...)...)
	}
}

// enrolUnit has the manufacturer register a unit (serial) of model with a new key, enrols it at n as device
// dev with a new patient mrn, and returns the unit's private key.
func enrolUnit(t testing.TB, mf func(...string) string, n *node, model, dev, serial, mrn string) ed25519.PrivateKey {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	mf("unit", "--model", model, "--serial", serial, "--public-key", hex.EncodeToString(pub))
	n.must(t, "device", "enroll", dev, "--udi", "(01)"+model+"(21)"+serial, "--public-key", hex.EncodeToString(pub))
	n.must(t, "patient", "create", "--mrn", mrn)
	return priv
}

// ingestFirmware sends rs as one batch of dev declaring fw, signed with key.
func (n *node) ingestFirmware(t testing.TB, dev string, key ed25519.PrivateKey, fw *vnode.Firmware, rs []reading) {
	t.Helper()
	var ls [][]byte
	for _, l := range lines(rs) {
		ls = append(ls, []byte(l))
	}
	status, raw, err := rawCall("POST", n.api()+"/v1/readings?device="+dev, n.token(t, "device"), "application/x-ndjson", vnode.SignedBatchFirmware(key, dev, fw, ls))
	if err != nil || status != 200 {
		t.Fatalf("ingest at %s: %d %s %v", n.name, status, raw, err)
	}
}
