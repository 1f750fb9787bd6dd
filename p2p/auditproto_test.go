package p2p

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/pointers"
)

// A member's granted accesses on a patient's streams come back from its
// proxy over AuditProtocol, page by page, each anchored one with a proof
// checked against the chain; other streams and refusals stay out; answers
// checked against the wrong log's anchors fail.
func TestAuditProtocol(t *testing.T) {
	w := newProxyWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	remote := w.peers[0] // its log can be anchored by the world's chain client
	other := [32]byte{0xee}
	for i := 0; i < 40; i++ {
		e := AccessEntry{Time: time.Now(), Purpose: "TREAT", StreamTag: w.tag, GrantID: [32]byte{byte(i)}, Outcome: Granted}
		switch i % 4 {
		case 1:
			e.StreamTag = other
		case 2:
			e.Outcome = RefusedRevoked
		}
		if err := remote.log.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := remote.log.Anchor(ctx, w.chain); err != nil {
		t.Fatal(err)
	}
	_ = remote.log.Append(ctx, AccessEntry{Time: time.Now(), Purpose: "TREAT", StreamTag: w.tag, Outcome: Granted}) // not anchored
	remote.log.ServeAudit(remote.Host, w.chain)

	var logID [32]byte
	copy(logID[:], remote.account[:])
	got, err := RequestAudit(ctx, w.peers[1].Host, remote.ID(), w.chain, logID, [][32]byte{w.tag})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 21 { // 40 entries: 20 granted on the tag (i%4 = 0 or 3), and the unanchored one
		t.Fatalf("%d accesses, want 21", len(got))
	}
	for _, a := range got {
		if a.Entry.StreamTag != w.tag || a.Entry.Outcome != Granted {
			t.Fatalf("entry %d: another stream or a refusal", a.Entry.Index)
		}
		if (a.Proof == nil) != (a.Entry.Index == 40) {
			t.Fatalf("entry %d: proof %v", a.Entry.Index, a.Proof != nil)
		}
	}
	// The same answers checked against another log's anchors do not hold.
	var wrong [32]byte
	copy(wrong[:], w.peers[2].account[:])
	if _, err := RequestAudit(ctx, w.peers[1].Host, remote.ID(), w.chain, wrong, [][32]byte{w.tag}); err == nil {
		t.Fatal("answers verified against another member's anchors")
	}
}

// noAnchors is a chain on which nothing is anchored.
type noAnchors struct{}

func (noAnchors) AnchorAudit(context.Context, [32]byte, uint64, uint64, [32]byte) (pointers.Receipt, error) {
	return pointers.Receipt{}, pointers.ErrNoAnchor
}
func (noAnchors) AnchorCount(context.Context, [32]byte) (uint64, error) { return 0, nil }
func (noAnchors) LookupAnchor(context.Context, [32]byte, uint64) (pointers.Anchor, error) {
	return pointers.Anchor{}, pointers.ErrNoAnchor
}

// Any request bytes get an answer (or a refusal) that encodes, never a
// panic, and only granted entries on the asked tags.
func FuzzAuditRequest(f *testing.F) {
	l, err := OpenAccessLog(f.TempDir(), [32]byte{3}, nil)
	if err != nil {
		f.Fatal(err)
	}
	defer l.Close()
	tag := [32]byte{7}
	for i := 0; i < 30; i++ {
		e := AccessEntry{Time: time.Now(), Purpose: "TREAT", StreamTag: tag, Outcome: Outcome(i % 3)}
		if err := l.Append(context.Background(), e); err != nil {
			f.Fatal(err)
		}
	}
	f.Add([]byte(`{"tags":["0700000000000000000000000000000000000000000000000000000000000000"],"from":0}`))
	f.Add([]byte(`{"tags":[],"from":5}`))
	f.Add([]byte(`{"tags":["zz"],"from":18446744073709551615}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		resp := l.answerAudit(context.Background(), noAnchors{}, b)
		if _, err := json.Marshal(resp); err != nil {
			t.Fatal(err)
		}
		for _, it := range resp.Items {
			e, err := decodeAccessRecord(it.Record)
			if err != nil || e.Outcome != Granted || e.StreamTag != tag || it.Path != nil {
				t.Fatalf("answered %+v (%v)", e, err)
			}
		}
	})
}
