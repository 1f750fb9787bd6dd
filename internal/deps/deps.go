//go:build vaultnode_deps

// Package deps pins the modules the project builds on, so that `go mod tidy`
// keeps them while packages are being written. It is never compiled.
package deps

import (
	_ "filippo.io/edwards25519"
	_ "github.com/cloudflare/circl/group"
	_ "github.com/cloudflare/circl/hpke"
	_ "github.com/cloudflare/circl/zk/dleq"
	_ "github.com/dgraph-io/badger/v4"
	_ "github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	_ "github.com/ethereum/go-ethereum/eth"
	_ "github.com/ethereum/go-ethereum/eth/catalyst"
	_ "github.com/ethereum/go-ethereum/ethclient"
	_ "github.com/ethereum/go-ethereum/node"
	_ "github.com/ipfs/boxo/bitswap"
	_ "github.com/ipfs/boxo/blockstore"
	_ "github.com/ipfs/boxo/ipld/merkledag"
	_ "github.com/ipfs/go-cid"
	_ "github.com/ipfs/go-datastore"
	_ "github.com/ipld/go-car/v2"
	_ "github.com/libp2p/go-libp2p"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/crypto/argon2"
)
