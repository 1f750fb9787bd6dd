package pointers

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// write performs one registry write: it simulates the call first (a call that would revert returns the
// typed error and nothing is journaled or sent), journals the intent (fsync), sends the transaction,
// waits until it is mined (durable on the embedded chain) and journals that it is done. If the process
// dies in between, the next Open finishes the write exactly once.
//
// While the chain cannot be reached the write cannot be simulated: it is journaled as it is and the
// error wraps ErrPending; the client sends it once the chain answers (a write the chain then rejects
// is logged and abandoned, as at reconciliation).
func (c *Client) write(ctx context.Context, op string, to common.Address, data []byte) (Receipt, error) {
	select {
	case <-c.closed:
		return Receipt{}, fmt.Errorf("pointers: %s: %w", op, ErrClosed)
	default:
	}
	if c.journal == nil {
		return Receipt{}, fmt.Errorf("pointers: %s: %w", op, ErrReadOnly)
	}
	var offline error
	if !c.ready.Load() {
		offline = ErrChainUnavailable
	} else if err := c.CheckLive(ctx); err != nil {
		if !IsUnavailable(err) {
			return Receipt{}, fmt.Errorf("pointers: %s: %w", op, err)
		}
		offline = err
	} else if _, err := c.eth.EstimateGas(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: data}); err != nil {
		if !IsUnavailable(err) {
			return Receipt{}, c.wrapRevert(op, err)
		}
		offline = err
	}
	var id opID
	if _, err := rand.Read(id[:]); err != nil {
		return Receipt{}, err
	}
	o := jop{id: id, name: op, to: to, data: data}
	if offline == nil {
		// Sent by this call: the committer's retry leaves it alone meanwhile.
		c.inflight.Store(id, true)
		defer c.inflight.Delete(id)
	}
	if err := c.journal.append(&jrecord{kind: recOp, op: o}); err != nil {
		return Receipt{}, err
	}
	if offline != nil {
		c.log.Warn("chain unreachable: write journaled, sent when it answers", "op", op, "err", offline)
		return Receipt{}, fmt.Errorf("pointers: %s: %w (%v)", op, ErrPending, offline)
	}
	r, err := c.submitOp(ctx, o)
	if err != nil && r.Block == 0 && IsUnavailable(err) {
		return r, fmt.Errorf("pointers: %s: %w (%v)", op, ErrPending, err)
	}
	return r, err
}

// PendingWrites is the number of journaled registry writes not yet on chain.
func (c *Client) PendingWrites() int {
	n := 0
	for _, e := range c.journal.snapshot() {
		if e.isOp && e.done == nil && !e.abandoned {
			n++
		}
	}
	return n
}

// retryOps finishes journaled registry writes whose caller gave up (timeout, transport error) while the
// client kept running: each is replayed as at Open (re-sent only if its effect is missing).
func (c *Client) retryOps() {
	// Not while the chain has stalled: a copy sent now would only wait in the
	// pool beside the first and revert after it once blocks resume.
	lctx, lcancel := context.WithTimeout(context.Background(), 10*time.Second)
	live := c.CheckLive(lctx)
	lcancel()
	if live != nil {
		return
	}
	for _, e := range c.journal.snapshot() {
		if !e.isOp || e.done != nil || e.abandoned {
			continue
		}
		if _, busy := c.inflight.Load(e.op.id); busy {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.TxTimeout+30*time.Second)
		go func() {
			select {
			case <-c.closed:
				cancel()
			case <-ctx.Done():
			}
		}()
		c.inflight.Store(e.op.id, true)
		if _, err := c.replayOp(ctx, e.op); err != nil {
			c.log.Warn("retrying journaled chain write", "op", e.op.name, "err", err)
		}
		c.inflight.Delete(e.op.id)
		cancel()
	}
}

func (c *Client) submitOp(ctx context.Context, o jop) (Receipt, error) {
	r, err := c.send(ctx, o.name, &o.to, o.data, nil)
	if err != nil {
		if r.Block != 0 { // mined but reverted: final
			rec := &jrecord{kind: recAbandon, ops: []opID{o.id}}
			if !isAlreadyApplied(err) {
				// The revert reason is read at the block before, where an earlier copy of the same
				// write (sent before an outage, mined in the same block) had not landed yet: ask
				// the chain as it is now.
				if _, cerr := c.eth.CallContract(ctx, ethereum.CallMsg{From: c.from, To: &o.to, Data: o.data}, nil); cerr != nil && isAlreadyApplied(c.wrapRevert(o.name, cerr)) {
					err = c.wrapRevert(o.name, cerr)
				}
			}
			if isAlreadyApplied(err) {
				// Raced with an earlier transaction of the same write: its effect is on chain.
				rec = &jrecord{kind: recDone, done: jdone{block: r.Block, blockHash: r.BlockHash, txHash: r.TxHash}, ops: []opID{o.id}}
			}
			if jerr := c.journal.append(rec); jerr != nil {
				return r, errors.Join(err, jerr)
			}
		}
		return r, err
	}
	if err := c.journal.append(&jrecord{kind: recDone, done: jdone{block: r.Block, blockHash: r.BlockHash, txHash: r.TxHash}, ops: []opID{o.id}}); err != nil {
		return r, err
	}
	return r, nil
}

// ---- consortium members ----

// Member is a consortium member as recorded on chain.
type Member struct {
	Account  common.Address
	Active   bool
	Since    time.Time
	PeerID   []byte
	ProxyKey []byte
}

// AddMember adds a consortium member (admins only).
func (c *Client) AddMember(ctx context.Context, account common.Address, peerID, proxyKey []byte) (Receipt, error) {
	return c.write(ctx, "add member", c.addrs.Consortium, c.consortium.PackAddMember(account, peerID, proxyKey))
}

// RemoveMember deactivates a member (admins only).
func (c *Client) RemoveMember(ctx context.Context, account common.Address) (Receipt, error) {
	return c.write(ctx, "remove member", c.addrs.Consortium, c.consortium.PackRemoveMember(account))
}

// AddAdmin adds an admin (admins only).
func (c *Client) AddAdmin(ctx context.Context, account common.Address) (Receipt, error) {
	return c.write(ctx, "add admin", c.addrs.Consortium, c.consortium.PackAddAdmin(account))
}

// RemoveAdmin removes an admin (admins only; the last admin cannot be removed).
func (c *Client) RemoveAdmin(ctx context.Context, account common.Address) (Receipt, error) {
	return c.write(ctx, "remove admin", c.addrs.Consortium, c.consortium.PackRemoveAdmin(account))
}

// UpdateSelf sets this member's own peer id and proxy public key.
func (c *Client) UpdateSelf(ctx context.Context, peerID, proxyKey []byte) (Receipt, error) {
	return c.write(ctx, "update member", c.addrs.Consortium, c.consortium.PackUpdateSelf(peerID, proxyKey))
}

// IsMember reports whether the account is an active member.
func (c *Client) IsMember(ctx context.Context, account common.Address) (bool, error) {
	out, err := c.call(ctx, "is member", c.addrs.Consortium, c.consortium.PackIsMember(account))
	if err != nil {
		return false, err
	}
	return c.consortium.UnpackIsMember(out)
}

// IsAdmin reports whether the account is an admin.
func (c *Client) IsAdmin(ctx context.Context, account common.Address) (bool, error) {
	out, err := c.call(ctx, "is admin", c.addrs.Consortium, c.consortium.PackIsAdmin(account))
	if err != nil {
		return false, err
	}
	return c.consortium.UnpackIsAdmin(out)
}

// ResolveMember returns a member's record (ErrUnknownMember if the account never was one).
func (c *Client) ResolveMember(ctx context.Context, account common.Address) (Member, error) {
	out, err := c.call(ctx, "get member", c.addrs.Consortium, c.consortium.PackGetMember(account))
	if err != nil {
		return Member{}, err
	}
	m, err := c.consortium.UnpackGetMember(out)
	if err != nil {
		return Member{}, fmt.Errorf("pointers: get member: %w", err)
	}
	if m.Since == 0 {
		return Member{}, fmt.Errorf("pointers: member %s: %w", account, ErrUnknownMember)
	}
	return Member{Account: account, Active: m.Active, Since: time.Unix(int64(m.Since), 0), PeerID: m.PeerId, ProxyKey: m.ProxyKey}, nil
}

// readMembers reads every account that ever was a member, with its current record, from the chain.
func (c *Client) readMembers(ctx context.Context) ([]Member, error) {
	out, err := c.call(ctx, "member accounts", c.addrs.Consortium, c.consortium.PackMemberAccounts())
	if err != nil {
		return nil, err
	}
	accts, err := c.consortium.UnpackMemberAccounts(out)
	if err != nil {
		return nil, fmt.Errorf("pointers: member accounts: %w", err)
	}
	ms := make([]Member, 0, len(accts))
	for _, a := range accts {
		m, err := c.ResolveMember(ctx, a)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// ---- devices ----

// Device is an enrolled device.
type Device struct {
	IDHash     [32]byte
	PubKey     ed25519.PublicKey
	Owner      common.Address
	EnrolledAt time.Time
	Revoked    bool
	RevokedAt  time.Time
}

// RegisterDevice enrols a device under the keyed hash of its id with its Ed25519 public key; this node
// becomes its owner.
func (c *Client) RegisterDevice(ctx context.Context, idHash [32]byte, pub ed25519.PublicKey) (Receipt, error) {
	if len(pub) != ed25519.PublicKeySize {
		return Receipt{}, fmt.Errorf("pointers: register device: %w: public key is %d bytes, want %d", ErrBadInput, len(pub), ed25519.PublicKeySize)
	}
	return c.write(ctx, "register device", c.addrs.Consortium, c.consortium.PackRegisterDevice(idHash, [32]byte(pub)))
}

// RevokeDevice revokes a device (its owner or an admin).
func (c *Client) RevokeDevice(ctx context.Context, idHash [32]byte) (Receipt, error) {
	return c.write(ctx, "revoke device", c.addrs.Consortium, c.consortium.PackRevokeDevice(idHash))
}

// ResolveDevice returns a device's record (ErrUnknownDevice if none). Callers accepting data from the
// device must also check !Revoked (or use ActiveDevice).
func (c *Client) ResolveDevice(ctx context.Context, idHash [32]byte) (Device, error) {
	out, err := c.call(ctx, "get device", c.addrs.Consortium, c.consortium.PackGetDevice(idHash))
	if err != nil {
		return Device{}, err
	}
	d, err := c.consortium.UnpackGetDevice(out)
	if err != nil {
		return Device{}, fmt.Errorf("pointers: get device: %w", err)
	}
	dev := Device{IDHash: idHash, PubKey: ed25519.PublicKey(bytes.Clone(d.PubKey[:])), Owner: d.Owner, EnrolledAt: time.Unix(int64(d.EnrolledAt), 0), Revoked: d.Revoked}
	if d.Revoked {
		dev.RevokedAt = time.Unix(int64(d.RevokedAt), 0)
	}
	return dev, nil
}

// ---- grants ----

// Grant is an access grant (docs/PRODUCT.md §2). The window is [NotBefore, NotAfter), at one-second resolution.
type Grant struct {
	ID [32]byte
	// StreamBinding names the stream without a value any other record shares:
	// GrantKeyOf(stream tag).Binding(ID).
	StreamBinding  [32]byte
	GranteeKeyHash [32]byte
	NotBefore      time.Time
	NotAfter       time.Time
	M              uint8
	Proxies        []common.Address // N = len(Proxies), each a consortium member
	SignerKey      ed25519.PublicKey
	Signature      []byte // Ed25519 by SignerKey over GrantMessage
}

// GrantRecord is a grant as found on chain.
type GrantRecord struct {
	Grant
	Revoked         bool
	RevokedAt       time.Time
	RecordedBy      common.Address
	RevokeSignature []byte
}

const (
	grantDomain  = "vaultnode/grant/v1\x00"
	revokeDomain = "vaultnode/revoke/v1\x00"
)

// GrantMessage is the canonical byte string the patient side signs for a grant. It binds the chain id
// and the Grants contract, so a signature cannot be replayed on another deployment.
func (c *Client) GrantMessage(g Grant) []byte {
	return grantMessage(c.chainID.Uint64(), c.addrs.Grants, g)
}

// RevokeMessage is the canonical byte string the patient side signs to revoke a grant.
func (c *Client) RevokeMessage(id [32]byte) []byte {
	return revokeMessage(c.chainID.Uint64(), c.addrs.Grants, id)
}

func grantMessage(chainID uint64, contract common.Address, g Grant) []byte {
	var b bytes.Buffer
	b.WriteString(grantDomain)
	binary.Write(&b, binary.BigEndian, chainID)
	b.Write(contract[:])
	b.Write(g.ID[:])
	b.Write(g.StreamBinding[:])
	b.Write(g.GranteeKeyHash[:])
	binary.Write(&b, binary.BigEndian, uint64(g.NotBefore.Unix()))
	binary.Write(&b, binary.BigEndian, uint64(g.NotAfter.Unix()))
	b.WriteByte(g.M)
	b.WriteByte(byte(len(g.Proxies)))
	for _, p := range g.Proxies {
		b.Write(p[:])
	}
	b.Write(g.SignerKey)
	return b.Bytes()
}

func revokeMessage(chainID uint64, contract common.Address, id [32]byte) []byte {
	var b bytes.Buffer
	b.WriteString(revokeDomain)
	binary.Write(&b, binary.BigEndian, chainID)
	b.Write(contract[:])
	b.Write(id[:])
	return b.Bytes()
}

func (g Grant) validate() error {
	switch {
	case g.ID == [32]byte{}:
		return fmt.Errorf("%w: zero grant id", ErrBadInput)
	case g.StreamBinding == [32]byte{}:
		return fmt.Errorf("%w: zero stream binding", ErrBadInput)
	case g.GranteeKeyHash == [32]byte{}:
		return fmt.Errorf("%w: zero grantee key hash", ErrBadInput)
	case g.NotBefore.Unix() < 0 || !g.NotAfter.After(g.NotBefore) || g.NotAfter.Unix() <= g.NotBefore.Unix():
		return fmt.Errorf("%w: window [%s, %s) is empty", ErrBadInput, g.NotBefore.UTC().Format(time.RFC3339), g.NotAfter.UTC().Format(time.RFC3339))
	case len(g.Proxies) == 0 || len(g.Proxies) > 255 || g.M == 0 || int(g.M) > len(g.Proxies):
		return fmt.Errorf("%w: threshold %d of %d proxies", ErrBadInput, g.M, len(g.Proxies))
	case len(g.SignerKey) != ed25519.PublicKeySize:
		return fmt.Errorf("%w: signer key is %d bytes", ErrBadInput, len(g.SignerKey))
	case len(g.Signature) != ed25519.SignatureSize:
		return fmt.Errorf("%w: signature is %d bytes", ErrBadSignature, len(g.Signature))
	}
	return nil
}

// Grant records a grant after checking its patient-side signature (ErrBadSignature) and shape
// (ErrBadInput); the chain rejects a repeated id (ErrGrantExists) and proxies that are not members.
// While the chain cannot be reached it is journaled and the error wraps ErrPending.
func (c *Client) Grant(ctx context.Context, g Grant) (Receipt, error) {
	if err := g.validate(); err != nil {
		return Receipt{}, fmt.Errorf("pointers: grant %x: %w", g.ID[:4], err)
	}
	if !ed25519.Verify(g.SignerKey, c.GrantMessage(g), g.Signature) {
		return Receipt{}, fmt.Errorf("pointers: grant %x: %w: patient-side signature does not verify", g.ID[:4], ErrBadSignature)
	}
	data := c.grants.PackGrant(g.ID, g.StreamBinding, g.GranteeKeyHash, uint64(g.NotBefore.Unix()), uint64(g.NotAfter.Unix()), g.M, g.Proxies, [32]byte(g.SignerKey), g.Signature)
	return c.write(ctx, "grant", c.addrs.Grants, data)
}

// Revoke revokes a grant; sig is the patient side's Ed25519 signature over RevokeMessage(id) by the
// grant's signer key (ErrBadSignature otherwise). Unknown grant: ErrUnknownGrant; twice: ErrGrantRevoked.
//
// While the chain cannot be read the signature cannot be checked here; the
// revocation is journaled (ErrPending) and the contract checks it when it
// is sent.
func (c *Client) Revoke(ctx context.Context, id [32]byte, sig []byte) (Receipt, error) {
	g, err := c.GetGrant(ctx, id)
	if err != nil && IsUnavailable(err) {
		if len(sig) != ed25519.SignatureSize {
			return Receipt{}, fmt.Errorf("pointers: revoke %x: %w: revocation signature is %d bytes", id[:4], ErrBadSignature, len(sig))
		}
		return c.write(ctx, "revoke", c.addrs.Grants, c.grants.PackRevoke(id, sig))
	}
	if err != nil {
		return Receipt{}, err
	}
	if g.Revoked {
		return Receipt{}, fmt.Errorf("pointers: revoke %x: %w", id[:4], ErrGrantRevoked)
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(g.SignerKey, c.RevokeMessage(id), sig) {
		return Receipt{}, fmt.Errorf("pointers: revoke %x: %w: revocation signature does not verify with the grant's signer key", id[:4], ErrBadSignature)
	}
	return c.write(ctx, "revoke", c.addrs.Grants, c.grants.PackRevoke(id, sig))
}

// GetGrant reads a grant from chain (ErrUnknownGrant if none). It does not judge validity; see CheckGrant.
func (c *Client) GetGrant(ctx context.Context, id [32]byte) (GrantRecord, error) {
	out, err := c.call(ctx, "get grant", c.addrs.Grants, c.grants.PackGetGrant(id))
	if err != nil {
		return GrantRecord{}, err
	}
	g, err := c.grants.UnpackGetGrant(out)
	if err != nil {
		return GrantRecord{}, fmt.Errorf("pointers: get grant: %w", err)
	}
	rec := GrantRecord{
		Grant: Grant{
			ID: id, StreamBinding: g.StreamBinding, GranteeKeyHash: g.GranteeKeyHash,
			NotBefore: time.Unix(int64(g.NotBefore), 0), NotAfter: time.Unix(int64(g.NotAfter), 0),
			M: g.M, Proxies: g.Proxies, SignerKey: ed25519.PublicKey(bytes.Clone(g.SignerKey[:])), Signature: g.Signature,
		},
		Revoked: g.Revoked, RecordedBy: g.RecordedBy, RevokeSignature: g.RevokeSignature,
	}
	if g.Revoked {
		rec.RevokedAt = time.Unix(int64(g.RevokedAt), 0)
	}
	return rec, nil
}

// CheckGrant tells whether the grant allows access at time at, reading the chain's latest state:
// ErrUnknownGrant, ErrGrantRevoked (revoked at any time), ErrGrantNotYetValid, ErrGrantExpired, or
// ErrBadSignature when the recorded patient-side signature does not verify. On success it returns
// the grant.
func (c *Client) CheckGrant(ctx context.Context, id [32]byte, at time.Time) (GrantRecord, error) {
	if err := c.CheckLive(ctx); err != nil {
		return GrantRecord{}, fmt.Errorf("pointers: grant %x: %w", id[:4], err)
	}
	g, err := c.GetGrant(ctx, id)
	if err != nil {
		return g, err
	}
	if !ed25519.Verify(g.SignerKey, c.GrantMessage(g.Grant), g.Signature) {
		return g, fmt.Errorf("pointers: grant %x: %w: recorded patient-side signature does not verify", id[:4], ErrBadSignature)
	}
	switch {
	case g.Revoked:
		return g, fmt.Errorf("pointers: grant %x: %w at %s", id[:4], ErrGrantRevoked, g.RevokedAt.UTC().Format(time.RFC3339))
	case at.Unix() < g.NotBefore.Unix():
		return g, fmt.Errorf("pointers: grant %x: %w: opens %s", id[:4], ErrGrantNotYetValid, g.NotBefore.UTC().Format(time.RFC3339))
	case at.Unix() >= g.NotAfter.Unix():
		return g, fmt.Errorf("pointers: grant %x: %w: closed %s", id[:4], ErrGrantExpired, g.NotAfter.UTC().Format(time.RFC3339))
	}
	return g, nil
}

// ---- deletion registry ----

// ErasureRecord is an on-chain deletion record.
type ErasureRecord struct {
	SubjectTag       [32]byte
	KeyIDsCommitment [32]byte
	RequestRefHash   [32]byte
	PurgeOrderHash   [32]byte
	DPO              common.Address
	Time             time.Time
	Block            uint64
	BlockHash        common.Hash
	TxHash           common.Hash
}

// RefusalRecord is an on-chain refusal to erase.
type RefusalRecord struct {
	SubjectTag     [32]byte
	RequestRefHash [32]byte
	LegalGround    uint16
	DPO            common.Address
	Time           time.Time
}

// RecordErasure records the erasure of a subject: the commitment to its destroyed key ids, the hash
// of the request reference and the hash of the signed purge order the members acknowledge. It is
// idempotent: when the chain already holds an identical record by this node it returns that record's
// receipt; a different record for the subject is ErrAlreadyErased.
func (c *Client) RecordErasure(ctx context.Context, subjectTag, keyIDsCommitment, requestRefHash, purgeOrderHash [32]byte) (Receipt, error) {
	r, err := c.write(ctx, "record erasure", c.addrs.Erasures, c.erasures.PackRecordErasure(subjectTag, keyIDsCommitment, requestRefHash, purgeOrderHash))
	if errors.Is(err, ErrAlreadyErased) {
		e, lerr := c.LookupErasure(ctx, subjectTag)
		if lerr == nil && e.KeyIDsCommitment == keyIDsCommitment && e.RequestRefHash == requestRefHash && e.PurgeOrderHash == purgeOrderHash && e.DPO == c.from {
			hash, herr := c.blockHash(ctx, e.Block)
			if herr == nil {
				return Receipt{TxHash: e.TxHash, Block: e.Block, BlockHash: hash}, nil
			}
		}
	}
	return r, err
}

// LookupErasure returns the deletion record of a subject (ErrUnknownErasure if none), with the block
// and transaction that recorded it.
func (c *Client) LookupErasure(ctx context.Context, subjectTag [32]byte) (ErasureRecord, error) {
	out, err := c.call(ctx, "get erasure", c.addrs.Erasures, c.erasures.PackGetErasure(subjectTag))
	if err != nil {
		return ErasureRecord{}, err
	}
	e, err := c.erasures.UnpackGetErasure(out)
	if err != nil {
		return ErasureRecord{}, fmt.Errorf("pointers: get erasure: %w", err)
	}
	rec := ErasureRecord{SubjectTag: subjectTag, KeyIDsCommitment: e.KeyIdsCommitment, RequestRefHash: e.RequestRefHash, PurgeOrderHash: e.PurgeOrderHash, DPO: e.Dpo, Time: time.Unix(int64(e.Time), 0)}
	ev := c.erasures.GetABI().Events["Erased"]
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), Addresses: []common.Address{c.addrs.Erasures}, Topics: [][]common.Hash{{ev.ID}, {subjectTag}}})
	if err != nil {
		return rec, fmt.Errorf("pointers: erasure logs: %w", err)
	}
	for _, l := range logs {
		if !l.Removed {
			rec.Block, rec.BlockHash, rec.TxHash = l.BlockNumber, l.BlockHash, l.TxHash
		}
	}
	return rec, nil
}

// RecordRefusal records a refusal to erase, with its legal ground code (non-zero).
func (c *Client) RecordRefusal(ctx context.Context, subjectTag, requestRefHash [32]byte, legalGround uint16) (Receipt, error) {
	return c.write(ctx, "record refusal", c.addrs.Erasures, c.erasures.PackRecordRefusal(subjectTag, requestRefHash, legalGround))
}

// LookupRefusal returns the refusal recorded for a request reference (ErrUnknownRefusal if none).
func (c *Client) LookupRefusal(ctx context.Context, requestRefHash [32]byte) (RefusalRecord, error) {
	out, err := c.call(ctx, "get refusal", c.addrs.Erasures, c.erasures.PackGetRefusal(requestRefHash))
	if err != nil {
		return RefusalRecord{}, err
	}
	r, err := c.erasures.UnpackGetRefusal(out)
	if err != nil {
		return RefusalRecord{}, fmt.Errorf("pointers: get refusal: %w", err)
	}
	return RefusalRecord{SubjectTag: r.SubjectTag, RequestRefHash: requestRefHash, LegalGround: r.LegalGround, DPO: r.Dpo, Time: time.Unix(int64(r.Time), 0)}, nil
}

// ---- audit anchors ----

// Anchor is the Merkle root of access-log entries [From, To).
type Anchor struct {
	LogID [32]byte
	Index uint64
	Root  [32]byte
	From  uint64
	To    uint64
	Time  time.Time
}

// AnchorAudit anchors the Merkle root of log entries [from, to); from must equal the previous anchor's
// to (0 for the first), else ErrAnchorGap.
func (c *Client) AnchorAudit(ctx context.Context, logID [32]byte, from, to uint64, root [32]byte) (Receipt, error) {
	return c.write(ctx, "anchor audit", c.addrs.AuditAnchors, c.anchors.PackAnchor(logID, from, to, root))
}

// LookupAnchor returns the anchor covering log entry index entry (ErrNoAnchor if none yet).
func (c *Client) LookupAnchor(ctx context.Context, logID [32]byte, entry uint64) (Anchor, error) {
	out, err := c.call(ctx, "anchor for", c.addrs.AuditAnchors, c.anchors.PackAnchorFor(logID, entry))
	if err != nil {
		return Anchor{}, err
	}
	a, err := c.anchors.UnpackAnchorFor(out)
	if err != nil {
		return Anchor{}, fmt.Errorf("pointers: anchor for: %w", err)
	}
	return Anchor{LogID: logID, Index: a.AnchorIndex.Uint64(), Root: a.A.Root, From: a.A.FromIndex, To: a.A.ToIndex, Time: time.Unix(int64(a.A.Time), 0)}, nil
}

// AnchorCount is the number of anchors of a log.
func (c *Client) AnchorCount(ctx context.Context, logID [32]byte) (uint64, error) {
	out, err := c.call(ctx, "anchor count", c.addrs.AuditAnchors, c.anchors.PackAnchorCount(logID))
	if err != nil {
		return 0, err
	}
	n, err := c.anchors.UnpackAnchorCount(out)
	if err != nil {
		return 0, fmt.Errorf("pointers: anchor count: %w", err)
	}
	return n.Uint64(), nil
}

// GrantsByStream lists the ids of every grant the custodian ever recorded for a stream (revoked or
// not), in chain order: it reads the custodian's GrantRecorded events and keeps those whose stream binding
// the stream's grant key confirms (no event names the stream, so this scans the custodian's grants).
// Erasure uses it to revoke a patient's live grants, and an erasure verifier, given the stream tag by the
// certificate, to check that every grant on an erased stream is revoked. A grant another member recorded
// under a binding of the stream (a member holding the stream's blocks knows its tag) is not the
// custodian's: nobody can revoke it for the patient, and it opens nothing, since only the custodian holds
// the stream's key to make its kfrags.
func (c *Client) GrantsByStream(ctx context.Context, key GrantKey, custodian common.Address) ([][32]byte, error) {
	ev := c.grants.GetABI().Events["GrantRecorded"]
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(c.addrs.DeployBlock), Addresses: []common.Address{c.addrs.Grants},
		Topics: [][]common.Hash{{ev.ID}, nil, {common.BytesToHash(custodian.Bytes())}}})
	if err != nil {
		return nil, fmt.Errorf("pointers: grants of stream: %w", err)
	}
	seen := map[[32]byte]bool{}
	var out [][32]byte
	for i := range logs {
		if logs[i].Removed {
			continue
		}
		v, err := c.grants.UnpackGrantRecordedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("pointers: decode grant log: %w", err)
		}
		if !seen[v.Id] && key.Binds(v.Id, v.StreamBinding) {
			seen[v.Id] = true
			out = append(out, v.Id)
		}
	}
	return out, nil
}

// CheckLive fails with ErrChainUnavailable when the chain has stalled: its newest block is older
// than Config.MaxHeadAge (when set). A stalled chain answers reads with a state that can no longer
// change: a revocation sent now would never land, so an access decision must not rest on it, and a
// write sent now would wait for a block that does not come (it is journaled instead). A live answer
// is reused for up to liveFor, so a busy proxy reads the head about twice a second, not per request.
func (c *Client) CheckLive(ctx context.Context) error {
	if c.cfg.MaxHeadAge <= 0 {
		return nil
	}
	if t := c.liveAt.Load(); t != 0 && time.Since(time.Unix(0, t)) < liveFor {
		return nil
	}
	h, err := c.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("chain head: %w", err)
	}
	if age := time.Since(time.Unix(int64(h.Time), 0)); age > c.cfg.MaxHeadAge {
		return fmt.Errorf("%w: the chain has made no block for %s (block %d; limit %s): it has stalled",
			ErrChainUnavailable, age.Round(time.Second), h.Number, c.cfg.MaxHeadAge)
	}
	c.liveAt.Store(time.Now().UnixNano())
	return nil
}

const liveFor = 500 * time.Millisecond

// HeadAge is how old the chain's newest block is.
func (c *Client) HeadAge(ctx context.Context) (time.Duration, error) {
	h, err := c.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("pointers: chain head: %w", err)
	}
	return time.Since(time.Unix(int64(h.Time), 0)), nil
}
