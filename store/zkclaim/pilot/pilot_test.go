package pilot

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/vaultnode/vaultnode/store/zkclaim"
)

// The embedded keys are one setup: a proof made with the proving key verifies with the verifying key, and
// the committed Solidity verifier embeds that verifying key (so the chain accepts the same proofs).
func TestPilotKeysAreOneSetup(t *testing.T) {
	pk, err := ProvingKey()
	if err != nil {
		t.Fatal(err)
	}
	vk, err := VerifyingKey()
	if err != nil {
		t.Fatal(err)
	}
	if pk.Kind != zkclaim.KindExceeds || vk.Kind != zkclaim.KindExceeds || pk.Capacity != zkclaim.DefaultCapacity || vk.Capacity != pk.Capacity {
		t.Fatalf("pilot keys: pk %s/%d, vk %s/%d", pk.Kind, pk.Capacity, vk.Kind, vk.Capacity)
	}
	key := bytes.Repeat([]byte{7}, 32)
	rs := []zkclaim.Reading{{Time: 1_000, Value: 540}, {Time: 2_000, Value: 350}, {Time: 3_000, Value: 610}}
	root, err := zkclaim.Commit(key, rs)
	if err != nil {
		t.Fatal(err)
	}
	st := zkclaim.Statement{Kind: zkclaim.KindExceeds, From: 0, To: 10_000, Threshold: 389, Below: true}
	proof, err := zkclaim.Prove(zkclaim.KindExceeds, pk, key, rs, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := zkclaim.Verify(zkclaim.KindExceeds, vk, st, root, proof); err != nil {
		t.Fatalf("a pilot proof does not verify with the pilot verifying key: %v", err)
	}
	st.Threshold = 349
	if err := zkclaim.Verify(zkclaim.KindExceeds, vk, st, root, proof); !errors.Is(err, zkclaim.ErrInvalidProof) {
		t.Fatalf("proof accepted for another threshold: %v", err)
	}
	var sol bytes.Buffer
	if err := zkclaim.ExportSolidity(vk, &sol); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../../pointers/contracts/" + zkclaim.SolidityContractName(zkclaim.KindExceeds) + ".sol")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, sol.Bytes()) {
		t.Fatal("pointers/contracts holds a verifier of another setup than the embedded keys (run scripts/zk-setup.sh)")
	}
}
