package node

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store"
)

// Firmware statuses a batch's readings carry (docs/DEVICES.md). Only "approved" is what a clinician can take
// at face value; every other status is shown with the readings.
const (
	FirmwareApproved   = "approved"   // a release of the unit's model the registry approves, with this image
	FirmwareDeprecated = "deprecated" // deprecated by its manufacturer
	FirmwareRecalled   = "recalled"   // recalled: readings from it may be wrong
	FirmwareUnapproved = "unapproved" // no such release of the unit's model, or another image than the release's
	FirmwareUndeclared = "undeclared" // a registered unit's batch that does not say which firmware produced it
	FirmwareUnverified = "unverified" // a device enrolled without a UDI (no model to check against), or the registry was unreachable
)

// FirmwareFlag is what every reading of a batch carries about the firmware that produced it, sealed with the
// reading (store.Reading.Extra, key "firmware").
type FirmwareFlag struct {
	Version string `json:"version,omitempty"`
	Image   string `json:"image,omitempty"` // SHA-256 of the image, hex
	Status  string `json:"status"`
}

// Firmware policies (config ingest.firmware).
const (
	FirmwarePolicyFlag   = "flag"   // accept, flag the readings (default)
	FirmwarePolicyRefuse = "refuse" // refuse batches from recalled or unapproved firmware
)

// firmwareFlag checks what a batch declares against the lifecycle registry. It reads the release at the
// chain's latest block for every batch (no cache), so a recall applies from the next batch on.
func (n *Node) firmwareFlag(ctx context.Context, dev keys.Device, fw *Firmware) *FirmwareFlag {
	switch {
	case fw == nil && dev.UDI == "":
		return nil
	case fw == nil:
		return &FirmwareFlag{Status: FirmwareUndeclared}
	}
	f := &FirmwareFlag{Version: fw.Version, Image: hex.EncodeToString(fw.Image[:]), Status: FirmwareUnverified}
	if dev.UDI == "" {
		return f
	}
	udi, err := keys.ParseUDI(dev.UDI)
	if err != nil {
		return f
	}
	gtin, err := pointers.ParseGTIN(udi.DI)
	if err != nil {
		return f
	}
	rel, err := n.Chain.ReleaseOf(ctx, pointers.ReleaseID(gtin, fw.Version))
	switch {
	case errors.Is(err, pointers.ErrUnknownRelease):
		f.Status = FirmwareUnapproved
	case err != nil:
		n.Log.Warn("firmware not checked: the lifecycle registry did not answer; readings flagged unverified", "device", dev.ID, "err", err)
	case rel.ImageHash != fw.Image:
		f.Status = FirmwareUnapproved
	case rel.Status == pointers.ReleaseRecalled:
		f.Status = FirmwareRecalled
	case rel.Status == pointers.ReleaseDeprecated:
		f.Status = FirmwareDeprecated
	default:
		f.Status = FirmwareApproved
	}
	return f
}

// refusesFirmware applies the node's policy to a flag.
func (n *Node) refusesFirmware(f *FirmwareFlag) error {
	if f == nil || n.Cfg.Ingest.Firmware != FirmwarePolicyRefuse {
		return nil
	}
	if f.Status == FirmwareRecalled || f.Status == FirmwareUnapproved {
		return fmt.Errorf("%w: firmware %s (image %s…) is %s for this unit's model (ingest.firmware: refuse)", ErrDeviceRefused, f.Version, f.Image[:12], f.Status)
	}
	return nil
}

// withFirmware adds the flag to a reading's Extra object (which holds what a FHIR Observation carried
// besides the measurement): {"firmware":[flag]} next to the other kept elements.
func withFirmware(extra string, flag []byte) (string, error) {
	var s string
	switch {
	case extra == "" || extra == "{}":
		s = `{"firmware":[` + string(flag) + `]}`
	case extra[len(extra)-1] == '}':
		s = extra[:len(extra)-1] + `,"firmware":[` + string(flag) + `]}`
	default:
		return "", fmt.Errorf("reading's kept elements are not a JSON object")
	}
	if len(s) > store.MaxExtraLen {
		return "", fmt.Errorf("kept elements and firmware take %d bytes, at most %d are kept with a reading", len(s), store.MaxExtraLen)
	}
	return s, nil
}

// FirmwareOf returns the firmware flag a reading carries (nil: none).
func FirmwareOf(r store.Reading) *FirmwareFlag {
	if r.Extra == "" {
		return nil
	}
	var kept struct {
		Firmware []FirmwareFlag `json:"firmware"`
	}
	if json.Unmarshal([]byte(r.Extra), &kept) != nil || len(kept.Firmware) == 0 {
		return nil
	}
	return &kept.Firmware[0]
}
