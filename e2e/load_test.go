package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
)

// TestHostileLoad (issue 18, "bounded by construction"): 50 hostile clients
// hammer daemon A's API for VAULTNODE_LOAD_DURATION (default 40 s) while the
// normal flow still passes (ingest through A's API, grant, a clinician's
// fetch from D), and A's peak resident memory (VmHWM) stays under 1 GiB.
// The clients, 10 of each kind:
//   - slow bodies: a request announcing 1 MiB, then one byte every 200 ms;
//   - big bodies: 64 MiB streamed to /v1/erasures/verify;
//   - verify posts: 900 KB certificates, back to back;
//   - reencrypt posts: 60 KB relay requests, back to back;
//   - network record fetches: /v1/records/<unknown CID>?network=1.
//
// Run by `make e2e-long`, or with VAULTNODE_E2E_LOAD=1.
func TestHostileLoad(t *testing.T) {
	if os.Getenv("VAULTNODE_E2E_LOAD") != "1" && !longMode() {
		t.Skip("hostile load test: set VAULTNODE_E2E_LOAD=1 (make e2e-long runs it)")
	}
	dur := 40 * time.Second
	if v := os.Getenv("VAULTNODE_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		dur = d
	}
	c := newCluster(t, chainEmbedded)
	a := c.nodes[0]
	dev, _ := a.enrol(t, "cgm-load", "MRN-LOAD")
	pid := a.proc.cmd.Process.Pid
	hwm := func() int64 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
		t.Fatal("no VmHWM in /proc/PID/status")
		return 0
	}
	before := hwm()

	hostile := &http.Client{Timeout: 90 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, MaxIdleConnsPerHost: 64}}
	host := strings.TrimPrefix(a.api(), "https://")
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var answers [5]sync.Map // kind → status → count
	count := func(kind, status int) {
		v, _ := answers[kind].LoadOrStore(status, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	do := func(kind int, req *http.Request) {
		resp, err := hostile.Do(req)
		if err != nil {
			count(kind, 0)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		count(kind, resp.StatusCode)
	}
	post := func(kind int, path string, body io.Reader, n int64) {
		req, _ := http.NewRequestWithContext(ctx, "POST", a.api()+path, body)
		req.ContentLength = n
		req.Header.Set("Content-Type", "application/json")
		do(kind, req)
	}
	junk := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return []byte(base64.StdEncoding.EncodeToString(b))
	}
	cert := append(append([]byte(`{"format":"x","junk":"`), junk(675_000)...), `"}`...)
	relay := append(append([]byte(`{"request":"`), junk(45_000)...), `"}`...)
	var wg sync.WaitGroup
	for i := range 50 {
		kind := i % 5
		wg.Go(func() {
			for ctx.Err() == nil {
				switch kind {
				case 0: // slow body
					conn, err := tls.Dial("tcp", host, &tls.Config{InsecureSkipVerify: true})
					if err != nil {
						count(kind, 0)
						time.Sleep(200 * time.Millisecond)
						continue
					}
					fmt.Fprintf(conn, "POST /v1/erasures/verify HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1048000\r\n\r\n", host)
					for ctx.Err() == nil {
						if _, err := conn.Write([]byte(" ")); err != nil {
							break
						}
						time.Sleep(200 * time.Millisecond)
					}
					conn.Close()
					count(kind, 1)
				case 1: // big body
					post(kind, "/v1/erasures/verify", io.LimitReader(zeros{}, 64<<20), 64<<20)
				case 2: // verify posts
					post(kind, "/v1/erasures/verify", bytes.NewReader(cert), int64(len(cert)))
				case 3: // reencrypt posts
					post(kind, "/v1/reencrypt", bytes.NewReader(relay), int64(len(relay)))
				case 4: // network record fetches of blocks nobody has
					h, _ := multihash.Sum(junk(16), multihash.SHA2_256, -1)
					req, _ := http.NewRequestWithContext(ctx, "GET", a.api()+"/v1/records/"+cid.NewCidV1(cid.Raw, h).String()+"?network=1", nil)
					do(kind, req)
				}
			}
		})
	}
	var peak atomic.Int64
	wg.Go(func() {
		for ctx.Err() == nil {
			peak.Store(max(peak.Load(), hwm()))
			time.Sleep(time.Second)
		}
	})

	// The normal flow, under the load.
	start := time.Now()
	time.Sleep(3 * time.Second) // let the load build up
	rs := mkReadings(dev.id, "MRN-LOAD", 0, 500)
	a.mustIngest(t, dev, rs)
	a.waitCommitted(t)
	clin := c.clinician(t, "load-clin")
	g := a.grant(t, "MRN-LOAD", clin, "--until", "1h", "--threshold", "2", "--proxies", "2")
	c.mustFetchAll(t, clin, g.Ticket, rs)
	if h := a.health(t); h["status"] != "ok" {
		t.Fatalf("A unhealthy under load: %v", h)
	}
	flow := time.Since(start)
	<-ctx.Done()
	wg.Wait()
	after := hwm()
	for kind, name := range []string{"slow body", "big body", "verify", "reencrypt", "network record"} {
		var parts []string
		answers[kind].Range(func(k, v any) bool {
			parts = append(parts, fmt.Sprintf("%v×%d", k, v.(*atomic.Int64).Load()))
			return true
		})
		t.Logf("%-15s answers (status×count; 0 = connection error, 1 = slow body ended): %s", name, strings.Join(parts, " "))
	}
	t.Logf("normal flow (ingest 500, commit, grant, fetch) took %v under load; A's VmHWM %d MiB before, %d MiB after (peak sampled %d MiB)",
		flow.Round(time.Millisecond), before>>20, after>>20, peak.Load()>>20)
	if after >= 1<<30 {
		t.Fatalf("A's peak RSS %d MiB: over 1 GiB", after>>20)
	}
	// Nothing hostile got a 500.
	for kind := range answers {
		answers[kind].Range(func(k, v any) bool {
			if k.(int) >= 500 {
				t.Errorf("a hostile request (kind %d) got %d (%d times)", kind, k, v.(*atomic.Int64).Load())
			}
			return true
		})
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
