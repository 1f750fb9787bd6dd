package node

import (
	"context"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/keys"
)

// SystemGS1DI is the UDI issuer of GS1 device identifiers (HL7's NamingSystem for GS1 DIs).
const SystemGS1DI = "http://hl7.org/fhir/NamingSystem/gs1-di"

// FHIRDevice is an enrolled device as a FHIR R4 Device: its id, its UDI (udiCarrier, serial, lot, expiry)
// when it is a registered unit, its manufacturer's name from the lifecycle registry, the last firmware it
// declared (version), and its status (active, or inactive once revoked).
func FHIRDevice(d keys.Device, manufacturer, firmware string) map[string]any {
	o := map[string]any{
		"resourceType": "Device",
		"id":           fhirID(d.ID),
		"identifier":   []any{map[string]any{"system": SystemDevice, "value": d.ID}},
		"status":       "active",
	}
	if d.Status == keys.DeviceRevoked {
		o["status"] = "inactive"
	}
	if u, err := keys.ParseUDI(d.UDI); err == nil && d.UDI != "" {
		o["udiCarrier"] = []any{map[string]any{"deviceIdentifier": u.DI, "issuer": SystemGS1DI, "carrierHRF": d.UDI, "entryType": "manual"}}
		if u.Serial != "" {
			o["serialNumber"] = u.Serial
		}
		if u.Lot != "" {
			o["lotNumber"] = u.Lot
		}
		if !u.Expiry.IsZero() {
			o["expirationDate"] = u.Expiry.Format(time.RFC3339)
		}
	}
	if manufacturer != "" {
		o["manufacturer"] = manufacturer
	}
	if firmware != "" {
		o["version"] = []any{map[string]any{"type": map[string]any{"text": "firmware"}, "value": firmware}}
	}
	return o
}

// fhirID turns a device id into a FHIR id ([A-Za-z0-9\-\.]{1,64}).
func fhirID(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	id := b.String()
	if len(id) > 64 {
		id = id[:64]
	}
	return id
}

// FHIRDevices is a FHIR collection Bundle of this node's enrolled devices, each with what the lifecycle
// registry and the firmware index know of it. Each model's index and manufacturer are read once, however
// many of its units are enrolled.
func (n *Node) FHIRDevices(ctx context.Context) (map[string]any, error) {
	devs, err := n.Keys.Devices(ctx)
	if err != nil {
		return nil, err
	}
	makers := map[uint64]string{}
	latest := map[uint64]map[string]string{} // model → device → firmware of its latest indexed batch
	entries := make([]any, 0, len(devs))
	for _, d := range devs {
		var maker, fw string
		if gtin, _, ok := registeredUnit(d); ok {
			if _, seen := latest[gtin]; !seen {
				makers[gtin] = n.manufacturerName(ctx, gtin)
				latest[gtin] = n.lastFirmware(ctx, gtin)
			}
			maker, fw = makers[gtin], latest[gtin][d.ID]
		}
		r := FHIRDevice(d, maker, fw)
		entries = append(entries, map[string]any{"fullUrl": "urn:vaultnode:device:" + d.ID, "resource": r})
	}
	return map[string]any{"resourceType": "Bundle", "type": "collection", "timestamp": time.Now().UTC().Format(time.RFC3339), "entry": entries}, nil
}

// manufacturerName is the name the registry holds for a model's manufacturer ("" if it cannot be read: the
// Device resource is still right without it).
func (n *Node) manufacturerName(ctx context.Context, gtin uint64) string {
	owner, err := n.Chain.ModelOwner(ctx, gtin)
	if err != nil {
		return ""
	}
	_, _, name, err := n.Chain.Manufacturer(ctx, owner)
	if err != nil {
		return ""
	}
	return name
}

// lastFirmware is, per device of a model, the firmware version of its latest indexed batch, from one scan of
// the model's index.
func (n *Node) lastFirmware(ctx context.Context, gtin uint64) map[string]string {
	best := map[string]string{}
	last := map[string]time.Time{}
	// An index that cannot be read leaves the version out: the Device resource is still right without it.
	_ = n.eachFirmwareEntry(ctx, gtin, "", func(version, dev string, fb firmwareBatch) {
		if fb.Last.After(last[dev]) {
			best[dev], last[dev] = version, fb.Last
		}
	})
	return best
}
