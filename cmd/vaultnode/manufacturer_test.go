package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultnode/vaultnode/internal/service"
)

// A device's life told through the CLI alone, the manufacturer on one side and the hospital on the other:
// the manufacturer creates its identity and is admitted by the consortium's admin, registers a model, a
// unit and a firmware release, and ships the unit; the hospital refuses a counterfeit, enrols the unit,
// receives and implants it, ingests readings under the approved firmware; the manufacturer recalls the
// firmware, the next batch is flagged for the clinician and the hospital sees the recall's impact. Each
// refusal on the way (not admitted, wrong party, out of order, malformed input, wrong passphrase) is tried.
func TestManufacturerLifecycleCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a daemon and a manufacturer against its chain")
	}
	r := newRepo(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rpcAddr := l.Addr().String()
	l.Close()
	var cfg map[string]any
	if err := json.Unmarshal([]byte(r.read("repo/config.json")), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["chain"].(map[string]any)["serveRpc"] = rpcAddr // the manufacturer talks to the hospital's chain node
	cfg["replication"].(map[string]any)["writeConcern"] = 1
	cb, _ := json.Marshal(cfg)
	r.write("repo/config.json", string(cb))
	api := startDaemon(t, r)
	rpc := "http://" + rpcAddr

	mf := func(args ...string) []string { return append([]string{"manufacturer", "--dir", "acme"}, args...) }
	r.want(2, "--contracts", "", mf("init", "--name", "Acme Diabetes Devices", "--chain-rpc", rpc)...)
	var id struct{ Account, SigningKey, AdmitCommand string }
	if err := json.Unmarshal([]byte(r.must(append([]string{"--json"}, mf("init", "--name", "Acme Diabetes Devices", "--chain-rpc", rpc,
		"--contracts", "repo/chain/contracts.json")...)...)), &id); err != nil {
		t.Fatal(err)
	}
	r.want(1, "already holds a manufacturer", "", mf("init", "--name", "Acme", "--chain-rpc", rpc, "--contracts", "repo/chain/contracts.json")...)
	// The key file is sealed: mode 0600, no JSON of keys in it.
	st, err := os.Stat(filepath.Join(r.dir, "acme", "manufacturer.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("manufacturer.key: %v, mode %v", err, st.Mode())
	}
	if strings.Contains(r.read("acme/manufacturer.key"), "chainKey") {
		t.Fatal("manufacturer.key holds its keys in clear")
	}
	wrong := &repo{t: t, dir: r.dir, env: append(append([]string{}, r.env...), "VAULTNODE_KEY_PASSPHRASE=not the passphrase")}
	wrong.want(1, "wrong passphrase", "", mf("show")...)

	if out := r.must(mf("show")...); !strings.Contains(out, "NOT admitted") || !strings.Contains(out, "manufacturer admit --account "+id.Account) {
		t.Fatalf("show before admission: %s", out)
	}
	const model = "00614141999996"
	r.want(3, "", "", mf("model", model)...) // not admitted: the chain refuses the sender
	r.want(1, "signing key", "", "manufacturer", "admit", "--account", id.Account, "--signing-key", "abcd", "--name", "Acme")
	r.must("manufacturer", "admit", "--account", id.Account, "--signing-key", id.SigningKey, "--name", "Acme Diabetes Devices")
	r.want(1, "already an admitted manufacturer", "", "manufacturer", "admit", "--account", id.Account, "--signing-key", id.SigningKey, "--name", "Acme")
	if out := r.must(mf("show")...); !strings.Contains(out, `admitted as "Acme Diabetes Devices"`) {
		t.Fatalf("show after admission: %s", out)
	}

	r.want(1, "check digit", "", mf("model", "00614141999995")...)
	r.must(mf("model", model)...)
	r.want(1, "", "", mf("model", model)...) // registered twice
	devPub, devPriv, _ := ed25519.GenerateKey(nil)
	if err := service.WriteDeviceKey(filepath.Join(r.dir, "pump.key"), "pump-7", devPriv); err != nil {
		t.Fatal(err)
	}
	r.want(1, "device key", "", mf("unit", "--model", model, "--serial", "PUMP-0007", "--public-key", "00")...)
	r.want(1, "serial", "", mf("unit", "--model", model, "--serial", "bad serial", "--public-key", hex.EncodeToString(devPub))...)
	var unit struct{ UDI string }
	if err := json.Unmarshal([]byte(r.must(append([]string{"--json"}, mf("unit", "--model", model, "--serial", "PUMP-0007",
		"--public-key", hex.EncodeToString(devPub))...)...)), &unit); err != nil || unit.UDI != "(01)"+model+"(21)PUMP-0007" {
		t.Fatalf("unit --json: %v %+v", err, unit)
	}
	r.write("fw-3.2.bin", "acme pump firmware 3.2")
	image := sha256.Sum256([]byte("acme pump firmware 3.2"))
	r.want(2, "one of them", "", mf("release", "--model", model, "--version", "3.2")...)
	if out := r.must(mf("release", "--model", model, "--version", "3.2", "--image", "fw-3.2.bin")...); !strings.Contains(out, hex.EncodeToString(image[:])) {
		t.Fatalf("release: the published image hash is not the file's SHA-256: %s", out)
	}

	// The hospital: a counterfeit serial is refused; the genuine unit is enrolled.
	r.want(3, "", "", "device", "enroll", "pump-fake", "--udi", "(01)"+model+"(21)PUMP-9999", "--public-key", hex.EncodeToString(devPub))
	r.must("device", "enroll", "pump-7", "--udi", unit.UDI, "--public-key", hex.EncodeToString(devPub))

	// Custody: each party its own steps, in order.
	r.want(1, "no step recorded yet, so the next step is manufactured, not received", "", "device", "custody", "pump-7", "received")
	r.want(1, "manufactured, sterilised or shipped", "", mf("custody", unit.UDI, "received")...)
	r.want(1, "the next step is manufactured, not sterilised", "", mf("custody", unit.UDI, "sterilised")...)
	for _, step := range []string{"manufactured", "sterilised", "shipped"} {
		r.must(mf("custody", unit.UDI, step)...)
	}
	r.want(1, "needs the patient", "", "device", "custody", "pump-7", "implanted")
	r.must("device", "custody", "pump-7", "received")
	r.must("device", "custody", "pump-7", "implanted", "--patient", "MRN-1")
	if out := r.must("patient", "implants", "MRN-1"); !strings.Contains(out, "pump-7") || !strings.Contains(out, unit.UDI) {
		t.Fatalf("patient implants: %s", out)
	}
	var h struct {
		Events   []struct{ Kind, Step string }
		Problems []string
		Custody  string
	}
	if err := json.Unmarshal([]byte(r.must("--json", "device", "history", "pump-7")), &h); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range h.Events {
		if e.Kind == "custody" {
			steps = append(steps, e.Step)
		}
	}
	if strings.Join(steps, ",") != "manufactured,sterilised,shipped,received,implanted" || len(h.Problems) != 0 || h.Custody != "implanted" {
		t.Fatalf("device history: custody %v, problems %v, last %q", steps, h.Problems, h.Custody)
	}

	// Readings under the approved firmware, then the recall, then the next batch.
	send := func(name string, hour int) {
		var b strings.Builder
		for i := 0; i < 12; i++ {
			fmt.Fprintf(&b, `{"device":"pump-7","patient":"MRN-1","stream":"glucose","time":"2026-03-02T%02d:%02d:00Z","value":6.2,"unit":"mmol/L","code":"loinc:15074-8"}`+"\n", hour, i*5)
		}
		r.write(name+".raw", b.String())
		r.write(name, r.must("device", "sign", "--key", "pump.key", "--firmware", "3.2", "--image-sha256", hex.EncodeToString(image[:]), name+".raw"))
		r.must("ingest", "--device", "pump-7", name)
	}
	send("before.jsonl", 8)
	r.want(1, "reason", "", mf("release-status", "--model", model, "--version", "3.2", "--status", "recalled")...)
	r.want(1, "approved, deprecated or recalled", "", mf("release-status", "--model", model, "--version", "3.2", "--status", "withdrawn")...)
	r.must(mf("release-status", "--model", model, "--version", "3.2", "--status", "recalled", "--reason", "occlusion alarm may not sound (FSN-2026-31)")...)
	r.want(1, "", "", mf("release-status", "--model", model, "--version", "3.2", "--status", "approved")...) // a recall is final
	send("after.jsonl", 9)
	// A FHIR Observation from the unit, its firmware declared beside it and signed with it.
	r.write("obs.json", strings.Replace(fhirExample(t, "observation-glucose.json"), `"Device/cgm-1"`, `"Device/pump-7"`, 1))
	fwArgs := []string{"--firmware", "3.2", "--image-sha256", hex.EncodeToString(image[:])}
	fsig := strings.TrimSpace(r.must(append([]string{"device", "sign", "--key", "pump.key", "--fhir"}, append(fwArgs, "obs.json")...)...))
	unsigned := strings.TrimSpace(r.must("device", "sign", "--key", "pump.key", "--fhir", "obs.json"))
	r.want(1, "signature", "", append([]string{"ingest", "--device", "pump-7", "--sig", unsigned}, append(fwArgs, "obs.json")...)...)
	r.want(2, "signature line", "", append([]string{"ingest", "--device", "pump-7"}, append(fwArgs, "before.jsonl")...)...)
	r.must(append([]string{"ingest", "--device", "pump-7", "--sig", fsig}, append(fwArgs, "obs.json")...)...)
	waitCommitted(t, api)

	r.must("keygen", "--out", "clin.key")
	r.must("grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--from", "-1m", "--until", "1h", "--threshold", "1")
	var f struct {
		Readings []struct {
			Time     string
			Firmware *struct{ Version, Status string }
		}
	}
	if err := json.Unmarshal([]byte(r.must("--json", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose")), &f); err != nil {
		t.Fatal(err)
	}
	flags := map[string]int{}
	for _, rd := range f.Readings {
		if rd.Firmware != nil {
			flags[rd.Time[:13]+" "+rd.Firmware.Status]++
		}
	}
	if flags["2026-03-02T08 approved"] != 12 || flags["2026-03-02T09 recalled"] != 12 || flags["2026-03-01T08 recalled"] != 1 || len(flags) != 3 {
		t.Fatalf("fetched firmware flags by hour: %v, want 12 approved at 08, 12 recalled at 09, and the FHIR reading recalled", flags)
	}
	if out := r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose", "--format", "fhir"); !strings.Contains(out, `"reference": "#device"`) ||
		!strings.Contains(out, "RECALLED by its manufacturer") {
		t.Fatalf("fetch --format fhir: no contained Device naming the recall:\n%.2000s", out)
	}
	var hf struct {
		Firmware []struct {
			Version, Release  string
			Batches, Readings int
		}
	}
	if err := json.Unmarshal([]byte(r.must("--json", "device", "history", "pump-7")), &hf); err != nil {
		t.Fatal(err)
	}
	if len(hf.Firmware) != 1 || hf.Firmware[0].Version != "3.2" || hf.Firmware[0].Release != "recalled" || hf.Firmware[0].Batches != 3 || hf.Firmware[0].Readings != 25 {
		t.Fatalf("device history's firmware: %+v", hf.Firmware)
	}
	if out := r.must("device", "history", "pump-7"); !strings.Contains(out, "ran firmware 3.2 (recalled now): 3 batch(es), 25 reading(s) here") {
		t.Fatalf("device history: %s", out)
	}
	var ri struct {
		Release, Batches, Readings any
		Devices                    []struct{ Device string }
	}
	if err := json.Unmarshal([]byte(r.must("--json", "recall", "impact", "--model", model, "--firmware", "3.2")), &ri); err != nil {
		t.Fatal(err)
	}
	if ri.Release != "recalled" || ri.Batches != float64(3) || ri.Readings != float64(25) || len(ri.Devices) != 1 || ri.Devices[0].Device != "pump-7" {
		t.Fatalf("recall impact: %+v", ri)
	}
}
