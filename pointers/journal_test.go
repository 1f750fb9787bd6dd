package pointers

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func sampleRecords() []*jrecord {
	withClaim := testCommitment(testTag("a"), 3, []byte("cid"), testTag("m"), 5000)
	withClaim.ClaimRoot = testTag("claim")
	return []*jrecord{
		{kind: recCommit, commit: withClaim},
		{kind: recOp, op: jop{id: opID{1, 2}, name: "grant", to: common.HexToAddress("0x42"), data: []byte{1, 2, 3}}},
		{kind: recDone, done: jdone{block: 9, blockHash: common.HexToHash("0x99"), txHash: common.HexToHash("0x77")}, ops: []opID{{1, 2}}, keys: []ckey{{StreamSecret(testTag("a")).BatchTag(3), 3}}},
		{kind: recAbandon, keys: []ckey{{testTag("b"), 1}}},
	}
}

// A commitment journaled before claim roots existed ('B', no claim root field) is read with a zero claim
// root, not refused and not misread.
func TestJournalReadsCommitmentsWithoutClaimRoot(t *testing.T) {
	c := testCommitment(testTag("a"), 3, []byte("cid"), testTag("m"), 5000)
	k := encodeRecord(&jrecord{kind: recCommit, commit: c})[8:]
	// 'K' payload: kind, tag[32], seq, count, merkleRoot[32], claimRoot[32], mac, cid; 'B' lacks claimRoot.
	const claimAt = 1 + 32 + 8 + 4 + 32
	old := append([]byte{recCommitV2}, k[1:claimAt]...)
	old = append(old, k[claimAt+32:]...)
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(old)))
	frame = binary.BigEndian.AppendUint32(frame, crc32.Checksum(old, crcTable))
	frame = append(frame, old...)
	got, valid, err := decodeJournal(frame)
	if err != nil || valid != len(frame) || len(got) != 1 {
		t.Fatalf("decode an old commitment record: %v (valid %d of %d, %d records)", err, valid, len(frame), len(got))
	}
	if got[0].kind != recCommit || !got[0].commit.equal(c) {
		t.Fatalf("old record read as %+v, want %+v", got[0].commit, c)
	}
}

func TestJournalRoundTripAndReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, err := openJournal(path, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	recs := sampleRecords()
	if err := j.append(recs[:2]...); err != nil {
		t.Fatal(err)
	}
	if err := j.append(recs[2:]...); err != nil {
		t.Fatal(err)
	}
	j.close()
	b, _ := os.ReadFile(path)
	got, valid, err := decodeJournal(b)
	if err != nil || valid != len(b) {
		t.Fatalf("decode: %v valid=%d len=%d", err, valid, len(b))
	}
	if !reflect.DeepEqual(got, recs) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, recs)
	}
	j, err = openJournal(path, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer j.close()
	known, c, done, abandoned := j.commitState(ckey{StreamSecret(testTag("a")).BatchTag(3), 3})
	if !known || !done || abandoned || c.Count != 5000 {
		t.Fatalf("replayed state: known=%v done=%v abandoned=%v %+v", known, done, abandoned, c)
	}
	if e := j.byOp[opID{1, 2}]; e == nil || e.done == nil || e.done.block != 9 {
		t.Fatalf("op state %+v", e)
	}
}

func TestJournalTornTailIsDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, _ := openJournal(path, slog.Default())
	recs := sampleRecords()
	if err := j.append(recs[0]); err != nil {
		t.Fatal(err)
	}
	j.close()
	full := encodeRecord(recs[1])
	for _, cut := range []int{3, 8, len(full) - 1} { // torn header, torn payload, last byte missing
		b, _ := os.ReadFile(path)
		good := len(b)
		if err := os.WriteFile(path, append(b, full[:cut]...), 0o600); err != nil {
			t.Fatal(err)
		}
		j, err := openJournal(path, slog.Default())
		if err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		if len(j.entries) != 1 {
			t.Fatalf("cut %d: %d entries", cut, len(j.entries))
		}
		j.close()
		if st, _ := os.Stat(path); st.Size() != int64(good) {
			t.Fatalf("cut %d: file not truncated to %d (is %d)", cut, good, st.Size())
		}
	}
	// A torn record whose payload was fully written but not its last bytes' content (bad CRC at the end).
	b, _ := os.ReadFile(path)
	bad := bytes.Clone(full)
	bad[len(bad)-1] ^= 0xff
	os.WriteFile(path, append(b, bad...), 0o600)
	j, err := openJournal(path, slog.Default())
	if err != nil || len(j.entries) != 1 {
		t.Fatalf("bad last record: %v", err)
	}
	j.close()
}

func TestJournalCorruptionInTheMiddleRefusesToOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, _ := openJournal(path, slog.Default())
	if err := j.append(sampleRecords()...); err != nil {
		t.Fatal(err)
	}
	j.close()
	b, _ := os.ReadFile(path)
	b[12] ^= 0x01 // inside the first payload
	os.WriteFile(path, b, 0o600)
	if _, err := openJournal(path, slog.Default()); !errors.Is(err, ErrJournalCorrupt) {
		t.Fatalf("got %v, want ErrJournalCorrupt", err)
	}
}

func FuzzJournalDecode(f *testing.F) {
	var all []byte
	for _, r := range sampleRecords() {
		e := encodeRecord(r)
		f.Add(e)
		all = append(all, e...)
	}
	f.Add(all)
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 'C'})
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, valid, err := decodeJournal(b)
		if valid > len(b) {
			t.Fatalf("valid %d > len %d", valid, len(b))
		}
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to the same bytes.
		var re []byte
		for _, r := range recs {
			re = append(re, encodeRecord(r)...)
		}
		if !bytes.Equal(re, b[:valid]) {
			t.Fatalf("re-encoding differs")
		}
	})
}

func FuzzParseAddresses(f *testing.F) {
	f.Add([]byte(`{"chainId":1337,"genesis":"0x0000000000000000000000000000000000000000000000000000000000000001","consortium":"0x0000000000000000000000000000000000000001","commitments":"0x0000000000000000000000000000000000000002","grants":"0x0000000000000000000000000000000000000003","erasures":"0x0000000000000000000000000000000000000004","auditAnchors":"0x0000000000000000000000000000000000000005","deployBlock":1}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"chainId":1} {}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAddresses(b)
		if err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("error does not wrap ErrBadInput: %v", err)
			}
			return
		}
		if a.ChainID == 0 || a.Consortium == (common.Address{}) || a.AuditAnchors == (common.Address{}) {
			t.Fatalf("accepted incomplete config %+v", a)
		}
	})
}

func TestParseAddressesRejects(t *testing.T) {
	for _, in := range []string{`{`, `{"chainId":1337}`, `{"chainId":0,"consortium":"0x01"}`, `{"chainId":1,"bogus":1}`} {
		if _, err := ParseAddresses([]byte(in)); !errors.Is(err, ErrBadInput) {
			t.Errorf("%s: got %v", in, err)
		}
	}
}

// TestReconcileResubmitsLostWritesOnce: journal entries whose effect is missing from the chain are
// re-submitted at Open; entries already on chain are recognised and not sent again.
func TestReconcileResubmitsLostWritesOnce(t *testing.T) {
	ctx := context.Background()
	key, _ := crypto.GenerateKey()
	dir := t.TempDir()
	cfg := Config{ChainDir: dir, Key: key, CommitInterval: 50 * time.Millisecond}
	cl, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pub1, _, _ := ed25519.GenerateKey(nil)
	pub2, _, _ := ed25519.GenerateKey(nil)
	d1, d2 := testTag("dev-1"), testTag("dev-2")
	if _, err := cl.RegisterDevice(ctx, d1, pub1); err != nil {
		t.Fatal(err)
	}
	lostCommit := testCommitment(testTag("lost-stream"), 4, []byte("cid-lost"), testTag("m"), 12)
	logID := testTag("audit-log")
	recs := []*jrecord{
		// Intent journaled, tx never sent (killed before send).
		{kind: recOp, op: jop{id: opID{1}, name: "register device", to: cl.addrs.Consortium, data: cl.consortium.PackRegisterDevice(d2, [32]byte(pub2))}},
		// Intent journaled and mined, done record lost: must not be sent again.
		{kind: recOp, op: jop{id: opID{2}, name: "register device", to: cl.addrs.Consortium, data: cl.consortium.PackRegisterDevice(d1, [32]byte(pub1))}},
		// Done in a block the chain no longer has (hash differs): re-submitted.
		{kind: recOp, op: jop{id: opID{3}, name: "anchor audit", to: cl.addrs.AuditAnchors, data: cl.anchors.PackAnchor(logID, 0, 5, testTag("root"))}},
		{kind: recDone, done: jdone{block: 1, blockHash: common.HexToHash("0xdead")}, ops: []opID{{3}}},
		// A commitment journaled but never committed.
		{kind: recCommit, commit: lostCommit},
	}
	if err := cl.journal.append(recs...); err != nil {
		t.Fatal(err)
	}
	nonce0, _ := cl.eth.PendingNonceAt(ctx, cl.Account())
	if err := cl.Close(); err != nil {
		t.Fatal(err)
	}

	cl, err = Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := cl.ActiveDevice(ctx, d2); err != nil || !d.PubKey.Equal(pub2) {
		t.Fatalf("lost device registration not re-submitted: %+v %v", d, err)
	}
	if a, err := cl.LookupAnchor(ctx, logID, 3); err != nil || a.Root != testTag("root") {
		t.Fatalf("lost anchor not re-submitted: %+v %v", a, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for cl.PendingCommitments() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got, err := cl.StreamCommitments(ctx, StreamSecret(testTag("lost-stream")), cl.Account())
	if err != nil || len(got) != 1 || !got[0].equal(lostCommit) {
		t.Fatalf("lost commitment not re-committed: %+v %v", got, err)
	}
	nonce1, _ := cl.eth.PendingNonceAt(ctx, cl.Account())
	if nonce1-nonce0 != 3 {
		t.Fatalf("reconciliation sent %d transactions, want exactly 3 (device 2, anchor, commitment)", nonce1-nonce0)
	}
	if err := cl.Close(); err != nil {
		t.Fatal(err)
	}
	// A clean restart: everything there, nothing re-sent.
	cl, err = Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	time.Sleep(200 * time.Millisecond)
	if n, _ := cl.eth.PendingNonceAt(ctx, cl.Account()); n != nonce1 {
		t.Fatalf("second restart sent %d transactions", n-nonce1)
	}
	if _, err := cl.ActiveDevice(ctx, d1); err != nil {
		t.Fatal(err)
	}
}

func TestJournalCompactKeepsUnsettledAndRecentEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, _ := openJournal(path, slog.Default())
	old := testCommitment(testTag("old"), 1, []byte("c"), [32]byte{}, 1)
	recent := testCommitment(testTag("recent"), 1, []byte("c"), [32]byte{}, 1)
	pending := testCommitment(testTag("pending"), 1, []byte("c"), [32]byte{}, 1)
	recs := []*jrecord{
		{kind: recCommit, commit: old}, {kind: recCommit, commit: recent}, {kind: recCommit, commit: pending},
		{kind: recOp, op: jop{id: opID{9}, name: "x", data: []byte{1}}},
		{kind: recDone, done: jdone{block: 10, blockHash: common.HexToHash("0x10")}, keys: []ckey{old.key()}},
		{kind: recDone, done: jdone{block: 95, blockHash: common.HexToHash("0x95")}, keys: []ckey{recent.key()}},
		{kind: recAbandon, ops: []opID{{9}}},
	}
	if err := j.append(recs...); err != nil {
		t.Fatal(err)
	}
	if err := j.compact(100, 50); err != nil {
		t.Fatal(err)
	}
	// Still appendable after the rewrite.
	later := testCommitment(testTag("later"), 1, []byte("c"), [32]byte{}, 1)
	if err := j.append(&jrecord{kind: recCommit, commit: later}); err != nil {
		t.Fatal(err)
	}
	j.close()
	j, err := openJournal(path, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer j.close()
	for _, tc := range []struct {
		c           Commitment
		known, done bool
	}{{old, false, false}, {recent, true, true}, {pending, true, false}, {later, true, false}} {
		known, _, done, _ := j.commitState(tc.c.key())
		if known != tc.known || done != tc.done {
			t.Errorf("%x after compaction: known=%v done=%v, want %v %v", tc.c.Tag[:4], known, done, tc.known, tc.done)
		}
	}
	if j.byOp[opID{9}] != nil {
		t.Error("abandoned op survived compaction")
	}
}

// A registry write whose caller gave up (e.g. timed out) is finished by the running client.
func TestRunningClientFinishesAbandonedWrites(t *testing.T) {
	cl, _, _ := openEmbedded(t)
	ctx := context.Background()
	pub, _, _ := ed25519.GenerateKey(nil)
	id := testTag("orphan-device")
	op := jop{id: opID{7, 7}, name: "register device", to: cl.addrs.Consortium, data: cl.consortium.PackRegisterDevice(id, [32]byte(pub))}
	if err := cl.journal.append(&jrecord{kind: recOp, op: op}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if d, err := cl.ResolveDevice(ctx, id); err == nil && d.PubKey.Equal(pub) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("journaled write not finished by the running client")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for cl.journal.byOpDone(op.id) == false && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !cl.journal.byOpDone(op.id) {
		t.Fatal("finished write not marked done in the journal")
	}
}
