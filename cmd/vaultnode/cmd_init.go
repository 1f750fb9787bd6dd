package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/service"
)

func newInitCmd(g *globals) *cobra.Command {
	var r service.InitRequest
	var listen string
	cmd := &cobra.Command{
		Use:         "init [--chain-rpc URL[,URL...] [--contracts FILE]]",
		Short:       "create a repo: config, node identity, keystore, chain",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: g.inRepo(func(cmd *cobra.Command, dir string, _ []string) error {
			if listen != "" {
				r.Listen = strings.Split(listen, ",")
			}
			r.Logger = g.logger(cmd.ErrOrStderr(), slog.LevelWarn)
			res, err := service.Init(cmd.Context(), dir, r)
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) { printInit(w, res, r) })
		}),
	}
	f := cmd.Flags()
	f.StringVar(&r.ChainRPC, "chain-rpc", "", "use these EVM JSON-RPC endpoints (comma-separated, own chain node first; the node fails over between them) instead of the embedded chain")
	f.StringVar(&r.ContractsFile, "contracts", "", "contracts.json of an existing deployment to join (with --chain-rpc)")
	f.StringVar(&r.KeyFile, "key-file", "", "protect the keystore with this key file (created if missing) instead of $VAULTNODE_PASSPHRASE")
	f.StringVar(&listen, "listen", "", "p2p listen multiaddrs, comma-separated (default /ip4/127.0.0.1/tcp/4771)")
	f.StringVar(&r.APIAddr, "api-addr", "", "HTTP API listen address (default 127.0.0.1:5780)")
	f.StringArrayVar(&r.Bootstrap, "bootstrap", nil, "a member to dial at start (multiaddr ending in /p2p/<peer id>); repeatable")
	f.StringVar(&r.ServeRPC, "serve-rpc", "", "embedded chain: serve JSON-RPC on this loopback address (for a second daemon)")
	return cmd
}

func printInit(w io.Writer, res *service.InitResult, r service.InitRequest) {
	fmt.Fprintf(w, "initialised vaultnode repo %s\n", res.Dir)
	fmt.Fprintf(w, "peer id        %s\nchain account  %s\nproxy key      %s\n", res.PeerID, res.Account, res.ProxyKey)
	fmt.Fprintf(w, "API tokens (keep them secret) in %s\n", filepath.Dir(firstValue(res.Tokens)))
	if join := service.JoinCommand(res, r.ChainRPC != "" && r.ContractsFile != ""); join != "" {
		fmt.Fprintf(w, "to join the consortium, an admin runs on the admin's node (adding --repo DIR when that repo is not the default):\n  %s\n", join)
	}
}

// firstValue is one value of m ("" for an empty map).
func firstValue(m map[string]string) string {
	for _, v := range m {
		return v
	}
	return ""
}
