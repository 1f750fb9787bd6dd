package keys

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseUDI(t *testing.T) {
	want := UDI{DI: "00614141999996", Serial: "SN-0042", Lot: "A1B2", Expiry: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}
	for _, s := range []string{
		"(01)00614141999996(17)271231(10)A1B2(21)SN-0042",
		"(01)00614141999996(21)SN-0042(10)A1B2(17)271200",  // any order; day 00 is the month's last day
		"0100614141999996172712311" + "0A1B2\x1d21SN-0042", // raw, as a scanner delivers it
		"]d20100614141999996\x1d17271231" + "10A1B2\x1d21SN-0042",
	} {
		got, err := ParseUDI(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got != want {
			t.Errorf("%q: got %+v, want %+v", s, got, want)
		}
	}
	if got, err := ParseUDI(want.String()); err != nil || got != want {
		t.Errorf("round trip of %s: %+v %v", want, got, err)
	}
	if u, err := ParseUDI("(01)00614141999996"); err != nil || u.Serial != "" || !u.Expiry.IsZero() {
		t.Errorf("DI only: %+v %v", u, err)
	}
}

// Every malformed UDI is refused with ErrUDI, naming what is wrong.
func TestParseUDIRefuses(t *testing.T) {
	for s, mention := range map[string]string{
		"":                             "characters",
		"(01)00614141999997":           "check digit",
		"(01)0061414199999":            "want 14",
		"(01)0061414199999X":           "not a digit",
		"(21)SN-1":                     "no (01)",
		"(01)00614141999996(11)270101": "(11) is not supported",
		"(01)00614141999996(21)A(21)B": "twice",
		"(01)00614141999996(17)270230": "day 30",
		"(01)00614141999996(17)271301": "month 13",
		"(01)00614141999996(10)" + strings.Repeat("L", 21): "want 1 to 20",
		"(01)00614141999996(21)":                           "want 1 to 20",
		"(01)00614141999996(21)SN 42":                      "character set 82",
		"(01)00614141999996(21)SN\x00":                     "character set 82",
		"(01)00614141999996X(21)SN":                        "follows the value",
		"(01":                                              "expected",
		"0":                                                "truncated",
		strings.Repeat("(01)00614141999996", 8):            "characters",
	} {
		_, err := ParseUDI(s)
		if !errors.Is(err, ErrUDI) || !strings.Contains(err.Error(), mention) {
			t.Errorf("%q: %v, want ErrUDI mentioning %q", s, err, mention)
		}
	}
}

func FuzzParseUDI(f *testing.F) {
	f.Add("(01)00614141999996(17)271231(10)A1B2(21)SN-0042")
	f.Add("0100614141999996172712311" + "0A1B2\x1d21SN-0042")
	f.Add("(01)00614141999996(21)")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUDI(s)
		if err != nil {
			if !errors.Is(err, ErrUDI) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if !gtinCheckDigitOK(u.DI) {
			t.Fatalf("accepted DI %q with a wrong check digit", u.DI)
		}
		// What is accepted prints in the canonical form, which parses back to the same UDI.
		back, err := ParseUDI(u.String())
		if err != nil || back != u {
			t.Fatalf("%q: canonical form %q reads back as %+v, %v", s, u.String(), back, err)
		}
	})
}
