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
	var out, pub, passFile, seal string
	cmd := &cobra.Command{
		Use:   "keygen --out FILE [--pub FILE] [--passphrase-file FILE] | keygen --seal OLDFILE",
		Short: "create a clinician's key pair: the secret sealed in FILE (passphrase from $VAULTNODE_KEY_PASSPHRASE or --passphrase-file), the public key in FILE.pub; prints the public key",
		Long: `keygen creates a clinician's key pair (PRE key and signing key). The secret keys are sealed in the
--out file (mode 0600) under a passphrase stretched with Argon2id, read from $VAULTNODE_KEY_PASSPHRASE or from
the file given by --passphrase-file (never from the command line). The public key goes to a separate file
(--pub, default: the --out name with .pub for .key): that file, or the hex it holds, is what 'grant --to' takes.

keygen --seal FILE seals a key file written in clear by an older vaultnode, in place, and writes its .pub.`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{repoOnly: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (out == "") == (seal == "") {
				return fault.Usagef("--out FILE is required (or --seal FILE to seal an old clear key file)")
			}
			req := service.GranteeKeyRequest{Out: out, Pub: pub, PassphraseFile: passFile}
			f := service.NewGranteeKey
			if seal != "" {
				req.Out, f = seal, service.SealGranteeKey
			}
			if req.Pub == "" {
				req.Pub = service.PublicKeyPath(req.Out)
			}
			k, err := f(req)
			if err != nil {
				return err
			}
			h := k.Hash()
			return g.out(cmd.OutOrStdout(), map[string]any{"file": req.Out, "publicFile": req.Pub, "public": hex.EncodeToString(k.Bytes()), "keyHash": hex.EncodeToString(h[:])},
				func(w io.Writer) { fmt.Fprintln(w, hex.EncodeToString(k.Bytes())) })
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "sealed key file to create (mode 0600, never overwritten)")
	cmd.Flags().StringVar(&pub, "pub", "", "public key file to write (default: the key file's name with .pub for .key)")
	cmd.Flags().StringVar(&passFile, "passphrase-file", "", "read the sealing passphrase from FILE (default $VAULTNODE_KEY_PASSPHRASE)")
	cmd.Flags().StringVar(&seal, "seal", "", "seal an existing clear clinician key file in place (migration from before sealed key files)")
	return cmd
}
