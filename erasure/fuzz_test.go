package erasure

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// stubChain knows no erasure, refusal, grant or member: Verify must reject
// everything it is given, without panicking, whatever the bytes.
type stubChain struct{}

func (stubChain) Contracts() pointers.Addresses { return pointers.Addresses{ChainID: 1337} }
func (stubChain) LookupErasure(context.Context, [32]byte) (pointers.ErasureRecord, error) {
	return pointers.ErasureRecord{}, pointers.ErrUnknownErasure
}
func (stubChain) GetGrant(context.Context, [32]byte) (pointers.GrantRecord, error) {
	return pointers.GrantRecord{}, pointers.ErrUnknownGrant
}
func (stubChain) Members(context.Context) ([]pointers.Member, error) { return nil, nil }
func (stubChain) MembersAt(context.Context, uint64) ([]pointers.Member, error) {
	return nil, nil
}
func (stubChain) GrantsByStream(context.Context, pointers.GrantKey, common.Address) ([][32]byte, error) {
	return nil, nil
}
func (stubChain) RegistryConsortium(context.Context, common.Address, string) (common.Address, error) {
	return common.Address{}, nil
}
func (stubChain) LookupRefusal(context.Context, [32]byte) (pointers.RefusalRecord, error) {
	return pointers.RefusalRecord{}, pointers.ErrUnknownRefusal
}

// seedCertificate builds a well-formed signed certificate without a network.
func seedCertificate(tb testing.TB) []byte {
	key, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	o := &p2p.PurgeOrder{Issued: time.Now().UTC(), StreamTags: [][32]byte{{1}}, SubjectTag: [32]byte{2}}
	if err := o.Sign(key); err != nil {
		tb.Fatal(err)
	}
	ob, _ := o.MarshalBinary()
	oh, _ := o.Hash()
	a := &p2p.PurgeAck{Order: oh, KFrags: 1, Blocks: 5, Time: time.Now().UTC()}
	_ = a.Sign(key)
	ids := []Hex32{{3}, {4}}
	const zero = "0x0000000000000000000000000000000000000000"
	c := &Certificate{Format: CertificateFormat, ErasureID: erasureID(Hex32{2}), SubjectTag: Hex32{2}, RequestRef: "R",
		RequestRefHash: RequestRefHash(Hex32{}, "R"), Received: time.Now().UTC(), Deadline: time.Now().UTC().AddDate(0, 1, 0),
		KeysDestroyed: time.Now().UTC(), Issued: time.Now().UTC(), KeyIDs: ids, KeyIDsCommitment: KeyIDsCommitment(ids),
		Streams: []CertStream{{Tag: Hex32{1}, Batches: 1}}, Recipients: []Recipient{}, PurgeOrder: ob,
		PurgeOrderHash: oh, Acks: []Ack{{Peer: a.Peer.String(), KFrags: 1, Blocks: 5, Time: a.Time, Signature: a.Sig}},
		Pending: []string{}, Chain: ChainRef{ChainID: 1337, Registry: zero, Consortium: zero, Grants: zero},
		Checks: []Check{{Name: "keys-unusable", OK: true}}}
	b, err := c.sign(key)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func FuzzVerifyCertificate(f *testing.F) {
	f.Add(seedCertificate(f))
	f.Add([]byte(`{"format":"vaultnode-erasure-certificate/2"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := Verify(context.Background(), b, stubChain{}); err == nil {
			t.Fatal("a certificate verified against a chain that holds no erasure")
		}
		c, err := ParseCertificate(b)
		if err != nil {
			return
		}
		if _, err := c.signedBytes(); err != nil {
			t.Fatalf("parsed certificate does not re-encode: %v", err)
		}
	})
}

func FuzzVerifyRefusal(f *testing.F) {
	f.Add([]byte(`{"format":"vaultnode-erasure-refusal/1","ground":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := VerifyRefusal(context.Background(), b, stubChain{}); err == nil {
			t.Fatal("a refusal verified against a chain that holds none")
		}
	})
}

func FuzzDecodeJournal(f *testing.F) {
	j := &journal{Version: journalVersion, Step: StepPurged, SubjectTag: Hex32{1}, RequestRef: "R", Received: time.Unix(1, 0).UTC(),
		Streams: []CertStream{{Name: "glucose", Tag: Hex32{2}}}, KeyIDs: []Hex32{{3}}, Pending: []string{"p"}}
	j.ID = erasureID(j.SubjectTag)
	b, err := encodeJournal(j)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"sha256":"","journal":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := decodeJournal(b)
		if err != nil {
			return
		}
		out, err := encodeJournal(j)
		if err != nil {
			t.Fatal(err)
		}
		j2, err := decodeJournal(out)
		if err != nil || j2.Step != j.Step || j2.ID != j.ID || j2.RequestRef != j.RequestRef {
			t.Fatalf("accepted journal does not survive a round trip: %v", err)
		}
	})
}

// The fuzz seed is a valid certificate: Verify gets past every signature
// and hash, and fails only at the chain (which holds no record).
func TestSeedCertificateReachesChainCheck(t *testing.T) {
	_, err := Verify(context.Background(), seedCertificate(t), stubChain{})
	if err == nil || !strings.Contains(err.Error(), "no deletion record") {
		t.Fatalf("seed certificate: %v", err)
	}
}
