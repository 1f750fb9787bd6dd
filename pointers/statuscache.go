package pointers

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
)

// The status cache keeps the last answer the chain gave about the consortium's members and about
// each device this node saw, on disk, so that a member keeps working while the chain cannot be
// reached, and can even restart then:
//
//   - members: the member set that admits libp2p peers is the last one read from the chain. A
//     member removed during an outage keeps being admitted until the chain answers again.
//   - devices: ingest accepts a reading from a device whose last confirmed status is "enrolled, not
//     revoked" and was confirmed at most Config.DeviceMaxStale ago (default 1 h). That is the bound
//     on how long a device revoked during an outage may keep pushing readings to this node; a device
//     never seen while the chain answered is refused.
//
// Nothing secret is in it (device ids are keyed hashes, public keys are public); it is written with
// mode 0600 like every chain file.
const statusCacheFile = "status-cache.json"

// statusSaveEvery bounds how often a cache whose only change is newer confirmation times is
// rewritten (a restart then under-states freshness by at most this much, never over-states it).
const statusSaveEvery = time.Minute

type statusCache struct {
	mu       sync.Mutex
	path     string
	log      *slog.Logger
	members  []Member
	mChecked time.Time
	devices  map[[32]byte]cachedDevice
	dirty    bool // changed since the last save
	saved    time.Time
}

type cachedDevice struct {
	Device
	Checked time.Time
}

type cacheFile struct {
	MembersChecked time.Time     `json:"membersChecked"`
	Members        []cacheMember `json:"members"`
	Devices        []cacheDevice `json:"devices"`
}

type cacheMember struct {
	Account  common.Address `json:"account"`
	Active   bool           `json:"active"`
	Since    int64          `json:"since"`
	PeerID   string         `json:"peerId"`
	ProxyKey string         `json:"proxyKey"`
}

type cacheDevice struct {
	IDHash     string         `json:"idHash"`
	PubKey     string         `json:"pubKey"`
	Owner      common.Address `json:"owner"`
	EnrolledAt int64          `json:"enrolledAt"`
	Revoked    bool           `json:"revoked"`
	RevokedAt  int64          `json:"revokedAt,omitempty"`
	Checked    time.Time      `json:"checked"`
}

func openStatusCache(path string, lg *slog.Logger) (*statusCache, error) {
	sc := &statusCache{path: path, log: lg, devices: map[[32]byte]cachedDevice{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return sc, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pointers: read %s: %w", statusCacheFile, err)
	}
	var f cacheFile
	if err := json.Unmarshal(b, &f); err != nil {
		// The cache only speeds up and bridges outages: a damaged one is dropped, not fatal.
		lg.Warn("chain status cache unreadable; starting without it", "file", path, "err", err)
		return sc, nil
	}
	sc.mChecked = f.MembersChecked
	for _, m := range f.Members {
		pid, err1 := hex.DecodeString(m.PeerID)
		pk, err2 := hex.DecodeString(m.ProxyKey)
		if err1 != nil || err2 != nil {
			continue
		}
		sc.members = append(sc.members, Member{Account: m.Account, Active: m.Active, Since: time.Unix(m.Since, 0), PeerID: pid, ProxyKey: pk})
	}
	for _, d := range f.Devices {
		id, err1 := hex.DecodeString(d.IDHash)
		pub, err2 := hex.DecodeString(d.PubKey)
		if err1 != nil || err2 != nil || len(id) != 32 || len(pub) != ed25519.PublicKeySize {
			continue
		}
		cd := cachedDevice{Device: Device{IDHash: [32]byte(id), PubKey: pub, Owner: d.Owner, EnrolledAt: time.Unix(d.EnrolledAt, 0), Revoked: d.Revoked}, Checked: d.Checked}
		if d.Revoked {
			cd.RevokedAt = time.Unix(d.RevokedAt, 0)
		}
		sc.devices[cd.IDHash] = cd
	}
	return sc, nil
}

func (sc *statusCache) putMembers(ms []Member) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if !sameMembers(sc.members, ms) {
		sc.dirty = true
	}
	sc.members = append([]Member(nil), ms...)
	sc.mChecked = time.Now()
	sc.saveLocked(false)
}

func sameMembers(a, b []Member) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Account != b[i].Account || a[i].Active != b[i].Active || string(a[i].PeerID) != string(b[i].PeerID) || string(a[i].ProxyKey) != string(b[i].ProxyKey) {
			return false
		}
	}
	return true
}

func (sc *statusCache) cachedMembers() ([]Member, time.Time, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return append([]Member(nil), sc.members...), sc.mChecked, sc.members != nil
}

func (sc *statusCache) putDevice(d Device) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	old, ok := sc.devices[d.IDHash]
	if !ok || old.Revoked != d.Revoked || string(old.PubKey) != string(d.PubKey) {
		sc.dirty = true
	}
	sc.devices[d.IDHash] = cachedDevice{Device: d, Checked: time.Now()}
	sc.saveLocked(false)
}

// markRevoked records a revocation seen in a chain event.
func (sc *statusCache) markRevoked(id [32]byte, at time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	d, ok := sc.devices[id]
	if !ok || d.Revoked {
		return
	}
	d.Revoked, d.RevokedAt, d.Checked = true, at, time.Now()
	sc.devices[id] = d
	sc.dirty = true
	sc.saveLocked(true)
}

func (sc *statusCache) device(id [32]byte) (cachedDevice, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	d, ok := sc.devices[id]
	return d, ok
}

// saveLocked writes the cache when a status changed (now) or, for confirmation times only, at most
// every statusSaveEvery.
func (sc *statusCache) saveLocked(now bool) {
	if sc.path == "" { // a read-only client (Dial) keeps it in memory
		return
	}
	if !now && !sc.dirty && time.Since(sc.saved) < statusSaveEvery {
		return
	}
	f := cacheFile{MembersChecked: sc.mChecked}
	for _, m := range sc.members {
		f.Members = append(f.Members, cacheMember{Account: m.Account, Active: m.Active, Since: m.Since.Unix(), PeerID: hex.EncodeToString(m.PeerID), ProxyKey: hex.EncodeToString(m.ProxyKey)})
	}
	for _, d := range sc.devices {
		cd := cacheDevice{IDHash: hex.EncodeToString(d.IDHash[:]), PubKey: hex.EncodeToString(d.PubKey), Owner: d.Owner, EnrolledAt: d.EnrolledAt.Unix(), Revoked: d.Revoked, Checked: d.Checked}
		if d.Revoked {
			cd.RevokedAt = d.RevokedAt.Unix()
		}
		f.Devices = append(f.Devices, cd)
	}
	b, err := json.Marshal(f)
	if err == nil {
		err = atomicfile.Write(sc.path, b, 0o600)
	}
	if err != nil {
		sc.log.Warn("chain status cache not saved", "err", err)
		return
	}
	sc.dirty, sc.saved = false, time.Now()
}

// ActiveDevice returns an enrolled, non-revoked device (ErrDeviceRevoked for a revoked one,
// ErrUnknownDevice for none). While the chain cannot be reached it answers from the status cache
// when the device's last confirmed status is at most Config.DeviceMaxStale old; otherwise the
// error is the chain's unavailability.
func (c *Client) ActiveDevice(ctx context.Context, idHash [32]byte) (Device, error) {
	d, err := c.ResolveDevice(ctx, idHash)
	switch {
	case err == nil:
		c.cache.putDevice(d)
	case IsUnavailable(err):
		cd, ok := c.cache.device(idHash)
		if !ok {
			return Device{}, fmt.Errorf("pointers: device %x: status never confirmed by the chain and the chain is unreachable: %w", idHash[:4], err)
		}
		if age := time.Since(cd.Checked); age > c.cfg.DeviceMaxStale {
			return Device{}, fmt.Errorf("pointers: device %x: status last confirmed %s ago (more than %s) and the chain is unreachable: %w",
				idHash[:4], age.Round(time.Second), c.cfg.DeviceMaxStale, err)
		}
		d = cd.Device
	default:
		return d, err
	}
	if d.Revoked {
		return d, fmt.Errorf("pointers: device %x: %w at %s", idHash[:4], ErrDeviceRevoked, d.RevokedAt.UTC().Format(time.RFC3339))
	}
	return d, nil
}

// Members lists every account that ever was a member, with its current record. While the chain
// cannot be reached it answers with the last list read from it (see the status cache), if any.
func (c *Client) Members(ctx context.Context) ([]Member, error) {
	ms, err := c.readMembers(ctx)
	if err == nil {
		c.cache.putMembers(ms)
		return ms, nil
	}
	if IsUnavailable(err) {
		if cached, at, ok := c.cache.cachedMembers(); ok {
			c.log.Debug("chain unreachable; using the cached member list", "confirmed", at.UTC().Format(time.RFC3339))
			return cached, nil
		}
	}
	return nil, err
}
