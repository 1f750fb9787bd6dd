package node

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// The one-pass FHIR decoder: the common case (a valid Observation, or a
// valid Bundle of them) is read in one scan of the bytes that checks the
// JSON grammar, the R4 model's elements and JSON types (the rules of
// walkFHIR, from the same model types), duplicate member names, and
// records where the members the mapping needs are; the mapping itself is
// checkObservation, shared with the strict path. Anything the scan does not
// accept, and any document checkObservation finds a problem in, goes to
// the strict path (decodeFHIR), which decides and words the refusal: so
// every refusal and its FHIRPath is the strict path's, and the scan only
// has to accept nothing the strict path refuses (FuzzFHIRFastPath checks
// that whatever it accepts the strict path accepts with the same result).

// fkind is what JSON a model type takes.
type fkind uint8

const (
	fkRaw         fkind = iota // json.RawMessage: any JSON (skipped, still checked)
	fkNumber                   // json.Number (FHIR decimal)
	fkCode                     // a coded value (the model's enum types)
	fkObject                   // a struct
	fkArray                    // a slice: non-empty
	fkString                   // non-blank
	fkBool                     // true or false
	fkInt                      // integer in the Go type's range
	fkUint                     // non-negative integer in the Go type's range
	fkUnsupported              // what walkFHIR refuses
)

// fnode is a model type compiled for the scan.
type fnode struct {
	kind   fkind
	bits   int
	typ    reflect.Type // fkCode
	fields map[string]*fnode
	elem   *fnode
	entry  bool // a Bundle entry: its members are recorded (fscan.entries)

	mu    sync.RWMutex
	codes map[string]bool // fkCode: JSON literals found valid
}

func compileFNode(t reflect.Type, memo map[reflect.Type]*fnode) *fnode {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n, ok := memo[t]; ok {
		return n
	}
	n := &fnode{}
	memo[t] = n
	switch {
	case t == rawMessageType:
		n.kind = fkRaw
	case t == numberType:
		n.kind = fkNumber
	case reflect.PointerTo(t).Implements(unmarshalerT):
		n.kind, n.typ, n.codes = fkCode, t, map[string]bool{}
	default:
		switch t.Kind() {
		case reflect.Struct:
			n.kind, n.fields = fkObject, map[string]*fnode{}
			for k, ft := range fhirFields(t) {
				n.fields[k] = compileFNode(ft, memo)
			}
		case reflect.Slice:
			n.kind, n.elem = fkArray, compileFNode(t.Elem(), memo)
		case reflect.String:
			n.kind = fkString
		case reflect.Bool:
			n.kind = fkBool
		case reflect.Int, reflect.Int64, reflect.Int32:
			n.kind, n.bits = fkInt, t.Bits()
		case reflect.Uint, reflect.Uint32, reflect.Uint64:
			n.kind, n.bits = fkUint, t.Bits()
		default:
			n.kind = fkUnsupported
		}
	}
	return n
}

var fastSchemas = sync.OnceValues(func() (obs, bundle *fnode) {
	obs = compileFNode(reflect.TypeOf(fhir.Observation{}), map[reflect.Type]*fnode{})
	bundle = compileFNode(reflect.TypeOf(fhir.Bundle{}), map[reflect.Type]*fnode{})
	bundle.fields["entry"].elem.entry = true
	return obs, bundle
})

// codeOK: lit (a JSON string literal without escapes) is a valid code of
// n's type, as its UnmarshalJSON decides (valid ones are remembered).
func (n *fnode) codeOK(lit []byte) bool {
	n.mu.RLock()
	ok := n.codes[string(lit)]
	n.mu.RUnlock()
	if ok {
		return true
	}
	if err := reflect.New(n.typ).Interface().(json.Unmarshaler).UnmarshalJSON(lit); err != nil {
		return false
	}
	n.mu.Lock()
	if len(n.codes) < 1024 {
		n.codes[string(lit)] = true
	}
	n.mu.Unlock()
	return true
}

// fmember is a member of an object: its name and its value's bytes.
type fmember struct {
	key, v []byte
}

// fentry is where a Bundle entry's members are.
type fentry struct {
	fullURL, request, resource []byte
	modExt                     bool
}

const (
	fastMaxDepth = 64 // deeper documents take the strict path
	fastMaxKeys  = 64 // so do objects with more members
)

// fscan is the scanner. Member names with escapes are left to the strict
// path (so duplicates are compared on the raw bytes).
type fscan struct {
	b       []byte
	i       int
	depth   int
	keys    [][]byte // names of the open objects' members (duplicates)
	entries []fentry
}

func (s *fscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func isHex(c byte) bool { return c-'0' < 10 || (c|0x20)-'a' < 6 }

// str scans a string; [lo, hi) is its content, esc whether it has escapes.
func (s *fscan) str() (lo, hi int, esc, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return
	}
	s.i++
	lo = s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			hi = s.i
			s.i++
			return lo, hi, esc, true
		case c == '\\':
			esc = true
			s.i++
			if s.i >= len(s.b) {
				return
			}
			switch s.b[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if s.i+4 >= len(s.b) || !isHex(s.b[s.i+1]) || !isHex(s.b[s.i+2]) || !isHex(s.b[s.i+3]) || !isHex(s.b[s.i+4]) {
					return
				}
				s.i += 5
			default:
				return
			}
		case c < 0x20:
			return
		default:
			s.i++
		}
	}
	return
}

// num scans a number (the JSON grammar exactly).
func (s *fscan) num() (lo, hi int, ok bool) {
	b, lo := s.b, s.i
	digits := func() bool {
		st := s.i
		for s.i < len(b) && b[s.i]-'0' < 10 {
			s.i++
		}
		return s.i > st
	}
	if s.i < len(b) && b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i >= len(b):
		return
	case b[s.i] == '0':
		s.i++
	case b[s.i]-'1' < 9:
		digits()
	default:
		return
	}
	if s.i < len(b) && b[s.i] == '.' {
		s.i++
		if !digits() {
			return
		}
	}
	if s.i < len(b) && (b[s.i] == 'e' || b[s.i] == 'E') {
		s.i++
		if s.i < len(b) && (b[s.i] == '+' || b[s.i] == '-') {
			s.i++
		}
		if !digits() {
			return
		}
	}
	return lo, s.i, true
}

func (s *fscan) lit(w string) bool {
	if len(s.b)-s.i >= len(w) && string(s.b[s.i:s.i+len(w)]) == w {
		s.i += len(w)
		return true
	}
	return false
}

// key scans a member name and its colon, refusing escapes, duplicates in
// the object opened at mark, and too many members.
func (s *fscan) key(mark int) ([]byte, bool) {
	s.ws()
	lo, hi, esc, ok := s.str()
	if !ok || esc || len(s.keys)-mark >= fastMaxKeys {
		return nil, false
	}
	k := s.b[lo:hi]
	for _, o := range s.keys[mark:] {
		if bytes.Equal(o, k) {
			return nil, false
		}
	}
	s.keys = append(s.keys, k)
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return nil, false
	}
	s.i++
	s.ws()
	return k, true
}

// next consumes the separator after a value: more is true after ',',
// false after the closing c.
func (s *fscan) next(c byte) (more, ok bool) {
	s.ws()
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case ',':
			s.i++
			return true, true
		case c:
			s.i++
			return false, true
		}
	}
	return false, false
}

// open enters an object or array (c) if the next byte is c; empty says it
// closed at once.
func (s *fscan) open(c, end byte) (empty, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != c || s.depth >= fastMaxDepth {
		return false, false
	}
	s.depth++
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == end {
		s.i++
		s.depth--
		return true, true
	}
	return false, true
}

// skip scans any JSON value.
func (s *fscan) skip() bool {
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; c {
	case '{':
		empty, ok := s.open('{', '}')
		if !ok || empty {
			return ok
		}
		mark := len(s.keys)
		for {
			if _, ok := s.key(mark); !ok || !s.skip() {
				return false
			}
			more, ok := s.next('}')
			if !ok {
				return false
			}
			if !more {
				break
			}
		}
		s.keys = s.keys[:mark]
		s.depth--
		return true
	case '[':
		empty, ok := s.open('[', ']')
		if !ok || empty {
			return ok
		}
		for {
			if !s.skip() {
				return false
			}
			more, ok := s.next(']')
			if !ok {
				return false
			}
			if !more {
				break
			}
		}
		s.depth--
		return true
	case '"':
		_, _, _, ok := s.str()
		return ok
	case 't':
		return s.lit("true")
	case 'f':
		return s.lit("false")
	case 'n':
		return s.lit("null")
	default:
		_, _, ok := s.num()
		return ok
	}
}

// walk scans a value of model type n with walkFHIR's rules.
func (s *fscan) walk(n *fnode) bool {
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	if n.kind == fkRaw {
		return s.skip()
	}
	switch n.kind {
	case fkNumber:
		_, _, ok := s.num()
		return ok
	case fkCode:
		lo, hi, esc, ok := s.str()
		return ok && !esc && n.codeOK(s.b[lo-1:hi+1])
	case fkString:
		lo, hi, esc, ok := s.str()
		if !ok {
			return false
		}
		if !esc {
			return len(bytes.TrimSpace(s.b[lo:hi])) > 0
		}
		v, ok := unquote(s.b[lo-1 : hi+1])
		return ok && strings.TrimSpace(v) != ""
	case fkBool:
		return s.lit("true") || s.lit("false")
	case fkInt, fkUint:
		lo, hi, ok := s.num()
		if !ok {
			return false
		}
		var err error
		if n.kind == fkInt {
			_, err = strconv.ParseInt(string(s.b[lo:hi]), 10, n.bits)
		} else {
			_, err = strconv.ParseUint(string(s.b[lo:hi]), 10, n.bits)
		}
		return err == nil
	case fkArray:
		empty, ok := s.open('[', ']')
		if !ok || empty {
			return false // an empty array is refused
		}
		for {
			if !s.walk(n.elem) {
				return false
			}
			more, ok := s.next(']')
			if !ok {
				return false
			}
			if !more {
				break
			}
		}
		s.depth--
		return true
	case fkObject:
		return s.object(n, false, nil)
	}
	return false
}

// object scans an object of model type n; root: a resource, whose
// resourceType the caller checks; rec, when set, gets every member.
func (s *fscan) object(n *fnode, root bool, rec *[]fmember) bool {
	e := -1
	if n.entry { // recorded even when empty (then without a resource)
		s.entries = append(s.entries, fentry{})
		e = len(s.entries) - 1
	}
	empty, ok := s.open('{', '}')
	if !ok || empty {
		return ok
	}
	mark := len(s.keys)
	for {
		k, ok := s.key(mark)
		if !ok {
			return false
		}
		v := s.i
		switch f := n.fields[string(k)]; {
		case root && string(k) == "resourceType":
			ok = s.skip()
		case f != nil:
			ok = s.walk(f)
		case len(k) > 1 && k[0] == '_' && n.fields[string(k[1:])] != nil:
			ok = s.skip() // primitive extension or id of a known element
		default:
			ok = false // unknown element
		}
		if !ok {
			return false
		}
		if rec != nil {
			*rec = append(*rec, fmember{k, s.b[v:s.i]})
		}
		if e >= 0 {
			en := &s.entries[e]
			switch string(k) {
			case "fullUrl":
				en.fullURL = s.b[v:s.i]
			case "request":
				en.request = s.b[v:s.i]
			case "resource":
				en.resource = s.b[v:s.i]
			case "modifierExtension":
				en.modExt = true
			}
		}
		more, ok := s.next('}')
		if !ok {
			return false
		}
		if !more {
			break
		}
	}
	s.keys = s.keys[:mark]
	s.depth--
	return true
}

// unquote decodes a JSON string literal as encoding/json does.
func unquote(lit []byte) (string, bool) {
	if len(lit) < 2 || lit[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1]), true
	}
	var v string
	return v, json.Unmarshal(lit, &v) == nil
}

// Readers of values the scan accepted (so well-formed).

func members(v []byte, fn func(k, v []byte)) {
	s := fscan{b: v}
	if empty, ok := s.open('{', '}'); !ok || empty {
		return
	}
	for {
		s.ws()
		lo, hi, _, _ := s.str()
		s.ws()
		s.i++ // ':'
		s.ws()
		at := s.i
		s.skip()
		fn(v[lo:hi], v[at:s.i])
		if more, ok := s.next('}'); !more || !ok {
			return
		}
	}
}

func elements(v []byte, fn func(v []byte)) {
	s := fscan{b: v}
	if empty, ok := s.open('[', ']'); !ok || empty {
		return
	}
	for {
		s.ws()
		at := s.i
		s.skip()
		fn(v[at:s.i])
		if more, ok := s.next(']'); !more || !ok {
			return
		}
	}
}

func strPtr(v []byte) *string {
	x, _ := unquote(v)
	return &x
}

func fastIdentifier(v []byte) *fhir.Identifier {
	id := &fhir.Identifier{}
	members(v, func(k, v []byte) {
		switch string(k) {
		case "system":
			id.System = strPtr(v)
		case "value":
			id.Value = strPtr(v)
		}
	})
	return id
}

func fastReference(v []byte) *fhir.Reference {
	r := &fhir.Reference{}
	members(v, func(k, v []byte) {
		switch string(k) {
		case "reference":
			r.Reference = strPtr(v)
		case "type":
			r.Type = strPtr(v)
		case "identifier":
			r.Identifier = fastIdentifier(v)
		}
	})
	return r
}

// fastObservation maps the Observation raw (a resource the scan has not
// seen yet) to a reading; false: leave the document to the strict path.
func fastObservation(raw []byte, path, device string, meta *FHIREntry) (ReadingJSON, bool) {
	obsNode, _ := fastSchemas()
	s := fscan{b: raw}
	var ms []fmember
	s.ws()
	if !s.object(obsNode, true, &ms) {
		return ReadingJSON{}, false
	}
	if s.ws(); s.i != len(raw) {
		return ReadingJSON{}, false
	}
	var o fhir.Observation
	var extra [len(extraElements)][]byte
	rt := false
	for _, m := range ms {
		switch string(m.key) {
		case "resourceType":
			rt = string(m.v) == `"Observation"`
		case "status":
			if o.Status.UnmarshalJSON(m.v) != nil {
				return ReadingJSON{}, false
			}
		case "modifierExtension":
			o.ModifierExtension = make([]fhir.Extension, 1)
		case "subject":
			o.Subject = fastReference(m.v)
		case "device":
			o.Device = fastReference(m.v)
		case "identifier":
			elements(m.v, func(v []byte) { o.Identifier = append(o.Identifier, *fastIdentifier(v)) })
			extra[0] = m.v
		case "interpretation":
			extra[1] = m.v
		case "referenceRange":
			extra[2] = m.v
		case "code":
			members(m.v, func(k, v []byte) {
				if string(k) == "coding" {
					elements(v, func(v []byte) {
						var c fhir.Coding
						members(v, func(k, v []byte) {
							switch string(k) {
							case "system":
								c.System = strPtr(v)
							case "code":
								c.Code = strPtr(v)
							}
						})
						o.Code.Coding = append(o.Code.Coding, c)
					})
				}
			})
		case "effectiveDateTime":
			o.EffectiveDateTime = strPtr(m.v)
		case "effectiveInstant":
			o.EffectiveInstant = strPtr(m.v)
		case "effectivePeriod":
			o.EffectivePeriod = &fhir.Period{}
		case "effectiveTiming":
			o.EffectiveTiming = &fhir.Timing{}
		case "valueQuantity":
			q := &fhir.Quantity{}
			ok := true
			members(m.v, func(k, v []byte) {
				switch string(k) {
				case "value":
					n := json.Number(v)
					q.Value = &n
				case "comparator":
					q.Comparator = new(fhir.QuantityComparator)
					ok = ok && q.Comparator.UnmarshalJSON(v) == nil
				case "unit":
					q.Unit = strPtr(v)
				case "system":
					q.System = strPtr(v)
				case "code":
					q.Code = strPtr(v)
				}
			})
			if !ok {
				return ReadingJSON{}, false
			}
			o.ValueQuantity = q
		}
	}
	if !rt {
		return ReadingJSON{}, false
	}
	has := func(k string) bool {
		for _, m := range ms {
			if string(m.key) == k {
				return true
			}
		}
		return false
	}
	fe := &FHIRError{}
	rj, ok := checkObservation(&o, has, func() (string, error) {
		if extra[0] == nil && extra[1] == nil && extra[2] == nil {
			return "", nil
		}
		return appendExtra(nil, extra)
	}, path, device, fe, meta)
	return rj, ok && len(fe.Issues) == 0
}

// fastFHIRDoc is parseFHIRDoc for documents the one-pass scan reads; ok
// false: use the strict path.
func fastFHIRDoc(body []byte, device string) (*DeviceBatch, *FHIRDoc, bool) {
	if !utf8.Valid(body) {
		return nil, nil, false
	}
	// The resource type: usually the first member, else found by skipping
	// the members before it.
	s := fscan{b: body}
	s.ws()
	if empty, ok := s.open('{', '}'); !ok || empty {
		return nil, nil, false
	}
	for {
		k, ok := s.key(0)
		if !ok {
			return nil, nil, false
		}
		if string(k) == "resourceType" {
			break
		}
		if !s.skip() {
			return nil, nil, false
		}
		if more, ok := s.next('}'); !more || !ok {
			return nil, nil, false
		}
	}
	lo, hi, esc, ok := s.str()
	if !ok || esc {
		return nil, nil, false
	}
	type item struct {
		raw  []byte
		path string
		e    FHIREntry
	}
	var items []item
	doc := &FHIRDoc{}
	switch string(body[lo:hi]) {
	case "Observation":
		items = []item{{body, "Observation", FHIREntry{}}}
	case "Bundle":
		_, bundleNode := fastSchemas()
		s = fscan{b: body}
		var ms []fmember
		s.ws()
		if !s.object(bundleNode, true, &ms) {
			return nil, nil, false
		}
		if s.ws(); s.i != len(body) {
			return nil, nil, false
		}
		for _, m := range ms {
			if string(m.key) == "type" {
				doc.Type, _ = unquote(m.v)
			}
		}
		switch doc.Type {
		case "transaction", "batch", "collection":
		default:
			return nil, nil, false
		}
		if len(s.entries) == 0 {
			return nil, nil, false
		}
		for i, e := range s.entries {
			if e.modExt || e.resource == nil {
				return nil, nil, false
			}
			var fe FHIREntry
			if e.request != nil {
				var method, url []byte
				members(e.request, func(k, v []byte) {
					switch string(k) {
					case "method":
						method = v
					case "url":
						url = v
					case "ifNoneExist":
						fe.IfNoneExist, _ = unquote(v)
					}
				})
				if u, _ := unquote(url); string(method) != `"POST"` || strings.TrimSuffix(u, "/") != "Observation" {
					return nil, nil, false
				}
			} else if doc.Type != "collection" {
				return nil, nil, false
			}
			if e.fullURL != nil {
				fe.FullURL, _ = unquote(e.fullURL)
			}
			items = append(items, item{e.resource, fmt.Sprintf("Bundle.entry[%d].resource", i), fe})
		}
	default:
		return nil, nil, false
	}
	b := &DeviceBatch{Message: append([]byte(FHIRDomain+device+"\n"), body...)}
	type out struct {
		rj   ReadingJSON
		ok   bool
		e    FHIREntry
		line []byte
	}
	outs := make([]out, len(items))
	inChunks(len(items), func(i int) bool {
		it, o := &items[i], &outs[i]
		o.e = it.e
		o.e.Path = it.path
		if o.rj, o.ok = fastObservation(it.raw, it.path, device, &o.e); !o.ok {
			return false
		}
		o.line, _ = json.Marshal(o.rj)
		return true
	})
	b.Lines = make([][]byte, 0, len(outs))
	b.Paths = make([]string, 0, len(outs))
	b.Readings = make([]ReadingJSON, 0, len(outs))
	doc.Entries = make([]FHIREntry, 0, len(outs))
	for i := range outs {
		o := &outs[i]
		if !o.ok {
			return nil, nil, false
		}
		doc.Entries = append(doc.Entries, o.e)
		b.Lines = append(b.Lines, o.line)
		b.Paths = append(b.Paths, items[i].path)
		b.Readings = append(b.Readings, o.rj)
	}
	if doc.checkIfNoneExist() != nil {
		return nil, nil, false
	}
	return b, doc, true
}
