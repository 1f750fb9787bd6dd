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

// AuditAnchorsAnchor is an auto generated low-level Go binding around an user-defined struct.
type AuditAnchorsAnchor struct {
	Root      [32]byte
	FromIndex uint64
	ToIndex   uint64
	Time      uint64
}

// AuditAnchorsMetaData contains all meta data concerning the AuditAnchors contract.
var AuditAnchorsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"expectedFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"fromIndex\",\"type\":\"uint64\"}],\"name\":\"AnchorGap\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"fromIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"toIndex\",\"type\":\"uint64\"}],\"name\":\"EmptyRange\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"entryIndex\",\"type\":\"uint64\"}],\"name\":\"NoAnchor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotLogOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"anchorIndex\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"fromIndex\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"toIndex\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"Anchored\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"fromIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"toIndex\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"anchor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"}],\"name\":\"anchorCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"entryIndex\",\"type\":\"uint64\"}],\"name\":\"anchorFor\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"anchorIndex\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"fromIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"toIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"}],\"internalType\":\"structAuditAnchors.Anchor\",\"name\":\"a\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"logId\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"anchorIndex\",\"type\":\"uint256\"}],\"name\":\"getAnchor\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"fromIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"toIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"}],\"internalType\":\"structAuditAnchors.Anchor\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"logOwner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "AuditAnchors",
	Bin: "0x60a034606d57601f61076538819003918201601f19168301916001600160401b03831184841017607157808492602094604052833981010312606d57516001600160a01b0381168103606d576080526040516106df9081610086823960805181818161011d01526101c80152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe60806040526004361015610011575f80fd5b5f3560e01c8063301e17f3146104f8578063427dc920146101765780634cad6a991461014c5780639ad1876514610108578063b2692cca146100d75763b2b8e20e1461005b575f80fd5b346100d35760403660031901126100d357610074610590565b506004355f526001602052608061009961009360243560405f206105b4565b506105e1565b6100d160405180926001600160401b036060809280518552826020820151166020860152826040820151166040860152015116910152565bf35b5f80fd5b346100d35760203660031901126100d3576004355f525f602052602060018060a01b0360405f205416604051908152f35b346100d3575f3660031901126100d3576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100d35760203660031901126100d3576004355f526001602052602060405f2054604051908152f35b346100d35760803660031901126100d35760043561019261055f565b90604435906001600160401b0382168092036100d35760405163288c314960e21b815233600482015260643593906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa9081156104ed575f9161049d575b501561048a57811561045c578315610430576001600160401b03169283831115610419575f828152602081905260409020546001600160a01b0316806103fc5750815f525f60205260405f20336bffffffffffffffffffffffff60a01b8254161790555b815f52600160205260405f20805480155f146103d0576001600160401b035f5b168087036103b5575060405161029981610575565b8381526020810191878352604082019187835260608101916001600160401b0342168352680100000000000000008110156103a1578060016102de92018755866105b4565b91909161038e576001600160401b0391600191518155019351166fffffffffffffffff00000000000000008454935160401b16916001600160401b0360801b905160801b16926001600160401b0360c01b16171717905554925f19840193841161037a57604051948552602085015260408401527fe838bf70554354ea74f5fcc45583833820c6823b449ba1dfb93d149f7ff34d7160603394a4005b634e487b7160e01b5f52601160045260245ffd5b634e487b7160e01b5f525f60045260245ffd5b634e487b7160e01b5f52604160045260245ffd5b869085632b6d47b360e21b5f5260045260245260445260645ffd5b5f19810181811161037a576001600160401b0360016103f08293866105b4565b50015460401c16610284565b33146102645750630f82155760e41b5f526004523360245260445ffd5b82846324bbe5a360e21b5f5260045260245260445ffd5b60646040516336ea633b60e11b81526020600482015260046024820152631c9bdbdd60e21b6044820152fd5b6040516336ea633b60e11b81526020600482015260056024820152641b1bd9d25960da1b6044820152606490fd5b6305b5850b60e21b5f523360045260245ffd5b905060203d6020116104e6575b601f8101601f191682016001600160401b038111838210176103a1576020918391604052810103126100d3575180151581036100d35785610200565b503d6104aa565b6040513d5f823e3d90fd5b346100d35760403660031901126100d35760a06100d161052161051961055f565b60043561061e565b60409291925192835260208301906001600160401b036060809280518552826020820151166020860152826040820151166040860152015116910152565b602435906001600160401b03821682036100d357565b608081019081106001600160401b038211176103a157604052565b6040519061059d82610575565b5f6060838281528260208201528260408201520152565b80548210156105cd575f5260205f209060011b01905f90565b634e487b7160e01b5f52603260045260245ffd5b906040516105ee81610575565b60606001600160401b03600183958054855201548181166020850152818160401c16604085015260801c16910152565b610626610590565b50805f52600160205260405f20925f84545b80821061065f576001600160401b03858563063f1c5d60e11b5f526004521660245260445ffd5b80820180831161037a5760011c9061067782886105b4565b5060018101546001600160401b038816906001600160401b03811682105f146106a35750505050610638565b929450909160401c6001600160401b0316116106cb57506001810180911161037a5790610638565b9550919350506106dc9150926105e1565b9056",
}

// AuditAnchors is an auto generated Go binding around an Ethereum contract.
type AuditAnchors struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *AuditAnchors) GetABI() abi.ABI {
	return c.abi
}

// NewAuditAnchors creates a new instance of AuditAnchors.
func NewAuditAnchors() *AuditAnchors {
	parsed, err := AuditAnchorsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &AuditAnchors{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *AuditAnchors) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address c) returns()
func (auditAnchors *AuditAnchors) PackConstructor(c common.Address) []byte {
	enc, err := auditAnchors.abi.Pack("", c)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAnchor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x427dc920.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function anchor(bytes32 logId, uint64 fromIndex, uint64 toIndex, bytes32 root) returns()
func (auditAnchors *AuditAnchors) PackAnchor(logId [32]byte, fromIndex uint64, toIndex uint64, root [32]byte) []byte {
	enc, err := auditAnchors.abi.Pack("anchor", logId, fromIndex, toIndex, root)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnchor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x427dc920.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function anchor(bytes32 logId, uint64 fromIndex, uint64 toIndex, bytes32 root) returns()
func (auditAnchors *AuditAnchors) TryPackAnchor(logId [32]byte, fromIndex uint64, toIndex uint64, root [32]byte) ([]byte, error) {
	return auditAnchors.abi.Pack("anchor", logId, fromIndex, toIndex, root)
}

// PackAnchorCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cad6a99.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function anchorCount(bytes32 logId) view returns(uint256)
func (auditAnchors *AuditAnchors) PackAnchorCount(logId [32]byte) []byte {
	enc, err := auditAnchors.abi.Pack("anchorCount", logId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnchorCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cad6a99.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function anchorCount(bytes32 logId) view returns(uint256)
func (auditAnchors *AuditAnchors) TryPackAnchorCount(logId [32]byte) ([]byte, error) {
	return auditAnchors.abi.Pack("anchorCount", logId)
}

// UnpackAnchorCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4cad6a99.
//
// Solidity: function anchorCount(bytes32 logId) view returns(uint256)
func (auditAnchors *AuditAnchors) UnpackAnchorCount(data []byte) (*big.Int, error) {
	out, err := auditAnchors.abi.Unpack("anchorCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAnchorFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x301e17f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function anchorFor(bytes32 logId, uint64 entryIndex) view returns(uint256 anchorIndex, (bytes32,uint64,uint64,uint64) a)
func (auditAnchors *AuditAnchors) PackAnchorFor(logId [32]byte, entryIndex uint64) []byte {
	enc, err := auditAnchors.abi.Pack("anchorFor", logId, entryIndex)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnchorFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x301e17f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function anchorFor(bytes32 logId, uint64 entryIndex) view returns(uint256 anchorIndex, (bytes32,uint64,uint64,uint64) a)
func (auditAnchors *AuditAnchors) TryPackAnchorFor(logId [32]byte, entryIndex uint64) ([]byte, error) {
	return auditAnchors.abi.Pack("anchorFor", logId, entryIndex)
}

// AnchorForOutput serves as a container for the return parameters of contract
// method AnchorFor.
type AnchorForOutput struct {
	AnchorIndex *big.Int
	A           AuditAnchorsAnchor
}

// UnpackAnchorFor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x301e17f3.
//
// Solidity: function anchorFor(bytes32 logId, uint64 entryIndex) view returns(uint256 anchorIndex, (bytes32,uint64,uint64,uint64) a)
func (auditAnchors *AuditAnchors) UnpackAnchorFor(data []byte) (AnchorForOutput, error) {
	out, err := auditAnchors.abi.Unpack("anchorFor", data)
	outstruct := new(AnchorForOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.AnchorIndex = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.A = *abi.ConvertType(out[1], new(AuditAnchorsAnchor)).(*AuditAnchorsAnchor)
	return *outstruct, nil
}

// PackConsortium is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9ad18765.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function consortium() view returns(address)
func (auditAnchors *AuditAnchors) PackConsortium() []byte {
	enc, err := auditAnchors.abi.Pack("consortium")
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
func (auditAnchors *AuditAnchors) TryPackConsortium() ([]byte, error) {
	return auditAnchors.abi.Pack("consortium")
}

// UnpackConsortium is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9ad18765.
//
// Solidity: function consortium() view returns(address)
func (auditAnchors *AuditAnchors) UnpackConsortium(data []byte) (common.Address, error) {
	out, err := auditAnchors.abi.Unpack("consortium", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetAnchor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2b8e20e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getAnchor(bytes32 logId, uint256 anchorIndex) view returns((bytes32,uint64,uint64,uint64))
func (auditAnchors *AuditAnchors) PackGetAnchor(logId [32]byte, anchorIndex *big.Int) []byte {
	enc, err := auditAnchors.abi.Pack("getAnchor", logId, anchorIndex)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetAnchor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2b8e20e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getAnchor(bytes32 logId, uint256 anchorIndex) view returns((bytes32,uint64,uint64,uint64))
func (auditAnchors *AuditAnchors) TryPackGetAnchor(logId [32]byte, anchorIndex *big.Int) ([]byte, error) {
	return auditAnchors.abi.Pack("getAnchor", logId, anchorIndex)
}

// UnpackGetAnchor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb2b8e20e.
//
// Solidity: function getAnchor(bytes32 logId, uint256 anchorIndex) view returns((bytes32,uint64,uint64,uint64))
func (auditAnchors *AuditAnchors) UnpackGetAnchor(data []byte) (AuditAnchorsAnchor, error) {
	out, err := auditAnchors.abi.Unpack("getAnchor", data)
	if err != nil {
		return *new(AuditAnchorsAnchor), err
	}
	out0 := *abi.ConvertType(out[0], new(AuditAnchorsAnchor)).(*AuditAnchorsAnchor)
	return out0, nil
}

// PackLogOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2692cca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function logOwner(bytes32 ) view returns(address)
func (auditAnchors *AuditAnchors) PackLogOwner(arg0 [32]byte) []byte {
	enc, err := auditAnchors.abi.Pack("logOwner", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLogOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2692cca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function logOwner(bytes32 ) view returns(address)
func (auditAnchors *AuditAnchors) TryPackLogOwner(arg0 [32]byte) ([]byte, error) {
	return auditAnchors.abi.Pack("logOwner", arg0)
}

// UnpackLogOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb2692cca.
//
// Solidity: function logOwner(bytes32 ) view returns(address)
func (auditAnchors *AuditAnchors) UnpackLogOwner(data []byte) (common.Address, error) {
	out, err := auditAnchors.abi.Unpack("logOwner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// AuditAnchorsAnchored represents a Anchored event raised by the AuditAnchors contract.
type AuditAnchorsAnchored struct {
	LogId       [32]byte
	AnchorIndex *big.Int
	FromIndex   uint64
	ToIndex     uint64
	Root        [32]byte
	By          common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const AuditAnchorsAnchoredEventName = "Anchored"

// ContractEventName returns the user-defined event name.
func (AuditAnchorsAnchored) ContractEventName() string {
	return AuditAnchorsAnchoredEventName
}

// UnpackAnchoredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Anchored(bytes32 indexed logId, uint256 indexed anchorIndex, uint64 fromIndex, uint64 toIndex, bytes32 root, address indexed by)
func (auditAnchors *AuditAnchors) UnpackAnchoredEvent(log *types.Log) (*AuditAnchorsAnchored, error) {
	event := "Anchored"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != auditAnchors.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AuditAnchorsAnchored)
	if len(log.Data) > 0 {
		if err := auditAnchors.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range auditAnchors.abi.Events[event].Inputs {
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
func (auditAnchors *AuditAnchors) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], auditAnchors.abi.Errors["AnchorGap"].ID.Bytes()[:4]) {
		return auditAnchors.UnpackAnchorGapError(raw[4:])
	}
	if bytes.Equal(raw[:4], auditAnchors.abi.Errors["BadInput"].ID.Bytes()[:4]) {
		return auditAnchors.UnpackBadInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], auditAnchors.abi.Errors["EmptyRange"].ID.Bytes()[:4]) {
		return auditAnchors.UnpackEmptyRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], auditAnchors.abi.Errors["NoAnchor"].ID.Bytes()[:4]) {
		return auditAnchors.UnpackNoAnchorError(raw[4:])
	}
	if bytes.Equal(raw[:4], auditAnchors.abi.Errors["NotLogOwner"].ID.Bytes()[:4]) {
		return auditAnchors.UnpackNotLogOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], auditAnchors.abi.Errors["NotMember"].ID.Bytes()[:4]) {
		return auditAnchors.UnpackNotMemberError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// AuditAnchorsAnchorGap represents a AnchorGap error raised by the AuditAnchors contract.
type AuditAnchorsAnchorGap struct {
	LogId        [32]byte
	ExpectedFrom uint64
	FromIndex    uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AnchorGap(bytes32 logId, uint64 expectedFrom, uint64 fromIndex)
func AuditAnchorsAnchorGapErrorID() common.Hash {
	return common.HexToHash("0xadb51ecca8bca81ef9ab14b7bd6d8b7f66c3437da87393b477e29eb86ae97fd2")
}

// UnpackAnchorGapError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AnchorGap(bytes32 logId, uint64 expectedFrom, uint64 fromIndex)
func (auditAnchors *AuditAnchors) UnpackAnchorGapError(raw []byte) (*AuditAnchorsAnchorGap, error) {
	out := new(AuditAnchorsAnchorGap)
	if err := auditAnchors.abi.UnpackIntoInterface(out, "AnchorGap", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AuditAnchorsBadInput represents a BadInput error raised by the AuditAnchors contract.
type AuditAnchorsBadInput struct {
	What string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInput(string what)
func AuditAnchorsBadInputErrorID() common.Hash {
	return common.HexToHash("0x6dd4c676a33afead2f92e642a2cf14223ca9bbba6d494479540bca6c29c3b320")
}

// UnpackBadInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInput(string what)
func (auditAnchors *AuditAnchors) UnpackBadInputError(raw []byte) (*AuditAnchorsBadInput, error) {
	out := new(AuditAnchorsBadInput)
	if err := auditAnchors.abi.UnpackIntoInterface(out, "BadInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AuditAnchorsEmptyRange represents a EmptyRange error raised by the AuditAnchors contract.
type AuditAnchorsEmptyRange struct {
	FromIndex uint64
	ToIndex   uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyRange(uint64 fromIndex, uint64 toIndex)
func AuditAnchorsEmptyRangeErrorID() common.Hash {
	return common.HexToHash("0x92ef968c0bfcef8f4b7cd75ce478a079d15f45d4a337121804a8ddd7565b4d7e")
}

// UnpackEmptyRangeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyRange(uint64 fromIndex, uint64 toIndex)
func (auditAnchors *AuditAnchors) UnpackEmptyRangeError(raw []byte) (*AuditAnchorsEmptyRange, error) {
	out := new(AuditAnchorsEmptyRange)
	if err := auditAnchors.abi.UnpackIntoInterface(out, "EmptyRange", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AuditAnchorsNoAnchor represents a NoAnchor error raised by the AuditAnchors contract.
type AuditAnchorsNoAnchor struct {
	LogId      [32]byte
	EntryIndex uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoAnchor(bytes32 logId, uint64 entryIndex)
func AuditAnchorsNoAnchorErrorID() common.Hash {
	return common.HexToHash("0x0c7e38baefffe62c019d7b4b69245ae956332ba1c65df2a637f8645b4389d30a")
}

// UnpackNoAnchorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoAnchor(bytes32 logId, uint64 entryIndex)
func (auditAnchors *AuditAnchors) UnpackNoAnchorError(raw []byte) (*AuditAnchorsNoAnchor, error) {
	out := new(AuditAnchorsNoAnchor)
	if err := auditAnchors.abi.UnpackIntoInterface(out, "NoAnchor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AuditAnchorsNotLogOwner represents a NotLogOwner error raised by the AuditAnchors contract.
type AuditAnchorsNotLogOwner struct {
	LogId  [32]byte
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotLogOwner(bytes32 logId, address sender)
func AuditAnchorsNotLogOwnerErrorID() common.Hash {
	return common.HexToHash("0xf8215570d3bcc2c7d73cf491ac67c12361bddccf2526a5a6071b5184e0ec2a6e")
}

// UnpackNotLogOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotLogOwner(bytes32 logId, address sender)
func (auditAnchors *AuditAnchors) UnpackNotLogOwnerError(raw []byte) (*AuditAnchorsNotLogOwner, error) {
	out := new(AuditAnchorsNotLogOwner)
	if err := auditAnchors.abi.UnpackIntoInterface(out, "NotLogOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AuditAnchorsNotMember represents a NotMember error raised by the AuditAnchors contract.
type AuditAnchorsNotMember struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMember(address sender)
func AuditAnchorsNotMemberErrorID() common.Hash {
	return common.HexToHash("0x16d6142c051fd31eaf080eccdc319a6d11b659baa2266c1e4d7e444bd19c4a32")
}

// UnpackNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMember(address sender)
func (auditAnchors *AuditAnchors) UnpackNotMemberError(raw []byte) (*AuditAnchorsNotMember, error) {
	out := new(AuditAnchorsNotMember)
	if err := auditAnchors.abi.UnpackIntoInterface(out, "NotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}
