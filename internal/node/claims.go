package node

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
	"github.com/vaultnode/vaultnode/reencrypt"
	"github.com/vaultnode/vaultnode/store"
	"github.com/vaultnode/vaultnode/store/zkclaim"
	"github.com/vaultnode/vaultnode/store/zkclaim/pilot"
)

// Zero-knowledge claims about a stream's readings (docs/ZK.md). At ingest, a batch of a stream named in
// claims.streams gets a claim root (zkclaim.Commit over its readings in the stream's claim unit and scale,
// salted with a key derived from the stream's claim secret) that goes on chain in the batch's commitment.
// The custodian later proves a statement about the stream against one committed batch; anyone verifies
// the claim file against the chain, with no repo and no key.

// ClaimProfile is how a stream's readings are committed for claims: the unit every value is converted to
// and the fixed-point scale (value × 10^Scale as an integer). A claim's thresholds are read in the same unit.
type ClaimProfile struct {
	Unit  string
	Scale int
	// from converts a value in one of the stream's stored units to Unit.
	from map[string]func(float64) float64
}

func same(v float64) float64 { return v }

// glucoseMgPerMmol converts glucose mg/dL to mmol/L: the molar mass of glucose, 180.156 g/mol, is
// 18.0156 mg/dL per mmol/L.
const glucoseMgPerMmol = 18.0156

// claimProfiles are the streams a node can commit claim roots for (docs/ZK.md §1).
var claimProfiles = map[string]ClaimProfile{
	"glucose": {Unit: "mmol/L", Scale: 2, from: map[string]func(float64) float64{
		"mmol/L": same, "mg/dL": func(v float64) float64 { return v / glucoseMgPerMmol }}},
	"spo2": {Unit: "%", Scale: 1, from: map[string]func(float64) float64{"%": same}},
	"heart-rate": {Unit: "/min", Scale: 0, from: map[string]func(float64) float64{
		"/min": same, "{beats}/min": same, "beats/min": same}},
	"temperature": {Unit: "Cel", Scale: 2, from: map[string]func(float64) float64{
		"Cel": same, "[degF]": func(v float64) float64 { return (v - 32) * 5 / 9 }}},
}

// ClaimProfileOf returns the claim profile of a stream that has one.
func ClaimProfileOf(stream string) (ClaimProfile, bool) {
	p, ok := claimProfiles[stream]
	return p, ok
}

// checkClaimStreams refuses a claims.streams entry the node cannot commit claims for.
func checkClaimStreams(streams []string) error {
	for _, s := range streams {
		if _, ok := claimProfiles[s]; !ok {
			known := make([]string, 0, len(claimProfiles))
			for k := range claimProfiles {
				known = append(known, k)
			}
			slices.Sort(known)
			return fmt.Errorf("claims.streams: %q has no claim profile (streams with one: %s)", s, strings.Join(known, ", "))
		}
	}
	return nil
}

// claimsOn reports whether this node commits claim roots for a stream's batches.
func (n *Node) claimsOn(stream string) bool { return slices.Contains(n.Cfg.Claims.Streams, stream) }

// fixed converts a value in the profile's unit to its fixed point, refusing what no claim can carry.
func (p ClaimProfile) fixed(v float64) (int64, error) {
	return zkclaim.ToFixed(v, p.Scale)
}

// claimReadings converts readings to what the claim tree commits: time in Unix milliseconds, value in the
// profile's unit and fixed point.
func (p ClaimProfile) claimReadings(rs []store.Reading) ([]zkclaim.Reading, error) {
	out := make([]zkclaim.Reading, len(rs))
	for i := range rs {
		conv, ok := p.from[rs[i].Unit]
		if !ok {
			return nil, fmt.Errorf("reading %d: unit %q cannot be stated in %s for claims", i+1, rs[i].Unit, p.Unit)
		}
		v, err := p.fixed(conv(rs[i].Value))
		if err != nil {
			return nil, fmt.Errorf("reading %d: %w", i+1, err)
		}
		ms := rs[i].Time.UnixMilli()
		if ms < 0 || ms > zkclaim.MaxTime {
			return nil, fmt.Errorf("reading %d: %w: time %s", i+1, zkclaim.ErrTimeRange, rs[i].Time.UTC().Format(time.RFC3339))
		}
		out[i] = zkclaim.Reading{Time: ms, Value: v}
	}
	return out, nil
}

const claimBindingDomain = "vaultnode/claim-root-binding/v1\x00"

// bindClaimRoot is what a batch commitment carries as its claim root: the batch's Poseidon2 root bound to the
// stream's claim profile, keccak256(domain ‖ stream ‖ unit ‖ scale ‖ root) with each string length-prefixed.
// The proof speaks only of numbers; the binding is what stops anyone from relabelling a claim about one kind
// of reading (heart rate ≥ 100 /min) as another (glucose ≥ 1.00 mmol/L). Without the Poseidon2 root, which
// only the custodian knows until it publishes a claim, the binding reveals nothing, not even the profile.
func bindClaimRoot(stream string, p ClaimProfile, root zkclaim.Root) [32]byte {
	b := []byte(claimBindingDomain)
	b = append(append(b, byte(len(stream))), stream...)
	b = append(append(b, byte(len(p.Unit))), p.Unit...)
	b = append(b, byte(p.Scale))
	b = append(b, root[:]...)
	return crypto.Keccak256Hash(b)
}

// claimRoot commits a batch's readings for claims: the bound claim root its commitment carries.
func claimRoot(st keys.Stream, seq uint64, rs []store.Reading) ([32]byte, error) {
	p, ok := claimProfiles[st.Name]
	if !ok {
		return [32]byte{}, fmt.Errorf("stream %q has no claim profile", st.Name)
	}
	zr, err := p.claimReadings(rs)
	if err != nil {
		return [32]byte{}, err
	}
	key := zkclaim.BatchKey(st.ClaimSecret, seq)
	defer wipe(key)
	root, err := zkclaim.Commit(key, zr)
	if err != nil {
		return [32]byte{}, err
	}
	return bindClaimRoot(st.Name, p, root), nil
}

// ClaimRequest is what a custodian asks to prove: at least one reading of the patient's stream in
// [From, To] is ≥ Threshold (≤ with Below), Threshold in the stream's claim unit.
type ClaimRequest struct {
	Patient   string    `json:"patient"`
	Stream    string    `json:"stream"`
	Threshold float64   `json:"threshold"`
	Below     bool      `json:"below"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	// Record also asks the chain's Claims contract to verify the claim and record it (a transaction from
	// this node's account), so that an auditor can rely on the chain alone.
	Record bool `json:"record,omitempty"`
}

// ClaimFileVersion is the version of the claim file this node writes and reads.
const ClaimFileVersion = 1

// Claim is a claim file: the statement in plain words and in the circuit's terms, the batch commitment it
// is proven against, the proof, and which setup's keys it needs. It names no patient and no stream tag.
type Claim struct {
	Version   int    `json:"version"`
	Statement string `json:"statement"`
	Kind      string `json:"kind"`
	Stream    string `json:"stream"` // the kind of data ("glucose"), so the unit and scale can be read
	Unit      string `json:"unit"`
	Scale     int    `json:"scale"`
	// Threshold is in fixed point (value × 10^Scale); From and To in Unix milliseconds, inclusive.
	Threshold int64 `json:"threshold"`
	Below     bool  `json:"below"`
	From      int64 `json:"from"`
	To        int64 `json:"to"`
	Batch     struct {
		Tag       string `json:"tag"`       // the batch commitment's on-chain tag
		ClaimRoot string `json:"claimRoot"` // the batch's Poseidon2 root; the commitment carries it bound to the stream's profile
		Block     uint64 `json:"block"`
		Tx        string `json:"tx"`
		By        string `json:"by"` // the member that committed the batch
	} `json:"batch"`
	Chain struct {
		ChainID     uint64 `json:"chainId"`
		Commitments string `json:"commitments"`
		DeployBlock uint64 `json:"deployBlock"`
	} `json:"chain"`
	VerifyingKey string `json:"verifyingKey"` // SHA-256 of the verifying key the proof was made for
	Proof        string `json:"proof"`        // base64 of the zkclaim proof encoding
	// Recorded is the transaction that had the chain's Claims contract verify and record the claim, if the
	// custodian asked for it.
	Recorded *ClaimRecordView `json:"recorded,omitempty"`
}

// ClaimRecordView is a claim recorded on chain by the Claims contract after its verifier accepted it.
type ClaimRecordView struct {
	Block uint64 `json:"block"`
	Tx    string `json:"tx"`
	By    string `json:"by"` // the account that asked the chain to verify it
}

// statement is the claim's statement in the circuit's terms.
func (c *Claim) statement() zkclaim.Statement {
	return zkclaim.Statement{Kind: zkclaim.KindExceeds, From: c.From, To: c.To, Threshold: c.Threshold, Below: c.Below}
}

// words states a claim in plain words, values in the stream's unit.
func claimWords(stream string, p ClaimProfile, st zkclaim.Statement) string {
	cmp := "at or above"
	if st.Below {
		cmp = "at or below"
	}
	v := float64(st.Threshold) / math.Pow10(p.Scale)
	return fmt.Sprintf("at least one %s reading between %s and %s was %s %.*f %s", stream,
		time.UnixMilli(st.From).UTC().Format(time.RFC3339), time.UnixMilli(st.To).UTC().Format(time.RFC3339),
		cmp, p.Scale, v, p.Unit)
}

// ProveClaim proves an exceeds claim about a patient's stream: it finds a batch of the stream with a
// reading that satisfies the statement, whose commitment on chain carries a claim root, and proves the
// statement against that root. The statement about the batch implies the statement about the stream.
func (n *Node) ProveClaim(ctx context.Context, r ClaimRequest) (*Claim, error) {
	prof, ok := claimProfiles[r.Stream]
	if !ok {
		return nil, fmt.Errorf("%w: stream %q has no claim profile (claims are made about glucose, spo2, heart-rate, temperature)", ErrBadInput, r.Stream)
	}
	threshold, err := prof.fixed(r.Threshold)
	if err != nil {
		return nil, fmt.Errorf("%w: threshold: %w", ErrBadInput, err)
	}
	st := zkclaim.Statement{Kind: zkclaim.KindExceeds, From: r.From.UnixMilli(), To: r.To.UnixMilli(), Threshold: threshold, Below: r.Below}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	pt, err := n.Keys.ResolvePatient(ctx, r.Patient)
	if err != nil {
		if errors.Is(err, keys.ErrUnknownPatient) || errors.Is(err, keys.ErrDestroyed) || errors.Is(err, keys.ErrInvalid) {
			return nil, fmt.Errorf("%w: patient %q: %w", ErrNotFound, r.Patient, err)
		}
		return nil, err
	}
	s, err := n.Keys.Stream(ctx, pt.Pseudonym, r.Stream)
	if err != nil {
		if errors.Is(err, keys.ErrUnknownStream) || errors.Is(err, keys.ErrDestroyed) {
			return nil, fmt.Errorf("%w: stream %q of patient %q: %w", ErrNotFound, r.Stream, r.Patient, err)
		}
		return nil, err
	}
	sks, err := n.Keys.StreamSecretKeys(ctx, pt.Pseudonym, r.Stream)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, sk := range sks {
			sk.Wipe()
		}
	}()
	roots, err := n.LocalBatches(ctx, s.Tag)
	if err != nil {
		return nil, err
	}
	pk, err := pilot.ProvingKey()
	if err != nil {
		return nil, fmt.Errorf("claim proving key: %w", err)
	}
	secret := pointers.StreamSecret(s.ChainSecret)
	var reasons []string
	for _, root := range roots {
		ob, err := n.openOwnBatch(ctx, sks, root)
		if err != nil {
			return nil, fmt.Errorf("batch %s: %w", root, err)
		}
		rs := ob.Readings
		seq := ob.Header.Seq
		zr, err := prof.claimReadings(rs)
		if err != nil {
			reasons = append(reasons, fmt.Sprintf("batch %d: %v", seq, err))
			continue
		}
		if !slices.ContainsFunc(zr, st.Hits) {
			continue
		}
		key := zkclaim.BatchKey(s.ClaimSecret, seq)
		want, err := zkclaim.Commit(key, zr)
		if err != nil {
			wipe(key)
			return nil, err
		}
		cb, err := n.claimCommitment(ctx, secret, seq, bindClaimRoot(r.Stream, prof, want))
		if err != nil {
			wipe(key)
			reasons = append(reasons, fmt.Sprintf("batch %d: %v", seq, err))
			continue
		}
		proof, err := zkclaim.Prove(zkclaim.KindExceeds, pk, key, zr, st)
		wipe(key)
		if err != nil {
			return nil, fmt.Errorf("prove against batch %d: %w", seq, err)
		}
		c, err := n.claimFile(prof, r.Stream, st, cb, want, proof)
		if err != nil || !r.Record {
			return c, err
		}
		call, err := exceedsCall(c.statement(), want, proof)
		if err != nil {
			return nil, err
		}
		rc, err := n.Chain.RecordExceedsClaim(ctx, call)
		if err != nil {
			return nil, fmt.Errorf("record the claim on chain: %w", err)
		}
		c.Recorded = &ClaimRecordView{Block: rc.Block, Tx: rc.TxHash.Hex(), By: n.Chain.Account().Hex()}
		return c, nil
	}
	if len(reasons) > 0 {
		return nil, fmt.Errorf("%w: no batch can prove the claim: %s", ErrBadInput, strings.Join(reasons, "; "))
	}
	return nil, fmt.Errorf("%w: the claim is false: no %s reading of the patient in the window satisfies it", ErrBadInput, r.Stream)
}

// claimCommitment finds this node's commitment of the stream's batch seq on chain and checks that it
// carries the claim root the readings give.
func (n *Node) claimCommitment(ctx context.Context, secret pointers.StreamSecret, seq uint64, root [32]byte) (pointers.CommittedBatch, error) {
	list, err := n.Chain.LookupCommitment(ctx, secret.BatchTag(seq))
	if errors.Is(err, ethereum.NotFound) {
		return pointers.CommittedBatch{}, errors.New("not committed on chain yet (retry after the commit interval)")
	}
	if err != nil {
		return pointers.CommittedBatch{}, err
	}
	for _, c := range list {
		if c.By != n.Chain.Account() || !secret.Authentic(c.Commitment, seq) {
			continue
		}
		if c.ClaimRoot == ([32]byte{}) {
			return c, errors.New("committed without a claim root (claims.streams did not name the stream when it was ingested)")
		}
		if c.ClaimRoot != root {
			return c, fmt.Errorf("%w: the on-chain claim root differs from the batch's readings", ErrIntegrity)
		}
		return c, nil
	}
	return pointers.CommittedBatch{}, errors.New("no commitment of this node on chain")
}

func (n *Node) claimFile(prof ClaimProfile, stream string, st zkclaim.Statement, cb pointers.CommittedBatch, root zkclaim.Root, proof *zkclaim.Proof) (*Claim, error) {
	pb, err := proof.MarshalBinary()
	if err != nil {
		return nil, err
	}
	vkh := pilot.VerifyingKeyHash()
	addrs := n.Chain.Contracts()
	c := &Claim{Version: ClaimFileVersion, Statement: claimWords(stream, prof, st), Kind: zkclaim.KindExceeds.String(),
		Stream: stream, Unit: prof.Unit, Scale: prof.Scale, Threshold: st.Threshold, Below: st.Below, From: st.From, To: st.To,
		VerifyingKey: hex.EncodeToString(vkh[:]), Proof: base64.StdEncoding.EncodeToString(pb)}
	c.Batch.Tag = hex.EncodeToString(cb.Tag[:])
	c.Batch.ClaimRoot = root.String()
	c.Batch.Block, c.Batch.Tx, c.Batch.By = cb.Block, cb.TxHash.Hex(), cb.By.Hex()
	c.Chain.ChainID, c.Chain.Commitments, c.Chain.DeployBlock = addrs.ChainID, addrs.Commitments.Hex(), addrs.DeployBlock
	return c, nil
}

// openOwnBatch opens one of this node's batches with the stream's secret keys (every epoch's).
func (n *Node) openOwnBatch(ctx context.Context, sks []*reencrypt.SecretKey, root cid.Cid) (*store.OpenedBatch, error) {
	h, _, err := store.ReadRoot(ctx, n.Store, root)
	if err != nil {
		return nil, err
	}
	dek, err := streamDEK(sks, h.Capsule)
	if err != nil {
		return nil, err
	}
	defer wipe(dek[:])
	return store.OpenBatch(ctx, n.Store, root, &dek)
}

// streamDEK decapsulates a batch's data key with the stream's secret keys (the one of the epoch the batch
// was sealed in).
func streamDEK(sks []*reencrypt.SecretKey, capsuleField []byte) ([32]byte, error) {
	if len(sks) == 0 {
		return [32]byte{}, errors.New("no secret key of the stream")
	}
	capsule, pk, err := ParseBatchCapsule(capsuleField, sks[0].PublicKey())
	if err != nil {
		return [32]byte{}, err
	}
	for _, k := range sks {
		if k.PublicKey().Equal(pk) {
			return reencrypt.Decapsulate(k, capsule)
		}
	}
	return [32]byte{}, errors.New("batch sealed under a key that is none of the stream's epochs")
}

// ClaimCheck is the outcome of verifying a claim file.
type ClaimCheck struct {
	Valid     bool   `json:"valid"`
	Statement string `json:"statement"`
	// Block, Tx and By locate the batch commitment that carries the claim root.
	Block     uint64 `json:"block"`
	Tx        string `json:"tx"`
	By        string `json:"by"`
	ClaimRoot string `json:"claimRoot"`
	// OnChain says whether the chain's verifier contract accepts the proof too ("accepted"), or why it
	// was not asked.
	OnChain string `json:"onChain"`
	// Recorded lists the times the Claims contract verified and recorded this very statement.
	Recorded []ClaimRecordView `json:"recorded"`
}

// exceedsCall lays out a claim for the chain's verifier.
func exceedsCall(st zkclaim.Statement, root zkclaim.Root, proof *zkclaim.Proof) (pointers.ExceedsCall, error) {
	words, inputs, err := zkclaim.SolidityCalldata(st, root, zkclaim.DefaultCapacity, proof)
	if err != nil {
		return pointers.ExceedsCall{}, err
	}
	var x pointers.ExceedsCall
	if len(words) != 8*32 || len(inputs) != 5 {
		return x, fmt.Errorf("exceeds claim calldata: %d proof bytes and %d inputs", len(words), len(inputs))
	}
	for i := range x.Proof {
		x.Proof[i] = new(big.Int).SetBytes(words[32*i : 32*i+32])
	}
	copy(x.Input[:], inputs)
	return x, nil
}

// statementHash is what the Claims contract records: keccak256(abi.encode(uint256[5] input)).
func statementHash(input [5]*big.Int) [32]byte {
	var b []byte
	for _, v := range input {
		b = append(b, common.LeftPadBytes(v.Bytes(), 32)...)
	}
	return crypto.Keccak256Hash(b)
}

// maxClaimFile bounds a claim file (a proof is 256 bytes; the rest is text).
const maxClaimFile = 64 << 10

// ParseClaim decodes and checks the shape of a claim file.
func ParseClaim(b []byte) (*Claim, error) {
	if len(b) > maxClaimFile {
		return nil, fmt.Errorf("%w: claim file of %d bytes (at most %d)", ErrBadInput, len(b), maxClaimFile)
	}
	var c Claim
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: not a claim file: %v", ErrBadInput, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: not a claim file: data after the claim", ErrBadInput)
	}
	if c.Version != ClaimFileVersion {
		return nil, fmt.Errorf("%w: claim file version %d (this vaultnode reads %d)", ErrBadInput, c.Version, ClaimFileVersion)
	}
	if c.Kind != zkclaim.KindExceeds.String() {
		return nil, fmt.Errorf("%w: claim kind %q (this vaultnode proves and verifies exceeds claims)", ErrBadInput, c.Kind)
	}
	prof, ok := claimProfiles[c.Stream]
	if !ok || prof.Unit != c.Unit || prof.Scale != c.Scale {
		return nil, fmt.Errorf("%w: claim about stream %q in %q at scale %d: not a claim profile this vaultnode knows", ErrBadInput, c.Stream, c.Unit, c.Scale)
	}
	if err := c.statement().Validate(); err != nil {
		return nil, fmt.Errorf("%w: claim statement: %w", ErrBadInput, err)
	}
	for name, h := range map[string]string{"batch.tag": c.Batch.Tag, "batch.claimRoot": c.Batch.ClaimRoot, "verifyingKey": c.VerifyingKey} {
		if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
			return nil, fmt.Errorf("%w: claim %s is not 32 bytes of hex", ErrBadInput, name)
		}
	}
	if !common.IsHexAddress(c.Chain.Commitments) || c.Chain.ChainID == 0 {
		return nil, fmt.Errorf("%w: claim chain: no chain id or commitments contract address", ErrBadInput)
	}
	return &c, nil
}

// VerifyClaim checks a claim against the chain the client reads: the proof verifies for the statement and
// the claim root, with the verifying key the claim names (which must be this binary's), and a member
// committed a batch with that tag and that claim root. It returns an error wrapping ErrIntegrity when the
// claim does not hold.
func VerifyClaim(ctx context.Context, chain *pointers.Client, c *Claim) (*ClaimCheck, error) {
	vkh := pilot.VerifyingKeyHash()
	if c.VerifyingKey != hex.EncodeToString(vkh[:]) {
		return nil, fmt.Errorf("%w: the claim was made with verifying key %s, not this vaultnode's (%x): another setup", ErrIntegrity, c.VerifyingKey, vkh)
	}
	vk, err := pilot.VerifyingKey()
	if err != nil {
		return nil, err
	}
	pb, err := base64.StdEncoding.DecodeString(c.Proof)
	if err != nil {
		return nil, fmt.Errorf("%w: claim proof is not base64: %v", ErrBadInput, err)
	}
	proof, err := zkclaim.UnmarshalProof(pb)
	if err != nil {
		return nil, fmt.Errorf("%w: claim proof: %w", ErrBadInput, err)
	}
	root, err := zkclaim.ParseRoot(c.Batch.ClaimRoot)
	if err != nil {
		return nil, fmt.Errorf("%w: claim root: %w", ErrBadInput, err)
	}
	st := c.statement()
	if prof := claimProfiles[c.Stream]; claimWords(c.Stream, prof, st) != c.Statement {
		return nil, fmt.Errorf("%w: the claim's words do not say what its statement proves (they should read %q)", ErrIntegrity, claimWords(c.Stream, prof, st))
	}
	if err := zkclaim.Verify(zkclaim.KindExceeds, vk, st, root, proof); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrIntegrity, err)
	}
	tag, _ := hex.DecodeString(c.Batch.Tag)
	list, err := chain.LookupCommitment(ctx, [32]byte(tag))
	if errors.Is(err, ethereum.NotFound) {
		return nil, fmt.Errorf("%w: no batch commitment with tag %s on chain", ErrIntegrity, c.Batch.Tag)
	}
	if err != nil {
		return nil, err
	}
	bound := bindClaimRoot(c.Stream, claimProfiles[c.Stream], root)
	i := slices.IndexFunc(list, func(cb pointers.CommittedBatch) bool { return cb.ClaimRoot == bound })
	if i < 0 {
		return nil, fmt.Errorf("%w: the batch commitment with tag %s carries another claim root than the claim's (or the same root bound to another kind of reading)", ErrIntegrity, c.Batch.Tag)
	}
	cb := list[i]
	chk := &ClaimCheck{Valid: true, Statement: c.Statement, Block: cb.Block, Tx: cb.TxHash.Hex(), By: cb.By.Hex(), ClaimRoot: c.Batch.ClaimRoot,
		Recorded: []ClaimRecordView{}}
	// The chain's own verifier must agree; a disagreement means the verifier contract is not this
	// binary's setup.
	call, err := exceedsCall(st, root, proof)
	if err != nil {
		return nil, err
	}
	switch err := chain.CheckExceedsClaim(ctx, call); {
	case errors.Is(err, pointers.ErrNoClaimsContract):
		chk.OnChain = "not asked: the deployment has no Claims contract"
		return chk, nil
	case errors.Is(err, pointers.ErrClaimRefused):
		return nil, fmt.Errorf("%w: the chain's claim verifier refuses the proof this vaultnode accepts (another setup's verifier?): %w", ErrIntegrity, err)
	case err != nil:
		return nil, err
	}
	chk.OnChain = "accepted"
	recs, err := chain.ClaimRecords(ctx, [32]byte(root))
	if err != nil {
		return nil, err
	}
	want := statementHash(call.Input)
	for _, r := range recs {
		if r.StatementHash == want {
			chk.Recorded = append(chk.Recorded, ClaimRecordView{Block: r.Block, Tx: r.TxHash.Hex(), By: r.By.Hex()})
		}
	}
	return chk, nil
}
