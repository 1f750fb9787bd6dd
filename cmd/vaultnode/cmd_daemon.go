package main

import (
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/daemon"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newDaemonCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:         "daemon",
		Short:       "run a storage peer: libp2p, bitswap, replication, proxy, chain watcher, HTTP API",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, _ []string) error {
			lvl, format, err := service.LogSettings(dir)
			if err != nil {
				return err
			}
			if g.logLevel == "" {
				g.logLevel = lvl
			}
			g.logJSON = g.logJSON || format == "json"
			lg := g.logger(cmd.ErrOrStderr(), slog.LevelInfo)
			return daemon.Run(cmd.Context(), dir, daemon.Options{Logger: lg, Out: cmd.OutOrStdout(), JSON: g.json})
		}),
	}
}
