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
)

// globals are the global flags (SPEC §4).
type globals struct {
	repo     string
	api      string
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
		if g.api != "" || cmd.Name() == "daemon" || cmd.Name() == "demo" {
			return
		}
		if dir, err := g.repoDir(); err == nil {
			g.api = runningAPI(dir)
		}
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.repo, "repo", "", "repo directory (default $VAULTNODE_REPO, else ~/.vaultnode)")
	pf.StringVar(&g.api, "api", "", "URL of a running daemon's HTTP API (client commands)")
	pf.BoolVar(&g.json, "json", false, "machine-readable JSON output")
	pf.StringVar(&g.logLevel, "log-level", "", "log level: debug, info, warn, error")
	pf.BoolVar(&g.logJSON, "log-json", false, "logs as JSON lines on stderr")
	root.AddCommand(newDemoCmd(g))
	addCommands(root, g)
	addEcosystemCommands(root, g)
	// Unknown subcommands and bad positional arguments are usage errors.
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		orig := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := orig(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	if c.RunE == nil && c.Run == nil && c.HasSubCommands() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error {
			return usagef("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(subNames(cmd), ", "))
		}
	}
	for _, s := range c.Commands() {
		wrapArgs(s)
	}
}

func subNames(c *cobra.Command) []string {
	var out []string
	for _, s := range c.Commands() {
		out = append(out, s.Name())
	}
	return out
}
