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

// LifecycleMetaData contains all meta data concerning the Lifecycle contract.
var LifecycleMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIConsortiumRoles\",\"name\":\"c\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"from\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"to\",\"type\":\"uint8\"}],\"name\":\"BadStatus\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"lastStep\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"step\",\"type\":\"uint8\"}],\"name\":\"CustodyOutOfOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"step\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"CustodyWrongParty\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"ManufacturerExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"}],\"name\":\"ModelExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotManufacturer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotMember\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotModelOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"releaseId\",\"type\":\"bytes32\"}],\"name\":\"ReleaseExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"}],\"name\":\"UnitExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"UnknownManufacturer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"}],\"name\":\"UnknownModel\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"releaseId\",\"type\":\"bytes32\"}],\"name\":\"UnknownRelease\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"}],\"name\":\"UnknownUnit\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"step\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"prev\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"CustodyRecorded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"signingKey\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"ManufacturerAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"ManufacturerRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"manufacturer\",\"type\":\"address\"}],\"name\":\"ModelRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"releaseId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"imageHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"ReleasePublished\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"releaseId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"status\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"ReleaseStatusChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"deviceKeyHash\",\"type\":\"bytes32\"}],\"name\":\"UnitRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"fromImage\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"toImage\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"deviceSignature\",\"type\":\"bytes\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"UpdateAttested\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"signingKey\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"addManufacturer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"fromImage\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"toImage\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"deviceSignature\",\"type\":\"bytes\"}],\"name\":\"attestUpdate\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consortium\",\"outputs\":[{\"internalType\":\"contractIConsortiumRoles\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"getManufacturer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"signingKey\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"releaseId\",\"type\":\"bytes32\"}],\"name\":\"getRelease\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"imageHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"since\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"}],\"name\":\"getUnit\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"deviceKeyHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"custodyHead\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"lastStep\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"name\":\"modelOwner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"imageHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"publishRelease\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"step\",\"type\":\"uint8\"}],\"name\":\"recordCustody\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"}],\"name\":\"registerModel\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"gtin\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"serialHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"deviceKeyHash\",\"type\":\"bytes32\"}],\"name\":\"registerUnit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"removeManufacturer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"releaseId\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"setReleaseStatus\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Lifecycle",
	Bin: "0x60a03461008d57601f6115f538819003918201601f19168301916001600160401b038311848410176100915780849260209460405283398101031261008d57516001600160a01b038116810361008d5760805260405161154f90816100a68239608051818181610100015281816107920152818161082e0152818161090c01528181610b4c0152610c840152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c908163191bcef614611334575080631c8bc8b81461122a57806323fa6b0c146111c95780632ef8552114610fd757806333f175ac14610c2a57806335bd1cd214610bea5780633bca4e0e146109ec5780636a75323f146108d85780637f698e921461085d5780639ad1876514610819578063dbaeba7214610590578063eafdc766146102805763ebcda5bc146100ab575f80fd5b3461027c57608036600319011261027c576044356004356064356001600160401b03811161027c576100e1903690600401611466565b60405163288c314960e21b8152336004820152909391906020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610271575f91610242575b501561022f57825f5260026020526001600160401b0360405f2054161561021c5781156101ec57604084036101b4577f6757f0caa730775c5776c40839fdac977ea47038d0221ce89ab43f642a594567916101af60405192839260243584526020840152606060408401523396606084019161152f565b0390a3005b6040516336ea633b60e11b815260206004820152600f60248201526e6465766963655369676e617475726560881b6044820152606490fd5b6040516336ea633b60e11b8152602060048201526007602482015266746f496d61676560c81b6044820152606490fd5b8263015bc39f60e01b5f5260045260245ffd5b6305b5850b60e21b5f523360045260245ffd5b610264915060203d60201161026a575b61025c81836114f6565b810190611517565b5f610138565b503d610252565b6040513d5f823e3d90fd5b5f80fd5b3461027c57608036600319011261027c57610299611450565b6024356001600160401b03811161027c576102b8903690600401611466565b9060443590606435906001600160401b03821161027c576102e56001600160401b03923690600401611466565b9290951693845f52600160205260018060a01b0360405f205416801561057d573314801590610567575b6105505780158015610546575b6105165783156104e457604083036104b257604051602081019086825260408082015261035f8161035160608201868861152f565b03601f1981018352826114f6565b519020958694855f5260036020526001600160401b0360405f20541661049f577f30953c628a66c8ca948984f3f2856c4d45b7bf67316503a47aea44e8c73c1c779461045c926104326040516103b4816114db565b8a81526001600160401b038a60ff80600260208601958a8752604081019660018852606082019587421687525f526003602052868060405f20935116168719835416178255516001820155019451161660ff19845416178355511668ffffffffffffffff0082549160081b169068ffffffffffffffff001916179055565b61044960405196879660608852606088019161152f565b926020860152848303604086015261152f565b0390a37f608f9f10f388db88319d3613b29010903d3b5b8dd887825b297065241d23088a608060405160018152606060208201525f6060820152336040820152a2005b856330e35a8b60e21b5f5260045260245ffd5b6040516336ea633b60e11b81526020600482015260096024820152687369676e617475726560b81b6044820152606490fd5b6040516336ea633b60e11b81526020600482015260096024820152680d2dac2ceca90c2e6d60bb1b6044820152606490fd5b6040516336ea633b60e11b81526020600482015260076024820152663b32b939b4b7b760c91b6044820152606490fd5b506040811161031c565b84631adfdaed60e21b5f526004523360245260445ffd5b50335f525f60205260ff60405f2054161561030f565b856377b9a44560e11b5f5260045260245ffd5b3461027c57606036600319011261027c576004356105ac611493565b6044356001600160401b03811161027c576105cb903690600401611466565b9091835f52600360205260405f206001600160401b03815416801561080657805f52600160205260018060a01b0360405f20541680331490816107f0575b501580610776575b61076057506002019060ff825416600381148015610754575b801561071f575b610705575060ff169060038214806106f2575b6106c357805468ffffffffffffffff0019831668ffffffffffffffffff19909116174260081b68ffffffffffffffff00161790557f608f9f10f388db88319d3613b29010903d3b5b8dd887825b297065241d23088a926106b8905b604051938493845260606020850152606084019161152f565b3360408301520390a2005b6040516336ea633b60e11b81526020600482015260066024820152653932b0b9b7b760d11b6044820152606490fd5b5082158061064457506101008311610644565b60ff9250634f139e2960e11b5f526004521660245260445ffd5b5060ff821660028114159081610748575b8161073c575b50610631565b60019150141587610736565b60038114159150610730565b508060ff83161461062a565b631adfdaed60e21b5f526004523360245260445ffd5b50604051630935e01b60e21b81523360048201526020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610271575f916107d1575b5015610611565b6107ea915060203d60201161026a5761025c81836114f6565b876107ca565b90505f525f60205260ff60405f20541687610609565b856314b4482360e31b5f5260045260245ffd5b3461027c575f36600319011261027c576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b3461027c57602036600319011261027c57600435805f52600360205260405f20906001600160401b038254169081156108c657506001600160401b038260026001608095015491015490604051938452602084015260ff8116604084015260081c166060820152f35b6314b4482360e31b5f5260045260245ffd5b3461027c57602036600319011261027c576108f161143a565b604051630935e01b60e21b81523360048201526020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610271575f916109cd575b50156109ba576001600160a01b03165f8181526020819052604090205460ff16156109a857805f525f60205260405f2060ff1981541690557f36a8451ca90e688e78589051874f15e402911464eed3865ba18fae729a4266986020604051338152a2005b635e7fa55160e11b5f5260045260245ffd5b630bd4212160e11b5f523360045260245ffd5b6109e6915060203d60201161026a5761025c81836114f6565b82610944565b3461027c57604036600319011261027c57600435610a08611493565b90805f52600260205260405f206001600160401b0381541690811561021c57600381019160ff835416600181019560ff8711610bd65760ff80911696168614801590610bcc575b610bb1575060038511610b30575f52600160205260018060a01b0360405f20541680331490811591610b19575b50610afe576002905b0190815490604051602081019083825285604082015286606082015233608082015260808152610ab660a0826114f6565b5190208093558460ff19825416179055604051938452602084015260408301527f562e46a2572ed328c4f3e8db50a85d88f288c4c365a4f2a3a05b676edb1f541a60603393a3005b50506369a2584960e11b5f526004526024523360445260645ffd5b90505f525f60205260ff60405f2054161585610a7c565b5060405163288c314960e21b81523360048201526020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610271575f91610b92575b5015610afe57600290610a85565b610bab915060203d60201161026a5761025c81836114f6565b85610b84565b85908563b782362b60e01b5f5260045260245260445260645ffd5b5060068611610a4f565b634e487b7160e01b5f52601160045260245ffd5b3461027c57602036600319011261027c576001600160401b03610c0b611450565b165f526001602052602060018060a01b0360405f205416604051908152f35b3461027c57606036600319011261027c57610c4361143a565b6024356044356001600160401b03811161027c57610c65903690600401611466565b604051630935e01b60e21b8152336004820152919390916020816024817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa908115610271575f91610fb8575b50156109ba576001600160a01b0316918215610f88578015610f555781158015610f4b575b610f1f57825f525f60205260ff60405f205416610f0c5760405193606085018581106001600160401b03821117610ef85760405260018552602085018281526001600160401b038411610ef85760405195610d46601f8601601f1916602001886114f6565b848752368584011161027c57600291858460208a01375f6020878a01015260408201978852865f525f60205260405f209151151560ff801984541691161782555160018201550194519485516001600160401b038111610ef857610daa82546114a3565b601f8111610eb3575b506020601f8211600114610e2a5790806106b89493927fc56e880399ea3de598ecaa36be680072a7fabcb9ff5c902702296b23eeea43ab98995f92610e1f575b50508160011b915f199060031b1c1916179055604051938493845260606020850152606084019161152f565b015190508980610df3565b601f19821697835f52815f20985f5b818110610e9b57509860019284926106b89796957fc56e880399ea3de598ecaa36be680072a7fabcb9ff5c902702296b23eeea43ab9b9c10610e83575b505050811b01905561069f565b01515f1960f88460031b161c19169055898080610e76565b838301518b556001909a019960209384019301610e39565b825f5260205f20601f830160051c81019160208410610eee575b601f0160051c01905b818110610ee35750610db3565b5f8155600101610ed6565b9091508190610ecd565b634e487b7160e01b5f52604160045260245ffd5b826349e6c54360e01b5f5260045260245ffd5b60646040516336ea633b60e11b81526020600482015260046024820152636e616d6560e01b6044820152fd5b5060808211610ce1565b6040516336ea633b60e11b815260206004820152600a6024820152697369676e696e674b657960b01b6044820152606490fd5b6040516336ea633b60e11b81526020600482015260076024820152661858d8dbdd5b9d60ca1b6044820152606490fd5b610fd1915060203d60201161026a5761025c81836114f6565b85610cbc565b3461027c57606036600319011261027c57610ff0611450565b6001600160401b03165f8181526001602052604090205460443590602435906001600160a01b031680156111b65733148015906111a0575b6111895780156111565781156111205760405160208101918483526040820152604081526110576060826114f6565b51902090815f5260026020526001600160401b0360405f20541661110d5760207fe676d46f1333f63691603fb44c6e6f911f139690ab311b082bfd5fff487b7a74916040516110a5816114db565b85815260ff600381858401858152604085015f815260608601915f83528a5f52600289526001600160401b038060405f20985116166001600160401b031988541617875551600187015551600286015551169201911660ff19825416179055604051908152a3005b5063a6c6a9c360e01b5f5260045260245ffd5b6040516336ea633b60e11b815260206004820152600d60248201526c0c8caecd2c6ca96caf290c2e6d609b1b6044820152606490fd5b6040516336ea633b60e11b815260206004820152600a6024820152690e6cae4d2c2d890c2e6d60b31b6044820152606490fd5b82631adfdaed60e21b5f526004523360245260445ffd5b50335f525f60205260ff60405f20541615611028565b836377b9a44560e11b5f5260045260245ffd5b3461027c57602036600319011261027c57600435805f52600260205260405f206001600160401b0381541690811561021c576080925060018101549060ff600360028301549201541691604051938452602084015260408301526060820152f35b3461027c57602036600319011261027c57611243611450565b335f525f60205260ff60405f20541615611321576001600160401b031680158015611311575b6112e5575f818152600160205260409020546001600160a01b03166112d357805f52600160205260405f20336bffffffffffffffffffffffff60a01b82541617905533907f89150749f484472f073f9c67058d8fa9a7125f87828a76c3ea92e54e9c4774ec5f80a3005b639154e8b560e01b5f5260045260245ffd5b60646040516336ea633b60e11b815260206004820152600460248201526333ba34b760e11b6044820152fd5b50655af3107a4000811015611269565b6324759e7960e11b5f523360045260245ffd5b3461027c57602036600319011261027c576001600160a01b0361135561143a565b165f525f60205260405f2060ff8154166002600183015492015f9381549161137c836114a3565b9081835260208301936001811690815f1461141d57506001146113e3575b50506113ab816080959603826114f6565b604051948593151584526020840152606060408401525180918160608501528484015e5f828201840152601f01601f19168101030190f35b9095505f5260205f205f905b8682106114075750810160200194506113ab8161139a565b60018160209254838587010152019101906113ef565b60ff191685525050151560051b810160200194506113ab8161139a565b600435906001600160a01b038216820361027c57565b600435906001600160401b038216820361027c57565b9181601f8401121561027c578235916001600160401b03831161027c576020838186019501011161027c57565b6024359060ff8216820361027c57565b90600182811c921680156114d1575b60208310146114bd57565b634e487b7160e01b5f52602260045260245ffd5b91607f16916114b2565b608081019081106001600160401b03821117610ef857604052565b90601f801991011681019081106001600160401b03821117610ef857604052565b9081602091031261027c5751801515810361027c5790565b908060209392818452848401375f828201840152601f01601f191601019056",
}

// Lifecycle is an auto generated Go binding around an Ethereum contract.
type Lifecycle struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Lifecycle) GetABI() abi.ABI {
	return c.abi
}

// NewLifecycle creates a new instance of Lifecycle.
func NewLifecycle() *Lifecycle {
	parsed, err := LifecycleMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Lifecycle{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Lifecycle) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address c) returns()
func (lifecycle *Lifecycle) PackConstructor(c common.Address) []byte {
	enc, err := lifecycle.abi.Pack("", c)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAddManufacturer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x33f175ac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addManufacturer(address account, bytes32 signingKey, string name) returns()
func (lifecycle *Lifecycle) PackAddManufacturer(account common.Address, signingKey [32]byte, name string) []byte {
	enc, err := lifecycle.abi.Pack("addManufacturer", account, signingKey, name)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddManufacturer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x33f175ac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addManufacturer(address account, bytes32 signingKey, string name) returns()
func (lifecycle *Lifecycle) TryPackAddManufacturer(account common.Address, signingKey [32]byte, name string) ([]byte, error) {
	return lifecycle.abi.Pack("addManufacturer", account, signingKey, name)
}

// PackAttestUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xebcda5bc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestUpdate(bytes32 unitId, bytes32 fromImage, bytes32 toImage, bytes deviceSignature) returns()
func (lifecycle *Lifecycle) PackAttestUpdate(unitId [32]byte, fromImage [32]byte, toImage [32]byte, deviceSignature []byte) []byte {
	enc, err := lifecycle.abi.Pack("attestUpdate", unitId, fromImage, toImage, deviceSignature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xebcda5bc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestUpdate(bytes32 unitId, bytes32 fromImage, bytes32 toImage, bytes deviceSignature) returns()
func (lifecycle *Lifecycle) TryPackAttestUpdate(unitId [32]byte, fromImage [32]byte, toImage [32]byte, deviceSignature []byte) ([]byte, error) {
	return lifecycle.abi.Pack("attestUpdate", unitId, fromImage, toImage, deviceSignature)
}

// PackConsortium is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9ad18765.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function consortium() view returns(address)
func (lifecycle *Lifecycle) PackConsortium() []byte {
	enc, err := lifecycle.abi.Pack("consortium")
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
func (lifecycle *Lifecycle) TryPackConsortium() ([]byte, error) {
	return lifecycle.abi.Pack("consortium")
}

// UnpackConsortium is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9ad18765.
//
// Solidity: function consortium() view returns(address)
func (lifecycle *Lifecycle) UnpackConsortium(data []byte) (common.Address, error) {
	out, err := lifecycle.abi.Unpack("consortium", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetManufacturer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x191bcef6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getManufacturer(address account) view returns(bool active, bytes32 signingKey, string name)
func (lifecycle *Lifecycle) PackGetManufacturer(account common.Address) []byte {
	enc, err := lifecycle.abi.Pack("getManufacturer", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetManufacturer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x191bcef6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getManufacturer(address account) view returns(bool active, bytes32 signingKey, string name)
func (lifecycle *Lifecycle) TryPackGetManufacturer(account common.Address) ([]byte, error) {
	return lifecycle.abi.Pack("getManufacturer", account)
}

// GetManufacturerOutput serves as a container for the return parameters of contract
// method GetManufacturer.
type GetManufacturerOutput struct {
	Active     bool
	SigningKey [32]byte
	Name       string
}

// UnpackGetManufacturer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x191bcef6.
//
// Solidity: function getManufacturer(address account) view returns(bool active, bytes32 signingKey, string name)
func (lifecycle *Lifecycle) UnpackGetManufacturer(data []byte) (GetManufacturerOutput, error) {
	out, err := lifecycle.abi.Unpack("getManufacturer", data)
	outstruct := new(GetManufacturerOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Active = *abi.ConvertType(out[0], new(bool)).(*bool)
	outstruct.SigningKey = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	outstruct.Name = *abi.ConvertType(out[2], new(string)).(*string)
	return *outstruct, nil
}

// PackGetRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7f698e92.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRelease(bytes32 releaseId) view returns(uint64 gtin, bytes32 imageHash, uint8 status, uint64 since)
func (lifecycle *Lifecycle) PackGetRelease(releaseId [32]byte) []byte {
	enc, err := lifecycle.abi.Pack("getRelease", releaseId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7f698e92.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRelease(bytes32 releaseId) view returns(uint64 gtin, bytes32 imageHash, uint8 status, uint64 since)
func (lifecycle *Lifecycle) TryPackGetRelease(releaseId [32]byte) ([]byte, error) {
	return lifecycle.abi.Pack("getRelease", releaseId)
}

// GetReleaseOutput serves as a container for the return parameters of contract
// method GetRelease.
type GetReleaseOutput struct {
	Gtin      uint64
	ImageHash [32]byte
	Status    uint8
	Since     uint64
}

// UnpackGetRelease is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7f698e92.
//
// Solidity: function getRelease(bytes32 releaseId) view returns(uint64 gtin, bytes32 imageHash, uint8 status, uint64 since)
func (lifecycle *Lifecycle) UnpackGetRelease(data []byte) (GetReleaseOutput, error) {
	out, err := lifecycle.abi.Unpack("getRelease", data)
	outstruct := new(GetReleaseOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Gtin = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.ImageHash = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	outstruct.Status = *abi.ConvertType(out[2], new(uint8)).(*uint8)
	outstruct.Since = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackGetUnit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23fa6b0c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getUnit(bytes32 unitId) view returns(uint64 gtin, bytes32 deviceKeyHash, bytes32 custodyHead, uint8 lastStep)
func (lifecycle *Lifecycle) PackGetUnit(unitId [32]byte) []byte {
	enc, err := lifecycle.abi.Pack("getUnit", unitId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetUnit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23fa6b0c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getUnit(bytes32 unitId) view returns(uint64 gtin, bytes32 deviceKeyHash, bytes32 custodyHead, uint8 lastStep)
func (lifecycle *Lifecycle) TryPackGetUnit(unitId [32]byte) ([]byte, error) {
	return lifecycle.abi.Pack("getUnit", unitId)
}

// GetUnitOutput serves as a container for the return parameters of contract
// method GetUnit.
type GetUnitOutput struct {
	Gtin          uint64
	DeviceKeyHash [32]byte
	CustodyHead   [32]byte
	LastStep      uint8
}

// UnpackGetUnit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23fa6b0c.
//
// Solidity: function getUnit(bytes32 unitId) view returns(uint64 gtin, bytes32 deviceKeyHash, bytes32 custodyHead, uint8 lastStep)
func (lifecycle *Lifecycle) UnpackGetUnit(data []byte) (GetUnitOutput, error) {
	out, err := lifecycle.abi.Unpack("getUnit", data)
	outstruct := new(GetUnitOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Gtin = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.DeviceKeyHash = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	outstruct.CustodyHead = *abi.ConvertType(out[2], new([32]byte)).(*[32]byte)
	outstruct.LastStep = *abi.ConvertType(out[3], new(uint8)).(*uint8)
	return *outstruct, nil
}

// PackModelOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x35bd1cd2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function modelOwner(uint64 ) view returns(address)
func (lifecycle *Lifecycle) PackModelOwner(arg0 uint64) []byte {
	enc, err := lifecycle.abi.Pack("modelOwner", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackModelOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x35bd1cd2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function modelOwner(uint64 ) view returns(address)
func (lifecycle *Lifecycle) TryPackModelOwner(arg0 uint64) ([]byte, error) {
	return lifecycle.abi.Pack("modelOwner", arg0)
}

// UnpackModelOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x35bd1cd2.
//
// Solidity: function modelOwner(uint64 ) view returns(address)
func (lifecycle *Lifecycle) UnpackModelOwner(data []byte) (common.Address, error) {
	out, err := lifecycle.abi.Unpack("modelOwner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPublishRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeafdc766.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function publishRelease(uint64 gtin, string version, bytes32 imageHash, bytes signature) returns()
func (lifecycle *Lifecycle) PackPublishRelease(gtin uint64, version string, imageHash [32]byte, signature []byte) []byte {
	enc, err := lifecycle.abi.Pack("publishRelease", gtin, version, imageHash, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPublishRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeafdc766.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function publishRelease(uint64 gtin, string version, bytes32 imageHash, bytes signature) returns()
func (lifecycle *Lifecycle) TryPackPublishRelease(gtin uint64, version string, imageHash [32]byte, signature []byte) ([]byte, error) {
	return lifecycle.abi.Pack("publishRelease", gtin, version, imageHash, signature)
}

// PackRecordCustody is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3bca4e0e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordCustody(bytes32 unitId, uint8 step) returns()
func (lifecycle *Lifecycle) PackRecordCustody(unitId [32]byte, step uint8) []byte {
	enc, err := lifecycle.abi.Pack("recordCustody", unitId, step)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordCustody is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3bca4e0e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordCustody(bytes32 unitId, uint8 step) returns()
func (lifecycle *Lifecycle) TryPackRecordCustody(unitId [32]byte, step uint8) ([]byte, error) {
	return lifecycle.abi.Pack("recordCustody", unitId, step)
}

// PackRegisterModel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c8bc8b8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerModel(uint64 gtin) returns()
func (lifecycle *Lifecycle) PackRegisterModel(gtin uint64) []byte {
	enc, err := lifecycle.abi.Pack("registerModel", gtin)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterModel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c8bc8b8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerModel(uint64 gtin) returns()
func (lifecycle *Lifecycle) TryPackRegisterModel(gtin uint64) ([]byte, error) {
	return lifecycle.abi.Pack("registerModel", gtin)
}

// PackRegisterUnit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ef85521.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerUnit(uint64 gtin, bytes32 serialHash, bytes32 deviceKeyHash) returns()
func (lifecycle *Lifecycle) PackRegisterUnit(gtin uint64, serialHash [32]byte, deviceKeyHash [32]byte) []byte {
	enc, err := lifecycle.abi.Pack("registerUnit", gtin, serialHash, deviceKeyHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterUnit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ef85521.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerUnit(uint64 gtin, bytes32 serialHash, bytes32 deviceKeyHash) returns()
func (lifecycle *Lifecycle) TryPackRegisterUnit(gtin uint64, serialHash [32]byte, deviceKeyHash [32]byte) ([]byte, error) {
	return lifecycle.abi.Pack("registerUnit", gtin, serialHash, deviceKeyHash)
}

// PackRemoveManufacturer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6a75323f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeManufacturer(address account) returns()
func (lifecycle *Lifecycle) PackRemoveManufacturer(account common.Address) []byte {
	enc, err := lifecycle.abi.Pack("removeManufacturer", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveManufacturer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6a75323f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeManufacturer(address account) returns()
func (lifecycle *Lifecycle) TryPackRemoveManufacturer(account common.Address) ([]byte, error) {
	return lifecycle.abi.Pack("removeManufacturer", account)
}

// PackSetReleaseStatus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdbaeba72.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setReleaseStatus(bytes32 releaseId, uint8 status, string reason) returns()
func (lifecycle *Lifecycle) PackSetReleaseStatus(releaseId [32]byte, status uint8, reason string) []byte {
	enc, err := lifecycle.abi.Pack("setReleaseStatus", releaseId, status, reason)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetReleaseStatus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdbaeba72.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setReleaseStatus(bytes32 releaseId, uint8 status, string reason) returns()
func (lifecycle *Lifecycle) TryPackSetReleaseStatus(releaseId [32]byte, status uint8, reason string) ([]byte, error) {
	return lifecycle.abi.Pack("setReleaseStatus", releaseId, status, reason)
}

// LifecycleCustodyRecorded represents a CustodyRecorded event raised by the Lifecycle contract.
type LifecycleCustodyRecorded struct {
	UnitId [32]byte
	Step   uint8
	Prev   [32]byte
	Head   [32]byte
	By     common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const LifecycleCustodyRecordedEventName = "CustodyRecorded"

// ContractEventName returns the user-defined event name.
func (LifecycleCustodyRecorded) ContractEventName() string {
	return LifecycleCustodyRecordedEventName
}

// UnpackCustodyRecordedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CustodyRecorded(bytes32 indexed unitId, uint8 step, bytes32 prev, bytes32 head, address indexed by)
func (lifecycle *Lifecycle) UnpackCustodyRecordedEvent(log *types.Log) (*LifecycleCustodyRecorded, error) {
	event := "CustodyRecorded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleCustodyRecorded)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleManufacturerAdded represents a ManufacturerAdded event raised by the Lifecycle contract.
type LifecycleManufacturerAdded struct {
	Account    common.Address
	SigningKey [32]byte
	Name       string
	By         common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const LifecycleManufacturerAddedEventName = "ManufacturerAdded"

// ContractEventName returns the user-defined event name.
func (LifecycleManufacturerAdded) ContractEventName() string {
	return LifecycleManufacturerAddedEventName
}

// UnpackManufacturerAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ManufacturerAdded(address indexed account, bytes32 signingKey, string name, address by)
func (lifecycle *Lifecycle) UnpackManufacturerAddedEvent(log *types.Log) (*LifecycleManufacturerAdded, error) {
	event := "ManufacturerAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleManufacturerAdded)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleManufacturerRemoved represents a ManufacturerRemoved event raised by the Lifecycle contract.
type LifecycleManufacturerRemoved struct {
	Account common.Address
	By      common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const LifecycleManufacturerRemovedEventName = "ManufacturerRemoved"

// ContractEventName returns the user-defined event name.
func (LifecycleManufacturerRemoved) ContractEventName() string {
	return LifecycleManufacturerRemovedEventName
}

// UnpackManufacturerRemovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ManufacturerRemoved(address indexed account, address by)
func (lifecycle *Lifecycle) UnpackManufacturerRemovedEvent(log *types.Log) (*LifecycleManufacturerRemoved, error) {
	event := "ManufacturerRemoved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleManufacturerRemoved)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleModelRegistered represents a ModelRegistered event raised by the Lifecycle contract.
type LifecycleModelRegistered struct {
	Gtin         uint64
	Manufacturer common.Address
	Raw          *types.Log // Blockchain specific contextual infos
}

const LifecycleModelRegisteredEventName = "ModelRegistered"

// ContractEventName returns the user-defined event name.
func (LifecycleModelRegistered) ContractEventName() string {
	return LifecycleModelRegisteredEventName
}

// UnpackModelRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ModelRegistered(uint64 indexed gtin, address indexed manufacturer)
func (lifecycle *Lifecycle) UnpackModelRegisteredEvent(log *types.Log) (*LifecycleModelRegistered, error) {
	event := "ModelRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleModelRegistered)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleReleasePublished represents a ReleasePublished event raised by the Lifecycle contract.
type LifecycleReleasePublished struct {
	ReleaseId [32]byte
	Gtin      uint64
	Version   string
	ImageHash [32]byte
	Signature []byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const LifecycleReleasePublishedEventName = "ReleasePublished"

// ContractEventName returns the user-defined event name.
func (LifecycleReleasePublished) ContractEventName() string {
	return LifecycleReleasePublishedEventName
}

// UnpackReleasePublishedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ReleasePublished(bytes32 indexed releaseId, uint64 indexed gtin, string version, bytes32 imageHash, bytes signature)
func (lifecycle *Lifecycle) UnpackReleasePublishedEvent(log *types.Log) (*LifecycleReleasePublished, error) {
	event := "ReleasePublished"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleReleasePublished)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleReleaseStatusChanged represents a ReleaseStatusChanged event raised by the Lifecycle contract.
type LifecycleReleaseStatusChanged struct {
	ReleaseId [32]byte
	Status    uint8
	Reason    string
	By        common.Address
	Raw       *types.Log // Blockchain specific contextual infos
}

const LifecycleReleaseStatusChangedEventName = "ReleaseStatusChanged"

// ContractEventName returns the user-defined event name.
func (LifecycleReleaseStatusChanged) ContractEventName() string {
	return LifecycleReleaseStatusChangedEventName
}

// UnpackReleaseStatusChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ReleaseStatusChanged(bytes32 indexed releaseId, uint8 status, string reason, address by)
func (lifecycle *Lifecycle) UnpackReleaseStatusChangedEvent(log *types.Log) (*LifecycleReleaseStatusChanged, error) {
	event := "ReleaseStatusChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleReleaseStatusChanged)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleUnitRegistered represents a UnitRegistered event raised by the Lifecycle contract.
type LifecycleUnitRegistered struct {
	UnitId        [32]byte
	Gtin          uint64
	DeviceKeyHash [32]byte
	Raw           *types.Log // Blockchain specific contextual infos
}

const LifecycleUnitRegisteredEventName = "UnitRegistered"

// ContractEventName returns the user-defined event name.
func (LifecycleUnitRegistered) ContractEventName() string {
	return LifecycleUnitRegisteredEventName
}

// UnpackUnitRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnitRegistered(bytes32 indexed unitId, uint64 indexed gtin, bytes32 deviceKeyHash)
func (lifecycle *Lifecycle) UnpackUnitRegisteredEvent(log *types.Log) (*LifecycleUnitRegistered, error) {
	event := "UnitRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleUnitRegistered)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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

// LifecycleUpdateAttested represents a UpdateAttested event raised by the Lifecycle contract.
type LifecycleUpdateAttested struct {
	UnitId          [32]byte
	FromImage       [32]byte
	ToImage         [32]byte
	DeviceSignature []byte
	By              common.Address
	Raw             *types.Log // Blockchain specific contextual infos
}

const LifecycleUpdateAttestedEventName = "UpdateAttested"

// ContractEventName returns the user-defined event name.
func (LifecycleUpdateAttested) ContractEventName() string {
	return LifecycleUpdateAttestedEventName
}

// UnpackUpdateAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UpdateAttested(bytes32 indexed unitId, bytes32 fromImage, bytes32 toImage, bytes deviceSignature, address indexed by)
func (lifecycle *Lifecycle) UnpackUpdateAttestedEvent(log *types.Log) (*LifecycleUpdateAttested, error) {
	event := "UpdateAttested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != lifecycle.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(LifecycleUpdateAttested)
	if len(log.Data) > 0 {
		if err := lifecycle.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range lifecycle.abi.Events[event].Inputs {
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
func (lifecycle *Lifecycle) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["BadInput"].ID.Bytes()[:4]) {
		return lifecycle.UnpackBadInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["BadStatus"].ID.Bytes()[:4]) {
		return lifecycle.UnpackBadStatusError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["CustodyOutOfOrder"].ID.Bytes()[:4]) {
		return lifecycle.UnpackCustodyOutOfOrderError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["CustodyWrongParty"].ID.Bytes()[:4]) {
		return lifecycle.UnpackCustodyWrongPartyError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["ManufacturerExists"].ID.Bytes()[:4]) {
		return lifecycle.UnpackManufacturerExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["ModelExists"].ID.Bytes()[:4]) {
		return lifecycle.UnpackModelExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["NotAdmin"].ID.Bytes()[:4]) {
		return lifecycle.UnpackNotAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["NotManufacturer"].ID.Bytes()[:4]) {
		return lifecycle.UnpackNotManufacturerError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["NotMember"].ID.Bytes()[:4]) {
		return lifecycle.UnpackNotMemberError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["NotModelOwner"].ID.Bytes()[:4]) {
		return lifecycle.UnpackNotModelOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["ReleaseExists"].ID.Bytes()[:4]) {
		return lifecycle.UnpackReleaseExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["UnitExists"].ID.Bytes()[:4]) {
		return lifecycle.UnpackUnitExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["UnknownManufacturer"].ID.Bytes()[:4]) {
		return lifecycle.UnpackUnknownManufacturerError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["UnknownModel"].ID.Bytes()[:4]) {
		return lifecycle.UnpackUnknownModelError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["UnknownRelease"].ID.Bytes()[:4]) {
		return lifecycle.UnpackUnknownReleaseError(raw[4:])
	}
	if bytes.Equal(raw[:4], lifecycle.abi.Errors["UnknownUnit"].ID.Bytes()[:4]) {
		return lifecycle.UnpackUnknownUnitError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// LifecycleBadInput represents a BadInput error raised by the Lifecycle contract.
type LifecycleBadInput struct {
	What string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInput(string what)
func LifecycleBadInputErrorID() common.Hash {
	return common.HexToHash("0x6dd4c676a33afead2f92e642a2cf14223ca9bbba6d494479540bca6c29c3b320")
}

// UnpackBadInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInput(string what)
func (lifecycle *Lifecycle) UnpackBadInputError(raw []byte) (*LifecycleBadInput, error) {
	out := new(LifecycleBadInput)
	if err := lifecycle.abi.UnpackIntoInterface(out, "BadInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleBadStatus represents a BadStatus error raised by the Lifecycle contract.
type LifecycleBadStatus struct {
	From uint8
	To   uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadStatus(uint8 from, uint8 to)
func LifecycleBadStatusErrorID() common.Hash {
	return common.HexToHash("0x9e273c52372457c828d81e307d4c157c0a1d9b41af00a61ef48dffd0b46134c7")
}

// UnpackBadStatusError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadStatus(uint8 from, uint8 to)
func (lifecycle *Lifecycle) UnpackBadStatusError(raw []byte) (*LifecycleBadStatus, error) {
	out := new(LifecycleBadStatus)
	if err := lifecycle.abi.UnpackIntoInterface(out, "BadStatus", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleCustodyOutOfOrder represents a CustodyOutOfOrder error raised by the Lifecycle contract.
type LifecycleCustodyOutOfOrder struct {
	UnitId   [32]byte
	LastStep uint8
	Step     uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error CustodyOutOfOrder(bytes32 unitId, uint8 lastStep, uint8 step)
func LifecycleCustodyOutOfOrderErrorID() common.Hash {
	return common.HexToHash("0xb782362b167a1f9e8746783226ac955ba5ced5f2eff8e6af1e30b66d9da05743")
}

// UnpackCustodyOutOfOrderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error CustodyOutOfOrder(bytes32 unitId, uint8 lastStep, uint8 step)
func (lifecycle *Lifecycle) UnpackCustodyOutOfOrderError(raw []byte) (*LifecycleCustodyOutOfOrder, error) {
	out := new(LifecycleCustodyOutOfOrder)
	if err := lifecycle.abi.UnpackIntoInterface(out, "CustodyOutOfOrder", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleCustodyWrongParty represents a CustodyWrongParty error raised by the Lifecycle contract.
type LifecycleCustodyWrongParty struct {
	UnitId [32]byte
	Step   uint8
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error CustodyWrongParty(bytes32 unitId, uint8 step, address sender)
func LifecycleCustodyWrongPartyErrorID() common.Hash {
	return common.HexToHash("0xd344b0923e21bd3ad6d95df80e0e3bf5bdecfb4a1a7e12131118f4a0cf2e778c")
}

// UnpackCustodyWrongPartyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error CustodyWrongParty(bytes32 unitId, uint8 step, address sender)
func (lifecycle *Lifecycle) UnpackCustodyWrongPartyError(raw []byte) (*LifecycleCustodyWrongParty, error) {
	out := new(LifecycleCustodyWrongParty)
	if err := lifecycle.abi.UnpackIntoInterface(out, "CustodyWrongParty", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleManufacturerExists represents a ManufacturerExists error raised by the Lifecycle contract.
type LifecycleManufacturerExists struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ManufacturerExists(address account)
func LifecycleManufacturerExistsErrorID() common.Hash {
	return common.HexToHash("0x49e6c54374dcc501c894b4dd7c6e66b29ac668b2710f5ed1b5e439bb9879f7e4")
}

// UnpackManufacturerExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ManufacturerExists(address account)
func (lifecycle *Lifecycle) UnpackManufacturerExistsError(raw []byte) (*LifecycleManufacturerExists, error) {
	out := new(LifecycleManufacturerExists)
	if err := lifecycle.abi.UnpackIntoInterface(out, "ManufacturerExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleModelExists represents a ModelExists error raised by the Lifecycle contract.
type LifecycleModelExists struct {
	Gtin uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ModelExists(uint64 gtin)
func LifecycleModelExistsErrorID() common.Hash {
	return common.HexToHash("0x9154e8b562e81736e7d6fe5050911d4899f3d2f0bb55648d7007dcc0526670bb")
}

// UnpackModelExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ModelExists(uint64 gtin)
func (lifecycle *Lifecycle) UnpackModelExistsError(raw []byte) (*LifecycleModelExists, error) {
	out := new(LifecycleModelExists)
	if err := lifecycle.abi.UnpackIntoInterface(out, "ModelExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleNotAdmin represents a NotAdmin error raised by the Lifecycle contract.
type LifecycleNotAdmin struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAdmin(address sender)
func LifecycleNotAdminErrorID() common.Hash {
	return common.HexToHash("0x17a8424239494df835a470bd5e48f10a94b5febfef662a1917fe31decebbedeb")
}

// UnpackNotAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAdmin(address sender)
func (lifecycle *Lifecycle) UnpackNotAdminError(raw []byte) (*LifecycleNotAdmin, error) {
	out := new(LifecycleNotAdmin)
	if err := lifecycle.abi.UnpackIntoInterface(out, "NotAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleNotManufacturer represents a NotManufacturer error raised by the Lifecycle contract.
type LifecycleNotManufacturer struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotManufacturer(address sender)
func LifecycleNotManufacturerErrorID() common.Hash {
	return common.HexToHash("0x48eb3cf2506bff28a882535a989d028c808638344a13635bca156c06c79f5147")
}

// UnpackNotManufacturerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotManufacturer(address sender)
func (lifecycle *Lifecycle) UnpackNotManufacturerError(raw []byte) (*LifecycleNotManufacturer, error) {
	out := new(LifecycleNotManufacturer)
	if err := lifecycle.abi.UnpackIntoInterface(out, "NotManufacturer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleNotMember represents a NotMember error raised by the Lifecycle contract.
type LifecycleNotMember struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMember(address sender)
func LifecycleNotMemberErrorID() common.Hash {
	return common.HexToHash("0x16d6142c051fd31eaf080eccdc319a6d11b659baa2266c1e4d7e444bd19c4a32")
}

// UnpackNotMemberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMember(address sender)
func (lifecycle *Lifecycle) UnpackNotMemberError(raw []byte) (*LifecycleNotMember, error) {
	out := new(LifecycleNotMember)
	if err := lifecycle.abi.UnpackIntoInterface(out, "NotMember", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleNotModelOwner represents a NotModelOwner error raised by the Lifecycle contract.
type LifecycleNotModelOwner struct {
	Gtin   uint64
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotModelOwner(uint64 gtin, address sender)
func LifecycleNotModelOwnerErrorID() common.Hash {
	return common.HexToHash("0x6b7f6bb4f51b5a5272aa8fecb546817716abd512165e6c3a70b4e2e7dfd85d91")
}

// UnpackNotModelOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotModelOwner(uint64 gtin, address sender)
func (lifecycle *Lifecycle) UnpackNotModelOwnerError(raw []byte) (*LifecycleNotModelOwner, error) {
	out := new(LifecycleNotModelOwner)
	if err := lifecycle.abi.UnpackIntoInterface(out, "NotModelOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleReleaseExists represents a ReleaseExists error raised by the Lifecycle contract.
type LifecycleReleaseExists struct {
	ReleaseId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReleaseExists(bytes32 releaseId)
func LifecycleReleaseExistsErrorID() common.Hash {
	return common.HexToHash("0xc38d6a2cd7a098a823e6d75858cccc512876ae04c03ae9480550dc991baac7c5")
}

// UnpackReleaseExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReleaseExists(bytes32 releaseId)
func (lifecycle *Lifecycle) UnpackReleaseExistsError(raw []byte) (*LifecycleReleaseExists, error) {
	out := new(LifecycleReleaseExists)
	if err := lifecycle.abi.UnpackIntoInterface(out, "ReleaseExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleUnitExists represents a UnitExists error raised by the Lifecycle contract.
type LifecycleUnitExists struct {
	UnitId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnitExists(bytes32 unitId)
func LifecycleUnitExistsErrorID() common.Hash {
	return common.HexToHash("0xa6c6a9c3212e673aa04d75aa88f00df5708586ea100d9130ae798c5f5a440a71")
}

// UnpackUnitExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnitExists(bytes32 unitId)
func (lifecycle *Lifecycle) UnpackUnitExistsError(raw []byte) (*LifecycleUnitExists, error) {
	out := new(LifecycleUnitExists)
	if err := lifecycle.abi.UnpackIntoInterface(out, "UnitExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleUnknownManufacturer represents a UnknownManufacturer error raised by the Lifecycle contract.
type LifecycleUnknownManufacturer struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownManufacturer(address account)
func LifecycleUnknownManufacturerErrorID() common.Hash {
	return common.HexToHash("0xbcff4aa299e0317d5f1fea420e6596ce3e457c49e6df0d4c32db80b9a6d73ed4")
}

// UnpackUnknownManufacturerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownManufacturer(address account)
func (lifecycle *Lifecycle) UnpackUnknownManufacturerError(raw []byte) (*LifecycleUnknownManufacturer, error) {
	out := new(LifecycleUnknownManufacturer)
	if err := lifecycle.abi.UnpackIntoInterface(out, "UnknownManufacturer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleUnknownModel represents a UnknownModel error raised by the Lifecycle contract.
type LifecycleUnknownModel struct {
	Gtin uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownModel(uint64 gtin)
func LifecycleUnknownModelErrorID() common.Hash {
	return common.HexToHash("0xef73488aade847ebd44352e9346094892b792bb7de7f93dc4056d08a53aa7b9b")
}

// UnpackUnknownModelError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownModel(uint64 gtin)
func (lifecycle *Lifecycle) UnpackUnknownModelError(raw []byte) (*LifecycleUnknownModel, error) {
	out := new(LifecycleUnknownModel)
	if err := lifecycle.abi.UnpackIntoInterface(out, "UnknownModel", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleUnknownRelease represents a UnknownRelease error raised by the Lifecycle contract.
type LifecycleUnknownRelease struct {
	ReleaseId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownRelease(bytes32 releaseId)
func LifecycleUnknownReleaseErrorID() common.Hash {
	return common.HexToHash("0xa5a24118cfdad67ad84de36db716d5db78165520cea1fed56303922948e444b1")
}

// UnpackUnknownReleaseError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownRelease(bytes32 releaseId)
func (lifecycle *Lifecycle) UnpackUnknownReleaseError(raw []byte) (*LifecycleUnknownRelease, error) {
	out := new(LifecycleUnknownRelease)
	if err := lifecycle.abi.UnpackIntoInterface(out, "UnknownRelease", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// LifecycleUnknownUnit represents a UnknownUnit error raised by the Lifecycle contract.
type LifecycleUnknownUnit struct {
	UnitId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownUnit(bytes32 unitId)
func LifecycleUnknownUnitErrorID() common.Hash {
	return common.HexToHash("0x015bc39fc36b0cacdb08ef09030df50a4c41707592ecad13018658e09b38ddc1")
}

// UnpackUnknownUnitError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownUnit(bytes32 unitId)
func (lifecycle *Lifecycle) UnpackUnknownUnitError(raw []byte) (*LifecycleUnknownUnit, error) {
	out := new(LifecycleUnknownUnit)
	if err := lifecycle.abi.UnpackIntoInterface(out, "UnknownUnit", raw); err != nil {
		return nil, err
	}
	return out, nil
}
