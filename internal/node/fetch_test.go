package node

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// fakeSource serves one sealed batch, a grant (M=1 of 2 proxies) and
// scripted proxy answers.
type fakeSource struct {
	blocks   map[cid.Cid]blocks.Block
	grant    pointers.GrantRecord
	cs       []pointers.Commitment
	secret   pointers.StreamSecret // the stream's chain secret: Commitments lists cs only for it and the custodian
	kfrags   []*reencrypt.KFrag
	answer   func(call int, req *p2p.ReencryptRequest, exclude []string) []RelayAnswer
	excludes [][]string
}

func (f *fakeSource) GetBlock(_ context.Context, c cid.Cid) (blocks.Block, error) {
	b, ok := f.blocks[c]
	if !ok {
		return nil, fmt.Errorf("no block %s", c)
	}
	return b, nil
}
func (f *fakeSource) Grant(context.Context, [32]byte) (pointers.GrantRecord, error) {
	return f.grant, nil
}
func (f *fakeSource) CheckGrant(_ context.Context, g pointers.GrantRecord) error {
	return GrantState(g, time.Now())
}
func (f *fakeSource) Commitments(_ context.Context, secret pointers.StreamSecret, custodian common.Address) ([]pointers.Commitment, error) {
	if secret != f.secret || custodian != f.grant.RecordedBy {
		return nil, nil // another stream, or another member's commitments: none of this stream's
	}
	return f.cs, nil
}
func (f *fakeSource) Reencrypt(_ context.Context, req *p2p.ReencryptRequest, _ int, exclude []string) ([]RelayAnswer, error) {
	f.excludes = append(f.excludes, slices.Clone(exclude))
	return f.answer(len(f.excludes), req, exclude), nil
}

// cfrag re-encrypts the request's capsule with kfrag i, bound to b.
func (f *fakeSource) cfrag(t *testing.T, i int, req *p2p.ReencryptRequest, b reencrypt.RequestBinding) []byte {
	cf, err := reencrypt.ReEncrypt(rand.Reader, req.Capsule, f.kfrags[i], b)
	if err != nil {
		t.Fatal(err)
	}
	return cf.Bytes()
}

func newFakeSource(t *testing.T, n int) (*fakeSource, FetchRequest, []store.Reading) {
	t.Helper()
	return newFakeSourceM(t, n, 1, 2)
}

// newFakeSourceM is newFakeSource with a grant of m of shares proxies.
func newFakeSourceM(t *testing.T, n, m, shares int) (*fakeSource, FetchRequest, []store.Reading) {
	t.Helper()
	sk, err := reencrypt.GenerateSecretKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	clin, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(clin.Wipe)
	signPub, signPriv, _ := ed25519.GenerateKey(rand.Reader)
	var id, tag, patient [32]byte
	var secret pointers.StreamSecret
	var custodian common.Address
	rand.Read(id[:])
	rand.Read(tag[:])
	rand.Read(patient[:])
	rand.Read(secret[:])
	rand.Read(custodian[:])
	g := pointers.GrantRecord{Grant: pointers.Grant{ID: id, StreamBinding: pointers.GrantKeyOf(tag).Binding(id), GranteeKeyHash: clin.Public().Hash(),
		NotBefore: time.Now().Add(-time.Hour).Truncate(time.Second), NotAfter: time.Now().Add(time.Hour).Truncate(time.Second), M: uint8(m), SignerKey: signPub},
		RecordedBy: custodian}
	kfs, err := reencrypt.GenerateKFrags(rand.Reader, sk, clin.PRE.PublicKey(), signPriv, m, shares, reencrypt.KFragBinding{GrantID: id, NotBefore: g.NotBefore, NotAfter: g.NotAfter})
	if err != nil {
		t.Fatal(err)
	}
	capsule, dek, err := reencrypt.Encapsulate(rand.Reader, sk.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	rs := make([]store.Reading, n)
	for i := range rs {
		rs[i] = store.Reading{Device: "cgm-1", Patient: patient, Stream: "glucose", Time: time.Date(2026, 3, 1, 8, i, 0, 0, time.UTC), Value: 5 + float64(i)/10, Unit: "mmol/L", Code: "loinc:15074-8"}
	}
	sb, err := store.Seal(store.SealParams{DEK: &dek, Capsule: capsule.Bytes(), StreamTag: tag, Seq: 1, Stream: "glucose", Patient: patient}, rs)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSource{blocks: map[cid.Cid]blocks.Block{}, grant: g, kfrags: kfs, secret: secret,
		cs: []pointers.Commitment{secret.Commitment(1, sb.Root.Bytes(), sb.Header.MerkleRoot, uint32(n))}}
	for _, b := range sb.Blocks {
		f.blocks[b.Cid()] = b
	}
	return f, FetchRequest{Grantee: clin, Ticket: Ticket{GrantID: id, StreamTag: tag, ChainSecret: secret, StreamKey: sk.PublicKey()}, BlockTimeout: 5 * time.Second}, rs
}

// A proxy whose cfrag does not verify (bound to another request) is
// excluded and another proxy asked; the readings come out exactly, every
// one verified against the committed root.
func TestFetchFromExcludesBadCFrag(t *testing.T) {
	f, req, rs := newFakeSource(t, 300)
	f.answer = func(call int, r *p2p.ReencryptRequest, exclude []string) []RelayAnswer {
		if !slices.Contains(exclude, "p1") {
			other := r.Binding()
			other.RequestID[0] ^= 1
			return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, other)}}
		}
		return []RelayAnswer{{Proxy: "p2", Outcome: "granted", CFrag: f.cfrag(t, 1, r, r.Binding())}}
	}
	res, err := FetchFrom(context.Background(), f, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.excludes) != 2 || !slices.Equal(f.excludes[1], []string{"p1"}) {
		t.Fatalf("relay calls excluded %v, want p1 excluded on the second", f.excludes)
	}
	if res.Verified != len(rs) || len(res.Readings) != len(rs) || !slices.Equal(res.Proxies, []string{"p2"}) {
		t.Fatalf("result: %d verified, %d readings, proxies %v", res.Verified, len(res.Readings), res.Proxies)
	}
	for i := range rs {
		if res.Readings[i].Value != rs[i].Value || !res.Readings[i].Time.Equal(rs[i].Time) {
			t.Fatalf("reading %d differs", i)
		}
	}
}

func TestFetchFromRefusalsAndIntegrity(t *testing.T) {
	ctx := context.Background()
	good := func(f *fakeSource) func(int, *p2p.ReencryptRequest, []string) []RelayAnswer {
		return func(call int, r *p2p.ReencryptRequest, _ []string) []RelayAnswer {
			if call > 1 {
				return nil
			}
			return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())}}
		}
	}
	t.Run("proxies refuse", func(t *testing.T) {
		f, req, _ := newFakeSource(t, 10)
		f.answer = func(call int, _ *p2p.ReencryptRequest, _ []string) []RelayAnswer {
			if call > 1 {
				return nil
			}
			return []RelayAnswer{{Proxy: "p1", Outcome: "wrong-grantee"}, {Proxy: "p2", Outcome: "unreachable", Message: "dial"}}
		}
		_, err := FetchFrom(ctx, f, req)
		if !errors.Is(err, ErrAccessRefused) || !strings.Contains(err.Error(), "wrong-grantee") || !strings.Contains(err.Error(), "0 of 1 cfrags") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("revoked grant", func(t *testing.T) {
		f, req, _ := newFakeSource(t, 10)
		f.grant.Revoked = true
		f.answer = good(f)
		if _, err := FetchFrom(ctx, f, req); !errors.Is(err, ErrAccessRefused) || !strings.Contains(err.Error(), "revoked") {
			t.Fatalf("got %v", err)
		}
		if len(f.excludes) != 0 {
			t.Fatal("a proxy was asked for a revoked grant")
		}
	})
	t.Run("another grantee", func(t *testing.T) {
		f, req, _ := newFakeSource(t, 10)
		f.answer = good(f)
		f.grant.GranteeKeyHash[0] ^= 1
		if _, err := FetchFrom(ctx, f, req); !errors.Is(err, ErrAccessRefused) || !strings.Contains(err.Error(), "wrong-grantee") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("commitment root differs", func(t *testing.T) {
		f, req, _ := newFakeSource(t, 10)
		f.answer = good(f)
		f.cs[0].MerkleRoot[5] ^= 1
		if _, err := FetchFrom(ctx, f, req); !errors.Is(err, ErrIntegrity) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("tampered chunk", func(t *testing.T) {
		f, req, _ := newFakeSource(t, 10)
		f.answer = good(f)
		root, _ := cid.Cast(f.cs[0].RootCID)
		for c, b := range f.blocks {
			if c != root {
				raw := slices.Clone(b.RawData())
				raw[len(raw)/2] ^= 1
				f.blocks[c], _ = blocks.NewBlockWithCid(raw, c)
				_, err := FetchFrom(ctx, f, req)
				if !errors.Is(err, ErrIntegrity) || !strings.Contains(err.Error(), c.String()) {
					t.Fatalf("tampered block %s: %v", c, err)
				}
				return
			}
		}
		t.Fatal("no chunk block")
	})
}

// Two proxies answering with cfrags of the same share count once: the fetch
// asks another proxy instead of failing at decapsulation with one share
// short (it counted cfrags, not distinct kfrag ids).
func TestFetchFromCountsDistinctShares(t *testing.T) {
	f, req, rs := newFakeSourceM(t, 20, 2, 3)
	f.answer = func(call int, r *p2p.ReencryptRequest, exclude []string) []RelayAnswer {
		if call == 1 {
			return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())},
				{Proxy: "p2", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())}}
		}
		return []RelayAnswer{{Proxy: "p3", Outcome: "granted", CFrag: f.cfrag(t, 2, r, r.Binding())}}
	}
	res, err := FetchFrom(context.Background(), f, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.excludes) != 2 || len(res.Readings) != len(rs) || res.Verified != len(rs) {
		t.Fatalf("%d relay calls, %d readings, %d verified", len(f.excludes), len(res.Readings), res.Verified)
	}
}

// A fetch whose purpose of use is not an HL7 v3 PurposeOfUse code is bad
// input and asks no proxy: nothing of the text reaches an access log.
func TestFetchFromRefusesFreeTextPurpose(t *testing.T) {
	f, req, _ := newFakeSource(t, 3)
	f.answer = func(int, *p2p.ReencryptRequest, []string) []RelayAnswer { return nil }
	req.Purpose = "Jane.Doe-1970"
	if _, err := FetchFrom(context.Background(), f, req); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "PurposeOfUse") {
		t.Fatalf("free-text purpose: %v", err)
	}
	if len(f.excludes) != 0 {
		t.Fatalf("%d proxies asked", len(f.excludes))
	}
}

// Batches selects which of the stream's batches a fetch reads (the
// console's workers each take a share): an unselected batch is neither
// fetched nor counted, a selected one comes out whole.
func TestFetchFromSelectsBatches(t *testing.T) {
	f, req, rs := newFakeSource(t, 30)
	f.answer = func(_ int, r *p2p.ReencryptRequest, _ []string) []RelayAnswer {
		return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())}}
	}
	req.Batches = func(i int) bool { return i != 0 }
	res, err := FetchFrom(context.Background(), f, req)
	if err != nil || res.Batches != 0 || len(res.Readings) != 0 {
		t.Fatalf("batch 0 not selected: %d batches, %d readings, %v", res.Batches, len(res.Readings), err)
	}
	req.Batches = func(i int) bool { return i == 0 }
	res, err = FetchFrom(context.Background(), f, req)
	if err != nil || res.Batches != 1 || len(res.Readings) != len(rs) || res.Verified != len(rs) {
		t.Fatalf("batch 0 selected: %+v %v", res, err)
	}
}

// With KeepGoing a tampered batch is reported, not fatal: the fetch names
// it as tampered (not missing) and hands on none of its readings; without,
// the same batch fails the fetch.
func TestFetchFromKeepGoingReportsTamperedBatch(t *testing.T) {
	f, req, _ := newFakeSource(t, 30)
	f.answer = func(_ int, r *p2p.ReencryptRequest, _ []string) []RelayAnswer {
		return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())}}
	}
	root, _ := cid.Cast(f.cs[0].RootCID)
	for c, b := range f.blocks {
		if !c.Equals(root) {
			bad := slices.Clone(b.RawData())
			bad[len(bad)/2] ^= 1
			f.blocks[c], _ = blocks.NewBlockWithCid(bad, c)
			break
		}
	}
	if _, err := FetchFrom(context.Background(), f, req); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("tampered batch without KeepGoing: %v, want ErrIntegrity", err)
	}
	req.KeepGoing = true
	res, err := FetchFrom(context.Background(), f, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Readings) != 0 || res.Batches != 0 || len(res.Failed) != 1 || res.Failed[0].Missing || res.Failed[0].Root != root.String() || res.Failed[0].Seq != 1 {
		t.Fatalf("KeepGoing over a tampered batch: %d readings, %d batches, failed %+v", len(res.Readings), res.Batches, res.Failed)
	}
}

// A batch whose block no member holds (the daemon answers 404, a blockstore
// ErrNotFound) is reported as missing, not as tampered: the console showed
// a block nobody could serve as "tampered: does not match the chain".
func TestFetchFromKeepGoingReportsMissingBatch(t *testing.T) {
	f, req, _ := newFakeSource(t, 30)
	f.answer = func(_ int, r *p2p.ReencryptRequest, _ []string) []RelayAnswer {
		return []RelayAnswer{{Proxy: "p1", Outcome: "granted", CFrag: f.cfrag(t, 0, r, r.Binding())}}
	}
	root, _ := cid.Cast(f.cs[0].RootCID)
	for name, gone := range map[string]func(cid.Cid) error{
		"the daemon's 404":      func(c cid.Cid) error { return fmt.Errorf("%w: GET /v1/records/%s: no such block", ErrNotFound, c) },
		"a blockstore's answer": func(c cid.Cid) error { return ipld.ErrNotFound{Cid: c} },
	} {
		for _, which := range []string{"root", "chunk"} {
			src := &goneSource{fakeSource: f, err: gone}
			for c := range f.blocks {
				if c.Equals(root) == (which == "root") {
					src.gone = c
					break
				}
			}
			req.KeepGoing = true
			res, err := FetchFrom(context.Background(), src, req)
			if err != nil {
				t.Fatalf("%s, %s gone: %v", name, which, err)
			}
			if len(res.Failed) != 1 || !res.Failed[0].Missing || res.Failed[0].Root != root.String() {
				t.Errorf("%s, %s gone: failed %+v, want the batch reported missing", name, which, res.Failed)
			}
		}
	}
}

type goneSource struct {
	*fakeSource
	gone cid.Cid
	err  func(cid.Cid) error
}

func (s *goneSource) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	if c.Equals(s.gone) {
		return nil, s.err(c)
	}
	return s.fakeSource.GetBlock(ctx, c)
}
