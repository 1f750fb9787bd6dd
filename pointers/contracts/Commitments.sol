// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import "./Consortium.sol";

/// @title Commitments: batch commitments of data streams, many per transaction.
/// @notice Per stream (tag = keyed hash of pseudonym and stream name) the contract keeps ONE storage slot:
/// a hash chain over every commitment the stream ever had (truncated to 128 bits), the last sequence and
/// the first and last block holding its commitments. The commitments themselves are emitted as events
/// indexed by stream tag and sequence. A reader lists a stream's commitments by filtering Committed events
/// of that tag between firstBlock and lastBlock and recomputes the hash chain, so a node serving logs
/// cannot drop, add, reorder or alter a commitment unnoticed. Sequences of a stream must strictly
/// increase: a repeated (tag, seq) is rejected and reverts the whole transaction. One slot per stream and
/// no storage per commitment keeps gas low where creating state is expensive (see docs/CHAIN.md).
contract Commitments is MembersOnly {
    struct Stream {
        bytes16 head;      // truncated keccak256 hash chain; zero before the first commitment
        uint64 lastSeq;
        uint32 firstBlock;
        uint32 lastBlock;
    }

    mapping(bytes32 => Stream) private streams;
    /// @notice The member that owns each stream (its custodian): the first to commit to it or claim it.
    /// Only the owner commits to a stream, and only the owner records grants on it (Grants asks here).
    mapping(bytes32 => address) private owners;

    event Committed(bytes32 indexed tag, uint64 indexed seq, bytes rootCid, bytes32 merkleRoot, uint32 count);

    error DuplicateSequence(bytes32 tag, uint64 seq, uint64 lastSeq);
    error LengthMismatch();
    error BadCommitment(uint256 index, string what);
    error NotStreamOwner(bytes32 tag, address sender);

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
            _claim(tag);
            Stream memory s = streams[tag];
            if (s.head != bytes16(0) && seq <= s.lastSeq) revert DuplicateSequence(tag, seq, s.lastSeq);
            if (s.head == bytes16(0)) s.firstBlock = uint32(block.number);
            s.head = bytes16(keccak256(abi.encode(s.head, tag, seq, keccak256(cid), merkleRoots[i], counts[i])));
            s.lastSeq = seq;
            s.lastBlock = uint32(block.number);
            streams[tag] = s;
            emit Committed(tag, seq, cid, merkleRoots[i], counts[i]);
        }
    }

    /// @notice The stream's state; head == 0 means no commitment yet.
    /// @notice Claims a stream for the sender before its first commitment (a grant recorded before any
    /// batch was committed). Claiming a stream the sender owns already does nothing.
    function claimStream(bytes32 tag) external onlyMember {
        if (tag == bytes32(0)) revert BadCommitment(0, "tag");
        _claim(tag);
    }

    function ownerOf(bytes32 tag) external view returns (address) {
        return owners[tag];
    }

    function _claim(bytes32 tag) private {
        address o = owners[tag];
        if (o == address(0)) {
            owners[tag] = msg.sender;
        } else if (o != msg.sender) {
            revert NotStreamOwner(tag, msg.sender);
        }
    }

    function stream(bytes32 tag) external view returns (bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock, address owner) {
        Stream memory s = streams[tag];
        return (s.head, s.lastSeq, s.firstBlock, s.lastBlock, owners[tag]);
    }
}

/// @notice What Grants needs from Commitments: who owns a stream.
interface IStreamOwners {
    function ownerOf(bytes32 tag) external view returns (address);
}
