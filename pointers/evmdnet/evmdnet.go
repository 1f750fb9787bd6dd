// Package evmdnet runs a local BFT EVM network for tests and trials: N Cosmos
// EVM validators (evmd, CometBFT consensus) on 127.0.0.1, through
// scripts/evmd-net.sh (which an operator can run by hand the same way). It
// promises a running network whose every validator answers Ethereum JSON-RPC,
// a genesis-funded key, and fault injection (kill, restart a validator).
// The network's keys are in the insecure `test` keyring: trials only.
package evmdnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Validator is one validator as net.json describes it.
type Validator struct {
	Name string `json:"name"`
	Home string `json:"home"`
	RPC  string `json:"rpc"`
	Log  string `json:"log"`
	Pid  int    `json:"pid"`
}

// Net is a running network (DIR/net.json, written by the script's start).
type Net struct {
	Dir        string      `json:"-"`
	ChainID    uint64      `json:"chainId"`
	Validators []Validator `json:"validators"`
	Funder     struct {
		Address    string `json:"address"`
		PrivateKey string `json:"privateKey"` // hex, no 0x
	} `json:"funder"`

	script string
	env    []string
}

// ErrNoBinary: evmd is not installed (scripts/install-evmd.sh builds it).
var ErrNoBinary = errors.New("evmd not found: run scripts/install-evmd.sh or set VAULTNODE_EVMD")

// Binary is the evmd the repository at root uses: $VAULTNODE_EVMD, else
// root/.tools/bin/evmd; ErrNoBinary when it is missing.
func Binary(root string) (string, error) {
	p := os.Getenv("VAULTNODE_EVMD")
	if p == "" {
		p = filepath.Join(root, ".tools", "bin", "evmd")
	}
	if _, err := os.Stat(p); err != nil {
		return p, fmt.Errorf("%w (looked for %s)", ErrNoBinary, p)
	}
	return p, nil
}

// portsPerValidator is the script's port block per validator (BASE+10*I).
const portsPerValidator = 10

// FreePortBase picks a base port with every port of n validators free now,
// away from the script's default base, so that networks started in parallel
// (and an operator's) do not collide.
func FreePortBase(n int) (int, error) {
	span := portsPerValidator * n
	for try := 0; try < 50; try++ {
		base := 30000 + 100*rand.IntN(300)
		free := true
		for p := base; p < base+span && free; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base, nil
		}
	}
	return 0, fmt.Errorf("evmdnet: no free block of %d ports", span)
}

// Start creates and starts n validators in dir (which must not hold a
// network yet) with the repository's script and the evmd binary bin. The
// caller stops the network with Stop, also when Start fails.
func Start(root, bin, dir string, n int) (*Net, error) {
	base, err := FreePortBase(n)
	if err != nil {
		return nil, err
	}
	nt := &Net{Dir: dir, script: filepath.Join(root, "scripts", "evmd-net.sh"),
		env: []string{"VAULTNODE_EVMD=" + bin, "EVMD_PORT_BASE=" + strconv.Itoa(base)}}
	if out, err := nt.Run("start", dir, strconv.Itoa(n)); err != nil {
		return nt, fmt.Errorf("evmdnet: start: %w\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "net.json"))
	if err != nil {
		return nt, fmt.Errorf("evmdnet: %w", err)
	}
	if err := json.Unmarshal(b, nt); err != nil || len(nt.Validators) != n || nt.ChainID == 0 {
		return nt, fmt.Errorf("evmdnet: net.json: %v: %s", err, b)
	}
	return nt, nil
}

// Run runs the script with this network's environment and returns its
// combined output.
func (n *Net) Run(args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{n.script}, args...)...)
	cmd.Env = append(os.Environ(), n.env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Stop stops every validator (idempotent).
func (n *Net) Stop() error { return n.do("stop") }

// Kill SIGKILLs validator i (a crashed validator).
func (n *Net) Kill(i int) error { return n.do("kill", strconv.Itoa(i)) }

// Restart starts validator i again and waits for its JSON-RPC endpoint.
func (n *Net) Restart(i int) error { return n.do("restart", strconv.Itoa(i)) }

func (n *Net) do(cmd string, args ...string) error {
	if out, err := n.Run(append([]string{cmd, n.Dir}, args...)...); err != nil {
		return fmt.Errorf("evmdnet: %s: %w\n%s", cmd, err, out)
	}
	return nil
}

// RPC is validator i's JSON-RPC URL.
func (n *Net) RPC(i int) string { return n.Validators[i].RPC }

// Endpoints is a --chain-rpc value for the hospital running validator i:
// its own validator first, then the others.
func (n *Net) Endpoints(i int) string {
	eps := make([]string, 0, len(n.Validators))
	for k := range n.Validators {
		eps = append(eps, n.Validators[(i+k)%len(n.Validators)].RPC)
	}
	return strings.Join(eps, ",")
}

// LogTail is the last lines of validator i's log.
func (n *Net) LogTail(i, lines int) string {
	b, _ := os.ReadFile(filepath.Join(n.Dir, fmt.Sprintf("node%d", i), "evmd.log"))
	ls := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(ls[max(0, len(ls)-lines):], "\n")
}
