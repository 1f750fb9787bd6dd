package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/vaultnode/vaultnode/p2p"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
)

// GranteeFile is the on-disk form of a clinician's key pair (keygen --out).
type GranteeFile struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	PRE     string `json:"preSecret"`
	Sign    string `json:"signSeed"`
	Public  string `json:"public"`
}

// WriteGranteeKey writes a new clinician key pair to path (mode 0600, never
// overwriting) and returns its public key.
func WriteGranteeKey(path string) (p2p.GranteeKey, error) {
	g, err := p2p.GenerateGrantee(rand.Reader)
	if err != nil {
		return p2p.GranteeKey{}, err
	}
	defer g.Wipe()
	pub := g.Public()
	f := GranteeFile{Version: 1, Kind: "vaultnode-grantee-key", PRE: hex.EncodeToString(g.PRE.Bytes()),
		Sign: hex.EncodeToString(g.Sign.Seed()), Public: hex.EncodeToString(pub.Bytes())}
	b, _ := json.MarshalIndent(f, "", "  ")
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("key file: %w", err)
	}
	if _, err := fh.Write(append(b, '\n')); err != nil {
		fh.Close()
		return p2p.GranteeKey{}, err
	}
	if err := fh.Close(); err != nil {
		return p2p.GranteeKey{}, err
	}
	return pub, nil
}

// ReadGranteeKey loads a clinician key file.
func ReadGranteeKey(path string) (*p2p.Grantee, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	var f GranteeFile
	if err := strictJSON(b, &f); err != nil || f.Kind != "vaultnode-grantee-key" || f.Version != 1 {
		return nil, fmt.Errorf("%w: %s is not a vaultnode clinician key file", ErrBadInput, path)
	}
	pre, err1 := hex.DecodeString(f.PRE)
	seed, err2 := hex.DecodeString(f.Sign)
	if err1 != nil || err2 != nil || len(seed) != 32 {
		return nil, fmt.Errorf("%w: %s: malformed key", ErrBadInput, path)
	}
	defer wipe(pre)
	defer wipe(seed)
	sk, err := reencrypt.SecretKeyFromBytes(pre)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadInput, path, err)
	}
	g := &p2p.Grantee{PRE: sk, Sign: ed25519NewKeyFromSeed(seed)}
	if hex.EncodeToString(g.Public().Bytes()) != f.Public {
		g.Wipe()
		return nil, fmt.Errorf("%w: %s: public key does not match the secret keys", ErrBadInput, path)
	}
	return g, nil
}

// ParseGranteePublic decodes a grantee public key given as hex, or the path
// of a key file or of a file holding the hex.
func ParseGranteePublic(s string) (p2p.GranteeKey, error) {
	if b, err := hex.DecodeString(strings.TrimSpace(s)); err == nil {
		return p2p.ParseGranteeKey(b)
	}
	raw, err := os.ReadFile(s)
	if err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("%w: --to is neither a hex public key nor a readable file", ErrBadInput)
	}
	var f GranteeFile
	if json.Unmarshal(raw, &f) == nil && f.Public != "" {
		s = f.Public
	} else {
		s = strings.TrimSpace(string(raw))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return p2p.GranteeKey{}, fmt.Errorf("%w: grantee public key is not hex", ErrBadInput)
	}
	k, err := p2p.ParseGranteeKey(b)
	if err != nil {
		return k, fmt.Errorf("%w: grantee public key: %v", ErrBadInput, err)
	}
	return k, nil
}

// FetchRequest asks for the readings a grant covers.
type FetchRequest struct {
	Grantee *p2p.Grantee
	Ticket  Ticket
	From    time.Time // zero: no bound
	Until   time.Time
	Purpose string // default "TREAT"
	// ProxiesOnly skips the client-side check of the grant on-chain and
	// lets the proxies refuse (the demo uses it to show their enforcement;
	// the proxies check the chain either way).
	ProxiesOnly bool
	// BlockTimeout bounds fetching one batch's blocks (default 60 s); a
	// batch no member serves in time is an integrity failure (missing data).
	BlockTimeout time.Duration
}

// FetchResult holds decrypted, verified readings.
type FetchResult struct {
	Readings []store.Reading
	Batches  int
	Verified int // readings whose Merkle proof verified against the on-chain root
	Proxies  []string
}

// Fetch resolves the stream's commitments on-chain, fetches the batches over
// bitswap, asks M of the grant's N proxies for cfrags (signed requests),
// verifies them, decrypts, and verifies every reading against the on-chain
// Merkle root. Refusals are ErrAccessRefused; any mismatch is ErrIntegrity
// naming the CID.
func (n *Node) Fetch(ctx context.Context, r FetchRequest) (*FetchResult, error) {
	if n.P2P == nil {
		return nil, fmt.Errorf("fetch needs the p2p network")
	}
	if r.Purpose == "" {
		r.Purpose = "TREAT"
	}
	t := r.Ticket
	g, err := n.Chain.GetGrant(ctx, t.GrantID)
	if errors.Is(err, pointers.ErrUnknownGrant) {
		return nil, fmt.Errorf("%w: no grant %x on-chain", ErrAccessRefused, t.GrantID)
	}
	if err != nil {
		return nil, fmt.Errorf("read grant: %w", err)
	}
	if g.StreamTag != t.StreamTag {
		return nil, fmt.Errorf("%w: the ticket's stream is not the grant's", ErrBadInput)
	}
	if !r.ProxiesOnly {
		if err := precheck(ctx, n.Chain, g, r.Grantee.Public()); err != nil {
			return nil, err
		}
	}
	if r.BlockTimeout <= 0 {
		r.BlockTimeout = 60 * time.Second
	}
	type px struct {
		peer peer.ID
	}
	var pxs []px
	for _, a := range g.Proxies {
		m, err := n.Chain.ResolveMember(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("resolve proxy %s: %w", a, err)
		}
		id, err := peer.IDFromBytes(m.PeerID)
		if err != nil {
			return nil, fmt.Errorf("proxy %s: bad peer id: %w", a, err)
		}
		pxs = append(pxs, px{id})
	}
	cs, err := n.Chain.StreamCommitments(ctx, t.StreamTag)
	if err != nil {
		if errors.Is(err, pointers.ErrTampered) {
			return nil, fmt.Errorf("%w: %w", ErrIntegrity, err)
		}
		return nil, fmt.Errorf("read commitments: %w", err)
	}
	res := &FetchResult{}
	for _, p := range pxs {
		res.Proxies = append(res.Proxies, p.peer.String())
	}
	bg := n.P2P.Blocks
	binding := reencrypt.KFragBinding{GrantID: g.ID, NotBefore: g.NotBefore, NotAfter: g.NotAfter}
	self := n.PeerID()
	for _, c := range cs {
		root, err := cid.Cast(c.RootCID)
		if err != nil {
			return nil, fmt.Errorf("%w: commitment %d: bad root CID", ErrIntegrity, c.Seq)
		}
		bctx, cancel := context.WithTimeout(ctx, r.BlockTimeout)
		hdr, _, err := store.ReadRoot(bctx, bg, root)
		cancel()
		if err != nil {
			return nil, integrity(root, err)
		}
		capsule, err := reencrypt.ParseCapsule(hdr.Capsule)
		if err != nil {
			return nil, fmt.Errorf("%w: batch %s: capsule: %v", ErrIntegrity, root, err)
		}
		var cfrags []*reencrypt.CFrag
		var refusals []string
		for _, p := range pxs {
			if len(cfrags) == int(g.M) {
				break
			}
			req := &p2p.ReencryptRequest{GrantID: g.ID, Capsule: capsule, Grantee: r.Grantee.Public(), Purpose: r.Purpose, Expires: time.Now().Add(time.Minute)}
			if _, err := rand.Read(req.Nonce[:]); err != nil {
				return nil, err
			}
			req.Sign(r.Grantee.Sign)
			var cf *reencrypt.CFrag
			if p.peer == self {
				resp := n.Proxy.Handle(ctx, req)
				if resp.Outcome != p2p.Granted {
					err = &p2p.RefusalError{Outcome: resp.Outcome, Message: resp.Message}
				} else {
					cf, err = resp.CFrag, nil
				}
			} else {
				cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
				cf, err = p2p.RequestCFrag(cctx, n.P2P.Host, p.peer, req)
				cancel()
			}
			if err != nil {
				var re *p2p.RefusalError
				if errors.As(err, &re) {
					refusals = append(refusals, fmt.Sprintf("proxy %s: %s (%s)", shortPeer(p.peer), re.Outcome, re.Message))
				} else {
					refusals = append(refusals, fmt.Sprintf("proxy %s: %v", shortPeer(p.peer), err))
				}
				continue
			}
			if err := cf.Verify(capsule, g.SignerKey, t.StreamKey, r.Grantee.PRE.PublicKey(), binding, req.Binding()); err != nil {
				refusals = append(refusals, fmt.Sprintf("proxy %s: cfrag does not verify: %v", shortPeer(p.peer), err))
				continue
			}
			cfrags = append(cfrags, cf)
		}
		if len(cfrags) < int(g.M) {
			return nil, fmt.Errorf("%w: %d of %d cfrags needed: %s", ErrAccessRefused, len(cfrags), g.M, strings.Join(refusals, "; "))
		}
		dek, err := reencrypt.DecapsulateFrags(r.Grantee.PRE, t.StreamKey, capsule, cfrags)
		if err != nil {
			return nil, fmt.Errorf("%w: batch %s: decapsulate: %v", ErrIntegrity, root, err)
		}
		bctx, cancel = context.WithTimeout(ctx, r.BlockTimeout)
		ob, err := store.OpenBatch(bctx, bg, root, &dek)
		cancel()
		wipe(dek[:])
		if err != nil {
			return nil, integrity(root, err)
		}
		h := ob.Header
		if h.StreamTag != c.Tag || h.Seq != c.Seq || h.Count != c.Count || h.MerkleRoot != c.MerkleRoot {
			return nil, fmt.Errorf("%w: batch %s does not match its on-chain commitment (seq %d)", ErrIntegrity, root, c.Seq)
		}
		if err := verifyAll(ob, c.MerkleRoot); err != nil {
			return nil, fmt.Errorf("%w: batch %s: %v", ErrIntegrity, root, err)
		}
		res.Batches++
		res.Verified += len(ob.Readings)
		for _, rd := range ob.Readings {
			if (!r.From.IsZero() && rd.Time.Before(r.From)) || (!r.Until.IsZero() && !rd.Time.Before(r.Until)) {
				continue
			}
			res.Readings = append(res.Readings, rd)
		}
	}
	return res, nil
}

// verifyAll checks every reading handed to the caller against the on-chain
// Merkle root: each decoded reading is re-encoded and hashed with its salt,
// the tree is built once and its root compared with the commitment's
// (store.OpenedBatch.VerifyAll, O(n) for the whole batch). OpenBatch has
// already checked the decrypted bytes against the header's root; this ties
// the decoded readings themselves to the chain.
func verifyAll(ob *store.OpenedBatch, root [32]byte) error {
	return ob.VerifyAll(root)
}

// precheck reads the grant's state on-chain, as the proxies will, to refuse
// early with the same reasons.
func precheck(ctx context.Context, chain *pointers.Client, g pointers.GrantRecord, me p2p.GranteeKey) error {
	if _, err := chain.CheckGrant(ctx, g.ID, time.Now()); err != nil {
		switch {
		case errors.Is(err, pointers.ErrGrantRevoked):
			return fmt.Errorf("%w: revoked (grant revoked on-chain)", ErrAccessRefused)
		case errors.Is(err, pointers.ErrGrantExpired):
			return fmt.Errorf("%w: grant-expired (grant closed %s)", ErrAccessRefused, g.NotAfter.UTC().Format(time.RFC3339))
		case errors.Is(err, pointers.ErrGrantNotYetValid):
			return fmt.Errorf("%w: not-yet-valid (grant opens %s)", ErrAccessRefused, g.NotBefore.UTC().Format(time.RFC3339))
		case errors.Is(err, pointers.ErrUnknownGrant), errors.Is(err, pointers.ErrBadSignature):
			return fmt.Errorf("%w: %v", ErrAccessRefused, err)
		default:
			return fmt.Errorf("check grant on-chain: %w", err)
		}
	}
	if me.Hash() != g.GranteeKeyHash {
		return fmt.Errorf("%w: wrong-grantee (the grant is for another grantee)", ErrAccessRefused)
	}
	return nil
}

func integrity(root cid.Cid, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: batch %s: blocks not served by any member in time (missing data)", ErrIntegrity, root)
	}
	var ie *store.IntegrityError
	if errors.As(err, &ie) {
		return fmt.Errorf("%w: block %s: %v", ErrIntegrity, ie.CID, err)
	}
	return fmt.Errorf("%w: batch %s: %v", ErrIntegrity, root, err)
}

func shortPeer(id peer.ID) string {
	s := id.String()
	if len(s) > 10 {
		return "…" + s[len(s)-6:]
	}
	return s
}
