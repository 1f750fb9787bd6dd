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
	StreamBinding   [32]byte
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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"AlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"BadSignatureLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"n\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"proxies\",\"type\":\"uint256\"}],\"name\":\"BadThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"}],\"name\":\"BadWindow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"GrantExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"proxy\",\"type\":\"address\"}],\"name\":\"ProxyNotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"UnknownGrant\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"streamBinding\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"granteeKeyHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"n\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"proxies\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"signerKey\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"GrantRecorded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"GrantRevoked\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortium\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getGrant\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"streamBinding\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"granteeKeyHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"signerKey\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"n\",\"type\":\"uint8\"},{\"internalType\":\"bool\",\"name\":\"revoked\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"revokedAt\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"recordedBy\",\"type\":\"address\"},{\"internalType\":\"address[]\",\"name\":\"proxies\",\"type\":\"address[]\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"revokeSignature\",\"type\":\"bytes\"}],\"internalType\":\"structGrants.Grant\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"streamBinding\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"granteeKeyHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"m\",\"type\":\"uint8\"},{\"internalType\":\"address[]\",\"name\":\"proxies\",\"type\":\"address[]\"},{\"internalType\":\"bytes32\",\"name\":\"signerKey\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"grant\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"revoke\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Grants",
	Bin: "0x60a034607457601f610f4c38819003918201601f19168301916001600160401b03831184841017607857808492602094604052833981010312607457516001600160a01b0381168103607457608052604051610ebf908161008d82396080518181816103140152818161039501526106fd0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081630ef342eb146106295750806322ca3886146103435780639ad18765146102ff5763e483ac0414610048575f80fd5b346102fb5760203660031901126102fb57600435606061018060405161006d81610d24565b5f81525f60208201525f60408201525f838201525f60808201525f60a08201525f60c08201525f60e08201525f6101008201525f61012082015282610140820152826101608201520152805f525f60205260405f2090604051906100d082610d24565b8254825260018301549160208101928352600284015460408201908152600385015460608301906001600160401b0381168252608084016001600160401b038260401c16815260a0850160ff8360801c16815260c086019060ff8460881c16825260e087019260ff8560901c16151584526001600160401b0361010089019560981c16855260018060a01b0360048c01541695610120890196875260058c01976040519889602082549182815201915f5260205f20905f5b8181106102dc5750505060078b9c9d9e6101a78c6101c994038d610d40565b6101408d019b8c526101606101be60068301610e1f565b9d019c8d5201610e1f565b9b6101808c019c8d528b51156102ca57506040805160208082529c518d8201529d51908e01525160608d0152516001600160401b0390811660808d01529051811660a08c0152905160ff90811660c08c0152915190911660e08a015290511515610100890152905116610120870152516001600160a01b0316610140860152516101a061016086015280516101c086018190528594936101e08601939201905f5b8181106102a8575050506102a492916102909151601f1986830301610180870152610d00565b9051838203601f19016101a0850152610d00565b0390f35b82516001600160a01b031685528796506020948501949092019160010161026a565b63232b7fbb60e21b5f5260045260245ffd5b82546001600160a01b0316845260209093019260019283019201610188565b5f80fd5b346102fb575f3660031901126102fb576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346102fb5760403660031901126102fb576004356024356001600160401b0381116102fb57610376903690600401610cd3565b60405163288c314960e21b8152336004820152909291906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa90811561061e575f916105ef575b50156105dc57815f525f60205260405f208054156105c957600381019081549160ff8360901c166105b657604086036105a35768ffffffffffffffffff60901b199092164260981b67ffffffffffffffff60981b1617600160901b179091556007016001600160401b03841161058f576104478154610dc7565b601f8111610554575b50835f601f82116001146104c657917ff263200846d95ac2b5ba9cc29e844600b3187a79959b837d1b79de3f11f23ab393916104b6935f916104bb575b508660011b905f198860031b1c19161790555b6040519182916020835233966020840191610dff565b0390a3005b90508201358761048d565b5f8381526020812092508690601f198216905b8181106105395750917ff263200846d95ac2b5ba9cc29e844600b3187a79959b837d1b79de3f11f23ab39593916104b6959310610520575b5050600186811b0190556104a0565b8301355f19600389901b60f8161c191690558680610511565b868401358555600190940193602093840193899350016104d9565b61057f90825f5260205f20601f870160051c81019160208810610585575b601f0160051c0190610db1565b84610450565b9091508190610572565b634e487b7160e01b5f52604160045260245ffd5b85633e89287f60e11b5f5260045260245ffd5b846390315de160e01b5f5260045260245ffd5b8263232b7fbb60e21b5f5260045260245ffd5b6305b5850b60e21b5f523360045260245ffd5b610611915060203d602011610617575b6106098183610d40565b810190610d61565b846103cd565b503d6105ff565b6040513d5f823e3d90fd5b346102fb576101203660031901126102fb57600435602435604435906064356001600160401b0381168091036102fb576084356001600160401b0381168082036102fb5760a4359260ff8416948585036102fb5760c435956001600160401b0387116102fb57366023880112156102fb578660040135936001600160401b0385116102fb576024880197602436918760051b0101116102fb5760e43595610104356001600160401b0381116102fb576106e6903690600401610cd3565b63288c314960e21b8e523360048f0152909c9098907f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031690602081602481855afa90811561061e575f91610cb4575b50156105dc578c15610c89578515610c53578b15610c1c578815610bea578c5f525f60205260405f2054610bd75786841115610bc05784158015610bb8575b8015610bae575b8015610ba5575b610b875760408a03610b74575f5b8b89808310610a5157505050508b5f525f60205260405f20918583558b600184015588600284015560038301918254916fffffffffffffffff000000000000000060ff60881b8b60881b16938a60ff60881b199170ffffffffffffffffffffffffffffffffff191617169160401b16179060ff60801b9060801b161717905560048101336bffffffffffffffffffffffff60a01b8254161790556005810168010000000000000000871161058f578054878255808810610a35575b5089905f5260205f20905f5b888110610a1a57505050600601936001600160401b03881161058f5784610887879654610dc7565b601f81116109ea575b50885f601f8211600114610971575f91610966575b508960011b905f198b60031b1c19161790555b604051996101208b01948b5260208b015260408a01526060890152608088015260ff821660a088015261012060c088015252610140850193905f905b80821061093c57505050839283926104b69260e07f93dcd05daf078ed03d9c11a64f4dcc68b8c4827627209e867551a962b3edb99e9701528382036101008501523397610dff565b90919485359060018060a01b0382168092036102fb576020816001938293520196019201906108f4565b90508d01358e6108a5565b90508d601f198b1691835f528b60205f20935f5b8181106109bc5750106109a3575b505050600189811b0190556108b8565b01355f1960038c901b60f8161c191690558d8d81610993565b94836020949798999a9b9c5084935060019295013581550194019201918f918c908b9a999897969594610985565b610a1490825f5260205f20601f8c0160051c81019160208d1061058557601f0160051c0190610db1565b8d610890565b6001906020610a2884610d9d565b930192818501550161085f565b610a4b90825f528860205f209182019101610db1565b8d610853565b82610a5f91610a6493610d79565b610d9d565b60405163288c314960e21b81526001600160a01b039091166004820152602081602481865afa90811561061e575f91610b56575b5015610b28575f5b818110610ab05750600101610798565b898d610ad6610a5f85610ac7610a5f878787610d79565b946001600160a01b0394610d79565b6001600160a01b03909216911614610af057600101610aa0565b6040516336ea633b60e11b815260206004820152600f60248201526e6475706c69636174652070726f787960881b6044820152606490fd5b610a5f610b36918a8e610d79565b633a5ee15160e01b5f9081526001600160a01b0391909116600452602490fd5b610b6e915060203d8111610617576106098183610d40565b5f610a98565b89633e89287f60e11b5f5260045260245ffd5b8785632216671760e21b5f5260045260ff811660245260445260645ffd5b5087851161078a565b5060ff8811610783565b50871561077c565b838763d389761b60e01b5f5260045260245260445ffd5b8c6319351d6560e31b5f5260045260245ffd5b6040516336ea633b60e11b81526020600482015260096024820152687369676e65724b657960b81b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600e60248201526d0cee4c2dce8caca96caf290c2e6d60931b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600d60248201526c73747265616d42696e64696e6760981b6044820152606490fd5b6040516336ea633b60e11b81526020600482015260026024820152611a5960f21b6044820152606490fd5b610ccd915060203d602011610617576106098183610d40565b8f61073d565b9181601f840112156102fb578235916001600160401b0383116102fb57602083818601950101116102fb57565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b6101a081019081106001600160401b0382111761058f57604052565b90601f801991011681019081106001600160401b0382111761058f57604052565b908160209103126102fb575180151581036102fb5790565b9190811015610d895760051b0190565b634e487b7160e01b5f52603260045260245ffd5b356001600160a01b03811681036102fb5790565b818110610dbc575050565b5f8155600101610db1565b90600182811c92168015610df5575b6020831014610de157565b634e487b7160e01b5f52602260045260245ffd5b91607f1691610dd6565b908060209392818452848401375f828201840152601f01601f1916010190565b9060405191825f825492610e3284610dc7565b8084529360018116908115610e9d5750600114610e59575b50610e5792500383610d40565b565b90505f9291925260205f20905f915b818310610e81575050906020610e57928201015f610e4a565b6020919350806001915483858901015201910190918492610e68565b905060209250610e5794915060ff191682840152151560051b8201015f610e4a56",
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
// Solidity: constructor(address c) returns()
func (grants *Grants) PackConstructor(c common.Address) []byte {
	enc, err := grants.abi.Pack("", c)
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
// Solidity: function grant(bytes32 id, bytes32 streamBinding, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, address[] proxies, bytes32 signerKey, bytes signature) returns()
func (grants *Grants) PackGrant(id [32]byte, streamBinding [32]byte, granteeKeyHash [32]byte, notBefore uint64, notAfter uint64, m uint8, proxies []common.Address, signerKey [32]byte, signature []byte) []byte {
	enc, err := grants.abi.Pack("grant", id, streamBinding, granteeKeyHash, notBefore, notAfter, m, proxies, signerKey, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrant is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ef342eb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grant(bytes32 id, bytes32 streamBinding, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, address[] proxies, bytes32 signerKey, bytes signature) returns()
func (grants *Grants) TryPackGrant(id [32]byte, streamBinding [32]byte, granteeKeyHash [32]byte, notBefore uint64, notAfter uint64, m uint8, proxies []common.Address, signerKey [32]byte, signature []byte) ([]byte, error) {
	return grants.abi.Pack("grant", id, streamBinding, granteeKeyHash, notBefore, notAfter, m, proxies, signerKey, signature)
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

// GrantsGrantRecorded represents a GrantRecorded event raised by the Grants contract.
type GrantsGrantRecorded struct {
	Id             [32]byte
	StreamBinding  [32]byte
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
// Solidity: event GrantRecorded(bytes32 indexed id, bytes32 streamBinding, bytes32 granteeKeyHash, uint64 notBefore, uint64 notAfter, uint8 m, uint8 n, address[] proxies, bytes32 signerKey, bytes signature, address indexed by)
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
// Solidity: event GrantRevoked(bytes32 indexed id, bytes signature, address indexed by)
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
