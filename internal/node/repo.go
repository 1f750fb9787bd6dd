package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// Repo layout (docs/CONFIG.md):
//
//	DIR/config.json      configuration (no secret)
//	DIR/keystore/        encrypted keystore (keys package)
//	DIR/blocks/          encrypted record store (store package)
//	DIR/chain/           chain journal, contracts.json, embedded chain data
//	DIR/accesslog/       the proxy's hash-chained access log
//	DIR/tokens/          API tokens, one file per role (mode 0600)
//	DIR/purges/          purge orders executed by this peer and their acknowledgements
//	DIR/erasures/        erasure journals and certificates (custodian)
//	DIR/daemon.json      written by a running daemon: its API URL and p2p addresses
//	DIR/peers.json       the daemon's address book: where each member was last seen
const (
	ConfigFile   = "config.json"
	KeystoreDir  = "keystore"
	BlocksDir    = "blocks"
	ChainDir     = "chain"
	AccessLogDir = "accesslog"
	TokensDir    = "tokens"
	DaemonFile   = "daemon.json"
	PurgesDir    = "purges"
	ErasuresDir  = "erasures"
	PeersFile    = "peers.json"
)

// Roles of API tokens.
var Roles = []string{"device", "operator", "dpo"}

// ErrNoRepo: the directory holds no vaultnode repo.
var ErrNoRepo = errors.New("no vaultnode repo")

// Duration is a time.Duration written as a Go duration string ("5s").
type Duration time.Duration

func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Config is the repo's config.json.
type Config struct {
	Version int `json:"version"`
	API     struct {
		// Addr is the HTTP API listen address; it must be a loopback address unless AllowRemote.
		Addr        string `json:"addr"`
		AllowRemote bool   `json:"allowRemote,omitempty"`
		// MaxBodyBytes bounds request bodies (413 beyond).
		MaxBodyBytes int64 `json:"maxBodyBytes"`
		// TLS names the API's certificate and key files; nil or empty: the
		// repo's self-signed certificate (api.crt, key derived from the
		// node identity).
		TLS *APITLSConfig `json:"tls,omitempty"`
		// PlainHTTP serves the API without TLS: refused unless Addr is a
		// loopback address (tests, or a TLS proxy in front on the host).
		PlainHTTP bool `json:"plainHTTP,omitempty"`
	} `json:"api"`
	P2P struct {
		Listen    []string `json:"listen"`
		Bootstrap []string `json:"bootstrap,omitempty"`
	} `json:"p2p"`
	Chain struct {
		RPC            string              `json:"rpc,omitempty"`
		ServeRPC       string              `json:"serveRpc,omitempty"`
		Contracts      *pointers.Addresses `json:"contracts,omitempty"`
		CommitInterval Duration            `json:"commitInterval"`
		// Confirmations: a write counts as done once its block is this deep (0: BFT chains and the
		// embedded chain, final when mined).
		Confirmations uint64 `json:"confirmations,omitempty"`
		// MaxHeadAge: with a chain that makes blocks steadily (CometBFT), the chain counts as stalled
		// when its newest block is older than this; proxies then refuse (fail closed) and writes are
		// journaled. 0 (default) turns the rule off (the embedded chain seals on demand).
		MaxHeadAge Duration `json:"maxHeadAge,omitempty"`
		// DeviceMaxStale: how long a device's last on-chain status may be used for ingest while the
		// chain is unreachable (default 1h).
		DeviceMaxStale Duration `json:"deviceMaxStale,omitempty"`
		// LogPageBlocks: block range of one eth_getLogs request (default 5000 over RPC).
		LogPageBlocks uint64 `json:"logPageBlocks,omitempty"`
	} `json:"chain"`
	Keystore struct {
		KeyFile string `json:"keyFile,omitempty"`
	} `json:"keystore"`
	Ingest struct {
		MaxBatchReadings int `json:"maxBatchReadings"`
		MaxLineBytes     int `json:"maxLineBytes"`
		// Firmware: what ingest does with a batch from recalled or unapproved firmware (docs/DEVICES.md):
		// "flag" (default: accept, every reading flagged) or "refuse".
		Firmware string `json:"firmware,omitempty"`
	} `json:"ingest"`
	// Patients: IdentifierSystems are the identifier systems (URIs) this node's MRNs belong to. A FHIR
	// Observation naming its patient by an identifier of another system is refused: a reading is never
	// filed under a patient matched by an identifier's value alone (docs/CONFIG.md).
	Patients struct {
		IdentifierSystems []string `json:"identifierSystems,omitempty"`
	} `json:"patients"`
	// Claims: Streams are the streams whose batches get a claim root at ingest (docs/ZK.md), so that
	// zero-knowledge claims can later be proven about them. Off by default: claim roots cost about five times
	// the CPU of the rest of ingest (docs/BENCHMARKS.md).
	Claims struct {
		Streams []string `json:"streams,omitempty"`
	} `json:"claims"`
	Replication struct {
		Factor int `json:"factor"`
		// WriteConcern: members (this one included) that must hold a batch before ingest
		// acknowledges it (default 2; 1 for a single-node pilot).
		WriteConcern int `json:"writeConcern,omitempty"`
	} `json:"replication"`
	Log struct {
		Format string `json:"format"` // "text" or "json"
		Level  string `json:"level"`  // debug, info, warn, error
	} `json:"log"`
}

// APITLSConfig names the API's own certificate (PEM) and key files.
type APITLSConfig struct {
	CertFile string `json:"certFile,omitempty"`
	KeyFile  string `json:"keyFile,omitempty"`
}

// DefaultConfig is what init writes.
func DefaultConfig() Config {
	var c Config
	c.Version = 1
	c.API.Addr = "127.0.0.1:5780"
	c.API.MaxBodyBytes = 64 << 20
	c.P2P.Listen = []string{"/ip4/127.0.0.1/tcp/4771"}
	c.Chain.CommitInterval = Duration(5 * time.Second)
	c.Ingest.MaxBatchReadings = 50_000
	c.Ingest.MaxLineBytes = 4096
	c.Replication.Factor = 2
	c.Log.Format = "text"
	c.Log.Level = "warn"
	return c
}

// LoadConfig reads DIR/config.json.
func LoadConfig(dir string) (Config, error) {
	b, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("%w at %s (run `vaultnode init`)", ErrNoRepo, dir)
	}
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	c := DefaultConfig()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", filepath.Join(dir, ConfigFile), err)
	}
	if c.Version != 1 {
		return Config{}, fmt.Errorf("config %s: unsupported version %d", filepath.Join(dir, ConfigFile), c.Version)
	}
	if f := c.Ingest.Firmware; f != "" && f != FirmwarePolicyFlag && f != FirmwarePolicyRefuse {
		return Config{}, fmt.Errorf("config %s: ingest.firmware %q: want %q or %q", filepath.Join(dir, ConfigFile), f, FirmwarePolicyFlag, FirmwarePolicyRefuse)
	}
	if err := checkClaimStreams(c.Claims.Streams); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", filepath.Join(dir, ConfigFile), err)
	}
	return c, nil
}

// SaveConfig writes DIR/config.json atomically.
func SaveConfig(dir string, c Config) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ConfigFile), append(b, '\n'), 0o600)
}

// Credential returns the keystore credential of a repo: the key file named in
// the config, else the passphrase in $VAULTNODE_PASSPHRASE.
func Credential(dir string, c Config) (keys.Credential, error) {
	if c.Keystore.KeyFile != "" {
		p := c.Keystore.KeyFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return keys.KeyFile(p)
	}
	return keys.PassphraseFromEnv()
}

// Argon2FromEnv reads VAULTNODE_ARGON2 ("t,memKiB,p", e.g. "1,64,1" for tests);
// unset means keys.DefaultArgon2.
func Argon2FromEnv() (keys.Argon2Params, error) {
	v := os.Getenv("VAULTNODE_ARGON2")
	if v == "" {
		return keys.Argon2Params{}, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) != 3 {
		return keys.Argon2Params{}, fmt.Errorf("VAULTNODE_ARGON2: want t,memKiB,p")
	}
	var n [3]uint64
	for i, p := range parts {
		x, err := strconv.ParseUint(strings.TrimSpace(p), 10, 32)
		if err != nil {
			return keys.Argon2Params{}, fmt.Errorf("VAULTNODE_ARGON2: %w", err)
		}
		n[i] = x
	}
	if n[2] > 255 {
		return keys.Argon2Params{}, fmt.Errorf("VAULTNODE_ARGON2: parallelism > 255")
	}
	return keys.Argon2Params{Time: uint32(n[0]), MemoryKiB: uint32(n[1]), Threads: uint8(n[2])}, nil
}

// InitOptions configure Init.
type InitOptions struct {
	Config Config
	// KeyFile, when set, protects the keystore with that key file (created if
	// missing) instead of a passphrase.
	KeyFile string
	Argon2  keys.Argon2Params
	Logger  *slog.Logger
}

// InitResult is what Init created (no secret).
type InitResult struct {
	Dir      string             `json:"repo"`
	PeerID   string             `json:"peerId"`
	Account  string             `json:"chainAccount"`
	ProxyKey string             `json:"proxyKey"`
	Tokens   map[string]string  `json:"tokenFiles"`
	APICert  string             `json:"apiCert,omitempty"` // the API's certificate file, to pin (--api-cert)
	Contract pointers.Addresses `json:"contracts"`
}

// initPendingFile marks a repo whose init stopped before its chain step was
// done (an unfunded account on an external chain); running init again on
// the repo finishes it.
const initPendingFile = "init.pending"

// Init creates a repo in dir: config, keystore (node identity), API tokens,
// and the chain (the embedded one is created and the contracts deployed, or
// the RPC chain is joined).
//
// If it fails, it removes what it created (the repo, and the key file it
// generated), so that it can simply be run again. One failure keeps the repo:
// an account with no funds to deploy the contracts on an external chain
// (pointers.ErrUnfunded). Its address is derived from the node identity init
// just created, so nobody could have funded it before; the error names it,
// and running init again on the same repo, once it is funded, finishes.
func Init(ctx context.Context, dir string, o InitOptions) (res *InitResult, err error) {
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil {
		if _, perr := os.Stat(filepath.Join(dir, initPendingFile)); perr == nil {
			return resumeInit(ctx, dir, o)
		}
		return nil, fmt.Errorf("init: %s already holds a repo", dir)
	}
	undo, err := prepareRepoDir(dir)
	if err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	keep := false
	defer func() {
		if err != nil && !keep {
			undo()
		}
	}()
	if err := atomicfile.Write(filepath.Join(dir, initPendingFile), []byte("vaultnode init did not finish; run it again\n"), 0o600); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	c := o.Config
	if c.Version == 0 {
		c = DefaultConfig()
	}
	var cred keys.Credential
	if o.KeyFile != "" {
		kf := o.KeyFile
		if _, err := os.Stat(kf); errors.Is(err, os.ErrNotExist) {
			if err := keys.GenerateKeyFile(kf, rand.Reader); err != nil {
				return nil, fmt.Errorf("init: key file: %w", err)
			}
			// A key file that protects nothing goes with the repo.
			prev := undo
			undo = func() { prev(); _ = os.Remove(kf) }
		}
		abs, err := filepath.Abs(kf)
		if err != nil {
			return nil, err
		}
		c.Keystore.KeyFile = abs
		cred, err = keys.KeyFile(abs)
		if err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
	} else {
		var err error
		cred, err = keys.PassphraseFromEnv()
		if err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
	}
	defer cred.Wipe()
	ks, err := keys.Create(ctx, filepath.Join(dir, KeystoreDir), cred, keys.Options{Argon2: o.Argon2})
	if err != nil {
		return nil, fmt.Errorf("init: keystore: %w", err)
	}
	defer ks.Close()
	if err := SaveConfig(dir, c); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, TokensDir), 0o700); err != nil {
		return nil, err
	}
	for _, role := range Roles {
		if err := writeRoleToken(dir, role); err != nil {
			return nil, err
		}
	}
	res, err = finishInit(ctx, dir, c, ks, o)
	keep = errors.Is(err, pointers.ErrUnfunded)
	return res, err
}

// resumeInit finishes an init that stopped at its chain step.
func resumeInit(ctx context.Context, dir string, o InitOptions) (*InitResult, error) {
	c, ks, err := openKeystore(ctx, dir, o.Logger)
	if err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	defer ks.Close()
	return finishInit(ctx, dir, c, ks, o)
}

// finishInit opens the repo once, offline, which creates the chain (and
// deploys the contracts, or joins them), and clears the pending mark.
func finishInit(ctx context.Context, dir string, c Config, ks *keys.Keystore, o InitOptions) (*InitResult, error) {
	n, err := openWith(ctx, dir, c, ks, Options{Offline: true, Logger: o.Logger})
	if errors.Is(err, pointers.ErrUnfunded) {
		return nil, fmt.Errorf("init: %w. The repo %s is kept: fund that account on the chain, then run `vaultnode --repo %s init` again to finish", err, dir, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	res := &InitResult{Dir: dir, Tokens: map[string]string{}}
	for _, role := range Roles {
		res.Tokens[role] = filepath.Join(dir, TokensDir, role)
	}
	res.PeerID = n.PeerID().String()
	res.Account = n.Chain.Account().Hex()
	res.Contract = n.Chain.Contracts()
	res.ProxyKey = hex.EncodeToString(n.ProxyKey.PublicBytes())
	// The API's TLS certificate: the self-signed one is made now, so that
	// clients can pin it before the daemon first runs.
	if _, res.APICert, err = n.APITLS(dir); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	if err := n.closeExceptKeystore(); err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, initPendingFile)); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	return res, nil
}

// prepareRepoDir creates dir if needed and returns a function that removes
// what init adds to it: the whole directory if init created it, else only
// the entries that were not there before.
func prepareRepoDir(dir string) (undo func(), err error) {
	before, err := os.ReadDir(dir)
	created := errors.Is(err, os.ErrNotExist)
	if err != nil && !created {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if created {
		return func() { _ = os.RemoveAll(dir) }, nil
	}
	had := map[string]bool{}
	for _, e := range before {
		had[e.Name()] = true
	}
	return func() {
		now, _ := os.ReadDir(dir)
		for _, e := range now {
			if !had[e.Name()] {
				_ = os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
	}, nil
}

// ReadToken returns the API token of role in repo dir.
func ReadToken(dir, role string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, TokensDir, role))
	if err != nil {
		return "", fmt.Errorf("api token %q: %w", role, err)
	}
	return strings.TrimSpace(string(b)), nil
}
