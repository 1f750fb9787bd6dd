package zkclaim

import (
	"fmt"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"
)

// gnark logs every compile, setup and proof to stdout by default: a CLI's stdout is its output (a claim
// file, --json), so the package turns that off.
func init() { logger.Disable() }

// shape is what a kind's keys and proofs look like, independent of the capacity; the decoders check it.
type shape struct {
	nbPublic      int // public inputs, without gnark's constant-one wire
	nbCommitments int // BSB22 commitments (std/rangecheck's lookup argument needs one)
}

var shapes = map[Kind]shape{
	KindExceeds: {nbPublic: 5, nbCommitments: 0},
	KindCount:   {nbPublic: 7, nbCommitments: 1},
	KindRange:   {nbPublic: 6, nbCommitments: 1},
}

// ProvingKey is a kind's Groth16 proving key for one capacity, with the compiled constraint system the
// prover needs. The custodian holds it; it is not secret.
type ProvingKey struct {
	Kind     Kind
	Capacity int
	ccs      constraint.ConstraintSystem
	pk       *groth16bn254.ProvingKey
}

// NbConstraints is the size of the circuit behind the key.
func (pk *ProvingKey) NbConstraints() int { return pk.ccs.GetNbConstraints() }

// VerifyingKey is a kind's Groth16 verifying key for one capacity: all a verifier needs besides the
// statement and the root.
type VerifyingKey struct {
	Kind     Kind
	Capacity int
	vk       *groth16bn254.VerifyingKey
}

// Proof is a Groth16 proof of one statement about one batch root.
type Proof struct {
	Kind  Kind
	proof *groth16bn254.Proof
}

// Compile returns a kind's constraint system for a tree of capacity leaves.
func Compile(kind Kind, capacity int) (constraint.ConstraintSystem, error) {
	c, err := newCircuit(kind, capacity)
	if err != nil {
		return nil, err
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return nil, fmt.Errorf("zkclaim: compile %s circuit (capacity %d): %w", kind, capacity, err)
	}
	return ccs, nil
}

// Setup runs the Groth16 setup of a kind's circuit for DefaultCapacity.
//
// Trust: Setup draws the setup's secrets ("toxic waste") from crypto/rand and forgets them when it returns.
// Whoever runs it could keep them instead and then forge proofs of false statements for these keys. A
// consortium that does not want to trust one member must replace this by a multi-party ceremony (gnark's
// backend/groth16/bn254/mpcsetup), where one honest participant suffices. See docs/ZK.md.
func Setup(kind Kind) (*ProvingKey, *VerifyingKey, error) {
	return SetupCapacity(kind, DefaultCapacity)
}

// SetupCapacity is Setup for a tree of the given capacity (a power of two).
func SetupCapacity(kind Kind, capacity int) (*ProvingKey, *VerifyingKey, error) {
	ccs, err := Compile(kind, capacity)
	if err != nil {
		return nil, nil, err
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return nil, nil, fmt.Errorf("zkclaim: groth16 setup of %s (capacity %d): %w", kind, capacity, err)
	}
	return &ProvingKey{Kind: kind, Capacity: capacity, ccs: ccs, pk: pk.(*groth16bn254.ProvingKey)},
		&VerifyingKey{Kind: kind, Capacity: capacity, vk: vk.(*groth16bn254.VerifyingKey)}, nil
}

// Prove proves a statement about the batch whose readings (in committed order) and batch key are given:
// it rebuilds the batch's tree, checks the statement on the readings, and runs the Groth16 prover. A false
// statement is refused with ErrStatementFalse; the circuit would refuse it too (the tests check that the
// constraint system is unsatisfiable, not only this check).
func Prove(kind Kind, pk *ProvingKey, key []byte, readings []Reading, st Statement) (*Proof, error) {
	if err := checkKinds(kind, pk.Kind, st.Kind); err != nil {
		return nil, err
	}
	if err := st.Validate(); err != nil {
		return nil, err
	}
	t, err := buildTree(key, readings, pk.Capacity)
	if err != nil {
		return nil, fmt.Errorf("zkclaim: prove: %w", err)
	}
	if err := st.holds(readings); err != nil {
		return nil, err
	}
	index := 0
	if kind == KindExceeds {
		for i, r := range readings {
			if st.Hits(r) {
				index = i
				break
			}
		}
	}
	return proveTree(pk, t, t.root(), st, index)
}

// proveTree assigns a statement on root and the private inputs from t (opening leaf index for exceeds) and
// runs the prover, without checking that the statement holds or that root is t's root: the tests use it to
// show that the constraint system itself refuses false statements.
func proveTree(pk *ProvingKey, t *tree, root fr.Element, st Statement, index int) (*Proof, error) {
	c, err := st.assign(root, pk.Capacity)
	if err != nil {
		return nil, err
	}
	fillPrivate(c, t, index)
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("zkclaim: %s witness: %w", st.Kind, err)
	}
	// Keccak-256 as the commitments' hash to field, the one the exported Solidity verifier implements, so
	// every proof verifies both here and on chain.
	p, err := groth16.Prove(pk.ccs, pk.pk, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrProve, st, err)
	}
	return &Proof{Kind: st.Kind, proof: p.(*groth16bn254.Proof)}, nil
}

// Verify checks a proof of a statement about the batch with the given root. It returns nil if and only if
// the proof is valid; any other answer wraps ErrInvalidProof (or names the malformed input).
func Verify(kind Kind, vk *VerifyingKey, st Statement, root Root, proof *Proof) error {
	if err := checkKinds(kind, vk.Kind, st.Kind, proof.Kind); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	r, err := root.element()
	if err != nil {
		return err
	}
	// gnark's verifier indexes the proof's commitments by the key's; a proof with fewer would panic there.
	if len(proof.proof.Commitments) != len(vk.vk.CommitmentKeys) {
		return fmt.Errorf("%w: %d commitments, the %s key expects %d", ErrInvalidProof,
			len(proof.proof.Commitments), kind, len(vk.vk.CommitmentKeys))
	}
	c, err := st.assign(r, vk.Capacity)
	if err != nil {
		return err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return fmt.Errorf("zkclaim: %s public witness: %w", kind, err)
	}
	if err := groth16.Verify(proof.proof, vk.vk, w, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return fmt.Errorf("%w: %s about root %s: %w", ErrInvalidProof, st, root, err)
	}
	return nil
}

func checkKinds(kind Kind, others ...Kind) error {
	if !kind.valid() {
		return fmt.Errorf("%w: %d", ErrKind, kind)
	}
	for _, o := range others {
		if o != kind {
			return fmt.Errorf("%w: %s and %s", ErrKindMismatch, kind, o)
		}
	}
	return nil
}
