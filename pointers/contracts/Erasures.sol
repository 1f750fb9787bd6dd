// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import "./Consortium.sol";

/// @title Erasures: the deletion registry.
/// @notice One record per erased subject (tag = keyed hash of the patient pseudonym): a commitment to the
/// destroyed key ids, the keyed hash of the erasure request reference, the hash of the signed purge order
/// every member acknowledges (so an acknowledgement cannot be attributed to another erasure), the DPO's
/// member account and the block time. Refusals to erase carry a legal ground code and are keyed by the request-reference hash.
contract Erasures is MembersOnly {
    struct Erasure {
        bytes32 keyIdsCommitment;
        bytes32 requestRefHash;
        bytes32 purgeOrderHash;
        address dpo;
        uint64 time;
    }

    struct Refusal {
        bytes32 subjectTag;
        address dpo;
        uint64 time;
        uint16 legalGround;
    }

    mapping(bytes32 => Erasure) private erasures;
    mapping(bytes32 => Refusal) private refusals;

    event Erased(bytes32 indexed subjectTag, bytes32 keyIdsCommitment, bytes32 indexed requestRefHash, bytes32 purgeOrderHash, address indexed dpo, uint64 time);
    event Refused(bytes32 indexed subjectTag, bytes32 indexed requestRefHash, uint16 legalGround, address indexed dpo, uint64 time);

    error AlreadyErased(bytes32 subjectTag);
    error AlreadyRefused(bytes32 requestRefHash);
    error UnknownErasure(bytes32 subjectTag);
    error UnknownRefusal(bytes32 requestRefHash);
    error BadInput(string what);

    constructor(IConsortium c) MembersOnly(c) {}

    function recordErasure(bytes32 subjectTag, bytes32 keyIdsCommitment, bytes32 requestRefHash, bytes32 purgeOrderHash) external onlyMember {
        if (subjectTag == bytes32(0)) revert BadInput("subjectTag");
        if (keyIdsCommitment == bytes32(0)) revert BadInput("keyIdsCommitment");
        if (requestRefHash == bytes32(0)) revert BadInput("requestRefHash");
        if (purgeOrderHash == bytes32(0)) revert BadInput("purgeOrderHash");
        if (erasures[subjectTag].dpo != address(0)) revert AlreadyErased(subjectTag);
        erasures[subjectTag] = Erasure(keyIdsCommitment, requestRefHash, purgeOrderHash, msg.sender, uint64(block.timestamp));
        emit Erased(subjectTag, keyIdsCommitment, requestRefHash, purgeOrderHash, msg.sender, uint64(block.timestamp));
    }

    function recordRefusal(bytes32 subjectTag, bytes32 requestRefHash, uint16 legalGround) external onlyMember {
        if (subjectTag == bytes32(0)) revert BadInput("subjectTag");
        if (requestRefHash == bytes32(0)) revert BadInput("requestRefHash");
        if (legalGround == 0) revert BadInput("legalGround");
        if (refusals[requestRefHash].dpo != address(0)) revert AlreadyRefused(requestRefHash);
        refusals[requestRefHash] = Refusal(subjectTag, msg.sender, uint64(block.timestamp), legalGround);
        emit Refused(subjectTag, requestRefHash, legalGround, msg.sender, uint64(block.timestamp));
    }

    function getErasure(bytes32 subjectTag) external view returns (Erasure memory) {
        Erasure memory e = erasures[subjectTag];
        if (e.dpo == address(0)) revert UnknownErasure(subjectTag);
        return e;
    }

    function getRefusal(bytes32 requestRefHash) external view returns (Refusal memory) {
        Refusal memory r = refusals[requestRefHash];
        if (r.dpo == address(0)) revert UnknownRefusal(requestRefHash);
        return r;
    }
}
