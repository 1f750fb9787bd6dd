package node

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The one validation of a reading's meaning, for every path (JSON lines,
// FHIR, the CLI, the API): which codes a stream takes, which UCUM units a
// code takes (converting a unit of the same property to the code's), and
// which values are physically possible. docs/FHIR.md "Validation table" is
// this table.

// unitRule is a unit a code's readings are stored in, with the range of
// physically possible values in it.
type unitRule struct {
	unit     string
	min, max float64
}

// conversion turns a value in another unit of the same property into one
// of the code's units: v*mul/div + add (dividing, not multiplying by a
// fraction, keeps 5800 umol/L exactly 5.8 mmol/L).
type conversion struct {
	to       string
	mul, div float64
	add      float64
}

// property is a measured quantity: the units it is stored in and the ones
// converted to them.
type property struct {
	name    string
	units   []unitRule
	convert map[string]conversion
}

var (
	glucoseMass = property{"glucose mass concentration", []unitRule{{"mg/dL", 0, 3000}},
		map[string]conversion{"mg/L": {"mg/dL", 1, 10, 0}, "g/L": {"mg/dL", 100, 1, 0}, "g/dL": {"mg/dL", 1000, 1, 0}}}
	glucoseMoles = property{"glucose substance concentration", []unitRule{{"mmol/L", 0, 166.5}},
		map[string]conversion{"umol/L": {"mmol/L", 1, 1000, 0}, "mol/L": {"mmol/L", 1000, 1, 0}}}
	// MDC glucose codes name the analyte, not the property: both.
	glucoseAny = property{"glucose concentration", append(slices.Clone(glucoseMass.units), glucoseMoles.units...),
		mergeConv(glucoseMass.convert, glucoseMoles.convert)}
	saturation = property{"oxygen saturation", []unitRule{{"%", 0, 100}}, nil}
	rate       = property{"heart rate", []unitRule{{"/min", 0, 400}, {"{beats}/min", 0, 400}, {"beats/min", 0, 400}},
		map[string]conversion{"1/min": {"/min", 1, 1, 0}, "{beat}/min": {"/min", 1, 1, 0}, "/s": {"/min", 60, 1, 0}}}
	bodyTemp = property{"body temperature", []unitRule{{"Cel", 5, 50}, {"[degF]", 41, 122}},
		map[string]conversion{"K": {"Cel", 1, 1, -273.15}}}
)

func mergeConv(a, b map[string]conversion) map[string]conversion {
	m := map[string]conversion{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// codeRule is a known code: its stream and property.
type codeRule struct {
	stream  string
	display string
	prop    *property
}

// codeRules is the table: "loinc:CODE" / "mdc:CODE" → stream and property.
// A LOINC or MDC code not in it goes to the stream named after it
// ("loinc-1234-5"), with any UCUM unit and no range.
var codeRules = map[string]codeRule{
	"loinc:2339-0":  {"glucose", "Glucose [Mass/volume] in Blood", &glucoseMass},
	"loinc:15074-8": {"glucose", "Glucose [Moles/volume] in Blood", &glucoseMoles},
	"loinc:2345-7":  {"glucose", "Glucose [Mass/volume] in Serum or Plasma", &glucoseMass},
	"loinc:14743-9": {"glucose", "Glucose [Moles/volume] in Capillary blood by Glucometer", &glucoseMoles},
	"loinc:41653-7": {"glucose", "Glucose [Mass/volume] in Capillary blood by Glucometer", &glucoseMass},
	"mdc:160184":    {"glucose", "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD", &glucoseAny},
	"mdc:160196":    {"glucose", "MDC_CONC_GLU_CAPILLARY_PLASMA", &glucoseAny},
	"loinc:2708-6":  {"spo2", "Oxygen saturation in Arterial blood", &saturation},
	"loinc:59408-5": {"spo2", "Oxygen saturation in Arterial blood by Pulse oximetry", &saturation},
	"mdc:150456":    {"spo2", "MDC_PULS_OXIM_SAT_O2", &saturation},
	"loinc:8867-4":  {"heart-rate", "Heart rate", &rate},
	"mdc:147842":    {"heart-rate", "MDC_ECG_HEART_RATE", &rate},
	"mdc:149530":    {"heart-rate", "MDC_PULS_OXIM_PULS_RATE", &rate},
	"loinc:8310-5":  {"temperature", "Body temperature", &bodyTemp},
	"mdc:150364":    {"temperature", "MDC_TEMP_BODY", &bodyTemp},
}

// knownStreams: the streams of the table; a reading on one of them must
// carry one of its codes.
var knownStreams = func() map[string][]string {
	m := map[string][]string{}
	for c, r := range codeRules {
		m[r.stream] = append(m[r.stream], c)
	}
	for _, cs := range m {
		slices.Sort(cs)
	}
	return m
}()

// Rule names, as a refusal states them (docs/FHIR.md "Validation table").
const (
	RuleCodeSyntax   = "code-syntax"    // "loinc:NNNNN-N" (check digit verified) or "mdc:N"
	RuleCodeOfStream = "code-of-stream" // a known stream takes only its codes; a code goes to its stream
	RuleUnitOfCode   = "unit-of-code"   // the unit must be one of the code's (or convertible to one)
	RuleUnitSyntax   = "unit-syntax"    // a UCUM unit: printable ASCII, no space
	RuleValueRange   = "value-range"    // physically possible for the property, in that unit
	RuleRequired     = "required"
)

// ReadingViolation is a reading refused by a rule of the table. Field is
// the reading field at fault ("code", "stream", "unit", "value").
type ReadingViolation struct {
	Field string
	Rule  string
	Msg   string
}

func (v *ReadingViolation) Error() string {
	return fmt.Sprintf("%s: %s (rule %s)", v.Field, v.Msg, v.Rule)
}

func violation(field, rule, format string, a ...any) *ReadingViolation {
	return &ReadingViolation{Field: field, Rule: rule, Msg: fmt.Sprintf(format, a...)}
}

// CheckReadingRules applies the table to one reading: code syntax, the
// code's stream, the unit (converting a unit of the same property to the
// code's unit, which changes rj.Unit and rj.Value), the value's range. A
// reading that passes once passes again unchanged.
func CheckReadingRules(rj *ReadingJSON) *ReadingViolation {
	if rj.Code == "" {
		return violation("code", RuleRequired, "a LOINC (loinc:NNNNN-N) or IEEE 11073 MDC (mdc:N) code is required")
	}
	if err := codeSyntax(rj.Code); err != "" {
		return violation("code", RuleCodeSyntax, "%q: %s", rj.Code, err)
	}
	cr, known := codeRules[rj.Code]
	want := streamOfCode(rj.Code)
	if known {
		if rj.Stream != want {
			return violation("stream", RuleCodeOfStream, "code %s (%s) is a %s reading, not one of stream %q", rj.Code, cr.display, want, rj.Stream)
		}
	} else {
		if cs, ok := knownStreams[rj.Stream]; ok {
			return violation("code", RuleCodeOfStream, "stream %q takes the codes %s, not %s", rj.Stream, strings.Join(cs, ", "), rj.Code)
		}
		if rj.Stream != want {
			return violation("stream", RuleCodeOfStream, "a reading of code %s goes to stream %q, not %q", rj.Code, want, rj.Stream)
		}
	}
	if rj.Unit == "" {
		return violation("unit", RuleRequired, "a UCUM unit is required")
	}
	if err := unitSyntax(rj.Unit); err != "" {
		return violation("unit", RuleUnitSyntax, "%q: %s", rj.Unit, err)
	}
	if rj.Value == nil || math.IsNaN(*rj.Value) || math.IsInf(*rj.Value, 0) {
		return violation("value", RuleRequired, "a finite value is required")
	}
	if !known {
		return nil
	}
	p := cr.prop
	ur, ok := unitOf(p, rj.Unit)
	if !ok {
		c, conv := p.convert[rj.Unit]
		if !conv {
			return violation("unit", RuleUnitOfCode, "unit %q is not a unit of %s (%s, %s): want %s", rj.Unit, rj.Code, cr.display, p.name, unitList(p))
		}
		v := *rj.Value*c.mul/c.div + c.add
		rj.Value, rj.Unit = &v, c.to
		ur, _ = unitOf(p, c.to)
	}
	if v := *rj.Value; v < ur.min || v > ur.max {
		return violation("value", RuleValueRange, "%v %s is not a possible %s (%v to %v %s)", v, ur.unit, p.name, ur.min, ur.max, ur.unit)
	}
	return nil
}

func unitOf(p *property, u string) (unitRule, bool) {
	for _, r := range p.units {
		if r.unit == u {
			return r, true
		}
	}
	return unitRule{}, false
}

func unitList(p *property) string {
	var us []string
	for _, r := range p.units {
		us = append(us, r.unit)
	}
	s := strings.Join(us, ", ")
	if len(p.convert) > 0 {
		var cs []string
		for u := range p.convert {
			cs = append(cs, u)
		}
		slices.Sort(cs)
		s += " (or " + strings.Join(cs, ", ") + ", converted)"
	}
	return s
}

// codeSyntax checks "loinc:NNNNN-N" (with its mod-10 check digit) or
// "mdc:N" (a 32-bit MDC code); "" when well formed.
func codeSyntax(code string) string {
	sys, c, ok := strings.Cut(code, ":")
	if !ok {
		return "want loinc:NNNNN-N or mdc:N"
	}
	switch sys {
	case "loinc":
		num, check, ok := strings.Cut(c, "-")
		if !ok || len(num) == 0 || len(num) > 7 || len(check) != 1 || !digits(num) || !digits(check) {
			return "a LOINC code is 1 to 7 digits, a hyphen and a check digit"
		}
		if loincCheck(num) != check[0]-'0' {
			return fmt.Sprintf("LOINC check digit of %s is %d", num, loincCheck(num))
		}
		return ""
	case "mdc":
		if !digits(c) || len(c) > 10 {
			return "an MDC code is a number"
		}
		if v, err := strconv.ParseUint(c, 10, 32); err != nil || v == 0 {
			return "an MDC code is a number from 1 to 4294967295"
		}
		return ""
	default:
		return fmt.Sprintf("code system %q: want loinc or mdc", sys)
	}
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// loincCheck is LOINC's mod-10 check digit of the code number: from the
// rightmost digit, every other digit doubled, the digits of the result
// summed with the others; the check digit brings the sum to a multiple of 10.
func loincCheck(num string) byte {
	sum := 0
	for i := 0; i < len(num); i++ {
		d := int(num[len(num)-1-i] - '0')
		if i%2 == 0 {
			d *= 2
			d = d/10 + d%10
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}

// unitSyntax: a UCUM unit is printable ASCII without spaces.
func unitSyntax(u string) string {
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return "a UCUM unit is printable ASCII without spaces"
		}
	}
	return ""
}

// checkRules applies the table to every reading of b, converting units in
// place; the first refusal names the reading's line (JSON lines) or
// FHIRPath (FHIR) and the rule.
func (b *DeviceBatch) checkRules() error {
	for i := range b.Readings {
		v := CheckReadingRules(&b.Readings[i])
		if v == nil {
			continue
		}
		switch {
		case i < len(b.Paths):
			return &FHIRError{Issues: []FHIRIssue{{Expression: b.Paths[i], Code: "code-invalid", Diagnostics: v.Error()}}}
		case i < len(b.LineNos):
			return fmt.Errorf("%w: line %d: %v", ErrBadInput, b.LineNos[i], v)
		default:
			return fmt.Errorf("%w: reading %d: %v", ErrBadInput, i+1, v)
		}
	}
	return nil
}
