package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ipfs/go-cid"
	dsq "github.com/ipfs/go-datastore/query"

	"github.com/vaultnode/vaultnode/internal/fhirschema"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// custodyStep records a unit's custody step with c and waits until n's view of the chain has it. The maker
// sends through the embedded chain's RPC endpoint; a run in CI once saw the next step estimated against a
// state without the previous one. Waiting here turns such a lag into a pass and a lost step into a clear
// failure.
func custodyStep(t *testing.T, n *Node, c *pointers.Client, unit [32]byte, s pointers.CustodyStep) {
	t.Helper()
	if _, err := c.RecordCustody(context.Background(), unit, s); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		u, err := n.Chain.Unit(context.Background(), unit)
		if err == nil && u.LastStep >= s {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("custody step %s acknowledged, but the chain shows %v (%v)", s, u.LastStep, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// testMaker is a manufacturer's chain client and its release-signing key.
type testMaker struct {
	*pointers.Client
	release ed25519.PrivateKey
}

// publish publishes a release of gtin signed with the manufacturer's release key.
func (m testMaker) publish(ctx context.Context, gtin uint64, version string, image [32]byte) ([32]byte, pointers.Receipt, error) {
	return m.PublishRelease(ctx, gtin, version, image, ed25519.Sign(m.release, pointers.ReleaseMessage(gtin, version, image)))
}

// lifecycleMaker admits a manufacturer on n's chain (n is its admin) and returns it.
func lifecycleMaker(t *testing.T, n *Node) testMaker {
	t.Helper()
	ctx := context.Background()
	mkey, _ := crypto.GenerateKey()
	acct := crypto.PubkeyToAddress(mkey.PublicKey)
	if _, err := n.Chain.Fund(ctx, acct, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	addrs := n.Chain.Contracts()
	cl, err := pointers.Open(ctx, pointers.Config{ChainDir: t.TempDir(), RPCURL: n.Chain.Embedded().RPCURL(), Key: mkey, Contracts: &addrs,
		CommitInterval: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	signer, signerPriv, _ := ed25519.GenerateKey(nil)
	if _, err := n.Chain.AddManufacturer(ctx, acct, signer, "Acme Diabetes Devices"); err != nil {
		t.Fatal(err)
	}
	return testMaker{Client: cl, release: signerPriv}
}

// A hospital enrols a device only as a unit its manufacturer registered, with the key it was made with: a
// counterfeit UDI, a registered UDI with another key, a malformed UDI and a UDI without serial are refused
// with a clear error and nothing is enrolled; the genuine unit is enrolled with its UDI and its readings are
// accepted.
func TestEnrollUnitChecksTheManufacturersRegistration(t *testing.T) {
	ctx := context.Background()
	n, maker, gtin, _, pub, priv := unitOnNode(t, "CGM-0042")
	other, _, _ := ed25519.GenerateKey(nil)
	for name, c := range map[string]struct {
		udi     string
		key     ed25519.PublicKey
		class   error
		mention string
	}{
		"counterfeit serial": {"(01)00614141999996(21)CGM-9999", pub, ErrDeviceRefused, "not registered by its manufacturer"},
		"unknown model":      {"(01)00012345678905(21)CGM-0042", pub, ErrDeviceRefused, "not registered by its manufacturer"},
		"another key":        {"(01)00614141999996(21)CGM-0042", other, ErrDeviceRefused, "not the one the manufacturer registered"},
		"malformed UDI":      {"(01)00614141999997(21)CGM-0042", pub, ErrBadInput, "check digit"},
		"no serial":          {"(01)00614141999996(10)LOT1", pub, ErrBadInput, "no serial"},
	} {
		_, err := n.EnrollUnit(ctx, "cgm-unit", c.udi, c.key)
		if !errors.Is(err, c.class) || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%s: %v, want %v mentioning %q", name, err, c.class, c.mention)
		}
		if _, err := n.Keys.Device(ctx, "cgm-unit"); !errors.Is(err, keys.ErrUnknownDevice) {
			t.Fatalf("%s: a refused unit was enrolled (%v)", name, err)
		}
	}
	dev, err := n.EnrollUnit(ctx, "cgm-unit", "(01)00614141999996(17)281231(21)CGM-0042", pub)
	if err != nil {
		t.Fatal(err)
	}
	if dev.UDI != "(01)00614141999996(17)281231(21)CGM-0042" || !dev.PublicKey.Equal(pub) {
		t.Fatalf("enrolled unit: %+v", dev)
	}
	line := []byte(`{"device":"cgm-unit","patient":"MRN-1","stream":"glucose","time":"2026-03-01T08:00:00Z","value":5.5,"unit":"mmol/L","code":"loinc:15074-8"}`)
	b, err := ParseBatch(bytes.NewReader(SignedBatch(priv, "cgm-unit", [][]byte{line})), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Ingest(ctx, "cgm-unit", b); err != nil {
		t.Fatalf("the genuine unit's readings: %v", err)
	}

	// Its history: registration, the manufacturer's custody steps, the hospital's, an attested update.
	unit := pointers.UnitID(gtin, "CGM-0042")
	for _, s := range []pointers.CustodyStep{pointers.CustodyManufactured, pointers.CustodySterilised, pointers.CustodyShipped} {
		custodyStep(t, n, maker.Client, unit, s)
	}
	if _, err := n.Chain.RecordCustody(ctx, unit, pointers.CustodyReceived); err != nil {
		t.Fatal(err)
	}
	from, to := [32]byte{1}, [32]byte{2}
	if _, err := n.Chain.AttestUpdate(ctx, unit, from, to, ed25519.Sign(priv, pointers.UpdateMessage(unit, from, to))); err != nil {
		t.Fatal(err)
	}
	h, err := n.DeviceHistory(ctx, "cgm-unit")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range h.Events {
		kinds = append(kinds, e.Kind+e.Step)
	}
	if got := strings.Join(kinds, ","); got != "registered,custodymanufactured,custodysterilised,custodyshipped,custodyreceived,update" ||
		len(h.Problems) != 0 || h.Custody != "received" {
		t.Fatalf("history: %s, problems %v, custody %q", got, h.Problems, h.Custody)
	}
}

// A registered unit's batches carry the firmware that produced them, checked against the registry for each
// batch: approved, then recalled from the block of the recall on (the next batch), an unknown version or
// another image or a release its manufacturer's release key did not sign unapproved, nothing declared
// undeclared; the flag is sealed with every reading and shows in
// the FHIR Observation. With ingest.firmware "refuse", a batch from recalled firmware is refused.
func TestFirmwareFlaggedFromTheNextBatchAfterARecall(t *testing.T) {
	ctx := context.Background()
	n, maker, gtin, _, pub, priv := unitOnNode(t, "CGM-7")
	image := [32]byte{0xaa, 1}
	rel, _, err := maker.publish(ctx, gtin, "2.1", image)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.EnrollUnit(ctx, "cgm-7", "(01)00614141999996(21)CGM-7", pub); err != nil {
		t.Fatal(err)
	}
	minute := 0
	send := func(fw *Firmware) (*Receipt, error) {
		minute++
		line := fmt.Appendf(nil, `{"device":"cgm-7","patient":"MRN-1","stream":"glucose","time":"%s","value":5.5,"unit":"mmol/L","code":"loinc:15074-8"}`,
			claimT0.Add(time.Duration(minute)*time.Minute).Format(time.RFC3339))
		b, err := ParseBatch(bytes.NewReader(SignedBatchFirmware(priv, "cgm-7", fw, [][]byte{line})), 0)
		if err != nil {
			t.Fatal(err)
		}
		return n.Ingest(ctx, "cgm-7", b)
	}
	p := mustPseudonym(t, n, "MRN-1")
	var sks []*reencrypt.SecretKey
	flagOf := func(rc *Receipt) *FirmwareFlag {
		t.Helper()
		if sks == nil {
			var err error
			if sks, err = n.Keys.StreamSecretKeys(ctx, p, "glucose"); err != nil {
				t.Fatal(err)
			}
		}
		root, err := cid.Parse(rc.Batches[0].Root)
		if err != nil {
			t.Fatal(err)
		}
		ob, err := n.openOwnBatch(ctx, sks, root)
		if err != nil {
			t.Fatal(err)
		}
		return FirmwareOf(ob.Readings[0])
	}
	want := func(name string, fw *Firmware, status string) {
		t.Helper()
		rc, err := send(fw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := flagOf(rc)
		if f == nil || f.Status != status {
			t.Fatalf("%s: readings flagged %+v, want %s", name, f, status)
		}
	}
	want("approved release", &Firmware{Version: "2.1", Image: image}, FirmwareApproved)
	want("unknown version", &Firmware{Version: "2.2-beta", Image: image}, FirmwareUnapproved)
	want("another image", &Firmware{Version: "2.1", Image: [32]byte{0xbb}}, FirmwareUnapproved)
	want("nothing declared", nil, FirmwareUndeclared)
	// The manufacturer's chain account published 2.3 without its release key's signature (the registry takes
	// any 64 bytes): nodes do not trust it.
	junk := [32]byte{0xcc}
	if _, _, err := maker.PublishRelease(ctx, gtin, "2.3", junk, ed25519.Sign(priv, pointers.ReleaseMessage(gtin, "2.3", junk))); err != nil {
		t.Fatal(err)
	}
	want("a release not signed by the release key", &Firmware{Version: "2.3", Image: junk}, FirmwareUnapproved)
	if _, err := maker.SetReleaseStatus(ctx, rel, pointers.ReleaseRecalled, "sensor drift above 30 mg/dL"); err != nil {
		t.Fatal(err)
	}
	want("the next batch after the recall", &Firmware{Version: "2.1", Image: image}, FirmwareRecalled)

	// The flag reaches the clinician in FHIR too.
	rc, err := send(&Firmware{Version: "2.1", Image: image})
	if err != nil {
		t.Fatal(err)
	}
	root, _ := cid.Parse(rc.Batches[0].Root)
	ob, err := n.openOwnBatch(ctx, sks, root)
	if err != nil {
		t.Fatal(err)
	}
	o := FHIRObservation(ob.Readings[0], "obs-1")
	if d, _ := o["device"].(map[string]any)["display"].(string); !strings.Contains(d, "firmware 2.1 (recalled)") {
		t.Fatalf("FHIR Observation.device: %v", o["device"])
	}

	// The recall's impact on this node: the device and its batches under 2.1 (approved, another image,
	// recalled twice), none of another version; no patient in it.
	ri, err := n.RecallImpact(ctx, "00614141999996", "2.1")
	if err != nil {
		t.Fatal(err)
	}
	if ri.Release != "recalled" || ri.Batches != 4 || ri.Readings != 4 || len(ri.Devices) != 1 || ri.Devices[0].Device != "cgm-7" ||
		ri.Devices[0].UDI != "(01)00614141999996(21)CGM-7" || !ri.Devices[0].First.Equal(claimT0.Add(time.Minute)) {
		t.Fatalf("recall impact: %+v", ri)
	}
	if out, _ := json.Marshal(ri); strings.Contains(string(out), p.String()) || strings.Contains(string(out), "MRN-1") {
		t.Fatalf("the recall impact names the patient: %s", out)
	}
	if ri, err := n.RecallImpact(ctx, "00614141999996", "2.2-beta"); err != nil || ri.Batches != 1 || ri.Release != "unknown" {
		t.Fatalf("impact of an unknown version: %+v %v", ri, err)
	}
	if _, err := n.RecallImpact(ctx, "00614141999997", "2.1"); !errors.Is(err, ErrBadInput) {
		t.Fatalf("a malformed model: %v", err)
	}

	// The enrolled unit as a FHIR R4 Device: UDI, manufacturer from the registry, the last firmware it
	// declared (TestFHIRDeviceValidates checks the resource against HL7's schema).
	bundle, err := n.FHIRDevices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var dev map[string]any
	for _, e := range bundle["entry"].([]any) {
		r := e.(map[string]any)["resource"].(map[string]any)
		if r["id"] == "cgm-7" {
			dev = r
		}
	}
	raw, _ := json.Marshal(dev)
	for _, want := range []string{`"deviceIdentifier":"00614141999996"`, `"manufacturer":"Acme Diabetes Devices"`, `"serialNumber":"CGM-7"`,
		`"value":"2.1"`, `"status":"active"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("FHIR Device lacks %s: %s", want, raw)
		}
	}

	// A node that refuses recalled firmware.
	n.Cfg.Ingest.Firmware = FirmwarePolicyRefuse
	if _, err := send(&Firmware{Version: "2.1", Image: image}); !errors.Is(err, ErrDeviceRefused) || !strings.Contains(err.Error(), "recalled") {
		t.Fatalf("refuse policy, recalled firmware: %v", err)
	}

	// Erasure forgets the patient's batches in the firmware index too.
	if _, err := n.Erase(ctx, "MRN-1", "DSAR-fw", "test"); err != nil {
		t.Fatal(err)
	}
	if ri, err := n.RecallImpact(ctx, "00614141999996", "2.1"); err != nil || ri.Batches != 0 || len(ri.Devices) != 0 {
		t.Fatalf("recall impact after the patient's erasure: %+v %v", ri, err)
	}
}

// Every Device the node emits validates against HL7's R4 schema: a registered unit with everything known,
// a revoked device enrolled without a UDI.
func TestFHIRDeviceValidates(t *testing.T) {
	fhirschema.Require(t)
	pub, _, _ := ed25519.GenerateKey(nil)
	for name, r := range map[string]map[string]any{
		"registered unit": FHIRDevice(keys.Device{ID: "cgm-7", PublicKey: pub, Status: keys.DeviceActive,
			UDI: "(01)00614141999996(17)281231(10)LOT-9(21)CGM-7"}, "Acme Diabetes Devices", "2.1"),
		"revoked, no UDI": FHIRDevice(keys.Device{ID: "ext:pump/2", PublicKey: pub, Status: keys.DeviceRevoked}, "", ""),
	} {
		raw, _ := json.Marshal(r)
		fhirschema.Check(t, name, raw)
	}
}

// A device attests its firmware updates; the hospital records them on chain. An update to an image that is
// not an approved release of the unit's model quarantines the device: its readings are flagged quarantined,
// whatever firmware they declare, until an operator releases it. A forged attestation is refused.
func TestUpdateToUnapprovedImageQuarantines(t *testing.T) {
	ctx := context.Background()
	n, maker, gtin, _, pub, priv := unitOnNode(t, "PUMP-3")
	v20, v21 := [32]byte{0x20}, [32]byte{0x21}
	if _, _, err := maker.publish(ctx, gtin, "2.1", v21); err != nil {
		t.Fatal(err)
	}
	if _, err := n.EnrollUnit(ctx, "pump-3", "(01)00614141999996(21)PUMP-3", pub); err != nil {
		t.Fatal(err)
	}
	unit := pointers.UnitID(gtin, "PUMP-3")
	attest := func(from, to [32]byte) []byte { return ed25519.Sign(priv, pointers.UpdateMessage(unit, from, to)) }
	minute := 0
	flag := func() string {
		t.Helper()
		minute++
		line := fmt.Appendf(nil, `{"device":"pump-3","patient":"MRN-1","stream":"glucose","time":"%s","value":5.5,"unit":"mmol/L","code":"loinc:15074-8"}`,
			claimT0.Add(time.Duration(minute)*time.Minute).Format(time.RFC3339))
		b, err := ParseBatch(bytes.NewReader(SignedBatchFirmware(priv, "pump-3", &Firmware{Version: "2.1", Image: v21}, [][]byte{line})), 0)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := n.Ingest(ctx, "pump-3", b)
		if err != nil {
			t.Fatal(err)
		}
		sks, err := n.Keys.StreamSecretKeys(ctx, mustPseudonym(t, n, "MRN-1"), "glucose")
		if err != nil {
			t.Fatal(err)
		}
		root, _ := cid.Parse(rc.Batches[0].Root)
		ob, err := n.openOwnBatch(ctx, sks, root)
		if err != nil {
			t.Fatal(err)
		}
		return FirmwareOf(ob.Readings[0]).Status
	}

	if _, err := n.RecordUpdate(ctx, "pump-3", "2.1", v20, v21, attest(v20, [32]byte{0x99})); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("an attestation signed over another image: %v", err)
	}
	res, err := n.RecordUpdate(ctx, "pump-3", "2.1", v20, v21, attest(v20, v21))
	if err != nil || res.Quarantined || res.Release != "approved" {
		t.Fatalf("update to the approved release: %+v %v", res, err)
	}
	if got := flag(); got != FirmwareApproved {
		t.Fatalf("after an approved update the readings are %s", got)
	}
	custom := [32]byte{0xc0}
	res, err = n.RecordUpdate(ctx, "pump-3", "3.0-custom", v21, custom, attest(v21, custom))
	if err != nil || !res.Quarantined || !strings.Contains(res.Reason, "not a release") {
		t.Fatalf("update to an unapproved image: %+v %v", res, err)
	}
	if got := flag(); got != FirmwareQuarantined {
		t.Fatalf("a quarantined device's readings are %s (it still declares 2.1)", got)
	}
	if err := n.ReleaseQuarantine(ctx, "pump-3"); err != nil {
		t.Fatal(err)
	}
	if got := flag(); got != FirmwareApproved {
		t.Fatalf("after the operator released it the readings are %s", got)
	}
	if err := n.ReleaseQuarantine(ctx, "pump-3"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("releasing a device not in quarantine: %v", err)
	}
	h, err := n.DeviceHistory(ctx, "pump-3")
	if err != nil {
		t.Fatal(err)
	}
	// The updates named by the releases whose images they installed (2.0's image was never released).
	var updates []string
	for _, e := range h.Events {
		if e.Kind == "update" {
			updates = append(updates, fmt.Sprintf("%q→%q", e.FromVersion, e.ToVersion))
		}
	}
	if strings.Join(updates, " ") != `""→"2.1" "2.1"→""` {
		t.Fatalf("history's updates by version: %v, want an unreleased image → 2.1, then 2.1 → an unreleased image", updates)
	}
	// The firmware its batches declared here: three batches under 2.1, an approved release.
	if len(h.Firmware) != 1 || h.Firmware[0].Version != "2.1" || h.Firmware[0].Release != "approved" || h.Firmware[0].Batches != 3 ||
		h.Firmware[0].Readings != 3 || !h.Firmware[0].First.Before(h.Firmware[0].Last) {
		t.Fatalf("history's firmware runs: %+v", h.Firmware)
	}
	// The FHIR Device of the unit names its manufacturer, from the registry, and the firmware of its latest
	// batch, from the firmware index.
	bundle, err := n.FHIRDevices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(bundle)
	fhirschema.Check(t, "the node's Device bundle", raw)
	if !bytes.Contains(raw, []byte(`"manufacturer":"Acme Diabetes Devices"`)) || !bytes.Contains(raw, []byte(`"value":"2.1"`)) {
		t.Fatalf("the unit's FHIR Device lacks its manufacturer or firmware: %s", raw)
	}
}

// An implant's custody at the hospital: received, then implanted in a local patient. The chain records the
// steps and nothing of the patient; the unit → patient link stays on this node, and the patient's erasure
// removes it.
func TestImplantLinkStaysOffChainAndIsErased(t *testing.T) {
	ctx := context.Background()
	n, maker, _, unit, pub, _ := unitOnNode(t, "PM-88")
	for _, s := range []pointers.CustodyStep{pointers.CustodyManufactured, pointers.CustodySterilised, pointers.CustodyShipped} {
		custodyStep(t, n, maker.Client, unit, s)
	}
	if _, err := n.EnrollUnit(ctx, "pacemaker-88", "(01)00614141999996(21)PM-88", pub); err != nil {
		t.Fatal(err)
	}
	if _, err := n.RecordCustody(ctx, "pacemaker-88", "implanted", ""); !errors.Is(err, ErrBadInput) {
		t.Fatalf("implanted without a patient: %v", err)
	}
	if _, err := n.RecordCustody(ctx, "pacemaker-88", "received", ""); err != nil {
		t.Fatal(err)
	}
	rc, err := n.RecordCustody(ctx, "pacemaker-88", "implanted", "MRN-1")
	if err != nil || rc.Step != "implanted" {
		t.Fatalf("implanted: %+v %v", rc, err)
	}
	imps, err := n.Implants(ctx, "MRN-1")
	if err != nil || len(imps) != 1 || imps[0].UDI != "(01)00614141999996(21)PM-88" {
		t.Fatalf("implants of MRN-1: %+v %v", imps, err)
	}
	// Nothing of the patient in the transaction.
	p := mustPseudonym(t, n, "MRN-1")
	subject := n.Keys.SubjectTag(p)
	tx, _, err := n.Chain.Embedded().Client().TransactionByHash(ctx, common.HexToHash(rc.Tx))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(tx.Data(), p[:]) || bytes.Contains(tx.Data(), subject[:]) || bytes.Contains(tx.Data(), []byte("MRN-1")) {
		t.Fatal("the implanted step carries the patient on chain")
	}
	if _, err := n.Erase(ctx, "MRN-1", "DSAR-implant", "test"); err != nil {
		t.Fatal(err)
	}
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: implantPrefix, KeysOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	left, _ := res.Rest()
	if len(left) != 0 {
		t.Fatalf("the erased patient's implant link is still on the node: %v", left)
	}
}

// A FHIR submission declares its firmware beside the document (X-Vaultnode-Firmware) and signs it with the
// document; the readings carry the flag like a JSON-lines batch's, and come back as FHIR with a contained
// Device whose version is that firmware.
func TestFHIRDeclaresFirmwareAndExportNamesIt(t *testing.T) {
	ctx := context.Background()
	n, maker, gtin, _, pub, priv := unitOnNode(t, "CGM-F")
	img := [32]byte{0x31}
	if _, _, err := maker.publish(ctx, gtin, "3.1", img); err != nil {
		t.Fatal(err)
	}
	if _, err := n.EnrollUnit(ctx, "cgm-f", "(01)00614141999996(21)CGM-F", pub); err != nil {
		t.Fatal(err)
	}
	doc := bytes.Replace(readFHIRExample(t, "observation-glucose.json"), []byte(`"Device/cgm-1"`), []byte(`"Device/cgm-f"`), 1)
	fw := &Firmware{Version: "3.1", Image: img}
	// Signed without the declaration, sent with it: the signature does not cover what is declared.
	if _, err := n.IngestFHIR(ctx, "cgm-f", doc, ed25519.Sign(priv, FHIRMessage("cgm-f", nil, doc)), fw); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a declaration the device did not sign: %v", err)
	}
	// Signed with another firmware than declared.
	other := &Firmware{Version: "3.1", Image: [32]byte{0x99}}
	if _, err := n.IngestFHIR(ctx, "cgm-f", doc, ed25519.Sign(priv, FHIRMessage("cgm-f", other, doc)), fw); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a declaration of another image than signed: %v", err)
	}
	if _, err := ParseFirmwareHeader("3.1 beta " + strings.Repeat("31", 32)); !errors.Is(err, ErrBadInput) {
		t.Fatalf("a header with a version no batch could declare: %v", err)
	}
	if got, err := ParseFirmwareHeader(FirmwareHeader(fw)); err != nil || *got != *fw {
		t.Fatalf("the header does not round-trip: %+v %v", got, err)
	}
	res, err := n.IngestFHIR(ctx, "cgm-f", doc, ed25519.Sign(priv, FHIRMessage("cgm-f", fw, doc)), fw)
	if err != nil {
		t.Fatal(err)
	}
	sks, err := n.Keys.StreamSecretKeys(ctx, mustPseudonym(t, n, "MRN-1"), "glucose")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := cid.Parse(res.Receipt.Batches[0].Root)
	ob, err := n.openOwnBatch(ctx, sks, root)
	if err != nil {
		t.Fatal(err)
	}
	f := FirmwareOf(ob.Readings[0])
	if f == nil || f.Status != FirmwareApproved || f.Version != "3.1" {
		t.Fatalf("the FHIR reading's firmware flag: %+v", f)
	}
	o := FHIRObservation(ob.Readings[0], "obs-1")
	raw, _ := json.Marshal(o)
	fhirschema.Check(t, "Observation with a firmware flag", raw)
	var back struct {
		Contained []struct {
			ResourceType, ID string
			Version          []struct {
				Value     string
				Component struct{ System, Value string }
			}
			Note []struct{ Text string }
		}
		Device struct{ Reference, Display string }
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Contained) != 1 || back.Device.Reference != "#"+back.Contained[0].ID || back.Contained[0].ResourceType != "Device" ||
		len(back.Contained[0].Version) != 1 || back.Contained[0].Version[0].Value != "3.1" ||
		back.Contained[0].Version[0].Component.Value != hex.EncodeToString(img[:]) || !strings.Contains(back.Contained[0].Note[0].Text, "approved") {
		t.Fatalf("the Observation's device: %s", raw)
	}
}

// unitOnNode starts an online node (serving its chain) and a manufacturer that registered model
// 00614141999996 and one unit of it with a new key; it returns them, the model's GTIN, the unit's registry
// id and its key pair.
func unitOnNode(t *testing.T, serial string) (*Node, testMaker, uint64, [32]byte, ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	ctx := context.Background()
	n, _, _ := onlineNodeWith(t, func(c *Config) { c.Chain.ServeRPC = "127.0.0.1:0" })
	maker := lifecycleMaker(t, n)
	gtin, _ := pointers.ParseGTIN("00614141999996")
	if _, err := maker.RegisterModel(ctx, gtin); err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	unit, _, err := maker.RegisterUnit(ctx, gtin, serial, pub)
	if err != nil {
		t.Fatal(err)
	}
	return n, maker, gtin, unit, pub, priv
}

func FuzzParseFirmwareHeader(f *testing.F) {
	f.Add("2.1 " + strings.Repeat("ab", 32))
	f.Add("2.1")
	f.Add(" " + strings.Repeat("ab", 32))
	f.Add("2 1 " + strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, v string) {
		fw, err := ParseFirmwareHeader(v)
		if err != nil || fw == nil {
			if v != "" && fw == nil && err == nil {
				t.Fatalf("%q: no declaration and no error", v)
			}
			return
		}
		if pointers.CheckFirmwareVersion(fw.Version) != nil {
			t.Fatalf("%q: accepted version %q the registry's rule refuses", v, fw.Version)
		}
		if back, err := ParseFirmwareHeader(FirmwareHeader(fw)); err != nil || *back != *fw {
			t.Fatalf("%q: does not round-trip: %+v %v", v, back, err)
		}
	})
}
