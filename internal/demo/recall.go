package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"time"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store"
)

// recallEpisode tells the device lifecycle in short: a manufacturer admitted by the consortium registers a
// CGM unit and publishes its firmware; hospital A refuses a counterfeit and enrols the genuine unit; the
// unit's readings come in under the approved firmware; the manufacturer recalls it; the next batch is
// flagged; A sees the recall's impact.
func recallEpisode(ctx context.Context, dir string, a *node.Node, start time.Time, fetch func() ([]store.Reading, error)) (string, error) {
	mkey, err := ethcrypto.GenerateKey()
	if err != nil {
		return "", err
	}
	acct := ethcrypto.PubkeyToAddress(mkey.PublicKey)
	if _, err := a.Chain.Fund(ctx, acct, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))); err != nil {
		return "", err
	}
	addrs := a.Chain.Contracts()
	maker, err := pointers.Open(ctx, pointers.Config{ChainDir: filepath.Join(dir, "manufacturer"), RPCURL: a.Chain.Embedded().RPCURL(), Key: mkey,
		Contracts: &addrs, CommitInterval: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if err != nil {
		return "", err
	}
	defer maker.Close()
	signer, signerPriv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return "", err
	}
	defer clear(signerPriv)
	if _, err := a.Chain.AddManufacturer(ctx, acct, signer, "Acme Diabetes Devices"); err != nil {
		return "", err
	}
	const model = "00614141999996"
	gtin, _ := pointers.ParseGTIN(model)
	if _, err := maker.RegisterModel(ctx, gtin); err != nil {
		return "", err
	}
	devPub, devPriv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return "", err
	}
	defer clear(devPriv)
	if _, _, err := maker.RegisterUnit(ctx, gtin, "CGM-0021", devPub); err != nil {
		return "", err
	}
	image := sha256.Sum256([]byte("acme cgm firmware 2.1"))
	rel, _, err := maker.PublishRelease(ctx, gtin, "2.1", image, ed25519.Sign(signerPriv, pointers.ReleaseMessage(gtin, "2.1", image)))
	if err != nil {
		return "", err
	}
	var s strings.Builder
	fmt.Fprintf(&s, "manufacturer Acme admitted by the consortium's admin; model %s, unit CGM-0021 and firmware 2.1 registered on-chain\n", model)
	if _, err := a.EnrollUnit(ctx, "cgm-fake", "(01)"+model+"(21)CGM-9999", devPub); !errors.Is(err, node.ErrDeviceRefused) {
		return "", fmt.Errorf("a counterfeit unit was not refused: %v", err)
	}
	s.WriteString("a counterfeit (serial CGM-9999, never registered) is refused at enrolment\n")
	if _, err := a.EnrollUnit(ctx, "cgm-21", "(01)"+model+"(17)281231(21)CGM-0021", devPub); err != nil {
		return "", err
	}
	fw := &node.Firmware{Version: "2.1", Image: image}
	send := func(minute int) error {
		line := fmt.Appendf(nil, `{"device":"cgm-21","patient":"MRN-0042","stream":"glucose","time":"%s","value":6.1,"unit":"mmol/L","code":"loinc:15074-8"}`,
			start.Add(time.Duration(minute)*time.Minute+30*time.Second).Format(time.RFC3339))
		b, err := node.ParseBatch(strings.NewReader(string(node.SignedBatchFirmware(devPriv, "cgm-21", fw, [][]byte{line}))), 0)
		if err != nil {
			return err
		}
		_, err = a.Ingest(ctx, "cgm-21", b)
		return err
	}
	if err := send(1); err != nil {
		return "", err
	}
	s.WriteString("the genuine unit (its key is the one Acme registered) is enrolled; its first batch declares firmware 2.1: approved\n")
	rc, err := maker.SetReleaseStatus(ctx, rel, pointers.ReleaseRecalled, "sensor drift above 1.5 mmol/L (field safety notice FSN-2026-17)")
	if err != nil {
		return "", err
	}
	if err := send(2); err != nil {
		return "", err
	}
	// What the clinician gets, once A's committer has put the batches on chain: the unit's two readings,
	// each with its firmware flag.
	for a.Chain.PendingCommitments() > 0 {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		time.Sleep(20 * time.Millisecond)
	}
	rs, err := fetch()
	if err != nil {
		return "", err
	}
	var flags []string
	for _, r := range rs {
		if r.Device == "cgm-21" {
			if f := node.FirmwareOf(r); f != nil {
				flags = append(flags, f.Status)
			}
		}
	}
	if strings.Join(flags, ",") != "approved,recalled" {
		return "", fmt.Errorf("the clinician's readings from the unit are flagged %v, want approved then recalled", flags)
	}
	ri, err := a.RecallImpact(ctx, model, "2.1")
	if err != nil {
		return "", err
	}
	if ri.Release != "recalled" || ri.Batches != 2 || len(ri.Devices) != 1 {
		return "", fmt.Errorf("recall impact: %+v", ri)
	}
	fmt.Fprintf(&s, "Acme recalls 2.1 in block %d; the unit's next batch is sealed with the flag \"recalled\"\n", rc.Block)
	fmt.Fprintf(&s, "Dr. Ito's fetch returns the unit's readings flagged: %s\n", strings.Join(flags, ", then "))
	fmt.Fprintf(&s, "recall impact at A: %d device (%s), %d batches, %d readings, no patient named", len(ri.Devices), ri.Devices[0].UDI, ri.Batches, ri.Readings)
	return s.String(), nil
}
