package zkclaim

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/consensys/gnark/backend/solidity"
	"golang.org/x/crypto/sha3"
)

// SolidityPragma is the compiler version the exported verifiers declare: the repository's pinned solc
// (scripts/contracts.sh).
const SolidityPragma = "0.8.30"

// SolidityContractName is the name of a kind's exported verifier contract (gnark names every one
// "Verifier"; the contracts share one compilation, so each gets its own name).
func SolidityContractName(kind Kind) string {
	return "ZKClaim" + strings.ToUpper(kind.String()[:1]) + kind.String()[1:] + "Verifier"
}

// ExportSolidity writes the Solidity verifier of a verifying key (gnark's template): a contract whose
// verifyProof reverts unless the proof is valid for the public inputs (root, From, To and the claim's
// parameters, in the circuit's order, signed values as their residue modulo the field). The commitments'
// hash to field is Keccak-256, as in Prove.
func ExportSolidity(vk *VerifyingKey, w io.Writer) error {
	var buf bytes.Buffer
	if err := vk.vk.ExportSolidity(&buf, solidity.WithPragmaVersion(SolidityPragma),
		solidity.WithHashToFieldFunction(sha3.NewLegacyKeccak256())); err != nil {
		return fmt.Errorf("zkclaim: export %s verifier: %w", vk.Kind, err)
	}
	src := buf.String()
	if !strings.Contains(src, "contract Verifier {") {
		return fmt.Errorf("zkclaim: export %s verifier: gnark's template no longer declares contract Verifier", vk.Kind)
	}
	src = strings.Replace(src, "contract Verifier {", "contract "+SolidityContractName(vk.Kind)+" {", 1)
	// The verifier embeds one setup's verifying key: say which, so that no one deploys it for another.
	vkBytes, err := vk.MarshalBinary()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(vkBytes)
	note := fmt.Sprintf("// Exported by vaultnode store/zkclaim (gnark v0.14.0 Groth16 verifier) for %s claims, tree capacity %d,\n"+
		"// verifying key SHA-256 %x. It accepts only proofs made with that setup's proving key. Do not edit.\n",
		vk.Kind, vk.Capacity, sum)
	const spdx = "// SPDX-License-Identifier: MIT\n"
	if i := strings.Index(src, spdx); i >= 0 {
		src = src[:i+len(spdx)] + note + src[i+len(spdx):]
	} else {
		src = note + src
	}
	_, err = io.WriteString(w, src)
	return err
}

// SolidityCalldata returns a proof in the layout gnark's Solidity verifier takes (the eight proof words, then
// for count and range the commitment's two words and its proof of knowledge's two words) and the
// public inputs of a statement about root as uint256 values.
func SolidityCalldata(st Statement, root Root, capacity int, proof *Proof) (proofWords []byte, inputs []*big.Int, err error) {
	pub, err := publicInputs(st, root, capacity)
	if err != nil {
		return nil, nil, err
	}
	for i := 0; i < len(pub); i += 32 {
		inputs = append(inputs, new(big.Int).SetBytes(pub[i:i+32]))
	}
	// MarshalSolidity is gnark's serialisation, whose commitments are a length-prefixed list: keep its eight
	// proof words and append the commitment and its proof of knowledge as the verifier's two arrays.
	words := proof.proof.MarshalSolidity()[:8*32]
	for i := range proof.proof.Commitments {
		b := proof.proof.Commitments[i].RawBytes()
		words = append(words, b[:]...)
	}
	if len(proof.proof.Commitments) > 0 {
		b := proof.proof.CommitmentPok.RawBytes()
		words = append(words, b[:]...)
	}
	return words, inputs, nil
}
