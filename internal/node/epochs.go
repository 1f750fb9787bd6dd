package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/reencrypt"
)

// Stream-key epochs (docs/PRE.md "Key epochs"). Every revocation starts a
// new key epoch of the grant's stream: batches sealed afterwards are
// encapsulated under a fresh delegating key, and the stream's other live
// grants get kfrags for it. A revoked grantee, even with M proxies that kept
// their kfrags, can rebuild only the keys of epochs it was granted, and
// those open no batch sealed after the revocation.

// grantIndexEntry is what the custodian keeps per grant it recorded, to
// give the grant kfrags for later key epochs: the grantee's public keys
// (the chain holds only their hash) and the purposes of use.
type grantIndexEntry struct {
	Grantee  string   `json:"grantee"`
	Purposes []string `json:"purposes,omitempty"`
}

func encodeGrantIndex(g p2p.GranteeKey, purposes []string) []byte {
	b, _ := json.Marshal(grantIndexEntry{Grantee: hex.EncodeToString(g.Bytes()), Purposes: purposes})
	return b
}

// RekeyResult is what a revocation did to the stream's key.
type RekeyResult struct {
	// Epoch is the stream's new key epoch.
	Epoch int `json:"epoch"`
	// Rekeyed counts the stream's other live grants that got kfrags for it.
	Rekeyed int `json:"rekeyed"`
	// Failed lists the grants that did not (their grantees see no batch
	// sealed from now on until re-granted), with why.
	Failed []string `json:"failed,omitempty"`
}

// rotateAfterRevoke starts a new key epoch of the revoked grant's stream
// and delivers kfrags for it to the proxies of every other live grant this
// node recorded on the stream.
func (n *Node) rotateAfterRevoke(ctx context.Context, revoked [32]byte, tag keys.Tag) (*RekeyResult, error) {
	pt, name, err := n.streamOfTag(ctx, tag)
	if err != nil {
		return nil, err
	}
	st, err := n.Keys.RotateStream(ctx, pt, name)
	if err != nil {
		return nil, err
	}
	n.Log.Info("stream key rotated after a revocation", "stream_tag", hex.EncodeToString(tag[:8]), "epoch", st.Epoch)
	res := &RekeyResult{Epoch: st.Epoch}
	sk, err := n.Keys.StreamSecretKey(ctx, pt, name)
	if err != nil {
		return res, err
	}
	defer sk.Wipe()
	q, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: grantIndexPrefix(tag)})
	if err != nil {
		return res, err
	}
	defer q.Close()
	for e := range q.Next() {
		if e.Error != nil {
			return res, e.Error
		}
		id, err := hex.DecodeString(ds.NewKey(e.Key).BaseNamespace())
		if err != nil || len(id) != 32 || [32]byte(id) == revoked {
			continue
		}
		if err := n.rekeyGrant(ctx, [32]byte(id), tag, []*reencrypt.SecretKey{sk}, e.Value); err != nil {
			if errors.Is(err, errGrantGone) {
				continue
			}
			n.Log.Warn("grant not given the new stream key yet", "grant", hex.EncodeToString(id[:4]), "err", err)
			res.Failed = append(res.Failed, fmt.Sprintf("%x: %v", id[:4], err))
			if !errors.Is(err, errGranteeUnknown) {
				if perr := n.Store.Datastore().Put(ctx, rekeyKey([32]byte(id)), tag[:]); perr != nil {
					return res, perr
				}
			}
			continue
		}
		res.Rekeyed++
	}
	return res, nil
}

func rekeyKey(grant [32]byte) ds.Key {
	return ds.NewKey(rekeyPrefix + hex.EncodeToString(grant[:]))
}

const rekeyPrefix = "/vaultnode/rekey/"

// RetryRekeys gives the grants that missed a rotation (a proxy was down,
// or the revocation ran without the p2p network) the kfrags of every key
// epoch of their stream, and returns how many are done. The daemon calls
// it periodically; a grant that was revoked or expired meanwhile is dropped
// from the list.
func (n *Node) RetryRekeys(ctx context.Context) (int, error) {
	q, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: rekeyPrefix})
	if err != nil {
		return 0, err
	}
	entries, err := q.Rest()
	if err != nil {
		return 0, err
	}
	done := 0
	for _, e := range entries {
		id, err := hex.DecodeString(ds.NewKey(e.Key).BaseNamespace())
		if err != nil || len(id) != 32 || len(e.Value) != 32 {
			_ = n.Store.Datastore().Delete(ctx, ds.NewKey(e.Key))
			continue
		}
		tag := keys.Tag(e.Value)
		err = n.rekeyAllEpochs(ctx, [32]byte(id), tag)
		if err != nil && !errors.Is(err, errGrantGone) && !errors.Is(err, errGranteeUnknown) && !errors.Is(err, ErrNotFound) {
			n.Log.Debug("grant still misses a stream key epoch", "grant", hex.EncodeToString(id[:4]), "err", err)
			continue
		}
		if err == nil {
			done++
			n.Log.Info("grant given the stream's current key epoch", "grant", hex.EncodeToString(id[:4]))
		}
		if err := n.Store.Datastore().Delete(ctx, ds.NewKey(e.Key)); err != nil {
			return done, err
		}
	}
	return done, nil
}

// rekeyAllEpochs gives grant id kfrags for every key epoch of its stream.
func (n *Node) rekeyAllEpochs(ctx context.Context, id [32]byte, tag keys.Tag) error {
	pt, name, err := n.streamOfTag(ctx, tag)
	if err != nil {
		return err
	}
	index, err := n.Store.Datastore().Get(ctx, grantKey(tag, id))
	if err != nil {
		return fmt.Errorf("grant index: %w", err)
	}
	sks, err := n.Keys.StreamSecretKeys(ctx, pt, name)
	if err != nil {
		return err
	}
	defer func() {
		for _, sk := range sks {
			sk.Wipe()
		}
	}()
	return n.rekeyGrant(ctx, id, tag, sks, index)
}

var (
	errGrantGone      = errors.New("grant revoked or expired")
	errGranteeUnknown = errors.New("recorded before key epochs: the grantee's key is not known here, re-grant to restore access to new batches")
)

// rekeyGrant gives grant id kfrags for the stream keys sks, to the same
// proxies, under the same binding.
func (n *Node) rekeyGrant(ctx context.Context, id [32]byte, tag keys.Tag, sks []*reencrypt.SecretKey, index []byte) error {
	var ent grantIndexEntry
	if err := json.Unmarshal(index, &ent); err != nil || ent.Grantee == "" {
		return errGranteeUnknown
	}
	gb, err := hex.DecodeString(ent.Grantee)
	if err != nil {
		return fmt.Errorf("grant index: %w", err)
	}
	grantee, err := p2p.ParseGranteeKey(gb)
	if err != nil {
		return fmt.Errorf("grant index: %w", err)
	}
	g, err := n.Chain.GetGrant(ctx, id)
	if err != nil {
		return fmt.Errorf("read grant: %w", err)
	}
	if g.Revoked || !g.NotAfter.After(time.Now()) {
		return errGrantGone
	}
	all, err := n.proxies(ctx)
	if err != nil {
		return err
	}
	byAccount := map[common.Address]proxyInfo{}
	for _, p := range all {
		byAccount[p.account] = p
	}
	var chosen []proxyInfo
	for _, a := range g.Proxies {
		p, ok := byAccount[a]
		if !ok {
			return fmt.Errorf("proxy %s is no longer an active member", a.Hex())
		}
		chosen = append(chosen, p)
	}
	for _, sk := range sks {
		kfrags, err := reencrypt.GenerateKFrags(rand.Reader, sk, grantee.PRE, n.d.grantSigner, int(g.M), len(chosen),
			reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter})
		if err != nil {
			return fmt.Errorf("generate kfrags: %w", err)
		}
		err = n.placeKFrags(ctx, g.ID, tag, ent.Purposes, kfrags, chosen)
		for _, k := range kfrags {
			k.Wipe()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// placeKFrags stores kfrags[i] at chosen[i]: this node's own in its vault,
// the others sealed and delivered.
func (n *Node) placeKFrags(ctx context.Context, grant [32]byte, tag keys.Tag, purposes []string, kfrags []*reencrypt.KFrag, chosen []proxyInfo) error {
	self := n.PeerID()
	var remote []*reencrypt.KFrag
	var targets []p2p.ProxyTarget
	for i, p := range chosen {
		if p.peer == self {
			kb := kfrags[i].Bytes()
			err := p2p.AddKFrag(ctx, vault{n.Keys}, grant, tag, purposes, kb)
			wipe(kb)
			if err != nil {
				return fmt.Errorf("store own kfrag: %w", err)
			}
			if n.Proxy != nil {
				n.Proxy.Reload(grant)
			}
			continue
		}
		remote = append(remote, kfrags[i])
		targets = append(targets, p2p.ProxyTarget{Peer: p.peer, ProxyKey: p.key})
	}
	if len(targets) == 0 {
		return nil
	}
	if n.P2P == nil {
		return fmt.Errorf("kfrag delivery needs the p2p network (run through the daemon)")
	}
	if err := p2p.DeliverKFrags(ctx, n.P2P.Host, rand.Reader, grant, tag, purposes, remote, targets); err != nil {
		return fmt.Errorf("deliver kfrags: %w", err)
	}
	return nil
}

// streamOfTag finds the patient and stream name of a stream tag among this
// node's patients.
func (n *Node) streamOfTag(ctx context.Context, tag keys.Tag) (keys.Pseudonym, string, error) {
	pts, err := n.Keys.Patients(ctx)
	if err != nil {
		return keys.Pseudonym{}, "", err
	}
	for _, p := range pts {
		for _, s := range p.Streams {
			if n.Keys.StreamTag(p.Pseudonym, s) == tag {
				return p.Pseudonym, s, nil
			}
		}
	}
	return keys.Pseudonym{}, "", fmt.Errorf("%w: no stream of this node's patients has tag %x", ErrNotFound, tag[:4])
}
