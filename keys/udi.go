package keys

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// UDI is a medical device's Unique Device Identifier as GS1 encodes it (FDA 21 CFR 830, EU MDR Art. 27): the
// device identifier (UDI-DI, the model's GTIN-14) and the production identifiers of one unit.
type UDI struct {
	DI     string    // (01) GTIN-14, check digit verified
	Serial string    // (21) serial number; empty if the label has none
	Lot    string    // (10) batch or lot number; empty if none
	Expiry time.Time // (17) expiration date (UTC midnight); zero if none
}

// ErrUDI: a UDI that is not a well-formed GS1 element string of the supported application identifiers.
var ErrUDI = errors.New("malformed UDI")

// gs is the GS1 group separator (FNC1 in the data), ending a variable-length element in the raw form.
const gs = '\x1d'

// udiAI is a supported GS1 application identifier: fixed length, or variable up to max.
type udiAI struct {
	name      string
	fixed     int
	max       int
	numeric   bool
	setTarget func(u *UDI, v string) error
}

var udiAIs = map[string]udiAI{
	"01": {name: "GTIN (UDI-DI)", fixed: 14, numeric: true, setTarget: func(u *UDI, v string) error {
		if !gtinCheckDigitOK(v) {
			return fmt.Errorf("(01) %s: wrong check digit (want %d)", v, gtinCheckDigit(v[:13]))
		}
		u.DI = v
		return nil
	}},
	"17": {name: "expiration date", fixed: 6, numeric: true, setTarget: func(u *UDI, v string) error {
		t, err := gs1Date(v)
		if err != nil {
			return fmt.Errorf("(17) %s: %v", v, err)
		}
		u.Expiry = t
		return nil
	}},
	"10": {name: "lot", max: 20, setTarget: func(u *UDI, v string) error { u.Lot = v; return nil }},
	"21": {name: "serial", max: 20, setTarget: func(u *UDI, v string) error { u.Serial = v; return nil }},
}

// ParseUDI reads a UDI in GS1 element-string form: the human-readable form with parenthesised application
// identifiers, "(01)00614141999996(17)271231(10)A1B2(21)SN-0042", or the raw form a scanner delivers, AIs
// without parentheses and a group separator (0x1D) after each variable-length element that is not last,
// optionally after the symbology identifier "]d2", "]C1" or "]Q3". Supported: (01) GTIN-14 (required, check
// digit verified), (17) expiry YYMMDD (day 00: the last day of the month; years 2000–2099), (10) lot and
// (21) serial (1–20 characters of GS1's character set 82). Anything else is refused with ErrUDI naming the
// element.
func ParseUDI(s string) (UDI, error) {
	var u UDI
	bad := func(format string, a ...any) (UDI, error) {
		return UDI{}, fmt.Errorf("%w: %s", ErrUDI, fmt.Sprintf(format, a...))
	}
	if len(s) == 0 || len(s) > 120 {
		return bad("%d characters (a UDI has 1 to 120)", len(s))
	}
	for _, sym := range []string{"]d2", "]C1", "]Q3"} {
		s = strings.TrimPrefix(s, sym)
	}
	seen := map[string]bool{}
	hri := strings.HasPrefix(s, "(")
	for len(s) > 0 {
		var code string
		if hri {
			end := strings.IndexByte(s, ')')
			if s[0] != '(' || end < 0 {
				return bad("expected \"(AI)\" at %q", s)
			}
			code, s = s[1:end], s[end+1:]
		} else {
			if len(s) < 2 {
				return bad("truncated application identifier %q", s)
			}
			code, s = s[:2], s[2:]
		}
		ai, ok := udiAIs[code]
		if !ok {
			return bad("application identifier (%s) is not supported (01, 17, 10, 21)", code)
		}
		if seen[code] {
			return bad("(%s) appears twice", code)
		}
		seen[code] = true
		var v string
		switch {
		case ai.fixed > 0:
			if len(s) < ai.fixed {
				return bad("(%s) %s: %d characters, want %d", code, ai.name, len(s), ai.fixed)
			}
			v, s = s[:ai.fixed], s[ai.fixed:]
			if !hri && len(s) > 0 && s[0] == gs {
				s = s[1:] // a separator after a fixed-length element is tolerated
			}
		case hri:
			end := strings.IndexByte(s, '(')
			if end < 0 {
				end = len(s)
			}
			v, s = s[:end], s[end:]
		default:
			end := strings.IndexByte(s, gs)
			if end < 0 {
				v, s = s, ""
			} else {
				v, s = s[:end], s[end+1:]
			}
		}
		if hri && len(s) > 0 && !strings.HasPrefix(s, "(") {
			return bad("(%s) %s: %q follows the value, expected the next \"(AI)\"", code, ai.name, s)
		}
		if err := checkElement(ai, v); err != nil {
			return bad("(%s) %s: %v", code, ai.name, err)
		}
		if err := ai.setTarget(&u, v); err != nil {
			return bad("%v", err)
		}
	}
	if u.DI == "" {
		return bad("no (01) GTIN: a UDI starts with its device identifier")
	}
	return u, nil
}

func checkElement(ai udiAI, v string) error {
	if ai.fixed > 0 && len(v) != ai.fixed {
		return fmt.Errorf("%d characters, want %d", len(v), ai.fixed)
	}
	if len(v) == 0 || (ai.max > 0 && len(v) > ai.max) {
		return fmt.Errorf("%d characters, want 1 to %d", len(v), ai.max)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if ai.numeric && (c < '0' || c > '9') {
			return fmt.Errorf("character %d (%q) is not a digit", i+1, c)
		}
		if !cset82(c) {
			return fmt.Errorf("character %d (%q) is not in GS1's character set 82", i+1, c)
		}
	}
	return nil
}

// cset82 is GS1's AI encodable character set 82 (General Specifications figure 7.11-1), without the
// parentheses, which the human-readable form uses around application identifiers.
func cset82(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return true
	}
	return strings.IndexByte(`!"%&'*+,-./:;<=>?_`, c) >= 0
}

// gtinCheckDigit is the GS1 mod-10 check digit of the first 13 digits of a GTIN-14: weights 3 and 1
// alternating from the right.
func gtinCheckDigit(d13 string) int {
	sum := 0
	for i := 0; i < 13; i++ {
		w := 1
		if (13-i)%2 == 1 {
			w = 3
		}
		sum += int(d13[i]-'0') * w
	}
	return (10 - sum%10) % 10
}

func gtinCheckDigitOK(d14 string) bool {
	return len(d14) == 14 && int(d14[13]-'0') == gtinCheckDigit(d14[:13])
}

// gs1Date reads YYMMDD (years 2000–2099; day 00 is the month's last day).
func gs1Date(v string) (time.Time, error) {
	yy, mm, dd := int(v[0]-'0')*10+int(v[1]-'0'), int(v[2]-'0')*10+int(v[3]-'0'), int(v[4]-'0')*10+int(v[5]-'0')
	if mm < 1 || mm > 12 {
		return time.Time{}, fmt.Errorf("month %02d", mm)
	}
	last := time.Date(2000+yy, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if dd == 0 {
		dd = last
	}
	if dd > last {
		return time.Time{}, fmt.Errorf("day %02d of a month with %d days", dd, last)
	}
	return time.Date(2000+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC), nil
}

// String writes the UDI in the human-readable GS1 form, (01) first, then (17), (10), (21).
func (u UDI) String() string {
	var b strings.Builder
	b.WriteString("(01)" + u.DI)
	if !u.Expiry.IsZero() {
		b.WriteString("(17)" + u.Expiry.Format("060102"))
	}
	if u.Lot != "" {
		b.WriteString("(10)" + u.Lot)
	}
	if u.Serial != "" {
		b.WriteString("(21)" + u.Serial)
	}
	return b.String()
}
