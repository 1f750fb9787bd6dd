package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/internal/fetch"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// GrantRequest asks for a grant on a patient's stream.
type GrantRequest struct {
	Patient   string // pseudonym or local MRN
	Stream    string
	Grantee   p2p.GranteeKey
	NotBefore time.Time
	NotAfter  time.Time
	M, N      int
	// Purposes restricts the grant to these purposes of use (HL7 v3
	// PurposeOfUse codes such as TREAT); every proxy refuses requests for
	// any other. Empty: any purpose.
	Purposes []string
}

// GrantResult describes a recorded grant (no secret).
type GrantResult struct {
	ID        string    `json:"id"`
	Ticket    string    `json:"ticket"`
	StreamTag string    `json:"streamTag"`
	Grantee   string    `json:"granteeKeyHash"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	M         int       `json:"threshold"`
	Purposes  []string  `json:"purposes,omitempty"`
	Proxies   []string  `json:"proxies"`
	Tx        string    `json:"tx,omitempty"`
	Block     uint64    `json:"block,omitempty"`
	// Pending: the chain could not be reached; the grant is journaled, sent
	// when it answers, and its kfrags delivered then (no Tx or Block yet).
	Pending bool `json:"pending,omitempty"`
	// Warnings say what the grant risks (a threshold of 1).
	Warnings []string `json:"warnings,omitempty"`
}

// DefaultThreshold is M when a grant request leaves it out: with M = 1 one
// proxy together with the clinician can rebuild the stream's key (Umbral's
// collusion bound), so a single proxy is never the default.
const DefaultThreshold = 2

// singleProxyWarning is what a grant with M = 1 is told.
const singleProxyWarning = "threshold 1: one proxy together with the clinician can rebuild the stream key (up to the next revocation's key epoch); use a threshold of 2 or more when the consortium has the members"

type proxyInfo struct {
	account common.Address
	peer    peer.ID
	key     []byte
}

func (n *Node) proxies(ctx context.Context) ([]proxyInfo, error) {
	ms, err := n.Chain.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	var out []proxyInfo
	for _, m := range ms {
		if !m.Active || len(m.ProxyKey) != p2p.ProxyKeySize {
			continue
		}
		id, err := peer.IDFromBytes(m.PeerID)
		if err != nil {
			continue
		}
		out = append(out, proxyInfo{account: m.Account, peer: id, key: m.ProxyKey})
	}
	return out, nil
}

// chooseProxies picks n proxies for grant: by preference class (rank, lowest
// first), and within a class by rendezvous hashing on the grant id
// (highest SHA-256(grant id ‖ peer id) first), so that grants spread evenly
// over the members instead of always landing on the first n in contract
// order, and the same grant always maps to the same members.
func chooseProxies(all []proxyInfo, rank func(proxyInfo) int, grant [32]byte, n int) []proxyInfo {
	type cand struct {
		p    proxyInfo
		rank int
		w    [32]byte
	}
	cs := make([]cand, len(all))
	for i, p := range all {
		cs[i] = cand{p: p, rank: rank(p), w: sha256.Sum256(append(grant[:], p.peer...))}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].rank != cs[j].rank {
			return cs[i].rank < cs[j].rank
		}
		return bytes.Compare(cs[i].w[:], cs[j].w[:]) > 0
	})
	out := make([]proxyInfo, 0, n)
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.p)
	}
	return out
}

// Grant creates a grant: kfrags for the stream key, the grant on-chain signed
// by this node's patient-side signer, and the kfrags sealed to N proxies.
func (n *Node) Grant(ctx context.Context, r GrantRequest) (*GrantResult, error) {
	if len(r.Purposes) > p2p.MaxPurposes {
		return nil, fmt.Errorf("%w: %d purposes of use, at most %d", ErrBadInput, len(r.Purposes), p2p.MaxPurposes)
	}
	// The wire format carries any printable purpose; a grant takes codes
	// only (p2p.CheckPurpose).
	for _, p := range r.Purposes {
		if err := p2p.CheckPurpose(p); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
		}
	}
	if r.M == 0 {
		r.M = DefaultThreshold
	}
	if r.M < 1 || r.N < 0 || (r.N != 0 && r.N < r.M) || r.N > reencrypt.MaxShares || r.M > reencrypt.MaxShares {
		return nil, fmt.Errorf("%w: threshold %d of %d proxies", ErrBadInput, r.M, r.N)
	}
	if !r.NotAfter.After(r.NotBefore) {
		return nil, fmt.Errorf("%w: the grant window must end after it starts (from %s until %s)", ErrBadInput, r.NotBefore.UTC().Format(time.RFC3339), r.NotAfter.UTC().Format(time.RFC3339))
	}
	if !r.NotAfter.After(time.Now()) {
		return nil, fmt.Errorf("%w: the grant window has already ended", ErrBadInput)
	}
	pt, err := n.Keys.ResolvePatient(ctx, r.Patient)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown patient", ErrNotFound)
	}
	st, err := n.Keys.Stream(ctx, pt.Pseudonym, r.Stream)
	if errors.Is(err, keys.ErrUnknownStream) {
		return nil, fmt.Errorf("%w: patient has no stream %q", ErrNotFound, r.Stream)
	}
	if err != nil {
		return nil, err
	}
	all, err := n.proxies(ctx)
	if err != nil {
		return nil, err
	}
	// Prefer connected remote members, then this node, then the others.
	self := n.PeerID()
	rank := func(p proxyInfo) int {
		switch {
		case p.peer != self && n.P2P != nil && n.P2P.Connected(p.peer):
			return 0
		case p.peer == self:
			return 1
		}
		return 2
	}
	if r.N == 0 { // default: one spare proxy when a reachable member can be it
		reachable := 0
		for _, p := range all {
			if rank(p) < 2 {
				reachable++
			}
		}
		r.N = max(r.M, min(r.M+1, reachable))
	}
	if len(all) < r.N {
		if len(all) < r.M && r.M > 1 {
			return nil, fmt.Errorf("%w: threshold %d needs %d proxies, the consortium has %d member(s) with a proxy key; ask for threshold 1 explicitly to grant through fewer members (%s)", ErrBadInput, r.M, r.M, len(all), singleProxyWarning)
		}
		return nil, fmt.Errorf("%w: %d proxies asked, %d consortium members with a proxy key", ErrBadInput, r.N, len(all))
	}
	g := pointers.Grant{GranteeKeyHash: r.Grantee.Hash(), NotBefore: r.NotBefore.Truncate(time.Second),
		NotAfter: r.NotAfter.Truncate(time.Second), M: uint8(r.M), SignerKey: n.d.grantSigner.Public().(ed25519.PublicKey)}
	if _, err := rand.Read(g.ID[:]); err != nil {
		return nil, err
	}
	g.StreamBinding = pointers.GrantKeyOf(st.Tag).Binding(g.ID)
	chosen := chooseProxies(all, rank, g.ID, r.N)
	for _, p := range chosen {
		g.Proxies = append(g.Proxies, p.account)
	}
	g.Signature = ed25519.Sign(n.d.grantSigner, n.Chain.GrantMessage(g))
	// Kfrags for every key epoch of the stream: the window may cover
	// batches sealed under any of them.
	sks, err := n.Keys.StreamSecretKeys(ctx, pt.Pseudonym, r.Stream)
	if err != nil {
		return nil, err
	}
	var epochs [][]*reencrypt.KFrag
	defer func() {
		for _, kfs := range epochs {
			for _, k := range kfs {
				k.Wipe()
			}
		}
	}()
	for _, sk := range sks {
		kfrags, err := reencrypt.GenerateKFrags(rand.Reader, sk, r.Grantee.PRE, n.d.grantSigner, r.M, r.N,
			reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter})
		sk.Wipe()
		if err != nil {
			return nil, fmt.Errorf("generate kfrags: %w", err)
		}
		epochs = append(epochs, kfrags)
	}
	rcpt, err := n.Chain.Grant(ctx, g)
	pending := errors.Is(err, pointers.ErrPending)
	if err != nil && !pending {
		return nil, fmt.Errorf("record grant on-chain: %w", err)
	}
	if err := n.Store.Datastore().Put(ctx, grantKey(st.Tag, g.ID), encodeGrantIndex(r.Grantee, r.Purposes)); err != nil {
		return nil, fmt.Errorf("index grant: %w", err)
	}
	res := &GrantResult{ID: hex.EncodeToString(g.ID[:]), Ticket: Ticket{GrantID: g.ID, StreamTag: st.Tag, ChainSecret: pointers.StreamSecret(st.ChainSecret), StreamKey: st.FirstKey}.String(),
		StreamTag: hex.EncodeToString(st.Tag[:]), Grantee: hex.EncodeToString(g.GranteeKeyHash[:]),
		NotBefore: g.NotBefore, NotAfter: g.NotAfter, M: r.M, Purposes: r.Purposes}
	if pending {
		// The chain is away: the grant is journaled and sent when it answers;
		// proxies take kfrags only for a grant they see on-chain, so they are
		// delivered then, by the daemon's retry (RetryRekeys).
		if err := n.Store.Datastore().Put(ctx, rekeyKey(g.ID), st.Tag[:]); err != nil {
			return nil, err
		}
		res.Pending = true
		n.Log.Warn("grant journaled while the chain is unreachable; kfrags follow when it lands", "grant", res.ID[:8])
	} else {
		for _, kfrags := range epochs {
			if err := n.placeKFrags(ctx, g.ID, st.Tag, r.Purposes, kfrags, chosen); err != nil {
				return nil, err
			}
		}
		res.Tx, res.Block = rcpt.TxHash.Hex(), rcpt.Block
	}
	for _, p := range chosen {
		res.Proxies = append(res.Proxies, p.peer.String())
	}
	if r.M == 1 {
		res.Warnings = append(res.Warnings, singleProxyWarning)
		n.Log.Warn("grant with a threshold of 1", "grant", res.ID[:8])
	}
	return res, nil
}

// ParseGrantID decodes a grant id (64 hex digits) or a ticket.
func ParseGrantID(s string) ([32]byte, error) {
	var id [32]byte
	if strings.HasPrefix(s, fetch.TicketPrefix) {
		t, err := ParseTicket(s)
		return t.GrantID, err
	}
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		return id, fmt.Errorf("%w: grant id must be 64 hex digits", ErrBadInput)
	}
	copy(id[:], b)
	return id, nil
}

// Revoke revokes a grant this node signed; proxies drop its kfrags.
//
// While the chain cannot be reached, a grant this node recorded (its local
// grant index says so) is still revoked: the revocation is journaled and
// sent when the chain answers (the error wraps pointers.ErrPending), and
// this node's own kfrag is dropped at once. The proxies fail closed in the
// meantime: they serve no cfrag without a fresh grant check.
func (n *Node) Revoke(ctx context.Context, id [32]byte) (pointers.Receipt, error) {
	g, err := n.Chain.GetGrant(ctx, id)
	switch {
	case errors.Is(err, pointers.ErrUnknownGrant):
		return pointers.Receipt{}, fmt.Errorf("%w: no grant %x on-chain", ErrNotFound, id)
	case err != nil && pointers.IsUnavailable(err):
		own, ierr := n.recordedGrant(ctx, id)
		if ierr != nil {
			return pointers.Receipt{}, ierr
		}
		if !own {
			return pointers.Receipt{}, fmt.Errorf("grant %x is not one this node recorded, and the chain cannot be asked: %w", id[:4], err)
		}
	case err != nil:
		return pointers.Receipt{}, err
	case !bytes.Equal(g.SignerKey, n.d.grantSigner.Public().(ed25519.PublicKey)):
		return pointers.Receipt{}, fmt.Errorf("%w: grant %x was signed by another node's patient side", ErrAccessRefused, id)
	}
	rc, err := n.Chain.Revoke(ctx, id, ed25519.Sign(n.d.grantSigner, n.Chain.RevokeMessage(id)))
	pending := errors.Is(err, pointers.ErrPending)
	if err != nil && !pending {
		return rc, fmt.Errorf("revoke on-chain: %w", err)
	}
	if n.Proxy != nil {
		if _, err := n.Proxy.Forget(ctx, id); err != nil {
			n.Log.Warn("drop own kfrag", "err", err)
		}
	} else if _, err := n.Keys.DeleteKFrag(ctx, id); err != nil {
		n.Log.Warn("drop own kfrag", "err", err)
	}
	// A new key epoch for the stream: what is sealed from now on is out of
	// reach of the revoked grantee, even with proxies that kept its kfrags.
	if tag, ok, terr := n.grantStream(ctx, id); terr != nil || !ok {
		n.Log.Warn("stream key not rotated after a revocation: the grant's stream is not known here", "grant", fmt.Sprintf("%x", id[:4]), "err", terr)
	} else if rk, rerr := n.rotateAfterRevoke(ctx, id, tag); rerr != nil {
		n.Log.Error("stream key not rotated after a revocation", "grant", fmt.Sprintf("%x", id[:4]), "err", rerr)
	} else if len(rk.Failed) > 0 {
		n.Log.Warn("stream key rotated; some grants did not get the new key", "epoch", rk.Epoch, "rekeyed", rk.Rekeyed, "failed", strings.Join(rk.Failed, "; "))
	}
	if pending {
		return rc, fmt.Errorf("revoke grant %x: %w", id[:4], err)
	}
	return rc, nil
}

// grantStream returns the stream tag of a grant this node recorded, from
// its local grant index.
func (n *Node) grantStream(ctx context.Context, id [32]byte) (keys.Tag, bool, error) {
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: "/vaultnode/grant/", KeysOnly: true})
	if err != nil {
		return keys.Tag{}, false, err
	}
	defer res.Close()
	suffix := "/" + hex.EncodeToString(id[:])
	for r := range res.Next() {
		if r.Error != nil {
			return keys.Tag{}, false, r.Error
		}
		if !strings.HasSuffix(r.Key, suffix) {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(r.Key, "/vaultnode/grant/"), "/")
		b, err := hex.DecodeString(parts[0])
		if len(parts) != 2 || err != nil || len(b) != 32 {
			return keys.Tag{}, false, fmt.Errorf("grant index key %q is malformed", r.Key)
		}
		return keys.Tag(b), true, nil
	}
	return keys.Tag{}, false, nil
}

// recordedGrant reports whether this node recorded grant id (its local
// grant index, kept for every grant it made).
func (n *Node) recordedGrant(ctx context.Context, id [32]byte) (bool, error) {
	_, ok, err := n.grantStream(ctx, id)
	return ok, err
}

func grantKey(tag keys.Tag, id [32]byte) ds.Key {
	return ds.NewKey(grantIndexPrefix(tag) + hex.EncodeToString(id[:]))
}

// findGrants lists the grants this node recorded for the stream tags (the
// custodian is the only node that can grant a patient's streams).
func (n *Node) findGrants(ctx context.Context, tags [][32]byte) ([][32]byte, error) {
	var out [][32]byte
	seen := map[[32]byte]bool{}
	// The chain is the record of every grant of the streams, whoever recorded
	// it; the local index adds nothing the chain lacks but is kept as a
	// fallback for grants still in this node's chain journal.
	for _, t := range tags {
		ids, err := n.Chain.GrantsByStream(ctx, pointers.GrantKeyOf(t), n.Chain.Account())
		if err != nil && pointers.IsUnavailable(err) {
			// The chain is away: the grants this node recorded (it is the
			// custodian, the only node that grants the patient's streams)
			// are in its local index, read below.
			n.Log.Warn("chain unreachable: the patient's grants are taken from this node's own index", "err", err)
			break
		}
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	for _, t := range tags {
		res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: "/vaultnode/grant/" + hex.EncodeToString(t[:]) + "/", KeysOnly: true})
		if err != nil {
			return nil, err
		}
		for r := range res.Next() {
			if r.Error != nil {
				res.Close()
				return nil, r.Error
			}
			id, err := ParseGrantID(r.Key[strings.LastIndexByte(r.Key, '/')+1:])
			if err != nil {
				res.Close()
				return nil, err
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		res.Close()
	}
	return out, nil
}

// ResolveGrantID reads a grant id given in full (64 hex digits), as a
// ticket, or, as git does for commits, as a prefix of at least 4 hex digits
// of exactly one grant this node recorded.
func (n *Node) ResolveGrantID(ctx context.Context, s string) ([32]byte, error) {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "0x"))
	if len(s) == 64 || strings.HasPrefix(s, fetch.TicketPrefix) {
		return ParseGrantID(s)
	}
	var none [32]byte
	if len(s) < 4 || len(s) > 64 {
		return none, fmt.Errorf("%w: grant id %q: give the full id (64 hex digits) or at least its first 4", ErrBadInput, s)
	}
	if _, err := hex.DecodeString(s[:len(s)&^1]); err != nil {
		return none, fmt.Errorf("%w: grant id %q is not hexadecimal", ErrBadInput, s)
	}
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: "/vaultnode/grant/", KeysOnly: true})
	if err != nil {
		return none, err
	}
	defer res.Close()
	var found [][32]byte
	for r := range res.Next() {
		if r.Error != nil {
			return none, r.Error
		}
		h := r.Key[strings.LastIndexByte(r.Key, '/')+1:]
		if !strings.HasPrefix(h, s) {
			continue
		}
		id, err := ParseGrantID(h)
		if err != nil {
			return none, err
		}
		if len(found) == 0 || found[0] != id {
			found = append(found, id)
		}
	}
	switch len(found) {
	case 0:
		return none, fmt.Errorf("%w: no grant of this node starts with %s", ErrNotFound, s)
	case 1:
		return found[0], nil
	}
	return none, fmt.Errorf("%w: grant id %s is ambiguous (%d grants start with it); give more digits", ErrBadInput, s, len(found))
}

// grantIndexPrefix is where the node indexes the grants it recorded on a
// stream (one key per grant under it).
func grantIndexPrefix(tag [32]byte) string {
	return "/vaultnode/grant/" + hex.EncodeToString(tag[:]) + "/"
}
