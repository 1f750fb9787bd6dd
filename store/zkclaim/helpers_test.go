package zkclaim

import (
	"os"
	"sync"
	"testing"
)

// testCapacity keeps unit-test circuits small (a count circuit of 16 leaves has ~7,000 constraints); the
// 5,000-reading runs are the benchmarks and, with VAULTNODE_ZK_FULL=1, TestFullCapacity.
const testCapacity = 16

func fullRuns() bool { return os.Getenv("VAULTNODE_ZK_FULL") == "1" }

type keyPair struct {
	pk *ProvingKey
	vk *VerifyingKey
}

var (
	setupMu    sync.Mutex
	setupCache = map[[2]int]keyPair{}
)

// testKeys runs a kind's setup once per test binary and capacity.
func testKeys(tb testing.TB, kind Kind, capacity int) (*ProvingKey, *VerifyingKey) {
	tb.Helper()
	setupMu.Lock()
	defer setupMu.Unlock()
	k := [2]int{int(kind), capacity}
	if kp, ok := setupCache[k]; ok {
		return kp.pk, kp.vk
	}
	pk, vk, err := SetupCapacity(kind, capacity)
	if err != nil {
		tb.Fatal(err)
	}
	setupCache[k] = keyPair{pk, vk}
	return pk, vk
}

var testKey = []byte("0123456789abcdef-batch-key-A")
var otherKey = []byte("0123456789abcdef-batch-key-B")

// Times in the tests: readings every 5 minutes from base (2026-11-20T00:00:00Z).
const base = int64(1795132800000)
const minute = int64(60_000)

// glucose returns n glucose readings (mmol/L × 100) every 5 minutes from base, cycling through values.
func glucose(n int, values ...int64) []Reading {
	if len(values) == 0 {
		values = []int64{540, 610, 720, 880, 950, 830, 660, 480}
	}
	rs := make([]Reading, n)
	for i := range rs {
		rs[i] = Reading{Time: base + int64(i)*5*minute, Value: values[i%len(values)]}
	}
	return rs
}
