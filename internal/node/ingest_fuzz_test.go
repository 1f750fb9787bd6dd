package node

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// The fast path of the reading-line decoder accepts only lines that
// encoding/json (strictJSON) accepts too, and yields identical fields.
func FuzzLineDecoder(f *testing.F) {
	f.Add([]byte(`{"device":"cgm-17","patient":"MRN-1","stream":"glucose","time":"2026-03-01T08:00:00.123Z","value":5.8,"unit":"mmol/L","code":"loinc:15074-8"}`))
	f.Add([]byte(`{"device":"a","device":"b","patient":"p","stream":"s","time":"2026-03-01T08:00:00Z","value":1}`))
	f.Add([]byte(`{"Device":"a","patient":"p","stream":"s","time":"2026-03-01T08:00:00+01:00","value":-0}`))
	f.Add([]byte(`{"device":"a","patient":"p","stream":"s","time":"2026-03-01T08:00:00Z","value":1e400}`))
	f.Add([]byte(`{"device":"a","patient":null,"stream":"s","time":"2026-03-01T08:00:00Z","value":"1"}`))
	f.Add([]byte(`{"device":"a\u00e9","patient":"p","stream":"s","time":"2026-03-01T24:00:00Z","value":01}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		d := newLineDecoder()
		var fast ReadingJSON
		if !d.fast(line, &fast) {
			return
		}
		var strict ReadingJSON
		if err := strictJSON(line, &strict); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json refuses it: %v", line, err)
		}
		if fast.Device != strict.Device || fast.Patient != strict.Patient || fast.Stream != strict.Stream ||
			fast.Unit != strict.Unit || fast.Code != strict.Code || !fast.Time.Equal(strict.Time) ||
			fast.Time.Location().String() != strict.Time.Location().String() {
			t.Fatalf("%q: fast %+v, encoding/json %+v", line, fast, strict)
		}
		if (fast.Value == nil) != (strict.Value == nil) ||
			(fast.Value != nil && math.Float64bits(*fast.Value) != math.Float64bits(*strict.Value)) {
			t.Fatalf("%q: value differs", line)
		}
		_, o1 := fast.Time.Zone()
		_, o2 := strict.Time.Zone()
		if o1 != o2 {
			t.Fatalf("%q: zone offset differs", line)
		}
	})
}

func TestJSONNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "5.8", "-12.5e-3", "1E+9", "10", "0.0"} {
		if !jsonNumber([]byte(s)) {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []string{"", "-", "01", "+1", "1.", ".5", "1e", "1e+", "inf", "NaN", "0x10", "1_0", "--1", "1.2.3", "1e5e5"} {
		if jsonNumber([]byte(s)) {
			t.Errorf("%q accepted", s)
		}
	}
}

// The message a parsed batch's signature is checked against, built in
// place, is BatchMessage of its lines, for any device id.
func TestBatchMessageInPlace(t *testing.T) {
	line := `{"device":"d","patient":"MRN-1","stream":"glucose","time":"2026-03-01T08:00:00Z","value":5.8}`
	raw := line + "\r\n\n" + line + "\n" + `{"sig":"` + strings.Repeat("A", 86) + `=="}` + "\n"
	b, err := ParseBatch(strings.NewReader(raw), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, dev := range []string{"d", "cgm-17", strings.Repeat("x", 128), strings.Repeat("y", 300)} {
		if got, want := b.message(dev), BatchMessage(dev, b.Lines); !bytes.Equal(got, want) {
			t.Fatalf("device %q: in-place message %q, want %q", dev, got, want)
		}
	}
	if len(b.Lines) != 2 || string(b.Lines[1]) != line {
		t.Fatalf("lines %q", b.Lines)
	}
}

// A line another JSON parser could read differently is refused: duplicate
// keys (in any letter case, at any depth) and invalid UTF-8.
func TestLineDecoderRefusesAmbiguousJSON(t *testing.T) {
	const ok = `{"device":"d","patient":"p","stream":"glucose","time":"2026-03-01T08:00:00Z","value":5.8,"unit":"mmol/L"}`
	d := newLineDecoder()
	var rj ReadingJSON
	if err := d.decode([]byte(ok), &rj); err != nil || *rj.Value != 5.8 {
		t.Fatalf("plain line: %v", err)
	}
	for name, line := range map[string]string{
		"duplicate key":        `{"device":"d","patient":"p","stream":"glucose","time":"2026-03-01T08:00:00Z","value":5.8,"value":99}`,
		"duplicate other case": `{"device":"d","patient":"p","stream":"glucose","time":"2026-03-01T08:00:00Z","value":5.8,"Value":99}`,
		"escaped duplicate":    `{"device":"d","patient":"p","stream":"glucose","time":"2026-03-01T08:00:00Z","value":5.8,"\u0076alue":99}`,
		"invalid UTF-8":        "{\"device\":\"d\xff\",\"patient\":\"p\",\"stream\":\"glucose\",\"time\":\"2026-03-01T08:00:00Z\",\"value\":5.8}",
	} {
		rj = ReadingJSON{}
		err := d.decode([]byte(line), &rj)
		if err == nil {
			t.Errorf("%s: accepted (value %v, device %q)", name, *rj.Value, rj.Device)
		}
	}
	if k, dup := duplicateKey([]byte(`{"a":{"b":1,"b":2},"c":[{"d":1},{"d":2}]}`)); !dup || k != "b" {
		t.Errorf("nested duplicate: %q %v", k, dup)
	}
	if k, dup := duplicateKey([]byte(`{"a":{"b":1},"b":[{"b":1},{"b":2}],"c":{"a":1}}`)); dup {
		t.Errorf("keys repeated only across objects reported as duplicate %q", k)
	}
}
