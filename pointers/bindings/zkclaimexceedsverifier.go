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

// ZKClaimExceedsVerifierMetaData contains all meta data concerning the ZKClaimExceedsVerifier contract.
var ZKClaimExceedsVerifierMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"name\":\"ProofInvalid\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PublicInputNotInField\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256[8]\",\"name\":\"proof\",\"type\":\"uint256[8]\"}],\"name\":\"compressProof\",\"outputs\":[{\"internalType\":\"uint256[4]\",\"name\":\"compressed\",\"type\":\"uint256[4]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[4]\",\"name\":\"compressedProof\",\"type\":\"uint256[4]\"},{\"internalType\":\"uint256[5]\",\"name\":\"input\",\"type\":\"uint256[5]\"}],\"name\":\"verifyCompressedProof\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[8]\",\"name\":\"proof\",\"type\":\"uint256[8]\"},{\"internalType\":\"uint256[5]\",\"name\":\"input\",\"type\":\"uint256[5]\"}],\"name\":\"verifyProof\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "ZKClaimExceedsVerifier",
	Bin: "0x60808060405234601557611208908161001a8239f35b5f80fdfe60806040526004361015610011575f80fd5b5f3560e01c80632a07d99a1461065d57806344f63692146105c85763a67086041461003a575f80fd5b346105c4576101203660031901126105c457366084116105c45736610124116105c45761030061006981610b55565b81368237610078600435610e64565b610089602493929335604435610ecf565b91939290610098606435610e64565b9390926040519660408801967f1e5aa84612f14f20df0fd9921320c6569fe43977af34b571d48da7cd026439a289528860208101987f1b6e5f3ad37b0816930928ba45ee757b3d716535eb217495637b595a7f00adb38a527f25854a9d02c43ce866eef0a175a9d19a91f51ded71a21a8db9f007036d1cc76281527f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001604060608401927f2fae5e3078ad8ae30fa0d9998f5f46fa5f0576bc5314f57f9dc727d36a8cd48184527f229d2bc937c2b6a7d93a11b5592238c39b48e9477d913547bbd961e1c33db9c86084359583608082019780895286828660608160075afa911016818360808160065afa167f133fc7869b0e2f15e46a693a42c32ce255c52c1ab6b4cb8ac9a941717bd387a985527f056731ff8d5f82cd7516c93416def6c09b01aefbe21821b43c1182b07ed633278852600160a43591828b5288848860608160075afa9310161616818360808160065afa167f1b199b1ad85d8dd6ee55eb713b4aacc2fc9898ba568d2d0712011c52328baf6c85527f1cab2a9c9493abbc216e1ad579c7b2aef90b1995d49597502af86c9025d3d555885260c43590818a5287838760608160075afa92101616818360808160065afa167f0bcd148ce16096a67024cec348d4d6ab5fdc11dbfe3880dd4292a939ddbc9d7485527f285ad8d1d9d45fd3c3d525ed9c787d0b3e6522ac850807182223a01fe6848a1d885260e43590818a5287838760608160075afa921016169160808160065afa16947f2670dbb2462d42c15249595079a8ab7725cfcc5d304fad2e5912cea4226c420b8352526101043580955260608160075afa9210161660408a60808160065afa169851975198156105b55760209a8a528a8a015260408901526060880152608087015260a086015260c085015260e08401527f01dcb8601c5dcbc2d874715c71240494b9568d16e2d518948208b01e1ef5bfb96101008401527f23af54eeb87e06027f53af63cf1b9ca0e32b33fc2c1798981edfc29db6227ad26101208401527f2202e651418881ce19eb370739c6f3277da1f83cda7163f677b80ce25103c3aa6101408401527f090cecb6495e4564f22b30bf59f5bafe4242fd2351b4b829b72031046aae194d6101608401527f303edce314f0a4d0ee8174e9d9a42c6dbc5d079ad6ea9a0d9af80d9ae62bf31b6101808401527f05c3ff033dcf41126d4ba7a38972ddc6028341f6670395c7b651143002b31d806101a08401527f2ea77758ed75aac6d535d461aa47fb9e0cbb97caa6e55bafa64887e5bd35c3f16101c08401527f177eff3d008b609b31d3c9425bb63e625ed9fe8997f77b88d81cc1cc0dbde92c6101e08401527f1c7d09a46f62212a70a8276c85077c1a413649a764fc4474ed39b59da7a1fa316102008401527f143391644e86b22452bffc15004d3c535a43875e2157f3a18d74d1728b8dc1d96102208401526102408301526102608201527f0db3a91b42de90a6710836d1c4615b48009e1ec8c89417e3de7c67a1dabcaa886102808201527f20f72b7d3df7ec0f96ab17bcb9cd821019e3cada6c74d8ab84b3c9cd7f3a573d6102a08201527f242ec77bd0865414cb65586c636cd06508d08c1e4054e89f27f680909a5991ef6102c08201527f0fd928663f19aa4d650a3c66eb65fde06d78de7c7a8bb1bfcd782879c059e9816102e082015261057e82610b55565b9283918336843760085afa159081156105a8575b5061059957005b631ff3747d60e21b5f5260045ffd5b600191505114155f610592565b63a54f8e2760e01b5f5260045ffd5b5f80fd5b346105c4576101003660031901126105c45736610104116105c4576105ed6080610b55565b6080368237610600602435600435610b8f565b815261061660843560a435604435606435610c30565b6020830152604082015261062e60e43560c435610b8f565b6060820152604051905f825b6004821061064757608084f35b602080600192855181520193019101909161063a565b346105c4576101a03660031901126105c45736610104116105c457366101a4116105c45760405160408101907f1e5aa84612f14f20df0fd9921320c6569fe43977af34b571d48da7cd026439a2815260208101917f1b6e5f3ad37b0816930928ba45ee757b3d716535eb217495637b595a7f00adb383527f25854a9d02c43ce866eef0a175a9d19a91f51ded71a21a8db9f007036d1cc7628152606082017f2fae5e3078ad8ae30fa0d9998f5f46fa5f0576bc5314f57f9dc727d36a8cd48181527f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001604061010435937f229d2bc937c2b6a7d93a11b5592238c39b48e9477d913547bbd961e1c33db9c8608087019580875284848460608160075afa911016838860808160065afa167f133fc7869b0e2f15e46a693a42c32ce255c52c1ab6b4cb8ac9a941717bd387a983527f056731ff8d5f82cd7516c93416def6c09b01aefbe21821b43c1182b07ed6332786526001610124359182895286868660608160075afa9310161616838860808160065afa167f1b199b1ad85d8dd6ee55eb713b4aacc2fc9898ba568d2d0712011c52328baf6c83527f1cab2a9c9493abbc216e1ad579c7b2aef90b1995d49597502af86c9025d3d5558652610144359081885285858560608160075afa92101616838860808160065afa167f0bcd148ce16096a67024cec348d4d6ab5fdc11dbfe3880dd4292a939ddbc9d7483527f285ad8d1d9d45fd3c3d525ed9c787d0b3e6522ac850807182223a01fe6848a1d8652610164359081885285858560608160075afa92101616838860808160065afa16947f2670dbb2462d42c15249595079a8ab7725cfcc5d304fad2e5912cea4226c420b8352526101843580955260608160075afa9210161660408260808160065afa169051915190156105b55760405191610100600484377f01dcb8601c5dcbc2d874715c71240494b9568d16e2d518948208b01e1ef5bfb96101008401527f23af54eeb87e06027f53af63cf1b9ca0e32b33fc2c1798981edfc29db6227ad26101208401527f2202e651418881ce19eb370739c6f3277da1f83cda7163f677b80ce25103c3aa6101408401527f090cecb6495e4564f22b30bf59f5bafe4242fd2351b4b829b72031046aae194d6101608401527f303edce314f0a4d0ee8174e9d9a42c6dbc5d079ad6ea9a0d9af80d9ae62bf31b6101808401527f05c3ff033dcf41126d4ba7a38972ddc6028341f6670395c7b651143002b31d806101a08401527f2ea77758ed75aac6d535d461aa47fb9e0cbb97caa6e55bafa64887e5bd35c3f16101c08401527f177eff3d008b609b31d3c9425bb63e625ed9fe8997f77b88d81cc1cc0dbde92c6101e08401527f1c7d09a46f62212a70a8276c85077c1a413649a764fc4474ed39b59da7a1fa316102008401527f143391644e86b22452bffc15004d3c535a43875e2157f3a18d74d1728b8dc1d96102208401526102408301526102608201527f0db3a91b42de90a6710836d1c4615b48009e1ec8c89417e3de7c67a1dabcaa886102808201527f20f72b7d3df7ec0f96ab17bcb9cd821019e3cada6c74d8ab84b3c9cd7f3a573d6102a08201527f242ec77bd0865414cb65586c636cd06508d08c1e4054e89f27f680909a5991ef6102c08201527f0fd928663f19aa4d650a3c66eb65fde06d78de7c7a8bb1bfcd782879c059e9816102e08201526020816103008160085afa9051161561059957005b6040519190601f01601f1916820167ffffffffffffffff811183821017610b7b57604052565b634e487b7160e01b5f52604160045260245ffd5b905f5160206111e85f395f51905f528210801590610c19575b61059957811580610c11575b610c0b57610bd85f5160206111e85f395f51905f5260038185818180090908611008565b818103610be757505060011b90565b5f5160206111e85f395f51905f52809106810306145f1461059957600190811b1790565b50505f90565b508015610bb4565b505f5160206111e85f395f51905f52811015610ba8565b919093925f5160206111e85f395f51905f528310801590610e4d575b8015610e36575b8015610e1f575b610599578082868517171715610e1457908291610d775f5160206111e85f395f51905f5280808080888180808f9d7f30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd448f839290839109099d8e0981848181800909087f2b149d40ceb8aaae81be18991be06ac3b5b4c5e559dbefa33267e6dc24a138e5089a09818c8181800909087f2fcd3ac2a640a154eb23960892a85a68f031ca0c8344b23a577dcf1052b9e7750806810306945f5160206111e85f395f51905f527f183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea481610d5181808b80098187800908611008565b8408095f5160206111e85f395f51905f52610d6b8261117f565b8009141595869161102b565b929080821480610e0b575b15610da95750505050905f14610da15760ff60025b169060021b179190565b60ff5f610d97565b5f5160206111e85f395f51905f52809106810306149182610dec575b5050156105995760019115610de45760ff60025b169060021b17179190565b60ff5f610dd9565b5f5160206111e85f395f51905f52919250819006810306145f80610dc5565b50838314610d82565b50505090505f905f90565b505f5160206111e85f395f51905f52811015610c5a565b505f5160206111e85f395f51905f52821015610c53565b505f5160206111e85f395f51905f52851015610c4c565b8015610ec8578060011c915f5160206111e85f395f51905f5283101561059957600180610ea75f5160206111e85f395f51905f5260038188818180090908611008565b931614610eb057565b905f5160206111e85f395f51905f5280910681030690565b505f905f90565b801580611000575b610ff4578060021c92825f5160206111e85f395f51905f528510801590610fdd575b6105995784815f5160206111e85f395f51905f5280808080808080807f30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd4481610fa79d8d0909998a0981898181800909087f2fcd3ac2a640a154eb23960892a85a68f031ca0c8344b23a577dcf1052b9e7750806810306936002808a16149509818a8181800909087f2b149d40ceb8aaae81be18991be06ac3b5b4c5e559dbefa33267e6dc24a138e50861102b565b80929160018082961614610fb9575050565b5f5160206111e85f395f51905f528093945080929550809106810306930681030690565b505f5160206111e85f395f51905f52811015610ef9565b50505f905f905f905f90565b508115610ed7565b906110128261117f565b915f5160206111e85f395f51905f528380090361059957565b915f5160206111e85f395f51905f527f183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea4816110839396949661107582808a8009818a800908611008565b90611173575b860809611008565b925f5160206111e85f395f51905f52600285096040519060208252602080830152602060408301528060608301527f30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd4560808301525f5160206111e85f395f51905f5260a083015260208260c08160055afa91519115610599575f5160206111e85f395f51905f52826001920903610599575f5160206111e85f395f51905f52908209925f5160206111e85f395f51905f528080808780090681030681878009081490811591611154575b5061059957565b90505f5160206111e85f395f51905f528084860960020914155f61114d565b8180910681030661107b565b9060405191602083526020808401526020604084015260608301527f0c19139cb84c680a6e14116da060561765e05aa45a1c72a34f082305b61f3f5260808301525f5160206111e85f395f51905f5260a083015260208260c08160055afa915191156105995756fe30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47",
}

// ZKClaimExceedsVerifier is an auto generated Go binding around an Ethereum contract.
type ZKClaimExceedsVerifier struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ZKClaimExceedsVerifier) GetABI() abi.ABI {
	return c.abi
}

// NewZKClaimExceedsVerifier creates a new instance of ZKClaimExceedsVerifier.
func NewZKClaimExceedsVerifier() *ZKClaimExceedsVerifier {
	parsed, err := ZKClaimExceedsVerifierMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ZKClaimExceedsVerifier{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ZKClaimExceedsVerifier) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackCompressProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44f63692.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function compressProof(uint256[8] proof) view returns(uint256[4] compressed)
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) PackCompressProof(proof [8]*big.Int) []byte {
	enc, err := zKClaimExceedsVerifier.abi.Pack("compressProof", proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCompressProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44f63692.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function compressProof(uint256[8] proof) view returns(uint256[4] compressed)
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) TryPackCompressProof(proof [8]*big.Int) ([]byte, error) {
	return zKClaimExceedsVerifier.abi.Pack("compressProof", proof)
}

// UnpackCompressProof is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x44f63692.
//
// Solidity: function compressProof(uint256[8] proof) view returns(uint256[4] compressed)
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) UnpackCompressProof(data []byte) ([4]*big.Int, error) {
	out, err := zKClaimExceedsVerifier.abi.Unpack("compressProof", data)
	if err != nil {
		return *new([4]*big.Int), err
	}
	out0 := *abi.ConvertType(out[0], new([4]*big.Int)).(*[4]*big.Int)
	return out0, nil
}

// PackVerifyCompressedProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa6708604.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifyCompressedProof(uint256[4] compressedProof, uint256[5] input) view returns()
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) PackVerifyCompressedProof(compressedProof [4]*big.Int, input [5]*big.Int) []byte {
	enc, err := zKClaimExceedsVerifier.abi.Pack("verifyCompressedProof", compressedProof, input)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifyCompressedProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa6708604.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifyCompressedProof(uint256[4] compressedProof, uint256[5] input) view returns()
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) TryPackVerifyCompressedProof(compressedProof [4]*big.Int, input [5]*big.Int) ([]byte, error) {
	return zKClaimExceedsVerifier.abi.Pack("verifyCompressedProof", compressedProof, input)
}

// PackVerifyProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2a07d99a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifyProof(uint256[8] proof, uint256[5] input) view returns()
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) PackVerifyProof(proof [8]*big.Int, input [5]*big.Int) []byte {
	enc, err := zKClaimExceedsVerifier.abi.Pack("verifyProof", proof, input)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifyProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2a07d99a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifyProof(uint256[8] proof, uint256[5] input) view returns()
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) TryPackVerifyProof(proof [8]*big.Int, input [5]*big.Int) ([]byte, error) {
	return zKClaimExceedsVerifier.abi.Pack("verifyProof", proof, input)
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], zKClaimExceedsVerifier.abi.Errors["ProofInvalid"].ID.Bytes()[:4]) {
		return zKClaimExceedsVerifier.UnpackProofInvalidError(raw[4:])
	}
	if bytes.Equal(raw[:4], zKClaimExceedsVerifier.abi.Errors["PublicInputNotInField"].ID.Bytes()[:4]) {
		return zKClaimExceedsVerifier.UnpackPublicInputNotInFieldError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ZKClaimExceedsVerifierProofInvalid represents a ProofInvalid error raised by the ZKClaimExceedsVerifier contract.
type ZKClaimExceedsVerifierProofInvalid struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProofInvalid()
func ZKClaimExceedsVerifierProofInvalidErrorID() common.Hash {
	return common.HexToHash("0x7fcdd1f433fad06e243ebb12f415f49dc48f357e41b96f61f504279fe6bb2ac6")
}

// UnpackProofInvalidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProofInvalid()
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) UnpackProofInvalidError(raw []byte) (*ZKClaimExceedsVerifierProofInvalid, error) {
	out := new(ZKClaimExceedsVerifierProofInvalid)
	if err := zKClaimExceedsVerifier.abi.UnpackIntoInterface(out, "ProofInvalid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ZKClaimExceedsVerifierPublicInputNotInField represents a PublicInputNotInField error raised by the ZKClaimExceedsVerifier contract.
type ZKClaimExceedsVerifierPublicInputNotInField struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PublicInputNotInField()
func ZKClaimExceedsVerifierPublicInputNotInFieldErrorID() common.Hash {
	return common.HexToHash("0xa54f8e27d960b419368d544cd7616e10e384de098966aa60b80904dd31e7ab38")
}

// UnpackPublicInputNotInFieldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PublicInputNotInField()
func (zKClaimExceedsVerifier *ZKClaimExceedsVerifier) UnpackPublicInputNotInFieldError(raw []byte) (*ZKClaimExceedsVerifierPublicInputNotInField, error) {
	out := new(ZKClaimExceedsVerifierPublicInputNotInField)
	if err := zKClaimExceedsVerifier.abi.UnpackIntoInterface(out, "PublicInputNotInField", raw); err != nil {
		return nil, err
	}
	return out, nil
}
