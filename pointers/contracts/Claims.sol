// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The Groth16 verifier of exceeds claims (ZKClaimExceedsVerifier, exported by gnark from the
/// setup's verifying key): reverts unless the proof is valid for the public inputs.
interface IExceedsVerifier {
    function verifyProof(uint256[8] calldata proof, uint256[5] calldata input) external view;
}

/// @title Claims: zero-knowledge claims about committed batches, verified on chain.
/// @notice Anyone may ask the chain to verify an exceeds claim ("at least one reading between From and To
/// was >= Threshold", or <= with Below, about the batch whose claim root is input[0]). Only a claim whose
/// proof verifies is recorded, with the hash of its public inputs (the statement and the root) and who
/// asked, so an auditor can rely on the chain alone that it was verified. That the claim root belongs to a
/// batch commitment is read from the Commitments contract's events (its claimRoot field).
contract Claims {
    IExceedsVerifier public immutable exceedsVerifier;

    /// @notice input: claim root, From, To (Unix ms), Threshold (fixed point, as its residue modulo the
    /// BN254 scalar field when negative), Below (0 or 1).
    event ClaimVerified(bytes32 indexed statementHash, bytes32 indexed claimRoot, address indexed by, uint256[5] input);

    constructor(IExceedsVerifier v) {
        exceedsVerifier = v;
    }

    /// @notice Verifies an exceeds claim and records it; reverts (ProofInvalid, from the verifier) if the
    /// proof does not verify.
    function recordExceeds(uint256[8] calldata proof, uint256[5] calldata input) external returns (bytes32 statementHash) {
        exceedsVerifier.verifyProof(proof, input);
        statementHash = keccak256(abi.encode(input));
        emit ClaimVerified(statementHash, bytes32(input[0]), msg.sender, input);
    }
}
