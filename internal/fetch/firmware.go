package fetch

import (
	"encoding/json"

	"github.com/vaultnode/vaultnode/store"
)

// Firmware statuses a batch's readings carry (docs/DEVICES.md). Only "approved" is what a clinician can take
// at face value; every other status is shown with the readings, by every client (CLI, FHIR, console).
const (
	FirmwareApproved   = "approved"   // a release of the unit's model the registry approves, with this image
	FirmwareDeprecated = "deprecated" // deprecated by its manufacturer
	FirmwareRecalled   = "recalled"   // recalled: readings from it may be wrong
	FirmwareUnapproved = "unapproved" // no such release of the unit's model, or another image than the release's
	FirmwareUndeclared = "undeclared" // a registered unit's batch that does not say which firmware produced it
	FirmwareUnverified = "unverified" // a device enrolled without a UDI (no model to check against), or the registry was unreachable
	// FirmwareQuarantined is the status of every reading from a device in quarantine: it attested an update
	// to an image that is not an approved release of its model, and no operator has released it since.
	FirmwareQuarantined = "quarantined"
)

// FirmwareFlag is what every reading of a batch carries about the firmware that produced it, sealed with the
// reading by the ingesting node (store.Reading.Extra, key "firmware").
type FirmwareFlag struct {
	Version string `json:"version,omitempty"`
	Image   string `json:"image,omitempty"` // SHA-256 of the image, hex
	Status  string `json:"status"`
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

var firmwareNotes = map[string]string{
	FirmwareApproved:    "an approved release of the device's model",
	FirmwareDeprecated:  "deprecated by its manufacturer",
	FirmwareRecalled:    "RECALLED by its manufacturer: readings from it may be wrong",
	FirmwareUnapproved:  "NOT a release of the device's model: readings from it are unverified",
	FirmwareUndeclared:  "the device did not declare its firmware",
	FirmwareUnverified:  "not checked against the lifecycle registry",
	FirmwareQuarantined: "the device is in quarantine (it installed firmware that is not an approved release)",
}

// FirmwareNote says in words what a firmware status means for the readings (the status itself if unknown).
func FirmwareNote(status string) string {
	if n, ok := firmwareNotes[status]; ok {
		return n
	}
	if status == "" {
		return "no firmware status recorded"
	}
	return status
}
