package zkclaim

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
)

// compileSolidity compiles the given sources with the repository's pinned solc (the npm solcjs that
// scripts/contracts.sh installs into .tools/solc) and its settings, and returns each contract's bytecode.
// It skips the test when that compiler is not installed.
func compileSolidity(t *testing.T, sources map[string]string) map[string][]byte {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	solcDir := filepath.Join(root, ".tools", "solc")
	if _, err := os.Stat(filepath.Join(solcDir, "node_modules", "solc")); err != nil {
		t.Skip("pinned solc not installed (run `make contracts` once to install it into .tools/solc)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found")
	}
	// The settings of scripts/contracts.sh.
	input := map[string]any{
		"language": "Solidity",
		"sources":  map[string]any{},
		"settings": map[string]any{
			"optimizer": map[string]any{"enabled": true, "runs": 200}, "viaIR": true, "evmVersion": "cancun",
			"metadata":        map[string]any{"bytecodeHash": "none", "appendCBOR": false},
			"outputSelection": map[string]any{"*": map[string]any{"*": []string{"evm.bytecode.object"}}},
		},
	}
	for name, src := range sources {
		input["sources"].(map[string]any)[name] = map[string]string{"content": src}
	}
	in, _ := json.Marshal(input)
	script := `const solc = require(process.argv[1] + '/node_modules/solc');
let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => process.stdout.write(solc.compile(s)));`
	cmd := exec.Command("node", "-e", script, solcDir)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("solc: %v", err)
	}
	var res struct {
		Errors []struct {
			Severity, FormattedMessage string
		}
		Contracts map[string]map[string]struct {
			EVM struct {
				Bytecode struct{ Object string }
			}
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("solc output: %v", err)
	}
	for _, e := range res.Errors {
		if e.Severity == "error" {
			t.Errorf("solc: %s", e.FormattedMessage)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	code := map[string][]byte{}
	for _, contracts := range res.Contracts {
		for name, c := range contracts {
			b, err := hex.DecodeString(c.EVM.Bytecode.Object)
			if err != nil {
				t.Fatal(err)
			}
			code[name] = b
		}
	}
	return code
}

// verifyProofCalldata ABI-encodes verifyProof(uint256[8] proof, [uint256[2] commitments, uint256[2] pok,]
// uint256[n] input): all static arrays, so the words follow the selector in order.
func verifyProofCalldata(proofWords []byte, inputs []*big.Int) []byte {
	sig := "verifyProof(uint256[8],"
	if len(proofWords) > 8*32 {
		sig += "uint256[2],uint256[2],"
	}
	sig += fmt.Sprintf("uint256[%d])", len(inputs))
	data := append(crypto.Keccak256([]byte(sig))[:4], proofWords...)
	for _, in := range inputs {
		data = append(data, common.LeftPadBytes(in.Bytes(), 32)...)
	}
	return data
}

// TestSolidityVerifiersOnChain compiles the three exported verifiers with the pinned solc, deploys them on
// go-ethereum's simulated chain and checks that each accepts a valid proof, refuses a tampered public
// input, and what a verification costs (logged; docs/BENCHMARKS.md). Gas does not depend on the capacity,
// only on the number of public inputs and commitments, so the test capacity gives the production figure.
func TestSolidityVerifiersOnChain(t *testing.T) {
	if !fullRuns() {
		t.Skip("compiles Solidity (about a minute): set VAULTNODE_ZK_FULL=1 (make bench-zk does)")
	}
	sources := map[string]string{}
	for _, kind := range Kinds {
		_, vk := testKeys(t, kind, testCapacity)
		var b strings.Builder
		if err := ExportSolidity(vk, &b); err != nil {
			t.Fatal(err)
		}
		sources[SolidityContractName(kind)+".sol"] = b.String()
	}
	code := compileSolidity(t, sources)

	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(big.Int).Lsh(big.NewInt(1), 100)}})
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSignerForChainID(chainID)
	root := mustRoot(t, testKey, batch)
	for i, st := range []Statement{trueStatements[0], trueStatements[2], trueStatements[5]} {
		name := SolidityContractName(st.Kind)
		bytecode, ok := code[name]
		if !ok {
			t.Fatalf("%s not in solc output", name)
		}
		head, err := client.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		tip, err := client.SuggestGasTipCap(ctx)
		if err != nil {
			t.Fatal(err)
		}
		deployGas, err := client.EstimateGas(ctx, ethereum.CallMsg{From: from, Data: bytecode})
		if err != nil {
			t.Fatalf("deploy %s: %v", name, err)
		}
		tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: chainID, Nonce: uint64(i), Gas: deployGas,
			GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))), Data: bytecode,
		})
		if err := client.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		sim.Commit()
		receipt, err := client.TransactionReceipt(ctx, tx.Hash())
		for try := 0; err != nil && strings.Contains(err.Error(), "indexing is in progress") && try < 100; try++ {
			time.Sleep(50 * time.Millisecond) // the simulated node indexes transactions in the background
			receipt, err = client.TransactionReceipt(ctx, tx.Hash())
		}
		if err != nil || receipt.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("deploy %s: %v (receipt %+v)", name, err, receipt)
		}
		pk, _ := testKeys(t, st.Kind, testCapacity)
		proof, err := Prove(st.Kind, pk, testKey, batch, st)
		if err != nil {
			t.Fatal(err)
		}
		words, inputs, err := SolidityCalldata(st, root, testCapacity, proof)
		if err != nil {
			t.Fatal(err)
		}
		msg := ethereum.CallMsg{From: from, To: &receipt.ContractAddress, Data: verifyProofCalldata(words, inputs)}
		gas, err := client.EstimateGas(ctx, msg)
		if err != nil {
			t.Fatalf("%s: valid proof refused on chain: %v", name, err)
		}
		verdict := "meets"
		if gas >= 350_000 {
			verdict = "MISSES"
		}
		// A missed target is reported (docs/BENCHMARKS.md), not a failure: the gas is a property of gnark's
		// verifier template, not a regression.
		t.Logf("%s: verifyProof transaction %d gas (%s the 350,000 target; %d public inputs, %d commitments, deployed code %d bytes)",
			name, gas, verdict, len(inputs), shapes[st.Kind].nbCommitments, len(bytecode))
		// A tampered public input (the window's start) is refused.
		inputs[1] = new(big.Int).Add(inputs[1], big.NewInt(1))
		msg.Data = verifyProofCalldata(words, inputs)
		if _, err := client.CallContract(ctx, msg, nil); err == nil {
			t.Errorf("%s: tampered public input accepted on chain", name)
		}
	}
}
