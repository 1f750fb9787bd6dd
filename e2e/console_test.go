package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/internal/fhirschema"
	vnode "github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/keys"
)

// TestConsole drives the daemon's web console (/ui/, docs/UI.md) in headless
// Chromium, as its four kinds of users do, on a three-member cluster:
//   - the clinician opens the sealed key file in the page, sees the grant,
//     and the chart of 100,000 readings; the page's figures equal those of
//     `vaultnode fetch` on the same grant;
//   - the patient (a token scoped to them) grants the clinician access and
//     revokes it; the clinician's page then shows the grant revoked and the
//     readings refused; the patient token is refused on another patient;
//   - the patient asks for erasure; the DPO erases from the queue and the
//     certificate verifies complete;
//   - the operator sees the node's health and the members.
//
// Every request every page made is recorded: none carries the key file, its
// passphrase or the clinician's secret keys. Screenshots go to
// $VAULTNODE_UI_SCREENSHOTS (docs/ui when refreshing docs/UI.md), else to the
// test's temporary directory. The time from the click to the first chart is
// logged (docs/BENCHMARKS.md), not asserted: a benchmark checks a target.
func TestConsole(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("Chromium is not installed (scripts/install-chromium.sh, which `make test` runs, installs Debian's chromium): the console's browser tests are skipped")
	}
	t.Parallel()
	c := newCluster(t, chainEmbedded)
	A := c.nodes[0]
	shots := os.Getenv("VAULTNODE_UI_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	// 100,000 glucose readings of one patient, in batches of 10,000.
	dev, _ := A.enrol(t, "cgm-ui", "MRN-UI")
	const total, per = 100000, 10000
	var roots []string
	for i := 0; i < total/per; i++ {
		rc := A.mustIngest(t, dev, mkReadings(dev.id, "MRN-UI", i*per, per))
		roots = append(roots, rc.Batches[0].Root)
	}
	other, _ := A.enrol(t, "cgm-ui-2", "MRN-OTHER")
	A.mustIngest(t, other, mkReadings(other.id, "MRN-OTHER", 0, 10))
	keyFile := c.clinician(t, "dr-ui")
	g := A.grant(t, "MRN-UI", keyFile, "--until", "24h")
	// A registered unit whose firmware its manufacturer recalls between the unit's two batches.
	const fwModel = "00614141000029"
	mf := c.manufacturer(t, A, "acme-ui")
	mf("model", fwModel)
	img := sha256.Sum256([]byte("acme cgm firmware 5.0"))
	mf("release", "--model", fwModel, "--version", "5.0", "--image-sha256", hex.EncodeToString(img[:]))
	fwKey := enrolUnit(t, mf, A, fwModel, "cgm-fw", "UI-1", "MRN-FW")
	fw := &vnode.Firmware{Version: "5.0", Image: img}
	A.ingestFirmware(t, "cgm-fw", fwKey, fw, mkReadings("cgm-fw", "MRN-FW", 0, 20))
	mf("release-status", "--model", fwModel, "--version", "5.0", "--status", "recalled", "--reason", "sensor drift (FSN-2026-52)")
	A.ingestFirmware(t, "cgm-fw", fwKey, fw, mkReadings("cgm-fw", "MRN-FW", 100, 20))
	fg := A.grant(t, "MRN-FW", keyFile, "--until", "24h")
	otherKey := c.clinician(t, "dr-other")
	og := A.grant(t, "MRN-OTHER", otherKey, "--until", "24h")
	A.waitCommitted(t)
	_, want := c.fetch(t, keyFile, g.Ticket)
	if len(want) != total {
		t.Fatalf("vaultnode fetch returned %d readings, want %d", len(want), total)
	}

	token := func(args ...string) string {
		var tk struct{ Token string }
		out := A.must(t, append([]string{"--json", "token", "create"}, args...)...)
		if err := json.Unmarshal([]byte(out), &tk); err != nil || tk.Token == "" {
			t.Fatalf("token create %v: %v %s", args, err, out)
		}
		return tk.Token
	}
	clinTok := token("--name", "dr-ui", "--role", "clinician")
	patTok := token("--name", "pat-ui", "--role", "patient", "--patient", "MRN-UI")

	// The patient token on another patient: its routes serve its own
	// patient whatever the request names, and the operator's routes refuse it.
	t.Run("patient token scoped", func(t *testing.T) {
		if st, _ := call(t, "DELETE", A.api()+"/v1/me/grants/"+og.ID, patTok, "", nil); st != 404 {
			t.Errorf("patient token revoking another patient's grant: %d, want 404", st)
		}
		if st, _ := call(t, "GET", A.api()+"/v1/audit?patient=MRN-OTHER", patTok, "", nil); st != 403 {
			t.Errorf("patient token reading another patient's audit: %d, want 403", st)
		}
		if st, _ := call(t, "GET", A.api()+"/v1/audit/disclosures?patient=MRN-OTHER", patTok, "", nil); st != 403 {
			t.Errorf("patient token reading another patient's disclosures: %d, want 403", st)
		}
		st, me := call(t, "GET", A.api()+"/v1/me?patient=MRN-OTHER", patTok, "", nil)
		if st != 200 || me["patient"].(map[string]any)["mrn"] != "MRN-UI" {
			t.Errorf("GET /v1/me naming another patient: %d %v, want MRN-UI's overview", st, me["patient"])
		}
		if st, _ := call(t, "GET", A.api()+"/v1/me", A.token(t, "operator"), "", nil); st != 403 {
			t.Errorf("operator token on /v1/me: %d, want 403", st)
		}
		// The answers name the patient and who read their data: no browser
		// or proxy cache may keep a copy (a shared workstation's disk cache
		// would outlive the session and an erasure), refusals included.
		for _, rt := range []struct{ path, token string }{{"/v1/me", patTok}, {"/v1/me/access", patTok}, {"/v1/audit?patient=MRN-OTHER", patTok}, {"/v1/whoami", clinTok}} {
			req, _ := http.NewRequest("GET", A.api()+rt.path, nil)
			req.Header.Set("Authorization", "Bearer "+rt.token)
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET %s (%d): Cache-Control %q, want no-store", rt.path, resp.StatusCode, cc)
			}
		}
		// A grantee's list of tickets names patients: a clinician token alone
		// does not get another key's list (the console proves its key).
		pub, err := os.ReadFile(pubKeyFile(keyFile))
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := call(t, "GET", A.api()+"/v1/tickets?grantee="+strings.TrimSpace(string(pub)), clinTok, "", nil); st != 403 {
			t.Errorf("listing a grantee's tickets without proof of its key: %d, want 403", st)
		}
	})

	// The chart is timed as a clinician meets it: on data already placed,
	// not while the members still copy the batches just ingested.
	deadline := time.Now().Add(60 * time.Second)
	for A.health(t)["batchesUnderReplicated"].(float64) > 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	b := newBrowser(t, chromium)
	// The pages talk to A through a recording proxy: every request that
	// reaches the daemon, from a page or from one of its workers (which the
	// browser's own network events of a page do not show), is checked for
	// secrets at the end.
	ui := b.proxyTo(t, A.api()) + "/ui/"

	// ---- clinician
	clin := b.tab(t)
	clin.do(t, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.CSS("#token")))
	clin.signIn(t, clinTok, "#view-clinician")
	clin.do(t, chromedp.SetUploadFiles(chromedp.CSS("#keyfile"), []string{keyFile}), chromedp.SendKeys(chromedp.CSS("#passphrase"), e2eKeyPassphrase), chromedp.Click(chromedp.CSS("#key-form button[type=submit]")))
	row := fmt.Sprintf(`#grants-table tr[data-grant="%s"]`, g.ID)
	clin.do(t, chromedp.WaitVisible(chromedp.CSS(row+" button")))
	clin.shot(t, shots, "clinician-grants")
	clin.do(t, chromedp.Click(chromedp.CSS(row+" button")))
	rendered := clin.poll(t, `document.querySelector("#chart").dataset.rendered`, 120*time.Second)
	if rendered != strconv.Itoa(total) {
		t.Fatalf("the chart shows %s readings, want %d", rendered, total)
	}
	var timings map[string]float64
	clin.eval(t, `window.vaultnodeTimings`, &timings)
	t.Logf("console: key opened in %.0f ms; %d readings fetched, decrypted and verified in WebAssembly in %.0f ms; chart on screen %.0f ms after the click",
		timings["openKeyMs"], total, timings["fetchMs"], timings["chartMs"])
	var perRoute map[string]map[string]float64
	clin.eval(t, `(() => { const g = {}; for (const e of performance.getEntriesByType("resource")) { const k = new URL(e.name).pathname.split("/").slice(0, 3).join("/"); g[k] = g[k] || {n: 0, ms: 0, max: 0}; g[k].n++; g[k].ms = Math.round(g[k].ms + e.duration); g[k].max = Math.round(Math.max(g[k].max, e.duration)); } return g; })()`, &perRoute)
	t.Logf("console: the page's requests by route (count, summed and longest duration in ms): %v", perRoute)
	if f := os.Getenv("VAULTNODE_UI_TIMINGS"); f != "" {
		b, _ := json.Marshal(timings)
		_ = os.WriteFile(f, b, 0o644)
	}
	clin.shot(t, shots, "clinician-chart")
	checkFigures(t, clin, want)
	if seg := clin.poll(t, `document.querySelector("#chart").dataset.segments`, 5*time.Second); seg != "1" {
		t.Errorf("the chart of every reading draws %s line segments, want 1", seg)
	}
	checkExports(t, clin, want)
	// A member that serves an altered block, and a batch whose blocks no
	// member holds: the chart leaves both batches out and the table names
	// each with its status.
	b.setAlter(map[string]string{"/v1/records/" + roots[3]: "tamper", "/v1/records/" + roots[7]: "withhold"})
	clin.eval(t, `document.querySelector("#chart").dataset.rendered = ""; 1`, new(any))
	clin.do(t, chromedp.Click(chromedp.CSS(row+" button")))
	if got := clin.poll(t, `document.querySelector("#chart").dataset.rendered`, 120*time.Second); got != strconv.Itoa(total-2*per) {
		t.Errorf("with one batch altered and one withheld the chart shows %s readings, want %d", got, total-2*per)
	}
	for status, root := range map[string]string{"tampered": roots[3], "missing": roots[7], "verified": ""} {
		got := clin.poll(t, fmt.Sprintf(`Array.from(document.querySelectorAll('#batches-table tbody tr[data-status=%q] td:first-child')).map((e) => e.textContent).join(",") || "none"`, status), 5*time.Second)
		switch {
		case root != "" && got != root:
			t.Errorf("batches listed %s: %s, want %s", status, got, root)
		case root == "" && strings.Count(got, ",") != total/per-3:
			t.Errorf("batches listed verified: %s, want %d", got, total/per-2)
		}
	}
	// The chart does not join readings across the two batches left out.
	if seg := clin.poll(t, `document.querySelector("#chart").dataset.segments`, 5*time.Second); seg != "3" {
		t.Errorf("with batches 4 and 8 of 10 left out the chart draws %s line segments, want 3", seg)
	}
	clin.shot(t, shots, "clinician-tampered")
	b.setAlter(nil)
	// Zoom in with the keyboard: the visible window narrows.
	before := clin.text(t, "#chart-range")
	clin.do(t, chromedp.Focus(chromedp.CSS("#chart")), chromedp.KeyEvent("+"), chromedp.KeyEvent("+"), chromedp.KeyEvent("+"))
	clin.poll(t, fmt.Sprintf(`document.querySelector("#chart-range").textContent !== %q`, before), 10*time.Second)
	clin.shot(t, shots, "clinician-zoom")
	// Pan and zoom out again; every redraw of the 100,000 readings is timed
	// by the page (a frame is 16 ms).
	clin.do(t, chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent("-"), chromedp.KeyEvent("-"), chromedp.KeyEvent("-"), chromedp.KeyEvent(kb.Home))
	time.Sleep(200 * time.Millisecond)
	var slowest float64
	clin.eval(t, `window.vaultnodeTimings.slowestDrawMs`, &slowest)
	t.Logf("console: the slowest redraw of the chart (100,000 readings, load, zoom, pan) took %.1f ms", slowest)

	// A stream whose firmware was recalled between its two batches: the page says so above the chart, and
	// every export carries each reading's firmware.
	clin.eval(t, `document.querySelector("#chart").dataset.rendered = ""; 1`, new(any))
	clin.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#grants-table tr[data-grant="%s"] button`, fg.ID))))
	if got := clin.poll(t, `document.querySelector("#chart").dataset.rendered`, 60*time.Second); got != "40" {
		t.Fatalf("the chart of the unit's stream shows %s readings, want 40", got)
	}
	if warn := clin.poll(t, `(() => { const w = document.querySelector("#firmware-warnings"); return w.hidden ? "hidden" : w.textContent; })()`, 5*time.Second); !strings.Contains(warn,
		"20 reading(s) from cgm-fw under firmware 5.0: RECALLED by its manufacturer") || strings.Contains(warn, "approved") {
		t.Errorf("firmware warning above the chart: %q, want the 20 readings of the recalled firmware (and nothing of the approved batch)", warn)
	}
	clin.shot(t, shots, "clinician-firmware")
	get := downloader(t, clin)
	statuses := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(get("#export-jsonl", "glucose.jsonl"))), "\n") {
		var r struct {
			Device   string
			Firmware struct{ Version, Status string }
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		statuses[r.Device+" "+r.Firmware.Version+" "+r.Firmware.Status]++
	}
	if statuses["cgm-fw 5.0 approved"] != 20 || statuses["cgm-fw 5.0 recalled"] != 20 || len(statuses) != 2 {
		t.Errorf("JSON lines export of the unit's stream, by firmware: %v", statuses)
	}
	if csv := string(get("#export-csv", "glucose.csv")); strings.Count(csv, ",cgm-fw,5.0,recalled\n") != 20 {
		t.Errorf("CSV export of the unit's stream: %d rows flagged recalled, want 20", strings.Count(csv, ",cgm-fw,5.0,recalled\n"))
	}
	fb := get("#export-fhir", "glucose.fhir.json")
	if n := strings.Count(string(fb), "RECALLED by its manufacturer"); n != 20 {
		t.Errorf("FHIR export of the unit's stream: %d Observations name the recall, want 20", n)
	}
	fhirschema.Check(t, "the console's FHIR export with firmware flags", fb)

	// ---- patient: grant, then revoke; the clinician's page shows it revoked.
	pat := b.tab(t)
	pat.do(t, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.CSS("#token")))
	pat.signIn(t, patTok, "#view-patient")
	pat.do(t, chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#pat-grants tr[data-grant="%s"]`, g.ID))))
	// The clinician's fetch is in the patient's access history, gathered from
	// the proxies that served it (A's own log alone would miss them).
	if n, _ := strconv.Atoi(pat.poll(t, `document.querySelectorAll("#pat-access tbody tr").length`, 30*time.Second)); n < 10 {
		t.Errorf("the patient's access history lists %d disclosures after a fetch of 10 batches, want at least 10", n)
	}
	pub, err := os.ReadFile(pubKeyFile(keyFile))
	if err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(30 * 24 * time.Hour).Format("2006-01-02")
	pat.do(t, chromedp.SetValue(chromedp.CSS("#grant-key"), strings.TrimSpace(string(pub))), chromedp.SetValue(chromedp.CSS("#grant-until"), until), chromedp.Click(chromedp.CSS("#grant-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-ok")))
	pat.shot(t, shots, "patient-confirm")
	msg := pat.outcome(t, 60*time.Second, chromedp.Click(chromedp.CSS("#confirm-ok")))
	if !strings.Contains(msg, "Access granted") {
		t.Fatalf("patient's grant: %q", msg)
	}
	newID := pat.poll(t, fmt.Sprintf(`[...document.querySelectorAll("#pat-grants tr[data-grant]")].map(r => r.dataset.grant).find(id => id !== %q) || ""`, g.ID), 30*time.Second)
	pat.shot(t, shots, "patient")
	msg = pat.outcome(t, 60*time.Second, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#pat-grants tr[data-grant="%s"] button`, newID))), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")), chromedp.Click(chromedp.CSS("#confirm-ok")))
	if !strings.Contains(msg, "revoked") {
		t.Fatalf("patient's revocation: %q", msg)
	}
	clin.do(t, chromedp.Click(chromedp.CSS("#grants-refresh")))
	newRow := fmt.Sprintf(`#grants-table tr[data-grant="%s"]`, newID)
	clin.poll(t, fmt.Sprintf(`(r => r && r.cells[3].textContent === "revoked")(document.querySelector(%q))`, newRow), 30*time.Second)
	msg = clin.outcome(t, 60*time.Second, chromedp.Click(chromedp.CSS(newRow+" button")))
	if !strings.Contains(msg, "revoked") {
		t.Fatalf("the clinician's page after the revocation says %q, want the grant revoked", msg)
	}
	clin.shot(t, shots, "clinician-revoked")

	// ---- operator
	op := b.tab(t)
	op.do(t, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.CSS("#token")))
	op.signIn(t, A.token(t, "operator"), "#view-operator")
	members := op.poll(t, `document.querySelectorAll("#op-members tbody tr").length`, 30*time.Second)
	if n, _ := strconv.Atoi(members); n < len(c.nodes) {
		t.Errorf("the operator's page lists %s members, want at least %d", members, len(c.nodes))
	}
	op.shot(t, shots, "operator")

	// ---- patient asks for erasure; the DPO erases; the certificate verifies.
	msg = pat.outcome(t, 30*time.Second, chromedp.SetValue(chromedp.CSS("#erasure-note"), "please erase my readings"), chromedp.Click(chromedp.CSS("#erasure-form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")), chromedp.Click(chromedp.CSS("#confirm-ok")))
	reqID := strings.TrimSuffix(strings.Fields(strings.TrimPrefix(msg, "Erasure request "))[0], ".")
	if !strings.HasPrefix(reqID, "er-") {
		t.Fatalf("erasure request: %q", msg)
	}
	dpo := b.tab(t)
	dpo.do(t, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.CSS("#token")))
	dpo.signIn(t, A.token(t, "dpo"), "#view-dpo")
	req := fmt.Sprintf(`#dpo-queue tr[data-request="%s"]`, reqID)
	dpo.do(t, chromedp.WaitVisible(chromedp.CSS(req+" button.danger")))
	dpo.shot(t, shots, "dpo-queue")
	dpo.do(t, chromedp.Click(chromedp.CSS(req+" button.danger")), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")), chromedp.Click(chromedp.CSS("#confirm-ok")))
	certStatus := dpo.poll(t, `(e => e ? e.textContent : "")(document.querySelector("#cert-status"))`, 120*time.Second)
	if !strings.Contains(certStatus, "Certificate verified: complete") {
		// D runs no daemon: the certificate waits for it. D acknowledges when
		// it next goes on the network (here, checking the certificate); the
		// custodian then re-issues it, which the page fetches again.
		if !strings.Contains(certStatus, "waiting for 1 member") {
			t.Fatalf("erasure certificate before D acknowledged: %q", certStatus)
		}
		dpo.shot(t, shots, "dpo-certificate-pending")
		id := dpo.poll(t, `document.querySelector("#cert-status").dataset.erasure`, 5*time.Second)
		_, cert, err := rawCall("GET", A.api()+"/v1/erasures/"+id, A.token(t, "dpo"), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		certFile := filepath.Join(c.dir, "console-cert.json")
		if err := os.WriteFile(certFile, cert, 0o600); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 60*time.Second, "the console's certificate to verify complete", func() bool {
			c.D.cli(t, "", "--json", "erasure", "verify", "--allow-incomplete", certFile)
			dpo.do(t, chromedp.Click(chromedp.CSS("#cert-again")))
			time.Sleep(500 * time.Millisecond)
			certStatus = dpo.text(t, "#cert-status")
			return strings.Contains(certStatus, "complete —")
		})
	}
	if !strings.Contains(certStatus, "Certificate verified: complete") {
		t.Fatalf("erasure certificate: %q", certStatus)
	}
	dpo.shot(t, shots, "dpo-certificate")
	// The erased patient's token is dead and the queue names no one.
	if st, _ := call(t, "GET", A.api()+"/v1/me", patTok, "", nil); st != 401 && st != 403 {
		t.Errorf("the erased patient's token still answers %d on /v1/me", st)
	}
	_, raw, _ := rawCall("GET", A.api()+"/v1/erasures/requests", A.token(t, "dpo"), "", nil)
	if strings.Contains(string(raw), "MRN-UI") {
		t.Errorf("the erasure queue still names the erased patient: %s", raw)
	}

	// ---- nothing secret left the pages.
	kb, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	gr, err := fetch.OpenGranteeKey(kb, keys.Passphrase([]byte(e2eKeyPassphrase)))
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string][]byte{"key file": kb, "PRE secret key": gr.PRE.Bytes(), "signing seed": gr.Sign.Seed()}
	reqs := b.requests()
	proxied := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, "proxy: POST /v1/reencrypt") {
			proxied++
		}
	}
	if proxied < 10 {
		t.Fatalf("the proxy recorded %d re-encryption requests of the 10 batches: the recorder is not working", proxied)
	}
	for _, r := range reqs {
		if u, err := url.QueryUnescape(r); err == nil {
			r += "\n" + u // a secret sent percent-encoded in a URL or a form
		}
		if strings.Contains(r, e2eKeyPassphrase) {
			t.Errorf("a request carries the key's passphrase: %.200s", r)
		}
		for name, s := range secrets {
			for _, enc := range []string{hex.EncodeToString(s), base64.StdEncoding.EncodeToString(s), base64.RawURLEncoding.EncodeToString(s), string(s)} {
				if len(enc) >= 16 && strings.Contains(r, enc[:len(enc)/2]) {
					t.Errorf("a request carries the clinician's %s: %.200s", name, r)
				}
			}
		}
	}
	t.Logf("checked %d requests of the console's pages for secrets", len(reqs))
}

// checkFigures compares the page's figures with those of the readings
// `vaultnode fetch` returned, formatted as the page formats them.
// checkExports downloads the three exports of the chart's stream: JSON lines
// and CSV hold every reading vaultnode fetch returned (count and sum of the
// values), the FHIR Bundle one Observation a reading, valid against HL7's
// R4 schema.
func checkExports(t *testing.T, tb *tab, want []reading) {
	t.Helper()
	read := downloader(t, tb)
	var wantSum float64
	for _, r := range want {
		wantSum += r.Value
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

	lines := strings.Split(strings.TrimSpace(string(read("#export-jsonl", "glucose.jsonl"))), "\n")
	var sum float64
	for _, l := range lines {
		var r struct{ Value float64 }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("JSON lines export: %v: %s", err, l)
		}
		sum += r.Value
	}
	if len(lines) != len(want) || !near(sum, wantSum) {
		t.Errorf("JSON lines export: %d readings summing to %v, vaultnode fetch %d summing to %v", len(lines), sum, len(want), wantSum)
	}
	rows := strings.Split(strings.TrimSpace(string(read("#export-csv", "glucose.csv"))), "\n")
	sum = 0
	for _, row := range rows[1:] {
		f := strings.Split(row, ",")
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Fatalf("CSV export: %v: %s", err, row)
		}
		sum += v
	}
	if rows[0] != "time,value,unit,code,device,firmware_version,firmware_status" || len(rows)-1 != len(want) || !near(sum, wantSum) {
		t.Errorf("CSV export: header %q, %d readings summing to %v; vaultnode fetch %d summing to %v", rows[0], len(rows)-1, sum, len(want), wantSum)
	}
	raw := read("#export-fhir", "glucose.fhir.json")
	var bundle map[string]any
	if err := json.Unmarshal(raw, &bundle); err != nil {
		t.Fatalf("FHIR export: %v", err)
	}
	entries, _ := bundle["entry"].([]any)
	if len(entries) != len(want) {
		t.Errorf("FHIR export: %d entries, want %d", len(entries), len(want))
	}
	t.Run("FHIR export valid R4", func(t *testing.T) {
		// Every entry has the same shape: the schema check of the first 200
		// and the last keeps the test's time down.
		bundle["entry"] = append(entries[:min(200, len(entries)):min(200, len(entries))], entries[len(entries)-1])
		b, _ := json.Marshal(bundle)
		fhirschema.Check(t, "the console's FHIR export", b)
	})
}

func checkFigures(t *testing.T, tb *tab, want []reading) {
	t.Helper()
	n := float64(len(want))
	sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	below, above := 0, 0
	for _, r := range want {
		sum += r.Value
		lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
		if r.Value < 3.9 {
			below++
		} else if r.Value > 10.0 {
			above++
		}
	}
	mean := sum / n
	js := func(x float64, d int) string { return strconv.FormatFloat(x, 'f', d, 64) }
	wantStats := map[string]string{
		"count": strconv.Itoa(len(want)), "mean": js(mean, 2) + " mmol/L", "min": js(lo, 2), "max": js(hi, 2),
		"tir": js(100*float64(len(want)-below-above)/n, 1) + " %", "below": js(100*float64(below)/n, 1) + " %", "above": js(100*float64(above)/n, 1) + " %",
		"gmi": js(3.31+0.02392*mean*18.0156, 1) + " %",
	}
	for id, w := range wantStats {
		if got := tb.text(t, "#stat-"+id); got != w {
			t.Errorf("the page's %s is %q, vaultnode fetch gives %q", id, got, w)
		}
	}
	batches := tb.poll(t, `document.querySelectorAll('#batches-table tbody tr[data-status="verified"]').length`, 5*time.Second)
	if batches != "10" {
		t.Errorf("the page lists %s verified batches, want 10", batches)
	}
}

// ---------------------------------------------------------------------------
// A headless Chromium with one tab per user, recording every request.

type browser struct {
	ctx   context.Context
	mu    sync.Mutex
	log   []string
	alter map[string]string // path → "tamper" (flip a byte of the answer) or "withhold" (404)
}

func (b *browser) setAlter(m map[string]string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.alter = m
}

// proxyTo serves a recording HTTPS reverse proxy to the daemon API at api
// and returns its address: every request is logged (method, URL, headers,
// body) before it is forwarded.
func (b *browser) proxyTo(t *testing.T, api string) string {
	target, err := url.Parse(api)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target); r.Out.Host = target.Host },
		Transport: httpClient.Transport,
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var sb strings.Builder
		sb.WriteString("proxy: " + r.Method + " " + r.URL.String())
		for k, v := range r.Header {
			fmt.Fprintf(&sb, "\n%s: %v", k, v)
		}
		sb.Write(body)
		b.mu.Lock()
		b.log = append(b.log, sb.String())
		alter := b.alter[r.URL.Path]
		b.mu.Unlock()
		switch alter {
		case "withhold":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"no member holds this block","code":"not_found"}`)
			return
		case "tamper":
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if len(body) > 0 {
				body[len(body)/2] ^= 1
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

type tab struct {
	b   *browser
	ctx context.Context
}

func newBrowser(t *testing.T, path string) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
		// The daemons' API certificates are their own, self-signed.
		chromedp.Flag("ignore-certificate-errors", true),
		// Nothing outside this machine: no background connections.
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("no-first-run", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &browser{ctx: bctx}
}

func (b *browser) tab(t *testing.T) *tab {
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok {
			return
		}
		var sb strings.Builder
		sb.WriteString(e.Request.Method + " " + e.Request.URL)
		for k, v := range e.Request.Headers {
			fmt.Fprintf(&sb, "\n%s: %v", k, v)
		}
		for _, p := range e.Request.PostDataEntries {
			sb.Write(p.Bytes)
		}
		b.mu.Lock()
		b.log = append(b.log, sb.String())
		b.mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	return &tab{b: b, ctx: ctx}
}

func (b *browser) requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.log...)
}

func (tb *tab) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v (%s)", err, tb.describe())
	}
}

// describe is what the page shows, for a failure message.
func (tb *tab) describe() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | status: " + ((document.querySelector("#status") || {}).textContent || "") + " | " + document.body.innerText.slice(0, 300)`))
	if err != nil {
		return "page unreadable: " + err.Error()
	}
	return s
}

func (tb *tab) signIn(t *testing.T, token, view string) {
	t.Helper()
	tb.do(t, chromedp.SendKeys(chromedp.CSS("#token"), token), chromedp.Click(chromedp.CSS("#signin-form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(view)))
}

// outcome clears the page's status line, runs the steps and returns the
// status the page ends with (done or error).
func (tb *tab) outcome(t *testing.T, d time.Duration, steps ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	tb.do(t, append([]chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`(s => { s.textContent = ""; s.className = ""; })(document.querySelector("#status"))`)}, steps...)...)
	return tb.poll(t, `(s => s.className === "done" || s.className === "error" ? s.textContent : "")(document.querySelector("#status"))`, d)
}

// poll waits until the expression is truthy and returns it as text.
func (tb *tab) poll(t *testing.T, expr string, d time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, d+5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[any](expr, chromedp.WithPollingTimeout(d)))
	if err != nil {
		t.Fatalf("browser: waiting for %s: %v (%s)", expr, err, tb.describe())
	}
	return fmt.Sprint(v)
}

func (tb *tab) text(t *testing.T, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (tb *tab) eval(t *testing.T, expr string, out any) {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[json.RawMessage](expr))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(v, out); err != nil {
		t.Fatal(err)
	}
}

func (tb *tab) shot(t *testing.T, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// downloader makes the tab download into a new directory and returns a function that clicks an export
// button and returns the downloaded file's bytes once complete.
func downloader(t *testing.T, tb *tab) func(button, name string) []byte {
	t.Helper()
	dir := t.TempDir()
	if _, err := chromedp.Run(tb.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	return func(button, name string) []byte {
		t.Helper()
		tb.do(t, chromedp.Click(chromedp.CSS(button)))
		deadline := time.Now().Add(30 * time.Second)
		for {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if _, partial := os.Stat(filepath.Join(dir, name+".crdownload")); err == nil && len(b) > 0 && partial != nil {
				return b
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no %s downloaded within 30 s", button, name)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
