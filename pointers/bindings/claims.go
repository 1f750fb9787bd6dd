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

// ClaimsMetaData contains all meta data concerning the Claims contract.
var ClaimsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIExceedsVerifier\",\"name\":\"v\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"statementHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"claimRoot\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256[5]\",\"name\":\"input\",\"type\":\"uint256[5]\"}],\"name\":\"ClaimVerified\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"exceedsVerifier\",\"outputs\":[{\"internalType\":\"contractIExceedsVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[8]\",\"name\":\"proof\",\"type\":\"uint256[8]\"},{\"internalType\":\"uint256[5]\",\"name\":\"input\",\"type\":\"uint256[5]\"}],\"name\":\"recordExceeds\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"statementHash\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Claims",
	Bin: "0x60a034606c57601f61023738819003918201601f19168301916001600160401b03831184841017607057808492602094604052833981010312606c57516001600160a01b0381168103606c576080526040516101b2908161008582396080518181816058015261014d0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081638ad716811461013b575063eb8aa84414610032575f80fd5b34610137576101a036600319011261013757366101041161013757366101a411610137577f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316803b15610137575f6101a49160405192838092631503eccd60e11b825261010060048084013760a0610104808401375afa801561012c5761011c575b60206040518181019060a0610104833760a081526100db60c08261017c565b51902060405160a061010482373390827f325e9cbd89e3c9a8d49f2c66d164b954a83cfeae25384e5187567fd75b1e728c60a06101043593a4604051908152f35b5f6101269161017c565b5f6100bc565b6040513d5f823e3d90fd5b5f80fd5b34610137575f366003190112610137577f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b90601f8019910116810190811067ffffffffffffffff82111761019e57604052565b634e487b7160e01b5f52604160045260245ffd",
}

// Claims is an auto generated Go binding around an Ethereum contract.
type Claims struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Claims) GetABI() abi.ABI {
	return c.abi
}

// NewClaims creates a new instance of Claims.
func NewClaims() *Claims {
	parsed, err := ClaimsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Claims{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Claims) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address v) returns()
func (claims *Claims) PackConstructor(v common.Address) []byte {
	enc, err := claims.abi.Pack("", v)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackExceedsVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8ad71681.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exceedsVerifier() view returns(address)
func (claims *Claims) PackExceedsVerifier() []byte {
	enc, err := claims.abi.Pack("exceedsVerifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExceedsVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8ad71681.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exceedsVerifier() view returns(address)
func (claims *Claims) TryPackExceedsVerifier() ([]byte, error) {
	return claims.abi.Pack("exceedsVerifier")
}

// UnpackExceedsVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8ad71681.
//
// Solidity: function exceedsVerifier() view returns(address)
func (claims *Claims) UnpackExceedsVerifier(data []byte) (common.Address, error) {
	out, err := claims.abi.Unpack("exceedsVerifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRecordExceeds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeb8aa844.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordExceeds(uint256[8] proof, uint256[5] input) returns(bytes32 statementHash)
func (claims *Claims) PackRecordExceeds(proof [8]*big.Int, input [5]*big.Int) []byte {
	enc, err := claims.abi.Pack("recordExceeds", proof, input)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordExceeds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeb8aa844.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordExceeds(uint256[8] proof, uint256[5] input) returns(bytes32 statementHash)
func (claims *Claims) TryPackRecordExceeds(proof [8]*big.Int, input [5]*big.Int) ([]byte, error) {
	return claims.abi.Pack("recordExceeds", proof, input)
}

// UnpackRecordExceeds is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xeb8aa844.
//
// Solidity: function recordExceeds(uint256[8] proof, uint256[5] input) returns(bytes32 statementHash)
func (claims *Claims) UnpackRecordExceeds(data []byte) ([32]byte, error) {
	out, err := claims.abi.Unpack("recordExceeds", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// ClaimsClaimVerified represents a ClaimVerified event raised by the Claims contract.
type ClaimsClaimVerified struct {
	StatementHash [32]byte
	ClaimRoot     [32]byte
	By            common.Address
	Input         [5]*big.Int
	Raw           *types.Log // Blockchain specific contextual infos
}

const ClaimsClaimVerifiedEventName = "ClaimVerified"

// ContractEventName returns the user-defined event name.
func (ClaimsClaimVerified) ContractEventName() string {
	return ClaimsClaimVerifiedEventName
}

// UnpackClaimVerifiedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ClaimVerified(bytes32 indexed statementHash, bytes32 indexed claimRoot, address indexed by, uint256[5] input)
func (claims *Claims) UnpackClaimVerifiedEvent(log *types.Log) (*ClaimsClaimVerified, error) {
	event := "ClaimVerified"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != claims.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ClaimsClaimVerified)
	if len(log.Data) > 0 {
		if err := claims.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range claims.abi.Events[event].Inputs {
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
