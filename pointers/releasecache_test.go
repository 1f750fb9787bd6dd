package pointers

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
	"time"
)

// The release cache answers from memory while nothing changed, and the registry's events keep it true: a
// release published after it was found unknown, and a recall, are seen by the very next read after their
// block. While the chain is down it answers from what it confirmed, for DeviceMaxStale only.
func TestReleaseCacheFollowsEvents(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin := servedEmbedded(t)
	gw := newGateway(t, admin.Embedded().RPCURL())
	b, _ := memberOn(t, admin, gw.url(), Config{DeviceMaxStale: 400 * time.Millisecond})
	signer, signerPriv, _ := ed25519.GenerateKey(nil)
	if _, err := admin.AddManufacturer(ctx, admin.Account(), signer, "Cache Devices"); err != nil {
		t.Fatal(err)
	}
	gtin, _ := ParseGTIN("00614141999996")
	if _, err := admin.RegisterModel(ctx, gtin); err != nil {
		t.Fatal(err)
	}
	sign := func(version string, image [32]byte) []byte {
		return ed25519.Sign(signerPriv, ReleaseMessage(gtin, version, image))
	}
	r1, _, err := admin.PublishRelease(ctx, gtin, "1.0", [32]byte{1}, sign("1.0", [32]byte{1}))
	if err != nil {
		t.Fatal(err)
	}
	reads := func() int { b.releases.mu.Lock(); defer b.releases.mu.Unlock(); return b.releases.reads }
	status := func(id [32]byte) string {
		t.Helper()
		r, err := b.CachedRelease(ctx, id)
		if errors.Is(err, ErrUnknownRelease) {
			return "unknown"
		}
		if err != nil {
			t.Fatal(err)
		}
		return r.Status.String()
	}
	if s := status(r1); s != "approved" || reads() != 1 {
		t.Fatalf("first read: %s after %d registry reads", s, reads())
	}
	r2 := ReleaseID(gtin, "2.0")
	for range 3 {
		if status(r1) != "approved" || status(r2) != "unknown" {
			t.Fatal("cached answers changed with nothing on chain")
		}
	}
	if n := reads(); n != 2 {
		t.Fatalf("%d registry reads for 2 releases read 4 times each with no new block: the cache is not used", n)
	}
	if _, _, err := admin.PublishRelease(ctx, gtin, "2.0", [32]byte{2}, sign("2.0", [32]byte{2})); err != nil {
		t.Fatal(err)
	}
	if s := status(r2); s != "approved" {
		t.Fatalf("a release published after it was cached as unknown reads %s", s)
	}
	// The manufacturer's chain account alone cannot publish a release nodes trust: the release key must sign.
	forged, _, err := admin.PublishRelease(ctx, gtin, "2.1", [32]byte{3}, sign("2.1", [32]byte{4}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CachedRelease(ctx, forged); !errors.Is(err, ErrReleaseSignature) {
		t.Fatalf("a release signed over another image: %v, want ErrReleaseSignature", err)
	}
	if _, err := b.CachedRelease(ctx, forged); !errors.Is(err, ErrReleaseSignature) {
		t.Fatalf("the same, from the cache: %v", err)
	}
	if _, err := admin.SetReleaseStatus(ctx, r1, ReleaseRecalled, "cache test"); err != nil {
		t.Fatal(err)
	}
	if s := status(r1); s != "recalled" {
		t.Fatalf("the first read after the recall's block: %s", s)
	}
	// A device may declare any version: the cache stays bounded however many unknown ones it names.
	for i := range maxCachedReleases + 10 {
		if _, err := b.CachedRelease(ctx, ReleaseID(gtin, fmt.Sprintf("junk-%d", i))); !errors.Is(err, ErrUnknownRelease) {
			t.Fatal(err)
		}
	}
	if n := func() int { b.releases.mu.Lock(); defer b.releases.mu.Unlock(); return len(b.releases.entries) }(); n > maxCachedReleases {
		t.Fatalf("%d cached releases after %d distinct versions, bound %d", n, maxCachedReleases+10, maxCachedReleases)
	}
	if s := status(r1); s != "recalled" {
		t.Fatalf("after the cache started over: %s", s)
	}
	gw.down()
	if s := status(r1); s != "recalled" {
		t.Fatalf("chain down, status confirmed just now: %s", s)
	}
	time.Sleep(500 * time.Millisecond)
	if _, err := b.CachedRelease(ctx, r1); !IsUnavailable(err) {
		t.Fatalf("chain down, status older than DeviceMaxStale: %v, want the chain's unavailability", err)
	}
	if _, err := b.CachedRelease(ctx, ReleaseID(gtin, "9.9")); !IsUnavailable(err) {
		t.Fatalf("chain down, a release never read: %v", err)
	}
}
