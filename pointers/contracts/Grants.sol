// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import "./Consortium.sol";

/// @title Grants: access grants per data stream and their revocations.
/// @notice A grant names a stream binding (a keyed hash of the grant id under the stream's grant key, so
/// two grants of one stream share no value on chain), the hash of the grantee's public key, a validity window, the
/// threshold M of N proxies (member accounts), the patient side's Ed25519 public key and its signature over
/// the grant. The EVM cannot check Ed25519, so every reader (the proxies before each re-encryption) checks
/// the signature off-chain; the contract checks shape and membership. A revocation carries the patient
/// side's signature over the grant id and is final.
contract Grants is MembersOnly {
    struct Grant {
        bytes32 streamBinding;
        bytes32 granteeKeyHash;
        bytes32 signerKey;
        uint64 notBefore;
        uint64 notAfter;
        uint8 m;
        uint8 n;
        bool revoked;
        uint64 revokedAt;
        address recordedBy;
        address[] proxies;
        bytes signature;
        bytes revokeSignature;
    }

    mapping(bytes32 => Grant) private grants;

    event GrantRecorded(bytes32 indexed id, bytes32 streamBinding, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, uint8 n, address[] proxies, bytes32 signerKey, bytes signature, address indexed by);
    event GrantRevoked(bytes32 indexed id, bytes signature, address indexed by);

    error GrantExists(bytes32 id);
    error UnknownGrant(bytes32 id);
    error AlreadyRevoked(bytes32 id);
    error BadWindow(uint64 notBefore, uint64 notAfter);
    error BadThreshold(uint8 m, uint8 n, uint256 proxies);
    error BadSignatureLength(uint256 length);
    error ProxyNotMember(address proxy);
    error BadInput(string what);

    constructor(IConsortium c) MembersOnly(c) {}

    function grant(
        bytes32 id,
        bytes32 streamBinding,
        bytes32 granteeKeyHash,
        uint64 notBefore,
        uint64 notAfter,
        uint8 m,
        address[] calldata proxies,
        bytes32 signerKey,
        bytes calldata signature
    ) external onlyMember {
        if (id == bytes32(0)) revert BadInput("id");
        if (streamBinding == bytes32(0)) revert BadInput("streamBinding");
        if (granteeKeyHash == bytes32(0)) revert BadInput("granteeKeyHash");
        if (signerKey == bytes32(0)) revert BadInput("signerKey");
        if (grants[id].streamBinding != bytes32(0)) revert GrantExists(id);
        if (notAfter <= notBefore) revert BadWindow(notBefore, notAfter);
        if (m == 0 || proxies.length == 0 || proxies.length > 255 || m > proxies.length) revert BadThreshold(m, uint8(proxies.length), proxies.length);
        if (signature.length != 64) revert BadSignatureLength(signature.length);
        for (uint256 i = 0; i < proxies.length; i++) {
            if (!consortium.isMember(proxies[i])) revert ProxyNotMember(proxies[i]);
            for (uint256 j = 0; j < i; j++) {
                if (proxies[j] == proxies[i]) revert BadInput("duplicate proxy");
            }
        }
        Grant storage g = grants[id];
        g.streamBinding = streamBinding;
        g.granteeKeyHash = granteeKeyHash;
        g.signerKey = signerKey;
        g.notBefore = notBefore;
        g.notAfter = notAfter;
        g.m = m;
        g.n = uint8(proxies.length);
        g.recordedBy = msg.sender;
        g.proxies = proxies;
        g.signature = signature;
        emit GrantRecorded(id, streamBinding, granteeKeyHash, notBefore, notAfter, m, uint8(proxies.length), proxies, signerKey, signature, msg.sender);
    }

    function revoke(bytes32 id, bytes calldata signature) external onlyMember {
        Grant storage g = grants[id];
        if (g.streamBinding == bytes32(0)) revert UnknownGrant(id);
        if (g.revoked) revert AlreadyRevoked(id);
        if (signature.length != 64) revert BadSignatureLength(signature.length);
        g.revoked = true;
        g.revokedAt = uint64(block.timestamp);
        g.revokeSignature = signature;
        emit GrantRevoked(id, signature, msg.sender);
    }

    function getGrant(bytes32 id) external view returns (Grant memory) {
        Grant memory g = grants[id];
        if (g.streamBinding == bytes32(0)) revert UnknownGrant(id);
        return g;
    }
}
