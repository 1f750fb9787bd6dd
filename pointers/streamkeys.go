package pointers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"

	"github.com/ethereum/go-ethereum/crypto"
)

// StreamSecret is the per-stream secret every on-chain value of a stream's batches is derived from
// (docs/CHAIN.md, "What a reader of the chain learns"). Its holders, the custodian and the grantees
// through their tickets, find batch n by its tag and tell the custodian's commitment from a copy with
// other content; a reader of the chain without it sees a tag and a MAC that never repeat. The keys
// package derives it from the stream's first secret key, so an erasure destroys it.
type StreamSecret [32]byte

const (
	batchTagDomain = "vaultnode/batch-tag/v1\x00"
	batchMACDomain = "vaultnode/batch-mac/v1\x00"
	grantKeyDomain = "vaultnode/grant-key/v1\x00"
	bindingDomain  = "vaultnode/grant-binding/v1\x00"
)

// BatchTag is the on-chain tag of the stream's batch seq: HMAC-SHA256(secret, domain ‖ seq).
func (s StreamSecret) BatchTag(seq uint64) [32]byte {
	return keyed(s[:], batchTagDomain, binary.BigEndian.AppendUint64(nil, seq))
}

// Commitment builds the on-chain commitment of batch seq (without a claim root): its tag and its MAC
// over everything else.
func (s StreamSecret) Commitment(seq uint64, rootCID []byte, merkleRoot [32]byte, count uint32) Commitment {
	return s.Seal(Commitment{Seq: seq, RootCID: rootCID, MerkleRoot: merkleRoot, Count: count})
}

// Seal completes a commitment whose sequence and content are set: its tag and its MAC over the rest.
func (s StreamSecret) Seal(c Commitment) Commitment {
	c.Tag = s.BatchTag(c.Seq)
	c.MAC = s.mac(c)
	return c
}

// Authentic reports whether c carries the MAC this secret gives batch seq with c's content (compared
// in constant time).
func (s StreamSecret) Authentic(c Commitment, seq uint64) bool {
	c.Seq = seq
	want := s.mac(c)
	return c.Tag == s.BatchTag(seq) && hmac.Equal(want[:], c.MAC[:])
}

// mac is HMAC-SHA256(secret, domain ‖ seq ‖ keccak256(cid) ‖ merkleRoot ‖ claimRoot ‖ count), truncated
// to 128 bits.
func (s StreamSecret) mac(c Commitment) [16]byte {
	msg := binary.BigEndian.AppendUint64(nil, c.Seq)
	msg = append(msg, crypto.Keccak256(c.RootCID)...)
	msg = append(msg, c.MerkleRoot[:]...)
	msg = append(msg, c.ClaimRoot[:]...)
	msg = binary.BigEndian.AppendUint32(msg, c.Count)
	t := keyed(s[:], batchMACDomain, msg)
	return [16]byte(t[:16])
}

// GrantKey is the per-stream key a grant's stream binding is computed under. It is derived from the
// stream tag (GrantKeyOf), which the custodian hands to the grant's proxies off-chain, so a proxy checks
// that the grant it serves is the stream's; an erasure certificate discloses it, so an outside verifier
// finds every grant ever recorded on an erased stream without learning anything about its batches.
type GrantKey [32]byte

// GrantKeyOf derives a stream's grant key from its stream tag.
func GrantKeyOf(streamTag [32]byte) GrantKey {
	return GrantKey(keyed(streamTag[:], grantKeyDomain, nil))
}

// Binding is the value a grant carries on chain in place of the stream: HMAC-SHA256(key, domain ‖ id).
// Grant ids are unique, so no two grants share a binding.
func (k GrantKey) Binding(id [32]byte) [32]byte { return keyed(k[:], bindingDomain, id[:]) }

// Binds reports whether binding is this key's binding of grant id (constant time).
func (k GrantKey) Binds(id, binding [32]byte) bool {
	want := k.Binding(id)
	return hmac.Equal(want[:], binding[:])
}

func keyed(key []byte, domain string, msg []byte) [32]byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(domain))
	m.Write(msg)
	return [32]byte(m.Sum(nil))
}
