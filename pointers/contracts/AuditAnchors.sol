// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import "./Consortium.sol";

/// @title AuditAnchors: Merkle roots of contiguous ranges of a proxy's hash-chained access log.
/// @notice A log is named by a 32-byte id and belongs to the member that anchored it first. Each anchor
/// covers entries [fromIndex, toIndex) and must start where the previous one ended, so the anchors of a log
/// cover it without gaps or overlaps.
contract AuditAnchors is MembersOnly {
    struct Anchor {
        bytes32 root;
        uint64 fromIndex;
        uint64 toIndex;
        uint64 time;
    }

    mapping(bytes32 => address) public logOwner;
    mapping(bytes32 => Anchor[]) private anchors;

    event Anchored(bytes32 indexed logId, uint256 indexed anchorIndex, uint64 fromIndex, uint64 toIndex, bytes32 root, address indexed by);

    error NotLogOwner(bytes32 logId, address sender);
    error AnchorGap(bytes32 logId, uint64 expectedFrom, uint64 fromIndex);
    error EmptyRange(uint64 fromIndex, uint64 toIndex);
    error NoAnchor(bytes32 logId, uint64 entryIndex);
    error BadInput(string what);

    constructor(IConsortium c) MembersOnly(c) {}

    function anchor(bytes32 logId, uint64 fromIndex, uint64 toIndex, bytes32 root) external onlyMember {
        if (logId == bytes32(0)) revert BadInput("logId");
        if (root == bytes32(0)) revert BadInput("root");
        if (toIndex <= fromIndex) revert EmptyRange(fromIndex, toIndex);
        address owner = logOwner[logId];
        if (owner == address(0)) {
            logOwner[logId] = msg.sender;
        } else if (owner != msg.sender) {
            revert NotLogOwner(logId, msg.sender);
        }
        Anchor[] storage list = anchors[logId];
        uint64 expected = list.length == 0 ? 0 : list[list.length - 1].toIndex;
        if (fromIndex != expected) revert AnchorGap(logId, expected, fromIndex);
        list.push(Anchor(root, fromIndex, toIndex, uint64(block.timestamp)));
        emit Anchored(logId, list.length - 1, fromIndex, toIndex, root, msg.sender);
    }

    function anchorCount(bytes32 logId) external view returns (uint256) {
        return anchors[logId].length;
    }

    function getAnchor(bytes32 logId, uint256 anchorIndex) external view returns (Anchor memory) {
        return anchors[logId][anchorIndex];
    }

    /// @notice The anchor whose range covers the given log entry index (binary search).
    function anchorFor(bytes32 logId, uint64 entryIndex) external view returns (uint256 anchorIndex, Anchor memory a) {
        Anchor[] storage list = anchors[logId];
        uint256 lo = 0;
        uint256 hi = list.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            Anchor storage x = list[mid];
            if (entryIndex < x.fromIndex) {
                hi = mid;
            } else if (entryIndex >= x.toIndex) {
                lo = mid + 1;
            } else {
                return (mid, x);
            }
        }
        revert NoAnchor(logId, entryIndex);
    }
}
