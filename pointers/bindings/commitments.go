// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// CommitmentsMetaData contains all meta data concerning the Commitments contract.
var CommitmentsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadCommitment\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"cidHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"claimRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"bytes16\",\"name\":\"mac\",\"type\":\"bytes16\"},{\"indexed\":false,\"internalType\":\"bytes16\",\"name\":\"prev\",\"type\":\"bytes16\"}],\"name\":\"Committed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"tags\",\"type\":\"bytes32[]\"},{\"internalType\":\"bytes[]\",\"name\":\"rootCids\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"merkleRoots\",\"type\":\"bytes32[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"claimRoots\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint32[]\",\"name\":\"counts\",\"type\":\"uint32[]\"},{\"internalType\":\"bytes16[]\",\"name\":\"macs\",\"type\":\"bytes16[]\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"memberLog\",\"outputs\":[{\"internalType\":\"bytes16\",\"name\":\"head\",\"type\":\"bytes16\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"lastBlock\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Commitments",
	Bin: "0x60a034606c57601f6109c938819003918201601f19168301916001600160401b03831184841017607057808492602094604052833981010312606c57516001600160a01b0381168103606c576080526040516109449081610085823960805181818160de015261021c0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe610260806040526004361015610013575f80fd5b5f3560e01c9081634d553f9a1461010d575080639ad18765146100c95763ee3273ed1461003e575f80fd5b346100c55760203660031901126100c5576004356001600160a01b038116908190036100c5575f525f602052606060405f20604080519161007e836108b5565b546001600160801b03198160801b169283815263ffffffff6001600160401b038360801c169283602084015260c01c16928391015260405192835260208301526040820152f35b5f80fd5b346100c5575f3660031901126100c5576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100c55760c03660031901126100c5576004356001600160401b0381116100c55761013d903690600401610885565b61024052610100526024356001600160401b0381116100c557610164903690600401610885565b9060a052906044356001600160401b0381116100c557610188903690600401610885565b60c052610120526064356001600160401b0381116100c5576101ae903690600401610885565b6101a052610140526084356001600160401b0381116100c5576101d5903690600401610885565b6101c0526101605260a4356001600160401b0381116100c5576101fc903690600401610885565b6101e0526101805263288c314960e21b81523360048201526020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa90811561087a575f9161083f575b501561082c5761024051811480159061081d575b801561080d575b80156107fd575b80156107ed575b6107de57335f525f60205260405f206040516102205261029f610220516108b5565b54906001600160801b03198260801b16610220515263ffffffff60206102205101926001600160401b038160801c16845260c01c1660406102205101525f610200525b61024051610200511061039557506001600160401b0361024051166001600160401b03825116016001600160401b038111610381576001600160401b0316815263ffffffff43166040610220510152335f525f60205260405f2090610220515160801c8254916001600160401b0360801b905160801b169063ffffffff60c01b604061022051015160c01b169263ffffffff60e01b1617171790555f80f35b634e487b7160e01b5f52601160045260245ffd5b806102005110156107ca576102005160051b60a051013560e052601e1960a05136030160e05112156100c5576001600160401b0360e05160a0510135116100c55760e05160a05101803536036020909101136100c5576103ff610200516102405161010051610905565b35156107965760e05160a0510135158015610785575b61074d5763ffffffff61043a610435610200516101c05161016051610905565b610915565b1615610717576001600160801b0319610465610460610200516101e05161018051610905565b610926565b16156106e3576040516104896020601f19601f60e05160a0510135011601826108e4565b60e05160a0510135815236602060e05160a051013560e05160a051010101116100c55760e05160a051018035906020908101908301375f602060e05160a051013583010152602081519101206080526104ec610200516102405161010051610905565b356105006102005160c05161012051610905565b35610515610200516101a05161014051610905565b3561052d610435610200516101c05161016051610905565b63ffffffff610549610460610200516101e05161018051610905565b916001600160801b0319610220515116936040519560c0875260e05160a051013560c088015260e05160a0510135602060e05160a051010160e08901375f60e0805160a051013589010152602087015260408601521660608401526001600160801b031916608083015260a0820152608051917f5776444a37306890cffbba632028efe5b316eb7c5dde9c367a1028fa7a1ab5ea339260e081601f19601f835160a051013501168101030190a46001600160801b0319610220515116610619610200516102405161010051610905565b359061062e6102005160c05161012051610905565b3563ffffffff610648610200516101a05161014051610905565b35610660610435610200516101c05161016051610905565b90610678610460610200516101e05161018051610905565b93604051966020880196875260408801526080516060880152608087015260a08601521660c08401526001600160801b03191660e083015260e082526106c0610100836108e4565b6001600160801b03199151902016610220515260016102005101610200526102e2565b60846040516310d1b55b60e01b81526102005160048201526040602482015260036044820152626d616360e81b6064820152fd5b60846040516310d1b55b60e01b815261020051600482015260406024820152600560448201526418dbdd5b9d60da1b6064820152fd5b60846040516310d1b55b60e01b81526102005160048201526040602482015260076044820152661c9bdbdd10da5960ca1b6064820152fd5b50608060e05160a051013511610415565b60846040516310d1b55b60e01b815261020051600482015260406024820152600360448201526274616760e81b6064820152fd5b634e487b7160e01b5f52603260045260245ffd5b631fec674760e31b5f5260045ffd5b50610240516101e051141561027d565b50610240516101c0511415610276565b50610240516101a051141561026f565b506102405160c0511415610268565b6305b5850b60e21b5f523360045260245ffd5b90506020813d602011610872575b8161085a602093836108e4565b810103126100c5575180151581036100c55782610254565b3d915061084d565b6040513d5f823e3d90fd5b9181601f840112156100c5578235916001600160401b0383116100c5576020808501948460051b0101116100c557565b606081019081106001600160401b038211176108d057604052565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b038211176108d057604052565b91908110156107ca5760051b0190565b3563ffffffff811681036100c55790565b356fffffffffffffffffffffffffffffffff19811681036100c5579056",
}

// Commitments is an auto generated Go binding around an Ethereum contract.
type Commitments struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Commitments) GetABI() abi.ABI {
	return c.abi
}

// NewCommitments creates a new instance of Commitments.
func NewCommitments() *Commitments {
	parsed, err := CommitmentsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Commitments{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Commitments) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address c) returns()
func (commitments *Commitments) PackConstructor(c common.Address) []byte {
	enc, err := commitments.abi.Pack("", c)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackCommit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d553f9a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commit(bytes32[] tags, bytes[] rootCids, bytes32[] merkleRoots, bytes32[] claimRoots, uint32[] counts, bytes16[] macs) returns()
func (commitments *Commitments) PackCommit(tags [][32]byte, rootCids [][]byte, merkleRoots [][32]byte, claimRoots [][32]byte, counts []uint32, macs [][16]byte) []byte {
	enc, err := commitments.abi.Pack("commit", tags, rootCids, merkleRoots, claimRoots, counts, macs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d553f9a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commit(bytes32[] tags, bytes[] rootCids, bytes32[] merkleRoots, bytes32[] claimRoots, uint32[] counts, bytes16[] macs) returns()
func (commitments *Commitments) TryPackCommit(tags [][32]byte, rootCids [][]byte, merkleRoots [][32]byte, claimRoots [][32]byte, counts []uint32, macs [][16]byte) ([]byte, error) {
	return commitments.abi.Pack("commit", tags, rootCids, merkleRoots, claimRoots, counts, macs)
}

// PackConsortium is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9ad18765.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function consortium() view returns(address)
func (commitments *Commitments) PackConsortium() []byte {
	enc, err := commitments.abi.Pack("consortium")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackConsortium is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9ad18765.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function consortium() view returns(address)
func (commitments *Commitments) TryPackConsortium() ([]byte, error) {
	return commitments.abi.Pack("consortium")
}

// UnpackConsortium is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9ad18765.
//
// Solidity: function consortium() view returns(address)
func (commitments *Commitments) UnpackConsortium(data []byte) (common.Address, error) {
	out, err := commitments.abi.Unpack("consortium", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackMemberLog is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xee3273ed.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function memberLog(address member) view returns(bytes16 head, uint64 count, uint32 lastBlock)
func (commitments *Commitments) PackMemberLog(member common.Address) []byte {
	enc, err := commitments.abi.Pack("memberLog", member)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMemberLog is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xee3273ed.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function memberLog(address member) view returns(bytes16 head, uint64 count, uint32 lastBlock)
func (commitments *Commitments) TryPackMemberLog(member common.Address) ([]byte, error) {
	return commitments.abi.Pack("memberLog", member)
}

// MemberLogOutput serves as a container for the return parameters of contract
// method MemberLog.
type MemberLogOutput struct {
	Head      [16]byte
	Count     uint64
	LastBlock uint32
}

// UnpackMemberLog is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xee3273ed.
//
// Solidity: function memberLog(address member) view returns(bytes16 head, uint64 count, uint32 lastBlock)
func (commitments *Commitments) UnpackMemberLog(data []byte) (MemberLogOutput, error) {
	out, err := commitments.abi.Unpack("memberLog", data)
	outstruct := new(MemberLogOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Head = *abi.ConvertType(out[0], new([16]byte)).(*[16]byte)
	outstruct.Count = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.LastBlock = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	return *outstruct, nil
}

// CommitmentsCommitted represents a Committed event raised by the Commitments contract.
type CommitmentsCommitted struct {
	Tag        [32]byte
	By         common.Address
	CidHash    [32]byte
	RootCid    []byte
	MerkleRoot [32]byte
	ClaimRoot  [32]byte
	Count      uint32
	Mac        [16]byte
	Prev       [16]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const CommitmentsCommittedEventName = "Committed"

// ContractEventName returns the user-defined event name.
func (CommitmentsCommitted) ContractEventName() string {
	return CommitmentsCommittedEventName
}

// UnpackCommittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Committed(bytes32 indexed tag, address indexed by, bytes32 indexed cidHash, bytes rootCid, bytes32 merkleRoot, bytes32 claimRoot, uint32 count, bytes16 mac, bytes16 prev)
func (commitments *Commitments) UnpackCommittedEvent(log *types.Log) (*CommitmentsCommitted, error) {
	event := "Committed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != commitments.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommitmentsCommitted)
	if len(log.Data) > 0 {
		if err := commitments.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range commitments.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (commitments *Commitments) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], commitments.abi.Errors["BadCommitment"].ID.Bytes()[:4]) {
		return commitments.UnpackBadCommitmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], commitments.abi.Errors["LengthMismatch"].ID.Bytes()[:4]) {
		return commitments.UnpackLengthMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], commitments.abi.Errors["NotMember"].ID.Bytes()[:4]) {
		return commitments.UnpackNotMemberError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// CommitmentsBadCommitment represents a BadCommitment error raised by the Commitments contract.
type CommitmentsBadCommitment struct {
	Index *big.Int
	What  string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadCommitment(uint256 index, string what)
func CommitmentsBadCommitmentErrorID() common.Hash {
	return common.HexToHash("0x10d1b55bb0a6e1f0c1c3751d48775d2370a78568af4324a25c6f88863a3aceff")
}

// UnpackBadCommitmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadCommitment(uint256 index, string what)
func (commitments *Commitments) UnpackBadCommitmentError(raw []byte) (*CommitmentsBadCommitment, error) {
	out := new(CommitmentsBadCommitment)
	if err := commitments.abi.UnpackIntoInterface(out, "BadCommitment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommitmentsLengthMismatch represents a LengthMismatch error raised by the Commitments contract.
type CommitmentsLengthMismatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error LengthMismatch()
func CommitmentsLengthMismatchErrorID() common.Hash {
	return common.HexToHash("0xff633a3803c58b9bc21e58efecee59f27e033cc0b1883fccb4969c76146fe60f")
}

// UnpackLengthMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error LengthMismatch()
func (commitments *Commitments) UnpackLengthMismatchError(raw []byte) (*CommitmentsLengthMismatch, error) {
	out := new(CommitmentsLengthMismatch)
	if err := commitments.abi.UnpackIntoInterface(out, "LengthMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommitmentsNotMember represents a NotMember error raised by the Commitments contract.
type CommitmentsNotMember struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMember(address sender)
func CommitmentsNotMemberErrorID() common.Hash {
	return common.HexToHash("0x16d6142c051fd31eaf080eccdc319a6d11b659baa2266c1e4d7e444bd19c4a32")
}

// UnpackNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMember(address sender)
func (commitments *Commitments) UnpackNotMemberError(raw []byte) (*CommitmentsNotMember, error) {
	out := new(CommitmentsNotMember)
	if err := commitments.abi.UnpackIntoInterface(out, "NotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}
