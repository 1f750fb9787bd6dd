package node

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// FHIRDomain prefixes the bytes a device signs for a FHIR submission:
// "vaultnode/device-fhir/v1\n" || device id || "\n" || the request body.
const FHIRDomain = "vaultnode/device-fhir/v1\n"

type fhirRef struct {
	Reference  string `json:"reference"`
	Display    string `json:"display"`
	Identifier *struct {
		Value string `json:"value"`
	} `json:"identifier"`
}

type fhirObservation struct {
	ResourceType string  `json:"resourceType"`
	Subject      fhirRef `json:"subject"`
	Device       fhirRef `json:"device"`
	Code         struct {
		Coding []struct {
			System string `json:"system"`
			Code   string `json:"code"`
		} `json:"coding"`
	} `json:"code"`
	EffectiveDateTime string `json:"effectiveDateTime"`
	EffectiveInstant  string `json:"effectiveInstant"`
	ValueQuantity     *struct {
		Value *float64 `json:"value"`
		Unit  string   `json:"unit"`
		Code  string   `json:"code"`
	} `json:"valueQuantity"`
}

// streamOfCode maps well-known LOINC codes to stream names; other codes go
// to a stream named after the code.
var streamOfCode = map[string]string{
	"loinc:15074-8": "glucose", "loinc:2339-0": "glucose", "loinc:2345-7": "glucose", "loinc:14743-9": "glucose",
	"loinc:8867-4": "heart-rate", "loinc:59408-5": "spo2", "loinc:8310-5": "temperature",
}

func refID(r fhirRef, kind string) string {
	if r.Identifier != nil && r.Identifier.Value != "" {
		return r.Identifier.Value
	}
	if s, ok := strings.CutPrefix(r.Reference, kind+"/"); ok {
		return s
	}
	if r.Reference != "" {
		return r.Reference
	}
	return r.Display
}

// ParseFHIR maps a FHIR R4 Observation, or a Bundle of Observations, to a
// device batch (SPEC §6: subject, device, code, effective, valueQuantity).
// The device's signature (set by the caller in Sig) covers FHIRDomain,
// the device id and the body.
func ParseFHIR(body []byte, device string) (*DeviceBatch, error) {
	if device == "" {
		return nil, fmt.Errorf("%w: the device id goes in ?device= or the X-Vaultnode-Device header", ErrBadInput)
	}
	var head struct {
		ResourceType string `json:"resourceType"`
		Entry        []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, fmt.Errorf("%w: FHIR JSON: %v", ErrBadInput, err)
	}
	var raws []json.RawMessage
	switch head.ResourceType {
	case "Observation":
		raws = []json.RawMessage{body}
	case "Bundle":
		for _, e := range head.Entry {
			raws = append(raws, e.Resource)
		}
	default:
		return nil, fmt.Errorf("%w: FHIR resourceType %q (want Observation or Bundle)", ErrBadInput, head.ResourceType)
	}
	b := &DeviceBatch{Message: append([]byte(FHIRDomain+device+"\n"), body...)}
	for i, raw := range raws {
		var o fhirObservation
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, fmt.Errorf("%w: entry %d: %v", ErrBadInput, i+1, err)
		}
		if o.ResourceType != "Observation" {
			return nil, fmt.Errorf("%w: entry %d: resourceType %q", ErrBadInput, i+1, o.ResourceType)
		}
		if o.ValueQuantity == nil || o.ValueQuantity.Value == nil {
			return nil, fmt.Errorf("%w: entry %d: no valueQuantity.value", ErrBadInput, i+1)
		}
		ts := o.EffectiveDateTime
		if ts == "" {
			ts = o.EffectiveInstant
		}
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return nil, fmt.Errorf("%w: entry %d: effective time: %v", ErrBadInput, i+1, err)
		}
		code := ""
		if len(o.Code.Coding) > 0 {
			c := o.Code.Coding[0]
			sys := c.System
			if sys == "http://loinc.org" {
				sys = "loinc"
			}
			code = sys + ":" + c.Code
		}
		stream := streamOfCode[code]
		if stream == "" {
			stream = strings.ToLower(strings.NewReplacer(":", "-", "/", "-", ".", "-").Replace(code))
		}
		dev := refID(o.Device, "Device")
		if dev == "" {
			dev = device
		}
		rj := ReadingJSON{Device: dev, Patient: refID(o.Subject, "Patient"), Stream: stream, Time: t, Value: o.ValueQuantity.Value, Unit: o.ValueQuantity.Unit, Code: code}
		if rj.Patient == "" {
			return nil, fmt.Errorf("%w: entry %d: no subject", ErrBadInput, i+1)
		}
		line, _ := json.Marshal(rj)
		b.Lines = append(b.Lines, line)
		b.Readings = append(b.Readings, rj)
	}
	if len(b.Readings) == 0 {
		return nil, fmt.Errorf("%w: no observations", ErrBadInput)
	}
	return b, nil
}
