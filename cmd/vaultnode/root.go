package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/client"
	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

// globals are the global flags (docs/PRODUCT.md §4).
type globals struct {
	repo     string
	api      string
	apiCert  string
	json     bool
	logLevel string
	logJSON  bool
}

func (g *globals) repoDir() (string, error) {
	if g.repo != "" {
		return g.repo, nil
	}
	if v := os.Getenv("VAULTNODE_REPO"); v != "" {
		return v, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no --repo, no $VAULTNODE_REPO and no home directory: %w", err)
	}
	return filepath.Join(home, ".vaultnode"), nil
}

// inRepo is the RunE of a command that works on the repo directory itself:
// f runs with that directory.
func (g *globals) inRepo(f func(cmd *cobra.Command, dir string, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		dir, err := g.repoDir()
		if err != nil {
			return err
		}
		return f(cmd, dir, args)
	}
}

// logger returns the process logger: text (or JSON with --log-json) on
// stderr at --log-level (default def).
func (g *globals) logger(w io.Writer, def slog.Level) *slog.Logger {
	lvl := def
	if g.logLevel != "" {
		_ = lvl.UnmarshalText([]byte(g.logLevel))
	}
	o := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewTextHandler(w, o)
	if g.logJSON {
		h = slog.NewJSONHandler(w, o)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}

// out prints v as JSON with --json, else the text from text().
func (g *globals) out(w io.Writer, v any, text func(io.Writer)) error {
	if g.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	if text != nil {
		text(w)
	}
	return nil
}

// service is the node's service for cmd: the daemon's API when one serves
// the repo (--api, or the repo's daemon.json), else the repo itself, opened
// without the p2p network when offline. The caller closes it.
func (g *globals) service(cmd *cobra.Command, offline bool) (service.Service, error) {
	dir, dirErr := g.repoDir()
	if g.api != "" {
		cert := g.apiCert
		if cert == "" {
			cert = os.Getenv(service.APICertEnv)
		}
		if cert == "" && dirErr == nil && service.RunningAPI(dir) == client.BaseURL(g.api) {
			cert = service.RunningAPICert(dir) // the repo's own daemon
		}
		return client.New(g.api, func(role string) string { return service.Token(dir, role) }, client.PinCert(cert))
	}
	if dirErr != nil {
		return nil, dirErr
	}
	return service.OpenLocal(cmd.Context(), dir, cmd.CommandPath(), service.OpenOptions{Logger: g.logger(cmd.ErrOrStderr(), slog.LevelWarn), Offline: offline})
}

// withService runs f on the service for cmd and closes it.
func (g *globals) withService(cmd *cobra.Command, offline bool, f func(service.Service) error) error {
	svc, err := g.service(cmd, offline)
	if err != nil {
		return err
	}
	defer svc.Close()
	return f(svc)
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "vaultnode",
		Short:         "Encrypted medical-device readings on IPFS-compatible storage, threshold re-encryption, on-chain pointers",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		// A daemon running on the repo: client commands talk to its API.
		if g.api != "" || cmd.Annotations[repoOnly] != "" {
			return
		}
		if dir, err := g.repoDir(); err == nil {
			g.api = service.RunningAPI(dir)
			if g.apiCert == "" {
				g.apiCert = service.RunningAPICert(dir)
			}
		}
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return fault.AsUsage(err) })
	pf := root.PersistentFlags()
	pf.StringVar(&g.repo, "repo", "", "repo directory (default $VAULTNODE_REPO, else ~/.vaultnode)")
	pf.StringVar(&g.api, "api", "", "a running daemon's HTTP API, as a URL (https://127.0.0.1:5780) or a multiaddr (/ip4/127.0.0.1/tcp/5780/https)")
	pf.StringVar(&g.apiCert, "api-cert", "", "the API's certificate to pin for --api https://… (the daemon repo's api.crt; default $VAULTNODE_API_CERT, else the system's roots)")
	pf.BoolVar(&g.json, "json", false, "machine-readable JSON output")
	pf.StringVar(&g.logLevel, "log-level", "", "log level: debug, info, warn, error")
	pf.BoolVar(&g.logJSON, "log-json", false, "logs as JSON lines on stderr")
	root.AddCommand(newInitCmd(g), newDaemonCmd(g), newDemoCmd(g), newDeviceCmd(g), newPatientCmd(g), newIngestCmd(g),
		newGrantCmd(g), newRevokeCmd(g), newKeygenCmd(g), newFetchCmd(g), newEraseCmd(g), newErasureCmd(g), newClaimCmd(g), newRecallCmd(g), newManufacturerCmd(g), newAuditCmd(g),
		newVerifyCmd(g), newMemberCmd(g), newConsentCmd(g), newDisclosuresCmd(g), newBackupCmd(g), newRestoreCmd(g),
		newKeysCmd(g), newIDCmd(g), newVersionCmd(g), newTokenCmd(g))
	// Unknown subcommands and bad positional arguments are usage errors.
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

// repoOnly annotates a command that never goes through a running daemon.
const repoOnly = "repo-only"

func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		orig := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			return fault.AsUsage(orig(cmd, args))
		}
	}
	if c.RunE == nil && c.Run == nil && c.HasSubCommands() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fault.Usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error {
			var names []string
			for _, s := range cmd.Commands() {
				names = append(names, s.Name())
			}
			return fault.Usagef("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(names, ", "))
		}
	}
	for _, s := range c.Commands() {
		wrapArgs(s)
	}
}

// input is the file named by args[0], or stdin for none or "-".
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

// orDash is s, or "-" for nothing.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
