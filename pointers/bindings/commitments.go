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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadCommitment\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"cidHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"bytes16\",\"name\":\"mac\",\"type\":\"bytes16\"},{\"indexed\":false,\"internalType\":\"bytes16\",\"name\":\"prev\",\"type\":\"bytes16\"}],\"name\":\"Committed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"tags\",\"type\":\"bytes32[]\"},{\"internalType\":\"bytes[]\",\"name\":\"rootCids\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"merkleRoots\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint32[]\",\"name\":\"counts\",\"type\":\"uint32[]\"},{\"internalType\":\"bytes16[]\",\"name\":\"macs\",\"type\":\"bytes16[]\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"memberLog\",\"outputs\":[{\"internalType\":\"bytes16\",\"name\":\"head\",\"type\":\"bytes16\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"lastBlock\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Commitments",
	Bin: "0x60a034606d57601f61084638819003918201601f19168301916001600160401b03831184841017607157808492602094604052833981010312606d57516001600160a01b0381168103606d576080526040516107c09081610086823960805181818161019a01526106db0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081639ad18765146106c957508063c858e8a5146100c85763ee3273ed1461003d575f80fd5b346100c45760203660031901126100c4576004356001600160a01b038116908190036100c4575f525f602052606060405f20604080519161007d8361073a565b546001600160801b03198160801b169283815263ffffffff6001600160401b038360801c169283602084015260c01c16928391015260405192835260208301526040820152f35b5f80fd5b346100c45760a03660031901126100c4576004356001600160401b0381116100c4576100f890369060040161070a565b906024356001600160401b0381116100c45761011890369060040161070a565b9290916044356001600160401b0381116100c45761013a90369060040161070a565b916064356001600160401b0381116100c45761015a90369060040161070a565b906084356001600160401b0381116100c45761017a90369060040161070a565b60405163288c314960e21b815233600482015290949192906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa9081156106be575f91610683575b501561067057878a14801590610666575b801561065c575b8015610652575b61064357335f525f60205260405f209863ffffffff6040519a6102138c61073a565b546001600160801b03198160801b168c526001600160401b038160801c1660208d015260c01c1660408b01525f5b8981106102ec578a6001600160401b038b166001600160401b03602083015116016001600160401b0381116102d8576001600160401b0316602082015263ffffffff43166040820152335f525f60205260405f2090805160801c908254916001600160401b0360801b602083015160801b1691604063ffffffff60c01b91015160c01b169263ffffffff60e01b1617171790555f80f35b634e487b7160e01b5f52601160045260245ffd5b8b81101561062f578060051b820135601e19833603018112156100c45782016001600160401b038135116100c4578035360360208201136100c457610332828c8761078a565b35156105fd5780351580156105f2575b6105bc5763ffffffff61035e610359848a8861078a565b61079a565b1615610588576001600160801b031961038061037b848b8a61078a565b6107ab565b16156105565760405161039e8235601f01601f191660200182610769565b813581523660208335840101116100c457818b898f8f94908b8f8f938a809a928f8f9390839591828593359060200160208301378c3581016020015f9052805190602001209d8e9d6103ef9261078a565b35996103fa9261078a565b35966104059261078a565b61040e9061079a565b936104189261078a565b610421906107ab565b906001600160801b0319905116916040519360a08552863560a086015286356020880160c08701378635850160c0015f9052602085015263ffffffff1660408401526001600160801b03191660608301526080820152803393601f199035601f011681010360c0017f13166dc8fed15a7db0ae8de5c94ce6eb1d46fff4369f9ca5cf3e2b057330dd5c91a48b516001600160801b0319166104c3838d8861078a565b35916104d0848d8d61078a565b356104dc858b8961078a565b6104e59061079a565b906104f1868d8c61078a565b6104fa906107ab565b92604051956020870195865260408701526060860152608085015263ffffffff1660a08401526001600160801b03191660c083015260c0825261053e60e083610769565b905190206001600160801b0319168b52600101610241565b608482604051906310d1b55b60e01b825260048201526040602482015260036044820152626d616360e81b6064820152fd5b608482604051906310d1b55b60e01b8252600482015260406024820152600560448201526418dbdd5b9d60da1b6064820152fd5b608482604051906310d1b55b60e01b825260048201526040602482015260076044820152661c9bdbdd10da5960ca1b6064820152fd5b506080813511610342565b608482604051906310d1b55b60e01b8252600482015260406024820152600360448201526274616760e81b6064820152fd5b634e487b7160e01b5f52603260045260245ffd5b631fec674760e31b5f5260045ffd5b50878514156101f1565b50878414156101ea565b50878714156101e3565b6305b5850b60e21b5f523360045260245ffd5b90506020813d6020116106b6575b8161069e60209383610769565b810103126100c4575180151581036100c4578b6101d2565b3d9150610691565b6040513d5f823e3d90fd5b346100c4575f3660031901126100c4577f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b9181601f840112156100c4578235916001600160401b0383116100c4576020808501948460051b0101116100c457565b606081019081106001600160401b0382111761075557604052565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b0382111761075557604052565b919081101561062f5760051b0190565b3563ffffffff811681036100c45790565b356001600160801b0319811681036100c4579056",
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
// the contract method with ID 0xc858e8a5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commit(bytes32[] tags, bytes[] rootCids, bytes32[] merkleRoots, uint32[] counts, bytes16[] macs) returns()
func (commitments *Commitments) PackCommit(tags [][32]byte, rootCids [][]byte, merkleRoots [][32]byte, counts []uint32, macs [][16]byte) []byte {
	enc, err := commitments.abi.Pack("commit", tags, rootCids, merkleRoots, counts, macs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc858e8a5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commit(bytes32[] tags, bytes[] rootCids, bytes32[] merkleRoots, uint32[] counts, bytes16[] macs) returns()
func (commitments *Commitments) TryPackCommit(tags [][32]byte, rootCids [][]byte, merkleRoots [][32]byte, counts []uint32, macs [][16]byte) ([]byte, error) {
	return commitments.abi.Pack("commit", tags, rootCids, merkleRoots, counts, macs)
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
// Solidity: event Committed(bytes32 indexed tag, address indexed by, bytes32 indexed cidHash, bytes rootCid, bytes32 merkleRoot, uint32 count, bytes16 mac, bytes16 prev)
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
