package node

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/p2p"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// EnrollDevice creates a device key pair, records the device in the keystore
// and registers it on-chain. The private key is returned once (for the
// device); the caller wipes it.
func (n *Node) EnrollDevice(ctx context.Context, id string) (keys.Device, ed25519.PrivateKey, error) {
	if err := keys.ValidateDeviceID(id); err != nil {
		return keys.Device{}, nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	// Enrolment needs the chain (a device is accepted only once the chain
	// knows it): asked first, so that an outage leaves no half-enrolled
	// device whose key was never handed out.
	if !n.Chain.Ready() {
		return keys.Device{}, nil, fmt.Errorf("enroll device: %w: the chain has not answered since the node started", pointers.ErrChainUnavailable)
	}
	if err := n.Chain.CheckLive(ctx); err != nil {
		return keys.Device{}, nil, fmt.Errorf("enroll device: %w", err)
	}
	dev, priv, err := n.Keys.EnrollDevice(ctx, id, false)
	if err != nil {
		return dev, nil, fmt.Errorf("enroll device: %w", err)
	}
	_, err = n.Chain.RegisterDevice(ctx, n.d.deviceIDHash(id), dev.PublicKey)
	if errors.Is(err, pointers.ErrPending) {
		// The chain went away in between: the registration is journaled and
		// lands when it returns; the key must reach the device now.
		n.Log.Warn("device registration journaled: the device is accepted once the chain has it", "device", id)
		return dev, priv, nil
	}
	if err != nil && !errors.Is(err, pointers.ErrDeviceExists) {
		wipe(priv)
		return dev, nil, fmt.Errorf("register device on-chain: %w", err)
	}
	return dev, priv, nil
}

// EnrollUnit enrols a device its manufacturer registered on chain (docs/DEVICES.md): the UDI names the
// unit, and its public key must be the one the manufacturer registered for it. An unregistered UDI (a
// counterfeit) or another key is refused with ErrDeviceRefused; the device keeps its own private key.
func (n *Node) EnrollUnit(ctx context.Context, id, udiText string, pub ed25519.PublicKey) (keys.Device, error) {
	if err := keys.ValidateDeviceID(id); err != nil {
		return keys.Device{}, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	udi, err := keys.ParseUDI(udiText)
	if err != nil {
		return keys.Device{}, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	if udi.Serial == "" {
		return keys.Device{}, fmt.Errorf("%w: UDI %s has no serial (21): a unit is registered by its serial", ErrBadInput, udi)
	}
	if len(pub) != ed25519.PublicKeySize {
		return keys.Device{}, fmt.Errorf("%w: device public key of %d bytes (want %d)", ErrBadInput, len(pub), ed25519.PublicKeySize)
	}
	gtin, err := pointers.ParseGTIN(udi.DI)
	if err != nil {
		return keys.Device{}, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	unit, err := n.Chain.Unit(ctx, pointers.UnitID(gtin, udi.Serial))
	switch {
	case errors.Is(err, pointers.ErrUnknownUnit):
		return keys.Device{}, fmt.Errorf("%w: UDI %s is not registered by its manufacturer (a counterfeit, or a unit not yet registered)", ErrDeviceRefused, udi)
	case err != nil:
		return keys.Device{}, fmt.Errorf("enroll unit %s: %w", udi, err)
	}
	if unit.DeviceKeyHash != pointers.DeviceKeyHash(pub) {
		return keys.Device{}, fmt.Errorf("%w: the device key is not the one the manufacturer registered for UDI %s", ErrDeviceRefused, udi)
	}
	dev, err := n.Keys.AddDevice(ctx, id, pub, udi)
	if err != nil {
		return dev, fmt.Errorf("enroll unit: %w", err)
	}
	if _, err := n.Chain.RegisterDevice(ctx, n.d.deviceIDHash(id), dev.PublicKey); err != nil && !errors.Is(err, pointers.ErrDeviceExists) && !errors.Is(err, pointers.ErrPending) {
		return dev, fmt.Errorf("register device on-chain: %w", err)
	}
	return dev, nil
}

// DeviceHistory is an enrolled unit's life as the registry and this node know it.
type DeviceHistory struct {
	Device   string            `json:"device"`
	UDI      string            `json:"udi"`  // empty: enrolled without a UDI, unknown to the registry
	Unit     string            `json:"unit"` // the registry's unit id
	Enrolled time.Time         `json:"enrolled"`
	Events   []DeviceEventView `json:"events"`
	Problems []string          `json:"problems"` // custody steps missing, unchained or credited to another party
	Custody  string            `json:"custody"`  // the last custody step ("" before the first)
	// Firmware is what the unit's batches ingested here declared, per version, with the release's status in
	// the registry now (other hospitals hold their own share of the unit's batches).
	Firmware []FirmwareRun `json:"firmware"`
}

// FirmwareRun is one firmware version a unit's batches ingested here declared.
type FirmwareRun struct {
	Version  string    `json:"version"`
	Release  string    `json:"release"` // approved, deprecated, recalled, or unknown (no such release)
	Batches  int       `json:"batches"`
	Readings int       `json:"readings"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// DeviceEventView is one event of a unit's history.
type DeviceEventView struct {
	Block uint64 `json:"block"`
	Tx    string `json:"tx"`
	Kind  string `json:"kind"` // registered, custody, update
	Step  string `json:"step,omitempty"`
	By    string `json:"by,omitempty"`
	From  string `json:"fromImage,omitempty"`
	To    string `json:"toImage,omitempty"`
	// FromVersion and ToVersion: the releases of the unit's model with those images ("" when none has it).
	FromVersion string `json:"fromVersion,omitempty"`
	ToVersion   string `json:"toVersion,omitempty"`
}

// DeviceHistory reads an enrolled unit's history from the registry (registration, custody steps, attested
// firmware updates) and checks its custody chain. A device enrolled without a UDI has no history there.
func (n *Node) DeviceHistory(ctx context.Context, id string) (*DeviceHistory, error) {
	dev, err := n.Keys.Device(ctx, id)
	if errors.Is(err, keys.ErrUnknownDevice) || errors.Is(err, keys.ErrInvalid) {
		return nil, fmt.Errorf("%w: unknown device %q", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	gtin, unit, ok := registeredUnit(dev)
	if !ok {
		// Enrolled with a key this node made: the registry knows nothing of it.
		return &DeviceHistory{Device: id, Enrolled: dev.Enrolled, Events: []DeviceEventView{}, Problems: []string{}, Firmware: []FirmwareRun{}}, nil
	}
	evs, err := n.Chain.UnitHistory(ctx, unit)
	if err != nil {
		return nil, err
	}
	rels, err := n.Chain.ModelReleases(ctx, gtin)
	if err != nil {
		return nil, err
	}
	versionOf := map[[32]byte]string{}
	for _, r := range rels {
		versionOf[r.Image] = r.Version
	}
	h := &DeviceHistory{Device: id, UDI: dev.UDI, Unit: hex.EncodeToString(unit[:]), Enrolled: dev.Enrolled,
		Events: []DeviceEventView{}, Problems: pointers.CustodyProblems(unit, evs)}
	if h.Firmware, err = n.firmwareRuns(ctx, gtin, id); err != nil {
		return nil, err
	}
	if h.Problems == nil {
		h.Problems = []string{}
	}
	for _, e := range evs {
		v := DeviceEventView{Block: e.Block, Tx: e.TxHash.Hex(), Kind: e.Kind}
		switch e.Kind {
		case "custody":
			v.Step, v.By = e.Step.String(), e.By.Hex()
			h.Custody = v.Step
		case "update":
			v.By, v.From, v.To = e.By.Hex(), hex.EncodeToString(e.From[:]), hex.EncodeToString(e.To[:])
			v.FromVersion, v.ToVersion = versionOf[e.From], versionOf[e.To]
		}
		h.Events = append(h.Events, v)
	}
	return h, nil
}

// RevokeDevice revokes a device locally and on-chain.
func (n *Node) RevokeDevice(ctx context.Context, id string) (keys.Device, error) {
	dev, err := n.Keys.RevokeDevice(ctx, id)
	if err != nil {
		if errors.Is(err, keys.ErrUnknownDevice) || errors.Is(err, keys.ErrInvalid) {
			return dev, fmt.Errorf("%w: unknown device %q", ErrNotFound, id)
		}
		return dev, err
	}
	if _, err := n.Chain.RevokeDevice(ctx, n.d.deviceIDHash(id)); err != nil && !errors.Is(err, pointers.ErrDeviceRevoked) {
		return dev, fmt.Errorf("revoke device on-chain: %w", err)
	}
	return dev, nil
}

// Admit makes a peer a consortium member (admins only): funds its chain
// account with wei and adds it with its peer id and proxy key.
func Admit(ctx context.Context, admin *Node, account, peerID, proxyKeyHex string, wei *big.Int) error {
	if !common.IsHexAddress(account) {
		return fmt.Errorf("%w: account %q", ErrBadInput, account)
	}
	acct := common.HexToAddress(account)
	pid, err := peer.Decode(peerID)
	if err != nil {
		return fmt.Errorf("%w: peer id: %v", ErrBadInput, err)
	}
	pk, err := hex.DecodeString(proxyKeyHex)
	if err != nil || len(pk) != p2p.ProxyKeySize {
		return fmt.Errorf("%w: proxy key must be %d bytes of hex", ErrBadInput, p2p.ProxyKeySize)
	}
	if wei != nil && wei.Sign() > 0 {
		if _, err := admin.Chain.Fund(ctx, acct, wei); err != nil {
			return fmt.Errorf("fund %s: %w", acct.Hex(), err)
		}
	}
	pb, _ := pid.Marshal()
	if _, err := admin.Chain.AddMember(ctx, acct, pb, pk); err != nil && !errors.Is(err, pointers.ErrMemberExists) {
		return fmt.Errorf("add member: %w", err)
	}
	if admin.Members != nil {
		admin.Members.Add(pid)
	}
	return nil
}

// Manufacturer is a device manufacturer as the lifecycle registry holds it.
type Manufacturer struct {
	Account    string `json:"account"`
	SigningKey string `json:"signingKey"` // hex Ed25519 public key that signs its firmware releases
	Name       string `json:"name"`
	Active     bool   `json:"active"`
}

// AdmitManufacturer admits a device manufacturer to the lifecycle registry (this node's account must be a
// consortium admin): funds its chain account with wei, so that it pays for its own registrations, and
// records it with the Ed25519 key that signs its firmware releases. A manufacturer is not a member: it
// stores nothing and serves no one. It returns the record as the chain holds it afterwards.
func (n *Node) AdmitManufacturer(ctx context.Context, account, signingKeyHex, name string, wei *big.Int) (*Manufacturer, error) {
	if !common.IsHexAddress(account) {
		return nil, fmt.Errorf("%w: account %q is not a chain address (0x and 40 hex digits)", ErrBadInput, account)
	}
	acct := common.HexToAddress(account)
	sk, err := hex.DecodeString(signingKeyHex)
	if err != nil || len(sk) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: signing key: want the manufacturer's Ed25519 public key, %d hex digits", ErrBadInput, 2*ed25519.PublicKeySize)
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 128 || !utf8.ValidString(name) {
		return nil, fmt.Errorf("%w: name: 1 to 128 bytes of UTF-8", ErrBadInput)
	}
	// Asked before the funds move: a node that may not admit would otherwise give them away.
	if admin, err := n.Chain.IsAdmin(ctx, n.Chain.Account()); err != nil {
		return nil, fmt.Errorf("read admins: %w", err)
	} else if !admin {
		return nil, fmt.Errorf("%w: this node's account %s is not a consortium admin", pointers.ErrNotAdmin, n.Chain.Account().Hex())
	}
	if active, _, _, err := n.Chain.Manufacturer(ctx, acct); err != nil {
		return nil, fmt.Errorf("read manufacturer %s: %w", acct.Hex(), err)
	} else if active {
		return nil, fmt.Errorf("%w: %s is already an admitted manufacturer", keys.ErrExists, acct.Hex())
	}
	if wei != nil && wei.Sign() > 0 {
		if _, err := n.Chain.Fund(ctx, acct, wei); err != nil {
			return nil, fmt.Errorf("fund %s: %w", acct.Hex(), err)
		}
	}
	if _, err := n.Chain.AddManufacturer(ctx, acct, ed25519.PublicKey(sk), name); err != nil {
		return nil, fmt.Errorf("add manufacturer: %w", err)
	}
	active, key, got, err := n.Chain.Manufacturer(ctx, acct)
	if err != nil {
		return nil, fmt.Errorf("read manufacturer %s: %w", acct.Hex(), err)
	}
	return &Manufacturer{Account: acct.Hex(), SigningKey: hex.EncodeToString(key), Name: got, Active: active}, nil
}
