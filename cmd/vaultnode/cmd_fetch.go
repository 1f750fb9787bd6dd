package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/progress"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newFetchCmd(g *globals) *cobra.Command {
	var keyPath, passFile, patient, stream, ticket, from, until, out, purpose, format string
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "fetch --key FILE (--patient P --stream S | --ticket T) [--from T --until T] [-o FILE]",
		Short: "fetch, decrypt and verify the readings a grant covers, as the clinician",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if keyPath == "" {
				return fault.Usagef("--key FILE is required")
			}
			if format != "jsonl" && format != "fhir" {
				return fault.Usagef("--format: %q (want jsonl or fhir)", format)
			}
			if ticket == "" && (patient == "" || stream == "") {
				return fault.Usagef("give --patient and --stream (patient of this node) or --ticket (from the grant)")
			}
			fr, err := parseTime("--from", from, time.Time{})
			if err != nil {
				return err
			}
			un, err := parseTime("--until", until, time.Time{})
			if err != nil {
				return err
			}
			req := service.FetchRequest{Patient: patient, Stream: stream, From: fr, Until: un, Purpose: purpose, PendingWait: wait}
			if wait == 0 {
				req.PendingWait = -1 // --wait 0: do not wait, report
			}
			if ticket != "" {
				if req.Ticket, err = service.ParseTicket(ticket); err != nil {
					return fault.AsUsage(fmt.Errorf("--ticket: %w", err))
				}
			}
			gr, err := service.ReadGranteeKey(keyPath, passFile)
			if err != nil {
				return err
			}
			defer gr.Wipe()
			req.Grantee = gr
			p := progress.New(cmd.ErrOrStderr(), "fetch", "batches")
			req.Progress = func(done, total int) { p.Set(int64(done), int64(total)) }
			var res *service.FetchResult
			err = g.withService(cmd, false, func(svc service.Service) error {
				var err error
				res, err = svc.Fetch(cmd.Context(), req)
				return err
			})
			p.Done()
			if err != nil {
				return err
			}
			return writeReadings(cmd, g, res, out, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&keyPath, "key", "", "clinician key file (keygen --out), sealed")
	f.StringVar(&passFile, "passphrase-file", "", "read the key file's passphrase from FILE (default $VAULTNODE_KEY_PASSPHRASE)")
	f.StringVar(&patient, "patient", "", "patient pseudonym or local MRN (patient of this node)")
	f.StringVar(&stream, "stream", "", "stream name")
	f.StringVar(&ticket, "ticket", "", "grant ticket printed by 'vaultnode grant' (for a patient of another node)")
	f.StringVar(&from, "from", "", "only readings at or after T")
	f.StringVar(&until, "until", "", "only readings before T")
	f.StringVarP(&out, "output", "o", "", "write readings (JSON lines) to FILE instead of stdout")
	f.StringVar(&purpose, "purpose", "TREAT", "purpose of use recorded in the proxies' access logs")
	f.StringVar(&format, "format", "jsonl", "jsonl (one reading per line) or fhir (a FHIR R4 Bundle of Observations)")
	f.DurationVar(&wait, "wait", 10*time.Second, "wait up to this long for batches acknowledged but not yet committed on-chain (0: do not wait); any still missing are reported")
	return cmd
}
