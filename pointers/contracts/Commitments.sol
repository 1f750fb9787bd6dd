// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import "./Consortium.sol";

/// @title Commitments: batch commitments of data streams, many per transaction.
/// @notice Per stream (tag = keyed hash of pseudonym and stream name) the contract keeps ONE packed slot
/// (last sequence, number of commitments, first and last block) and a hash chain over every commitment
/// ever accepted. The commitments themselves are emitted as events indexed by stream tag. A reader lists a
/// stream's commitments by filtering Committed events of that tag between firstBlock and lastBlock and
/// checks them against the on-chain hash chain head and count, so a node serving logs cannot drop, add or
/// alter a commitment unnoticed. Sequences of a stream must strictly increase: a repeated (tag, seq) is
/// rejected and reverts the whole transaction.
contract Commitments is MembersOnly {
    struct Stream {
        uint64 lastSeq;
        uint64 count;
        uint64 firstBlock;
        uint64 lastBlock;
    }

    mapping(bytes32 => Stream) private streams;
    mapping(bytes32 => bytes32) public chainHead;

    event Committed(bytes32 indexed tag, uint64 indexed seq, bytes rootCid, bytes32 merkleRoot, uint32 count, address indexed by);

    error DuplicateSequence(bytes32 tag, uint64 seq, uint64 lastSeq);
    error LengthMismatch();
    error BadCommitment(uint256 index, string what);

    constructor(IConsortium c) MembersOnly(c) {}

    /// @notice Commits many batches at once. Reverts entirely on the first invalid entry.
    function commit(
        bytes32[] calldata tags,
        uint64[] calldata seqs,
        bytes[] calldata rootCids,
        bytes32[] calldata merkleRoots,
        uint32[] calldata counts
    ) external onlyMember {
        uint256 n = tags.length;
        if (seqs.length != n || rootCids.length != n || merkleRoots.length != n || counts.length != n) revert LengthMismatch();
        for (uint256 i = 0; i < n; i++) {
            bytes32 tag = tags[i];
            uint64 seq = seqs[i];
            bytes calldata cid = rootCids[i];
            if (tag == bytes32(0)) revert BadCommitment(i, "tag");
            if (cid.length == 0 || cid.length > 128) revert BadCommitment(i, "rootCid");
            if (counts[i] == 0) revert BadCommitment(i, "count");
            Stream memory s = streams[tag];
            if (s.count != 0 && seq <= s.lastSeq) revert DuplicateSequence(tag, seq, s.lastSeq);
            if (s.count == 0) s.firstBlock = uint64(block.number);
            s.lastSeq = seq;
            s.count++;
            s.lastBlock = uint64(block.number);
            streams[tag] = s;
            chainHead[tag] = keccak256(abi.encode(chainHead[tag], tag, seq, keccak256(cid), merkleRoots[i], counts[i]));
            emit Committed(tag, seq, cid, merkleRoots[i], counts[i], msg.sender);
        }
    }

    /// @notice The stream's state; count == 0 means no commitment yet.
    function stream(bytes32 tag) external view returns (uint64 lastSeq, uint64 count, uint64 firstBlock, uint64 lastBlock, bytes32 head) {
        Stream memory s = streams[tag];
        return (s.lastSeq, s.count, s.firstBlock, s.lastBlock, chainHead[tag]);
    }
}
