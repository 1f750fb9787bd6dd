package erasure

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
)

// ChainReader is what Verify reads from the chain. *pointers.Client
// implements it, also when dialled read-only by an auditor with no repo
// (pointers.Dial).
type ChainReader interface {
	Contracts() pointers.Addresses
	LookupErasure(ctx context.Context, subjectTag [32]byte) (pointers.ErasureRecord, error)
	GetGrant(ctx context.Context, id [32]byte) (pointers.GrantRecord, error)
	GrantsByStream(ctx context.Context, key pointers.GrantKey, custodian common.Address) ([][32]byte, error)
	MembersAt(ctx context.Context, block uint64) ([]pointers.Member, error)
	RegistryConsortium(ctx context.Context, registry common.Address, which string) (common.Address, error)
}

// Verification outcomes.
const (
	// StatusValid: every check holds and every member of the consortium
	// at the erasure block acknowledged the purge.
	StatusValid = "valid"
	// StatusIncomplete: every check holds, but the members listed in
	// Verification.Missing have not acknowledged the purge (yet): the
	// custodian cannot vouch for what they still hold.
	StatusIncomplete = "incomplete"
)

// Verification is what Verify established, from the certificate's
// signatures and the chain, trusting nothing the custodian merely wrote.
type Verification struct {
	Certificate *Certificate `json:"-"`
	Status      string       `json:"status"`
	// Members are the peers that were active consortium members at the
	// block of the deletion record: each could hold the patient's data.
	Members []string `json:"members"`
	// Missing are the members with no valid acknowledgement.
	Missing []string `json:"missing"`
	// Checks are the verifier's own checks, in the order made; each holds
	// (a failed one makes Verify return an error instead).
	Checks []Check `json:"checks"`
}

// Probes a custodian runs before certifying; a certificate may state only
// these, all passed.
var knownProbes = []string{"keys-unusable", "no-block-served", "no-cfrag-answered"}

// Verify checks an erasure certificate against the chain, recomputing
// every statement that the chain or a signature can confirm:
//
//   - the custodian's signature over the canonical encoding, and the
//     hashes it states (request reference with its salt, key-id
//     commitment, erasure id);
//   - the purge order: signed by the custodian, for this subject and
//     exactly the listed streams, with the stated hash;
//   - the registries: the deletion registry and the grants registry are
//     bound to the stated consortium contract, on the chain the reader is
//     connected to (pin the addresses with the consortium's contracts file
//     to rule out a look-alike deployment);
//   - the deletion record: it holds this subject, key-id commitment,
//     request hash and purge-order hash (so no acknowledgement can be
//     carried over from another erasure), in the stated transaction and
//     block, recorded by the member account whose peer id signed;
//   - the acknowledgements: each signed by its peer over this order's
//     hash, each peer a member at the record's block, none twice; the
//     pending list is exactly the members with no acknowledgement;
//   - the recipients (Art. 19): every grant ever recorded on an erased
//     stream is revoked on-chain and listed, with the chain's grantee;
//   - the custodian's probes are known probes that passed.
//
// It returns StatusValid or StatusIncomplete; a certificate that does not
// hold is an error wrapping ErrInvalidCertificate naming what is wrong.
// A chain that cannot be read is another error: nothing was decided.
func Verify(ctx context.Context, certBytes []byte, chain ChainReader) (*Verification, error) {
	c, err := ParseCertificate(certBytes)
	if err != nil {
		return nil, err
	}
	v := &Verification{Certificate: c, Members: []string{}, Missing: []string{}}
	pass := func(name, format string, args ...any) {
		v.Checks = append(v.Checks, Check{Name: name, OK: true, Detail: fmt.Sprintf(format, args...)})
	}

	// The document itself.
	custodian, err := checkCustodianSignature(c.Custodian, c.signedBytes, c.Signature)
	if err != nil {
		return nil, err
	}
	pass("custodian-signature", "signed by %s", custodian)
	if RequestRefHash(c.RequestRefSalt, c.RequestRef) != c.RequestRefHash {
		return nil, invalid("requestRefHash is not the salted hash of requestRef")
	}
	if len(c.KeyIDs) == 0 {
		return nil, invalid("no destroyed key ids")
	}
	if KeyIDsCommitment(c.KeyIDs) != c.KeyIDsCommitment {
		return nil, invalid("keyIdsCommitment is not the commitment of keyIds")
	}
	if erasureID(c.SubjectTag) != c.ErasureID {
		return nil, invalid("erasureId does not match the subject tag")
	}
	pass("hashes", "request reference, %d key ids and erasure id match their hashes", len(c.KeyIDs))
	order, err := verifyOrder(c, custodian)
	if err != nil {
		return nil, err
	}
	pass("purge-order", "signed by the custodian for this subject and %d stream(s), %d batch root(s)", len(order.StreamTags), len(order.Roots))
	for _, ch := range c.Checks {
		if !slices.Contains(knownProbes, ch.Name) {
			return nil, invalid("the certificate states a probe %q that vaultnode does not run", ch.Name)
		}
		if !ch.OK {
			return nil, invalid("the custodian's probe %s failed: %s", ch.Name, ch.Detail)
		}
	}

	// The chain.
	addrs := chain.Contracts()
	ref := c.Chain
	if ref.ChainID != addrs.ChainID || !sameAddress(ref.Registry, addrs.Erasures) || !sameAddress(ref.Consortium, addrs.Consortium) || !sameAddress(ref.Grants, addrs.Grants) {
		return nil, invalid("certificate names chain %d registries %s/%s/%s, the verifier reads chain %d registries %s/%s/%s",
			ref.ChainID, ref.Registry, ref.Consortium, ref.Grants, addrs.ChainID, addrs.Erasures.Hex(), addrs.Consortium.Hex(), addrs.Grants.Hex())
	}
	for _, r := range []struct {
		which string
		at    common.Address
	}{{"erasures", addrs.Erasures}, {"grants", addrs.Grants}} {
		cons, err := chain.RegistryConsortium(ctx, r.at, r.which)
		if err != nil {
			if pointers.IsUnavailable(err) {
				return nil, fmt.Errorf("verify certificate: read chain: %w", err)
			}
			return nil, invalid("the %s registry %s is not a vaultnode registry: %v", r.which, r.at.Hex(), err)
		}
		if cons != addrs.Consortium {
			return nil, invalid("the %s registry %s belongs to consortium %s, not %s", r.which, r.at.Hex(), cons.Hex(), addrs.Consortium.Hex())
		}
	}
	pass("registries", "deletion and grant registries belong to consortium %s on chain %d", addrs.Consortium.Hex(), addrs.ChainID)
	rec, err := chain.LookupErasure(ctx, c.SubjectTag)
	if errors.Is(err, pointers.ErrUnknownErasure) {
		return nil, invalid("no deletion record on-chain for subject %s", c.SubjectTag)
	}
	if err != nil {
		return nil, fmt.Errorf("verify certificate: read chain: %w", err)
	}
	switch {
	case rec.KeyIDsCommitment != c.KeyIDsCommitment:
		return nil, invalid("on-chain key-id commitment differs from the certificate's")
	case rec.RequestRefHash != c.RequestRefHash:
		return nil, invalid("on-chain request-ref hash differs from the certificate's")
	case rec.PurgeOrderHash != c.PurgeOrderHash:
		return nil, invalid("on-chain purge-order hash differs from the certificate's: the order (and its acknowledgements) belong to another erasure")
	case rec.TxHash.Hex() != ref.TxHash:
		return nil, invalid("on-chain record is in transaction %s, the certificate says %s", rec.TxHash.Hex(), ref.TxHash)
	case rec.Block != ref.Block:
		return nil, invalid("on-chain record is in block %d, the certificate says %d", rec.Block, ref.Block)
	case rec.DPO.Hex() != ref.DPO:
		return nil, invalid("on-chain record made by %s, the certificate says %s", rec.DPO.Hex(), ref.DPO)
	}
	members, err := chain.MembersAt(ctx, rec.Block)
	if err != nil {
		return nil, fmt.Errorf("verify certificate: read members: %w", err)
	}
	memberPeers := map[peer.ID]common.Address{}
	for _, m := range members {
		if id, err := peer.IDFromBytes(m.PeerID); err == nil {
			memberPeers[id] = m.Account
			v.Members = append(v.Members, id.String())
		}
	}
	sort.Strings(v.Members)
	if acct, ok := memberPeers[custodian]; !ok || acct != rec.DPO {
		return nil, invalid("the custodian %s is not the member that recorded the erasure (%s)", custodian, rec.DPO.Hex())
	}
	pass("deletion-record", "block %d, transaction %s, by member %s; holds this subject, key-id commitment, request hash and purge-order hash", rec.Block, rec.TxHash.Hex(), rec.DPO.Hex())

	// Acknowledgements and pending peers.
	acked := map[peer.ID]bool{}
	for i, a := range c.Acks {
		id, err := peer.Decode(a.Peer)
		if err != nil {
			return nil, invalid("ack %d: peer id: %v", i, err)
		}
		if acked[id] {
			return nil, invalid("peer %s acknowledged twice", id)
		}
		acked[id] = true
		if _, ok := memberPeers[id]; !ok {
			return nil, invalid("ack %d: peer %s was not a consortium member at block %d", i, id, rec.Block)
		}
		pa := &p2p.PurgeAck{Order: c.PurgeOrderHash, Peer: id, KFrags: a.KFrags, Blocks: a.Blocks, Time: a.Time, Sig: a.Signature}
		if err := pa.Verify(); err != nil {
			return nil, invalid("ack %d of %s: %v", i, id, err)
		}
	}
	for _, m := range v.Members {
		if id, _ := peer.Decode(m); !acked[id] {
			v.Missing = append(v.Missing, m)
		}
	}
	pending := slices.Clone(c.Pending)
	sort.Strings(pending)
	if !slices.Equal(slices.Compact(pending), v.Missing) || len(pending) != len(c.Pending) {
		return nil, invalid("the pending list %v is not the members with no acknowledgement %v", c.Pending, v.Missing)
	}
	pass("acknowledgements", "%d of %d members at block %d acknowledged the purge, each signature over this order", len(v.Members)-len(v.Missing), len(v.Members), rec.Block)

	// Recipients (Art. 19): every grant ever recorded on an erased stream.
	listed := map[Hex32]Recipient{}
	for _, r := range c.Recipients {
		if _, dup := listed[r.GrantID]; dup {
			return nil, invalid("recipient grant %s listed twice", r.GrantID)
		}
		if !slices.Contains(order.StreamTags, [32]byte(r.StreamTag)) {
			return nil, invalid("recipient grant %s is for a stream not erased", r.GrantID)
		}
		listed[r.GrantID] = r
	}
	grants := 0
	for _, tag := range order.StreamTags {
		ids, err := chain.GrantsByStream(ctx, pointers.GrantKeyOf(tag), rec.DPO)
		if err != nil {
			return nil, fmt.Errorf("verify certificate: read grants: %w", err)
		}
		for _, id := range ids {
			grants++
			g, err := chain.GetGrant(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("verify certificate: read grant %x: %w", id[:8], err)
			}
			if !g.Revoked {
				return nil, invalid("grant %s on erased stream %s is not revoked on-chain", Hex32(id), Hex32(tag))
			}
			r, ok := listed[Hex32(id)]
			if !ok {
				return nil, invalid("grant %s on erased stream %s is missing from the recipients (Art. 19)", Hex32(id), Hex32(tag))
			}
			if g.GranteeKeyHash != r.Grantee || !pointers.GrantKeyOf(r.StreamTag).Binds(id, g.StreamBinding) {
				return nil, invalid("recipient grant %s: grantee or stream differs from the chain", r.GrantID)
			}
			delete(listed, Hex32(id))
		}
	}
	for id := range listed {
		return nil, invalid("recipient grant %s is not recorded on-chain for an erased stream", id)
	}
	pass("grants-revoked", "all %d grant(s) ever recorded on the %d erased stream(s) are revoked on-chain and listed as recipients", grants, len(order.StreamTags))

	v.Status = StatusValid
	if len(v.Missing) > 0 {
		v.Status = StatusIncomplete
	}
	return v, nil
}

// verifyOrder checks the certificate's purge order against the custodian
// and the certificate's subject, streams and order hash.
func verifyOrder(c *Certificate, custodian peer.ID) (*p2p.PurgeOrder, error) {
	order, err := p2p.ParsePurgeOrder(c.PurgeOrder)
	if err != nil {
		return nil, invalid("purge order: %v", err)
	}
	if err := order.Verify(); err != nil {
		return nil, invalid("purge order: %v", err)
	}
	if order.Custodian != custodian {
		return nil, invalid("purge order signed by %s, not the custodian", order.Custodian)
	}
	if order.SubjectTag != c.SubjectTag {
		return nil, invalid("purge order is for another subject")
	}
	if oh, _ := order.Hash(); Hex32(oh) != c.PurgeOrderHash {
		return nil, invalid("purgeOrderHash does not match the purge order")
	}
	orderTags := map[[32]byte]bool{}
	for _, t := range order.StreamTags {
		orderTags[t] = true
	}
	streamTags := map[[32]byte]bool{}
	for _, s := range c.Streams {
		if !orderTags[s.Tag] {
			return nil, invalid("stream %s is not in the purge order", s.Tag)
		}
		if s.Name != "" {
			return nil, invalid("the certificate names a stream (%q): an erased patient's stream names are forgotten", s.Name)
		}
		streamTags[s.Tag] = true
	}
	if len(streamTags) != len(orderTags) {
		return nil, invalid("the purge order names streams the certificate does not list")
	}
	return order, nil
}

func sameAddress(s string, a common.Address) bool {
	return common.IsHexAddress(s) && common.HexToAddress(s) == a
}

// checkCustodianSignature checks that sig is the signature, by the key
// embedded in the custodian's peer id, over the document's canonical
// encoding, and returns the custodian.
func checkCustodianSignature(custodianID string, signedBytes func() ([]byte, error), sig []byte) (peer.ID, error) {
	custodian, err := peer.Decode(custodianID)
	if err != nil {
		return "", invalid("custodian peer id: %v", err)
	}
	pub, err := custodian.ExtractPublicKey()
	if err != nil {
		return "", invalid("custodian peer id holds no public key: %v", err)
	}
	msg, err := signedBytes()
	if err != nil {
		return "", invalid("encode: %v", err)
	}
	if ok, err := pub.Verify(msg, sig); err != nil || !ok {
		return "", invalid("custodian signature does not verify")
	}
	return custodian, nil
}
