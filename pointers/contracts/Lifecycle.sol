// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice What Lifecycle asks the consortium contract.
interface IConsortiumRoles {
    function isMember(address who) external view returns (bool);
    function isAdmin(address who) external view returns (bool);
}

/// @title Lifecycle: device manufacturers, models, units, firmware releases and recalls, firmware updates
/// and the chain of custody of implants.
/// @notice Manufacturers are admitted by the consortium's admins. A manufacturer registers its models (UDI-DI,
/// the GTIN-14) and each unit it makes (the hash of its serial, UDI-PI, and the hash of the unit's device key,
/// so a hospital can enrol only a registered unit with the key it was made with). It publishes firmware
/// releases (version, SHA-256 of the image, its signature over them) and changes their status: approved,
/// deprecated, or recalled (terminal, with a reason and the block time). Members record the firmware
/// updates their devices attest to, and custody steps happen in order, each by the party that acts:
/// manufactured, sterilised, shipped by the unit's manufacturer; received, implanted, explanted by a member.
/// Nothing here names a patient: the link between an implanted unit and its patient stays in the implanting
/// hospital's keystore.
contract Lifecycle {
    IConsortiumRoles public immutable consortium;

    uint8 constant APPROVED = 1;
    uint8 constant DEPRECATED = 2;
    uint8 constant RECALLED = 3;

    uint8 constant MANUFACTURED = 1;
    uint8 constant STERILISED = 2;
    uint8 constant SHIPPED = 3;
    uint8 constant RECEIVED = 4;
    uint8 constant IMPLANTED = 5;
    uint8 constant EXPLANTED = 6;

    struct Manufacturer {
        bool active;
        bytes32 signingKey; // Ed25519 public key signing the manufacturer's firmware releases
        string name;
    }

    struct Unit {
        uint64 gtin;
        bytes32 deviceKeyHash;
        bytes32 custodyHead; // hash chain over the unit's custody steps; zero before the first
        uint8 lastStep;
    }

    struct Release {
        uint64 gtin;
        bytes32 imageHash;
        uint8 status;
        uint64 since; // block time of the current status
    }

    mapping(address => Manufacturer) private manufacturers;
    mapping(uint64 => address) public modelOwner;
    mapping(bytes32 => Unit) private units; // unitId = keccak256(abi.encode(gtin, serialHash))
    mapping(bytes32 => Release) private releases; // releaseId = keccak256(abi.encode(gtin, version))

    event ManufacturerAdded(address indexed account, bytes32 signingKey, string name, address by);
    event ManufacturerRemoved(address indexed account, address by);
    event ModelRegistered(uint64 indexed gtin, address indexed manufacturer);
    event UnitRegistered(bytes32 indexed unitId, uint64 indexed gtin, bytes32 deviceKeyHash);
    event ReleasePublished(bytes32 indexed releaseId, uint64 indexed gtin, string version, bytes32 imageHash, bytes signature);
    event ReleaseStatusChanged(bytes32 indexed releaseId, uint8 status, string reason, address by);
    event UpdateAttested(bytes32 indexed unitId, bytes32 fromImage, bytes32 toImage, bytes deviceSignature, address indexed by);
    event CustodyRecorded(bytes32 indexed unitId, uint8 step, bytes32 prev, bytes32 head, address indexed by);

    error NotAdmin(address sender);
    error NotMember(address sender);
    error NotManufacturer(address sender);
    error NotModelOwner(uint64 gtin, address sender);
    error ManufacturerExists(address account);
    error UnknownManufacturer(address account);
    error ModelExists(uint64 gtin);
    error UnknownModel(uint64 gtin);
    error UnitExists(bytes32 unitId);
    error UnknownUnit(bytes32 unitId);
    error ReleaseExists(bytes32 releaseId);
    error UnknownRelease(bytes32 releaseId);
    error BadStatus(uint8 from, uint8 to);
    error CustodyOutOfOrder(bytes32 unitId, uint8 lastStep, uint8 step);
    error CustodyWrongParty(bytes32 unitId, uint8 step, address sender);
    error BadInput(string what);

    constructor(IConsortiumRoles c) {
        consortium = c;
    }

    modifier onlyAdmin() {
        if (!consortium.isAdmin(msg.sender)) revert NotAdmin(msg.sender);
        _;
    }

    modifier onlyMember() {
        if (!consortium.isMember(msg.sender)) revert NotMember(msg.sender);
        _;
    }

    modifier onlyModelOwner(uint64 gtin) {
        address owner = modelOwner[gtin];
        if (owner == address(0)) revert UnknownModel(gtin);
        if (owner != msg.sender || !manufacturers[msg.sender].active) revert NotModelOwner(gtin, msg.sender);
        _;
    }

    function addManufacturer(address account, bytes32 signingKey, string calldata name) external onlyAdmin {
        if (account == address(0)) revert BadInput("account");
        if (signingKey == bytes32(0)) revert BadInput("signingKey");
        if (bytes(name).length == 0 || bytes(name).length > 128) revert BadInput("name");
        if (manufacturers[account].active) revert ManufacturerExists(account);
        manufacturers[account] = Manufacturer(true, signingKey, name);
        emit ManufacturerAdded(account, signingKey, name, msg.sender);
    }

    function removeManufacturer(address account) external onlyAdmin {
        if (!manufacturers[account].active) revert UnknownManufacturer(account);
        manufacturers[account].active = false;
        emit ManufacturerRemoved(account, msg.sender);
    }

    function getManufacturer(address account) external view returns (bool active, bytes32 signingKey, string memory name) {
        Manufacturer storage m = manufacturers[account];
        return (m.active, m.signingKey, m.name);
    }

    function registerModel(uint64 gtin) external {
        if (!manufacturers[msg.sender].active) revert NotManufacturer(msg.sender);
        if (gtin == 0 || gtin >= 1e14) revert BadInput("gtin");
        if (modelOwner[gtin] != address(0)) revert ModelExists(gtin);
        modelOwner[gtin] = msg.sender;
        emit ModelRegistered(gtin, msg.sender);
    }

    function registerUnit(uint64 gtin, bytes32 serialHash, bytes32 deviceKeyHash) external onlyModelOwner(gtin) {
        if (serialHash == bytes32(0)) revert BadInput("serialHash");
        if (deviceKeyHash == bytes32(0)) revert BadInput("deviceKeyHash");
        bytes32 id = keccak256(abi.encode(gtin, serialHash));
        if (units[id].gtin != 0) revert UnitExists(id);
        units[id] = Unit(gtin, deviceKeyHash, bytes32(0), 0);
        emit UnitRegistered(id, gtin, deviceKeyHash);
    }

    function getUnit(bytes32 unitId) external view returns (uint64 gtin, bytes32 deviceKeyHash, bytes32 custodyHead, uint8 lastStep) {
        Unit storage u = units[unitId];
        if (u.gtin == 0) revert UnknownUnit(unitId);
        return (u.gtin, u.deviceKeyHash, u.custodyHead, u.lastStep);
    }

    function publishRelease(uint64 gtin, string calldata version, bytes32 imageHash, bytes calldata signature) external onlyModelOwner(gtin) {
        if (bytes(version).length == 0 || bytes(version).length > 64) revert BadInput("version");
        if (imageHash == bytes32(0)) revert BadInput("imageHash");
        if (signature.length != 64) revert BadInput("signature");
        bytes32 id = keccak256(abi.encode(gtin, version));
        if (releases[id].gtin != 0) revert ReleaseExists(id);
        releases[id] = Release(gtin, imageHash, APPROVED, uint64(block.timestamp));
        emit ReleasePublished(id, gtin, version, imageHash, signature);
        emit ReleaseStatusChanged(id, APPROVED, "", msg.sender);
    }

    /// @notice Deprecate or recall a release (its manufacturer, or an admin). A recall is final.
    function setReleaseStatus(bytes32 releaseId, uint8 status, string calldata reason) external {
        Release storage r = releases[releaseId];
        if (r.gtin == 0) revert UnknownRelease(releaseId);
        address owner = modelOwner[r.gtin];
        if (!(msg.sender == owner && manufacturers[owner].active) && !consortium.isAdmin(msg.sender)) revert NotModelOwner(r.gtin, msg.sender);
        if (r.status == RECALLED || status == r.status || (status != DEPRECATED && status != RECALLED && status != APPROVED)) revert BadStatus(r.status, status);
        if (status == RECALLED && (bytes(reason).length == 0 || bytes(reason).length > 256)) revert BadInput("reason");
        r.status = status;
        r.since = uint64(block.timestamp);
        emit ReleaseStatusChanged(releaseId, status, reason, msg.sender);
    }

    function getRelease(bytes32 releaseId) external view returns (uint64 gtin, bytes32 imageHash, uint8 status, uint64 since) {
        Release storage r = releases[releaseId];
        if (r.gtin == 0) revert UnknownRelease(releaseId);
        return (r.gtin, r.imageHash, r.status, r.since);
    }

    /// @notice A member records a firmware update its device attested to (the device's Ed25519 signature over
    /// the old and new image hashes, checked off chain by the member and by anyone reading the event).
    function attestUpdate(bytes32 unitId, bytes32 fromImage, bytes32 toImage, bytes calldata deviceSignature) external onlyMember {
        if (units[unitId].gtin == 0) revert UnknownUnit(unitId);
        if (toImage == bytes32(0)) revert BadInput("toImage");
        if (deviceSignature.length != 64) revert BadInput("deviceSignature");
        emit UpdateAttested(unitId, fromImage, toImage, deviceSignature, msg.sender);
    }

    /// @notice The next custody step of a unit, by the party that acts: steps 1–3 by the unit's manufacturer,
    /// 4–6 by a member; each step follows the previous one (explanted only after implanted).
    function recordCustody(bytes32 unitId, uint8 step) external {
        Unit storage u = units[unitId];
        if (u.gtin == 0) revert UnknownUnit(unitId);
        if (step != u.lastStep + 1 || step > EXPLANTED) revert CustodyOutOfOrder(unitId, u.lastStep, step);
        if (step <= SHIPPED) {
            address owner = modelOwner[u.gtin];
            if (msg.sender != owner || !manufacturers[owner].active) revert CustodyWrongParty(unitId, step, msg.sender);
        } else if (!consortium.isMember(msg.sender)) {
            revert CustodyWrongParty(unitId, step, msg.sender);
        }
        bytes32 prev = u.custodyHead;
        bytes32 head = keccak256(abi.encode(prev, unitId, step, msg.sender));
        u.custodyHead = head;
        u.lastStep = step;
        emit CustodyRecorded(unitId, step, prev, head, msg.sender);
    }
}
