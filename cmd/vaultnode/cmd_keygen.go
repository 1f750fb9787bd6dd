package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/service"
)

func newKeygenCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:         "keygen --out FILE",
		Short:       "create a clinician's key pair (PRE + signing key) in FILE; prints the public key",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fault.Usagef("--out FILE is required")
			}
			pub, err := service.NewGranteeKey(out)
			if err != nil {
				return err
			}
			h := pub.Hash()
			return g.out(cmd.OutOrStdout(), map[string]any{"file": out, "public": hex.EncodeToString(pub.Bytes()), "keyHash": hex.EncodeToString(h[:])},
				func(w io.Writer) { fmt.Fprintln(w, hex.EncodeToString(pub.Bytes())) })
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "key file to create (mode 0600, never overwritten)")
	return cmd
}
