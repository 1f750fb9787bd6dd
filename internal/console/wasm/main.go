//go:build js && wasm

// Command wasm is the console's clinician client, compiled to WebAssembly
// and run in the clinician's browser (docs/UI.md). It opens the clinician's
// sealed key file with its passphrase in the page and runs internal/fetch
// against the daemon's API with the page's token: the ticket, one signed
// re-encryption request per batch, the cfrag proofs, decapsulation and the
// Merkle check of every reading against the chain. The keys stay in this
// module's memory; nothing secret is handed to JavaScript or sent.
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall/js"
	"time"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p/proxywire"
)

var grantee *proxywire.Grantee

func main() {
	api := js.Global().Get("Object").New()
	api.Set("openKey", js.FuncOf(openKey))
	api.Set("forgetKey", js.FuncOf(forgetKey))
	api.Set("warmUp", js.FuncOf(func(js.Value, []js.Value) any {
		return promise(func() (any, error) { return nil, warmUp() })
	}))
	api.Set("tickets", js.FuncOf(tickets))
	api.Set("fetch", js.FuncOf(fetchStream))
	js.Global().Set("vaultnodeWasm", api)
	if cb := js.Global().Get("vaultnodeWasmReady"); cb.Type() == js.TypeFunction {
		cb.Invoke()
	}
	select {}
}

// promise runs f off the JavaScript event loop and settles a Promise with
// its value, or rejects it with an Error carrying the message and class.
func promise(f func() (any, error)) js.Value {
	return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			v, err := f()
			if err != nil {
				e := js.Global().Get("Error").New(err.Error())
				e.Set("code", classOf(err))
				reject.Invoke(e)
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	}))
}

func classOf(err error) string {
	switch {
	case errors.Is(err, fetch.ErrAccessRefused):
		return "access_refused"
	case errors.Is(err, fetch.ErrIntegrity):
		return "integrity"
	case errors.Is(err, fetch.ErrBadInput):
		return "bad_input"
	case errors.Is(err, fetch.ErrNotFound):
		return "not_found"
	}
	return "internal"
}

// openKey(keyFileBytes Uint8Array, passphrase string) → Promise<public key hex>.
func openKey(_ js.Value, args []js.Value) any {
	if len(args) != 2 {
		return promise(func() (any, error) { return nil, fmt.Errorf("%w: openKey(keyFile, passphrase)", fetch.ErrBadInput) })
	}
	b := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(b, args[0])
	pass := []byte(args[1].String())
	return promise(func() (any, error) {
		defer clear(b)
		defer clear(pass)
		g, err := fetch.OpenGranteeKey(b, keys.Passphrase(pass))
		if err != nil {
			return nil, err
		}
		if grantee != nil {
			grantee.Wipe()
		}
		grantee = g
		return hex.EncodeToString(g.Public().Bytes()), nil
	})
}

func forgetKey(js.Value, []js.Value) any {
	if grantee != nil {
		grantee.Wipe()
		grantee = nil
	}
	return nil
}

// caller sends API requests with the page's token through the browser's
// fetch (Go's net/http on js), mapping error answers to fetch's classes.
func caller(token string, header ...string) fetch.Caller {
	return func(ctx context.Context, method, path, ctype string, body []byte) ([]byte, error) {
		var rd io.Reader
		if body != nil {
			rd = strings.NewReader(string(body))
		}
		req, err := http.NewRequestWithContext(ctx, method, path, rd)
		if err != nil {
			return nil, err
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Accept", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("the daemon does not answer: %w", err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		if err != nil {
			return nil, err
		}
		if resp.StatusCode < 300 {
			return b, nil
		}
		var class error
		switch resp.StatusCode {
		case http.StatusNotFound, http.StatusGone:
			class = fetch.ErrNotFound
		case http.StatusForbidden, http.StatusUnauthorized:
			class = fetch.ErrAccessRefused
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			class = fetch.ErrBadInput
		default:
			return b, fmt.Errorf("%s %s: the daemon answered %s: %s", method, path, resp.Status, strings.TrimSpace(string(b[:min(len(b), 300)])))
		}
		return b, fmt.Errorf("%w: %s", class, strings.TrimSpace(string(b[:min(len(b), 300)])))
	}
}

// tickets(token) → Promise<JSON text of the grants the key holds>.
func tickets(_ js.Value, args []js.Value) any {
	token := args[0].String()
	return promise(func() (any, error) {
		if grantee == nil {
			return nil, fmt.Errorf("%w: load your key file first", fetch.ErrBadInput)
		}
		proof := fetch.TicketProof(grantee, time.Now())
		b, err := caller(token, fetch.TicketProofHeader, proof)(context.Background(), "GET", "/v1/tickets?grantee="+hex.EncodeToString(grantee.Public().Bytes()), "", nil)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	})
}

// fetch(token, ticket[, shard, shards]) → Promise<{times: Float64Array
// (ms), values: Float64Array, unit, code, batches, verified, proxies,
// pending, fw: Uint16Array, firmwares}>: fw[i] is 0 for a reading without a
// firmware flag, else 1 + the index in firmwares of its {device, version,
// status, note} (readings from a recalled firmware are shown as such). With shard and shards, only the batches whose position modulo
// shards is shard (the console's workers each take a share).
func fetchStream(_ js.Value, args []js.Value) any {
	token, ticket := args[0].String(), args[1].String()
	var only func(int) bool
	if len(args) == 4 && args[3].Type() == js.TypeNumber && args[3].Int() > 1 {
		shard, shards := args[2].Int(), args[3].Int()
		only = func(i int) bool { return i%shards == shard }
	}
	return promise(func() (any, error) {
		if grantee == nil {
			return nil, fmt.Errorf("%w: load your key file first", fetch.ErrBadInput)
		}
		t, err := fetch.ParseTicket(ticket)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		src := fetch.HTTPSource{Call: caller(token)}
		res, err := fetch.FetchFrom(context.Background(), src, fetch.FetchRequest{Grantee: grantee, Ticket: t, PendingWait: -1, Batches: only, KeepGoing: true})
		if err != nil {
			return nil, err
		}
		n := len(res.Readings)
		times := js.Global().Get("Float64Array").New(n)
		values := js.Global().Get("Float64Array").New(n)
		tb := make([]float64, n)
		vb := make([]float64, n)
		unit, code := "", ""
		batches := map[string]int{}
		var order []string
		fw := make([]byte, 2*n) // little-endian uint16 a reading
		var labels []*firmwareLabel
		byKey := map[firmwareLabel]uint16{}
		var prevExtra, prevDevice string
		var prevIdx uint16
		for i, rd := range res.Readings {
			tb[i] = float64(rd.Time.UnixMilli())
			vb[i] = rd.Value
			unit, code = rd.Unit, rd.Code
			// Readings of a batch share their Extra string (store's decoder), so the flag is parsed once a
			// batch, not once a reading.
			if rd.Extra != "" {
				if rd.Extra != prevExtra || rd.Device != prevDevice {
					prevExtra, prevDevice, prevIdx = rd.Extra, rd.Device, 0
					if f := fetch.FirmwareOf(rd); f != nil {
						l := firmwareLabel{Device: rd.Device, Version: f.Version, Status: f.Status}
						idx, ok := byKey[l]
						if !ok && len(labels) < 65535 {
							labels = append(labels, &l)
							idx = uint16(len(labels))
							byKey[l] = idx
						}
						prevIdx = idx
					}
				}
				fw[2*i], fw[2*i+1] = byte(prevIdx), byte(prevIdx>>8)
			}
			root := res.Refs[i].Root.String()
			if _, ok := batches[root]; !ok {
				order = append(order, root)
			}
			batches[root]++
		}
		copyFloats(times, tb)
		copyFloats(values, vb)
		out := js.Global().Get("Object").New()
		out.Set("times", times)
		out.Set("values", values)
		out.Set("unit", unit)
		out.Set("code", code)
		out.Set("verified", res.Verified)
		out.Set("pending", res.Pending)
		out.Set("pendingReason", res.PendingReason)
		out.Set("millis", time.Since(start).Milliseconds())
		fwArr := js.Global().Get("Uint16Array").New(n)
		if len(labels) > 0 {
			js.CopyBytesToJS(js.Global().Get("Uint8Array").New(fwArr.Get("buffer")), fw)
		}
		out.Set("fw", fwArr)
		fs := js.Global().Get("Array").New()
		for _, l := range labels {
			o := js.Global().Get("Object").New()
			o.Set("device", l.Device)
			o.Set("version", l.Version)
			o.Set("status", l.Status)
			o.Set("note", fetch.FirmwareNote(l.Status))
			fs.Call("push", o)
		}
		out.Set("firmwares", fs)
		bs := js.Global().Get("Array").New()
		for _, r := range order {
			b := js.Global().Get("Object").New()
			b.Set("cid", r)
			b.Set("readings", batches[r])
			b.Set("status", "verified")
			bs.Call("push", b)
		}
		for _, f := range res.Failed {
			b := js.Global().Get("Object").New()
			b.Set("cid", f.Root)
			b.Set("readings", 0)
			b.Set("status", map[bool]string{true: "missing", false: "tampered"}[f.Missing])
			b.Set("reason", f.Reason)
			bs.Call("push", b)
		}
		out.Set("batches", bs)
		ps := js.Global().Get("Array").New()
		for _, p := range res.Proxies {
			ps.Call("push", p)
		}
		out.Set("proxies", ps)
		return out, nil
	})
}

// copyFloats fills a JavaScript Float64Array from Go in one copy (through
// its bytes), not one call per element.
func copyFloats(dst js.Value, src []float64) {
	if len(src) == 0 {
		return
	}
	u8 := js.Global().Get("Uint8Array").New(dst.Get("buffer"))
	b := make([]byte, 8*len(src))
	for i, f := range src {
		putFloat(b[8*i:], f)
	}
	js.CopyBytesToJS(u8, b)
}

// firmwareLabel is what the console shows of a reading's firmware flag.
type firmwareLabel struct{ Device, Version, Status string }
