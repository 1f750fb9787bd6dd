package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// BackupPassphraseEnv holds the passphrase of a backup when no
// --backup-key-file is given.
const BackupPassphraseEnv = "VAULTNODE_BACKUP_PASSPHRASE"

func backupSecret(keyFile string) (node.BackupSecret, error) {
	if keyFile != "" {
		return node.BackupKeyFile(keyFile)
	}
	p := os.Getenv(BackupPassphraseEnv)
	if p == "" {
		return node.BackupSecret{}, usagef("a backup needs a secret: --backup-key-file FILE or $%s", BackupPassphraseEnv)
	}
	a, err := node.Argon2FromEnv()
	if err != nil {
		return node.BackupSecret{}, err
	}
	return node.BackupPassphrase([]byte(p), a), nil
}

func newBackupCmd(g *globals) *cobra.Command {
	var out, keyFile string
	cmd := &cobra.Command{
		Use:   "backup --out FILE [--backup-key-file K]",
		Short: "write an encrypted backup of the repo (keystore without erased patients, config, tokens, logs, chain journal, ciphertext blocks)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("--out FILE is required")
			}
			s, err := backupSecret(keyFile)
			if err != nil {
				return err
			}
			defer s.Wipe()
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			if abs, _ := filepath.Abs(out); isUnder(abs, n.Dir) {
				return usagef("--out must be outside the repo")
			}
			tmp := out + ".tmp"
			f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			res, err := n.Backup(cmd.Context(), f, s)
			if err == nil {
				err = f.Sync()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp, out)
			}
			if err != nil {
				os.Remove(tmp)
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "backup %s: %d patients, %d streams, %d devices, %d destruction records, %d repo files, %d bytes\n",
					out, res.Keystore.Patients, res.Keystore.Streams, res.Keystore.Devices, res.Keystore.Destroyed, res.Files, res.Bytes)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "backup file to write")
	cmd.Flags().StringVar(&keyFile, "backup-key-file", "", "protect the backup with this key file (else $"+BackupPassphraseEnv+")")
	return cmd
}

func isUnder(p, dir string) bool {
	d, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !filepath.IsAbs(rel) && (len(rel) < 3 || rel[:3] != "../")
}

func newRestoreCmd(g *globals) *cobra.Command {
	var keyFile string
	var keysOnly bool
	cmd := &cobra.Command{
		Use:   "restore FILE [--keys-only] [--backup-key-file K]",
		Short: "restore a backup into --repo (a new directory), or only its keystore (--keys-only); patients erased on-chain are never restored",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.repoDir()
			if err != nil {
				return err
			}
			if daemonRunning(dir) {
				return fmt.Errorf("a daemon is running on %s: stop it before restoring", dir)
			}
			s, err := backupSecret(keyFile)
			if err != nil {
				return err
			}
			defer s.Wipe()
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			a, err := node.Argon2FromEnv()
			if err != nil {
				return err
			}
			res, err := node.Restore(cmd.Context(), dir, f, s, node.RestoreOptions{KeysOnly: keysOnly, Argon2: a, Logger: g.logger(cmd.ErrOrStderr(), slog.LevelWarn)})
			if err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "restored %s (peer %s): %d patients, %d streams, %d devices, %d repo files; %d patient(s) erased on-chain left out\n",
					res.Dir, res.PeerID, res.Keystore.Patients, res.Keystore.Streams, res.Keystore.Devices, res.Files, res.ErasedSkipped)
			})
		},
	}
	cmd.Flags().StringVar(&keyFile, "backup-key-file", "", "the backup's key file (else $"+BackupPassphraseEnv+")")
	cmd.Flags().BoolVar(&keysOnly, "keys-only", false, "import only the keystore into the existing repo (recovery of a lost keystore)")
	return cmd
}

// NewPassphraseEnv holds the new passphrase for `keys rotate` without
// --new-key-file.
const NewPassphraseEnv = "VAULTNODE_NEW_PASSPHRASE"

func newKeysCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "the node's keystore: master-key rotation"}
	var newKeyFile string
	rotate := &cobra.Command{
		Use:   "rotate [--new-key-file FILE]",
		Short: "re-protect the keystore under a new master key: a new key file (created if missing) or $" + NewPassphraseEnv,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var cred keys.Credential
			abs := ""
			if newKeyFile != "" {
				var err error
				if abs, err = filepath.Abs(newKeyFile); err != nil {
					return err
				}
				if _, err := os.Stat(abs); os.IsNotExist(err) {
					if err := keys.GenerateKeyFile(abs, randReader()); err != nil {
						return err
					}
				}
				if cred, err = keys.KeyFile(abs); err != nil {
					return err
				}
			} else {
				p := os.Getenv(NewPassphraseEnv)
				if p == "" {
					return usagef("give --new-key-file FILE or the new passphrase in $%s", NewPassphraseEnv)
				}
				cred = keys.Passphrase([]byte(p))
			}
			defer cred.Wipe()
			n, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer n.Close()
			if err := n.RotateMasterKey(cmd.Context(), cred, abs); err != nil {
				return err
			}
			return g.out(cmd.OutOrStdout(), map[string]any{"rotated": true, "keyFile": abs}, func(w io.Writer) {
				if abs != "" {
					fmt.Fprintf(w, "keystore master key rotated: it now opens with the key file %s (the old credential no longer does)\n", abs)
				} else {
					fmt.Fprintf(w, "keystore master key rotated: it now opens with the new passphrase; set $VAULTNODE_PASSPHRASE to it (the old one no longer works)\n")
				}
			})
		},
	}
	rotate.Flags().StringVar(&newKeyFile, "new-key-file", "", "protect the keystore with this key file from now on (created if missing)")
	cmd.AddCommand(rotate)
	return cmd
}
