package service

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// Environment variables the repo-level operations read.
const (
	// BackupPassphraseEnv holds a backup's passphrase when no backup key
	// file is given.
	BackupPassphraseEnv = "VAULTNODE_BACKUP_PASSPHRASE"
	// NewPassphraseEnv holds the new keystore passphrase for a master-key
	// rotation without a new key file.
	NewPassphraseEnv = "VAULTNODE_NEW_PASSPHRASE"
	// TokenEnv, when set, is the API token a client sends, whatever the role.
	TokenEnv = "VAULTNODE_TOKEN"
)

// daemonInfo is what a running daemon writes to its repo's daemon.json.
type daemonInfo struct {
	PID      int      `json:"pid"`
	API      string   `json:"api"`
	Addrs    []string `json:"addrs"`
	PeerID   string   `json:"peerId"`
	ChainRPC string   `json:"chainRpc,omitempty"`
	APICert  string   `json:"apiCert,omitempty"`
}

func readDaemonInfo(dir string) (daemonInfo, bool) {
	var d daemonInfo
	b, err := os.ReadFile(filepath.Join(dir, node.DaemonFile))
	if err != nil || json.Unmarshal(b, &d) != nil || d.PID <= 0 || syscall.Kill(d.PID, 0) != nil {
		return daemonInfo{}, false
	}
	return d, true
}

// RunningAPI is the API URL of a daemon running on the repo in dir, or "".
func RunningAPI(dir string) string {
	d, _ := readDaemonInfo(dir)
	return d.API
}

// RunningAPICert is the certificate file a client of the daemon running on
// the repo in dir pins (its https API), or "".
func RunningAPICert(dir string) string {
	d, _ := readDaemonInfo(dir)
	return d.APICert
}

// APICertEnv names the certificate file to pin for --api (as --api-cert).
const APICertEnv = "VAULTNODE_API_CERT"

// DaemonRunning reports whether a daemon runs on the repo in dir.
func DaemonRunning(dir string) bool {
	_, ok := readDaemonInfo(dir)
	return ok
}

// Token is the API token a client of the repo in dir sends for role:
// $VAULTNODE_TOKEN, else the repo's token file for the role, else "".
func Token(dir, role string) string {
	if t := os.Getenv(TokenEnv); t != "" {
		return t
	}
	if dir == "" {
		return ""
	}
	t, _ := node.ReadToken(dir, role)
	return t
}

// InitRequest says how to create a repo.
type InitRequest struct {
	ChainRPC      string   // external chain endpoint; "" for the embedded chain
	ContractsFile string   // contracts.json of a deployment to join (with ChainRPC)
	KeyFile       string   // protect the keystore with this key file instead of a passphrase
	Listen        []string // p2p listen multiaddrs (default: the config's)
	APIAddr       string
	ServeRPC      string // embedded chain: serve JSON-RPC here
	Bootstrap     []string
	Logger        *slog.Logger
}

// Init creates a repo in dir (see node.Init).
func Init(ctx context.Context, dir string, r InitRequest) (*InitResult, error) {
	c := node.DefaultConfig()
	c.Chain.RPC = r.ChainRPC
	if r.ServeRPC != "" {
		c.Chain.ServeRPC = r.ServeRPC
	}
	if len(r.Listen) > 0 {
		c.P2P.Listen = r.Listen
	}
	if r.APIAddr != "" {
		c.API.Addr = r.APIAddr
	}
	c.P2P.Bootstrap = r.Bootstrap
	if r.ContractsFile != "" {
		if r.ChainRPC == "" {
			return nil, fault.Usagef("a contracts file needs the chain's RPC endpoint (--chain-rpc)")
		}
		b, err := os.ReadFile(r.ContractsFile)
		if err != nil {
			return nil, fmt.Errorf("contracts file: %w", err)
		}
		a, err := pointers.ParseAddresses(b)
		if err != nil {
			return nil, fault.AsUsage(fmt.Errorf("contracts file %s: %w", r.ContractsFile, err))
		}
		c.Chain.Contracts = &a
	}
	a2, err := node.Argon2FromEnv()
	if err != nil {
		return nil, fault.AsUsage(err)
	}
	return node.Init(ctx, dir, node.InitOptions{Config: c, KeyFile: r.KeyFile, Argon2: a2, Logger: r.Logger})
}

// JoinCommand is the command an admin of the consortium runs on the admin's
// node to admit the node init created, for a node that joined an existing
// deployment ("" for a node that deployed its own contracts).
func JoinCommand(res *InitResult, joined bool) string {
	if !joined {
		return ""
	}
	return fmt.Sprintf("vaultnode member add --account %s --peer-id %s --proxy-key %s", res.Account, res.PeerID, res.ProxyKey)
}

// BackupSecret is the secret protecting a backup: the key file when given,
// else the passphrase in $VAULTNODE_BACKUP_PASSPHRASE.
func BackupSecret(keyFile string) (node.BackupSecret, error) {
	if keyFile != "" {
		return node.BackupKeyFile(keyFile)
	}
	p := os.Getenv(BackupPassphraseEnv)
	if p == "" {
		return node.BackupSecret{}, fault.Usagef("a backup needs a secret: --backup-key-file FILE or $%s", BackupPassphraseEnv)
	}
	a, err := node.Argon2FromEnv()
	if err != nil {
		return node.BackupSecret{}, fault.AsUsage(err)
	}
	return node.BackupPassphrase([]byte(p), a), nil
}

// Backup writes an encrypted backup of the repo in dir to out (a file
// outside the repo, created whole or not at all).
func Backup(ctx context.Context, dir, out, keyFile string, lg *slog.Logger) (*BackupResult, error) {
	s, err := BackupSecret(keyFile)
	if err != nil {
		return nil, err
	}
	defer s.Wipe()
	if abs, _ := filepath.Abs(out); isUnder(abs, dir) {
		return nil, fault.Usagef("the backup file must be outside the repo")
	}
	l, err := OpenLocal(ctx, dir, "backup", OpenOptions{Logger: lg, Offline: true})
	if err != nil {
		return nil, err
	}
	defer l.Close()
	var res *BackupResult
	err = atomicfile.WriteFrom(out, 0o600, func(w io.Writer) error {
		var err error
		res, err = l.N.Backup(ctx, w, s)
		return err
	})
	return res, err
}

func isUnder(p, dir string) bool {
	d, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !filepath.IsAbs(rel) && !strings.HasPrefix(rel, "../")
}

// Restore restores the backup in file into dir (a new repo), or only its
// keystore into the repo in dir (keysOnly).
func Restore(ctx context.Context, dir, file, keyFile string, keysOnly, skipErasureSync bool, lg *slog.Logger) (*RestoreResult, error) {
	if DaemonRunning(dir) {
		return nil, fmt.Errorf("a daemon is running on %s: stop it before restoring", dir)
	}
	s, err := BackupSecret(keyFile)
	if err != nil {
		return nil, err
	}
	defer s.Wipe()
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := node.Argon2FromEnv()
	if err != nil {
		return nil, fault.AsUsage(err)
	}
	return node.Restore(ctx, dir, f, s, node.RestoreOptions{KeysOnly: keysOnly, SkipErasureSync: skipErasureSync, Argon2: a, Logger: lg})
}

// RotateMasterKey re-protects the keystore of the repo in dir under a new
// key file (created if missing; its absolute path is returned) or, without
// one, the passphrase in $VAULTNODE_NEW_PASSPHRASE ("" is returned).
func RotateMasterKey(ctx context.Context, dir, newKeyFile string, lg *slog.Logger) (string, error) {
	var cred keys.Credential
	abs := ""
	if newKeyFile != "" {
		var err error
		if abs, err = filepath.Abs(newKeyFile); err != nil {
			return "", err
		}
		if _, err := os.Stat(abs); errors.Is(err, os.ErrNotExist) {
			if err := keys.GenerateKeyFile(abs, rand.Reader); err != nil {
				return "", err
			}
		}
		if cred, err = keys.KeyFile(abs); err != nil {
			return "", err
		}
	} else {
		p := os.Getenv(NewPassphraseEnv)
		if p == "" {
			return "", fault.Usagef("give --new-key-file FILE or the new passphrase in $%s", NewPassphraseEnv)
		}
		cred = keys.Passphrase([]byte(p))
	}
	defer cred.Wipe()
	l, err := OpenLocal(ctx, dir, "keys rotate", OpenOptions{Logger: lg, Offline: true})
	if err != nil {
		return "", err
	}
	defer l.Close()
	return abs, l.N.RotateMasterKey(ctx, cred, abs)
}

// VerifyDisclosures checks every disclosure of an accounting-of-disclosures
// report against the on-chain audit anchors, through the chain of the repo
// in dir. A disclosure that does not check is a result with Proven false
// and the error is an integrity failure.
func VerifyDisclosures(ctx context.Context, dir string, report []byte, lg *slog.Logger) ([]DisclosureCheck, error) {
	var rep node.DisclosureReport
	dec := json.NewDecoder(bytes.NewReader(report))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("%w: not an accounting of disclosures: %v", node.ErrBadInput, err)
	}
	l, err := OpenLocal(ctx, dir, "disclosures verify", OpenOptions{Logger: lg, Offline: true})
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return node.VerifyDisclosures(ctx, l.N.Chain, &rep)
}

// deviceKeyFile is the file `device enroll --out` writes for the device.
type deviceKeyFile struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	Device  string `json:"device"`
	Seed    string `json:"seed"`
}

const deviceKeyKind = "vaultnode-device-key"

// WriteDeviceKey writes a device's private key to path (mode 0600), refusing
// to overwrite a file.
func WriteDeviceKey(path, device string, priv ed25519.PrivateKey) error {
	kf := deviceKeyFile{Version: 1, Kind: deviceKeyKind, Device: device, Seed: hex.EncodeToString(priv.Seed())}
	b, _ := json.MarshalIndent(kf, "", "  ")
	defer clear(b)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write device key: %w", err)
	}
	if _, err = f.Write(append(b, '\n')); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write device key: %w", err)
	}
	return nil
}

// ReadDeviceKey reads a device key file: the device id and its private key
// (the caller wipes it).
func ReadDeviceKey(path string) (string, ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("device key: %w", err)
	}
	defer clear(b)
	var kf deviceKeyFile
	if json.Unmarshal(b, &kf) != nil || kf.Kind != deviceKeyKind {
		return "", nil, fmt.Errorf("%w: %s is not a vaultnode device key file", node.ErrBadInput, path)
	}
	seed, err := hex.DecodeString(kf.Seed)
	if err != nil || len(seed) != ed25519.SeedSize {
		return "", nil, fmt.Errorf("%w: %s: malformed key", node.ErrBadInput, path)
	}
	defer clear(seed)
	return kf.Device, ed25519.NewKeyFromSeed(seed), nil
}

// Firmware is what a device declares about the firmware that produced a batch.
type Firmware = node.Firmware

// ParseFirmware reads a firmware declaration for `device sign`: the version and the image's SHA-256 (hex);
// both empty is no declaration (nil).
func ParseFirmware(version, imageHex string) (*Firmware, error) {
	if version == "" && imageHex == "" {
		return nil, nil
	}
	img, err := hex.DecodeString(imageHex)
	if version == "" || err != nil || len(img) != 32 {
		return nil, fault.Usagef("a firmware declaration takes --firmware VERSION and --image-sha256 HEX (64 hex digits), both")
	}
	return &Firmware{Version: version, Image: [32]byte(img)}, nil
}

// SignedLines is a JSON-lines batch signed with a device key, declaring the
// firmware that produced it when fw is not nil: the lines (blank ones
// dropped) followed by the signature line, and the signature.
func SignedLines(priv ed25519.PrivateKey, device string, fw *Firmware, raw []byte) (batch []byte, sig string, count int) {
	var lines [][]byte
	for _, l := range bytes.Split(raw, []byte("\n")) {
		l = bytes.TrimRight(l, "\r")
		if len(bytes.TrimSpace(l)) > 0 {
			lines = append(lines, l)
		}
	}
	batch = node.SignedBatchFirmware(priv, device, fw, lines)
	last := bytes.TrimSpace(batch[bytes.LastIndexByte(bytes.TrimRight(batch, "\n"), '\n')+1:])
	var sl struct{ Sig string }
	_ = json.Unmarshal(last, &sl)
	return batch, sl.Sig, len(lines)
}

// SignFHIR is a device's base64 signature over a FHIR document, as
// IngestFHIR checks it.
func SignFHIR(priv ed25519.PrivateKey, device string, fw *Firmware, doc []byte) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(priv, node.FHIRMessage(device, fw, doc)))
}

// FirmwareHeader is the X-Vaultnode-Firmware value declaring fw beside a FHIR document: the version and the
// image's SHA-256 (hex), separated by a space.
func FirmwareHeader(fw *Firmware) string { return node.FirmwareHeader(fw) }

// GranteeKeyRequest says where keygen writes a clinician's key pair and how
// the key file is sealed.
type GranteeKeyRequest struct {
	Out            string // the sealed secret key file (mode 0600, never overwritten)
	Pub            string // the public key file; "" for Out with .pub for .key
	PassphraseFile string // read the passphrase from this file; "" for $VAULTNODE_KEY_PASSPHRASE
}

// GranteeCredential is the passphrase sealing a clinician's key file: the
// contents of passphraseFile (one trailing newline dropped) when given, else
// $VAULTNODE_KEY_PASSPHRASE. Never a flag value. The caller wipes it.
func GranteeCredential(passphraseFile string) (keys.Credential, error) {
	return KeyFileCredential(passphraseFile, "a clinician key file")
}

// KeyFileCredential is the passphrase sealing a key file (what names it in
// the error when none is given): the contents of passphraseFile (one
// trailing newline dropped) when given, else $VAULTNODE_KEY_PASSPHRASE.
// Never a flag value. The caller wipes it.
func KeyFileCredential(passphraseFile, what string) (keys.Credential, error) {
	var p []byte
	if passphraseFile != "" {
		b, err := os.ReadFile(passphraseFile)
		if err != nil {
			return keys.Credential{}, fault.AsUsage(fmt.Errorf("--passphrase-file: %w", err))
		}
		p = bytes.TrimRight(b, "\r\n")
		defer clear(b)
	} else {
		p = []byte(os.Getenv(node.GranteePassphraseEnv))
		defer clear(p)
	}
	if len(p) == 0 {
		return keys.Credential{}, fault.Usagef("%s is sealed with a passphrase: set $%s or give --passphrase-file FILE", what, node.GranteePassphraseEnv)
	}
	return keys.Passphrase(p), nil
}

// NewGranteeKey creates a clinician's key pair: the secret sealed in r.Out,
// the public key in r.Pub; it returns the public key.
func NewGranteeKey(r GranteeKeyRequest) (GranteeKey, error) {
	return withGranteeSealing(r, node.WriteGranteeKey)
}

// SealGranteeKey seals a clinician key file written in clear by an older
// vaultnode, in place, and writes its public key file.
func SealGranteeKey(r GranteeKeyRequest) (GranteeKey, error) {
	return withGranteeSealing(r, node.SealGranteeKeyFile)
}

// withGranteeSealing runs write with r's files, the passphrase credential
// (wiped afterwards) and the Argon2 parameters a sealed key file uses.
func withGranteeSealing(r GranteeKeyRequest, write func(out, pub string, cred keys.Credential, a keys.Argon2Params) (GranteeKey, error)) (GranteeKey, error) {
	cred, err := GranteeCredential(r.PassphraseFile)
	if err != nil {
		return GranteeKey{}, err
	}
	defer cred.Wipe()
	a, err := node.Argon2FromEnv()
	if err != nil {
		return GranteeKey{}, fault.AsUsage(err)
	}
	return write(r.Out, r.Pub, cred, a)
}

// ReadGranteeKey opens a clinician's sealed key file with the passphrase of
// GranteeCredential (the caller wipes the keys).
func ReadGranteeKey(path, passphraseFile string) (*Grantee, error) {
	cred, err := GranteeCredential(passphraseFile)
	if err != nil {
		return nil, err
	}
	defer cred.Wipe()
	return node.ReadGranteeKey(path, cred)
}

// PublicKeyPath is the public key file keygen writes next to a key file.
func PublicKeyPath(keyFile string) string { return node.PublicKeyPath(keyFile) }

// ParseGranteePublic reads a clinician's public key: hex, or their public
// key file (a secret key file is refused).
func ParseGranteePublic(s string) (GranteeKey, error) { return node.ParseGranteePublic(s) }

// ParseTicket reads a grant ticket.
func ParseTicket(s string) (Ticket, error) { return node.ParseTicket(s) }

// FHIRAuditBundle is the audit entries as a FHIR R4 Bundle of AuditEvents.
func FHIRAuditBundle(es []AuditEntry) map[string]any { return node.FHIRAuditBundle(es) }

// LogSettings are the log level and format the repo's config asks for.
func LogSettings(dir string) (level, format string, err error) {
	c, err := node.LoadConfig(dir)
	if err != nil {
		return "", "", err
	}
	return c.Log.Level, c.Log.Format, nil
}
