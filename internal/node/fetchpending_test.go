package node

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/internal/fhirschema"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// pendingFake is a fakeSource that acknowledged batches the chain does not
// list yet: pending(call) is how many after the call-th commitments read.
type pendingFake struct {
	*fakeSource
	reads   int
	pending func(reads int) int
}

func (p *pendingFake) Commitments(ctx context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error) {
	p.reads++
	return p.fakeSource.Commitments(ctx, secret, custodian)
}

func (p *pendingFake) PendingBatches(context.Context, [32]byte, []pointers.Commitment) (int, bool, error) {
	return p.pending(p.reads), true, nil
}

func grantedByP1(f *fakeSource, t *testing.T) func(int, *p2p.ReencryptRequest, []string) []RelayAnswer {
	return func(call int, r *p2p.ReencryptRequest, _ []string) []RelayAnswer {
		return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())}}
	}
}

// Batches acknowledged but not committed on-chain are waited for
// (bounded), and what is still missing then is reported with the reason:
// before, a fetch right after ingest left them out silently.
func TestFetchReportsUncommittedBatches(t *testing.T) {
	f, req, rs := newFakeSource(t, 10)
	f.answer = grantedByP1(f, t)
	// Never committed within the wait: reported.
	p := &pendingFake{fakeSource: f, pending: func(int) int { return 2 }}
	req.PendingWait = 600 * time.Millisecond
	start := time.Now()
	res, err := FetchFrom(context.Background(), p, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pending != 2 || !strings.Contains(res.PendingReason, "not committed on-chain yet") || len(res.Readings) != len(rs) {
		t.Fatalf("pending %d (%q), %d readings", res.Pending, res.PendingReason, len(res.Readings))
	}
	if el := time.Since(start); el < 500*time.Millisecond || el > 5*time.Second {
		t.Fatalf("waited %s, want about the 600 ms bound", el)
	}
	// Committed while waiting: nothing to report, the commitments re-read.
	p = &pendingFake{fakeSource: f, pending: func(reads int) int { return max(0, 3-reads) }}
	req.PendingWait = 10 * time.Second
	if res, err = FetchFrom(context.Background(), p, req); err != nil || res.Pending != 0 || res.PendingReason != "" || p.reads < 3 {
		t.Fatalf("%v: pending %d after %d reads", err, res.Pending, p.reads)
	}
	// Not waiting at all (negative): reported at once.
	p = &pendingFake{fakeSource: f, pending: func(int) int { return 1 }}
	req.PendingWait = -1
	if res, err = FetchFrom(context.Background(), p, req); err != nil || res.Pending != 1 {
		t.Fatalf("%v: pending %d", err, res.Pending)
	}
}

// vaultnode fetch --format fhir: a collection Bundle of valid R4
// Observations, ids consistent with fullUrl and with the ids the
// transaction-response gave (ObservationID of batch and index).
func TestFetchFHIRBundle(t *testing.T) {
	f, req, rs := newFakeSource(t, 5)
	f.answer = grantedByP1(f, t)
	res, err := FetchFrom(context.Background(), f, req)
	if err != nil {
		t.Fatal(err)
	}
	b := FHIRFetchBundle(res)
	raw, _ := json.Marshal(b)
	fhirschema.Check(t, "fetched Bundle", raw)
	es := b["entry"].([]any)
	if b["type"] != "collection" || len(es) != len(rs) {
		t.Fatalf("type %v, %d entries", b["type"], len(es))
	}
	for i, e := range es {
		o := e.(map[string]any)["resource"].(map[string]any)
		if want := ObservationID(res.Refs[i].Root, i); o["id"] != want || e.(map[string]any)["fullUrl"] != "urn:uuid:"+want {
			t.Errorf("entry %d: id %v fullUrl %v, want %s", i, o["id"], e.(map[string]any)["fullUrl"], want)
		}
		q := o["valueQuantity"].(map[string]any)
		if q["value"] != rs[i].Value || q["code"] != "mmol/L" {
			t.Errorf("entry %d: %v", i, q)
		}
	}
	raw, _ = json.Marshal(FHIRFetchBundle(&FetchResult{}))
	fhirschema.Check(t, "empty fetched Bundle", raw)
}
