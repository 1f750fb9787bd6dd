package pointers

import (
	"log/slog"

	"github.com/ethereum/go-ethereum/common"
)

// EmbeddedChainID is the chain id of the embedded chain (the `geth --dev` id).
const EmbeddedChainID = 1337

// EmbeddedConfig configures the in-process chain.
type EmbeddedConfig struct {
	// Dir holds the chain data (the repo's chain/ folder). Created when missing.
	Dir string
	// Funded is the account pre-funded in the genesis block (the node's signing account). Only used when
	// the chain is created; a restarted chain keeps its genesis.
	Funded common.Address
	// RPCAddr, when not empty, serves JSON-RPC (eth, net, web3) over HTTP on this address, which must be
	// a loopback address such as "127.0.0.1:8545" ("127.0.0.1:0" picks a free port; see RPCURL).
	RPCAddr string
	// Logger receives the chain's own log lines (default slog.Default()).
	Logger *slog.Logger
}
