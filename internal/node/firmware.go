package node

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/store"
)

// Firmware policies (config ingest.firmware).
const (
	FirmwarePolicyFlag   = "flag"   // accept, flag the readings (default)
	FirmwarePolicyRefuse = "refuse" // refuse batches from recalled or unapproved firmware
)

// firmwareFlag checks what a batch declares against the lifecycle registry, through the client's release
// cache: the registry's events since the last batch evict what changed, so a recall applies from the next
// batch after its block; while the chain is down, a release confirmed within chain.deviceMaxStale still
// answers.
func (n *Node) firmwareFlag(ctx context.Context, dev keys.Device, fw *Firmware) *FirmwareFlag {
	if dev.UDI != "" && n.quarantined(ctx, dev.ID) {
		f := &FirmwareFlag{Status: FirmwareQuarantined}
		if fw != nil {
			f.Version, f.Image = fw.Version, hex.EncodeToString(fw.Image[:])
		}
		return f
	}
	switch {
	case fw == nil && dev.UDI == "":
		return nil
	case fw == nil:
		return &FirmwareFlag{Status: FirmwareUndeclared}
	}
	f := &FirmwareFlag{Version: fw.Version, Image: hex.EncodeToString(fw.Image[:]), Status: FirmwareUnverified}
	gtin, _, ok := registeredUnit(dev)
	if !ok {
		return f
	}
	rel, err := n.Chain.CachedRelease(ctx, pointers.ReleaseID(gtin, fw.Version))
	switch {
	case errors.Is(err, pointers.ErrUnknownRelease):
		f.Status = FirmwareUnapproved
	case errors.Is(err, pointers.ErrReleaseSignature):
		n.Log.Warn("firmware release not signed by its manufacturer's release key; readings flagged unapproved", "device", dev.ID, "version", fw.Version)
		f.Status = FirmwareUnapproved
	case err != nil:
		n.Log.Warn("firmware not checked: the lifecycle registry did not answer; readings flagged unverified", "device", dev.ID, "err", err)
	case rel.ImageHash != fw.Image:
		f.Status = FirmwareUnapproved
	case rel.Status == pointers.ReleaseRecalled:
		f.Status = FirmwareRecalled
	case rel.Status == pointers.ReleaseDeprecated:
		f.Status = FirmwareDeprecated
	default:
		f.Status = FirmwareApproved
	}
	return f
}

// registeredUnit returns the model (GTIN) and registry unit id of a device enrolled as a registered unit (ok false:
// enrolled without a UDI; a stored UDI was checked when it was stored).
func registeredUnit(dev keys.Device) (gtin uint64, unit [32]byte, ok bool) {
	if dev.UDI == "" {
		return 0, unit, false
	}
	udi, err := keys.ParseUDI(dev.UDI)
	if err != nil {
		return 0, unit, false
	}
	if gtin, err = pointers.ParseGTIN(udi.DI); err != nil {
		return 0, unit, false
	}
	return gtin, pointers.UnitID(gtin, udi.Serial), true
}

// refusesFirmware applies the node's policy to a flag.
func (n *Node) refusesFirmware(f *FirmwareFlag) error {
	if f == nil || n.Cfg.Ingest.Firmware != FirmwarePolicyRefuse {
		return nil
	}
	if f.Status == FirmwareRecalled || f.Status == FirmwareUnapproved {
		return fmt.Errorf("%w: firmware %s (image %s…) is %s for this unit's model (ingest.firmware: refuse)", ErrDeviceRefused, f.Version, f.Image[:12], f.Status)
	}
	return nil
}

// withFirmware adds the flag to a reading's Extra object (which holds what a FHIR Observation carried
// besides the measurement): {"firmware":[flag]} next to the other kept elements.
func withFirmware(extra string, flag []byte) (string, error) {
	var s string
	switch {
	case extra == "" || extra == "{}":
		s = `{"firmware":[` + string(flag) + `]}`
	case extra[len(extra)-1] == '}':
		s = extra[:len(extra)-1] + `,"firmware":[` + string(flag) + `]}`
	default:
		return "", fmt.Errorf("reading's kept elements are not a JSON object")
	}
	if len(s) > store.MaxExtraLen {
		return "", fmt.Errorf("kept elements and firmware take %d bytes, at most %d are kept with a reading", len(s), store.MaxExtraLen)
	}
	return s, nil
}

// firmwareIndexPrefix is where this node indexes its batches by the firmware that produced them:
// /vaultnode/fw/<gtin>/<hex version>/<device>/<root> → firmwareBatch. Only batches of registered units that
// declared their firmware are indexed; erasure forgets the entries of purged batches.
const firmwareIndexPrefix = "/vaultnode/fw/"

// firmwareBatch is one indexed batch: no patient, only what a recall needs.
type firmwareBatch struct {
	Root   string    `json:"root"`
	Stream string    `json:"stream"`
	Count  int       `json:"count"`
	First  time.Time `json:"first"`
	Last   time.Time `json:"last"`
	Status string    `json:"status"` // the flag at ingest
}

// firmwareRuns sums the firmware index of one unit's batches per version (a scan of the model's entries),
// with each release's status now.
func (n *Node) firmwareRuns(ctx context.Context, gtin uint64, device string) ([]FirmwareRun, error) {
	runs := []FirmwareRun{}
	byVersion := map[string]int{}
	err := n.eachFirmwareEntry(ctx, gtin, "", func(version, dev string, fb firmwareBatch) {
		if dev != device {
			return
		}
		i, ok := byVersion[version]
		if !ok {
			i = len(runs)
			byVersion[version] = i
			runs = append(runs, FirmwareRun{Version: version, Release: "unknown", First: fb.First, Last: fb.Last})
		}
		run := &runs[i]
		run.Batches++
		run.Readings += fb.Count
		fb.widen(&run.First, &run.Last)
	})
	if err != nil {
		return nil, err
	}
	for i := range runs {
		switch rel, err := n.Chain.ReleaseOf(ctx, pointers.ReleaseID(gtin, runs[i].Version)); {
		case err == nil:
			runs[i].Release = rel.Status.String()
		case !errors.Is(err, pointers.ErrUnknownRelease):
			return nil, err
		}
	}
	slices.SortFunc(runs, func(a, b FirmwareRun) int { return a.First.Compare(b.First) })
	return runs, nil
}

// eachFirmwareEntry calls f with every entry of the firmware index under model gtin (under one firmware
// version when version is not ""), in key order.
func (n *Node) eachFirmwareEntry(ctx context.Context, gtin uint64, version string, f func(version, device string, fb firmwareBatch)) error {
	prefix := fmt.Sprintf("%s%014d/", firmwareIndexPrefix, gtin)
	if version != "" {
		prefix += hex.EncodeToString([]byte(version)) + "/"
	}
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: prefix})
	if err != nil {
		return err
	}
	defer res.Close()
	for r := range res.Next() {
		if r.Error != nil {
			return r.Error
		}
		parts := strings.Split(strings.TrimPrefix(r.Key, fmt.Sprintf("%s%014d/", firmwareIndexPrefix, gtin)), "/") // <hex version>/<device>/<root>
		vb, err := hex.DecodeString(parts[0])
		if len(parts) != 3 || err != nil {
			return fmt.Errorf("firmware index: malformed key %s", r.Key)
		}
		var fb firmwareBatch
		if err := json.Unmarshal(r.Value, &fb); err != nil {
			return fmt.Errorf("firmware index %s: %w", r.Key, err)
		}
		f(string(vb), parts[1], fb)
	}
	return nil
}

// widen extends the time range [first, last] to cover the batch's readings.
func (fb firmwareBatch) widen(first, last *time.Time) {
	if fb.First.Before(*first) {
		*first = fb.First
	}
	if fb.Last.After(*last) {
		*last = fb.Last
	}
}

func firmwareKey(gtin uint64, version, device, root string) ds.Key {
	return ds.NewKey(fmt.Sprintf("%s%014d/%s/%s/%s", firmwareIndexPrefix, gtin, hex.EncodeToString([]byte(version)), device, root))
}

// indexFirmware records a batch under its unit's model and declared firmware.
func (n *Node) indexFirmware(ctx context.Context, dev keys.Device, f *FirmwareFlag, root cid.Cid, stream string, rs []store.Reading) error {
	gtin, _, ok := registeredUnit(dev)
	if f == nil || f.Version == "" || !ok || len(rs) == 0 {
		return nil
	}
	fb := firmwareBatch{Root: root.String(), Stream: stream, Count: len(rs), First: rs[0].Time, Last: rs[0].Time, Status: f.Status}
	for _, r := range rs {
		if r.Time.Before(fb.First) {
			fb.First = r.Time
		}
		if r.Time.After(fb.Last) {
			fb.Last = r.Time
		}
	}
	b, _ := json.Marshal(fb)
	return n.Store.Datastore().Put(ctx, firmwareKey(gtin, f.Version, dev.ID, root.String()), b)
}

// RecallImpact is what a recall of one firmware of one model touches on this node: per device, the batches
// it produced under that firmware (counts and time ranges; no patient).
type RecallImpact struct {
	Model    string               `json:"model"` // GTIN-14
	Firmware string               `json:"firmware"`
	Release  string               `json:"release"` // its status in the registry now ("unknown" if none)
	Node     string               `json:"node"`    // this hospital's chain account
	Devices  []RecallImpactDevice `json:"devices"`
	Batches  int                  `json:"batches"`
	Readings int                  `json:"readings"`
}

// RecallImpactDevice is one device's share of a recall's impact.
type RecallImpactDevice struct {
	Device   string    `json:"device"`
	UDI      string    `json:"udi"`
	Batches  int       `json:"batches"`
	Readings int       `json:"readings"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	Streams  []string  `json:"streams"`
}

// RecallImpact lists this node's batches produced under a firmware of a model (docs/DEVICES.md). Each
// hospital runs it on its own node: a batch is indexed where it was ingested.
func (n *Node) RecallImpact(ctx context.Context, model, version string) (*RecallImpact, error) {
	udi, err := keys.ParseUDI("(01)" + model) // a model is the UDI-DI: the GTIN and its check digit
	if err != nil {
		return nil, fmt.Errorf("%w: model: %w", ErrBadInput, err)
	}
	gtin, err := pointers.ParseGTIN(udi.DI)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	if err := checkFirmwareVersion(version); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	ri := &RecallImpact{Model: fmt.Sprintf("%014d", gtin), Firmware: version, Release: "unknown", Node: n.Chain.Account().Hex(), Devices: []RecallImpactDevice{}}
	switch rel, err := n.Chain.ReleaseOf(ctx, pointers.ReleaseID(gtin, version)); {
	case err == nil:
		ri.Release = rel.Status.String()
	case !errors.Is(err, pointers.ErrUnknownRelease):
		return nil, err
	}
	byDev := map[string]*RecallImpactDevice{}
	err = n.eachFirmwareEntry(ctx, gtin, version, func(_, dev string, fb firmwareBatch) {
		d := byDev[dev]
		if d == nil {
			d = &RecallImpactDevice{Device: dev, First: fb.First, Last: fb.Last, Streams: []string{}}
			if kd, err := n.Keys.Device(ctx, dev); err == nil {
				d.UDI = kd.UDI
			}
			byDev[dev] = d
		}
		d.Batches++
		d.Readings += fb.Count
		fb.widen(&d.First, &d.Last)
		if !slices.Contains(d.Streams, fb.Stream) {
			d.Streams = append(d.Streams, fb.Stream)
		}
		ri.Batches++
		ri.Readings += fb.Count
	})
	if err != nil {
		return nil, err
	}
	for _, d := range byDev {
		ri.Devices = append(ri.Devices, *d)
	}
	slices.SortFunc(ri.Devices, func(a, b RecallImpactDevice) int { return strings.Compare(a.Device, b.Device) })
	return ri, nil
}

func quarantineKey(device string) ds.Key {
	return ds.NewKey("/vaultnode/quarantine/" + hex.EncodeToString([]byte(device)))
}

// UpdateResult is what recording a device's firmware update did.
type UpdateResult struct {
	Device      string `json:"device"`
	Version     string `json:"version"`
	Release     string `json:"release"` // the release's status in the registry, or "unknown"
	Quarantined bool   `json:"quarantined"`
	Reason      string `json:"reason,omitempty"`
	Block       uint64 `json:"block"`
	Tx          string `json:"tx"`
}

// RecordUpdate records a firmware update a registered unit attested to: its Ed25519 signature over
// pointers.UpdateMessage(unit, from, to) must verify with the device's key. The attestation goes on chain
// (Lifecycle.attestUpdate). If the new image is not an approved (or deprecated) release of the unit's model
// under the version given, the device is quarantined: every reading it sends is flagged quarantined until an
// operator releases it (ReleaseQuarantine).
func (n *Node) RecordUpdate(ctx context.Context, device, version string, from, to [32]byte, sig []byte) (*UpdateResult, error) {
	dev, err := n.Keys.Device(ctx, device)
	if errors.Is(err, keys.ErrUnknownDevice) || errors.Is(err, keys.ErrInvalid) {
		return nil, fmt.Errorf("%w: unknown device %q", ErrNotFound, device)
	}
	if err != nil {
		return nil, err
	}
	gtin, unit, ok := registeredUnit(dev)
	if !ok {
		return nil, fmt.Errorf("%w: device %q was enrolled without a UDI: the registry has no unit to record an update for", ErrBadInput, device)
	}
	if err := checkFirmwareVersion(version); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(dev.PublicKey, pointers.UpdateMessage(unit, from, to), sig) {
		return nil, fmt.Errorf("%w: the update attestation does not verify with the key of device %q", ErrBadSignature, device)
	}
	res := &UpdateResult{Device: device, Version: version, Release: "unknown"}
	rel, err := n.Chain.CachedRelease(ctx, pointers.ReleaseID(gtin, version))
	switch {
	case errors.Is(err, pointers.ErrUnknownRelease):
		res.Quarantined, res.Reason = true, fmt.Sprintf("firmware %s is not a release of model %014d", version, gtin)
	case errors.Is(err, pointers.ErrReleaseSignature):
		res.Quarantined, res.Reason = true, fmt.Sprintf("release %s is not signed by its manufacturer's release key", version)
	case err != nil:
		return nil, err
	default:
		res.Release = rel.Status.String()
		switch {
		case rel.ImageHash != to:
			res.Quarantined, res.Reason = true, fmt.Sprintf("the installed image is not the image of release %s", version)
		case rel.Status == pointers.ReleaseRecalled:
			res.Quarantined, res.Reason = true, fmt.Sprintf("release %s is recalled", version)
		}
	}
	rc, err := n.Chain.AttestUpdate(ctx, unit, from, to, sig)
	if err != nil {
		return nil, fmt.Errorf("record the update on chain: %w", err)
	}
	res.Block, res.Tx = rc.Block, rc.TxHash.Hex()
	if res.Quarantined {
		if err := n.Store.Datastore().Put(ctx, quarantineKey(device), []byte(res.Reason)); err != nil {
			return nil, err
		}
		n.Log.Warn("device quarantined: its readings are flagged until an operator releases it", "device", device, "reason", res.Reason)
	}
	return res, nil
}

// ReleaseQuarantine ends a device's quarantine (an operator's decision, after checking the device).
func (n *Node) ReleaseQuarantine(ctx context.Context, device string) error {
	if _, err := n.Store.Datastore().Get(ctx, quarantineKey(device)); errors.Is(err, ds.ErrNotFound) {
		return fmt.Errorf("%w: device %q is not in quarantine", ErrNotFound, device)
	} else if err != nil {
		return err
	}
	return n.Store.Datastore().Delete(ctx, quarantineKey(device))
}

// quarantined reports whether a device is in quarantine.
func (n *Node) quarantined(ctx context.Context, device string) bool {
	ok, err := n.Store.Datastore().Has(ctx, quarantineKey(device))
	return err == nil && ok
}

// implantPrefix holds which unit was implanted in which patient of this node, keyed by the patient's
// subject tag: /vaultnode/implant/<subject tag>/<hex device> → Implant. The chain records only the
// custody step; the link stays here, and a purge order of the patient (which names the subject tag) removes it
// with the patient's batches.
const implantPrefix = "/vaultnode/implant/"

func implantKey(subject keys.Tag, device string) ds.Key {
	return ds.NewKey(implantPrefix + subject.String() + "/" + hex.EncodeToString([]byte(device)))
}

// Implant is a unit implanted in a local patient, as this node keeps it (never on chain).
type Implant struct {
	Device    string     `json:"device"`
	UDI       string     `json:"udi"`
	Implanted time.Time  `json:"implanted"`
	Explanted *time.Time `json:"explanted,omitempty"`
}

// CustodyResult is a custody step this node recorded.
type CustodyResult struct {
	Device string `json:"device"`
	Step   string `json:"step"`
	Block  uint64 `json:"block"`
	Tx     string `json:"tx"`
}

// RecordCustody records a hospital's custody step of a registered unit: received, implanted (naming the
// local patient, kept off chain) or explanted (naming the same patient).
func (n *Node) RecordCustody(ctx context.Context, device, step, patient string) (*CustodyResult, error) {
	var s pointers.CustodyStep
	switch step {
	case "received":
		s = pointers.CustodyReceived
	case "implanted":
		s = pointers.CustodyImplanted
	case "explanted":
		s = pointers.CustodyExplanted
	default:
		return nil, fmt.Errorf("%w: custody step %q: a hospital records received, implanted or explanted", ErrBadInput, step)
	}
	if (patient != "") != (s != pointers.CustodyReceived) {
		return nil, fmt.Errorf("%w: %s needs the patient (and only implanted and explanted take one)", ErrBadInput, step)
	}
	dev, err := n.Keys.Device(ctx, device)
	if errors.Is(err, keys.ErrUnknownDevice) || errors.Is(err, keys.ErrInvalid) {
		return nil, fmt.Errorf("%w: unknown device %q", ErrNotFound, device)
	}
	if err != nil {
		return nil, err
	}
	_, unit, ok := registeredUnit(dev)
	if !ok {
		return nil, fmt.Errorf("%w: device %q was enrolled without a UDI: the registry has no unit", ErrBadInput, device)
	}
	var key ds.Key
	if patient != "" {
		pt, err := n.Keys.ResolvePatient(ctx, patient)
		if err != nil {
			return nil, fmt.Errorf("%w: patient: %w", ErrNotFound, err)
		}
		key = implantKey(n.Keys.SubjectTag(pt.Pseudonym), device)
		if s == pointers.CustodyExplanted {
			if has, err := n.Store.Datastore().Has(ctx, key); err != nil || !has {
				return nil, fmt.Errorf("%w: device %q is not recorded as implanted in this patient", ErrBadInput, device)
			}
		}
	}
	u, err := n.Chain.Unit(ctx, unit)
	if err != nil {
		return nil, fmt.Errorf("read unit %s: %w", dev.UDI, err)
	}
	if err := pointers.CheckCustodyStep(u, s); err != nil {
		return nil, fmt.Errorf("custody of %s: %w", dev.UDI, err)
	}
	rc, err := n.Chain.RecordCustody(ctx, unit, s)
	if err != nil {
		return nil, fmt.Errorf("record custody on chain: %w", err)
	}
	now := time.Now().UTC()
	switch s {
	case pointers.CustodyImplanted:
		b, _ := json.Marshal(Implant{Device: device, UDI: dev.UDI, Implanted: now})
		if err := n.Store.Datastore().Put(ctx, key, b); err != nil {
			return nil, err
		}
	case pointers.CustodyExplanted:
		b, err := n.Store.Datastore().Get(ctx, key)
		if err != nil {
			return nil, err
		}
		var r Implant
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, err
		}
		r.Explanted = &now
		b, _ = json.Marshal(r)
		if err := n.Store.Datastore().Put(ctx, key, b); err != nil {
			return nil, err
		}
	}
	return &CustodyResult{Device: device, Step: s.String(), Block: rc.Block, Tx: rc.TxHash.Hex()}, nil
}

// Implants lists the units implanted in a patient of this node (explanted ones included, with the time).
func (n *Node) Implants(ctx context.Context, patient string) ([]Implant, error) {
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return nil, fmt.Errorf("%w: patient: %w", ErrNotFound, err)
	}
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: implantPrefix + n.Keys.SubjectTag(pt.Pseudonym).String() + "/"})
	if err != nil {
		return nil, err
	}
	defer res.Close()
	out := []Implant{}
	for r := range res.Next() {
		if r.Error != nil {
			return nil, r.Error
		}
		var rec Implant
		if err := json.Unmarshal(r.Value, &rec); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// ConsortiumRecallImpact is a recall's impact across the consortium: this hospital's report and every other
// member's, each as that member made it. Other hospitals withhold their local device names (a device is
// shown by its UDI); nothing names a patient.
type ConsortiumRecallImpact struct {
	Model     string         `json:"model"`
	Firmware  string         `json:"firmware"`
	Release   string         `json:"release"`
	Hospitals []RecallImpact `json:"hospitals"` // this node first, then the members that answered, by account
	// Unreachable lists the members that gave no report ("peer id (account): why"): their share is unknown.
	Unreachable []string `json:"unreachable"`
	Batches     int      `json:"batches"`
	Readings    int      `json:"readings"`
}

// recallAskParallel bounds the members asked at once; recallAskTimeout bounds one member's answer.
const (
	recallAskParallel = 8
	recallAskTimeout  = 15 * time.Second
)

// ConsortiumRecallImpact asks every other member, over the recall-impact protocol, for its report on a
// firmware of a model, and puts them beside this node's.
func (n *Node) ConsortiumRecallImpact(ctx context.Context, model, version string) (*ConsortiumRecallImpact, error) {
	own, err := n.RecallImpact(ctx, model, version)
	if err != nil {
		return nil, err
	}
	out := &ConsortiumRecallImpact{Model: own.Model, Firmware: own.Firmware, Release: own.Release, Hospitals: []RecallImpact{*own},
		Unreachable: []string{}, Batches: own.Batches, Readings: own.Readings}
	if n.P2P == nil {
		return nil, fmt.Errorf("%w: the consortium-wide impact needs the network (run it through the daemon)", ErrBadInput)
	}
	members, err := n.proxies(ctx)
	if err != nil {
		return nil, err
	}
	type answer struct {
		ri      *RecallImpact
		problem string
	}
	self := n.PeerID()
	var others []proxyInfo
	for _, m := range members {
		if m.peer != self {
			others = append(others, m)
		}
	}
	answers := make([]answer, len(others))
	sem := make(chan struct{}, recallAskParallel)
	var wg sync.WaitGroup
	for i, m := range others {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			actx, cancel := context.WithTimeout(ctx, recallAskTimeout)
			defer cancel()
			raw, err := p2p.RequestRecallImpact(actx, n.P2P.Host, m.peer, own.Model, version)
			if err != nil {
				answers[i].problem = err.Error()
				return
			}
			var ri RecallImpact
			if err := json.Unmarshal(raw, &ri); err != nil {
				answers[i].problem = "malformed report: " + err.Error()
				return
			}
			// A report about something else, or in another member's name, is not this member's share.
			if ri.Model != own.Model || ri.Firmware != version || !strings.EqualFold(ri.Node, m.account.Hex()) || ri.Devices == nil {
				answers[i].problem = fmt.Sprintf("answered about model %s firmware %q as %s", ri.Model, ri.Firmware, ri.Node)
				return
			}
			answers[i].ri = &ri
		}()
	}
	wg.Wait()
	var got []RecallImpact
	for i, a := range answers {
		if a.ri == nil {
			n.Log.Warn("member's recall impact not read", "peer", others[i].peer.String(), "err", a.problem)
			out.Unreachable = append(out.Unreachable, fmt.Sprintf("%s (%s): %s", others[i].peer, others[i].account.Hex(), a.problem))
			continue
		}
		got = append(got, *a.ri)
		out.Batches += a.ri.Batches
		out.Readings += a.ri.Readings
	}
	slices.SortFunc(got, func(a, b RecallImpact) int { return strings.Compare(a.Node, b.Node) })
	out.Hospitals = append(out.Hospitals, got...)
	return out, nil
}

// sharedRecallImpact is this node's report as another member receives it: local device names withheld.
func (n *Node) sharedRecallImpact(ctx context.Context, model, version string) (json.RawMessage, error) {
	ri, err := n.RecallImpact(ctx, model, version)
	if err != nil {
		return nil, err
	}
	for i := range ri.Devices {
		ri.Devices[i].Device = ""
	}
	return json.Marshal(ri)
}
