package fetch

import (
	"encoding/json"
	"testing"

	"github.com/vaultnode/vaultnode/store"
)

// FirmwareOf reads the flag a node sealed with a reading, and nothing from an Extra that is not one.
func FuzzFirmwareOf(f *testing.F) {
	f.Add(`{"firmware":[{"version":"2.1","image":"ab","status":"recalled"}]}`)
	f.Add(`{"identifier":[{"value":"x"}],"firmware":[{"status":"undeclared"}]}`)
	f.Add(`{"firmware":[]}`)
	f.Add(`{"firmware":{}}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, extra string) {
		fw := FirmwareOf(store.Reading{Extra: extra})
		if fw == nil {
			return
		}
		var kept struct {
			Firmware []FirmwareFlag `json:"firmware"`
		}
		if err := json.Unmarshal([]byte(extra), &kept); err != nil || len(kept.Firmware) == 0 || kept.Firmware[0] != *fw {
			t.Fatalf("%q: flag %+v not the first of the reading's firmware list", extra, fw)
		}
		if FirmwareNote(fw.Status) == "" {
			t.Fatalf("%q: no words for status %q", extra, fw.Status)
		}
	})
}
