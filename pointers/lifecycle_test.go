package pointers

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// One implant's life on the registry, with every refusal a counterfeiter, a wrong party or a careless
// operator would meet: the manufacturer admitted by an admin only, models and units registered by their
// manufacturer only, an unregistered serial unknown, a recall final and visible from the next block, custody
// steps only in order and only by the party that acts, update attestations by members only, and the unit's
// history read back with nothing missing; a history with a step dropped or a party altered is reported.
func TestLifecycleRegistry(t *testing.T) {
	ctx := context.Background()
	admin := servedEmbedded(t)
	maker := joinClient(t, admin, admin.Embedded().RPCURL())    // a manufacturer: not a member
	outsider := joinClient(t, admin, admin.Embedded().RPCURL()) // neither member nor manufacturer
	makerKey, makerPriv, _ := ed25519.GenerateKey(nil)

	_, err := outsider.AddManufacturer(ctx, maker.Account(), makerKey, "Acme Implants")
	mustErr(t, err, ErrNotAdmin, "a non-admin admits a manufacturer")
	if _, err := admin.AddManufacturer(ctx, maker.Account(), makerKey, "Acme Implants"); err != nil {
		t.Fatal(err)
	}
	if active, key, name, err := admin.Manufacturer(ctx, maker.Account()); err != nil || !active || !key.Equal(makerKey) || name != "Acme Implants" {
		t.Fatalf("manufacturer read back: %v %x %q %v", active, key, name, err)
	}

	gtin, err := ParseGTIN("00614141999996")
	if err != nil {
		t.Fatal(err)
	}
	_, err = outsider.RegisterModel(ctx, gtin)
	mustErr(t, err, ErrNotOwner, "a non-manufacturer registers a model")
	if _, err := maker.RegisterModel(ctx, gtin); err != nil {
		t.Fatal(err)
	}
	devKey, _, _ := ed25519.GenerateKey(nil)
	_, _, err = outsider.RegisterUnit(ctx, gtin, "SN-0042", devKey)
	mustErr(t, err, ErrNotOwner, "a unit registered by someone else than its manufacturer")
	unit, _, err := maker.RegisterUnit(ctx, gtin, "SN-0042", devKey)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = maker.RegisterUnit(ctx, gtin, "SN-0042", devKey)
	mustErr(t, err, ErrBadInput, "the same unit registered twice")
	u, err := admin.Unit(ctx, unit)
	if err != nil || u.GTIN != gtin || u.DeviceKeyHash != DeviceKeyHash(devKey) {
		t.Fatalf("unit read back: %+v %v", u, err)
	}
	_, err = admin.Unit(ctx, UnitID(gtin, "SN-FAKE"))
	mustErr(t, err, ErrUnknownUnit, "a counterfeit serial")

	// Firmware: published approved, recalled by its manufacturer with a reason, final.
	image := sha256.Sum256([]byte("firmware 1.0 image"))
	sig := ed25519.Sign(makerPriv, ReleaseMessage(gtin, "1.0", image))
	rel, _, err := maker.PublishRelease(ctx, gtin, "1.0", image, sig)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := admin.ReleaseOf(ctx, rel); err != nil || r.Status != ReleaseApproved || r.ImageHash != image {
		t.Fatalf("release read back: %+v %v", r, err)
	}
	_, err = outsider.SetReleaseStatus(ctx, rel, ReleaseRecalled, "not theirs to recall")
	mustErr(t, err, ErrNotOwner, "a recall by an outsider")
	_, err = maker.SetReleaseStatus(ctx, rel, ReleaseRecalled, "")
	mustErr(t, err, ErrBadInput, "a recall without a reason")
	rc, err := maker.SetReleaseStatus(ctx, rel, ReleaseRecalled, "battery drain in sleep mode (FSN-2026-17)")
	if err != nil {
		t.Fatal(err)
	}
	if head, _ := admin.BlockNumber(ctx); head != rc.Block {
		t.Fatalf("recall in block %d, head %d", rc.Block, head)
	}
	if r, err := admin.ReleaseOf(ctx, rel); err != nil || r.Status != ReleaseRecalled {
		t.Fatalf("right after the recall's block the release is %v (%v)", r.Status, err)
	}
	_, err = maker.SetReleaseStatus(ctx, rel, ReleaseApproved, "")
	mustErr(t, err, ErrBadInput, "a recalled release approved again")
	_, err = admin.ReleaseOf(ctx, ReleaseID(gtin, "9.9"))
	mustErr(t, err, ErrUnknownRelease, "an unpublished release")

	// Custody: in order, by the party that acts.
	_, err = maker.RecordCustody(ctx, unit, CustodySterilised)
	mustErr(t, err, ErrCustody, "sterilised before manufactured")
	_, err = admin.RecordCustody(ctx, unit, CustodyManufactured)
	mustErr(t, err, ErrCustody, "manufactured recorded by a hospital")
	for _, s := range []CustodyStep{CustodyManufactured, CustodySterilised, CustodyShipped} {
		if _, err := maker.RecordCustody(ctx, unit, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	_, err = outsider.RecordCustody(ctx, unit, CustodyReceived)
	mustErr(t, err, ErrCustody, "received by a non-member")
	_, err = admin.RecordCustody(ctx, unit, CustodyImplanted)
	mustErr(t, err, ErrCustody, "implanted before received")
	if _, err := admin.RecordCustody(ctx, unit, CustodyReceived); err != nil {
		t.Fatal(err)
	}
	_, err = maker.RecordCustody(ctx, unit, CustodyImplanted)
	mustErr(t, err, ErrCustody, "implanted by the manufacturer")
	if _, err := admin.RecordCustody(ctx, unit, CustodyImplanted); err != nil {
		t.Fatal(err)
	}

	// A firmware update the unit attested to: members only.
	next := sha256.Sum256([]byte("firmware 1.1 image"))
	_, err = outsider.AttestUpdate(ctx, unit, image, next, make([]byte, 64))
	mustErr(t, err, ErrNotMember, "an update attested by a non-member")
	if _, err := admin.AttestUpdate(ctx, unit, image, next, make([]byte, 64)); err != nil {
		t.Fatal(err)
	}

	hist, err := outsider.UnitHistory(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range hist {
		k := e.Kind
		if k == "custody" {
			k = e.Step.String()
		}
		kinds = append(kinds, k)
	}
	want := []string{"registered", "manufactured", "sterilised", "shipped", "received", "implanted", "update"}
	if len(kinds) != len(want) {
		t.Fatalf("history %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("history %v, want %v", kinds, want)
		}
	}
	if p := CustodyProblems(unit, hist); len(p) != 0 {
		t.Fatalf("a sound history reported: %v", p)
	}
	// A node serving the logs drops the shipping step, or names another party for the sterilisation.
	dropped := append(append([]UnitEvent{}, hist[:3]...), hist[4:]...)
	if p := CustodyProblems(unit, dropped); len(p) == 0 {
		t.Fatal("a history missing its shipping step was not reported")
	}
	forged := append([]UnitEvent{}, hist...)
	forged[2].By = common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	if p := CustodyProblems(unit, forged); len(p) == 0 {
		t.Fatal("a custody step credited to another party was not reported")
	}
}

// BenchmarkLifecycleGas reports the gas of each lifecycle transaction (run with -benchtime 1x; gas does not
// depend on the machine): registration, release, recall, attestation, custody step.
func BenchmarkLifecycleGas(b *testing.B) {
	ctx := context.Background()
	admin, _, _ := openEmbedded(b)
	makerKey, makerPriv, _ := ed25519.GenerateKey(nil)
	gas := map[string]uint64{}
	note := func(what string, r Receipt, err error) {
		if err != nil {
			b.Fatalf("%s: %v", what, err)
		}
		gas[what] = r.GasUsed
	}
	for i := 0; b.Loop(); i++ {
		// The admin is its own manufacturer here: gas does not depend on who sends.
		if i == 0 {
			r, err := admin.AddManufacturer(ctx, admin.Account(), makerKey, "Acme Implants")
			note("addManufacturer", r, err)
		}
		gtin := uint64(10_000_000_000_000 + i)
		r, err := admin.RegisterModel(ctx, gtin)
		note("registerModel", r, err)
		dev, _, _ := ed25519.GenerateKey(nil)
		unit, r, err := admin.RegisterUnit(ctx, gtin, "SN-1", dev)
		note("registerUnit", r, err)
		img := sha256.Sum256([]byte{byte(i)})
		rel, r, err := admin.PublishRelease(ctx, gtin, "1.0", img, ed25519.Sign(makerPriv, ReleaseMessage(gtin, "1.0", img)))
		note("publishRelease", r, err)
		r, err = admin.SetReleaseStatus(ctx, rel, ReleaseRecalled, "battery drain in sleep mode (FSN-2026-17)")
		note("setReleaseStatus (recall)", r, err)
		r, err = admin.AttestUpdate(ctx, unit, img, sha256.Sum256([]byte("next")), make([]byte, 64))
		note("attestUpdate", r, err)
		r, err = admin.RecordCustody(ctx, unit, CustodyManufactured)
		note("recordCustody (first step)", r, err)
		r, err = admin.RecordCustody(ctx, unit, CustodySterilised)
		note("recordCustody (later step)", r, err)
	}
	for what, g := range gas {
		b.ReportMetric(float64(g), "gas-"+strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(what))
	}
}
