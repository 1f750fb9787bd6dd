// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import "./Consortium.sol";

/// @title Commitments: batch commitments, many per transaction, unlinkable per stream.
/// @notice A commitment names no stream. Its tag is fresh per batch (a keyed hash of the stream's chain
/// secret and the batch's sequence number, computed off-chain), its MAC (keyed by the same secret) lets a
/// holder of the secret tell the custodian's commitment from a copy with other content, and neither
/// repeats across batches, so a reader of the chain alone cannot group the commitments of one stream.
/// Tamper evidence is kept per member instead of per stream: the contract keeps ONE storage slot per
/// member, a hash chain over every commitment the member ever made (truncated to 128 bits) with their
/// count and the last block, and each Committed event carries the head before it. A reader holding one
/// event of a member can recompute the chain from there to the on-chain head over the member's later
/// events: a node serving logs cannot drop, add, reorder or alter any of them unnoticed. Sequence
/// numbers never reach the chain; the custodian (and a grantee with the secret) find batch n by its tag,
/// and anyone holding a block finds its commitment by the hash of its root CID (which no other
/// commitment carries). A commitment may also carry a claim root: the batch's salted Poseidon2 commitment
/// that zero-knowledge claims are proven against (zero when the stream makes no claims).
contract Commitments is MembersOnly {
    struct Log {
        bytes16 head;      // truncated keccak256 hash chain; zero before the member's first commitment
        uint64 count;      // commitments the member made
        uint32 lastBlock;  // block of the member's latest commitment
    }

    mapping(address => Log) private logs;

    event Committed(bytes32 indexed tag, address indexed by, bytes32 indexed cidHash, bytes rootCid, bytes32 merkleRoot, bytes32 claimRoot, uint32 count, bytes16 mac, bytes16 prev);

    error LengthMismatch();
    error BadCommitment(uint256 index, string what);

    constructor(IConsortium c) MembersOnly(c) {}

    /// @notice Commits many batches at once. Reverts entirely on the first invalid entry.
    function commit(
        bytes32[] calldata tags,
        bytes[] calldata rootCids,
        bytes32[] calldata merkleRoots,
        bytes32[] calldata claimRoots,
        uint32[] calldata counts,
        bytes16[] calldata macs
    ) external onlyMember {
        uint256 n = tags.length;
        if (rootCids.length != n || merkleRoots.length != n || claimRoots.length != n || counts.length != n || macs.length != n) revert LengthMismatch();
        Log memory l = logs[msg.sender];
        for (uint256 i = 0; i < n; i++) {
            bytes calldata cid = rootCids[i];
            if (tags[i] == bytes32(0)) revert BadCommitment(i, "tag");
            if (cid.length == 0 || cid.length > 128) revert BadCommitment(i, "rootCid");
            if (counts[i] == 0) revert BadCommitment(i, "count");
            if (macs[i] == bytes16(0)) revert BadCommitment(i, "mac");
            bytes32 cidHash = keccak256(cid);
            emit Committed(tags[i], msg.sender, cidHash, cid, merkleRoots[i], claimRoots[i], counts[i], macs[i], l.head);
            l.head = bytes16(keccak256(abi.encode(l.head, tags[i], cidHash, merkleRoots[i], claimRoots[i], counts[i], macs[i])));
        }
        l.count += uint64(n);
        l.lastBlock = uint32(block.number);
        logs[msg.sender] = l;
    }

    /// @notice A member's commitment log: its hash chain head (zero: no commitment yet), count and last block.
    function memberLog(address member) external view returns (bytes16 head, uint64 count, uint32 lastBlock) {
        Log memory l = logs[member];
        return (l.head, l.count, l.lastBlock);
    }
}
