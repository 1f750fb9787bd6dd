// Command vaultnode is the vaultnode storage peer, its CLI and a narrated
// demo. Each command is one file (cmd_*.go): its flags, a call to the
// node's service (internal/service: the repo, or a running daemon through
// internal/client) and the printing of the result. docs/PRODUCT.md §4 is the
// command contract, docs/CONFIG.md the repo, docs/openapi.yaml the API.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vaultnode/vaultnode/internal/fault"
)

// exitCode is the process exit status for err (docs/PRODUCT.md §4).
func exitCode(err error) int {
	if err == nil {
		return fault.ExitOK
	}
	// Cobra's own argument and flag errors.
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "required flag", "flag needs an argument", "invalid argument"} {
		if strings.HasPrefix(err.Error(), p) {
			return fault.ExitUsage
		}
	}
	return fault.Exit(err)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	root := newRoot()
	err := root.ExecuteContext(ctx)
	stop()
	if err != nil && fault.Classify(err) == fault.Pending {
		// Accepted: journaled, sent when the chain answers.
		fmt.Fprintf(os.Stdout, "pending: %v\n", err)
		os.Exit(fault.ExitOK)
	}
	if err != nil {
		code := exitCode(err)
		fmt.Fprintf(os.Stderr, "vaultnode: %v\n", err)
		if code == fault.ExitUsage {
			fmt.Fprintf(os.Stderr, "Run 'vaultnode --help' for usage.\n")
		}
		os.Exit(code)
	}
}
