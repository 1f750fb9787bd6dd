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

// GrantsGrant is an auto generated low-level Go binding around an user-defined struct.
type GrantsGrant struct {
	StreamTag       [32]byte
	GranteeKeyHash  [32]byte
	SignerKey       [32]byte
	NotBefore       uint64
	NotAfter        uint64
	M               uint8
	N               uint8
	Revoked         bool
	RevokedAt       uint64
	RecordedBy      common.Address
	Proxies         []common.Address
	Signature       []byte
	RevokeSignature []byte
}

// GrantsMetaData contains all meta data concerning the Grants contract.
var GrantsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"},{\"internalType\":\"contractIStreamOwners\",\"name\":\"s\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"AlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"BadSignatureLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"n\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"proxies\",\"type\":\"uint256\"}],\"name\":\"BadThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"}],\"name\":\"BadWindow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"GrantExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotStreamOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"proxy\",\"type\":\"address\"}],\"name\":\"ProxyNotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"UnknownGrant\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"streamTag\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"granteeKeyHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"n\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"proxies\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"signerKey\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"GrantRecorded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"streamTag\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"GrantRevoked\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getGrant\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"streamTag\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"granteeKeyHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"signerKey\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"n\",\"type\":\"uint8\"},{\"internalType\":\"bool\",\"name\":\"revoked\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"revokedAt\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"recordedBy\",\"type\":\"address\"},{\"internalType\":\"address[]\",\"name\":\"proxies\",\"type\":\"address[]\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"revokeSignature\",\"type\":\"bytes\"}],\"internalType\":\"structGrants.Grant\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"streamTag\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"granteeKeyHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"internalType\":\"address[]\",\"name\":\"proxies\",\"type\":\"address[]\"},{\"internalType\":\"bytes32\",\"name\":\"signerKey\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"grant\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"revoke\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"streamOwners\",\"outputs\":[{\"internalType\":\"contractIStreamOwners\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Grants",
	Bin: "0x60c0346100a157601f61107a38819003918201601f19168301916001600160401b038311848410176100a55780849260409485528339810103126100a1578051906001600160a01b03821682036100a15760200151906001600160a01b03821682036100a15760805260a052604051610fc090816100ba823960805181818161031f015281816103e3015261074a015260a05181818161036301526107d40152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081630ef342eb146106755750806322ca38861461039257806332cf0f1c1461034e5780639ad187651461030a5763e483ac0414610053575f80fd5b3461030657602036600319011261030657600435606061018060405161007881610e25565b5f81525f60208201525f60408201525f838201525f60808201525f60a08201525f60c08201525f60e08201525f6101008201525f61012082015282610140820152826101608201520152805f525f60205260405f2090604051906100db82610e25565b8254825260018301549160208101928352600284015460408201908152600385015460608301906001600160401b0381168252608084016001600160401b038260401c16815260a0850160ff8360801c16815260c086019060ff8460881c16825260e087019260ff8560901c16151584526001600160401b0361010089019560981c16855260018060a01b0360048c01541695610120890196875260058c01976040519889602082549182815201915f5260205f20905f5b8181106102e75750505060078b9c9d9e6101b28c6101d494038d610e41565b6101408d019b8c526101606101c960068301610f20565b9d019c8d5201610f20565b9b6101808c019c8d528b51156102d557506040805160208082529c518d8201529d51908e01525160608d0152516001600160401b0390811660808d01529051811660a08c0152905160ff90811660c08c0152915190911660e08a015290511515610100890152905116610120870152516001600160a01b0316610140860152516101a061016086015280516101c086018190528594936101e08601939201905f5b8181106102b3575050506102af929161029b9151601f1986830301610180870152610e01565b9051838203601f19016101a0850152610e01565b0390f35b82516001600160a01b0316855287965060209485019490920191600101610275565b63232b7fbb60e21b5f5260045260245ffd5b82546001600160a01b0316845260209093019260019283019201610193565b5f80fd5b34610306575f366003190112610306576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b34610306575f366003190112610306576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b34610306576040366003190112610306576004356024356001600160401b038111610306576103c5903690600401610dd4565b60405163288c314960e21b81523360048201529092906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa90811561066a575f9161063b575b501561062857805f525f60205260405f208054156106155760038101805460ff8160901c1661060257604086036105ef5768ffffffffffffffffff60901b19164260981b67ffffffffffffffff60981b1617600160901b179055600781016001600160401b0385116105db576104918154610ec8565b601f81116105a0575b50845f601f821160011461051257917fdf8f82491adb64207a2db464acde3ed44f14a727966d6807b545498f5ea2d4859391610502935f91610507575b508760011b905f198960031b1c19161790555b54936040519182916020835233976020840191610f00565b0390a4005b9050860135886104d7565b5f8381526020812092508790601f198216905b8181106105855750917fdf8f82491adb64207a2db464acde3ed44f14a727966d6807b545498f5ea2d48595939161050295931061056c575b5050600187811b0190556104ea565b8701355f1960038a901b60f8161c19169055878061055d565b8884013585556001909401936020938401938a935001610525565b6105cb90825f5260205f20601f880160051c810191602089106105d1575b601f0160051c0190610eb2565b8561049a565b90915081906105be565b634e487b7160e01b5f52604160045260245ffd5b85633e89287f60e11b5f5260045260245ffd5b836390315de160e01b5f5260045260245ffd5b5063232b7fbb60e21b5f5260045260245ffd5b6305b5850b60e21b5f523360045260245ffd5b61065d915060203d602011610663575b6106558183610e41565b810190610e62565b8461041b565b503d61064b565b6040513d5f823e3d90fd5b34610306576101203660031901126103065760043560243590604435606435906001600160401b038216809203610306576084356001600160401b0381168082036103065760a4359060ff8216908183036103065760c435946001600160401b0386116103065736602387011215610306578560040135926001600160401b038411610306576024870196602436918660051b0101116103065760e43594610104356001600160401b03811161030657610733903690600401610dd4565b63288c314960e21b8e523360048f0152909c9097907f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031690602081602481855afa90811561066a575f91610db5575b5015610628578b15610d8a578c15610d58578415610d21578715610cef578b5f525f60205260405f2054610cdc57604051637dd5641160e01b8152600481018e90526020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa90811561066a575f91610c9a575b50336001600160a01b0390911603610c83578a861115610c6c5783158015610c64575b8015610c5a575b8015610c51575b610c335760408903610c20575f5b8a88808310610afb57505050508a5f525f6020528960405f20928d845585600185015588600285015560038401926fffffffffffffffff0000000000000000845460ff60881b8b60881b169460ff60881b199170ffffffffffffffffffffffffffffffffff191617169160401b16179060ff60801b9060801b161717905560048101336bffffffffffffffffffffffff60a01b825416179055600581016801000000000000000086116105db578054868255808710610adf575b5088905f5260205f20905f5b878110610ac457505050600601926001600160401b0387116105db5783610939869554610ec8565b601f8111610a94575b50875f601f8211600114610a1d575f91610a12575b508860011b905f198a60031b1c19161790555b604051986101008a01938a5260208a01526040890152606088015260ff8216608088015261010060a088015252610120850193905f905b8082106109e857505050839283926105029260c07f93dcd05daf078ed03d9c11a64f4dcc68b8c4827627209e867551a962b3edb99e97015283820360e08501523398610f00565b90919485359060018060a01b038216809203610306576020816001938293520196019201906109a1565b90508d01358e610957565b90508d601f198a1691835f528a60205f20935f5b818110610a68575010610a4f575b505050600188811b01905561096a565b01355f1960038b901b60f8161c191690558d8d81610a3f565b94836020949798999a9b5084935060019295013581550194019201918f918b908a999897969594610a31565b610abe90825f5260205f20601f8b0160051c81019160208c106105d157601f0160051c0190610eb2565b8d610942565b6001906020610ad284610e9e565b9301928185015501610911565b610af590825f528760205f209182019101610eb2565b8d610905565b82610b0991610b0e93610e7a565b610e9e565b60405163288c314960e21b81526001600160a01b039091166004820152602081602481865afa90811561066a575f91610c02575b5015610bd4575f5b888c838310610b5e5750505060010161084b565b82610b6c92610b0992610e7a565b8c610b82610b09858d60018060a01b0394610e7a565b6001600160a01b03909216911614610b9c57600101610b4a565b6040516336ea633b60e11b815260206004820152600f60248201526e6475706c69636174652070726f787960881b6044820152606490fd5b610b09610be291898d610e7a565b633a5ee15160e01b5f9081526001600160a01b0391909116600452602490fd5b610c1a915060203d8111610663576106558183610e41565b5f610b42565b88633e89287f60e11b5f5260045260245ffd5b8684632216671760e21b5f5260045260ff811660245260445260645ffd5b5086841161083d565b5060ff8711610836565b50861561082f565b858b63d389761b60e01b5f5260045260245260445ffd5b8c633d0f75e160e21b5f526004523360245260445ffd5b90506020813d602011610cd4575b81610cb560209383610e41565b8101031261030657516001600160a01b0381168103610306578f61080c565b3d9150610ca8565b8b6319351d6560e31b5f5260045260245ffd5b6040516336ea633b60e11b81526020600482015260096024820152687369676e65724b657960b81b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600e60248201526d0cee4c2dce8caca96caf290c2e6d60931b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600960248201526873747265616d54616760b81b6044820152606490fd5b6040516336ea633b60e11b81526020600482015260026024820152611a5960f21b6044820152606490fd5b610dce915060203d602011610663576106558183610e41565b8f61078a565b9181601f84011215610306578235916001600160401b038311610306576020838186019501011161030657565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b6101a081019081106001600160401b038211176105db57604052565b90601f801991011681019081106001600160401b038211176105db57604052565b90816020910312610306575180151581036103065790565b9190811015610e8a5760051b0190565b634e487b7160e01b5f52603260045260245ffd5b356001600160a01b03811681036103065790565b818110610ebd575050565b5f8155600101610eb2565b90600182811c92168015610ef6575b6020831014610ee257565b634e487b7160e01b5f52602260045260245ffd5b91607f1691610ed7565b908060209392818452848401375f828201840152601f01601f1916010190565b9060405191825f825492610f3384610ec8565b8084529360018116908115610f9e5750600114610f5a575b50610f5892500383610e41565b565b90505f9291925260205f20905f915b818310610f82575050906020610f58928201015f610f4b565b6020919350806001915483858901015201910190918492610f69565b905060209250610f5894915060ff191682840152151560051b8201015f610f4b56",
}

// Grants is an auto generated Go binding around an Ethereum contract.
type Grants struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Grants) GetABI() abi.ABI {
	return c.abi
}

// NewGrants creates a new instance of Grants.
func NewGrants() *Grants {
	parsed, err := GrantsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Grants{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Grants) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address c, address s) returns()
func (grants *Grants) PackConstructor(c common.Address, s common.Address) []byte {
	enc, err := grants.abi.Pack("", c, s)
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
func (grants *Grants) PackConsortium() []byte {
	enc, err := grants.abi.Pack("consortium")
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
func (grants *Grants) TryPackConsortium() ([]byte, error) {
	return grants.abi.Pack("consortium")
}

// UnpackConsortium is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9ad18765.
//
// Solidity: function consortium() view returns(address)
func (grants *Grants) UnpackConsortium(data []byte) (common.Address, error) {
	out, err := grants.abi.Unpack("consortium", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetGrant is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe483ac04.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getGrant(bytes32 id) view returns((bytes32,bytes32,bytes32,uint64,uint64,uint8,uint8,bool,uint64,address,address[],bytes,bytes))
func (grants *Grants) PackGetGrant(id [32]byte) []byte {
	enc, err := grants.abi.Pack("getGrant", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetGrant is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe483ac04.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getGrant(bytes32 id) view returns((bytes32,bytes32,bytes32,uint64,uint64,uint8,uint8,bool,uint64,address,address[],bytes,bytes))
func (grants *Grants) TryPackGetGrant(id [32]byte) ([]byte, error) {
	return grants.abi.Pack("getGrant", id)
}

// UnpackGetGrant is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe483ac04.
//
// Solidity: function getGrant(bytes32 id) view returns((bytes32,bytes32,bytes32,uint64,uint64,uint8,uint8,bool,uint64,address,address[],bytes,bytes))
func (grants *Grants) UnpackGetGrant(data []byte) (GrantsGrant, error) {
	out, err := grants.abi.Unpack("getGrant", data)
	if err != nil {
		return *new(GrantsGrant), err
	}
	out0 := *abi.ConvertType(out[0], new(GrantsGrant)).(*GrantsGrant)
	return out0, nil
}

// PackGrant is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ef342eb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grant(bytes32 id, bytes32 streamTag, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, address[] proxies, bytes32 signerKey, bytes signature) returns()
func (grants *Grants) PackGrant(id [32]byte, streamTag [32]byte, granteeKeyHash [32]byte, notBefore uint64, notAfter uint64, m uint8, proxies []common.Address, signerKey [32]byte, signature []byte) []byte {
	enc, err := grants.abi.Pack("grant", id, streamTag, granteeKeyHash, notBefore, notAfter, m, proxies, signerKey, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrant is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ef342eb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grant(bytes32 id, bytes32 streamTag, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, address[] proxies, bytes32 signerKey, bytes signature) returns()
func (grants *Grants) TryPackGrant(id [32]byte, streamTag [32]byte, granteeKeyHash [32]byte, notBefore uint64, notAfter uint64, m uint8, proxies []common.Address, signerKey [32]byte, signature []byte) ([]byte, error) {
	return grants.abi.Pack("grant", id, streamTag, granteeKeyHash, notBefore, notAfter, m, proxies, signerKey, signature)
}

// PackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22ca3886.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revoke(bytes32 id, bytes signature) returns()
func (grants *Grants) PackRevoke(id [32]byte, signature []byte) []byte {
	enc, err := grants.abi.Pack("revoke", id, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22ca3886.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revoke(bytes32 id, bytes signature) returns()
func (grants *Grants) TryPackRevoke(id [32]byte, signature []byte) ([]byte, error) {
	return grants.abi.Pack("revoke", id, signature)
}

// PackStreamOwners is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32cf0f1c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function streamOwners() view returns(address)
func (grants *Grants) PackStreamOwners() []byte {
	enc, err := grants.abi.Pack("streamOwners")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStreamOwners is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32cf0f1c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function streamOwners() view returns(address)
func (grants *Grants) TryPackStreamOwners() ([]byte, error) {
	return grants.abi.Pack("streamOwners")
}

// UnpackStreamOwners is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x32cf0f1c.
//
// Solidity: function streamOwners() view returns(address)
func (grants *Grants) UnpackStreamOwners(data []byte) (common.Address, error) {
	out, err := grants.abi.Unpack("streamOwners", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// GrantsGrantRecorded represents a GrantRecorded event raised by the Grants contract.
type GrantsGrantRecorded struct {
	Id             [32]byte
	StreamTag      [32]byte
	GranteeKeyHash [32]byte
	NotBefore      uint64
	NotAfter       uint64
	M              uint8
	N              uint8
	Proxies        []common.Address
	SignerKey      [32]byte
	Signature      []byte
	By             common.Address
	Raw            *types.Log // Blockchain specific contextual infos
}

const GrantsGrantRecordedEventName = "GrantRecorded"

// ContractEventName returns the user-defined event name.
func (GrantsGrantRecorded) ContractEventName() string {
	return GrantsGrantRecordedEventName
}

// UnpackGrantRecordedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event GrantRecorded(bytes32 indexed id, bytes32 indexed streamTag, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, uint8 n, address[] proxies, bytes32 signerKey, bytes signature, address indexed by)
func (grants *Grants) UnpackGrantRecordedEvent(log *types.Log) (*GrantsGrantRecorded, error) {
	event := "GrantRecorded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != grants.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(GrantsGrantRecorded)
	if len(log.Data) > 0 {
		if err := grants.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range grants.abi.Events[event].Inputs {
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

// GrantsGrantRevoked represents a GrantRevoked event raised by the Grants contract.
type GrantsGrantRevoked struct {
	Id        [32]byte
	StreamTag [32]byte
	Signature []byte
	By        common.Address
	Raw       *types.Log // Blockchain specific contextual infos
}

const GrantsGrantRevokedEventName = "GrantRevoked"

// ContractEventName returns the user-defined event name.
func (GrantsGrantRevoked) ContractEventName() string {
	return GrantsGrantRevokedEventName
}

// UnpackGrantRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event GrantRevoked(bytes32 indexed id, bytes32 indexed streamTag, bytes signature, address indexed by)
func (grants *Grants) UnpackGrantRevokedEvent(log *types.Log) (*GrantsGrantRevoked, error) {
	event := "GrantRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != grants.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(GrantsGrantRevoked)
	if len(log.Data) > 0 {
		if err := grants.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range grants.abi.Events[event].Inputs {
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
func (grants *Grants) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], grants.abi.Errors["AlreadyRevoked"].ID.Bytes()[:4]) {
		return grants.UnpackAlreadyRevokedError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["BadInput"].ID.Bytes()[:4]) {
		return grants.UnpackBadInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["BadSignatureLength"].ID.Bytes()[:4]) {
		return grants.UnpackBadSignatureLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["BadThreshold"].ID.Bytes()[:4]) {
		return grants.UnpackBadThresholdError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["BadWindow"].ID.Bytes()[:4]) {
		return grants.UnpackBadWindowError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["GrantExists"].ID.Bytes()[:4]) {
		return grants.UnpackGrantExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["NotMember"].ID.Bytes()[:4]) {
		return grants.UnpackNotMemberError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["NotStreamOwner"].ID.Bytes()[:4]) {
		return grants.UnpackNotStreamOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["ProxyNotMember"].ID.Bytes()[:4]) {
		return grants.UnpackProxyNotMemberError(raw[4:])
	}
	if bytes.Equal(raw[:4], grants.abi.Errors["UnknownGrant"].ID.Bytes()[:4]) {
		return grants.UnpackUnknownGrantError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// GrantsAlreadyRevoked represents a AlreadyRevoked error raised by the Grants contract.
type GrantsAlreadyRevoked struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRevoked(bytes32 id)
func GrantsAlreadyRevokedErrorID() common.Hash {
	return common.HexToHash("0x90315de188eb047fc54ca36d1436afb1afc987c1864c711074a89029958f122f")
}

// UnpackAlreadyRevokedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRevoked(bytes32 id)
func (grants *Grants) UnpackAlreadyRevokedError(raw []byte) (*GrantsAlreadyRevoked, error) {
	out := new(GrantsAlreadyRevoked)
	if err := grants.abi.UnpackIntoInterface(out, "AlreadyRevoked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsBadInput represents a BadInput error raised by the Grants contract.
type GrantsBadInput struct {
	What string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInput(string what)
func GrantsBadInputErrorID() common.Hash {
	return common.HexToHash("0x6dd4c676a33afead2f92e642a2cf14223ca9bbba6d494479540bca6c29c3b320")
}

// UnpackBadInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInput(string what)
func (grants *Grants) UnpackBadInputError(raw []byte) (*GrantsBadInput, error) {
	out := new(GrantsBadInput)
	if err := grants.abi.UnpackIntoInterface(out, "BadInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsBadSignatureLength represents a BadSignatureLength error raised by the Grants contract.
type GrantsBadSignatureLength struct {
	Length *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSignatureLength(uint256 length)
func GrantsBadSignatureLengthErrorID() common.Hash {
	return common.HexToHash("0x7d1250fe7d9f7573d54786d97945cacc9d5addab68df166fcbdfcb55aeb2af96")
}

// UnpackBadSignatureLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSignatureLength(uint256 length)
func (grants *Grants) UnpackBadSignatureLengthError(raw []byte) (*GrantsBadSignatureLength, error) {
	out := new(GrantsBadSignatureLength)
	if err := grants.abi.UnpackIntoInterface(out, "BadSignatureLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsBadThreshold represents a BadThreshold error raised by the Grants contract.
type GrantsBadThreshold struct {
	M       uint8
	N       uint8
	Proxies *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadThreshold(uint8 m, uint8 n, uint256 proxies)
func GrantsBadThresholdErrorID() common.Hash {
	return common.HexToHash("0x88599c5c2ff01e7e1d40234ec07bb51cc9bcb2396b68b1b5cd2153d17b10d3a7")
}

// UnpackBadThresholdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadThreshold(uint8 m, uint8 n, uint256 proxies)
func (grants *Grants) UnpackBadThresholdError(raw []byte) (*GrantsBadThreshold, error) {
	out := new(GrantsBadThreshold)
	if err := grants.abi.UnpackIntoInterface(out, "BadThreshold", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsBadWindow represents a BadWindow error raised by the Grants contract.
type GrantsBadWindow struct {
	NotBefore uint64
	NotAfter  uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadWindow(uint64 notBefore, uint64 notAfter)
func GrantsBadWindowErrorID() common.Hash {
	return common.HexToHash("0xd389761b999a30f3645ace66a4eb9c972f55eebb9c8f6324a16048556b126472")
}

// UnpackBadWindowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadWindow(uint64 notBefore, uint64 notAfter)
func (grants *Grants) UnpackBadWindowError(raw []byte) (*GrantsBadWindow, error) {
	out := new(GrantsBadWindow)
	if err := grants.abi.UnpackIntoInterface(out, "BadWindow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsGrantExists represents a GrantExists error raised by the Grants contract.
type GrantsGrantExists struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error GrantExists(bytes32 id)
func GrantsGrantExistsErrorID() common.Hash {
	return common.HexToHash("0xc9a8eb28a7ffea27c8fbf213220c481cacbaaa3d2aa2b3478fb63cad06aa5ef6")
}

// UnpackGrantExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error GrantExists(bytes32 id)
func (grants *Grants) UnpackGrantExistsError(raw []byte) (*GrantsGrantExists, error) {
	out := new(GrantsGrantExists)
	if err := grants.abi.UnpackIntoInterface(out, "GrantExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsNotMember represents a NotMember error raised by the Grants contract.
type GrantsNotMember struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMember(address sender)
func GrantsNotMemberErrorID() common.Hash {
	return common.HexToHash("0x16d6142c051fd31eaf080eccdc319a6d11b659baa2266c1e4d7e444bd19c4a32")
}

// UnpackNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMember(address sender)
func (grants *Grants) UnpackNotMemberError(raw []byte) (*GrantsNotMember, error) {
	out := new(GrantsNotMember)
	if err := grants.abi.UnpackIntoInterface(out, "NotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsNotStreamOwner represents a NotStreamOwner error raised by the Grants contract.
type GrantsNotStreamOwner struct {
	Tag    [32]byte
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotStreamOwner(bytes32 tag, address sender)
func GrantsNotStreamOwnerErrorID() common.Hash {
	return common.HexToHash("0xf43dd784238a1770f9b18a5870a109dda2adab54b38df7a026197881b68231af")
}

// UnpackNotStreamOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotStreamOwner(bytes32 tag, address sender)
func (grants *Grants) UnpackNotStreamOwnerError(raw []byte) (*GrantsNotStreamOwner, error) {
	out := new(GrantsNotStreamOwner)
	if err := grants.abi.UnpackIntoInterface(out, "NotStreamOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsProxyNotMember represents a ProxyNotMember error raised by the Grants contract.
type GrantsProxyNotMember struct {
	Proxy common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProxyNotMember(address proxy)
func GrantsProxyNotMemberErrorID() common.Hash {
	return common.HexToHash("0x3a5ee15146e4951bd871a2b6a69cab0495f879fe6e596fbd45af0432150d4888")
}

// UnpackProxyNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProxyNotMember(address proxy)
func (grants *Grants) UnpackProxyNotMemberError(raw []byte) (*GrantsProxyNotMember, error) {
	out := new(GrantsProxyNotMember)
	if err := grants.abi.UnpackIntoInterface(out, "ProxyNotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsUnknownGrant represents a UnknownGrant error raised by the Grants contract.
type GrantsUnknownGrant struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownGrant(bytes32 id)
func GrantsUnknownGrantErrorID() common.Hash {
	return common.HexToHash("0x8cadfeec265788351d131cf207c534ef657f31eb975b064ea1ef5a240847ff4e")
}

// UnpackUnknownGrantError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownGrant(bytes32 id)
func (grants *Grants) UnpackUnknownGrantError(raw []byte) (*GrantsUnknownGrant, error) {
	out := new(GrantsUnknownGrant)
	if err := grants.abi.UnpackIntoInterface(out, "UnknownGrant", raw); err != nil {
		return nil, err
	}
	return out, nil
}
