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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadCommitment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lastSeq\",\"type\":\"uint64\"}],\"name\":\"DuplicateSequence\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"name\":\"Committed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"tags\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint64[]\",\"name\":\"seqs\",\"type\":\"uint64[]\"},{\"internalType\":\"bytes[]\",\"name\":\"rootCids\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"merkleRoots\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint32[]\",\"name\":\"counts\",\"type\":\"uint32[]\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"stream\",\"outputs\":[{\"internalType\":\"bytes16\",\"name\":\"head\",\"type\":\"bytes16\"},{\"internalType\":\"uint64\",\"name\":\"lastSeq\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"firstBlock\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"lastBlock\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Commitments",
	Bin: "0x60a034606c57601f6107cf38819003918201601f19168301916001600160401b03831184841017607057808492602094604052833981010312606c57516001600160a01b0381168103606c5760805260405161074a9081610085823960805181818160da01526101d80152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe60a0806040526004361015610012575f80fd5b5f3560e01c9081635046614314610109575080639ad18765146100c55763b70c9acf1461003d575f80fd5b346100c15760203660031901126100c1576004355f525f602052608060405f2060606040519161006c836106d9565b546001600160801b031981851b16928381526001600160401b0382861c169081602082015263ffffffff8360c01c169283604083015260e01c9384910152604051938452602084015260408301526060820152f35b5f80fd5b346100c1575f3660031901126100c1576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100c15760a03660031901126100c1576004356001600160401b0381116100c1576101399036906004016106a9565b6024356001600160401b0381116100c1576101589036906004016106a9565b926044356001600160401b0381116100c1576101789036906004016106a9565b95906064356001600160401b0381116100c1576101999036906004016106a9565b90608052946084356001600160401b0381116100c1576101bd9036906004016106a9565b63288c314960e21b85523360048601529490936020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa90811561069e575f91610663575b501561065057818814801590610646575b801561063c575b8015610632575b610623575f5b82811061023e57005b610249818484610729565b3590610256818b8a610729565b35916001600160401b03831683036100c1578b82101561060f578160051b86013590601e19873603018212156100c1576001600160401b0382880135116100c157818701353603602083890101136100c15780156105dd57818701351580156105d0575b61059a5763ffffffff6102d66102d1858c8c610729565b610739565b161561056657805f525f60205260405f20604051906102f4826106d9565b546001600160801b03198160801b168083526001600160401b038260801c169182602085015263ffffffff8160c01c16604085015260e01c6060840152151580610553575b610530575080516fffffffffffffffffffffffffffffffff191694851561051f575b60405191610376858b0135601f01601f191660200184610708565b8985018035808552369101602001116100c157896001600160401b038f9363ffffffff8f8f906102d18c6104d29260019f828f9c8f9c7fc984a8d892423113d78530ff4bcf5c9847ec445a22768feac5e73302955837039f9d8f60809f958f610414978f938f9281815f93602093013583838301018487013701358301015260208151910120608061041b8f918a8d610414828d6102d19551610729565b3594610729565b916001600160401b036040519660208801968752886040890152166060870152608086015260a08501521660c083015260c0825261045a60e083610708565b6001600160801b0319915190201682528c8c1660208301528a431660608301525f525f60205260405f209080518f1c90825460808f901b602083015160801b16908d60c01b604084015160c01b169260608f60e01b91015160e01b169360018060e01b03918f60e01b16171617171790558c51610729565b905f87604051998a9860608a528181013560608b015281810135602083830101848c0137013588010152602086015216604084015216958b0135601f01601f19168101030190a301610235565b63ffffffff4316604083015261035b565b6001600160401b038684631128e1dd60e11b5f526004521660245260445260645ffd5b50806001600160401b0387161115610339565b608483604051906310d1b55b60e01b8252600482015260406024820152600560448201526418dbdd5b9d60da1b6064820152fd5b608483604051906310d1b55b60e01b825260048201526040602482015260076044820152661c9bdbdd10da5960ca1b6064820152fd5b50608082880135116102ba565b608483604051906310d1b55b60e01b8252600482015260406024820152600360448201526274616760e81b6064820152fd5b634e487b7160e01b5f52603260045260245ffd5b631fec674760e31b5f5260045ffd5b508185141561022f565b5081871415610228565b5081891415610221565b6305b5850b60e21b5f523360045260245ffd5b90506020813d602011610696575b8161067e60209383610708565b810103126100c1575180151581036100c1578a610210565b3d9150610671565b6040513d5f823e3d90fd5b9181601f840112156100c1578235916001600160401b0383116100c1576020808501948460051b0101116100c157565b608081019081106001600160401b038211176106f457604052565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b038211176106f457604052565b919081101561060f5760051b0190565b3563ffffffff811681036100c1579056",
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
// the contract method with ID 0x50466143.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commit(bytes32[] tags, uint64[] seqs, bytes[] rootCids, bytes32[] merkleRoots, uint32[] counts) returns()
func (commitments *Commitments) PackCommit(tags [][32]byte, seqs []uint64, rootCids [][]byte, merkleRoots [][32]byte, counts []uint32) []byte {
	enc, err := commitments.abi.Pack("commit", tags, seqs, rootCids, merkleRoots, counts)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50466143.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commit(bytes32[] tags, uint64[] seqs, bytes[] rootCids, bytes32[] merkleRoots, uint32[] counts) returns()
func (commitments *Commitments) TryPackCommit(tags [][32]byte, seqs []uint64, rootCids [][]byte, merkleRoots [][32]byte, counts []uint32) ([]byte, error) {
	return commitments.abi.Pack("commit", tags, seqs, rootCids, merkleRoots, counts)
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

// PackStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb70c9acf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stream(bytes32 tag) view returns(bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock)
func (commitments *Commitments) PackStream(tag [32]byte) []byte {
	enc, err := commitments.abi.Pack("stream", tag)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb70c9acf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stream(bytes32 tag) view returns(bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock)
func (commitments *Commitments) TryPackStream(tag [32]byte) ([]byte, error) {
	return commitments.abi.Pack("stream", tag)
}

// StreamOutput serves as a container for the return parameters of contract
// method Stream.
type StreamOutput struct {
	Head       [16]byte
	LastSeq    uint64
	FirstBlock uint32
	LastBlock  uint32
}

// UnpackStream is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb70c9acf.
//
// Solidity: function stream(bytes32 tag) view returns(bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock)
func (commitments *Commitments) UnpackStream(data []byte) (StreamOutput, error) {
	out, err := commitments.abi.Unpack("stream", data)
	outstruct := new(StreamOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Head = *abi.ConvertType(out[0], new([16]byte)).(*[16]byte)
	outstruct.LastSeq = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.FirstBlock = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	outstruct.LastBlock = *abi.ConvertType(out[3], new(uint32)).(*uint32)
	return *outstruct, nil
}

// CommitmentsCommitted represents a Committed event raised by the Commitments contract.
type CommitmentsCommitted struct {
	Tag        [32]byte
	Seq        uint64
	RootCid    []byte
	MerkleRoot [32]byte
	Count      uint32
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
// Solidity: event Committed(bytes32 indexed tag, uint64 indexed seq, bytes rootCid, bytes32 merkleRoot, uint32 count)
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
	if bytes.Equal(raw[:4], commitments.abi.Errors["DuplicateSequence"].ID.Bytes()[:4]) {
		return commitments.UnpackDuplicateSequenceError(raw[4:])
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

// CommitmentsDuplicateSequence represents a DuplicateSequence error raised by the Commitments contract.
type CommitmentsDuplicateSequence struct {
	Tag     [32]byte
	Seq     uint64
	LastSeq uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateSequence(bytes32 tag, uint64 seq, uint64 lastSeq)
func CommitmentsDuplicateSequenceErrorID() common.Hash {
	return common.HexToHash("0x2251c3baa823fc8ef8104789401b0d877cb77e9b6fecca18fa6d4ee1fe0a0d17")
}

// UnpackDuplicateSequenceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateSequence(bytes32 tag, uint64 seq, uint64 lastSeq)
func (commitments *Commitments) UnpackDuplicateSequenceError(raw []byte) (*CommitmentsDuplicateSequence, error) {
	out := new(CommitmentsDuplicateSequence)
	if err := commitments.abi.UnpackIntoInterface(out, "DuplicateSequence", raw); err != nil {
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
