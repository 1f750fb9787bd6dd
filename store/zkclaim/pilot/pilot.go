// Package pilot holds the keys of the pilot setup of the exceeds claim circuit, embedded in the binary so
// that a custodian proves and anyone verifies with nothing but vaultnode: the proving key (1.4 MB), the
// verifying key, and (in pointers/contracts) the Solidity verifier exported from it, which the chain
// client deploys with the consortium's other contracts.
//
// Trust: these keys come from one run of zkclaim.Setup by the vaultnode developers
// (scripts/zk-setup.sh). Whoever ran it could have kept the setup's secrets and could then prove false
// claims that verify with these keys, off chain and on chain; zero knowledge (what a proof reveals) does not
// depend on it. A consortium that relies on claims replaces the keys with the output of its own setup or
// multi-party ceremony (docs/ZK.md §4) and rebuilds; a claim names the SHA-256 of the verifying key it was
// made for, so a claim made under other keys is refused, never mis-verified.
package pilot

import (
	"crypto/sha256"
	_ "embed"
	"sync"

	"github.com/vaultnode/vaultnode/store/zkclaim"
)

var (
	//go:embed exceeds.pk
	exceedsPK []byte
	//go:embed exceeds.vk
	exceedsVK []byte
)

// VerifyingKeyHash is the SHA-256 of the pilot exceeds verifying key's encoding: what a claim names.
func VerifyingKeyHash() [32]byte { return sha256.Sum256(exceedsVK) }

var (
	pkOnce sync.Once
	pk     *zkclaim.ProvingKey
	pkErr  error
	vkOnce sync.Once
	vk     *zkclaim.VerifyingKey
	vkErr  error
)

// ProvingKey is the pilot exceeds proving key, decoded once.
func ProvingKey() (*zkclaim.ProvingKey, error) {
	pkOnce.Do(func() { pk, pkErr = zkclaim.UnmarshalProvingKey(exceedsPK) })
	return pk, pkErr
}

// VerifyingKey is the pilot exceeds verifying key, decoded once.
func VerifyingKey() (*zkclaim.VerifyingKey, error) {
	vkOnce.Do(func() { vk, vkErr = zkclaim.UnmarshalVerifyingKey(exceedsVK) })
	return vk, vkErr
}
