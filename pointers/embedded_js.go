//go:build js

package pointers

import (
	"context"
	"errors"

	"github.com/ethereum/go-ethereum/ethclient"
)

// A browser (the console's WebAssembly build, which reads the chain's
// records through a daemon) runs no chain: go-ethereum's node and its
// databases do not build for js. A client there needs an RPC endpoint.

// EmbeddedChain is absent in a browser build.
type EmbeddedChain struct{}

var errNoEmbedded = errors.New("pointers: no embedded chain in a browser build; use an RPC endpoint")

// OpenEmbedded refuses: there is no embedded chain in a browser build.
func OpenEmbedded(EmbeddedConfig) (*EmbeddedChain, error) { return nil, errNoEmbedded }

// Client is never called: OpenEmbedded gives no chain.
func (*EmbeddedChain) Client() *ethclient.Client { return nil }

// Close has nothing to close.
func (*EmbeddedChain) Close() error { return nil }

// WaitDurable is never called: OpenEmbedded gives no chain.
func (*EmbeddedChain) WaitDurable(context.Context, uint64) error { return errNoEmbedded }
