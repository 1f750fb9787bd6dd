package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

func addCommands(root *cobra.Command, g *globals) {
	root.AddCommand(newInitCmd(g), newDaemonCmd(g), newDeviceCmd(g), newPatientCmd(g), newIngestCmd(g), newGrantCmd(g),
		newRevokeCmd(g), newKeygenCmd(g), newFetchCmd(g), newEraseCmd(g), newErasureCmd(g), newAuditCmd(g), newVerifyCmd(g),
		newMemberCmd(g))
}

// open opens the repo for a one-shot command: an ephemeral p2p port, and a
// short commit interval so that commitments reach the chain before exit.
func (g *globals) open(cmd *cobra.Command, offline bool) (*node.Node, error) {
	dir, err := g.repoDir()
	if err != nil {
		return nil, err
	}
	if daemonRunning(dir) {
		return nil, fmt.Errorf("a daemon is running on %s and %q is not available through its API: stop the daemon to run it on the repo", dir, cmd.CommandPath())
	}
	lg := g.logger(cmd.ErrOrStderr(), slog.LevelWarn)
	return node.Open(cmd.Context(), dir, node.Options{Logger: lg, Offline: offline, Listen: []string{"/ip4/127.0.0.1/tcp/0"},
		CommitInterval: 100 * time.Millisecond, ServeRPC: "", OneShot: true})
}

// runningAPI returns the API URL of a daemon running on the repo, or "".
func runningAPI(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, node.DaemonFile))
	if err != nil {
		return ""
	}
	var d struct {
		PID int    `json:"pid"`
		API string `json:"api"`
	}
	if json.Unmarshal(b, &d) != nil || d.PID <= 0 || !processAlive(d.PID) {
		return ""
	}
	return d.API
}

func daemonRunning(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, node.DaemonFile))
	if err != nil {
		return false
	}
	var d struct {
		PID int `json:"pid"`
	}
	if json.Unmarshal(b, &d) != nil || d.PID <= 0 {
		return false
	}
	return processAlive(d.PID)
}

// flush waits (bounded) until the chain committer has no pending commitment.
func flush(ctx context.Context, n *node.Node) {
	deadline := time.Now().Add(30 * time.Second)
	for n.Chain.PendingCommitments() > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
}

func newInitCmd(g *globals) *cobra.Command {
	var rpc, contracts, keyFile, listen, apiAddr, serveRPC string
	var bootstrap []string
	cmd := &cobra.Command{
		Use:   "init [--chain-rpc URL]",
		Short: "create a repo: config, node identity, keystore, chain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			c := node.DefaultConfig()
			c.Chain.RPC = rpc
			if serveRPC != "" {
				c.Chain.ServeRPC = serveRPC
			}
			if listen != "" {
				c.P2P.Listen = strings.Split(listen, ",")
			}
			if apiAddr != "" {
				c.API.Addr = apiAddr
			}
			c.P2P.Bootstrap = bootstrap
			if contracts != "" {
				if rpc == "" {
					return usagef("--contracts needs --chain-rpc")
				}
				b, err := os.ReadFile(contracts)
				if err != nil {
					return fmt.Errorf("contracts: %w", err)
				}
				a, err := parseAddresses(b)
				if err != nil {
					return err
				}
				c.Chain.Contracts = &a
			}
			a2, err := node.Argon2FromEnv()
			if err != nil {
				return usageError{err}
			}
			lg := g.logger(cmd.ErrOrStderr(), slog.LevelWarn)
			res, err := node.Init(cmd.Context(), dir, node.InitOptions{Config: c, KeyFile: keyFile, Argon2: a2, Logger: lg})
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "initialised vaultnode repo %s\n", res.Dir)
				fmt.Fprintf(w, "peer id        %s\nchain account  %s\nproxy key      %s\n", res.PeerID, res.Account, res.ProxyKey)
				fmt.Fprintf(w, "API tokens (keep them secret) in %s\n", filepath.Join(res.Dir, node.TokensDir))
				if rpc != "" && c.Chain.Contracts != nil {
					fmt.Fprintf(w, "to join the consortium, an admin runs:\n  vaultnode member add --account %s --peer-id %s --proxy-key %s\n", res.Account, res.PeerID, res.ProxyKey)
				}
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&rpc, "chain-rpc", "", "use this EVM JSON-RPC endpoint instead of the embedded chain")
	f.StringVar(&contracts, "contracts", "", "contracts.json of an existing deployment to join (with --chain-rpc)")
	f.StringVar(&keyFile, "key-file", "", "protect the keystore with this key file (created if missing) instead of $VAULTNODE_PASSPHRASE")
	f.StringVar(&listen, "listen", "", "p2p listen multiaddrs, comma-separated (default /ip4/127.0.0.1/tcp/4771)")
	f.StringVar(&apiAddr, "api-addr", "", "HTTP API listen address (default 127.0.0.1:5780)")
	f.StringArrayVar(&bootstrap, "bootstrap", nil, "a member to dial at start (multiaddr ending in /p2p/<peer id>); repeatable")
	f.StringVar(&serveRPC, "serve-rpc", "", "embedded chain: serve JSON-RPC on this loopback address (for a second daemon)")
	return cmd
}

func newDeviceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "device", Short: "enrol, revoke and list devices"}
	var out string
	enroll := &cobra.Command{
		Use:   "enroll ID --out FILE",
		Short: "enrol a device: new Ed25519 key (written to FILE for the device), registered on-chain",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out FILE is required: the device's private key is written there, once")
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s exists; refusing to overwrite a key file", out)
			}
			if g.api != "" {
				var m map[string]any
				b, _ := json.Marshal(map[string]string{"id": args[0]})
				if err := apiCall(cmd, g, "operator", "POST", "/v1/devices", "application/json", bytes.NewReader(b), &m); err != nil {
					return err
				}
				seed, _ := m["privateKeySeed"].(string)
				delete(m, "privateKeySeed")
				kf := deviceKeyFile{Version: 1, Kind: "vaultnode-device-key", Device: args[0], Seed: seed}
				kb, _ := json.MarshalIndent(kf, "", "  ")
				if err := os.WriteFile(out, append(kb, '\n'), 0o600); err != nil {
					return fmt.Errorf("write device key: %w", err)
				}
				return g.out(cmd.OutOrStdout(), m, func(w io.Writer) {
					fmt.Fprintf(w, "device %s enrolled; private key written to %s\n", args[0], out)
				})
			}
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			dev, priv, err := n.EnrollDevice(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer clear(priv)
			kf := deviceKeyFile{Version: 1, Kind: "vaultnode-device-key", Device: dev.ID, Seed: hex.EncodeToString(priv.Seed())}
			b, _ := json.MarshalIndent(kf, "", "  ")
			if err := os.WriteFile(out, append(b, '\n'), 0o600); err != nil {
				return fmt.Errorf("write device key: %w", err)
			}
			return g.out(cmd.OutOrStdout(), deviceJSON(dev), func(w io.Writer) {
				fmt.Fprintf(w, "device %s enrolled (key id %s); private key written to %s\n", dev.ID, dev.KeyID, out)
			})
		},
	}
	enroll.Flags().StringVar(&out, "out", "", "file for the device's private key (mode 0600)")
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "revoke a device locally and on-chain; its batches are refused from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.api != "" {
				var m map[string]any
				if err := apiCall(cmd, g, "operator", "DELETE", "/v1/devices/"+args[0], "", nil, &m); err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), m, func(w io.Writer) { fmt.Fprintf(w, "device %s revoked\n", args[0]) })
			}
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			dev, err := n.RevokeDevice(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), deviceJSON(dev), func(w io.Writer) { fmt.Fprintf(w, "device %s revoked\n", dev.ID) })
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "list enrolled devices",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return listVia(cmd, g, "/v1/devices", func(ctx context.Context, n *node.Node) (any, error) {
				ds, err := n.Keys.Devices(ctx)
				out := []any{}
				for _, d := range ds {
					out = append(out, deviceJSON(d))
				}
				return out, err
			}, func(d map[string]any) string {
				return fmt.Sprintf("%-24v %-8v enrolled %v", d["id"], d["status"], d["enrolled"])
			})
		},
	}
	var keyPath string
	var signFHIR bool
	sign := &cobra.Command{
		Use:   "sign --key FILE [IN|-]",
		Short: "integrator tool: sign JSON-lines readings with a device key (appends the signature line)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if keyPath == "" {
				return usagef("--key FILE is required")
			}
			id, priv, err := readDeviceKey(keyPath)
			if err != nil {
				return err
			}
			defer clear(priv)
			r, closer, err := input(cmd, args)
			if err != nil {
				return err
			}
			defer closer()
			raw, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			if signFHIR {
				msg := append([]byte(node.FHIRDomain+id+"\n"), raw...)
				sig := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, msg))
				return g.out(cmd.OutOrStdout(), map[string]any{"device": id, "signature": sig}, func(w io.Writer) { fmt.Fprintln(w, sig) })
			}
			var lines [][]byte
			for _, l := range bytes.Split(raw, []byte("\n")) {
				l = bytes.TrimRight(l, "\r")
				if len(bytes.TrimSpace(l)) > 0 {
					lines = append(lines, l)
				}
			}
			signed := node.SignedBatch(priv, id, lines)
			if g.json {
				// The signature line is the batch's last line.
				last := bytes.TrimSpace(signed[bytes.LastIndexByte(bytes.TrimRight(signed, "\n"), '\n')+1:])
				var sl struct{ Sig string }
				_ = json.Unmarshal(last, &sl)
				return g.out(cmd.OutOrStdout(), map[string]any{"device": id, "readings": len(lines), "signature": sl.Sig, "batch": string(signed)}, nil)
			}
			_, err = cmd.OutOrStdout().Write(signed)
			return err
		},
	}
	sign.Flags().StringVar(&keyPath, "key", "", "device key file written by `device enroll --out`")
	sign.Flags().BoolVar(&signFHIR, "fhir", false, "the input is a FHIR Observation or Bundle: print its base64 signature (for ingest --sig)")
	cmd.AddCommand(enroll, revoke, list, sign)
	return cmd
}

type deviceKeyFile struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	Device  string `json:"device"`
	Seed    string `json:"seed"`
}

func readDeviceKey(path string) (string, ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("device key: %w", err)
	}
	var kf deviceKeyFile
	if json.Unmarshal(b, &kf) != nil || kf.Kind != "vaultnode-device-key" {
		return "", nil, fmt.Errorf("%w: %s is not a vaultnode device key file", node.ErrBadInput, path)
	}
	seed, err := hex.DecodeString(kf.Seed)
	if err != nil || len(seed) != ed25519.SeedSize {
		return "", nil, fmt.Errorf("%w: %s: malformed key", node.ErrBadInput, path)
	}
	defer clear(seed)
	return kf.Device, ed25519.NewKeyFromSeed(seed), nil
}

func deviceJSON(d keys.Device) map[string]any {
	m := map[string]any{"id": d.ID, "status": d.Status.String(), "keyId": d.KeyID.String(), "publicKey": hex.EncodeToString(d.PublicKey), "enrolled": d.Enrolled}
	if !d.Revoked.IsZero() {
		m["revoked"] = d.Revoked
	}
	return m
}

func newPatientCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "patient", Short: "create and list patients"}
	var mrn string
	var streams []string
	create := &cobra.Command{
		Use:   "create [--mrn MRN] [--stream NAME]...",
		Short: "enrol a patient: random pseudonym and root key (optionally mapped from a local MRN)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if mrn != "" {
				if err := keys.ValidateMRN(mrn); err != nil {
					return usageError{err}
				}
			}
			if g.api != "" {
				var m map[string]any
				b, _ := json.Marshal(map[string]any{"mrn": mrn, "streams": streams})
				if err := apiCall(cmd, g, "operator", "POST", "/v1/patients", "application/json", bytes.NewReader(b), &m); err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), m, func(w io.Writer) { fmt.Fprintf(w, "%v\n", m["pseudonym"]) })
			}
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			p, err := n.Keys.CreatePatient(cmd.Context(), mrn)
			if err != nil {
				return err
			}
			for _, s := range streams {
				if _, err := n.Keys.CreateStream(cmd.Context(), p.Pseudonym, s); err != nil {
					return fmt.Errorf("stream %q: %w", s, err)
				}
			}
			p, _ = n.Keys.Patient(cmd.Context(), p.Pseudonym)
			return g.out(cmd.OutOrStdout(), patientJSON(p), func(w io.Writer) { fmt.Fprintf(w, "%s\n", p.Pseudonym) })
		},
	}
	create.Flags().StringVar(&mrn, "mrn", "", "local medical record number (stays on this node)")
	create.Flags().StringArrayVar(&streams, "stream", nil, "create this stream now (streams are also created on first ingest)")
	list := &cobra.Command{
		Use:   "list",
		Short: "list patients (pseudonyms, streams)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return listVia(cmd, g, "/v1/patients", func(ctx context.Context, n *node.Node) (any, error) {
				ps, err := n.Keys.Patients(ctx)
				out := []any{}
				for _, p := range ps {
					out = append(out, patientJSON(p))
				}
				return out, err
			}, func(p map[string]any) string {
				var streams []string
				for _, st := range asList(p["streams"]) {
					streams = append(streams, fmt.Sprint(st))
				}
				return fmt.Sprintf("%v  %-16v %s", p["pseudonym"], p["mrn"], strings.Join(streams, ","))
			})
		},
	}
	cmd.AddCommand(create, list)
	return cmd
}

func patientJSON(p keys.Patient) map[string]any {
	return map[string]any{"pseudonym": p.Pseudonym.String(), "mrn": p.MRN, "streams": p.Streams, "created": p.Created, "subjectTag": p.SubjectTag.String()}
}

func input(cmd *cobra.Command, args []string) (io.Reader, func(), error) {
	if len(args) == 0 || args[0] == "-" {
		return cmd.InOrStdin(), func() {}, nil
	}
	f, err := os.Open(args[0])
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func newIngestCmd(g *globals) *cobra.Command {
	var device, sig string
	cmd := &cobra.Command{
		Use:   "ingest --device ID [FILE|-]",
		Short: "ingest a signed device batch (JSON lines + signature line)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if device == "" {
				return usagef("--device ID is required")
			}
			r, closer, err := input(cmd, args)
			if err != nil {
				return err
			}
			defer closer()
			p := newProgress(cmd.ErrOrStderr(), "ingest", "bytes")
			defer p.done()
			if len(args) == 1 && args[0] != "-" {
				if st, err := os.Stat(args[0]); err == nil && st.Mode().IsRegular() {
					p.set(0, st.Size())
				}
			}
			br := bufio.NewReaderSize(p.reader(r), 64<<10)
			fhir := false
			if head, _ := br.Peek(512); bytes.Contains(head, []byte(`"resourceType"`)) && bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) {
				// A FHIR Observation or Bundle (one JSON document, not JSON lines).
				var probe struct {
					ResourceType string `json:"resourceType"`
				}
				if dec := json.NewDecoder(bytes.NewReader(head)); dec.Decode(&probe) != nil || probe.ResourceType != "" {
					fhir = true
				}
			}
			if fhir && sig == "" {
				return usagef("a FHIR document needs --sig: the device's base64 signature (vaultnode device sign --fhir)")
			}
			if g.api != "" {
				p.setPhase("sending to the daemon")
				if fhir {
					return apiIngestFHIR(cmd, g, device, sig, br, p)
				}
				return apiIngest(cmd, g, device, br, p)
			}
			n, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer n.Close()
			var b *node.DeviceBatch
			if fhir {
				body, err := io.ReadAll(io.LimitReader(br, n.Cfg.API.MaxBodyBytes+1))
				if err != nil {
					return err
				}
				if b, err = node.ParseFHIR(body, device); err != nil {
					return err
				}
				if b.Sig, err = base64.StdEncoding.DecodeString(sig); err != nil || len(b.Sig) != ed25519.SignatureSize {
					return fmt.Errorf("%w: --sig is not a base64 Ed25519 signature", node.ErrBadSignature)
				}
			} else if b, err = node.ParseBatch(br, n.Cfg.Ingest.MaxLineBytes); err != nil {
				return err
			}
			p.setPhase(fmt.Sprintf("%s readings: verifying, sealing, storing, replicating", thousands(len(b.Readings))))
			rc, err := n.Ingest(cmd.Context(), device, b)
			if err != nil {
				return err
			}
			p.setPhase("committing to the chain")
			flush(cmd.Context(), n)
			p.done()
			return printReceipt(cmd, g, rc)
		},
	}
	cmd.Flags().StringVar(&device, "device", "", "the device that signed the batch")
	cmd.Flags().StringVar(&sig, "sig", "", "FHIR input: the device's base64 Ed25519 signature over the document (docs/API.md)")
	return cmd
}

func printReceipt(cmd *cobra.Command, g *globals, rc *node.Receipt) error {
	return g.out(cmd.OutOrStdout(), rc, func(w io.Writer) {
		fmt.Fprintf(w, "%d readings from %s acknowledged in %d batch(es)\n", rc.Readings, rc.Device, len(rc.Batches))
		for _, b := range rc.Batches {
			fmt.Fprintf(w, "  %s seq %d  %d readings  root %s\n", b.Stream, b.Seq, b.Count, b.Root)
		}
	})
}

// parseTime accepts RFC 3339, "now", or a duration relative to now ("24h", "-1h").
func parseTime(s string, def time.Time) (time.Time, error) {
	switch s {
	case "":
		return def, nil
	case "now":
		return time.Now(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "+")); err == nil {
		return time.Now().Add(d), nil
	}
	return time.Time{}, usagef("time %q: want RFC 3339 (2026-03-01T08:00:00Z), \"now\" or a duration from now (24h, -1h)", s)
}

func newGrantCmd(g *globals) *cobra.Command {
	var patient, stream, to, from, until string
	var purposes []string
	var m, n int
	cmd := &cobra.Command{
		Use:   "grant --patient P --stream S --to PUBKEY --from T --until T [--threshold M --proxies N] [--purpose CODE]...",
		Short: "grant a clinician access to one stream for a time window (threshold re-encryption)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if patient == "" || stream == "" || to == "" || until == "" {
				return usagef("--patient, --stream, --to and --until are required")
			}
			nb, err := parseTime(from, time.Now())
			if err != nil {
				return err
			}
			na, err := parseTime(until, time.Time{})
			if err != nil {
				return err
			}
			gk, err := node.ParseGranteePublic(to)
			if err != nil {
				return usageError{err}
			}
			req := node.GrantRequest{Patient: patient, Stream: stream, Grantee: gk, NotBefore: nb, NotAfter: na, M: m, N: n, Purposes: purposes}
			var res *node.GrantResult
			if g.api != "" {
				res, err = apiGrant(cmd, g, req)
			} else {
				nd, err2 := g.open(cmd, false)
				if err2 != nil {
					return err2
				}
				defer nd.Close()
				res, err = nd.Grant(cmd.Context(), req)
			}
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "grant %s (%d of %d proxies) until %s\n", res.ID, res.M, len(res.Proxies), res.NotAfter.UTC().Format(time.RFC3339))
				fmt.Fprintf(w, "ticket for the clinician (no secret in it):\n%s\n", res.Ticket)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&patient, "patient", "", "patient pseudonym or local MRN")
	f.StringVar(&stream, "stream", "", "stream name, e.g. glucose")
	f.StringVar(&to, "to", "", "clinician public key (hex) or their key file")
	f.StringVar(&from, "from", "", "start of the window (default now)")
	f.StringVar(&until, "until", "", "end of the window")
	f.IntVar(&m, "threshold", 1, "M: cfrags needed")
	f.IntVar(&n, "proxies", 1, "N: proxies holding a kfrag")
	f.StringArrayVar(&purposes, "purpose", nil, "restrict to this purpose of use (HL7 v3 code, e.g. TREAT); repeatable; default any")
	return cmd
}

func newRevokeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke GRANT_ID",
		Short: "revoke a grant on-chain; proxies refuse from the next block and drop its kfrags",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := node.ParseGrantID(args[0])
			if err != nil {
				return usageError{err}
			}
			if g.api != "" {
				return apiRevoke(cmd, g, id)
			}
			n, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer n.Close()
			rc, err := n.Revoke(cmd.Context(), id)
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), map[string]any{"grant": hex.EncodeToString(id[:]), "revoked": true, "tx": rc.TxHash.Hex(), "block": rc.Block},
				func(w io.Writer) { fmt.Fprintf(w, "grant %x revoked in block %d\n", id, rc.Block) })
		},
	}
}

func newKeygenCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "keygen --out FILE",
		Short: "create a clinician's key pair (PRE + signing key) in FILE; prints the public key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("--out FILE is required")
			}
			pub, err := node.WriteGranteeKey(out)
			if err != nil {
				return err
			}
			h := pub.Hash()
			return g.out(cmd.OutOrStdout(), map[string]any{"file": out, "public": hex.EncodeToString(pub.Bytes()), "keyHash": hex.EncodeToString(h[:])},
				func(w io.Writer) { fmt.Fprintf(w, "%s\n", hex.EncodeToString(pub.Bytes())) })
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "key file to create (mode 0600, never overwritten)")
	return cmd
}

func newFetchCmd(g *globals) *cobra.Command {
	var keyPath, patient, stream, ticket, from, until, out, purpose string
	cmd := &cobra.Command{
		Use:   "fetch --key FILE --patient P --stream S [--from T --until T] [-o FILE]",
		Short: "fetch, decrypt and verify the readings a grant covers, as the clinician",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if keyPath == "" {
				return usagef("--key FILE is required")
			}
			if ticket == "" && (patient == "" || stream == "") {
				return usagef("give --patient and --stream (patient of this node) or --ticket (from the grant)")
			}
			fr, err := parseTime(from, time.Time{})
			if err != nil {
				return err
			}
			un, err := parseTime(until, time.Time{})
			if err != nil {
				return err
			}
			gr, err := node.ReadGranteeKey(keyPath)
			if err != nil {
				return err
			}
			defer gr.Wipe()
			var t node.Ticket
			if ticket != "" {
				if t, err = node.ParseTicket(ticket); err != nil {
					return usageError{err}
				}
			}
			p := newProgress(cmd.ErrOrStderr(), "fetch", "batches")
			req := node.FetchRequest{Grantee: gr, Ticket: t, From: fr, Until: un, Purpose: purpose, Progress: func(done, total int) { p.set(int64(done), int64(total)) }}
			var res *node.FetchResult
			if g.api != "" {
				// Through the daemon: it reads the chain, serves the blocks and
				// relays the signed requests; the keys stay here.
				if ticket == "" {
					var tr struct{ Ticket string }
					q := "/v1/tickets?patient=" + url.QueryEscape(patient) + "&stream=" + url.QueryEscape(stream) + "&grantee=" + hex.EncodeToString(gr.Public().Bytes())
					if err := apiCall(cmd, g, "operator", "GET", q, "", nil, &tr); err != nil {
						return err
					}
					if req.Ticket, err = node.ParseTicket(tr.Ticket); err != nil {
						return err
					}
				}
				res, err = node.FetchFrom(cmd.Context(), apiSource{g}, req)
			} else {
				n, err2 := g.open(cmd, false)
				if err2 != nil {
					return err2
				}
				defer n.Close()
				if ticket == "" {
					if req.Ticket, err = n.FindTicket(cmd.Context(), patient, stream, gr.Public()); err != nil {
						return err
					}
				}
				res, err = n.Fetch(cmd.Context(), req)
			}
			p.done()
			if err != nil {
				return err
			}
			rjs := make([]node.ReadingJSON, len(res.Readings))
			for i, r := range res.Readings {
				v := r.Value
				rjs[i] = node.ReadingJSON{Device: r.Device, Patient: hex.EncodeToString(r.Patient[:]), Stream: r.Stream, Time: r.Time, Value: &v, Unit: r.Unit, Code: r.Code}
			}
			summary := map[string]any{"readings": len(res.Readings), "batches": res.Batches, "verified": res.Verified, "proxies": res.Proxies}
			toFile := out != "" && out != "-"
			if g.json && !toFile {
				// One JSON document: the summary with the readings in it.
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
			// JSON lines, one reading each (the readings' wire form).
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
			if toFile {
				summary["file"] = out
				sw := cmd.ErrOrStderr()
				if g.json {
					sw = cmd.OutOrStdout()
				}
				return g.out(sw, summary, func(w io.Writer) {
					fmt.Fprintf(w, "%d readings from %d batches verified and written to %s\n", len(res.Readings), res.Batches, out)
				})
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&keyPath, "key", "", "clinician key file (keygen --out)")
	f.StringVar(&patient, "patient", "", "patient pseudonym or local MRN (patient of this node)")
	f.StringVar(&stream, "stream", "", "stream name")
	f.StringVar(&ticket, "ticket", "", "grant ticket printed by `vaultnode grant` (for a patient of another node)")
	f.StringVar(&from, "from", "", "only readings at or after T")
	f.StringVar(&until, "until", "", "only readings before T")
	f.StringVarP(&out, "output", "o", "", "write readings (JSON lines) to FILE instead of stdout")
	f.StringVar(&purpose, "purpose", "TREAT", "purpose of use recorded in the proxies' access logs")
	return cmd
}

func newEraseCmd(g *globals) *cobra.Command {
	var patient, ref, reason, certPath string
	cmd := &cobra.Command{
		Use:   "erase --patient P --request-ref REF [--reason TEXT] --certificate FILE",
		Short: "erase a patient everywhere and write the signed erasure certificate",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if patient == "" || ref == "" || certPath == "" {
				return usagef("--patient, --request-ref and --certificate are required")
			}
			var cert []byte
			var err error
			p := newProgress(cmd.ErrOrStderr(), "erase", "")
			p.setPhase("destroying keys, purging every peer, recording on-chain")
			defer p.done()
			if g.api != "" {
				cert, err = apiErase(cmd, g, patient, ref, reason)
			} else {
				n, err2 := g.open(cmd, false)
				if err2 != nil {
					return err2
				}
				defer n.Close()
				r, err2 := n.Erase(cmd.Context(), patient, ref, reason)
				if err2 != nil {
					return err2
				}
				cert = r.Certificate
				if len(r.Pending) > 0 {
					p.done()
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d peers have not acknowledged yet; the daemon retries and re-issues the certificate\n", len(r.Pending))
				}
			}
			if err != nil {
				return err
			}
			if err := os.WriteFile(certPath, cert, 0o644); err != nil {
				return fmt.Errorf("write certificate: %w", err)
			}
			return g.out(cmd.OutOrStdout(), json.RawMessage(cert), func(w io.Writer) { fmt.Fprintf(w, "patient erased; certificate written to %s\n", certPath) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&patient, "patient", "", "patient pseudonym or local MRN")
	f.StringVar(&ref, "request-ref", "", "the DPO's reference of the erasure request")
	f.StringVar(&reason, "reason", "", "free text")
	f.StringVar(&certPath, "certificate", "", "where to write the certificate")
	return cmd
}

func newErasureCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "erasure", Short: "erasure certificates"}
	verify := &cobra.Command{
		Use:   "verify FILE",
		Short: "verify an erasure certificate against the chain",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var out map[string]any
			err = viaAPIOrRepo(cmd, g, true, func() error {
				return apiCall(cmd, g, "", "POST", "/v1/erasures/verify", "application/json", bytes.NewReader(b), &out)
			}, func(n *node.Node) error {
				c, err := node.VerifyCertificate(cmd.Context(), n.Chain, b)
				if err == nil {
					out = erasureVerifyJSON(c)
				}
				return err
			})
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "certificate valid: %v keys destroyed, %v peer acknowledgements, %v pending, deletion record in block %v (tx %v)\n",
					out["keysDestroyed"], out["acks"], out["pendingCount"], out["block"], out["tx"])
			})
		},
	}
	cmd.AddCommand(verify)
	return cmd
}

// erasureVerifyJSON is the result of a certificate verification (CLI --json
// and POST /v1/erasures/verify).
func erasureVerifyJSON(c *erasure.Certificate) map[string]any {
	return map[string]any{"valid": true, "erasureId": c.ErasureID, "subjectTag": c.SubjectTag, "keysDestroyed": len(c.KeyIDs), "acks": len(c.Acks),
		"pending": c.Pending, "pendingCount": len(c.Pending), "tx": c.Chain.TxHash, "block": c.Chain.Block}
}

// membersJSON lists consortium members (CLI --json and GET /v1/members).
func membersJSON(ms []pointers.Member) []map[string]any {
	out := []map[string]any{}
	for _, m := range ms {
		out = append(out, map[string]any{"account": m.Account.Hex(), "active": m.Active, "peerId": peerString(m.PeerID), "proxyKey": hex.EncodeToString(m.ProxyKey)})
	}
	return out
}

func newMemberCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "member", Short: "consortium membership (admins)"}
	var account, peerID, proxyKey string
	add := &cobra.Command{
		Use:   "add --account ADDR --peer-id ID --proxy-key HEX",
		Short: "admit a new member: fund its chain account and record it on-chain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if account == "" || peerID == "" || proxyKey == "" {
				return usagef("--account, --peer-id and --proxy-key are required (printed by the new member's `vaultnode init`)")
			}
			if g.api != "" {
				b, _ := json.Marshal(map[string]string{"account": account, "peerId": peerID, "proxyKey": proxyKey})
				if err := apiCall(cmd, g, "operator", "POST", "/v1/members", "application/json", bytes.NewReader(b), nil); err != nil {
					return err
				}
				return g.out(cmd.OutOrStdout(), map[string]any{"account": account, "peerId": peerID, "member": true},
					func(w io.Writer) { fmt.Fprintf(w, "member %s (%s) added\n", account, peerID) })
			}
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			if err := node.Admit(cmd.Context(), n, account, peerID, proxyKey, etherWei(100)); err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), map[string]any{"account": account, "peerId": peerID, "member": true},
				func(w io.Writer) { fmt.Fprintf(w, "member %s (%s) added\n", account, peerID) })
		},
	}
	add.Flags().StringVar(&account, "account", "", "the member's chain account")
	add.Flags().StringVar(&peerID, "peer-id", "", "the member's libp2p peer id")
	add.Flags().StringVar(&proxyKey, "proxy-key", "", "the member's proxy public key (hex)")
	list := &cobra.Command{
		Use:   "list",
		Short: "list consortium members",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return listVia(cmd, g, "/v1/members", func(ctx context.Context, n *node.Node) (any, error) {
				ms, err := n.Chain.Members(ctx)
				return membersJSON(ms), err
			}, func(m map[string]any) string {
				return fmt.Sprintf("%v  active=%v  %v", m["account"], m["active"], m["peerId"])
			})
		},
	}
	cmd.AddCommand(add, list)
	return cmd
}

// viaAPIOrRepo runs a client command through the daemon's API (remote)
// when one serves the repo (--api, or daemon.json), else on the repo
// directly (local, with the node opened as g.open(cmd, chain) does).
func viaAPIOrRepo(cmd *cobra.Command, g *globals, chain bool, remote func() error, local func(*node.Node) error) error {
	if g.api != "" {
		return remote()
	}
	n, err := g.open(cmd, chain)
	if err != nil {
		return err
	}
	defer n.Close()
	return local(n)
}

// listVia runs a list command: through the daemon's API (GET path, operator
// token) when one serves the repo, else on the repo directly, where local
// returns the same JSON objects the API would. Both are printed the same
// way: as JSON with --json, else one line per item.
func listVia(cmd *cobra.Command, g *globals, path string, local func(context.Context, *node.Node) (any, error), line func(map[string]any) string) error {
	var out []map[string]any
	err := viaAPIOrRepo(cmd, g, true, func() error {
		return apiCall(cmd, g, "operator", "GET", path, "", nil, &out)
	}, func(n *node.Node) error {
		items, err := local(cmd.Context(), n)
		if err != nil {
			return err
		}
		// Through JSON, so the lines are printed from what --json shows.
		b, err := json.Marshal(items)
		if err != nil {
			return err
		}
		return json.Unmarshal(b, &out)
	})
	if err != nil {
		return err
	}
	if out == nil {
		out = []map[string]any{}
	}
	return g.out(cmd.OutOrStdout(), out, func(w io.Writer) {
		for _, m := range out {
			fmt.Fprintln(w, line(m))
		}
	})
}

// asList is v as a JSON array ([]any), or nil.
func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
