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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadCommitment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lastSeq\",\"type\":\"uint64\"}],\"name\":\"DuplicateSequence\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"Committed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"chainHead\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"tags\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint64[]\",\"name\":\"seqs\",\"type\":\"uint64[]\"},{\"internalType\":\"bytes[]\",\"name\":\"rootCids\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"merkleRoots\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint32[]\",\"name\":\"counts\",\"type\":\"uint32[]\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"stream\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"lastSeq\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"firstBlock\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lastBlock\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Commitments",
	Bin: "0x60a034606c57601f61088d38819003918201601f19168301916001600160401b03831184841017607057808492602094604052833981010312606c57516001600160a01b0381168103606c576080526040516108089081610085823960805181818160f901526102230152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081635046614314610152575080637e4959a9146101285780639ad18765146100e45763b70c9acf14610048575f80fd5b346100e05760203660031901126100e05760a0600435805f525f60205260405f2060606040519161007883610797565b546001600160401b038116938484526001600160401b038260401c16938460208201526001600160401b038360801c169283604083015260c01c93849101525f52600160205260405f2054926040519485526020850152604084015260608301526080820152f35b5f80fd5b346100e0575f3660031901126100e0576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100e05760203660031901126100e0576004355f526001602052602060405f2054604051908152f35b346100e05760a03660031901126100e0576004356001600160401b0381116100e057610182903690600401610767565b91906024356001600160401b0381116100e0576101a3903690600401610767565b92906044356001600160401b0381116100e0576101c4903690600401610767565b93906064356001600160401b0381116100e0576101e5903690600401610767565b90976084356001600160401b0381116100e057610206903690600401610767565b63288c314960e21b885233600489015290969094906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa90811561075c575f91610721575b501561070e57818914801590610704575b80156106fa575b80156106f0575b6106e1575f5b82811061028957005b6102948184846107e7565b35906102a1818c8a6107e7565b356001600160401b03811681036100e0578a8210156106cd578160051b870135601e19883603018112156100e0576001600160401b0381890135116100e0578088013536036020828a0101136100e057831561069b578088013515801561068e575b6106585763ffffffff61031f61031a858c8f6107e7565b6107f7565b161561062457835f525f60205260405f206040519061033d82610797565b546001600160401b038116908183526001600160401b038160401c16908160208501526001600160401b038160801c16604085015260c01c6060840152151580610611575b6105ee57506001600160401b0360208201511680156105da575b6001600160401b03841682526001600160401b0381146105c65760016001600160401b0391011660208201526001600160401b0343166060820152845f525f60205260405f20906001600160401b038151169082546fffffffffffffffff0000000000000000602083015160401b16906001600160401b0360801b604084015160801b169260606001600160401b0360c01b91015160c01b169360018060c01b03916001600160401b0360c01b1617161717179055835f52600160205260405f20549360405161047960208b601f868119920135011601826107c6565b8983018035808352369101602001116100e0578f63ffffffff8e61056b61031a8f8f95908f8c8160019f9482958f8f8f917f07580104aa2eac5fb1f9e40898a4368c2aacfd6ad85763625fe55f82808f1b2c9f8f8f938f9261031a8b8e6105126105649f8390610519968f9960208a826001600160401b039c5f94013583838301018487013701358301015260208151910120986107e7565b35966107e7565b9360405196602088019889526040880152166060860152608085015260a08401521660c082015260c0815261054f60e0826107c6565b5190208d5f52600160205260405f20556107e7565b35946107e7565b905f608088604051966060885281810135606089015281810135602083830101848a0137013586010152602084015216604082015233946001600160401b0316938b0135601f01601f1916810181900360800190a401610280565b634e487b7160e01b5f52601160045260245ffd5b6001600160401b034316604083015261039c565b6001600160401b038487631128e1dd60e11b5f526004521660245260445260645ffd5b50806001600160401b0385161115610382565b608483604051906310d1b55b60e01b8252600482015260406024820152600560448201526418dbdd5b9d60da1b6064820152fd5b608483604051906310d1b55b60e01b825260048201526040602482015260076044820152661c9bdbdd10da5960ca1b6064820152fd5b5060808189013511610303565b608483604051906310d1b55b60e01b8252600482015260406024820152600360448201526274616760e81b6064820152fd5b634e487b7160e01b5f52603260045260245ffd5b631fec674760e31b5f5260045ffd5b508185141561027a565b5081831415610273565b508188141561026c565b6305b5850b60e21b5f523360045260245ffd5b90506020813d602011610754575b8161073c602093836107c6565b810103126100e0575180151581036100e0578b61025b565b3d915061072f565b6040513d5f823e3d90fd5b9181601f840112156100e0578235916001600160401b0383116100e0576020808501948460051b0101116100e057565b608081019081106001600160401b038211176107b257604052565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b038211176107b257604052565b91908110156106cd5760051b0190565b3563ffffffff811681036100e0579056",
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

// PackChainHead is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7e4959a9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function chainHead(bytes32 ) view returns(bytes32)
func (commitments *Commitments) PackChainHead(arg0 [32]byte) []byte {
	enc, err := commitments.abi.Pack("chainHead", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChainHead is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7e4959a9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function chainHead(bytes32 ) view returns(bytes32)
func (commitments *Commitments) TryPackChainHead(arg0 [32]byte) ([]byte, error) {
	return commitments.abi.Pack("chainHead", arg0)
}

// UnpackChainHead is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7e4959a9.
//
// Solidity: function chainHead(bytes32 ) view returns(bytes32)
func (commitments *Commitments) UnpackChainHead(data []byte) ([32]byte, error) {
	out, err := commitments.abi.Unpack("chainHead", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
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
// Solidity: function stream(bytes32 tag) view returns(uint64 lastSeq, uint64 count, uint64 firstBlock, uint64 lastBlock, bytes32 head)
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
// Solidity: function stream(bytes32 tag) view returns(uint64 lastSeq, uint64 count, uint64 firstBlock, uint64 lastBlock, bytes32 head)
func (commitments *Commitments) TryPackStream(tag [32]byte) ([]byte, error) {
	return commitments.abi.Pack("stream", tag)
}

// StreamOutput serves as a container for the return parameters of contract
// method Stream.
type StreamOutput struct {
	LastSeq    uint64
	Count      uint64
	FirstBlock uint64
	LastBlock  uint64
	Head       [32]byte
}

// UnpackStream is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb70c9acf.
//
// Solidity: function stream(bytes32 tag) view returns(uint64 lastSeq, uint64 count, uint64 firstBlock, uint64 lastBlock, bytes32 head)
func (commitments *Commitments) UnpackStream(data []byte) (StreamOutput, error) {
	out, err := commitments.abi.Unpack("stream", data)
	outstruct := new(StreamOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.LastSeq = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.Count = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.FirstBlock = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	outstruct.LastBlock = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	outstruct.Head = *abi.ConvertType(out[4], new([32]byte)).(*[32]byte)
	return *outstruct, nil
}

// CommitmentsCommitted represents a Committed event raised by the Commitments contract.
type CommitmentsCommitted struct {
	Tag        [32]byte
	Seq        uint64
	RootCid    []byte
	MerkleRoot [32]byte
	Count      uint32
	By         common.Address
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
// Solidity: event Committed(bytes32 indexed tag, uint64 indexed seq, bytes rootCid, bytes32 merkleRoot, uint32 count, address indexed by)
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
