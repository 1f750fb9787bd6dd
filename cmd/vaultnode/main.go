// Command vaultnode is the vaultnode storage peer, its CLI and a narrated demo.
//
// See SPEC §4 for the command contract, docs/CONFIG.md for the repo and
// docs/API.md for the HTTP API.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vaultnode/vaultnode/internal/node"
)

// Exit codes (SPEC §4).
const (
	exitOK        = 0
	exitFailed    = 1
	exitUsage     = 2
	exitRefused   = 3
	exitIntegrity = 4
)

type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case strings.HasPrefix(err.Error(), "unknown command"), strings.HasPrefix(err.Error(), "unknown flag"),
		strings.HasPrefix(err.Error(), "unknown shorthand flag"), strings.HasPrefix(err.Error(), "required flag"):
		return exitUsage
	case errors.Is(err, node.ErrAccessRefused):
		return exitRefused
	case errors.Is(err, node.ErrIntegrity):
		return exitIntegrity
	default:
		return exitFailed
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	root := newRoot()
	err := root.ExecuteContext(ctx)
	stop()
	if err != nil {
		code := exitCode(err)
		if !errors.Is(err, errSilent) {
			fmt.Fprintf(os.Stderr, "vaultnode: %v\n", err)
		}
		if code == exitUsage {
			fmt.Fprintf(os.Stderr, "Run 'vaultnode --help' for usage.\n")
		}
		os.Exit(code)
	}
}

// errSilent marks an error already reported to the user.
var errSilent = errors.New("failed")
