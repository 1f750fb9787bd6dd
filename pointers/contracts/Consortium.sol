// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Consortium: who may write to the vaultnode registry, and which devices exist.
/// @notice Members are the hospitals' storage peers, identified by their chain account, with their libp2p
/// peer id and proxy public key. An admin set adds and removes members and admins. Devices are enrolled by a
/// member (their owner) under a keyed hash of their id, with their Ed25519 public key; the owner or an admin
/// revokes them. Nothing stored here identifies a patient.
contract Consortium {
    struct Member {
        bool active;
        uint64 since;
        bytes peerId;
        bytes proxyKey;
    }

    struct Device {
        bytes32 pubKey;   // Ed25519 public key
        address owner;    // member that enrolled it
        uint64 enrolledAt;
        bool revoked;
        uint64 revokedAt;
    }

    mapping(address => bool) public isAdmin;
    uint256 public adminCount;
    mapping(address => Member) private members;
    address[] private memberList;
    mapping(bytes32 => Device) private devices;

    event AdminAdded(address indexed admin, address indexed by);
    event AdminRemoved(address indexed admin, address indexed by);
    event MemberAdded(address indexed member, bytes peerId, bytes proxyKey, address indexed by);
    event MemberUpdated(address indexed member, bytes peerId, bytes proxyKey);
    event MemberRemoved(address indexed member, address indexed by);
    event DeviceRegistered(bytes32 indexed idHash, bytes32 pubKey, address indexed owner);
    event DeviceRevoked(bytes32 indexed idHash, address indexed by);

    error NotAdmin(address sender);
    error NotMember(address sender);
    error MemberExists(address member);
    error UnknownMember(address member);
    error AdminExists(address admin);
    error UnknownAdmin(address admin);
    error LastAdmin();
    error DeviceExists(bytes32 idHash);
    error UnknownDevice(bytes32 idHash);
    error DeviceAlreadyRevoked(bytes32 idHash);
    error NotDeviceOwner(bytes32 idHash, address sender);
    error BadInput(string what);

    modifier onlyAdmin() {
        if (!isAdmin[msg.sender]) revert NotAdmin(msg.sender);
        _;
    }

    modifier onlyMember() {
        if (!members[msg.sender].active) revert NotMember(msg.sender);
        _;
    }

    /// @param peerId the deployer's libp2p peer id (bytes); the deployer becomes the first admin and member.
    constructor(bytes memory peerId, bytes memory proxyKey) {
        isAdmin[msg.sender] = true;
        adminCount = 1;
        emit AdminAdded(msg.sender, msg.sender);
        _addMember(msg.sender, peerId, proxyKey);
    }

    function isMember(address who) external view returns (bool) {
        return members[who].active;
    }

    function getMember(address who) external view returns (bool active, uint64 since, bytes memory peerId, bytes memory proxyKey) {
        Member storage m = members[who];
        return (m.active, m.since, m.peerId, m.proxyKey);
    }

    /// @notice Every account that was ever a member (check isMember for the current status).
    function memberAccounts() external view returns (address[] memory) {
        return memberList;
    }

    function addAdmin(address admin) external onlyAdmin {
        if (admin == address(0)) revert BadInput("admin");
        if (isAdmin[admin]) revert AdminExists(admin);
        isAdmin[admin] = true;
        adminCount++;
        emit AdminAdded(admin, msg.sender);
    }

    function removeAdmin(address admin) external onlyAdmin {
        if (!isAdmin[admin]) revert UnknownAdmin(admin);
        if (adminCount == 1) revert LastAdmin();
        isAdmin[admin] = false;
        adminCount--;
        emit AdminRemoved(admin, msg.sender);
    }

    function addMember(address member, bytes calldata peerId, bytes calldata proxyKey) external onlyAdmin {
        if (member == address(0)) revert BadInput("member");
        if (members[member].active) revert MemberExists(member);
        _addMember(member, peerId, proxyKey);
    }

    function removeMember(address member) external onlyAdmin {
        if (!members[member].active) revert UnknownMember(member);
        members[member].active = false;
        emit MemberRemoved(member, msg.sender);
    }

    /// @notice A member updates its own peer id and proxy key (e.g. after key rotation).
    function updateSelf(bytes calldata peerId, bytes calldata proxyKey) external onlyMember {
        if (peerId.length == 0 || peerId.length > 128) revert BadInput("peerId");
        if (proxyKey.length == 0 || proxyKey.length > 128) revert BadInput("proxyKey");
        Member storage m = members[msg.sender];
        m.peerId = peerId;
        m.proxyKey = proxyKey;
        emit MemberUpdated(msg.sender, peerId, proxyKey);
    }

    function registerDevice(bytes32 idHash, bytes32 pubKey) external onlyMember {
        if (idHash == bytes32(0)) revert BadInput("idHash");
        if (pubKey == bytes32(0)) revert BadInput("pubKey");
        if (devices[idHash].owner != address(0)) revert DeviceExists(idHash);
        devices[idHash] = Device(pubKey, msg.sender, uint64(block.timestamp), false, 0);
        emit DeviceRegistered(idHash, pubKey, msg.sender);
    }

    function revokeDevice(bytes32 idHash) external onlyMember {
        Device storage d = devices[idHash];
        if (d.owner == address(0)) revert UnknownDevice(idHash);
        if (d.owner != msg.sender && !isAdmin[msg.sender]) revert NotDeviceOwner(idHash, msg.sender);
        if (d.revoked) revert DeviceAlreadyRevoked(idHash);
        d.revoked = true;
        d.revokedAt = uint64(block.timestamp);
        emit DeviceRevoked(idHash, msg.sender);
    }

    function getDevice(bytes32 idHash) external view returns (bytes32 pubKey, address owner, uint64 enrolledAt, bool revoked, uint64 revokedAt) {
        Device storage d = devices[idHash];
        if (d.owner == address(0)) revert UnknownDevice(idHash);
        return (d.pubKey, d.owner, d.enrolledAt, d.revoked, d.revokedAt);
    }

    function _addMember(address member, bytes memory peerId, bytes memory proxyKey) private {
        if (peerId.length > 128 || proxyKey.length > 128) revert BadInput("member key length");
        Member storage m = members[member];
        if (m.since == 0) memberList.push(member);
        m.active = true;
        m.since = uint64(block.timestamp);
        m.peerId = peerId;
        m.proxyKey = proxyKey;
        emit MemberAdded(member, peerId, proxyKey, msg.sender);
    }
}

/// @notice What the other registry contracts need from the consortium.
interface IConsortium {
    function isMember(address who) external view returns (bool);
}

/// @notice Base for registry contracts whose writers must be consortium members.
abstract contract MembersOnly {
    IConsortium public immutable consortium;

    error NotMember(address sender);

    constructor(IConsortium c) {
        consortium = c;
    }

    modifier onlyMember() {
        if (!consortium.isMember(msg.sender)) revert NotMember(msg.sender);
        _;
    }
}
