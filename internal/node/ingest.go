package node

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"
	"github.com/valyala/fastjson"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
	"github.com/vaultnode/vaultnode/store/zkclaim"
)

// Errors of ingestion, matched with errors.Is by the CLI and the API.
var (
	// ErrBadInput: the batch is malformed (JSON, fields, sizes).
	ErrBadInput = fetch.ErrBadInput
	// ErrBadSignature: the device signature does not verify.
	ErrBadSignature = errors.New("invalid device signature")
	// ErrDeviceRefused: the device is unknown or revoked (locally or on-chain).
	ErrDeviceRefused = errors.New("device not allowed")
	// ErrAccessRefused: a grant does not allow the access (no grant, revoked, expired, erased).
	ErrAccessRefused = fetch.ErrAccessRefused
	// ErrIntegrity: stored or fetched data does not match its on-chain commitment.
	ErrIntegrity = fetch.ErrIntegrity
	// ErrNotFound: no such object.
	ErrNotFound = fetch.ErrNotFound
	// ErrReplicasUnavailable: a batch is durable here but fewer members
	// than the write concern hold it; the submission is not acknowledged
	// and may be retried as it is (it is not stored twice).
	ErrReplicasUnavailable = errors.New("replicas unavailable")
)

// BatchDomain prefixes the bytes a device signs; BatchDomainFirmware those of a batch that declares its
// firmware.
const (
	BatchDomain         = "vaultnode/device-batch/v1\n"
	BatchDomainFirmware = "vaultnode/device-batch/v2\n"
)

// Firmware is what a device declares, in its signed batch, about the firmware that produced the batch: the
// release version and the SHA-256 of the image it runs (docs/DEVICES.md).
type Firmware struct {
	Version string
	Image   [32]byte
}

// maxFirmwareVersion bounds a declared version (the registry's bound).
const maxFirmwareVersion = pointers.MaxFirmwareVersion

// checkFirmwareVersion: the registry's rule for a version (pointers.CheckFirmwareVersion).
func checkFirmwareVersion(v string) error { return pointers.CheckFirmwareVersion(v) }

// firmwarePrefix is the signed message's prefix of a batch: the domain and device id, and with declared
// firmware the line "firmware <version> <image hex>".
func firmwarePrefix(device string, fw *Firmware) []byte {
	if fw == nil {
		return append(append([]byte(BatchDomain), device...), '\n')
	}
	b := append(append([]byte(BatchDomainFirmware), device...), '\n')
	b = append(append(append(b, "firmware "...), fw.Version...), ' ')
	b = hex.AppendEncode(b, fw.Image[:])
	return append(b, '\n')
}

// BatchMessage is the canonical batch bytes a device signs (docs/API.md,
// "Device batches"):
//
//	"vaultnode/device-batch/v1\n" || device id || "\n" || for each reading line: line || "\n"
//
// where each line is the reading's JSON object exactly as sent, without its
// line terminator (CR LF or LF); empty lines are not part of the batch.
func BatchMessage(device string, lines [][]byte) []byte {
	return BatchMessageFirmware(device, nil, lines)
}

// BatchMessageFirmware is BatchMessage of a batch that declares its firmware (fw nil: BatchMessage):
//
//	"vaultnode/device-batch/v2\n" || device id || "\n" || "firmware " || version || " " || hex(image) || "\n" || lines as above
func BatchMessageFirmware(device string, fw *Firmware, lines [][]byte) []byte {
	pre := firmwarePrefix(device, fw)
	n := len(pre)
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, pre...)
	for _, l := range lines {
		b = append(b, l...)
		b = append(b, '\n')
	}
	return b
}

// SignedBatch renders readings lines plus the signature line.
func SignedBatch(priv ed25519.PrivateKey, device string, lines [][]byte) []byte {
	return SignedBatchFirmware(priv, device, nil, lines)
}

// SignedBatchFirmware is SignedBatch declaring the firmware (fw nil: SignedBatch): the signature line is
// {"sig":"<base64>","firmware":{"version":"<v>","image":"<hex>"}}.
func SignedBatchFirmware(priv ed25519.PrivateKey, device string, fw *Firmware, lines [][]byte) []byte {
	sig := ed25519.Sign(priv, BatchMessageFirmware(device, fw, lines))
	var buf bytes.Buffer
	for _, l := range lines {
		buf.Write(l)
		buf.WriteByte('\n')
	}
	if fw == nil {
		fmt.Fprintf(&buf, "{\"sig\":\"%s\"}\n", base64.StdEncoding.EncodeToString(sig))
	} else {
		fmt.Fprintf(&buf, "{\"sig\":\"%s\",\"firmware\":{\"version\":%q,\"image\":\"%x\"}}\n", base64.StdEncoding.EncodeToString(sig), fw.Version, fw.Image)
	}
	return buf.Bytes()
}

// ReadingJSON is the wire form of one reading (docs/PRODUCT.md §6).
type ReadingJSON struct {
	Device  string    `json:"device"`
	Patient string    `json:"patient"`
	Stream  string    `json:"stream"`
	Time    time.Time `json:"time"`
	Value   *float64  `json:"value"`
	Unit    string    `json:"unit"`
	Code    string    `json:"code"`
	// Extra: what a FHIR Observation carries besides the reading
	// (identifier, interpretation, referenceRange), sealed with it
	// (store.Reading.Extra); never on the JSON-lines wire.
	Extra string `json:"-"`
}

// DeviceBatch is a parsed, not yet verified, device batch.
type DeviceBatch struct {
	Lines    [][]byte
	Readings []ReadingJSON
	Sig      []byte
	// Firmware is what the signature line declares (nil: nothing; the signature then covers BatchMessage).
	Firmware *Firmware
	// Message, when set, is what the signature covers instead of
	// BatchMessage(device, Lines) (FHIR submissions).
	Message []byte
	// LineNos: reading i is on line LineNos[i] of the submission (JSON
	// lines); Paths: its FHIRPath (FHIR). Refusals name them.
	LineNos []int
	Paths   []string

	// buf, when set by ParseBatch, holds headroom bytes, then every line of
	// Lines followed by "\n", in order: BatchMessage(device, Lines) is built
	// in place by writing its prefix into the headroom (no copy of the batch).
	buf      []byte
	headroom int
}

// message returns BatchMessage(device, b.Lines), in place when possible.
func (b *DeviceBatch) message(device string) []byte {
	pre := firmwarePrefix(device, b.Firmware)
	if b.buf == nil || len(pre) > b.headroom {
		return BatchMessageFirmware(device, b.Firmware, b.Lines)
	}
	m := b.buf[b.headroom-len(pre):]
	copy(m, pre)
	return m
}

// batchHeadroom leaves room for the message prefix of any device id the
// store accepts, with a firmware line.
const batchHeadroom = len(BatchDomainFirmware) + store.MaxDeviceLen + 1 + len("firmware ") + maxFirmwareVersion + 1 + 64 + 1

// ParseBatch reads a device batch: JSON lines of readings and a final
// {"sig":"<base64>"} line. Errors name the line.
func ParseBatch(r io.Reader, maxLine int) (*DeviceBatch, error) {
	er := &errReader{r: r}
	b, err := parseBatch(er, maxLine)
	if er.err != nil {
		// The input was cut short (body limit, I/O error): report that, not
		// the truncated line it left.
		return nil, fmt.Errorf("read batch: %w", er.err)
	}
	return b, err
}

// sizeHint guesses the size of what r holds (readers that know their
// length, files), bounded to 256 MiB; 0 if unknown.
func sizeHint(r io.Reader) int {
	var n int64
	switch v := r.(type) {
	case *errReader:
		return sizeHint(v.r)
	case interface{ Len() int }:
		n = int64(v.Len())
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			n = st.Size()
		}
	}
	return int(min(max(n, 0), 256<<20))
}

// errReader remembers the first read error other than EOF.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

func parseBatch(r io.Reader, maxLine int) (*DeviceBatch, error) {
	if maxLine <= 0 {
		maxLine = 4096
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine+2)
	b := &DeviceBatch{}
	// Pass 1 (sequential, cheap): split lines, copying the reading lines
	// into one buffer, and read the signature line.
	var (
		data    = make([]byte, batchHeadroom, batchHeadroom+sizeHint(r))
		offs    []int // reading k is data[offs[k]:offs[k+1]]
		lineNos []int // its line number in the submission
		ln      int
		scanErr error
		scanLn  int
	)
	for sc.Scan() {
		ln++
		line := bytes.TrimRight(sc.Bytes(), "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if b.Sig != nil {
			scanErr, scanLn = fmt.Errorf("%w: line %d: data after the signature line", ErrBadInput, ln), ln
			break
		}
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte(`{"sig"`)) {
			var s struct {
				Sig      string `json:"sig"`
				Firmware *struct {
					Version string `json:"version"`
					Image   string `json:"image"`
				} `json:"firmware"`
			}
			if err := strictJSON(line, &s); err != nil {
				scanErr, scanLn = fmt.Errorf("%w: line %d: signature line: %v", ErrBadInput, ln, err), ln
				break
			}
			if s.Firmware != nil {
				img, err := hex.DecodeString(s.Firmware.Image)
				if err == nil && len(img) != 32 {
					err = fmt.Errorf("%d bytes", len(img))
				}
				if err != nil {
					scanErr, scanLn = fmt.Errorf("%w: line %d: firmware image: want the SHA-256 of the image, 64 hex digits (%v)", ErrBadInput, ln, err), ln
					break
				}
				if err := checkFirmwareVersion(s.Firmware.Version); err != nil {
					scanErr, scanLn = fmt.Errorf("%w: line %d: %v", ErrBadInput, ln, err), ln
					break
				}
				b.Firmware = &Firmware{Version: s.Firmware.Version, Image: [32]byte(img)}
			}
			sig, err := base64.StdEncoding.DecodeString(s.Sig)
			if err != nil || len(sig) != ed25519.SignatureSize {
				scanErr, scanLn = fmt.Errorf("%w: line %d: signature is not %d bytes of base64", ErrBadSignature, ln, ed25519.SignatureSize), ln
				break
			}
			b.Sig = sig
			continue
		}
		offs = append(offs, len(data))
		lineNos = append(lineNos, ln)
		if len(data)+len(line)+1 > cap(data) {
			// Double (append grows large slices by 1.25x: many copies of
			// a multi-megabyte batch).
			grown := make([]byte, len(data), max(2*cap(data), len(data)+len(line)+1, 64<<10))
			copy(grown, data)
			data = grown
		}
		data = append(data, line...)
		data = append(data, '\n')
	}
	offs = append(offs, len(data))
	if scanErr == nil {
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				scanErr, scanLn = fmt.Errorf("%w: line %d: longer than %d bytes", ErrBadInput, ln+1, maxLine), ln+1
			} else {
				return nil, fmt.Errorf("read batch: %w", err)
			}
		}
	}
	// Pass 2: decode the reading lines, in parallel chunks; the error
	// reported is the one of the first line at fault, as a sequential
	// decoder would report it.
	k := len(lineNos)
	b.Lines = make([][]byte, k)
	b.Readings = make([]ReadingJSON, k)
	for i := range k {
		end := offs[i+1] - 1 // without the "\n"
		b.Lines[i] = data[offs[i]:end:end]
	}
	b.buf, b.headroom, b.LineNos = data, batchHeadroom, lineNos
	workers := min(runtime.GOMAXPROCS(0), max(1, k/2048))
	chunk := (k + workers - 1) / max(workers, 1)
	errAt := make([]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, k)
		errAt[w] = -1
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := newLineDecoder()
			for i := lo; i < hi; i++ {
				if err := d.decode(b.Lines[i], &b.Readings[i]); err != nil {
					errAt[w], errs[w] = i, fmt.Errorf("%w: line %d: %v", ErrBadInput, lineNos[i], err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		if errAt[w] >= 0 {
			if scanErr != nil && scanLn < lineNos[errAt[w]] {
				return nil, scanErr
			}
			return nil, errs[w]
		}
	}
	if scanErr != nil {
		return nil, scanErr
	}
	if len(b.Readings) == 0 {
		return nil, fmt.Errorf("%w: no readings", ErrBadInput)
	}
	if b.Sig == nil {
		return nil, fmt.Errorf("%w: no signature line ({\"sig\":...}) at the end of the batch", ErrBadSignature)
	}
	return b, nil
}

// lineDecoder decodes reading lines. Lines in the plain form every device
// sends (printable ASCII, no escapes, the docs/PRODUCT.md §6 keys exactly once, each of
// its JSON type) take a fast path: a JSON validity check, then fastjson,
// then the same field conversions encoding/json makes. Every other line
// goes through encoding/json (strictJSON), which decides and words the
// error. FuzzLineDecoder checks that the fast path accepts only what
// strictJSON accepts, with identical values.
type lineDecoder struct {
	p      fastjson.Parser
	intern map[string]string
}

func newLineDecoder() *lineDecoder { return &lineDecoder{intern: map[string]string{}} }

func (d *lineDecoder) decode(line []byte, rj *ReadingJSON) error {
	if !d.fast(line, rj) {
		*rj = ReadingJSON{}
		if err := strictJSON(line, rj); err != nil {
			return err
		}
	}
	switch {
	case rj.Device == "":
		return fmt.Errorf("missing \"device\"")
	case rj.Patient == "":
		return fmt.Errorf("missing \"patient\"")
	case rj.Stream == "":
		return fmt.Errorf("missing \"stream\"")
	case rj.Time.IsZero():
		return fmt.Errorf("missing \"time\"")
	case rj.Value == nil:
		return fmt.Errorf("missing \"value\"")
	case math.IsNaN(*rj.Value) || math.IsInf(*rj.Value, 0):
		return fmt.Errorf("value is not finite")
	}
	if err := keys.ValidateStreamName(rj.Stream); err != nil {
		return fmt.Errorf("stream: %v", err)
	}
	return nil
}

// str returns b as a string, sharing one copy per distinct value (device,
// patient, unit and code repeat on every line of a batch).
func (d *lineDecoder) str(b []byte) string {
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.intern) < 1024 {
		d.intern[s] = s
	}
	return s
}

// fast decodes line into rj if it is in the plain form; false means "use
// strictJSON" (not necessarily that the line is invalid).
func (d *lineDecoder) fast(line []byte, rj *ReadingJSON) bool {
	for _, c := range line {
		if c < 0x20 || c > 0x7e || c == '\\' {
			return false
		}
	}
	// fastjson checks the structure (objects, strings, literals, no
	// trailing data) but is lenient about number literals; the only number
	// accepted here, "value", is checked against the JSON grammar below.
	v, err := d.p.ParseBytes(line)
	if err != nil || v.Type() != fastjson.TypeObject {
		return false
	}
	o, _ := v.Object()
	var seen uint8
	ok := true
	o.Visit(func(key []byte, fv *fastjson.Value) {
		if !ok {
			return
		}
		var bit uint8
		var dst *string
		switch string(key) {
		case "device":
			bit, dst = 1, &rj.Device
		case "patient":
			bit, dst = 2, &rj.Patient
		case "stream":
			bit, dst = 4, &rj.Stream
		case "unit":
			bit, dst = 8, &rj.Unit
		case "code":
			bit, dst = 16, &rj.Code
		case "time":
			bit = 32
		case "value":
			bit = 64
		default:
			ok = false
			return
		}
		if seen&bit != 0 {
			ok = false
			return
		}
		seen |= bit
		switch {
		case dst != nil:
			sb, err := fv.StringBytes()
			if err != nil {
				ok = false
				return
			}
			*dst = d.str(sb)
		case bit == 32:
			sb, err := fv.StringBytes()
			if err != nil || rj.Time.UnmarshalText(sb) != nil {
				ok = false
			}
		case bit == 64:
			if fv.Type() != fastjson.TypeNumber {
				ok = false
				return
			}
			var num [32]byte
			lit := fv.MarshalTo(num[:0])
			if !jsonNumber(lit) {
				ok = false
				return
			}
			f, err := strconv.ParseFloat(string(lit), 64)
			if err != nil {
				ok = false
				return
			}
			rj.Value = &f
		}
	})
	return ok
}

// jsonNumber reports whether b is a number literal of the JSON grammar
// (RFC 8259 §6): -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(b []byte) bool {
	i, n := 0, len(b)
	digits := func() int {
		j := i
		for i < n && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < n && b[i] == '-' {
		i++
	}
	switch {
	case i < n && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < n && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < n && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == n
}

func strictJSON(line []byte, v any) error {
	// encoding/json would replace invalid UTF-8 with U+FFFD and keep the
	// last of duplicate keys (matched case-insensitively): the stored
	// reading would not be what the signed bytes say to another parser.
	if !utf8.Valid(line) {
		return fmt.Errorf("invalid JSON: not valid UTF-8")
	}
	if k, dup := duplicateKey(line); dup {
		return fmt.Errorf("invalid JSON: key %q appears more than once", k)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("invalid JSON: trailing data")
	}
	return nil
}

// duplicateKey reports a key that appears twice (compared as encoding/json
// matches keys to fields: case-insensitively) in the same object of line,
// at any depth. Malformed JSON is left to the decoder to report.
func duplicateKey(line []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(line))
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool // the next token in this object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expect {
			if k, ok := tok.(string); ok {
				lk := strings.ToLower(k)
				if top.keys[lk] {
					return k, true
				}
				top.keys[lk] = true
				top.expect = false
				continue
			}
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, expect: true})
				continue
			case '[':
				stack = append(stack, &frame{})
				continue
			default: // '}' or ']'
				stack = stack[:len(stack)-1]
			}
		}
		// A value ended: in an object, a key comes next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].expect = true
		}
	}
}

// BatchReceipt acknowledges one stored batch.
type BatchReceipt struct {
	Patient  string   `json:"patient"` // pseudonym
	Stream   string   `json:"stream"`
	Seq      uint64   `json:"seq"`
	Root     string   `json:"root"`
	Count    int      `json:"count"`
	Lines    []int    `json:"-"` // reading index in the batch → index of the reading in the submission
	Replicas []string `json:"replicas"`
}

// Receipt acknowledges an ingested device batch. Reading i of batch b is
// the b.Lines[i]-th reading of the submission; readings keep their
// submission order inside a batch.
type Receipt struct {
	Device   string         `json:"device"`
	Readings int            `json:"readings"`
	Batches  []BatchReceipt `json:"batches"`
	// Replayed: this submission was acknowledged before (a retry); the
	// receipt is the original one and nothing was stored again.
	Replayed bool `json:"replayed,omitempty"`
}

// Ingest verifies, seals, stores durably, replicates and commits a device batch.
// Nothing is stored unless every check passes.
func (n *Node) Ingest(ctx context.Context, device string, b *DeviceBatch) (*Receipt, error) {
	dev, err := n.Keys.Device(ctx, device)
	if errors.Is(err, keys.ErrUnknownDevice) || errors.Is(err, keys.ErrInvalid) {
		return nil, fmt.Errorf("%w: unknown device %q", ErrDeviceRefused, device)
	}
	if err != nil {
		return nil, err
	}
	if dev.Status != keys.DeviceActive {
		return nil, fmt.Errorf("%w: device %q is revoked", ErrDeviceRefused, device)
	}
	msg := b.Message
	if msg == nil {
		msg = b.message(device)
	}
	if !ed25519.Verify(dev.PublicKey, msg, b.Sig) {
		return nil, fmt.Errorf("%w: batch signature does not verify with the key of device %q", ErrBadSignature, device)
	}
	if err := b.checkRules(); err != nil {
		return nil, err
	}
	onChain, err := n.Chain.ActiveDevice(ctx, n.d.deviceIDHash(device))
	switch {
	case errors.Is(err, pointers.ErrDeviceRevoked):
		return nil, fmt.Errorf("%w: device %q is revoked on-chain", ErrDeviceRefused, device)
	case errors.Is(err, pointers.ErrUnknownDevice):
		return nil, fmt.Errorf("%w: device %q is not registered on-chain", ErrDeviceRefused, device)
	case err != nil:
		return nil, fmt.Errorf("check device on-chain: %w", err)
	}
	if !bytes.Equal(onChain.PubKey, dev.PublicKey) {
		return nil, fmt.Errorf("%w: device %q key differs on-chain", ErrDeviceRefused, device)
	}
	// The firmware that produced the batch, checked against the lifecycle registry; the flag is sealed with
	// every reading.
	fwFlag := n.firmwareFlag(ctx, dev, b.Firmware)
	if err := n.refusesFirmware(fwFlag); err != nil {
		return nil, err
	}
	var fwJSON []byte
	if fwFlag != nil {
		fwJSON, _ = json.Marshal(fwFlag)
	}
	type gkey struct {
		p keys.Pseudonym
		s string
	}
	type group struct {
		key   gkey
		rs    []store.Reading
		lines []int
	}
	// Pass 1: resolve patients and assign each reading its group; pass 2
	// fills groups allocated to their exact size.
	idx := map[gkey]int{}
	var groups []*group
	var counts []int
	gi := make([]int32, len(b.Readings))
	resolved := map[string]keys.Pseudonym{}
	for i := range b.Readings {
		rj := &b.Readings[i]
		if rj.Device != device {
			return nil, fmt.Errorf("%w: reading %d: device %q in a batch signed by %q", ErrBadInput, i+1, rj.Device, device)
		}
		p, ok := resolved[rj.Patient]
		if !ok {
			pt, err := n.Keys.ResolvePatient(ctx, rj.Patient)
			if err != nil {
				if errors.Is(err, keys.ErrUnknownPatient) || errors.Is(err, keys.ErrDestroyed) || errors.Is(err, keys.ErrInvalid) {
					return nil, fmt.Errorf("%w: reading %d: unknown patient (not enrolled on this node)", ErrBadInput, i+1)
				}
				return nil, err
			}
			p = pt.Pseudonym
			resolved[rj.Patient] = p
		}
		k := gkey{p, rj.Stream}
		j, ok := idx[k]
		if !ok {
			j = len(groups)
			idx[k] = j
			groups = append(groups, &group{key: k})
			counts = append(counts, 0)
		}
		counts[j]++
		gi[i] = int32(j)
	}
	for j, g := range groups {
		g.rs = make([]store.Reading, 0, counts[j])
		g.lines = make([]int, 0, counts[j])
	}
	for i := range b.Readings {
		rj := &b.Readings[i]
		g := groups[gi[i]]
		extra := rj.Extra
		if fwJSON != nil {
			var err error
			if extra, err = withFirmware(extra, fwJSON); err != nil {
				return nil, fmt.Errorf("%w: reading %d: %v", ErrBadInput, i+1, err)
			}
		}
		g.rs = append(g.rs, store.Reading{Device: rj.Device, Patient: g.key.p, Stream: rj.Stream, Time: rj.Time, Value: *rj.Value, Unit: rj.Unit, Code: rj.Code, Extra: extra})
		if err := store.ValidateReading(&g.rs[len(g.rs)-1]); err != nil {
			return nil, fmt.Errorf("%w: reading %d: %v", ErrBadInput, i+1, err)
		}
		g.lines = append(g.lines, i)
	}
	// Split into batches and seal them (in parallel).
	type job struct {
		st     keys.Stream
		rs     []store.Reading
		lines  []int
		seq    uint64
		sb     *store.SealedBatch
		root   cid.Cid
		merkle [32]byte
		claim  [32]byte // the claim root (zero: the stream makes no claims)
		stored bool     // by an earlier attempt of the same submission
		err    error
	}
	var jobs []*job
	maxN := n.Cfg.Ingest.MaxBatchReadings
	if maxN <= 0 || maxN > store.MaxBatchReadings {
		maxN = 50_000
	}
	for _, g := range groups {
		k := g.key
		st, err := n.Keys.EnsureStream(ctx, k.p, k.s)
		if err != nil {
			return nil, fmt.Errorf("stream %q: %w", k.s, err)
		}
		// A claim root commits at most zkclaim.DefaultCapacity readings.
		lim := maxN
		if n.claimsOn(k.s) {
			lim = min(maxN, zkclaim.DefaultCapacity)
		}
		for off := 0; off < len(g.rs); off += lim {
			end := min(off+lim, len(g.rs))
			jobs = append(jobs, &job{st: st, rs: g.rs[off:end], lines: g.lines[off:end]})
		}
	}
	// seqMu covers sequence reservation, sealing, storing and queueing the
	// commitments (a stream's commitments must reach the committer in
	// sequence order); replication, the slow part, runs after it, so
	// submissions overlap their waits for the replicas.
	// The same submission again (a retry): answer it from its record. A
	// retry that arrives while an attempt is still running (replicating,
	// after seqMu) waits for that attempt to finish, then reads its record.
	id := n.d.ingestID(device, msg)
	release, err := n.claimIngest(ctx, id)
	if err != nil {
		return nil, err
	}
	defer release()
	n.seqMu.Lock()
	locked := true
	defer func() {
		if locked {
			n.seqMu.Unlock()
		}
	}()
	prev, err := n.loadIngest(ctx, id)
	if err != nil {
		return nil, err
	}
	if prev != nil && len(prev.Seqs) != len(jobs) {
		prev = nil // batched differently (the batch size changed): a new submission
	}
	if prev != nil && prev.Done && len(prev.Roots) == len(jobs) {
		rec := &Receipt{Device: device, Readings: len(b.Readings), Replayed: true}
		for i, j := range jobs {
			reps := []string{}
			if i < len(prev.Replicas) && prev.Replicas[i] != nil {
				reps = prev.Replicas[i]
			}
			rec.Batches = append(rec.Batches, BatchReceipt{Patient: j.st.Patient.String(), Stream: j.st.Name, Seq: prev.Seqs[i], Root: prev.Roots[i],
				Count: len(j.rs), Lines: j.lines, Replicas: reps})
		}
		return rec, nil
	}
	record := &ingestRecord{Version: 1, Time: time.Now().Unix()}
	if prev != nil {
		// An attempt that did not finish: the same sequence numbers, and
		// the batches it already stored.
		record = prev
		for i, j := range jobs {
			j.seq = prev.Seqs[i]
			root, ok, err := n.storedRoot(ctx, j.st.Tag, j.seq)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			hdr, chunks, err := store.ReadRoot(ctx, n.Store, root)
			if err != nil || hdr.StreamTag != j.st.Tag || hdr.Seq != j.seq || int(hdr.Count) != len(j.rs) {
				continue // not this submission's batch: seal it again
			}
			j.root, j.merkle, j.stored = root, hdr.MerkleRoot, true
			if n.Gate != nil {
				// Stored before a restart, replicated now: served to the
				// replicas like a batch sealed since the start, before the
				// purge sync opens the gate (only this node could have
				// erased its patient, and it was down). Else the replicas
				// wait for blocks the gate refuses, and the retry with them.
				n.Gate.Admit(root)
				for _, c := range chunks {
					n.Gate.Admit(c)
				}
			}
		}
	} else {
		// Reserve sequence numbers durably before sealing: a crash leaves a
		// gap, never a reused number.
		next := map[keys.Tag]uint64{}
		for _, j := range jobs {
			t := j.st.Tag
			if _, ok := next[t]; !ok {
				s, err := n.lastSeq(ctx, j.st)
				if err != nil {
					return nil, err
				}
				next[t] = s
			}
			next[t]++
			j.seq = next[t]
			record.Seqs = append(record.Seqs, j.seq)
		}
		for t, s := range next {
			if err := n.setLastSeq(ctx, t, s); err != nil {
				return nil, err
			}
		}
		if err := n.pruneIngest(ctx, time.Now(), 256); err != nil {
			n.Log.Warn("prune ingest records", "err", err)
		}
		if err := n.saveIngest(ctx, id, record, true); err != nil {
			return nil, err
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		claims := n.claimsOn(j.st.Name)
		if j.stored && !claims {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if claims {
				// Recomputed by a resumed attempt too: the root is a function of the readings and the
				// stream's claim secret.
				if j.claim, j.err = claimRoot(j.st, j.seq, j.rs); j.err != nil || j.stored {
					return
				}
			}
			capsule, dek, err := reencrypt.Encapsulate(rand.Reader, j.st.PublicKey)
			if err != nil {
				j.err = err
				return
			}
			defer wipe(dek[:])
			j.sb, j.err = store.Seal(store.SealParams{DEK: &dek, Capsule: fetch.EncodeBatchCapsule(j.st.PublicKey, capsule), StreamTag: j.st.Tag, Seq: j.seq,
				Stream: j.st.Name, Patient: j.st.Patient}, j.rs)
			if j.err == nil {
				j.root, j.merkle = j.sb.Root, j.sb.Header.MerkleRoot
			}
		}()
	}
	wg.Wait()
	sbs := make([]*store.SealedBatch, 0, len(jobs))
	for _, j := range jobs {
		if j.err != nil {
			return nil, fmt.Errorf("%w: seal stream %q: %w", ErrBadInput, j.st.Name, j.err)
		}
		if !j.stored {
			sbs = append(sbs, j.sb)
		}
	}
	if err := n.Store.PutBatches(ctx, sbs); err != nil {
		return nil, fmt.Errorf("store batches: %w", err)
	}
	if n.Gate != nil {
		// Served to the replicas even before the purge sync opens the gate.
		for _, sb := range sbs {
			for _, b := range sb.Blocks {
				n.Gate.Admit(b.Cid())
			}
		}
	}
	rec := &Receipt{Device: device, Readings: len(b.Readings)}
	var cs []pointers.Commitment
	for _, j := range jobs {
		if !j.stored {
			if err := n.indexBatch(ctx, j.st.Tag, j.seq, j.root); err != nil {
				return nil, err
			}
			if err := n.indexFirmware(ctx, dev, fwFlag, j.root, j.st.Name, j.rs); err != nil {
				return nil, err
			}
		}
		rec.Batches = append(rec.Batches, BatchReceipt{Patient: j.st.Patient.String(), Stream: j.st.Name, Seq: j.seq, Root: j.root.String(), Count: len(j.rs), Lines: j.lines, Replicas: []string{}})
		cs = append(cs, pointers.StreamSecret(j.st.ChainSecret).Seal(pointers.Commitment{Seq: j.seq, RootCID: j.root.Bytes(),
			MerkleRoot: j.merkle, ClaimRoot: j.claim, Count: uint32(len(j.rs))}))
	}
	// Enqueued again by a resumed attempt: a commitment already on chain
	// with the same content counts as committed.
	if err := n.Chain.EnqueueCommitments(ctx, cs); err != nil {
		return nil, fmt.Errorf("enqueue commitments: %w", err)
	}
	n.seqMu.Unlock()
	locked = false
	if n.Replicator != nil && n.daemon && n.WriteConcern() == 1 {
		// Acknowledged once durable here: the replicas are placed in the
		// background (and repaired by the replicator's loop on a shortfall).
		self := n.PeerID().String()
		for i, j := range jobs {
			rec.Batches[i].Replicas = []string{self}
			root := j.root
			n.wg.Add(1)
			go func() {
				defer n.wg.Done()
				if _, err := n.Replicator.Replicate(n.bg, root); err != nil && n.bg.Err() == nil {
					n.Log.Warn("replication incomplete; the repair loop will retry", "root", root, "err", err)
				}
			}()
		}
	} else if n.Replicator != nil {
		// Replicate every batch at once; a shortfall is repaired by the
		// replicator's loop (the batch is already durable here).
		var rwg sync.WaitGroup
		for i, j := range jobs {
			rwg.Add(1)
			go func() {
				defer rwg.Done()
				ids, err := n.Replicator.Replicate(ctx, j.root)
				if err != nil {
					n.Log.Warn("replication incomplete; the repair loop will retry", "root", j.root, "err", err)
				}
				for _, id := range ids {
					rec.Batches[i].Replicas = append(rec.Batches[i].Replicas, id.String())
				}
			}()
		}
		rwg.Wait()
	}
	if err := n.writeConcernMet(rec); err != nil {
		return nil, err
	}
	record.Done = true
	record.Roots, record.Replicas = nil, nil
	for _, br := range rec.Batches {
		record.Roots = append(record.Roots, br.Root)
		record.Replicas = append(record.Replicas, br.Replicas)
	}
	if err := n.saveIngest(ctx, id, record, false); err != nil {
		return nil, err
	}
	return rec, nil
}

// WriteConcern is how many members (this one included) must hold a batch
// durably before its submission is acknowledged: replication.writeConcern,
// default 2, never more than the consortium has members.
func (n *Node) WriteConcern() int {
	w := n.Cfg.Replication.WriteConcern
	if w <= 0 {
		w = 2
	}
	if n.Members != nil {
		w = min(w, max(len(n.Members.List()), 1))
	}
	return w
}

// writeConcernMet checks every batch of rec against the write concern. The
// batches are durable here and their commitments journaled either way; a
// short batch is placed by the repair loop, and a retry of the same
// submission finds the stored batches and only replicates again.
func (n *Node) writeConcernMet(rec *Receipt) error {
	if n.Replicator == nil {
		return nil // an offline node holds what it ingests alone (tests, tools)
	}
	w := n.WriteConcern()
	self := n.PeerID().String()
	for _, b := range rec.Batches {
		holders := len(b.Replicas)
		if !slices.Contains(b.Replicas, self) {
			holders++ // durable here whether or not this node is in the replica set
		}
		if holders < w {
			return fmt.Errorf("%w: batch %s/%d is held by %d member(s), the write concern is %d: too few members reachable; retry the same submission (it is not stored twice)",
				ErrReplicasUnavailable, b.Stream, b.Seq, holders, w)
		}
	}
	return nil
}

func seqKey(t keys.Tag) ds.Key { return ds.NewKey("/vaultnode/seq/" + hex.EncodeToString(t[:])) }
func batchPrefix(t keys.Tag) string {
	return "/vaultnode/batch/" + hex.EncodeToString(t[:]) + "/"
}

func (n *Node) lastSeq(ctx context.Context, st keys.Stream) (uint64, error) {
	b, err := n.Store.Datastore().Get(ctx, seqKey(st.Tag))
	if errors.Is(err, ds.ErrNotFound) {
		// A repo restored without its index: continue after what the chain has.
		cs, err := n.Chain.StreamCommitments(ctx, pointers.StreamSecret(st.ChainSecret), n.Chain.Account())
		if err != nil {
			return 0, fmt.Errorf("read the stream's commitments: %w", err)
		}
		if len(cs) == 0 {
			return 0, nil
		}
		return cs[len(cs)-1].Seq, nil
	}
	if err != nil {
		return 0, err
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("sequence record: %w", keys.ErrCorrupt)
	}
	return binary.BigEndian.Uint64(b), nil
}

func (n *Node) setLastSeq(ctx context.Context, t keys.Tag, s uint64) error {
	return n.Store.Datastore().Put(ctx, seqKey(t), binary.BigEndian.AppendUint64(nil, s))
}

func (n *Node) indexBatch(ctx context.Context, t keys.Tag, seq uint64, root cid.Cid) error {
	return n.Store.Datastore().Put(ctx, ds.NewKey(fmt.Sprintf("%s%020d", batchPrefix(t), seq)), root.Bytes())
}

// LocalBatches lists the roots of the batches this node sealed for a stream tag.
func (n *Node) LocalBatches(ctx context.Context, t keys.Tag) ([]cid.Cid, error) {
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: batchPrefix(t)})
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var out []cid.Cid
	for r := range res.Next() {
		if r.Error != nil {
			return nil, r.Error
		}
		c, err := cid.Cast(r.Value)
		if err != nil {
			return nil, fmt.Errorf("batch index: %w", err)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].KeyString() < out[j].KeyString() })
	return out, nil
}

// forgetStreams names this node's indexes of purged streams, for the store
// to remove physically with the blocks (p2p.PurgerConfig.Forget): the batch
// index, sequence record and grant index of each stream tag, the consent
// records of the order's grants (they name the stream and carry the
// integrator's Consent id), the ingest records that name a purged root and
// the FHIR identifier records (conditional create) that point into one.
// After an erasure nothing here maps the patient's stream tags to its
// batches or grants, nor the Observations' identifiers to when they came.
func (n *Node) forgetStreams(ctx context.Context, o *p2p.PurgeOrder, roots []cid.Cid) ([]string, error) {
	var out []string
	for _, t := range o.StreamTags {
		out = append(out, batchPrefix(keys.Tag(t)), seqKey(keys.Tag(t)).String(), grantIndexPrefix(t))
	}
	for _, g := range o.Grants {
		out = append(out, consentKey(g).String())
	}
	// Which units were implanted in the patient (the unit → patient link, never on chain).
	out = append(out, implantPrefix+keys.Tag(o.SubjectTag).String()+"/")
	if len(roots) == 0 {
		return out, nil
	}
	purged := make(map[string]bool, len(roots))
	for _, r := range roots {
		purged[r.String()] = true
	}
	ingested, err := n.keysNaming(ctx, "/vaultnode/ingest/id/", func(v []byte) bool {
		var rec ingestRecord
		return json.Unmarshal(v, &rec) == nil && slices.ContainsFunc(rec.Roots, func(s string) bool { return purged[s] })
	})
	if err != nil {
		return nil, err
	}
	identified, err := n.keysNaming(ctx, "/vaultnode/fhir/ident/", func(v []byte) bool {
		var rec identRecord
		return json.Unmarshal(v, &rec) == nil && purged[rec.Root]
	})
	if err != nil {
		return nil, err
	}
	firmware, err := n.keysNaming(ctx, firmwareIndexPrefix, func(v []byte) bool {
		var fb firmwareBatch
		return json.Unmarshal(v, &fb) == nil && purged[fb.Root]
	})
	if err != nil {
		return nil, err
	}
	return append(append(append(out, ingested...), identified...), firmware...), nil
}

// keysNaming lists the datastore keys under prefix whose value match accepts.
func (n *Node) keysNaming(ctx context.Context, prefix string, match func([]byte) bool) ([]string, error) {
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: prefix})
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var out []string
	for r := range res.Next() {
		if r.Error != nil {
			return nil, r.Error
		}
		if match(r.Value) {
			out = append(out, r.Key)
		}
	}
	return out, nil
}

// claimIngest makes this call the only running attempt of submission id:
// it waits while another attempt of the same submission runs. The caller
// calls release when its attempt is over (finished or failed).
func (n *Node) claimIngest(ctx context.Context, id [32]byte) (release func(), err error) {
	for {
		n.ingestMu.Lock()
		running, busy := n.ingesting[id]
		if !busy {
			if n.ingesting == nil {
				n.ingesting = map[[32]byte]chan struct{}{}
			}
			ch := make(chan struct{})
			n.ingesting[id] = ch
			n.ingestMu.Unlock()
			return func() {
				n.ingestMu.Lock()
				delete(n.ingesting, id)
				n.ingestMu.Unlock()
				close(ch)
			}, nil
		}
		n.ingestMu.Unlock()
		select {
		case <-running:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
