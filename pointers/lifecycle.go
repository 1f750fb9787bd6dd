package pointers

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// The device lifecycle registry (contract Lifecycle, docs/DEVICES.md): manufacturers admitted by the
// consortium's admins, their models (GTIN-14, the UDI-DI) and units (serial, UDI-PI, bound to the unit's
// device key), firmware releases and their recalls, attested firmware updates, and the chain of custody of
// implants. Nothing in it names a patient.

// ErrNoLifecycleContract: the deployment predates the lifecycle registry.
var ErrNoLifecycleContract = errors.New("pointers: this deployment has no Lifecycle contract")

// ReleaseStatus is a firmware release's standing.
type ReleaseStatus uint8

const (
	ReleaseApproved   ReleaseStatus = 1
	ReleaseDeprecated ReleaseStatus = 2
	ReleaseRecalled   ReleaseStatus = 3 // final
)

func (s ReleaseStatus) String() string {
	switch s {
	case ReleaseApproved:
		return "approved"
	case ReleaseDeprecated:
		return "deprecated"
	case ReleaseRecalled:
		return "recalled"
	}
	return "ReleaseStatus(" + strconv.Itoa(int(s)) + ")"
}

// CustodyStep is a step in an implant's chain of custody, in the order they must happen.
type CustodyStep uint8

const (
	CustodyManufactured CustodyStep = 1 // by the unit's manufacturer
	CustodySterilised   CustodyStep = 2 // by the unit's manufacturer
	CustodyShipped      CustodyStep = 3 // by the unit's manufacturer
	CustodyReceived     CustodyStep = 4 // by a member (hospital)
	CustodyImplanted    CustodyStep = 5 // by a member; the patient stays off chain
	CustodyExplanted    CustodyStep = 6 // by a member
)

var custodyNames = []string{"", "manufactured", "sterilised", "shipped", "received", "implanted", "explanted"}

func (s CustodyStep) String() string {
	if int(s) < len(custodyNames) && s > 0 {
		return custodyNames[s]
	}
	return "CustodyStep(" + strconv.Itoa(int(s)) + ")"
}

// ParseGTIN reads a GTIN-14 (the UDI-DI) as the number the registry keys models by.
func ParseGTIN(di string) (uint64, error) {
	if len(di) != 14 {
		return 0, fmt.Errorf("%w: GTIN %q: want 14 digits", ErrBadInput, di)
	}
	v, err := strconv.ParseUint(di, 10, 64)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("%w: GTIN %q: not a number", ErrBadInput, di)
	}
	return v, nil
}

// SerialHash is how a unit's serial (UDI-PI) goes on chain.
func SerialHash(serial string) [32]byte {
	return crypto.Keccak256Hash([]byte("vaultnode/udi-serial/v1\x00" + serial))
}

// DeviceKeyHash is how a unit's device key goes on chain.
func DeviceKeyHash(pub ed25519.PublicKey) [32]byte {
	return crypto.Keccak256Hash([]byte("vaultnode/device-key/v1\x00"), pub)
}

// UnitID is the registry's id of a unit: keccak256(abi.encode(gtin, SerialHash(serial))).
func UnitID(gtin uint64, serial string) [32]byte {
	sh := SerialHash(serial)
	return crypto.Keccak256Hash(common.LeftPadBytes(new(big.Int).SetUint64(gtin).Bytes(), 32), sh[:])
}

// ReleaseID is the registry's id of a firmware release: keccak256(abi.encode(gtin, version)).
func ReleaseID(gtin uint64, version string) [32]byte {
	u64, _ := abi.NewType("uint64", "", nil)
	str, _ := abi.NewType("string", "", nil)
	b, err := abi.Arguments{{Type: u64}, {Type: str}}.Pack(gtin, version)
	if err != nil {
		panic(err) // both types are fixed above; Pack cannot fail on them
	}
	return crypto.Keccak256Hash(b)
}

// MaxFirmwareVersion is the longest firmware version the registry takes.
const MaxFirmwareVersion = 64

// CheckFirmwareVersion is the rule for a firmware version, the same wherever one is written (a release, a
// batch's declaration, an update attestation): 1 to 64 printable ASCII characters, no space.
func CheckFirmwareVersion(v string) error {
	if len(v) == 0 || len(v) > MaxFirmwareVersion {
		return fmt.Errorf("firmware version of %d characters (1 to %d)", len(v), MaxFirmwareVersion)
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] > '~' {
			return fmt.Errorf("firmware version: character %d (%q) is not printable ASCII", i+1, v[i])
		}
	}
	return nil
}

// Release is a firmware release as the registry holds it.
type Release struct {
	GTIN      uint64
	ImageHash [32]byte
	Status    ReleaseStatus
	Since     uint64 // block time of the current status
}

// Unit is a registered unit: its model, the hash of its device key, and its custody so far.
type Unit struct {
	GTIN          uint64
	DeviceKeyHash [32]byte
	CustodyHead   [32]byte
	LastStep      CustodyStep
}

func (c *Client) lifecycleAddress() (common.Address, error) {
	if c.addrs.Lifecycle == (common.Address{}) {
		return common.Address{}, ErrNoLifecycleContract
	}
	return c.addrs.Lifecycle, nil
}

func (c *Client) lifecycleSend(ctx context.Context, op string, data []byte) (Receipt, error) {
	to, err := c.lifecycleAddress()
	if err != nil {
		return Receipt{}, err
	}
	return c.send(ctx, op, &to, data, nil)
}

func (c *Client) lifecycleCall(ctx context.Context, op string, data []byte) ([]byte, error) {
	to, err := c.lifecycleAddress()
	if err != nil {
		return nil, err
	}
	return c.call(ctx, op, to, data)
}

// AddManufacturer admits a manufacturer (admins only) with the Ed25519 key that signs its firmware releases.
func (c *Client) AddManufacturer(ctx context.Context, account common.Address, signingKey ed25519.PublicKey, name string) (Receipt, error) {
	if len(signingKey) != ed25519.PublicKeySize {
		return Receipt{}, fmt.Errorf("%w: manufacturer signing key: %d bytes", ErrBadInput, len(signingKey))
	}
	return c.lifecycleSend(ctx, "add manufacturer", c.lifecycle.PackAddManufacturer(account, [32]byte(signingKey), name))
}

// Manufacturer returns a manufacturer's standing, signing key and name.
func (c *Client) Manufacturer(ctx context.Context, account common.Address) (active bool, signingKey ed25519.PublicKey, name string, err error) {
	out, err := c.lifecycleCall(ctx, "get manufacturer", c.lifecycle.PackGetManufacturer(account))
	if err != nil {
		return false, nil, "", err
	}
	m, err := c.lifecycle.UnpackGetManufacturer(out)
	if err != nil {
		return false, nil, "", err
	}
	return m.Active, ed25519.PublicKey(m.SigningKey[:]), m.Name, nil
}

// RegisterModel registers a device model (its GTIN-14) to the calling manufacturer.
func (c *Client) RegisterModel(ctx context.Context, gtin uint64) (Receipt, error) {
	return c.lifecycleSend(ctx, "register model", c.lifecycle.PackRegisterModel(gtin))
}

// RegisterUnit registers a unit of one of the caller's models: its serial and the device key it was made with.
func (c *Client) RegisterUnit(ctx context.Context, gtin uint64, serial string, deviceKey ed25519.PublicKey) ([32]byte, Receipt, error) {
	if serial == "" || len(deviceKey) != ed25519.PublicKeySize {
		return [32]byte{}, Receipt{}, fmt.Errorf("%w: a unit needs a serial and a 32-byte device key", ErrBadInput)
	}
	r, err := c.lifecycleSend(ctx, "register unit", c.lifecycle.PackRegisterUnit(gtin, SerialHash(serial), DeviceKeyHash(deviceKey)))
	return UnitID(gtin, serial), r, err
}

// Unit returns a registered unit (ErrUnknownUnit if none).
func (c *Client) Unit(ctx context.Context, id [32]byte) (Unit, error) {
	out, err := c.lifecycleCall(ctx, "get unit", c.lifecycle.PackGetUnit(id))
	if err != nil {
		return Unit{}, err
	}
	u, err := c.lifecycle.UnpackGetUnit(out)
	if err != nil {
		return Unit{}, err
	}
	return Unit{GTIN: u.Gtin, DeviceKeyHash: u.DeviceKeyHash, CustodyHead: u.CustodyHead, LastStep: CustodyStep(u.LastStep)}, nil
}

// PublishRelease publishes an approved firmware release of one of the caller's models: the version, the
// SHA-256 of the image and the manufacturer's Ed25519 signature over them (ReleaseMessage).
func (c *Client) PublishRelease(ctx context.Context, gtin uint64, version string, imageHash [32]byte, signature []byte) ([32]byte, Receipt, error) {
	r, err := c.lifecycleSend(ctx, "publish release", c.lifecycle.PackPublishRelease(gtin, version, imageHash, signature))
	return ReleaseID(gtin, version), r, err
}

// ReleaseMessage is what a manufacturer signs for a release.
func ReleaseMessage(gtin uint64, version string, imageHash [32]byte) []byte {
	id := ReleaseID(gtin, version)
	return append(append([]byte("vaultnode/firmware-release/v1\x00"), id[:]...), imageHash[:]...)
}

// SetReleaseStatus deprecates, re-approves or recalls a release (its manufacturer or an admin); a recall
// needs a reason and is final.
func (c *Client) SetReleaseStatus(ctx context.Context, release [32]byte, status ReleaseStatus, reason string) (Receipt, error) {
	return c.lifecycleSend(ctx, "set release status", c.lifecycle.PackSetReleaseStatus(release, uint8(status), reason))
}

// ReleaseOf returns a release as the chain holds it at the latest block.
func (c *Client) ReleaseOf(ctx context.Context, release [32]byte) (Release, error) {
	out, err := c.lifecycleCall(ctx, "get release", c.lifecycle.PackGetRelease(release))
	if err != nil {
		return Release{}, err
	}
	r, err := c.lifecycle.UnpackGetRelease(out)
	if err != nil {
		return Release{}, err
	}
	return Release{GTIN: r.Gtin, ImageHash: r.ImageHash, Status: ReleaseStatus(r.Status), Since: r.Since}, nil
}

// AttestUpdate records (members only) a firmware update a unit attested to: its Ed25519 signature over
// UpdateMessage(unit, from, to), which the caller has checked against the unit's device key.
func (c *Client) AttestUpdate(ctx context.Context, unit, from, to [32]byte, deviceSignature []byte) (Receipt, error) {
	return c.lifecycleSend(ctx, "attest update", c.lifecycle.PackAttestUpdate(unit, from, to, deviceSignature))
}

// UpdateMessage is what a device signs after installing firmware: its unit id and the old and new image hashes.
func UpdateMessage(unit, from, to [32]byte) []byte {
	b := append([]byte("vaultnode/firmware-update/v1\x00"), unit[:]...)
	return append(append(b, from[:]...), to[:]...)
}

// RecordCustody records a unit's next custody step, by the party that acts (steps 1–3 its manufacturer,
// 4–6 a member).
func (c *Client) RecordCustody(ctx context.Context, unit [32]byte, step CustodyStep) (Receipt, error) {
	return c.lifecycleSend(ctx, "record custody", c.lifecycle.PackRecordCustody(unit, uint8(step)))
}

// CheckCustodyStep says, wrapping ErrCustody, why step cannot be the next custody step of u (nil when it
// can), in words an operator can act on; who may record it is the contract's to check.
func CheckCustodyStep(u Unit, step CustodyStep) error {
	if step == u.LastStep+1 && step <= CustodyExplanted {
		return nil
	}
	at := "no step recorded yet"
	if u.LastStep > 0 {
		at = "its last step is " + u.LastStep.String()
	}
	if u.LastStep >= CustodyExplanted {
		return fmt.Errorf("%w: %s: the unit's custody is complete, %s cannot follow", ErrCustody, at, step)
	}
	return fmt.Errorf("%w: %s, so the next step is %s, not %s", ErrCustody, at, u.LastStep+1, step)
}

// UnitEvent is one entry of a unit's on-chain history.
type UnitEvent struct {
	Block    uint64
	LogIndex uint
	TxHash   common.Hash
	Kind     string // "registered", "custody", "update"
	By       common.Address
	Step     CustodyStep // custody
	Prev     [32]byte    // custody: the head before this step
	Head     [32]byte    // custody: the head after it
	From, To [32]byte    // update: old and new image hashes
	Sig      []byte      // update: the device's signature
}

// UnitHistory is a unit's on-chain life in chain order: registration, custody steps, attested updates.
func (c *Client) UnitHistory(ctx context.Context, unit [32]byte) ([]UnitEvent, error) {
	to, err := c.lifecycleAddress()
	if err != nil {
		return nil, err
	}
	ab := c.lifecycle.GetABI()
	ids := []common.Hash{ab.Events["UnitRegistered"].ID, ab.Events["CustodyRecorded"].ID, ab.Events["UpdateAttested"].ID}
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), Addresses: []common.Address{to},
		Topics: [][]common.Hash{ids, {common.Hash(unit)}}})
	if err != nil {
		return nil, fmt.Errorf("pointers: unit history: %w", err)
	}
	var out []UnitEvent
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		e := UnitEvent{Block: l.BlockNumber, LogIndex: l.Index, TxHash: l.TxHash}
		switch l.Topics[0] {
		case ids[0]:
			if _, err := c.lifecycle.UnpackUnitRegisteredEvent(l); err != nil {
				return nil, err
			}
			e.Kind = "registered"
		case ids[1]:
			ev, err := c.lifecycle.UnpackCustodyRecordedEvent(l)
			if err != nil {
				return nil, err
			}
			e.Kind, e.By, e.Step, e.Prev, e.Head = "custody", ev.By, CustodyStep(ev.Step), ev.Prev, ev.Head
		case ids[2]:
			ev, err := c.lifecycle.UnpackUpdateAttestedEvent(l)
			if err != nil {
				return nil, err
			}
			e.Kind, e.By, e.From, e.To, e.Sig = "update", ev.By, ev.FromImage, ev.ToImage, ev.DeviceSignature
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b UnitEvent) int {
		if d := cmp.Compare(a.Block, b.Block); d != 0 {
			return d
		}
		return cmp.Compare(a.LogIndex, b.LogIndex)
	})
	return out, nil
}

// ModelRelease is a firmware release of a model as its publication recorded it.
type ModelRelease struct {
	ID      [32]byte
	Version string
	Image   [32]byte
	Block   uint64
}

// ModelReleases lists the releases published for a model, in chain order (their status now is ReleaseOf's).
func (c *Client) ModelReleases(ctx context.Context, gtin uint64) ([]ModelRelease, error) {
	to, err := c.lifecycleAddress()
	if err != nil {
		return nil, err
	}
	id := c.lifecycle.GetABI().Events["ReleasePublished"].ID
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), Addresses: []common.Address{to},
		Topics: [][]common.Hash{{id}, nil, {common.BigToHash(bigU(gtin))}}})
	if err != nil {
		return nil, fmt.Errorf("pointers: model releases: %w", err)
	}
	var out []ModelRelease
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		ev, err := c.lifecycle.UnpackReleasePublishedEvent(l)
		if err != nil {
			return nil, err
		}
		// The id is derived from the model and version: a log that does not match was not written by the
		// registry.
		if ev.Gtin != gtin || ev.ReleaseId != ReleaseID(gtin, ev.Version) {
			return nil, fmt.Errorf("pointers: model releases: %w: a release log whose id is not its model's and version's", ErrTampered)
		}
		out = append(out, ModelRelease{ID: ev.ReleaseId, Version: ev.Version, Image: ev.ImageHash, Block: l.BlockNumber})
	}
	slices.SortStableFunc(out, func(a, b ModelRelease) int { return cmp.Compare(a.Block, b.Block) })
	return out, nil
}

// CustodyProblems checks a unit's custody steps as read from its history: each must follow the previous one
// in order, chain to it (prev = the head before), and carry the head the contract computes. The contract
// refuses out-of-order steps and wrong parties, so on a sound chain this is empty; a node serving altered or
// incomplete logs is caught here.
func CustodyProblems(unit [32]byte, events []UnitEvent) []string {
	var problems []string
	var head [32]byte
	var last CustodyStep
	for _, e := range events {
		if e.Kind != "custody" {
			continue
		}
		if e.Step != last+1 {
			problems = append(problems, fmt.Sprintf("block %d: %s after %s (a step is missing)", e.Block, e.Step, last))
		}
		if e.Prev != head {
			problems = append(problems, fmt.Sprintf("block %d: %s does not chain to the step before it", e.Block, e.Step))
		}
		want := custodyHead(e.Prev, unit, e.Step, e.By)
		if e.Head != want {
			problems = append(problems, fmt.Sprintf("block %d: %s carries a head the contract would not compute", e.Block, e.Step))
		}
		head, last = e.Head, e.Step
	}
	return problems
}

// custodyHead is the contract's step: keccak256(abi.encode(prev, unitId, step, by)).
func custodyHead(prev, unit [32]byte, step CustodyStep, by common.Address) [32]byte {
	return crypto.Keccak256Hash(prev[:], unit[:], common.LeftPadBytes([]byte{byte(step)}, 32), common.LeftPadBytes(by[:], 32))
}

// ModelOwner is the manufacturer that registered a model (ErrUnknownModel if none).
func (c *Client) ModelOwner(ctx context.Context, gtin uint64) (common.Address, error) {
	out, err := c.lifecycleCall(ctx, "model owner", c.lifecycle.PackModelOwner(gtin))
	if err != nil {
		return common.Address{}, err
	}
	a, err := c.lifecycle.UnpackModelOwner(out)
	if err != nil {
		return common.Address{}, err
	}
	if a == (common.Address{}) {
		return a, fmt.Errorf("pointers: model %014d: %w", gtin, ErrUnknownModel)
	}
	return a, nil
}

// ErrReleaseSignature: a release whose signature does not verify with its manufacturer's signing key. The
// registry stores a release's signature without checking it (Ed25519 is not an EVM precompile); readers
// check it, so a manufacturer's chain account alone cannot publish a release nodes trust.
var ErrReleaseSignature = errors.New("release not signed by its manufacturer's release key")

// VerifyRelease checks that a release was published with a signature, over ReleaseMessage, by the signing
// key the registry holds for its model's manufacturer (ErrReleaseSignature if not).
func (c *Client) VerifyRelease(ctx context.Context, id [32]byte) error {
	to, err := c.lifecycleAddress()
	if err != nil {
		return err
	}
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), Addresses: []common.Address{to},
		Topics: [][]common.Hash{{c.lifecycle.GetABI().Events["ReleasePublished"].ID}, {common.Hash(id)}}})
	if err != nil {
		return fmt.Errorf("pointers: release %x: %w", id[:4], err)
	}
	var ev *ReleasePublication
	for i := range logs {
		if logs[i].Removed {
			continue
		}
		e, err := c.lifecycle.UnpackReleasePublishedEvent(&logs[i])
		if err != nil {
			return err
		}
		ev = &ReleasePublication{Gtin: e.Gtin, Version: e.Version, Image: e.ImageHash, Signature: e.Signature}
		if e.ReleaseId != id || ReleaseID(e.Gtin, e.Version) != id {
			return fmt.Errorf("pointers: release %x: %w: its publication log names another release", id[:4], ErrTampered)
		}
	}
	if ev == nil {
		return fmt.Errorf("pointers: release %x: %w", id[:4], ErrUnknownRelease)
	}
	owner, err := c.ModelOwner(ctx, ev.Gtin)
	if err != nil {
		return err
	}
	_, key, _, err := c.Manufacturer(ctx, owner)
	if err != nil {
		return err
	}
	if len(ev.Signature) != ed25519.SignatureSize || !ed25519.Verify(key, ReleaseMessage(ev.Gtin, ev.Version, ev.Image), ev.Signature) {
		return fmt.Errorf("pointers: release %s of model %014d: %w", ev.Version, ev.Gtin, ErrReleaseSignature)
	}
	return nil
}

// ReleasePublication is what a release's publication recorded.
type ReleasePublication struct {
	Gtin      uint64
	Version   string
	Image     [32]byte
	Signature []byte
}
