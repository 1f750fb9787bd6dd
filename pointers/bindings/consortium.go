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

// ConsortiumMetaData contains all meta data concerning the Consortium contract.
var ConsortiumMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"peerId\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proxyKey\",\"type\":\"bytes\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"}],\"name\":\"AdminExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"DeviceAlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"DeviceExists\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LastAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"MemberExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotDeviceOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"}],\"name\":\"UnknownAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"UnknownDevice\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"UnknownMember\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"AdminAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"AdminRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"pubKey\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"DeviceRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"DeviceRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"peerId\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"proxyKey\",\"type\":\"bytes\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"MemberAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"MemberRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"peerId\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"proxyKey\",\"type\":\"bytes\"}],\"name\":\"MemberUpdated\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"}],\"name\":\"addAdmin\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"peerId\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proxyKey\",\"type\":\"bytes\"}],\"name\":\"addMember\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"adminCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"getDevice\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"pubKey\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"enrolledAt\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revoked\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"revokedAt\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"who\",\"type\":\"address\"}],\"name\":\"getMember\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"since\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"peerId\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proxyKey\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isAdmin\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"who\",\"type\":\"address\"}],\"name\":\"isMember\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"memberAccounts\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"pubKey\",\"type\":\"bytes32\"}],\"name\":\"registerDevice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"}],\"name\":\"removeAdmin\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"removeMember\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"revokeDevice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"peerId\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proxyKey\",\"type\":\"bytes\"}],\"name\":\"updateSelf\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Consortium",
	Bin: "0x6080604052346104765761168e803803806100198161047a565b9283398101906040818303126104765780516001600160401b038111610476578261004591830161049f565b60208201519092906001600160401b03811161047657610065920161049f565b335f525f60205260405f20600160ff198254161790556001805560405133337fbf3f493c772c8c283fd124432c2d0f539ab343faa04258fe88e52912d36b102b5f80a36080835111801561046b575b6104345750335f52600260205260405f209160018060401b03835460081c16156103c2575b82546001600160481b0319164260081b68ffffffffffffffff001617600190811784558151939081016001600160401b0385116102f0578054600181811c911680156103b8575b60208210146102d257601f8111610373575b506020601f861160011461030f57948060029495965f91610304575b508160011b915f199060031b1c19161790555b83519391016001600160401b0384116102f0578054600181811c911680156102e6575b60208210146102d257601f811161028d575b50602093601f811160011461022d5780919293945f91610222575b508160011b915f199060031b1c19161790555b7fcbcf7ddaca25bc1cc953b21306d13027f23333abcec6c4c3ed8cd1d183e49ab76101fa604051936040855260408501906104f0565b92808403602082015280610210339533956104f0565b0390a360405161117990816105158239f35b90508301515f6101b1565b601f19811694825f52805f20905f5b8781106102755750826001949596971061025d575b5050811b0190556101c4565b8501515f1960f88460031b161c191690555f80610251565b9091602060018192858901518155019301910161023c565b815f5260205f20601f860160051c810191602087106102c8575b601f0160051c01905b8181106102bd5750610196565b5f81556001016102b0565b90915081906102a7565b634e487b7160e01b5f52602260045260245ffd5b90607f1690610184565b634e487b7160e01b5f52604160045260245ffd5b90508501515f61014e565b601f19861690825f52805f20915f5b81811061035b5750918791600296979860019410610343575b5050811b019055610161565b8701515f1960f88460031b161c191690555f80610337565b9192602060018192868a01518155019401920161031e565b815f5260205f20601f870160051c810191602088106103ae575b601f0160051c01905b8181106103a35750610132565b5f8155600101610396565b909150819061038d565b90607f1690610120565b600354680100000000000000008110156102f05760018101806003558110156104205760035f527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b0180546001600160a01b031916331790556100d9565b634e487b7160e01b5f52603260045260245ffd5b6336ea633b60e11b81526020600482015260116024820152700dacadac4cae440d6caf240d8cadccee8d607b1b6044820152606490fd5b5060808251116100b4565b5f80fd5b6040519190601f01601f191682016001600160401b038111838210176102f057604052565b81601f82011215610476578051906001600160401b0382116102f0576104ce601f8301601f191660200161047a565b928284526020838301011161047657815f9260208093018386015e8301015290565b805180835260209291819084018484015e5f828201840152601f01601f191601019056fe60806040526004361015610011575f80fd5b5f3560e01c80630b1ca49a14610ecb5780631785f53c14610e0b57806323ab770514610b0257806324d7806c14610ac65780632ada259614610a355780632b7832b314610a185780633de795b0146106235780633fa650031461055b5780636a7f745e146104ce57806370480275146103c9578063a230c5241461038c578063b6df09641461027c5763f8ada5b3146100a8575f80fd5b346102785760403660031901126102785760043560243590335f52600260205260ff60405f20541615610265578015610236578115610207575f818152600460205260409020600101546001600160a01b03166101f55760405160a081018181106001600160401b038211176101e1576040528281526001600160401b036002816020840133815260408501908242168252606086015f815260808701925f8452885f52600460205260405f2097518855600188019260018060a01b039051168354918660a01b905160a01b169163ffffffff60e01b161717825551151581549060ff60e01b9060e01b169060ff60e01b19161790555116920191166001600160401b03198254161790556040519182527f0c1a98e487221963eb6009869c749a116d8b669dd6e9346b129a18f3824fb57060203393a3005b634e487b7160e01b5f52604160045260245ffd5b63ee8240ab60e01b5f5260045260245ffd5b6040516336ea633b60e11b81526020600482015260066024820152657075624b657960d01b6044820152606490fd5b6040516336ea633b60e11b81526020600482015260066024820152650d2c890c2e6d60d31b6044820152606490fd5b6305b5850b60e21b5f523360045260245ffd5b5f80fd5b3461027857602036600319011261027857600435335f52600260205260ff60405f20541615610265575f81815260046020526040902060018101805491906001600160a01b03831680156103795733141580610363575b61034c5760ff8360e01c166103395760ff60e01b19909216600160e01b17909155600201805467ffffffffffffffff1916426001600160401b031617905533907f4cef02b2246fc579652de0a1b4d789cd9e1e6e9b6a6b36be68787c70d9edbb625f80a3005b83633495484960e21b5f5260045260245ffd5b83635a4d198760e01b5f526004523360245260445ffd5b50335f525f60205260ff60405f205416156102d3565b84637179a8d960e11b5f5260045260245ffd5b34610278576020366003190112610278576001600160a01b036103ad610f65565b165f526002602052602060ff60405f2054166040519015158152f35b34610278576020366003190112610278576103e2610f65565b335f525f60205260ff60405f205416156104bb576001600160a01b0316801561048d57805f525f60205260ff60405f20541661047b57805f525f60205260405f20600160ff198254161790556001545f1981146104675760010160015533907fbf3f493c772c8c283fd124432c2d0f539ab343faa04258fe88e52912d36b102b5f80a3005b634e487b7160e01b5f52601160045260245ffd5b63c716cdfd60e01b5f5260045260245ffd5b6040516336ea633b60e11b815260206004820152600560248201526430b236b4b760d91b6044820152606490fd5b630bd4212160e11b5f523360045260245ffd5b3461027857602036600319011261027857600435805f52600460205260405f2060018101549160018060a01b038316908115610549575060ff60a0936001600160401b0360028554950154169260405194855260208501526001600160401b0381861c16604085015260e01c16151560608301526080820152f35b637179a8d960e11b5f5260045260245ffd5b34610278575f366003190112610278576040518060206003549283815201809260035f527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b905f5b81811061060457505050816105b9910382611073565b604051918291602083019060208452518091526040830191905f5b8181106105e2575050500390f35b82516001600160a01b03168452859450602093840193909201916001016105d4565b82546001600160a01b03168452602090930192600192830192016105a3565b346102785760603660031901126102785761063c610f65565b6024356001600160401b0381116102785761065b903690600401610f7b565b90916044356001600160401b0381116102785761067c903690600401610f7b565b939091335f525f60205260ff60405f205416156104bb576001600160a01b03169283156109e957835f52600260205260ff60405f2054166109d6576106cf92916106c7913691611134565b933691611134565b91608081511180156109cb575b61099157815f52600260205260405f206001600160401b03815460081c161561091f575b6001815468ffffffffffffffff004260081b169068ffffffffffffffffff1916171781556001810182516001600160401b0381116101e15761074c816107468454610fcc565b84611004565b6020601f82116001146108bb5781600294939261077d925f916108b0575b508160011b915f199060031b1c19161790565b90555b0183516001600160401b0381116101e15761079f816107468454610fcc565b6020601f821160011461082a57916107f1827fcbcf7ddaca25bc1cc953b21306d13027f23333abcec6c4c3ed8cd1d183e49ab7959361080b955f9161081f57508160011b915f199060031b1c19161790565b90555b61081a604051928392604084526040840190610fa8565b82810360208401523396610fa8565b0390a3005b90508801518961076a565b601f19821690835f52805f20915f5b81811061089857509261080b9492600192827fcbcf7ddaca25bc1cc953b21306d13027f23333abcec6c4c3ed8cd1d183e49ab7989610610880575b5050811b0190556107f4565b8901515f1960f88460031b161c191690558880610874565b9192602060018192868c015181550194019201610839565b90508601518961076a565b601f19821690835f52805f20915f5b81811061090757509183916002969594600194106108ef575b5050811b019055610780565b8701515f1960f88460031b161c1916905588806108e3565b9192602060018192868b0151815501940192016108ca565b600354680100000000000000008110156101e157600181018060035581101561097d5760035f527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b0180546001600160a01b03191684179055610700565b634e487b7160e01b5f52603260045260245ffd5b6040516336ea633b60e11b81526020600482015260116024820152700dacadac4cae440d6caf240d8cadccee8d607b1b6044820152606490fd5b5060808351116106dc565b83631c64a8d360e31b5f5260045260245ffd5b6040516336ea633b60e11b815260206004820152600660248201526536b2b6b132b960d11b6044820152606490fd5b34610278575f366003190112610278576020600154604051908152f35b34610278576020366003190112610278576001600160a01b03610a56610f65565b165f5260026020526001600160401b0360405f20610ac2815491610ab4610a8b6002610a8460018501611094565b9301611094565b91604051958560ff8897161515875260081c166020860152608060408601526080850190610fa8565b908382036060850152610fa8565b0390f35b34610278576020366003190112610278576001600160a01b03610ae7610f65565b165f525f602052602060ff60405f2054166040519015158152f35b34610278576040366003190112610278576004356001600160401b03811161027857610b32903690600401610f7b565b6024356001600160401b03811161027857610b51903690600401610f7b565b929091335f52600260205260ff60405f205416156102655780158015610e01575b610dd25783158015610dc8575b610d9757335f52600260205260405f209360018501946001600160401b0383116101e157610bb783610bb18854610fcc565b88611004565b5f95601f8411600114610d3157610be98480600295969798995f91610d2657508160011b915f199060031b1c19161790565b90555b016001600160401b0382116101e157610c0f82610c098354610fcc565b83611004565b5f601f8311600114610c9c5791610c8c91610c6282807f01b1f17ccf52806feccbadedd4201371e88b6265ea9de9366e17b7d0827326f49897965f91610c9157508160011b915f199060031b1c19161790565b90555b610c7c604051948594604086526040860191611053565b9083820360208501523396611053565b0390a2005b90508901358a61076a565b601f19831690825f5260205f20915f5b818110610d0e575091610c8c9391857f01b1f17ccf52806feccbadedd4201371e88b6265ea9de9366e17b7d0827326f49897969410610cf5575b5050600182811b019055610c65565b8801355f19600385901b60f8161c191690558780610ce6565b9192602060018192868c013581550194019201610cac565b90508801358a61076a565b601f198416815f5260205f20905f5b818110610d7f575097856002959697989910610d66575b5050600185811b019055610bec565b8701355f19600388901b60f8161c191690558780610d57565b878a013583556020998a019960019093019201610d40565b6040516336ea633b60e11b815260206004820152600860248201526770726f78794b657960c01b6044820152606490fd5b5060808411610b7f565b6040516336ea633b60e11b81526020600482015260066024820152651c19595c925960d21b6044820152606490fd5b5060808111610b72565b3461027857602036600319011261027857610e24610f65565b335f525f60205260ff60405f205416156104bb576001600160a01b03165f8181526020819052604090205460ff1615610eb9576001805414610eaa57805f525f60205260405f2060ff1981541690556001548015610467575f190160015533907fdb9d5d31320daf5bc7181d565b6da4d12e30f0f4d5aa324a992426c14a1d19ce5f80a3005b636f87232f60e11b5f5260045ffd5b637364f5cd60e11b5f5260045260245ffd5b3461027857602036600319011261027857610ee4610f65565b335f525f60205260ff60405f205416156104bb576001600160a01b03165f8181526002602052604090205460ff1615610f5357805f52600260205260405f2060ff19815416905533907faa91016c21c52c58ac64f23f71bbe75becc9ada603e18ee671d09ff15492d1c15f80a3005b631ebfbd3560e11b5f5260045260245ffd5b600435906001600160a01b038216820361027857565b9181601f84011215610278578235916001600160401b038311610278576020838186019501011161027857565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b90600182811c92168015610ffa575b6020831014610fe657565b634e487b7160e01b5f52602260045260245ffd5b91607f1691610fdb565b601f821161101157505050565b5f5260205f20906020601f840160051c83019310611049575b601f0160051c01905b81811061103e575050565b5f8155600101611033565b909150819061102a565b908060209392818452848401375f828201840152601f01601f1916010190565b90601f801991011681019081106001600160401b038211176101e157604052565b9060405191825f8254926110a784610fcc565b808452936001811690811561111257506001146110ce575b506110cc92500383611073565b565b90505f9291925260205f20905f915b8183106110f65750509060206110cc928201015f6110bf565b60209193508060019154838589010152019101909184926110dd565b9050602092506110cc94915060ff191682840152151560051b8201015f6110bf565b9291926001600160401b0382116101e1576040519161115d601f8201601f191660200184611073565b829481845281830111610278578281602093845f96013701015256",
}

// Consortium is an auto generated Go binding around an Ethereum contract.
type Consortium struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Consortium) GetABI() abi.ABI {
	return c.abi
}

// NewConsortium creates a new instance of Consortium.
func NewConsortium() *Consortium {
	parsed, err := ConsortiumMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Consortium{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Consortium) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(bytes peerId, bytes proxyKey) returns()
func (consortium *Consortium) PackConstructor(peerId []byte, proxyKey []byte) []byte {
	enc, err := consortium.abi.Pack("", peerId, proxyKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAddAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70480275.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addAdmin(address admin) returns()
func (consortium *Consortium) PackAddAdmin(admin common.Address) []byte {
	enc, err := consortium.abi.Pack("addAdmin", admin)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70480275.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addAdmin(address admin) returns()
func (consortium *Consortium) TryPackAddAdmin(admin common.Address) ([]byte, error) {
	return consortium.abi.Pack("addAdmin", admin)
}

// PackAddMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3de795b0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addMember(address member, bytes peerId, bytes proxyKey) returns()
func (consortium *Consortium) PackAddMember(member common.Address, peerId []byte, proxyKey []byte) []byte {
	enc, err := consortium.abi.Pack("addMember", member, peerId, proxyKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3de795b0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addMember(address member, bytes peerId, bytes proxyKey) returns()
func (consortium *Consortium) TryPackAddMember(member common.Address, peerId []byte, proxyKey []byte) ([]byte, error) {
	return consortium.abi.Pack("addMember", member, peerId, proxyKey)
}

// PackAdminCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7832b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function adminCount() view returns(uint256)
func (consortium *Consortium) PackAdminCount() []byte {
	enc, err := consortium.abi.Pack("adminCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAdminCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7832b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function adminCount() view returns(uint256)
func (consortium *Consortium) TryPackAdminCount() ([]byte, error) {
	return consortium.abi.Pack("adminCount")
}

// UnpackAdminCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7832b3.
//
// Solidity: function adminCount() view returns(uint256)
func (consortium *Consortium) UnpackAdminCount(data []byte) (*big.Int, error) {
	out, err := consortium.abi.Unpack("adminCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetDevice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6a7f745e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getDevice(bytes32 idHash) view returns(bytes32 pubKey, address owner, uint64 enrolledAt, bool revoked, uint64 revokedAt)
func (consortium *Consortium) PackGetDevice(idHash [32]byte) []byte {
	enc, err := consortium.abi.Pack("getDevice", idHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetDevice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6a7f745e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getDevice(bytes32 idHash) view returns(bytes32 pubKey, address owner, uint64 enrolledAt, bool revoked, uint64 revokedAt)
func (consortium *Consortium) TryPackGetDevice(idHash [32]byte) ([]byte, error) {
	return consortium.abi.Pack("getDevice", idHash)
}

// GetDeviceOutput serves as a container for the return parameters of contract
// method GetDevice.
type GetDeviceOutput struct {
	PubKey     [32]byte
	Owner      common.Address
	EnrolledAt uint64
	Revoked    bool
	RevokedAt  uint64
}

// UnpackGetDevice is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6a7f745e.
//
// Solidity: function getDevice(bytes32 idHash) view returns(bytes32 pubKey, address owner, uint64 enrolledAt, bool revoked, uint64 revokedAt)
func (consortium *Consortium) UnpackGetDevice(data []byte) (GetDeviceOutput, error) {
	out, err := consortium.abi.Unpack("getDevice", data)
	outstruct := new(GetDeviceOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.PubKey = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.Owner = *abi.ConvertType(out[1], new(common.Address)).(*common.Address)
	outstruct.EnrolledAt = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	outstruct.Revoked = *abi.ConvertType(out[3], new(bool)).(*bool)
	outstruct.RevokedAt = *abi.ConvertType(out[4], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackGetMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ada2596.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getMember(address who) view returns(bool active, uint64 since, bytes peerId, bytes proxyKey)
func (consortium *Consortium) PackGetMember(who common.Address) []byte {
	enc, err := consortium.abi.Pack("getMember", who)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ada2596.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getMember(address who) view returns(bool active, uint64 since, bytes peerId, bytes proxyKey)
func (consortium *Consortium) TryPackGetMember(who common.Address) ([]byte, error) {
	return consortium.abi.Pack("getMember", who)
}

// GetMemberOutput serves as a container for the return parameters of contract
// method GetMember.
type GetMemberOutput struct {
	Active   bool
	Since    uint64
	PeerId   []byte
	ProxyKey []byte
}

// UnpackGetMember is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2ada2596.
//
// Solidity: function getMember(address who) view returns(bool active, uint64 since, bytes peerId, bytes proxyKey)
func (consortium *Consortium) UnpackGetMember(data []byte) (GetMemberOutput, error) {
	out, err := consortium.abi.Unpack("getMember", data)
	outstruct := new(GetMemberOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Active = *abi.ConvertType(out[0], new(bool)).(*bool)
	outstruct.Since = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.PeerId = *abi.ConvertType(out[2], new([]byte)).(*[]byte)
	outstruct.ProxyKey = *abi.ConvertType(out[3], new([]byte)).(*[]byte)
	return *outstruct, nil
}

// PackIsAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x24d7806c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isAdmin(address ) view returns(bool)
func (consortium *Consortium) PackIsAdmin(arg0 common.Address) []byte {
	enc, err := consortium.abi.Pack("isAdmin", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x24d7806c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isAdmin(address ) view returns(bool)
func (consortium *Consortium) TryPackIsAdmin(arg0 common.Address) ([]byte, error) {
	return consortium.abi.Pack("isAdmin", arg0)
}

// UnpackIsAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x24d7806c.
//
// Solidity: function isAdmin(address ) view returns(bool)
func (consortium *Consortium) UnpackIsAdmin(data []byte) (bool, error) {
	out, err := consortium.abi.Unpack("isAdmin", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa230c524.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isMember(address who) view returns(bool)
func (consortium *Consortium) PackIsMember(who common.Address) []byte {
	enc, err := consortium.abi.Pack("isMember", who)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa230c524.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isMember(address who) view returns(bool)
func (consortium *Consortium) TryPackIsMember(who common.Address) ([]byte, error) {
	return consortium.abi.Pack("isMember", who)
}

// UnpackIsMember is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa230c524.
//
// Solidity: function isMember(address who) view returns(bool)
func (consortium *Consortium) UnpackIsMember(data []byte) (bool, error) {
	out, err := consortium.abi.Unpack("isMember", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMemberAccounts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3fa65003.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function memberAccounts() view returns(address[])
func (consortium *Consortium) PackMemberAccounts() []byte {
	enc, err := consortium.abi.Pack("memberAccounts")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMemberAccounts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3fa65003.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function memberAccounts() view returns(address[])
func (consortium *Consortium) TryPackMemberAccounts() ([]byte, error) {
	return consortium.abi.Pack("memberAccounts")
}

// UnpackMemberAccounts is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3fa65003.
//
// Solidity: function memberAccounts() view returns(address[])
func (consortium *Consortium) UnpackMemberAccounts(data []byte) ([]common.Address, error) {
	out, err := consortium.abi.Unpack("memberAccounts", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackRegisterDevice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf8ada5b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerDevice(bytes32 idHash, bytes32 pubKey) returns()
func (consortium *Consortium) PackRegisterDevice(idHash [32]byte, pubKey [32]byte) []byte {
	enc, err := consortium.abi.Pack("registerDevice", idHash, pubKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterDevice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf8ada5b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerDevice(bytes32 idHash, bytes32 pubKey) returns()
func (consortium *Consortium) TryPackRegisterDevice(idHash [32]byte, pubKey [32]byte) ([]byte, error) {
	return consortium.abi.Pack("registerDevice", idHash, pubKey)
}

// PackRemoveAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1785f53c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeAdmin(address admin) returns()
func (consortium *Consortium) PackRemoveAdmin(admin common.Address) []byte {
	enc, err := consortium.abi.Pack("removeAdmin", admin)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1785f53c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeAdmin(address admin) returns()
func (consortium *Consortium) TryPackRemoveAdmin(admin common.Address) ([]byte, error) {
	return consortium.abi.Pack("removeAdmin", admin)
}

// PackRemoveMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0b1ca49a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeMember(address member) returns()
func (consortium *Consortium) PackRemoveMember(member common.Address) []byte {
	enc, err := consortium.abi.Pack("removeMember", member)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0b1ca49a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeMember(address member) returns()
func (consortium *Consortium) TryPackRemoveMember(member common.Address) ([]byte, error) {
	return consortium.abi.Pack("removeMember", member)
}

// PackRevokeDevice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6df0964.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeDevice(bytes32 idHash) returns()
func (consortium *Consortium) PackRevokeDevice(idHash [32]byte) []byte {
	enc, err := consortium.abi.Pack("revokeDevice", idHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeDevice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6df0964.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeDevice(bytes32 idHash) returns()
func (consortium *Consortium) TryPackRevokeDevice(idHash [32]byte) ([]byte, error) {
	return consortium.abi.Pack("revokeDevice", idHash)
}

// PackUpdateSelf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23ab7705.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateSelf(bytes peerId, bytes proxyKey) returns()
func (consortium *Consortium) PackUpdateSelf(peerId []byte, proxyKey []byte) []byte {
	enc, err := consortium.abi.Pack("updateSelf", peerId, proxyKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateSelf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23ab7705.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateSelf(bytes peerId, bytes proxyKey) returns()
func (consortium *Consortium) TryPackUpdateSelf(peerId []byte, proxyKey []byte) ([]byte, error) {
	return consortium.abi.Pack("updateSelf", peerId, proxyKey)
}

// ConsortiumAdminAdded represents a AdminAdded event raised by the Consortium contract.
type ConsortiumAdminAdded struct {
	Admin common.Address
	By    common.Address
	Raw   *types.Log // Blockchain specific contextual infos
}

const ConsortiumAdminAddedEventName = "AdminAdded"

// ContractEventName returns the user-defined event name.
func (ConsortiumAdminAdded) ContractEventName() string {
	return ConsortiumAdminAddedEventName
}

// UnpackAdminAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AdminAdded(address indexed admin, address indexed by)
func (consortium *Consortium) UnpackAdminAddedEvent(log *types.Log) (*ConsortiumAdminAdded, error) {
	event := "AdminAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumAdminAdded)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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

// ConsortiumAdminRemoved represents a AdminRemoved event raised by the Consortium contract.
type ConsortiumAdminRemoved struct {
	Admin common.Address
	By    common.Address
	Raw   *types.Log // Blockchain specific contextual infos
}

const ConsortiumAdminRemovedEventName = "AdminRemoved"

// ContractEventName returns the user-defined event name.
func (ConsortiumAdminRemoved) ContractEventName() string {
	return ConsortiumAdminRemovedEventName
}

// UnpackAdminRemovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AdminRemoved(address indexed admin, address indexed by)
func (consortium *Consortium) UnpackAdminRemovedEvent(log *types.Log) (*ConsortiumAdminRemoved, error) {
	event := "AdminRemoved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumAdminRemoved)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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

// ConsortiumDeviceRegistered represents a DeviceRegistered event raised by the Consortium contract.
type ConsortiumDeviceRegistered struct {
	IdHash [32]byte
	PubKey [32]byte
	Owner  common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const ConsortiumDeviceRegisteredEventName = "DeviceRegistered"

// ContractEventName returns the user-defined event name.
func (ConsortiumDeviceRegistered) ContractEventName() string {
	return ConsortiumDeviceRegisteredEventName
}

// UnpackDeviceRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DeviceRegistered(bytes32 indexed idHash, bytes32 pubKey, address indexed owner)
func (consortium *Consortium) UnpackDeviceRegisteredEvent(log *types.Log) (*ConsortiumDeviceRegistered, error) {
	event := "DeviceRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumDeviceRegistered)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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

// ConsortiumDeviceRevoked represents a DeviceRevoked event raised by the Consortium contract.
type ConsortiumDeviceRevoked struct {
	IdHash [32]byte
	By     common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const ConsortiumDeviceRevokedEventName = "DeviceRevoked"

// ContractEventName returns the user-defined event name.
func (ConsortiumDeviceRevoked) ContractEventName() string {
	return ConsortiumDeviceRevokedEventName
}

// UnpackDeviceRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DeviceRevoked(bytes32 indexed idHash, address indexed by)
func (consortium *Consortium) UnpackDeviceRevokedEvent(log *types.Log) (*ConsortiumDeviceRevoked, error) {
	event := "DeviceRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumDeviceRevoked)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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

// ConsortiumMemberAdded represents a MemberAdded event raised by the Consortium contract.
type ConsortiumMemberAdded struct {
	Member   common.Address
	PeerId   []byte
	ProxyKey []byte
	By       common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const ConsortiumMemberAddedEventName = "MemberAdded"

// ContractEventName returns the user-defined event name.
func (ConsortiumMemberAdded) ContractEventName() string {
	return ConsortiumMemberAddedEventName
}

// UnpackMemberAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MemberAdded(address indexed member, bytes peerId, bytes proxyKey, address indexed by)
func (consortium *Consortium) UnpackMemberAddedEvent(log *types.Log) (*ConsortiumMemberAdded, error) {
	event := "MemberAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumMemberAdded)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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

// ConsortiumMemberRemoved represents a MemberRemoved event raised by the Consortium contract.
type ConsortiumMemberRemoved struct {
	Member common.Address
	By     common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const ConsortiumMemberRemovedEventName = "MemberRemoved"

// ContractEventName returns the user-defined event name.
func (ConsortiumMemberRemoved) ContractEventName() string {
	return ConsortiumMemberRemovedEventName
}

// UnpackMemberRemovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MemberRemoved(address indexed member, address indexed by)
func (consortium *Consortium) UnpackMemberRemovedEvent(log *types.Log) (*ConsortiumMemberRemoved, error) {
	event := "MemberRemoved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumMemberRemoved)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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

// ConsortiumMemberUpdated represents a MemberUpdated event raised by the Consortium contract.
type ConsortiumMemberUpdated struct {
	Member   common.Address
	PeerId   []byte
	ProxyKey []byte
	Raw      *types.Log // Blockchain specific contextual infos
}

const ConsortiumMemberUpdatedEventName = "MemberUpdated"

// ContractEventName returns the user-defined event name.
func (ConsortiumMemberUpdated) ContractEventName() string {
	return ConsortiumMemberUpdatedEventName
}

// UnpackMemberUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MemberUpdated(address indexed member, bytes peerId, bytes proxyKey)
func (consortium *Consortium) UnpackMemberUpdatedEvent(log *types.Log) (*ConsortiumMemberUpdated, error) {
	event := "MemberUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != consortium.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ConsortiumMemberUpdated)
	if len(log.Data) > 0 {
		if err := consortium.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range consortium.abi.Events[event].Inputs {
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
func (consortium *Consortium) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], consortium.abi.Errors["AdminExists"].ID.Bytes()[:4]) {
		return consortium.UnpackAdminExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["BadInput"].ID.Bytes()[:4]) {
		return consortium.UnpackBadInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["DeviceAlreadyRevoked"].ID.Bytes()[:4]) {
		return consortium.UnpackDeviceAlreadyRevokedError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["DeviceExists"].ID.Bytes()[:4]) {
		return consortium.UnpackDeviceExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["LastAdmin"].ID.Bytes()[:4]) {
		return consortium.UnpackLastAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["MemberExists"].ID.Bytes()[:4]) {
		return consortium.UnpackMemberExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["NotAdmin"].ID.Bytes()[:4]) {
		return consortium.UnpackNotAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["NotDeviceOwner"].ID.Bytes()[:4]) {
		return consortium.UnpackNotDeviceOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["NotMember"].ID.Bytes()[:4]) {
		return consortium.UnpackNotMemberError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["UnknownAdmin"].ID.Bytes()[:4]) {
		return consortium.UnpackUnknownAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["UnknownDevice"].ID.Bytes()[:4]) {
		return consortium.UnpackUnknownDeviceError(raw[4:])
	}
	if bytes.Equal(raw[:4], consortium.abi.Errors["UnknownMember"].ID.Bytes()[:4]) {
		return consortium.UnpackUnknownMemberError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ConsortiumAdminExists represents a AdminExists error raised by the Consortium contract.
type ConsortiumAdminExists struct {
	Admin common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AdminExists(address admin)
func ConsortiumAdminExistsErrorID() common.Hash {
	return common.HexToHash("0xc716cdfdbb1b55ef8f982738e78b94fa5b31181134c0fbf97a95675065e9fef6")
}

// UnpackAdminExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AdminExists(address admin)
func (consortium *Consortium) UnpackAdminExistsError(raw []byte) (*ConsortiumAdminExists, error) {
	out := new(ConsortiumAdminExists)
	if err := consortium.abi.UnpackIntoInterface(out, "AdminExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumBadInput represents a BadInput error raised by the Consortium contract.
type ConsortiumBadInput struct {
	What string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInput(string what)
func ConsortiumBadInputErrorID() common.Hash {
	return common.HexToHash("0x6dd4c676a33afead2f92e642a2cf14223ca9bbba6d494479540bca6c29c3b320")
}

// UnpackBadInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInput(string what)
func (consortium *Consortium) UnpackBadInputError(raw []byte) (*ConsortiumBadInput, error) {
	out := new(ConsortiumBadInput)
	if err := consortium.abi.UnpackIntoInterface(out, "BadInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumDeviceAlreadyRevoked represents a DeviceAlreadyRevoked error raised by the Consortium contract.
type ConsortiumDeviceAlreadyRevoked struct {
	IdHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeviceAlreadyRevoked(bytes32 idHash)
func ConsortiumDeviceAlreadyRevokedErrorID() common.Hash {
	return common.HexToHash("0xd2552124f6bb4172f9fd48320b89c852c455cc10c52a139dcd4618036808e1a2")
}

// UnpackDeviceAlreadyRevokedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeviceAlreadyRevoked(bytes32 idHash)
func (consortium *Consortium) UnpackDeviceAlreadyRevokedError(raw []byte) (*ConsortiumDeviceAlreadyRevoked, error) {
	out := new(ConsortiumDeviceAlreadyRevoked)
	if err := consortium.abi.UnpackIntoInterface(out, "DeviceAlreadyRevoked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumDeviceExists represents a DeviceExists error raised by the Consortium contract.
type ConsortiumDeviceExists struct {
	IdHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeviceExists(bytes32 idHash)
func ConsortiumDeviceExistsErrorID() common.Hash {
	return common.HexToHash("0xee8240ab24601a2fc4291957c603baa53a14d55f10b51a0ba2f4072e259d0c4e")
}

// UnpackDeviceExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeviceExists(bytes32 idHash)
func (consortium *Consortium) UnpackDeviceExistsError(raw []byte) (*ConsortiumDeviceExists, error) {
	out := new(ConsortiumDeviceExists)
	if err := consortium.abi.UnpackIntoInterface(out, "DeviceExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumLastAdmin represents a LastAdmin error raised by the Consortium contract.
type ConsortiumLastAdmin struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error LastAdmin()
func ConsortiumLastAdminErrorID() common.Hash {
	return common.HexToHash("0xdf0e465e288ffb045f87c05fcab833c6dabdf666e7b7f4f790350a2d045f9bc1")
}

// UnpackLastAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error LastAdmin()
func (consortium *Consortium) UnpackLastAdminError(raw []byte) (*ConsortiumLastAdmin, error) {
	out := new(ConsortiumLastAdmin)
	if err := consortium.abi.UnpackIntoInterface(out, "LastAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumMemberExists represents a MemberExists error raised by the Consortium contract.
type ConsortiumMemberExists struct {
	Member common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MemberExists(address member)
func ConsortiumMemberExistsErrorID() common.Hash {
	return common.HexToHash("0xe32546988a3d9befaaf84263498bc5d71e645919506964c4d10886e6922deef2")
}

// UnpackMemberExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MemberExists(address member)
func (consortium *Consortium) UnpackMemberExistsError(raw []byte) (*ConsortiumMemberExists, error) {
	out := new(ConsortiumMemberExists)
	if err := consortium.abi.UnpackIntoInterface(out, "MemberExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumNotAdmin represents a NotAdmin error raised by the Consortium contract.
type ConsortiumNotAdmin struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAdmin(address sender)
func ConsortiumNotAdminErrorID() common.Hash {
	return common.HexToHash("0x17a8424239494df835a470bd5e48f10a94b5febfef662a1917fe31decebbedeb")
}

// UnpackNotAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAdmin(address sender)
func (consortium *Consortium) UnpackNotAdminError(raw []byte) (*ConsortiumNotAdmin, error) {
	out := new(ConsortiumNotAdmin)
	if err := consortium.abi.UnpackIntoInterface(out, "NotAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumNotDeviceOwner represents a NotDeviceOwner error raised by the Consortium contract.
type ConsortiumNotDeviceOwner struct {
	IdHash [32]byte
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotDeviceOwner(bytes32 idHash, address sender)
func ConsortiumNotDeviceOwnerErrorID() common.Hash {
	return common.HexToHash("0x5a4d19876aa57dc0c1dd242a7559d36b80ae08316ea452ea2c6abf6e1daf3cbb")
}

// UnpackNotDeviceOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotDeviceOwner(bytes32 idHash, address sender)
func (consortium *Consortium) UnpackNotDeviceOwnerError(raw []byte) (*ConsortiumNotDeviceOwner, error) {
	out := new(ConsortiumNotDeviceOwner)
	if err := consortium.abi.UnpackIntoInterface(out, "NotDeviceOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumNotMember represents a NotMember error raised by the Consortium contract.
type ConsortiumNotMember struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMember(address sender)
func ConsortiumNotMemberErrorID() common.Hash {
	return common.HexToHash("0x16d6142c051fd31eaf080eccdc319a6d11b659baa2266c1e4d7e444bd19c4a32")
}

// UnpackNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMember(address sender)
func (consortium *Consortium) UnpackNotMemberError(raw []byte) (*ConsortiumNotMember, error) {
	out := new(ConsortiumNotMember)
	if err := consortium.abi.UnpackIntoInterface(out, "NotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumUnknownAdmin represents a UnknownAdmin error raised by the Consortium contract.
type ConsortiumUnknownAdmin struct {
	Admin common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownAdmin(address admin)
func ConsortiumUnknownAdminErrorID() common.Hash {
	return common.HexToHash("0xe6c9eb9ad97418540d0b21f3b452fb4a1358ffe6417e16d66ad26917274e5f7b")
}

// UnpackUnknownAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownAdmin(address admin)
func (consortium *Consortium) UnpackUnknownAdminError(raw []byte) (*ConsortiumUnknownAdmin, error) {
	out := new(ConsortiumUnknownAdmin)
	if err := consortium.abi.UnpackIntoInterface(out, "UnknownAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumUnknownDevice represents a UnknownDevice error raised by the Consortium contract.
type ConsortiumUnknownDevice struct {
	IdHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownDevice(bytes32 idHash)
func ConsortiumUnknownDeviceErrorID() common.Hash {
	return common.HexToHash("0xe2f351b2ec1bb723faa4544ed2cbba5fbca7bab4219e8757fa8f679a05e0be7a")
}

// UnpackUnknownDeviceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownDevice(bytes32 idHash)
func (consortium *Consortium) UnpackUnknownDeviceError(raw []byte) (*ConsortiumUnknownDevice, error) {
	out := new(ConsortiumUnknownDevice)
	if err := consortium.abi.UnpackIntoInterface(out, "UnknownDevice", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ConsortiumUnknownMember represents a UnknownMember error raised by the Consortium contract.
type ConsortiumUnknownMember struct {
	Member common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownMember(address member)
func ConsortiumUnknownMemberErrorID() common.Hash {
	return common.HexToHash("0x3d7f7a6acd5d8090bfcc72a7cf704f124ec2643aaea8c47e8eae97108a24f31d")
}

// UnpackUnknownMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownMember(address member)
func (consortium *Consortium) UnpackUnknownMemberError(raw []byte) (*ConsortiumUnknownMember, error) {
	out := new(ConsortiumUnknownMember)
	if err := consortium.abi.UnpackIntoInterface(out, "UnknownMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}
