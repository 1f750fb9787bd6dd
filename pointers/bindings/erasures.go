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

// ErasuresErasure is an auto generated low-level Go binding around an user-defined struct.
type ErasuresErasure struct {
	KeyIdsCommitment [32]byte
	RequestRefHash   [32]byte
	PurgeOrderHash   [32]byte
	Dpo              common.Address
	Time             uint64
}

// ErasuresRefusal is an auto generated low-level Go binding around an user-defined struct.
type ErasuresRefusal struct {
	SubjectTag  [32]byte
	Dpo         common.Address
	Time        uint64
	LegalGround uint16
}

// ErasuresMetaData contains all meta data concerning the Erasures contract.
var ErasuresMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"}],\"name\":\"AlreadyErased\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"}],\"name\":\"AlreadyRefused\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"}],\"name\":\"UnknownErasure\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"}],\"name\":\"UnknownRefusal\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"keyIdsCommitment\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"purgeOrderHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"dpo\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"}],\"name\":\"Erased\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"legalGround\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"dpo\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"}],\"name\":\"Refused\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"}],\"name\":\"getErasure\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"keyIdsCommitment\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"purgeOrderHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"dpo\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"}],\"internalType\":\"structErasures.Erasure\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"}],\"name\":\"getRefusal\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"dpo\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"legalGround\",\"type\":\"uint16\"}],\"internalType\":\"structErasures.Refusal\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"keyIdsCommitment\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"purgeOrderHash\",\"type\":\"bytes32\"}],\"name\":\"recordErasure\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"subjectTag\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"requestRefHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint16\",\"name\":\"legalGround\",\"type\":\"uint16\"}],\"name\":\"recordRefusal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Erasures",
	Bin: "0x60a034607357601f61080d38819003918201601f19168301916001600160401b03831184841017607757808492602094604052833981010312607357516001600160a01b0381168103607357608052604051610781908161008c8239608051818181609401528181610414015261055e0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081633c5249041461051e5750806389844458146104435780639ad18765146103ff578063b56e7e96146103115763e6ae2fab14610053575f80fd5b3461030d57608036600319011261030d57600435602435906044359060643560405163288c314960e21b815233600482015260208160248160018060a01b037f0000000000000000000000000000000000000000000000000000000000000000165afa908115610302575f916102d3575b50156102c057811561028d57831561025457821561021d5780156101e6575f828152602081905260409020600301546001600160a01b03166101d35767ffffffffffffffff42169061019b60405161011b8161072b565b868152602080820187815260408084018681523360608601908152608086018981525f8b815295869052929094209451855591516001850155905160028401559051600392909201805491516001600160e01b03199092166001600160a01b03939093169290921760a09190911b67ffffffffffffffff60a01b16179055565b604051948552602085015260408401527f88512bfa15307f79a49d3339ce08af74a7064338f5304ab92cffea91f301f19360603394a4005b50630129246f60e51b5f5260045260245ffd5b6040516336ea633b60e11b815260206004820152600e60248201526d0e0eae4ceca9ee4c8cae490c2e6d60931b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600e60248201526d0e4cae2eacae6e8a4cacc90c2e6d60931b6044820152606490fd5b6040516336ea633b60e11b815260206004820152601060248201526f1ad95e52591cd0dbdb5b5a5d1b595b9d60821b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600a6024820152697375626a65637454616760b01b6044820152606490fd5b6305b5850b60e21b5f523360045260245ffd5b6102f5915060203d6020116102fb575b6102ed8183610747565b810190610769565b5f6100c4565b503d6102e3565b6040513d5f823e3d90fd5b5f80fd5b3461030d57602036600319011261030d576004355f60806040516103348161072b565b8281528260208201528260408201528260608201520152805f525f60205260405f2090604051906103648261072b565b825482526001830154926020830193845260036002820154916040850192835201549360018060a01b03851692606085019380855267ffffffffffffffff608087019760a01c168752156103ed5750604080519451855290516020850152905190830152516001600160a01b03166060820152905167ffffffffffffffff16608082015260a090f35b637382b4c760e01b5f5260045260245ffd5b3461030d575f36600319011261030d576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b3461030d57602036600319011261030d576004355f6060604051610466816106fb565b8281528260208201528260408201520152805f52600160205260405f20600160405191610492836106fb565b8054835201549160018060a01b038316906020830190828252604084019267ffffffffffffffff8660a01c16845261ffff606086019660e01c1686521561050c5750604080519351845290516001600160a01b03166020840152905167ffffffffffffffff1690820152905161ffff166060820152608090f35b63323029cd60e01b5f5260045260245ffd5b3461030d57606036600319011261030d57600435602435906044359261ffff841680940361030d5763288c314960e21b81523360048201526020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610302575f916106dc575b50156102c057801561028d57811561021d5782156106a8575f82815260016020819052604090912001546001600160a01b03166106955767ffffffffffffffff42166040516105e4816106fb565b8281523360208083018281526040808501868152606086018a81525f8a81526001808752908490209751885593519690930180549151935161ffff60e01b60e09190911b1660a09490941b67ffffffffffffffff60a01b166001600160a01b039097166001600160f01b0319909216919091179590951791909117909355825196875286019290925290937f4ce8d0eb1073830b6be67f60bab48d155f4a8a61fc3ea0dac96260e56d75cb189190a4005b506307caf2e760e31b5f5260045260245ffd5b6040516336ea633b60e11b815260206004820152600b60248201526a1b1959d85b11dc9bdd5b9960aa1b6044820152606490fd5b6106f5915060203d6020116102fb576102ed8183610747565b84610596565b6080810190811067ffffffffffffffff82111761071757604052565b634e487b7160e01b5f52604160045260245ffd5b60a0810190811067ffffffffffffffff82111761071757604052565b90601f8019910116810190811067ffffffffffffffff82111761071757604052565b9081602091031261030d5751801515810361030d579056",
}

// Erasures is an auto generated Go binding around an Ethereum contract.
type Erasures struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Erasures) GetABI() abi.ABI {
	return c.abi
}

// NewErasures creates a new instance of Erasures.
func NewErasures() *Erasures {
	parsed, err := ErasuresMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Erasures{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Erasures) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address c) returns()
func (erasures *Erasures) PackConstructor(c common.Address) []byte {
	enc, err := erasures.abi.Pack("", c)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackConsortium is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9ad18765.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function consortium() view returns(address)
func (erasures *Erasures) PackConsortium() []byte {
	enc, err := erasures.abi.Pack("consortium")
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
func (erasures *Erasures) TryPackConsortium() ([]byte, error) {
	return erasures.abi.Pack("consortium")
}

// UnpackConsortium is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9ad18765.
//
// Solidity: function consortium() view returns(address)
func (erasures *Erasures) UnpackConsortium(data []byte) (common.Address, error) {
	out, err := erasures.abi.Unpack("consortium", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetErasure is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb56e7e96.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getErasure(bytes32 subjectTag) view returns((bytes32,bytes32,bytes32,address,uint64))
func (erasures *Erasures) PackGetErasure(subjectTag [32]byte) []byte {
	enc, err := erasures.abi.Pack("getErasure", subjectTag)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetErasure is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb56e7e96.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getErasure(bytes32 subjectTag) view returns((bytes32,bytes32,bytes32,address,uint64))
func (erasures *Erasures) TryPackGetErasure(subjectTag [32]byte) ([]byte, error) {
	return erasures.abi.Pack("getErasure", subjectTag)
}

// UnpackGetErasure is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb56e7e96.
//
// Solidity: function getErasure(bytes32 subjectTag) view returns((bytes32,bytes32,bytes32,address,uint64))
func (erasures *Erasures) UnpackGetErasure(data []byte) (ErasuresErasure, error) {
	out, err := erasures.abi.Unpack("getErasure", data)
	if err != nil {
		return *new(ErasuresErasure), err
	}
	out0 := *abi.ConvertType(out[0], new(ErasuresErasure)).(*ErasuresErasure)
	return out0, nil
}

// PackGetRefusal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x89844458.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRefusal(bytes32 requestRefHash) view returns((bytes32,address,uint64,uint16))
func (erasures *Erasures) PackGetRefusal(requestRefHash [32]byte) []byte {
	enc, err := erasures.abi.Pack("getRefusal", requestRefHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRefusal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x89844458.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRefusal(bytes32 requestRefHash) view returns((bytes32,address,uint64,uint16))
func (erasures *Erasures) TryPackGetRefusal(requestRefHash [32]byte) ([]byte, error) {
	return erasures.abi.Pack("getRefusal", requestRefHash)
}

// UnpackGetRefusal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x89844458.
//
// Solidity: function getRefusal(bytes32 requestRefHash) view returns((bytes32,address,uint64,uint16))
func (erasures *Erasures) UnpackGetRefusal(data []byte) (ErasuresRefusal, error) {
	out, err := erasures.abi.Unpack("getRefusal", data)
	if err != nil {
		return *new(ErasuresRefusal), err
	}
	out0 := *abi.ConvertType(out[0], new(ErasuresRefusal)).(*ErasuresRefusal)
	return out0, nil
}

// PackRecordErasure is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6ae2fab.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordErasure(bytes32 subjectTag, bytes32 keyIdsCommitment, bytes32 requestRefHash, bytes32 purgeOrderHash) returns()
func (erasures *Erasures) PackRecordErasure(subjectTag [32]byte, keyIdsCommitment [32]byte, requestRefHash [32]byte, purgeOrderHash [32]byte) []byte {
	enc, err := erasures.abi.Pack("recordErasure", subjectTag, keyIdsCommitment, requestRefHash, purgeOrderHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordErasure is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6ae2fab.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordErasure(bytes32 subjectTag, bytes32 keyIdsCommitment, bytes32 requestRefHash, bytes32 purgeOrderHash) returns()
func (erasures *Erasures) TryPackRecordErasure(subjectTag [32]byte, keyIdsCommitment [32]byte, requestRefHash [32]byte, purgeOrderHash [32]byte) ([]byte, error) {
	return erasures.abi.Pack("recordErasure", subjectTag, keyIdsCommitment, requestRefHash, purgeOrderHash)
}

// PackRecordRefusal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c524904.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordRefusal(bytes32 subjectTag, bytes32 requestRefHash, uint16 legalGround) returns()
func (erasures *Erasures) PackRecordRefusal(subjectTag [32]byte, requestRefHash [32]byte, legalGround uint16) []byte {
	enc, err := erasures.abi.Pack("recordRefusal", subjectTag, requestRefHash, legalGround)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordRefusal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c524904.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordRefusal(bytes32 subjectTag, bytes32 requestRefHash, uint16 legalGround) returns()
func (erasures *Erasures) TryPackRecordRefusal(subjectTag [32]byte, requestRefHash [32]byte, legalGround uint16) ([]byte, error) {
	return erasures.abi.Pack("recordRefusal", subjectTag, requestRefHash, legalGround)
}

// ErasuresErased represents a Erased event raised by the Erasures contract.
type ErasuresErased struct {
	SubjectTag       [32]byte
	KeyIdsCommitment [32]byte
	RequestRefHash   [32]byte
	PurgeOrderHash   [32]byte
	Dpo              common.Address
	Time             uint64
	Raw              *types.Log // Blockchain specific contextual infos
}

const ErasuresErasedEventName = "Erased"

// ContractEventName returns the user-defined event name.
func (ErasuresErased) ContractEventName() string {
	return ErasuresErasedEventName
}

// UnpackErasedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Erased(bytes32 indexed subjectTag, bytes32 keyIdsCommitment, bytes32 indexed requestRefHash, bytes32 purgeOrderHash, address indexed dpo, uint64 time)
func (erasures *Erasures) UnpackErasedEvent(log *types.Log) (*ErasuresErased, error) {
	event := "Erased"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != erasures.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ErasuresErased)
	if len(log.Data) > 0 {
		if err := erasures.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range erasures.abi.Events[event].Inputs {
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

// ErasuresRefused represents a Refused event raised by the Erasures contract.
type ErasuresRefused struct {
	SubjectTag     [32]byte
	RequestRefHash [32]byte
	LegalGround    uint16
	Dpo            common.Address
	Time           uint64
	Raw            *types.Log // Blockchain specific contextual infos
}

const ErasuresRefusedEventName = "Refused"

// ContractEventName returns the user-defined event name.
func (ErasuresRefused) ContractEventName() string {
	return ErasuresRefusedEventName
}

// UnpackRefusedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Refused(bytes32 indexed subjectTag, bytes32 indexed requestRefHash, uint16 legalGround, address indexed dpo, uint64 time)
func (erasures *Erasures) UnpackRefusedEvent(log *types.Log) (*ErasuresRefused, error) {
	event := "Refused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != erasures.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ErasuresRefused)
	if len(log.Data) > 0 {
		if err := erasures.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range erasures.abi.Events[event].Inputs {
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
func (erasures *Erasures) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], erasures.abi.Errors["AlreadyErased"].ID.Bytes()[:4]) {
		return erasures.UnpackAlreadyErasedError(raw[4:])
	}
	if bytes.Equal(raw[:4], erasures.abi.Errors["AlreadyRefused"].ID.Bytes()[:4]) {
		return erasures.UnpackAlreadyRefusedError(raw[4:])
	}
	if bytes.Equal(raw[:4], erasures.abi.Errors["BadInput"].ID.Bytes()[:4]) {
		return erasures.UnpackBadInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], erasures.abi.Errors["NotMember"].ID.Bytes()[:4]) {
		return erasures.UnpackNotMemberError(raw[4:])
	}
	if bytes.Equal(raw[:4], erasures.abi.Errors["UnknownErasure"].ID.Bytes()[:4]) {
		return erasures.UnpackUnknownErasureError(raw[4:])
	}
	if bytes.Equal(raw[:4], erasures.abi.Errors["UnknownRefusal"].ID.Bytes()[:4]) {
		return erasures.UnpackUnknownRefusalError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ErasuresAlreadyErased represents a AlreadyErased error raised by the Erasures contract.
type ErasuresAlreadyErased struct {
	SubjectTag [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyErased(bytes32 subjectTag)
func ErasuresAlreadyErasedErrorID() common.Hash {
	return common.HexToHash("0x25248de01a6293463930d310feef007a2261be48e3a289d5c647133e9ac6f065")
}

// UnpackAlreadyErasedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyErased(bytes32 subjectTag)
func (erasures *Erasures) UnpackAlreadyErasedError(raw []byte) (*ErasuresAlreadyErased, error) {
	out := new(ErasuresAlreadyErased)
	if err := erasures.abi.UnpackIntoInterface(out, "AlreadyErased", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ErasuresAlreadyRefused represents a AlreadyRefused error raised by the Erasures contract.
type ErasuresAlreadyRefused struct {
	RequestRefHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRefused(bytes32 requestRefHash)
func ErasuresAlreadyRefusedErrorID() common.Hash {
	return common.HexToHash("0x3e579738a3ffbeda08d2edabd9793dc567d4d66647a69c115d60fb9e1ab0ea7a")
}

// UnpackAlreadyRefusedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRefused(bytes32 requestRefHash)
func (erasures *Erasures) UnpackAlreadyRefusedError(raw []byte) (*ErasuresAlreadyRefused, error) {
	out := new(ErasuresAlreadyRefused)
	if err := erasures.abi.UnpackIntoInterface(out, "AlreadyRefused", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ErasuresBadInput represents a BadInput error raised by the Erasures contract.
type ErasuresBadInput struct {
	What string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInput(string what)
func ErasuresBadInputErrorID() common.Hash {
	return common.HexToHash("0x6dd4c676a33afead2f92e642a2cf14223ca9bbba6d494479540bca6c29c3b320")
}

// UnpackBadInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInput(string what)
func (erasures *Erasures) UnpackBadInputError(raw []byte) (*ErasuresBadInput, error) {
	out := new(ErasuresBadInput)
	if err := erasures.abi.UnpackIntoInterface(out, "BadInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ErasuresNotMember represents a NotMember error raised by the Erasures contract.
type ErasuresNotMember struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMember(address sender)
func ErasuresNotMemberErrorID() common.Hash {
	return common.HexToHash("0x16d6142c051fd31eaf080eccdc319a6d11b659baa2266c1e4d7e444bd19c4a32")
}

// UnpackNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMember(address sender)
func (erasures *Erasures) UnpackNotMemberError(raw []byte) (*ErasuresNotMember, error) {
	out := new(ErasuresNotMember)
	if err := erasures.abi.UnpackIntoInterface(out, "NotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ErasuresUnknownErasure represents a UnknownErasure error raised by the Erasures contract.
type ErasuresUnknownErasure struct {
	SubjectTag [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownErasure(bytes32 subjectTag)
func ErasuresUnknownErasureErrorID() common.Hash {
	return common.HexToHash("0x7382b4c76b9aa410a2331411699d6cad12ee8ef21ac0aceded54a8ebd479f8b8")
}

// UnpackUnknownErasureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownErasure(bytes32 subjectTag)
func (erasures *Erasures) UnpackUnknownErasureError(raw []byte) (*ErasuresUnknownErasure, error) {
	out := new(ErasuresUnknownErasure)
	if err := erasures.abi.UnpackIntoInterface(out, "UnknownErasure", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ErasuresUnknownRefusal represents a UnknownRefusal error raised by the Erasures contract.
type ErasuresUnknownRefusal struct {
	RequestRefHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownRefusal(bytes32 requestRefHash)
func ErasuresUnknownRefusalErrorID() common.Hash {
	return common.HexToHash("0x323029cd2719502f43cd9815ced220b01cd911346992e36f1fecf66154b54f08")
}

// UnpackUnknownRefusalError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownRefusal(bytes32 requestRefHash)
func (erasures *Erasures) UnpackUnknownRefusalError(raw []byte) (*ErasuresUnknownRefusal, error) {
	out := new(ErasuresUnknownRefusal)
	if err := erasures.abi.UnpackIntoInterface(out, "UnknownRefusal", raw); err != nil {
		return nil, err
	}
	return out, nil
}
