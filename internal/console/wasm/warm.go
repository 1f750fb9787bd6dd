//go:build js && wasm

package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// warmUp runs the fetch's hot code once on throwaway data while the key
// opens: one threshold re-encryption round (kfrags, a cfrag and its proof,
// decapsulation) and one batch of warmReadings sealed and opened in memory
// (AES-GCM, SHA-256, the reading codec, the Merkle tree). The browser first
// runs WebAssembly through a baseline compiler and optimises a function only
// once it has run for a while; without this the first stream a clinician
// opens pays for that (docs/BENCHMARKS.md, "Console"). No key, reading or
// request of the clinician's is involved and nothing leaves the module.
func warmUp() error {
	delegating, err := reencrypt.GenerateSecretKey(rand.Reader)
	if err != nil {
		return err
	}
	receiving, err := reencrypt.GenerateSecretKey(rand.Reader)
	if err != nil {
		return err
	}
	_, signer, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	binding := reencrypt.KFragBinding{NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	kfrags, err := reencrypt.GenerateKFrags(rand.Reader, delegating, receiving.PublicKey(), signer, 2, 2, binding)
	if err != nil {
		return err
	}
	capsule, dek, err := reencrypt.Encapsulate(rand.Reader, delegating.PublicKey())
	if err != nil {
		return err
	}
	req := reencrypt.RequestBinding{Expires: time.Now().Add(time.Minute)}
	var cfrags []*reencrypt.CFrag
	for _, kf := range kfrags {
		cf, err := reencrypt.ReEncrypt(rand.Reader, capsule, kf, req)
		if err != nil {
			return err
		}
		if err := cf.Verify(capsule, signer.Public().(ed25519.PublicKey), delegating.PublicKey(), receiving.PublicKey(), binding, req); err != nil {
			return err
		}
		cfrags = append(cfrags, cf)
	}
	got, err := reencrypt.DecapsulateFrags(receiving, delegating.PublicKey(), capsule, cfrags)
	if err != nil {
		return err
	}
	if got != dek {
		return errors.New("warm-up: decapsulated key differs")
	}

	rs := make([]store.Reading, warmReadings)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rs {
		rs[i] = store.Reading{Device: "warm-up", Stream: "glucose", Time: t0.Add(time.Duration(i) * 5 * time.Minute),
			Value: 4 + float64(i%7000)/1000, Unit: "mmol/L", Code: "loinc:15074-8"}
	}
	sealKey := dek
	sb, err := store.Seal(store.SealParams{DEK: &sealKey, Capsule: capsule.Bytes(), Stream: "glucose", Seq: 1}, rs)
	if err != nil {
		return err
	}
	ob, err := store.OpenBatch(context.Background(), sb.Getter(), sb.Root, &dek)
	clear(dek[:])
	if err != nil {
		return err
	}
	if len(ob.Readings) != len(rs) {
		return fmt.Errorf("warm-up: opened %d readings of %d", len(ob.Readings), len(rs))
	}
	return nil
}

// warmReadings is enough work (about 0.1 s natively optimised, a few
// tenths in the baseline tier) for the browser to optimise the hot path.
const warmReadings = 10000
