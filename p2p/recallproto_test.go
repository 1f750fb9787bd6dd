package p2p

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// A member answers a recall-impact request with the report its answer function makes, and a refusal (its
// error) comes back as ErrRecallImpactRefused with the member's words; a malformed request is refused
// without calling the answer function.
func TestRecallImpactProtocol(t *testing.T) {
	peers := storeConsortium(t, 2)
	asker, member := peers[0], peers[1]
	calls := 0
	ServeRecallImpact(member.Host, func(_ context.Context, model, version string) (json.RawMessage, error) {
		calls++
		if version == "9.9" {
			return nil, errors.New("no such firmware here")
		}
		return json.Marshal(map[string]string{"model": model, "firmware": version})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rep, err := RequestRecallImpact(ctx, asker.Host, member.ID(), "00614141999996", "2.1")
	if err != nil || !bytes.Contains(rep, []byte(`"firmware":"2.1"`)) {
		t.Fatalf("report: %s %v", rep, err)
	}
	if _, err := RequestRecallImpact(ctx, asker.Host, member.ID(), "00614141999996", "9.9"); !errors.Is(err, ErrRecallImpactRefused) ||
		!bytes.Contains([]byte(err.Error()), []byte("no such firmware here")) {
		t.Fatalf("refusal: %v", err)
	}
	b, err := roundTrip(ctx, asker.Host, member.ID(), RecallImpactProtocol, []byte(`{"model":""}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseRecallImpactResponse(b); !errors.Is(err, ErrRecallImpactRefused) || calls != 2 {
		t.Fatalf("a malformed request: %v after %d calls of the answer function, want refused after 2", err, calls)
	}
}

// Answers in progress are bounded: with recallImpactBusy answers held, the next request is refused at once
// as busy, and served again once one finishes.
func TestRecallImpactBusy(t *testing.T) {
	peers := storeConsortium(t, 2)
	asker, member := peers[0], peers[1]
	hold, started := make(chan struct{}), make(chan struct{}, recallImpactBusy)
	ServeRecallImpact(member.Host, func(_ context.Context, model, version string) (json.RawMessage, error) {
		if version == "hold" {
			started <- struct{}{}
			<-hold
		}
		return json.RawMessage(`{}`), nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, recallImpactBusy)
	for range recallImpactBusy {
		go func() {
			_, err := RequestRecallImpact(ctx, asker.Host, member.ID(), "00614141999996", "hold")
			done <- err
		}()
	}
	for range recallImpactBusy {
		<-started
	}
	if _, err := RequestRecallImpact(ctx, asker.Host, member.ID(), "00614141999996", "2.1"); !errors.Is(err, ErrRecallImpactRefused) ||
		!bytes.Contains([]byte(err.Error()), []byte("busy")) {
		t.Fatalf("a request beyond the bound: %v, want refused as busy", err)
	}
	close(hold)
	for range recallImpactBusy {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := RequestRecallImpact(ctx, asker.Host, member.ID(), "00614141999996", "2.1"); err != nil {
		t.Fatalf("after the held answers finished: %v", err)
	}
}

func FuzzRecallImpactRequest(f *testing.F) {
	f.Add([]byte(`{"model":"00614141999996","version":"2.1"}`))
	f.Add([]byte(`{"model":"","version":"2.1"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		req, err := parseRecallImpactRequest(raw)
		if err != nil {
			return
		}
		if req.Model == "" || req.Version == "" || len(req.Model) > maxRecallField || len(req.Version) > maxRecallField {
			t.Fatalf("accepted %q as %+v", raw, req)
		}
	})
}

func FuzzRecallImpactResponse(f *testing.F) {
	f.Add([]byte(`{"report":{"model":"00614141999996"}}`))
	f.Add([]byte(`{"error":"no"}`))
	f.Add([]byte(`{"report":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		rep, err := parseRecallImpactResponse(raw)
		if err != nil {
			return
		}
		if len(rep) == 0 || !json.Valid(rep) {
			t.Fatalf("accepted %q with report %q", raw, rep)
		}
	})
}
