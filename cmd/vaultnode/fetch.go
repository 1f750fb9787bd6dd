package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// writeReadings prints fetched readings as JSON lines (to stdout, or to the
// file out with a summary on stderr); with --json and no file, one JSON
// document holds the summary and the readings.
//
// format "fhir" writes one FHIR R4 Bundle (collection) of Observations
// instead of JSON lines. Batches the serving node acknowledged that are not
// on-chain yet (so not fetched) are reported on stderr, and in --json.
func writeReadings(cmd *cobra.Command, g *globals, res *service.FetchResult, out, format string) error {
	// A reading carries the firmware that produced it when the device declared it or is a registered unit
	// (docs/DEVICES.md); anything but "approved" is also said on stderr.
	// Elements a FHIR Observation carried besides the measurement (identifier, interpretation,
	// referenceRange) come back under "kept", as the device sent them.
	type fetchedReading struct {
		service.ReadingJSON
		Firmware *node.FirmwareFlag         `json:"firmware,omitempty"`
		Kept     map[string]json.RawMessage `json:"kept,omitempty"`
	}
	rjs := make([]fetchedReading, len(res.Readings))
	flagged := map[string]int{}
	for i, r := range res.Readings {
		v := r.Value
		rjs[i] = fetchedReading{ReadingJSON: service.ReadingJSON{Device: r.Device, Patient: hex.EncodeToString(r.Patient[:]), Stream: r.Stream, Time: r.Time, Value: &v, Unit: r.Unit, Code: r.Code},
			Firmware: node.FirmwareOf(r), Kept: node.KeptElements(r)}
		if fw := rjs[i].Firmware; fw != nil && fw.Status != node.FirmwareApproved {
			flagged[fmt.Sprintf("device %s, firmware %s: %s", r.Device, fw.Version, fw.Status)]++
		}
	}
	for what, n := range flagged {
		if !g.json {
			fmt.Fprintf(cmd.ErrOrStderr(), "vaultnode: warning: %d reading(s) from %s\n", n, what)
		}
	}
	summary := map[string]any{"readings": len(res.Readings), "batches": res.Batches, "verified": res.Verified, "proxies": res.Proxies,
		"pending": res.Pending}
	if len(flagged) > 0 {
		summary["firmwareWarnings"] = flagged
	}
	if res.PendingReason != "" {
		summary["pendingReason"] = res.PendingReason
		if !g.json {
			fmt.Fprintf(cmd.ErrOrStderr(), "vaultnode: warning: %s\n", res.PendingReason)
		}
	}
	toFile := out != "" && out != "-"
	if format == "fhir" {
		return writeFHIRBundle(cmd, g, res, out, toFile, summary)
	}
	if g.json && !toFile {
		summary["readings"] = rjs
		return g.out(cmd.OutOrStdout(), summary, nil)
	}
	w := cmd.OutOrStdout()
	if toFile {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	for i := range rjs {
		if err := enc.Encode(&rjs[i]); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if !toFile {
		return nil
	}
	summary["file"] = out
	sw := cmd.ErrOrStderr()
	if g.json {
		sw = cmd.OutOrStdout()
	}
	return g.out(sw, summary, func(w io.Writer) {
		fmt.Fprintf(w, "%d readings from %d batches verified and written to %s\n", len(res.Readings), res.Batches, out)
	})
}

// writeFHIRBundle writes the readings as a FHIR R4 Bundle (to stdout, or
// to out with the summary on stderr, or on stdout with --json).
func writeFHIRBundle(cmd *cobra.Command, g *globals, res *service.FetchResult, out string, toFile bool, summary map[string]any) error {
	b, err := json.MarshalIndent(node.FHIRFetchBundle(res), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if !toFile {
		_, err := cmd.OutOrStdout().Write(b)
		return err
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return err
	}
	summary["file"] = out
	summary["format"] = "fhir"
	sw := cmd.ErrOrStderr()
	if g.json {
		sw = cmd.OutOrStdout()
	}
	return g.out(sw, summary, func(w io.Writer) {
		fmt.Fprintf(w, "%d readings from %d batches verified and written to %s as a FHIR Bundle\n", len(res.Readings), res.Batches, out)
	})
}
