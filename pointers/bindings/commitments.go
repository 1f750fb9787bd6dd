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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadCommitment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lastSeq\",\"type\":\"uint64\"}],\"name\":\"DuplicateSequence\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotStreamOwner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"name\":\"Committed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"claimStream\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"tags\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint64[]\",\"name\":\"seqs\",\"type\":\"uint64[]\"},{\"internalType\":\"bytes[]\",\"name\":\"rootCids\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"merkleRoots\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint32[]\",\"name\":\"counts\",\"type\":\"uint32[]\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"stream\",\"outputs\":[{\"internalType\":\"bytes16\",\"name\":\"head\",\"type\":\"bytes16\"},{\"internalType\":\"uint64\",\"name\":\"lastSeq\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"firstBlock\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"lastBlock\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Commitments",
	Bin: "0x60a034607457601f61098738819003918201601f19168301916001600160401b03831184841017607857808492602094604052833981010312607457516001600160a01b03811681036074576080526040516108fa908161008d823960805181818161010c0152818161016d015261033e0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe60a0806040526004361015610012575f80fd5b5f3560e01c908163504661431461026f575080637dd564111461023d5780639065912c1461013b5780639ad18765146100f75763b70c9acf14610053575f80fd5b346100f35760203660031901126100f35760a0600435805f525f60205260405f2060606040519161008383610811565b546001600160801b03198160801b16938484526001600160401b038260801c169384602082015263ffffffff8360c01c169283604083015260e01c93849101525f526001602052600180861b0360405f205416926040519485526020850152604084015260608301526080820152f35b5f80fd5b346100f3575f3660031901126100f3576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100f35760203660031901126100f35760405163288c314960e21b81523360048281019190915235906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610232575f91610203575b50156101f05780156101bc576101ba9061089a565b005b604080516310d1b55b60e01b81525f60048201526024810191909152600360448201526274616760e81b6064820152608490fd5b6305b5850b60e21b5f523360045260245ffd5b610225915060203d60201161022b575b61021d8183610840565b810190610861565b826101a5565b503d610213565b6040513d5f823e3d90fd5b346100f35760203660031901126100f3576004355f526001602052602060018060a01b0360405f205416604051908152f35b346100f35760a03660031901126100f3576004356001600160401b0381116100f35761029f9036906004016107e1565b6024356001600160401b0381116100f3576102be9036906004016107e1565b926044356001600160401b0381116100f3576102de9036906004016107e1565b95906064356001600160401b0381116100f3576102ff9036906004016107e1565b90608052946084356001600160401b0381116100f3576103239036906004016107e1565b63288c314960e21b85523360048601529490936020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610232575f916107c2575b50156101f0578188148015906107b8575b80156107ae575b80156107a4575b610795575f5b8281106103a457005b6103af818484610879565b35906103bc818b8a610879565b35916001600160401b03831683036100f3578b821015610781578160051b86013590601e19873603018212156100f3576001600160401b0382880135116100f357818701353603602083890101136100f357801561074c578187013515801561073f575b6107095763ffffffff61043c610437858c8c610879565b610889565b16156106d55761044b8161089a565b805f525f60205260405f206040519061046382610811565b546001600160801b03198160801b168083526001600160401b038260801c169182602085015263ffffffff8160c01c16604085015260e01c60608401521515806106c2575b61069f575080516fffffffffffffffffffffffffffffffff191694851561068e575b604051916104e5858b0135601f01601f191660200184610840565b8985018035808552369101602001116100f357896001600160401b038f9363ffffffff8f8f906104378c6106419260019f828f9c8f9c7fc984a8d892423113d78530ff4bcf5c9847ec445a22768feac5e73302955837039f9d8f60809f958f610583978f938f9281815f93602093013583838301018487013701358301015260208151910120608061058a8f918a8d610583828d6104379551610879565b3594610879565b916001600160401b036040519660208801968752886040890152166060870152608086015260a08501521660c083015260c082526105c960e083610840565b6001600160801b0319915190201682528c8c1660208301528a431660608301525f525f60205260405f209080518f1c90825460808f901b602083015160801b16908d60c01b604084015160c01b169260608f60e01b91015160e01b169360018060e01b03918f60e01b16171617171790558c51610879565b905f87604051998a9860608a528181013560608b015281810135602083830101848c0137013588010152602086015216604084015216958b0135601f01601f19168101030190a30161039b565b63ffffffff431660408301526104ca565b6001600160401b038684631128e1dd60e11b5f526004521660245260445260645ffd5b50806001600160401b03871611156104a8565b608483604051906310d1b55b60e01b8252600482015260406024820152600560448201526418dbdd5b9d60da1b6064820152fd5b608483604051906310d1b55b60e01b825260048201526040602482015260076044820152661c9bdbdd10da5960ca1b6064820152fd5b5060808288013511610420565b604080516310d1b55b60e01b8152600481018590526024810191909152600360448201526274616760e81b6064820152608490fd5b634e487b7160e01b5f52603260045260245ffd5b631fec674760e31b5f5260045ffd5b5081851415610395565b508187141561038e565b5081891415610387565b6107db915060203d60201161022b5761021d8183610840565b8a610376565b9181601f840112156100f3578235916001600160401b0383116100f3576020808501948460051b0101116100f357565b608081019081106001600160401b0382111761082c57604052565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b0382111761082c57604052565b908160209103126100f3575180151581036100f35790565b91908110156107815760051b0190565b3563ffffffff811681036100f35790565b5f818152600160205260409020546001600160a01b0316806108db57505f52600160205260405f20336bffffffffffffffffffffffff60a01b825416179055565b33036108e45750565b633d0f75e160e21b5f526004523360245260445ffd",
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

// PackClaimStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9065912c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimStream(bytes32 tag) returns()
func (commitments *Commitments) PackClaimStream(tag [32]byte) []byte {
	enc, err := commitments.abi.Pack("claimStream", tag)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9065912c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimStream(bytes32 tag) returns()
func (commitments *Commitments) TryPackClaimStream(tag [32]byte) ([]byte, error) {
	return commitments.abi.Pack("claimStream", tag)
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

// PackOwnerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7dd56411.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ownerOf(bytes32 tag) view returns(address)
func (commitments *Commitments) PackOwnerOf(tag [32]byte) []byte {
	enc, err := commitments.abi.Pack("ownerOf", tag)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwnerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7dd56411.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ownerOf(bytes32 tag) view returns(address)
func (commitments *Commitments) TryPackOwnerOf(tag [32]byte) ([]byte, error) {
	return commitments.abi.Pack("ownerOf", tag)
}

// UnpackOwnerOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7dd56411.
//
// Solidity: function ownerOf(bytes32 tag) view returns(address)
func (commitments *Commitments) UnpackOwnerOf(data []byte) (common.Address, error) {
	out, err := commitments.abi.Unpack("ownerOf", data)
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
// Solidity: function stream(bytes32 tag) view returns(bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock, address owner)
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
// Solidity: function stream(bytes32 tag) view returns(bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock, address owner)
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
	Owner      common.Address
}

// UnpackStream is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb70c9acf.
//
// Solidity: function stream(bytes32 tag) view returns(bytes16 head, uint64 lastSeq, uint32 firstBlock, uint32 lastBlock, address owner)
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
	outstruct.Owner = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
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
	if bytes.Equal(raw[:4], commitments.abi.Errors["NotStreamOwner"].ID.Bytes()[:4]) {
		return commitments.UnpackNotStreamOwnerError(raw[4:])
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

// CommitmentsNotStreamOwner represents a NotStreamOwner error raised by the Commitments contract.
type CommitmentsNotStreamOwner struct {
	Tag    [32]byte
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotStreamOwner(bytes32 tag, address sender)
func CommitmentsNotStreamOwnerErrorID() common.Hash {
	return common.HexToHash("0xf43dd784238a1770f9b18a5870a109dda2adab54b38df7a026197881b68231af")
}

// UnpackNotStreamOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotStreamOwner(bytes32 tag, address sender)
func (commitments *Commitments) UnpackNotStreamOwnerError(raw []byte) (*CommitmentsNotStreamOwner, error) {
	out := new(CommitmentsNotStreamOwner)
	if err := commitments.abi.UnpackIntoInterface(out, "NotStreamOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
