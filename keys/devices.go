package keys

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DeviceStatus is a device's enrolment state.
type DeviceStatus uint8

const (
	// DeviceActive: the device may push readings.
	DeviceActive DeviceStatus = 1
	// DeviceRevoked: the device key is revoked; its batches must be refused.
	DeviceRevoked DeviceStatus = 2
)

// String returns "active" or "revoked".
func (s DeviceStatus) String() string {
	switch s {
	case DeviceActive:
		return "active"
	case DeviceRevoked:
		return "revoked"
	}
	return fmt.Sprintf("DeviceStatus(%d)", uint8(s))
}

// Device is an enrolled device (public data only).
type Device struct {
	ID            string
	PublicKey     ed25519.PublicKey
	KeyID         KeyID
	Status        DeviceStatus
	Enrolled      time.Time
	Revoked       time.Time // zero unless revoked
	HasPrivateKey bool      // the private key was kept at enrolment
	UDI           string    // the unit's UDI (canonical GS1 form) when enrolled as a registered unit
}

func (r *deviceRecord) device() Device {
	d := Device{
		ID: r.id, PublicKey: append(ed25519.PublicKey(nil), r.pub...), Status: r.status,
		Enrolled: fromNano(r.enrolled), HasPrivateKey: r.seed != nil, UDI: r.udi,
	}
	d.KeyID = DeviceKeyID(d.PublicKey)
	if r.revoked != 0 {
		d.Revoked = fromNano(r.revoked)
	}
	return d
}

// EnrollDevice generates an Ed25519 key pair for a new device and records
// its public key as active. The private key is returned once, for the
// device; the keystore keeps it (encrypted) only if keepPrivate is set.
// The caller must wipe the returned private key once handed over.
func (ks *Keystore) EnrollDevice(ctx context.Context, id string, keepPrivate bool) (Device, ed25519.PrivateKey, error) {
	if err := ValidateDeviceID(id); err != nil {
		return Device{}, nil, fmt.Errorf("enroll device: %w", err)
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(ks.opts.Rand, seed); err != nil {
		return Device{}, nil, fmt.Errorf("enroll device %s: %w", id, err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	r := &deviceRecord{id: id, pub: priv.Public().(ed25519.PublicKey), status: DeviceActive}
	if keepPrivate {
		r.seed = seed
	}
	d, err := ks.addDevice(ctx, r)
	wipe(seed)
	if err != nil {
		wipe(priv)
		return Device{}, nil, err
	}
	return d, priv, nil
}

// AddDevice records a device whose key pair was generated elsewhere (only
// its public key is given), with its UDI if it is a registered unit (udi
// zero: none).
func (ks *Keystore) AddDevice(ctx context.Context, id string, pub ed25519.PublicKey, udi UDI) (Device, error) {
	if err := ValidateDeviceID(id); err != nil {
		return Device{}, fmt.Errorf("add device: %w", err)
	}
	if len(pub) != ed25519.PublicKeySize {
		return Device{}, fmt.Errorf("add device %s: %w: public key is %d bytes, want %d", id, ErrInvalid, len(pub), ed25519.PublicKeySize)
	}
	r := &deviceRecord{id: id, pub: append([]byte(nil), pub...), status: DeviceActive}
	if udi.DI != "" {
		r.udi = udi.String()
	}
	return ks.addDevice(ctx, r)
}

func (ks *Keystore) addDevice(ctx context.Context, r *deviceRecord) (Device, error) {
	if err := ks.lock(ctx); err != nil {
		return Device{}, fmt.Errorf("enroll device %s: %w", r.id, err)
	}
	defer ks.mu.Unlock()
	r.enrolled = unixNano(ks.opts.Now())
	k := keyDevice(r.id)
	pt := r.encode()
	defer wipe(pt)
	err := ks.db.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(k); err == nil {
			return fmt.Errorf("device %s: %w", r.id, ErrExists)
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		return txn.Set(k, ks.seal(ks.node, k, pt))
	})
	if err != nil {
		return Device{}, fmt.Errorf("enroll device %s: %w", r.id, err)
	}
	return r.device(), nil
}

// RevokeDevice marks a device revoked. Revoking a revoked device is a no-op
// that returns it unchanged.
func (ks *Keystore) RevokeDevice(ctx context.Context, id string) (Device, error) {
	if err := ValidateDeviceID(id); err != nil {
		return Device{}, fmt.Errorf("revoke device: %w", err)
	}
	if err := ks.lock(ctx); err != nil {
		return Device{}, fmt.Errorf("revoke device %s: %w", id, err)
	}
	defer ks.mu.Unlock()
	var d Device
	k := keyDevice(id)
	err := ks.db.Update(func(txn *badger.Txn) error {
		r, pt, err := ks.getDevice(txn, id)
		if err != nil {
			return err
		}
		defer wipe(pt)
		if r.status == DeviceRevoked {
			d = r.device()
			return nil
		}
		r.status = DeviceRevoked
		r.revoked = unixNano(ks.opts.Now())
		if r.seed != nil { // a revoked device's private key is of no further use
			r.seed = nil
		}
		npt := r.encode()
		defer wipe(npt)
		d = r.device()
		return txn.Set(k, ks.seal(ks.node, k, npt))
	})
	if err != nil {
		return Device{}, fmt.Errorf("revoke device %s: %w", id, err)
	}
	return d, nil
}

func (ks *Keystore) getDevice(txn *badger.Txn, id string) (*deviceRecord, []byte, error) {
	k := keyDevice(id)
	pt, err := ks.get(txn, ks.node, k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil, fmt.Errorf("device %s: %w", id, ErrUnknownDevice)
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := decodeDeviceRecord(pt)
	if err != nil {
		wipe(pt)
		return nil, nil, err
	}
	if r.id != id {
		wipe(pt)
		return nil, nil, fmt.Errorf("device %s: %w: record names device %q", id, ErrCorrupt, r.id)
	}
	return r, pt, nil
}

// Device returns one device.
func (ks *Keystore) Device(ctx context.Context, id string) (Device, error) {
	if err := ValidateDeviceID(id); err != nil {
		return Device{}, err
	}
	if err := ks.rlock(ctx); err != nil {
		return Device{}, err
	}
	defer ks.mu.RUnlock()
	var d Device
	err := ks.db.View(func(txn *badger.Txn) error {
		r, pt, err := ks.getDevice(txn, id)
		if err != nil {
			return err
		}
		d = r.device()
		wipe(pt)
		return nil
	})
	return d, err
}

// DevicePrivateKey returns the private key of a device enrolled with
// keepPrivate (ErrNoPrivateKey otherwise). The caller must wipe it.
func (ks *Keystore) DevicePrivateKey(ctx context.Context, id string) (ed25519.PrivateKey, error) {
	if err := ValidateDeviceID(id); err != nil {
		return nil, err
	}
	if err := ks.rlock(ctx); err != nil {
		return nil, err
	}
	defer ks.mu.RUnlock()
	var priv ed25519.PrivateKey
	err := ks.db.View(func(txn *badger.Txn) error {
		r, pt, err := ks.getDevice(txn, id)
		if err != nil {
			return err
		}
		defer wipe(pt)
		if r.seed == nil {
			return fmt.Errorf("device %s: %w", id, ErrNoPrivateKey)
		}
		priv = ed25519.NewKeyFromSeed(r.seed)
		return nil
	})
	return priv, err
}

// Devices lists every enrolled device, in id order.
func (ks *Keystore) Devices(ctx context.Context) ([]Device, error) {
	if err := ks.rlock(ctx); err != nil {
		return nil, err
	}
	defer ks.mu.RUnlock()
	var out []Device
	err := ks.db.View(func(txn *badger.Txn) error {
		return ks.eachDevice(ctx, txn, func(r *deviceRecord) error {
			out = append(out, r.device())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return out, nil
}

func (ks *Keystore) eachDevice(ctx context.Context, txn *badger.Txn, fn func(*deviceRecord) error) error {
	prefix := []byte("v/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := it.Item().KeyCopy(nil)
		var pt []byte
		if err := it.Item().Value(func(v []byte) error {
			var err error
			pt, err = openValue(ks.node, ks.id, k, v)
			return err
		}); err != nil {
			return err
		}
		r, err := decodeDeviceRecord(pt)
		if err == nil && !bytes.Equal(k, keyDevice(r.id)) {
			err = fmt.Errorf("device record: %w: stored under another id", ErrCorrupt)
		}
		if err == nil {
			err = fn(r)
		}
		wipe(pt)
		if err != nil {
			return err
		}
	}
	return nil
}
