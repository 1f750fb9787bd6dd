package node

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func FuzzParseBatch(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	line := []byte(`{"device":"cgm-17","patient":"MRN-1","stream":"glucose","time":"2026-03-01T08:00:00.123Z","value":5.8,"unit":"mmol/L","code":"loinc:15074-8"}`)
	f.Add(SignedBatch(priv, "cgm-17", [][]byte{line, line}))
	f.Add(SignedBatchFirmware(priv, "cgm-17", &Firmware{Version: "2.1", Image: [32]byte{1}}, [][]byte{line}))
	f.Add([]byte("{\"sig\":\"AAAA\"}\n"))
	f.Add([]byte("{}\n\n{\"device\":1}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := ParseBatch(bytes.NewReader(b), 4096)
		if err != nil {
			if !errors.Is(err, ErrBadInput) && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if db.Firmware != nil && checkFirmwareVersion(db.Firmware.Version) != nil {
			t.Fatalf("accepted firmware version %q", db.Firmware.Version)
		}
		if len(db.Lines) != len(db.Readings) || len(db.Readings) == 0 || len(db.Sig) != ed25519.SignatureSize {
			t.Fatalf("inconsistent batch: %d lines, %d readings, %d-byte sig", len(db.Lines), len(db.Readings), len(db.Sig))
		}
		for _, r := range db.Readings {
			if r.Value == nil || r.Device == "" || r.Patient == "" || r.Stream == "" || r.Time.IsZero() {
				t.Fatalf("accepted an incomplete reading: %+v", r)
			}
		}
	})
}

func TestSignedBatchRoundTrip(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	line := []byte(`{"device":"d1","patient":"MRN-1","stream":"glucose","time":"2026-03-01T08:00:00Z","value":1,"unit":"u","code":"c"}`)
	raw := SignedBatch(priv, "d1", [][]byte{line})
	b, err := ParseBatch(bytes.NewReader(bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(pub, BatchMessage("d1", b.Lines), b.Sig) {
		t.Fatal("signature over the canonical bytes does not verify after CRLF transport")
	}
	if ed25519.Verify(pub, BatchMessage("d2", b.Lines), b.Sig) {
		t.Fatal("signature verifies for another device id")
	}
	if _, err := ParseBatch(bytes.NewReader(append(raw, line...)), 0); !errors.Is(err, ErrBadInput) {
		t.Fatalf("data after the signature line: %v", err)
	}
}

func FuzzParseFHIR(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Observation","subject":{"reference":"Patient/MRN-1"},"device":{"reference":"Device/cgm-1"},"code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"effectiveDateTime":"2026-03-01T08:00:00Z","valueQuantity":{"value":5.8,"unit":"mmol/L"}}`))
	f.Add([]byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := ParseFHIR(b, "cgm-1")
		if err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if len(db.Readings) == 0 || !bytes.HasSuffix(db.Message, b) {
			t.Fatal("accepted FHIR without readings or without binding the body")
		}
	})
}

// FuzzParseClaim: a claim file is what strangers hand an auditor. The decoder refuses malformed input with
// ErrBadInput, and whatever it accepts has a statement the circuit can take and the hex fields' sizes.
func FuzzParseClaim(f *testing.F) {
	f.Add([]byte(`{"version":1,"statement":"s","kind":"exceeds","stream":"glucose","unit":"mmol/L","scale":2,"threshold":389,"below":true,"from":1,"to":2,` +
		`"batch":{"tag":"` + strings.Repeat("ab", 32) + `","claimRoot":"` + strings.Repeat("01", 32) + `","block":7,"tx":"0x","by":"0x"},` +
		`"chain":{"chainId":1337,"commitments":"0xf917202793E54ec35aA1D7edbd087E856b810B04","deployBlock":1},"verifyingKey":"` + strings.Repeat("cd", 32) + `","proof":"AAAA"}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{}{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseClaim(b)
		if err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if err := c.statement().Validate(); err != nil {
			t.Fatalf("accepted a claim whose statement the circuit refuses: %v", err)
		}
		if _, ok := claimProfiles[c.Stream]; !ok || len(c.Batch.Tag) != 64 || len(c.Batch.ClaimRoot) != 64 || len(c.VerifyingKey) != 64 {
			t.Fatalf("accepted a malformed claim: %+v", c)
		}
	})
}

// The firmware a batch declares is covered by the device's signature: a batch whose declaration was edited
// (another version, another image) no longer verifies, and a declaration removed falls back to the v1
// message, which the signature does not cover either.
func TestFirmwareDeclarationIsSigned(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	line := []byte(`{"device":"d1","patient":"MRN-1","stream":"glucose","time":"2026-03-01T08:00:00Z","value":1,"unit":"mmol/L","code":"loinc:15074-8"}`)
	fw := &Firmware{Version: "2.1", Image: [32]byte{0xaa}}
	raw := SignedBatchFirmware(priv, "d1", fw, [][]byte{line})
	b, err := ParseBatch(bytes.NewReader(raw), 0)
	if err != nil || b.Firmware == nil || *b.Firmware != *fw || !ed25519.Verify(pub, b.message("d1"), b.Sig) {
		t.Fatalf("declared firmware: %+v %v", b, err)
	}
	for name, edit := range map[string]func([]byte) []byte{
		"version": func(r []byte) []byte {
			return bytes.Replace(r, []byte(`"version":"2.1"`), []byte(`"version":"2.0"`), 1)
		},
		"image": func(r []byte) []byte { return bytes.Replace(r, []byte(`"image":"aa00`), []byte(`"image":"bb00`), 1) },
		"removed": func(r []byte) []byte {
			i := bytes.Index(r, []byte(`,"firmware"`))
			return append(append([]byte{}, r[:i]...), []byte("}\n")...)
		},
	} {
		b, err := ParseBatch(bytes.NewReader(edit(raw)), 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ed25519.Verify(pub, b.message("d1"), b.Sig) {
			t.Errorf("firmware declaration %s edited: the signature still verifies", name)
		}
	}
	for _, bad := range []string{`"version":""`, `"version":"2 1"`, `"image":"zz"`} {
		edited := bytes.Replace(raw, []byte(`"version":"2.1"`), []byte(bad), 1)
		if bad[1] == 'i' {
			edited = bytes.Replace(raw, []byte(fmt.Sprintf(`"image":"%x"`, fw.Image)), []byte(bad), 1)
		}
		if _, err := ParseBatch(bytes.NewReader(edited), 0); !errors.Is(err, ErrBadInput) {
			t.Errorf("firmware declaration %s: %v, want ErrBadInput", bad, err)
		}
	}
}
