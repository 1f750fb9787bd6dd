package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

// writeReadings prints fetched readings as JSON lines (to stdout, or to the
// file out with a summary on stderr); with --json and no file, one JSON
// document holds the summary and the readings.
func writeReadings(cmd *cobra.Command, g *globals, res *service.FetchResult, out string) error {
	rjs := make([]service.ReadingJSON, len(res.Readings))
	for i, r := range res.Readings {
		v := r.Value
		rjs[i] = service.ReadingJSON{Device: r.Device, Patient: hex.EncodeToString(r.Patient[:]), Stream: r.Stream, Time: r.Time, Value: &v, Unit: r.Unit, Code: r.Code}
	}
	summary := map[string]any{"readings": len(res.Readings), "batches": res.Batches, "verified": res.Verified, "proxies": res.Proxies}
	toFile := out != "" && out != "-"
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
