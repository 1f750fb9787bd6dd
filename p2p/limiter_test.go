package p2p

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// Anyone can make grantee keys, and the rate limit is checked before the
// grant: 100,000 distinct keys must not leave 100,000 limiters behind, and
// while the map is full of busy grantees new keys are still limited.
func TestRateLimitersBounded(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	p := &Proxy{cfg: ProxyConfig{RatePerGrantee: rate.Limit(1), Burst: 2, Now: func() time.Time { return now }},
		limiters: make(map[[32]byte]*rate.Limiter)}
	key := func(i int) [32]byte { return sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(i))) }
	for i := range 100_000 {
		if !p.limiter(key(i)).AllowN(now, 2) { // each new key spends its whole burst: busy
			if p.overflow == nil {
				t.Fatalf("key %d refused before the map was full", i)
			}
		}
		if len(p.limiters) > maxLimiters {
			t.Fatalf("%d limiters after %d keys", len(p.limiters), i+1)
		}
	}
	// All busy: new keys share the overflow limiter, which is spent.
	if p.limiter(key(200_000)).AllowN(now, 1) {
		t.Fatal("a fresh key got through while the proxy was flooded")
	}
	// Later, idle limiters are forgotten and a new key gets its own.
	now = now.Add(time.Minute)
	if !p.limiter(key(300_000)).AllowN(now, 1) || len(p.limiters) > 1 {
		t.Fatalf("after the flood: %d limiters kept", len(p.limiters))
	}
	// A known busy grantee keeps its own limiter (and its limit).
	g := key(400_000)
	p.limiter(g).AllowN(now, 2)
	if p.limiter(g).AllowN(now, 1) {
		t.Fatal("a grantee's spent limit was reset")
	}
}
