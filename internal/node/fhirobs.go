package node

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/store"
)

// SystemDevice identifies a device by its vaultnode device id.
const SystemDevice = "urn:vaultnode:device"

// FHIRObservation renders a fetched reading as a FHIR R4 Observation with
// the given id (ObservationID of where it was stored): code (LOINC or MDC,
// with the table's display), subject by pseudonym, device, effective time,
// valueQuantity in UCUM.
func FHIRObservation(r store.Reading, id string) map[string]any {
	sys, code, _ := strings.Cut(r.Code, ":")
	coding := map[string]any{"code": code}
	switch sys {
	case "loinc":
		coding["system"] = SystemLOINC
	case "mdc":
		coding["system"] = SystemMDC
	default:
		coding["system"] = "urn:vaultnode:code"
		coding["code"] = r.Code
	}
	if cr, ok := codeRules[r.Code]; ok {
		coding["display"] = cr.display
	}
	q := map[string]any{"value": r.Value}
	if r.Unit != "" {
		q["unit"], q["system"], q["code"] = r.Unit, SystemUCUM, r.Unit
	}
	o := map[string]any{
		"resourceType":      "Observation",
		"id":                id,
		"identifier":        []any{map[string]any{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:" + id}},
		"status":            "final",
		"code":              map[string]any{"coding": []any{coding}, "text": r.Stream},
		"subject":           map[string]any{"type": "Patient", "identifier": map[string]any{"system": SystemPseudonym, "value": hex.EncodeToString(r.Patient[:])}},
		"effectiveDateTime": r.Time.UTC().Format(time.RFC3339Nano),
		"valueQuantity":     q,
	}
	if r.Device != "" {
		dev := map[string]any{"type": "Device", "identifier": map[string]any{"system": SystemDevice, "value": r.Device}}
		if fw := FirmwareOf(r); fw != nil {
			// Nobody reads a number without knowing which firmware produced it, and whether it was recalled:
			// the device is a contained Device whose version is that firmware, with the flag as its note.
			if fw.Version != "" {
				dev["display"] = fmt.Sprintf("%s, firmware %s (%s)", r.Device, fw.Version, fw.Status)
			} else {
				dev["display"] = fmt.Sprintf("%s, firmware %s", r.Device, fw.Status)
			}
			o["contained"] = []any{fhirFirmwareDevice(r.Device, fw)}
			dev["reference"] = "#" + containedDeviceID
		}
		o["device"] = dev
	}
	addExtra(o, r.Extra)
	return o
}

// KeptElements returns the Observation elements kept with a reading (identifier, interpretation,
// referenceRange, as the device sent them; nil: none), for outputs other than FHIR.
func KeptElements(r store.Reading) map[string]json.RawMessage {
	if r.Extra == "" {
		return nil
	}
	var kept map[string]json.RawMessage
	if json.Unmarshal([]byte(r.Extra), &kept) != nil {
		return nil
	}
	out := map[string]json.RawMessage{}
	for _, k := range extraElements {
		if v, ok := kept[k]; ok {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// addExtra puts the elements kept with the reading (observationExtra:
// identifier, interpretation, referenceRange, as the device sent them)
// back into the Observation o; the sent identifiers come before the
// node's own. An Extra that is not such an object adds nothing.
func addExtra(o map[string]any, extra string) {
	if extra == "" {
		return
	}
	var kept map[string][]json.RawMessage
	if err := json.Unmarshal([]byte(extra), &kept); err != nil {
		return
	}
	if ids := kept["identifier"]; len(ids) > 0 {
		all := make([]any, 0, len(ids)+1)
		for _, id := range ids {
			all = append(all, id)
		}
		o["identifier"] = append(all, o["identifier"].([]any)...)
	}
	for _, k := range []string{"interpretation", "referenceRange"} {
		if v := kept[k]; len(v) > 0 {
			o[k] = v
		}
	}
}

// FHIRFetchBundle renders a fetch result as a FHIR R4 Bundle of type
// collection, one Observation per reading (entry fullUrl urn:uuid:<id>).
func FHIRFetchBundle(res *FetchResult) map[string]any {
	entries := []any{}
	for i, r := range res.Readings {
		id := ""
		if i < len(res.Refs) {
			id = ObservationID(res.Refs[i].Root, res.Refs[i].Index)
		} else {
			id = uuidOf(make([]byte, 16))
		}
		entries = append(entries, map[string]any{"fullUrl": "urn:uuid:" + id, "resource": FHIRObservation(r, id)})
	}
	b := map[string]any{"resourceType": "Bundle", "type": "collection", "timestamp": time.Now().UTC().Format(time.RFC3339)}
	if len(entries) > 0 {
		b["entry"] = entries
	}
	return b
}

// containedDeviceID is the id of the Device an Observation contains when its reading carries a firmware flag.
const containedDeviceID = "device"

// SystemFirmwareImage identifies a firmware image by its SHA-256 (hex), in Device.version.component.
const SystemFirmwareImage = "urn:vaultnode:firmware-image-sha256"

// fhirFirmwareDevice is the Device an Observation contains for a reading with a firmware flag: the device's
// identifier, the firmware as Device.version (with the image's hash) and the flag as a note.
func fhirFirmwareDevice(device string, fw *FirmwareFlag) map[string]any {
	note := fetch.FirmwareNote(fw.Status)
	d := map[string]any{
		"resourceType": "Device",
		"id":           containedDeviceID,
		"identifier":   []any{map[string]any{"system": SystemDevice, "value": device}},
		"note":         []any{map[string]any{"text": "firmware status " + fw.Status + ": " + note}},
	}
	if fw.Version != "" {
		v := map[string]any{"type": map[string]any{"text": "firmware"}, "value": fw.Version}
		if fw.Image != "" {
			v["component"] = map[string]any{"system": SystemFirmwareImage, "value": fw.Image}
		}
		d["version"] = []any{v}
	}
	return d
}
