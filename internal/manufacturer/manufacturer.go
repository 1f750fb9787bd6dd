package manufacturer

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

const (
	configFile = "manufacturer.json"
	keyFile    = "manufacturer.key"
	keyPurpose = "vaultnode/manufacturer-key/v1"
)

// config is DIR/manufacturer.json: public facts only.
type config struct {
	Name       string             `json:"name"`
	ChainRPC   string             `json:"chainRpc"`
	Account    string             `json:"account"`
	SigningKey string             `json:"signingKey"`
	Contracts  pointers.Addresses `json:"contracts"`
}

// parseConfig reads manufacturer.json: every field present and well-formed, nothing else.
func parseConfig(b []byte) (config, error) {
	var cfg config
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return config{}, fmt.Errorf("%w: %v", pointers.ErrBadInput, err)
	}
	if dec.More() {
		return config{}, fmt.Errorf("%w: trailing data", pointers.ErrBadInput)
	}
	key, err := hex.DecodeString(cfg.SigningKey)
	switch {
	case cfg.Name == "" || len(cfg.Name) > 128 || !utf8.ValidString(cfg.Name):
		return config{}, fmt.Errorf("%w: name", pointers.ErrBadInput)
	case strings.TrimSpace(cfg.ChainRPC) == "":
		return config{}, fmt.Errorf("%w: chainRpc", pointers.ErrBadInput)
	case !common.IsHexAddress(cfg.Account):
		return config{}, fmt.Errorf("%w: account", pointers.ErrBadInput)
	case err != nil || len(key) != ed25519.PublicKeySize:
		return config{}, fmt.Errorf("%w: signingKey", pointers.ErrBadInput)
	case cfg.Contracts.ChainID == 0 || cfg.Contracts.Lifecycle == (common.Address{}):
		return config{}, fmt.Errorf("%w: contracts: no chain id or no lifecycle registry", pointers.ErrBadInput)
	}
	return cfg, nil
}

// secret is what DIR/manufacturer.key seals.
type secret struct {
	ChainKey   string `json:"chainKey"`   // secp256k1, hex
	SigningKey string `json:"signingKey"` // Ed25519 seed, hex
}

// Identity is who a manufacturer is: what an admin needs to admit it.
type Identity struct {
	Dir        string `json:"dir"`
	Name       string `json:"name"`
	Account    string `json:"account"`
	SigningKey string `json:"signingKey"`
	ChainRPC   string `json:"chainRpc"`
}

// AdmitCommand is the command a consortium admin runs to admit the manufacturer.
func (id *Identity) AdmitCommand() string {
	return fmt.Sprintf("vaultnode manufacturer admit --account %s --signing-key %s --name %q", id.Account, id.SigningKey, id.Name)
}

// InitRequest says where a new manufacturer lives and how its key file is sealed.
type InitRequest struct {
	Dir       string // created if missing; must not hold a manufacturer yet
	Name      string // as the registry will show it (1 to 128 bytes)
	ChainRPC  string // the consortium chain's JSON-RPC endpoints, comma-separated
	Contracts []byte // the deployment's contracts.json
	Cred      keys.Credential
	Argon2    keys.Argon2Params // zero: the default
}

// Init creates a manufacturer's identity in r.Dir: a new chain account and release-signing key, sealed in
// manufacturer.key (mode 0600), and manufacturer.json with the chain to talk to. It contacts nothing.
func Init(r InitRequest) (*Identity, error) {
	name := strings.TrimSpace(r.Name)
	if name == "" || len(name) > 128 || !utf8.ValidString(name) {
		return nil, fmt.Errorf("%w: name: 1 to 128 bytes of UTF-8", pointers.ErrBadInput)
	}
	if strings.TrimSpace(r.ChainRPC) == "" {
		return nil, fmt.Errorf("%w: the consortium chain's JSON-RPC endpoint is required", pointers.ErrBadInput)
	}
	addrs, err := pointers.ParseAddresses(r.Contracts)
	if err != nil {
		return nil, err
	}
	if addrs.Lifecycle == ([20]byte{}) {
		return nil, fmt.Errorf("%w: contracts: this deployment has no lifecycle registry", pointers.ErrBadInput)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, configFile)); err == nil {
		return nil, fmt.Errorf("%w: %s already holds a manufacturer", keys.ErrExists, r.Dir)
	}
	if err := os.MkdirAll(r.Dir, 0o700); err != nil {
		return nil, err
	}
	ck, err := ethcrypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	sigPub, sigPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	defer clear(sigPriv)
	sb, err := json.Marshal(secret{ChainKey: hex.EncodeToString(ethcrypto.FromECDSA(ck)), SigningKey: hex.EncodeToString(sigPriv.Seed())})
	if err != nil {
		return nil, err
	}
	defer clear(sb)
	sealed, err := keys.Seal(sb, keyPurpose, r.Cred, r.Argon2, rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("seal the manufacturer key: %w", err)
	}
	id := &Identity{Dir: r.Dir, Name: name, Account: ethcrypto.PubkeyToAddress(ck.PublicKey).Hex(),
		SigningKey: hex.EncodeToString(sigPub), ChainRPC: r.ChainRPC}
	cb, err := json.MarshalIndent(config{Name: name, ChainRPC: r.ChainRPC, Account: id.Account, SigningKey: id.SigningKey, Contracts: addrs}, "", "  ")
	if err != nil {
		return nil, err
	}
	// The key first: a config without its key would be a manufacturer that cannot act.
	if err := atomicfile.Write(filepath.Join(r.Dir, keyFile), sealed, 0o600); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(r.Dir, configFile), append(cb, '\n'), 0o600); err != nil {
		return nil, err
	}
	return id, nil
}

// Manufacturer is an opened manufacturer: its keys unsealed and its chain client connected.
type Manufacturer struct {
	dir    string
	cfg    config
	chain  *pointers.Client
	signer ed25519.PrivateKey
}

// Open unseals the manufacturer in dir with cred and connects to its chain.
func Open(ctx context.Context, dir string, cred keys.Credential) (*Manufacturer, error) {
	cb, err := os.ReadFile(filepath.Join(dir, configFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s holds no manufacturer (no %s): run `vaultnode manufacturer init` first, or give --dir", fault.ErrUsage, dir, configFile)
	}
	if err != nil {
		return nil, err
	}
	cfg, err := parseConfig(cb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, configFile), err)
	}
	sealed, err := os.ReadFile(filepath.Join(dir, keyFile))
	if err != nil {
		return nil, fmt.Errorf("manufacturer key: %w", err)
	}
	sb, err := keys.Unseal(sealed, keyPurpose, cred)
	if err != nil {
		return nil, fmt.Errorf("manufacturer key %s: %w", filepath.Join(dir, keyFile), err)
	}
	defer clear(sb)
	var s secret
	if err := json.Unmarshal(sb, &s); err != nil {
		return nil, fmt.Errorf("manufacturer key: %w", keys.ErrCorrupt)
	}
	ckb, err := hex.DecodeString(s.ChainKey)
	if err != nil {
		return nil, fmt.Errorf("manufacturer key: %w", keys.ErrCorrupt)
	}
	defer clear(ckb)
	ck, err := ethcrypto.ToECDSA(ckb)
	if err != nil {
		return nil, fmt.Errorf("manufacturer key: %w", keys.ErrCorrupt)
	}
	seed, err := hex.DecodeString(s.SigningKey)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("manufacturer key: %w", keys.ErrCorrupt)
	}
	defer clear(seed)
	m := &Manufacturer{dir: dir, cfg: cfg, signer: ed25519.NewKeyFromSeed(seed)}
	m.chain, err = openChain(ctx, dir, cfg, ck)
	if err != nil {
		clear(m.signer)
		return nil, err
	}
	return m, nil
}

func openChain(ctx context.Context, dir string, cfg config, ck *ecdsa.PrivateKey) (*pointers.Client, error) {
	addrs := cfg.Contracts
	c, err := pointers.Open(ctx, pointers.Config{ChainDir: filepath.Join(dir, "chain"), RPCURL: cfg.ChainRPC, Key: ck, Contracts: &addrs})
	if err != nil {
		return nil, fmt.Errorf("open the chain at %s: %w", cfg.ChainRPC, err)
	}
	return c, nil
}

// Close disconnects from the chain and wipes the signing key.
func (m *Manufacturer) Close() error {
	clear(m.signer)
	return m.chain.Close()
}

// Standing is a manufacturer's identity and whether the registry has admitted it.
type Standing struct {
	Identity
	Admitted bool   `json:"admitted"`
	OnChain  string `json:"onChainName,omitempty"` // the name the registry holds, once admitted
}

// Standing reads the manufacturer's record in the registry.
func (m *Manufacturer) Standing(ctx context.Context) (*Standing, error) {
	active, key, name, err := m.chain.Manufacturer(ctx, m.chain.Account())
	if err != nil {
		return nil, fmt.Errorf("read the registry: %w", err)
	}
	s := &Standing{Identity: Identity{Dir: m.dir, Name: m.cfg.Name, Account: m.cfg.Account, SigningKey: m.cfg.SigningKey, ChainRPC: m.cfg.ChainRPC},
		Admitted: active, OnChain: name}
	if active && hex.EncodeToString(key) != m.cfg.SigningKey {
		return nil, fmt.Errorf("%w: the registry holds another signing key for %s than this manufacturer's", pointers.ErrTampered, m.cfg.Account)
	}
	return s, nil
}

// Tx is where a write landed.
type Tx struct {
	Block uint64 `json:"block"`
	Tx    string `json:"tx"`
}

func txOf(r pointers.Receipt) Tx { return Tx{Block: r.Block, Tx: r.TxHash.Hex()} }

// parseModel reads a model's GTIN-14 (the UDI-DI) with its check digit.
func parseModel(di string) (uint64, error) {
	if _, err := keys.ParseUDI("(01)" + di); err != nil {
		return 0, fmt.Errorf("%w: model %q: %w", pointers.ErrBadInput, di, err)
	}
	return pointers.ParseGTIN(di)
}

// Model is a registered device model.
type Model struct {
	Model string `json:"model"`
	Tx
}

// RegisterModel registers a device model (its GTIN-14) to this manufacturer.
func (m *Manufacturer) RegisterModel(ctx context.Context, di string) (*Model, error) {
	gtin, err := parseModel(di)
	if err != nil {
		return nil, err
	}
	r, err := m.chain.RegisterModel(ctx, gtin)
	if err != nil {
		return nil, fmt.Errorf("register model %s: %w", di, err)
	}
	return &Model{Model: di, Tx: txOf(r)}, nil
}

// UnitRegistration is a registered unit: the UDI a hospital enrols it with, and its registry id.
type UnitRegistration struct {
	Model     string `json:"model"`
	Serial    string `json:"serial"`
	UDI       string `json:"udi"`
	Unit      string `json:"unit"`
	DeviceKey string `json:"deviceKey"`
	Tx
}

// RegisterUnit registers a unit of one of this manufacturer's models: its serial (UDI-PI) and the Ed25519
// public key (hex) it was made with; hospitals enrol it with that UDI and key.
func (m *Manufacturer) RegisterUnit(ctx context.Context, di, serial, deviceKeyHex string) (*UnitRegistration, error) {
	udi := "(01)" + di + "(21)" + serial
	if _, err := keys.ParseUDI(udi); err != nil || serial == "" {
		return nil, fmt.Errorf("%w: model %q, serial %q: %v", pointers.ErrBadInput, di, serial, err)
	}
	gtin, err := pointers.ParseGTIN(di)
	if err != nil {
		return nil, err
	}
	pub, err := hex.DecodeString(deviceKeyHex)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: device key: want the unit's Ed25519 public key, %d hex digits", pointers.ErrBadInput, 2*ed25519.PublicKeySize)
	}
	id, r, err := m.chain.RegisterUnit(ctx, gtin, serial, pub)
	if err != nil {
		return nil, fmt.Errorf("register unit %s: %w", udi, err)
	}
	return &UnitRegistration{Model: di, Serial: serial, UDI: udi, Unit: hex.EncodeToString(id[:]), DeviceKey: hex.EncodeToString(pub), Tx: txOf(r)}, nil
}

// ReleaseView is a firmware release and its status.
type ReleaseView struct {
	Model   string `json:"model"`
	Version string `json:"version"`
	Release string `json:"release"` // the registry's release id
	Image   string `json:"image"`   // SHA-256 of the image, hex
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Tx
}

func checkVersion(v string) error {
	if err := pointers.CheckFirmwareVersion(v); err != nil {
		return fmt.Errorf("%w: %v", pointers.ErrBadInput, err)
	}
	return nil
}

// PublishRelease publishes an approved firmware release of one of this manufacturer's models: the
// version and the SHA-256 of its image, signed with the manufacturer's release key.
func (m *Manufacturer) PublishRelease(ctx context.Context, di, version string, image [32]byte) (*ReleaseView, error) {
	gtin, err := parseModel(di)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	if image == ([32]byte{}) {
		return nil, fmt.Errorf("%w: image hash is all zeroes", pointers.ErrBadInput)
	}
	sig := ed25519.Sign(m.signer, pointers.ReleaseMessage(gtin, version, image))
	id, r, err := m.chain.PublishRelease(ctx, gtin, version, image, sig)
	if err != nil {
		return nil, fmt.Errorf("publish release %s of %s: %w", version, di, err)
	}
	return &ReleaseView{Model: di, Version: version, Release: hex.EncodeToString(id[:]), Image: hex.EncodeToString(image[:]),
		Status: pointers.ReleaseApproved.String(), Tx: txOf(r)}, nil
}

// ParseReleaseStatus reads approved, deprecated or recalled.
func ParseReleaseStatus(s string) (pointers.ReleaseStatus, error) {
	for _, st := range []pointers.ReleaseStatus{pointers.ReleaseApproved, pointers.ReleaseDeprecated, pointers.ReleaseRecalled} {
		if s == st.String() {
			return st, nil
		}
	}
	return 0, fmt.Errorf("%w: release status %q: want approved, deprecated or recalled", pointers.ErrBadInput, s)
}

// SetReleaseStatus deprecates, re-approves or recalls one of this manufacturer's releases. A recall needs a
// reason (what hospitals and clinicians will read) and is final; nodes flag readings from the next batch.
func (m *Manufacturer) SetReleaseStatus(ctx context.Context, di, version, status, reason string) (*ReleaseView, error) {
	gtin, err := parseModel(di)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	st, err := ParseReleaseStatus(status)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if st == pointers.ReleaseRecalled && (reason == "" || len(reason) > 256 || !utf8.ValidString(reason)) {
		return nil, fmt.Errorf("%w: a recall needs a reason of 1 to 256 bytes (what hospitals will read)", pointers.ErrBadInput)
	}
	id := pointers.ReleaseID(gtin, version)
	rel, err := m.chain.ReleaseOf(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("release %s of %s: %w", version, di, err)
	}
	r, err := m.chain.SetReleaseStatus(ctx, id, st, reason)
	if err != nil {
		return nil, fmt.Errorf("set release %s of %s to %s: %w", version, di, st, err)
	}
	return &ReleaseView{Model: di, Version: version, Release: hex.EncodeToString(id[:]), Image: hex.EncodeToString(rel.ImageHash[:]),
		Status: st.String(), Reason: reason, Tx: txOf(r)}, nil
}

// CustodyStep is a custody step this manufacturer recorded.
type CustodyStep struct {
	UDI  string `json:"udi"`
	Unit string `json:"unit"`
	Step string `json:"step"`
	Tx
}

// RecordCustody records one of the manufacturer's custody steps of a unit (manufactured, sterilised,
// shipped, in that order); the hospital records the rest (`vaultnode device custody`).
func (m *Manufacturer) RecordCustody(ctx context.Context, udi, step string) (*CustodyStep, error) {
	u, err := keys.ParseUDI(udi)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", pointers.ErrBadInput, err)
	}
	if u.Serial == "" {
		return nil, fmt.Errorf("%w: UDI %q has no serial (21): custody is recorded per unit", pointers.ErrBadInput, udi)
	}
	var s pointers.CustodyStep
	for _, c := range []pointers.CustodyStep{pointers.CustodyManufactured, pointers.CustodySterilised, pointers.CustodyShipped} {
		if step == c.String() {
			s = c
		}
	}
	if s == 0 {
		return nil, fmt.Errorf("%w: custody step %q: a manufacturer records manufactured, sterilised or shipped", pointers.ErrBadInput, step)
	}
	gtin, err := pointers.ParseGTIN(u.DI)
	if err != nil {
		return nil, err
	}
	unit := pointers.UnitID(gtin, u.Serial)
	now, err := m.chain.Unit(ctx, unit)
	if err != nil {
		return nil, fmt.Errorf("unit %s: %w", udi, err)
	}
	if err := pointers.CheckCustodyStep(now, s); err != nil {
		return nil, fmt.Errorf("custody of %s: %w", udi, err)
	}
	r, err := m.chain.RecordCustody(ctx, unit, s)
	if err != nil {
		return nil, fmt.Errorf("record %s of %s: %w", step, udi, err)
	}
	return &CustodyStep{UDI: udi, Unit: hex.EncodeToString(unit[:]), Step: s.String(), Tx: txOf(r)}, nil
}

// ImageHash is the SHA-256 of a firmware image: computed from the image file, or given as 64 hex digits
// (exactly one of the two).
func ImageHash(file, sum string) ([32]byte, error) {
	var h [32]byte
	switch {
	case (file == "") == (sum == ""):
		return h, fmt.Errorf("%w: give the firmware image file or its SHA-256, one of them", fault.ErrUsage)
	case sum != "":
		b, err := hex.DecodeString(sum)
		if err != nil || len(b) != len(h) {
			return h, fmt.Errorf("%w: image SHA-256: want 64 hex digits", pointers.ErrBadInput)
		}
		return [32]byte(b), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return h, fmt.Errorf("%w: firmware image: %w", pointers.ErrBadInput, err)
	}
	defer f.Close()
	d := sha256.New()
	if _, err := io.Copy(d, f); err != nil {
		return h, fmt.Errorf("firmware image %s: %w", file, err)
	}
	return [32]byte(d.Sum(nil)), nil
}
