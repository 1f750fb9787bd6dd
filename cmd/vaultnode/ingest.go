package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

// maxFHIRDocument bounds a FHIR document read from a file or stdin.
const maxFHIRDocument = 64 << 20

// isFHIR reports whether br starts a FHIR resource (one JSON document with
// a resourceType), not JSON lines.
func isFHIR(br *bufio.Reader) bool {
	head, _ := br.Peek(512)
	if !bytes.Contains(head, []byte(`"resourceType"`)) || !bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) {
		return false
	}
	var probe struct {
		ResourceType string `json:"resourceType"`
	}
	return json.NewDecoder(bytes.NewReader(head)).Decode(&probe) != nil || probe.ResourceType != ""
}

// ingest sends one batch (JSON lines, or a FHIR document with its base64
// signature) to svc.
func ingest(cmd *cobra.Command, svc service.Service, device string, r io.Reader, fhir bool, sig string, fw *service.Firmware) (*service.Receipt, error) {
	if !fhir {
		if fw != nil {
			return nil, fault.Usagef("--firmware is for a FHIR document: a JSON-lines batch declares its firmware in its signature line (device sign --firmware)")
		}
		return svc.Ingest(cmd.Context(), device, r)
	}
	s, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return nil, fault.Usagef("--sig is not base64: %v", err)
	}
	doc, err := io.ReadAll(io.LimitReader(r, maxFHIRDocument+1))
	if err != nil {
		return nil, err
	}
	if len(doc) > maxFHIRDocument {
		return nil, fmt.Errorf("%w: a FHIR document larger than %d MiB", fault.ErrTooLarge, maxFHIRDocument>>20)
	}
	return svc.IngestFHIR(cmd.Context(), device, doc, s, fw)
}
