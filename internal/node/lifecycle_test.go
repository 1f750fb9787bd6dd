package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// lifecycleMaker admits a manufacturer on n's chain (n is its admin) and returns its client.
func lifecycleMaker(t *testing.T, n *Node) *pointers.Client {
	t.Helper()
	ctx := context.Background()
	mkey, _ := crypto.GenerateKey()
	acct := crypto.PubkeyToAddress(mkey.PublicKey)
	if _, err := n.Chain.Fund(ctx, acct, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	addrs := n.Chain.Contracts()
	maker, err := pointers.Open(ctx, pointers.Config{ChainDir: t.TempDir(), RPCURL: n.Chain.Embedded().RPCURL(), Key: mkey, Contracts: &addrs,
		CommitInterval: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { maker.Close() })
	signer, _, _ := ed25519.GenerateKey(nil)
	if _, err := n.Chain.AddManufacturer(ctx, acct, signer, "Acme Diabetes Devices"); err != nil {
		t.Fatal(err)
	}
	return maker
}

// A hospital enrols a device only as a unit its manufacturer registered, with the key it was made with: a
// counterfeit UDI, a registered UDI with another key, a malformed UDI and a UDI without serial are refused
// with a clear error and nothing is enrolled; the genuine unit is enrolled with its UDI and its readings are
// accepted.
func TestEnrollUnitChecksTheManufacturersRegistration(t *testing.T) {
	ctx := context.Background()
	n, _, _ := onlineNodeWith(t, func(c *Config) { c.Chain.ServeRPC = "127.0.0.1:0" })
	maker := lifecycleMaker(t, n)
	gtin, _ := pointers.ParseGTIN("00614141999996")
	if _, err := maker.RegisterModel(ctx, gtin); err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	if _, _, err := maker.RegisterUnit(ctx, gtin, "CGM-0042", pub); err != nil {
		t.Fatal(err)
	}
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
}
