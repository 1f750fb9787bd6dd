package pointers

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// MaxCIDLen is the longest root CID (binary form) a commitment may carry.
const MaxCIDLen = 128

// Commitment is what goes on chain per batch (docs/CHAIN.md): the batch's tag (fresh per batch, derived
// from the stream's secret and the sequence: StreamSecret.Commitment), root CID (binary CIDv1), Merkle root
// of the readings' salted hashes, the claim root (the batch's salted Poseidon2 commitment that
// zero-knowledge claims are proven against, store/zkclaim; zero when the stream makes no claims), reading
// count and the MAC that lets a holder of the stream secret tell it from a copy. The sequence number does not go on chain: it is this node's key for the commitment
// (journal, receipts) and is implied by the tag.
type Commitment struct {
	Tag        [32]byte
	Seq        uint64
	RootCID    []byte
	MerkleRoot [32]byte
	ClaimRoot  [32]byte
	Count      uint32
	MAC        [16]byte
}

// Validate checks the shape the contract enforces.
func (c Commitment) Validate() error {
	switch {
	case c.Seq == 0:
		return fmt.Errorf("commitment: %w: sequence 0 (a stream's batches are numbered from 1)", ErrBadInput)
	case c.Tag == [32]byte{}:
		return fmt.Errorf("commitment seq %d: %w: zero batch tag", c.Seq, ErrBadInput)
	case len(c.RootCID) == 0 || len(c.RootCID) > MaxCIDLen:
		return fmt.Errorf("commitment %x/%d: %w: root CID length %d (1..%d)", c.Tag[:4], c.Seq, ErrBadInput, len(c.RootCID), MaxCIDLen)
	case c.Count == 0:
		return fmt.Errorf("commitment %x/%d: %w: zero reading count", c.Tag[:4], c.Seq, ErrBadInput)
	case c.MAC == [16]byte{}:
		return fmt.Errorf("commitment %x/%d: %w: zero MAC", c.Tag[:4], c.Seq, ErrBadInput)
	}
	return nil
}

func (c Commitment) key() ckey { return ckey{c.Tag, c.Seq} }

// sameOnChain reports whether two commitments carry the same on-chain content (the sequence is not on chain).
func (c Commitment) sameOnChain(o Commitment) bool {
	return c.Tag == o.Tag && bytes.Equal(c.RootCID, o.RootCID) && c.MerkleRoot == o.MerkleRoot && c.ClaimRoot == o.ClaimRoot && c.Count == o.Count && c.MAC == o.MAC
}

func (c Commitment) equal(o Commitment) bool { return c.Seq == o.Seq && c.sameOnChain(o) }

// CommittedBatch is a commitment as found on chain. Seq is known only to a reader that derived the tag
// (StreamCommitments); a bare lookup by tag leaves it zero.
type CommittedBatch struct {
	Commitment
	Block    uint64
	LogIndex uint
	TxHash   common.Hash
	By       common.Address // the member that committed it
	Prev     [16]byte       // the member's log head before this commitment
}

// MemberLog is a member's commitment log as the contract keeps it: the head of a hash chain over every
// commitment the member made, their number and the block of the latest.
type MemberLog struct {
	Head      [16]byte
	Count     uint64
	LastBlock uint64
}

// memberStep is the contract's hash chain step:
// bytes16(keccak256(abi.encode(prev, tag, keccak256(cid), merkleRoot, claimRoot, count, mac))).
func memberStep(prev [16]byte, c Commitment) [16]byte {
	p := make([]byte, 32)
	copy(p, prev[:]) // bytes16 is left-aligned in its ABI word
	cnt := common.LeftPadBytes(bigU(uint64(c.Count)).Bytes(), 32)
	mac := make([]byte, 32)
	copy(mac, c.MAC[:])
	var out [16]byte
	copy(out[:], crypto.Keccak256(p, c.Tag[:], crypto.Keccak256(c.RootCID), c.MerkleRoot[:], c.ClaimRoot[:], cnt, mac))
	return out
}

// MemberLogAt returns a member's commitment log at block n (nil: the latest block).
func (c *Client) MemberLogAt(ctx context.Context, member common.Address, n *big.Int) (MemberLog, error) {
	to := c.addrs.Commitments
	out, err := c.eth.CallContract(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: c.commitments.PackMemberLog(member)}, n)
	if err != nil {
		return MemberLog{}, c.wrapRevert("member log", err)
	}
	l, err := c.commitments.UnpackMemberLog(out)
	if err != nil {
		return MemberLog{}, fmt.Errorf("pointers: member log: %w", err)
	}
	return MemberLog{Head: l.Head, Count: l.Count, LastBlock: uint64(l.LastBlock)}, nil
}

// probeWindow is how many batch tags one log query asks for (topic lists this long are accepted by
// go-ethereum and Cosmos EVM alike); a window with no commitment ends the search.
const probeWindow = 256

// StreamCommitments lists the commitments of the stream with this secret made by custodian, in sequence
// order. It derives the batch tags window by window (sequence 1, 2, ...) until a whole window finds
// nothing, keeps only commitments whose MAC the secret confirms (a copy by anyone else is ignored), and
// checks the custodian's member log from the stream's latest commitment to the chain head: a node
// serving logs that hides a later commitment of the stream, or alters one, breaks the hash chain
// (ErrTampered). Two authentic commitments of one sequence with different content are ErrTampered.
// Gaps in the sequence (an abandoned batch) are not errors: the caller compares with what it expects.
func (c *Client) StreamCommitments(ctx context.Context, secret StreamSecret, custodian common.Address) ([]CommittedBatch, error) {
	head, err := c.eth.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("pointers: stream commitments: %w", err)
	}
	var out []CommittedBatch
	for lo := uint64(1); ; lo += probeWindow {
		tags := make([]any, probeWindow)
		seqOf := make(map[[32]byte]uint64, probeWindow)
		for i := range tags {
			t := secret.BatchTag(lo + uint64(i))
			tags[i], seqOf[t] = t, lo+uint64(i)
		}
		found, err := c.filterCommitted(ctx, c.addrs.DeployBlock, head, [][]any{tags, {custodian}})
		if err != nil {
			return nil, err
		}
		n := 0
		for _, b := range found {
			seq := seqOf[b.Tag]
			if !secret.Authentic(b.Commitment, seq) {
				continue
			}
			b.Seq = seq
			out = append(out, b)
			n++
		}
		if n == 0 {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b CommittedBatch) int {
		if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
			return c
		}
		return cmp.Compare(a.Block, b.Block)
	})
	list := out[:0]
	for _, b := range out {
		if k := len(list); k > 0 && list[k-1].Seq == b.Seq {
			if !list[k-1].sameOnChain(b.Commitment) {
				return nil, fmt.Errorf("pointers: stream commitments: %w: two different authentic commitments of sequence %d", ErrTampered, b.Seq)
			}
			continue // the same commitment sent twice (a retried transaction)
		}
		list = append(list, b)
	}
	if len(list) == 0 {
		return nil, nil
	}
	last := list[0]
	for _, b := range list {
		if b.Block > last.Block || (b.Block == last.Block && b.LogIndex > last.LogIndex) {
			last = b
		}
	}
	if err := c.verifyMemberTail(ctx, custodian, last, head); err != nil {
		return nil, err
	}
	return list, nil
}

// verifyMemberTail checks that the member's commitments from `from` on, as the logs return them,
// reproduce the member's on-chain log head at block head.
func (c *Client) verifyMemberTail(ctx context.Context, member common.Address, from CommittedBatch, head uint64) error {
	st, err := c.MemberLogAt(ctx, member, bigU(head))
	if err != nil {
		return err
	}
	events, err := c.filterCommitted(ctx, from.Block, head, [][]any{nil, {member}})
	if err != nil {
		return err
	}
	return verifyChainFrom(events, from, st.Head)
}

// verifyChainFrom recomputes the member hash chain from the event `from` (found among events, which are
// in chain order) to the end and compares it with head.
func verifyChainFrom(events []CommittedBatch, from CommittedBatch, head [16]byte) error {
	i := slices.IndexFunc(events, func(e CommittedBatch) bool { return e.Block == from.Block && e.LogIndex == from.LogIndex })
	if i < 0 || !events[i].sameOnChain(from.Commitment) {
		return fmt.Errorf("%w: the member's commitment log does not contain the stream's latest commitment", ErrTampered)
	}
	h := events[i].Prev
	for _, e := range events[i:] {
		h = memberStep(h, e.Commitment)
	}
	if h != head {
		return fmt.Errorf("%w: the member's %d commitments since the stream's latest do not reproduce its on-chain log head", ErrTampered, len(events)-i)
	}
	return nil
}

// VerifyMemberLog checks a member's whole commitment log: every Committed event it ever emitted, in order,
// reproduces its on-chain head and count (ErrTampered otherwise). It reads all of the member's
// commitments, so it is an audit, not a per-fetch check.
func (c *Client) VerifyMemberLog(ctx context.Context, member common.Address) (MemberLog, error) {
	head, err := c.eth.BlockNumber(ctx)
	if err != nil {
		return MemberLog{}, fmt.Errorf("pointers: member log: %w", err)
	}
	st, err := c.MemberLogAt(ctx, member, bigU(head))
	if err != nil {
		return MemberLog{}, err
	}
	events, err := c.filterCommitted(ctx, c.addrs.DeployBlock, head, [][]any{nil, {member}})
	if err != nil {
		return MemberLog{}, err
	}
	var h [16]byte
	for _, e := range events {
		if e.Prev != h {
			return st, fmt.Errorf("%w: member %s: commitment in block %d does not follow the one before it", ErrTampered, member, e.Block)
		}
		h = memberStep(h, e.Commitment)
	}
	if h != st.Head || uint64(len(events)) != st.Count {
		return st, fmt.Errorf("%w: member %s: the %d commitments in the logs do not reproduce the on-chain log (%d commitments)", ErrTampered, member, len(events), st.Count)
	}
	return st, nil
}

// LookupCommitment finds the commitments with this batch tag on chain, by any member, in chain order
// (ethereum.NotFound if none). The caller checks authenticity with its StreamSecret.
func (c *Client) LookupCommitment(ctx context.Context, tag [32]byte) ([]CommittedBatch, error) {
	list, err := c.filterCommitted(ctx, c.addrs.DeployBlock, 0, [][]any{{tag}})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("pointers: commitment %x: %w", tag[:4], ethereum.NotFound)
	}
	return list, nil
}

// CommitmentsOfRoot finds the commitments of a batch by its root CID, in chain order (ethereum.NotFound
// if none): what a member holding a replica of the block checks it against. Without the stream's secret
// the reader cannot tell the custodian's commitment from another member's copy; By names who made each.
func (c *Client) CommitmentsOfRoot(ctx context.Context, rootCID []byte) ([]CommittedBatch, error) {
	list, err := c.filterCommitted(ctx, c.addrs.DeployBlock, 0, [][]any{nil, nil, {common.Hash(crypto.Keccak256Hash(rootCID))}})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("pointers: commitment of root %x: %w", rootCID[max(0, len(rootCID)-4):], ethereum.NotFound)
	}
	return list, nil
}

// filterCommitted reads Committed events between from and to (0: the latest block) matching the
// indexed topics query (tag, member, root CID hash).
func (c *Client) filterCommitted(ctx context.Context, from, to uint64, query [][]any) ([]CommittedBatch, error) {
	ev := c.commitments.GetABI().Events["Committed"]
	topics, err := abi.MakeTopics(query...)
	if err != nil {
		return nil, fmt.Errorf("pointers: committed topics: %w", err)
	}
	topics = append([][]common.Hash{{ev.ID}}, topics...)
	q := ethereum.FilterQuery{FromBlock: bigU(from), Addresses: []common.Address{c.addrs.Commitments}, Topics: topics}
	if to != 0 {
		q.ToBlock = bigU(to)
	}
	logs, err := c.filterLogs(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("pointers: filter commitments: %w", err)
	}
	out := make([]CommittedBatch, 0, len(logs))
	for i := range logs {
		if logs[i].Removed {
			continue
		}
		e, err := c.commitments.UnpackCommittedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("pointers: decode commitment log: %w", err)
		}
		out = append(out, CommittedBatch{
			Commitment: Commitment{Tag: e.Tag, RootCID: e.RootCid, MerkleRoot: e.MerkleRoot, ClaimRoot: e.ClaimRoot, Count: e.Count, MAC: e.Mac},
			Block:      logs[i].BlockNumber, LogIndex: logs[i].Index, TxHash: logs[i].TxHash, By: e.By, Prev: e.Prev,
		})
	}
	slices.SortStableFunc(out, func(a, b CommittedBatch) int {
		if c := cmp.Compare(a.Block, b.Block); c != 0 {
			return c
		}
		return cmp.Compare(a.LogIndex, b.LogIndex)
	})
	return out, nil
}

// EnqueueCommitments records commitments durably in the journal (fsync) and hands them to the
// background committer, which packs them into a transaction within CommitInterval. When it returns nil
// the commitments will reach the chain even if the process is killed: the next Open re-submits them.
// Re-enqueueing an identical commitment is a no-op; a different one under a known (tag, seq) is
// ErrCommitmentConflict.
func (c *Client) EnqueueCommitments(ctx context.Context, cs []Commitment) error {
	_, err := c.committer.enqueue(ctx, cs, false)
	return err
}

// CommitBatches commits the commitments now (without waiting for the interval) and waits until every
// one of them is on chain (durable on the embedded chain). It returns the receipt of the last
// transaction that carried them. Commitments already on chain with identical content count as
// committed; a repeated (tag, seq) with different content is ErrDuplicateSequence.
func (c *Client) CommitBatches(ctx context.Context, cs []Commitment) (Receipt, error) {
	waits, err := c.committer.enqueue(ctx, cs, true)
	if err != nil {
		return Receipt{}, err
	}
	var last Receipt
	for _, w := range waits {
		select {
		case res := <-w:
			if res.err != nil {
				return last, res.err
			}
			if res.r.Block >= last.Block {
				last = res.r
			}
		case <-ctx.Done():
			return last, fmt.Errorf("pointers: commit batches: %w", ctx.Err())
		case <-c.closed:
			return last, fmt.Errorf("pointers: commit batches: %w (the commitments stay journaled)", ErrClosed)
		}
	}
	return last, nil
}

// PendingCommitments is the number of journaled commitments not yet on chain.
func (c *Client) PendingCommitments() int { return c.committer.pendingCount() }

// countedFailure is a failed commit already counted in TxFailures.
type countedFailure struct{ error }

func (c countedFailure) Unwrap() error { return c.error }

type commitResult struct {
	r   Receipt
	err error
}

type committer struct {
	c       *Client
	flush   chan struct{}
	mu      sync.Mutex
	pending []Commitment // FIFO
	inQueue map[ckey]bool
	waiters map[ckey][]chan commitResult
	// Stats, for benchmarks.
	txs, commits, gas uint64
}

func newCommitter(c *Client) *committer {
	return &committer{c: c, flush: make(chan struct{}, 1), inQueue: map[ckey]bool{}, waiters: map[ckey][]chan commitResult{}}
}

func (m *committer) pendingCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// CommitterStats reports the transactions, commitments and gas the committer used since Open.
func (c *Client) CommitterStats() (txs, commitments, gas uint64) {
	c.committer.mu.Lock()
	defer c.committer.mu.Unlock()
	return c.committer.txs, c.committer.commits, c.committer.gas
}

func (m *committer) enqueue(ctx context.Context, cs []Commitment, wait bool) ([]chan commitResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	seen := map[ckey]int{}
	for i, x := range cs {
		if err := x.Validate(); err != nil {
			return nil, fmt.Errorf("pointers: commit: %w", err)
		}
		if j, dup := seen[x.key()]; dup && !cs[j].equal(x) {
			return nil, fmt.Errorf("pointers: commit: %w: (%x, %d) twice with different content", ErrDuplicateSequence, x.Tag[:4], x.Seq)
		}
		seen[x.key()] = i
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var recs []*jrecord
	var waits []chan commitResult
	var fresh []Commitment
	for _, x := range cs {
		known, old, done, abandoned := m.c.journal.commitState(x.key())
		if known {
			if !old.equal(x) {
				return nil, fmt.Errorf("pointers: commit (%x, %d): %w: %w", x.Tag[:4], x.Seq, ErrDuplicateSequence, ErrCommitmentConflict)
			}
			if abandoned {
				return nil, fmt.Errorf("pointers: commit (%x, %d): %w: rejected by the chain earlier", x.Tag[:4], x.Seq, ErrDuplicateSequence)
			}
			if done {
				if wait {
					ch := make(chan commitResult, 1)
					ch <- commitResult{}
					waits = append(waits, ch)
				}
				continue
			}
		} else if _, dup := seen[x.key()]; dup && containsKey(fresh, x.key()) {
			continue
		} else {
			recs = append(recs, &jrecord{kind: recCommit, commit: x})
			fresh = append(fresh, x)
		}
		if wait {
			ch := make(chan commitResult, 1)
			m.waiters[x.key()] = append(m.waiters[x.key()], ch)
			waits = append(waits, ch)
		}
	}
	if len(recs) > 0 {
		if err := m.c.journal.append(recs...); err != nil {
			return nil, err
		}
	}
	for _, x := range fresh {
		if !m.inQueue[x.key()] {
			m.inQueue[x.key()] = true
			m.pending = append(m.pending, x)
		}
	}
	if wait || len(m.pending) >= m.c.cfg.MaxCommitmentsPerTx {
		select {
		case m.flush <- struct{}{}:
		default:
		}
	}
	return waits, nil
}

func containsKey(cs []Commitment, k ckey) bool {
	for _, x := range cs {
		if x.key() == k {
			return true
		}
	}
	return false
}

// requeue puts journaled, unfinished commitments back in the queue (reconciliation at Open).
func (m *committer) requeue(cs []Commitment) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range cs {
		if !m.inQueue[x.key()] {
			m.inQueue[x.key()] = true
			m.pending = append(m.pending, x)
		}
	}
}

func (m *committer) loop() {
	t := time.NewTicker(m.c.cfg.CommitInterval)
	defer t.Stop()
	backoff := time.Duration(0)
	var retry <-chan time.Time
	for {
		select {
		case <-m.c.closed:
			return
		case <-t.C:
		case <-m.flush:
		case <-retry:
		}
		retry = nil
		for m.pendingCount() > 0 {
			err := m.commitOnce()
			if err == nil {
				backoff = 0
				continue
			}
			if errors.Is(err, ErrClosed) {
				return
			}
			if !errors.As(err, new(countedFailure)) {
				m.c.txFailed.Add(1)
			}
			backoff = min(max(2*backoff, 200*time.Millisecond), 30*time.Second)
			m.c.log.Warn("committer: commit failed, will retry", "err", err, "pending", m.pendingCount(), "retry_in", backoff)
			retry = time.After(backoff)
			break
		}
		m.c.retryOps()
		if sz, base := m.c.journal.sizes(); sz > max(32<<20, 2*base) { // amortised: at most doubling
			if head, err := m.c.eth.BlockNumber(context.Background()); err == nil {
				if err := m.c.journal.compact(head, m.c.cfg.JournalRetainBlocks); err != nil {
					m.c.log.Warn("journal compaction failed", "err", err)
				}
			}
		}
	}
}

// commitOnce sends one transaction with up to MaxCommitmentsPerTx pending commitments.
func (m *committer) commitOnce() error {
	ctx, cancel := context.WithTimeout(context.Background(), m.c.cfg.TxTimeout+30*time.Second)
	defer cancel()
	go func() {
		select {
		case <-m.c.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	m.mu.Lock()
	n := min(len(m.pending), m.c.cfg.MaxCommitmentsPerTx)
	batch := append([]Commitment(nil), m.pending[:n]...)
	m.mu.Unlock()

	// Drop what the chain already has (idempotence by batch tag).
	send, settled, err := m.c.filterCommitted0(ctx, batch)
	if err != nil {
		return err
	}
	for _, s := range settled {
		m.finish(s.keys, s.res, s.abandon)
	}
	if len(send) == 0 {
		return nil
	}
	for len(send) > 0 {
		r, err := m.sendCommit(ctx, send)
		if errors.Is(err, errTooMuchGas) && len(send) > 1 {
			send = send[:len(send)/2]
			continue
		}
		if err != nil {
			if errors.Is(err, ErrNotMember) {
				// The chain refuses the batch because this node is not a member: tell the callers
				// waiting for it now; the commitments stay journaled and pending, and are retried (other
				// failures are retried without failing the waiters: the next pass settles against the chain).
				keys := make([]ckey, len(send))
				for i, x := range send {
					keys[i] = x.key()
				}
				// Counted before the waiters hear of it: a caller reading
				// TxFailures after its refusal sees it counted.
				m.c.txFailed.Add(1)
				m.fail(keys, err)
				return countedFailure{err}
			}
			return err
		}
		keys := make([]ckey, len(send))
		for i, x := range send {
			keys[i] = x.key()
		}
		if err := m.c.journal.append(&jrecord{kind: recDone, done: jdone{block: r.Block, blockHash: r.BlockHash, txHash: r.TxHash}, keys: keys}); err != nil {
			return err
		}
		m.mu.Lock()
		m.txs++
		m.commits += uint64(len(send))
		m.gas += r.GasUsed
		m.mu.Unlock()
		m.finish(keys, commitResult{r: r}, false)
		return nil
	}
	return nil
}

var errTooMuchGas = errors.New("commit batch exceeds the transaction gas or size cap")

// maxTxData keeps a commit transaction under go-ethereum's transaction pool size limit (128 KiB,
// txMaxSize) with room for the signature and envelope: about 480 commitments of 36-byte CIDs.
const maxTxData = 124 << 10

func (m *committer) sendCommit(ctx context.Context, cs []Commitment) (Receipt, error) {
	n := len(cs)
	tags, cids, roots, claims, counts, macs := make([][32]byte, n), make([][]byte, n), make([][32]byte, n), make([][32]byte, n), make([]uint32, n), make([][16]byte, n)
	for i, x := range cs {
		tags[i], cids[i], roots[i], claims[i], counts[i], macs[i] = x.Tag, x.RootCID, x.MerkleRoot, x.ClaimRoot, x.Count, x.MAC
	}
	data := m.c.commitments.PackCommit(tags, cids, roots, claims, counts, macs)
	if len(data) > maxTxData && len(cs) > 1 {
		return Receipt{}, errTooMuchGas
	}
	to := m.c.addrs.Commitments
	est, err := m.c.eth.EstimateGas(ctx, ethereum.CallMsg{From: m.c.from, To: &to, Data: data, Gas: params.MaxTxGas})
	if err != nil {
		if len(revertData(err)) == 0 && len(cs) > 1 {
			// Out of gas under the cap is reported without revert data.
			return Receipt{}, fmt.Errorf("%w: %v", errTooMuchGas, err)
		}
		return Receipt{}, m.c.wrapRevert("commit", err)
	}
	gas := est + est/5 + 10_000
	if gas > params.MaxTxGas {
		if est > params.MaxTxGas-10_000 && len(cs) > 1 {
			return Receipt{}, errTooMuchGas
		}
		gas = params.MaxTxGas
	}
	tx, err := m.c.signAndSend(ctx, "commit", &to, data, nil, gas)
	if err != nil {
		return Receipt{}, err
	}
	return m.c.waitMined(ctx, "commit", tx, &to, data)
}

// fail reports err to the callers waiting for keys, leaving the commitments pending.
func (m *committer) fail(keys []ckey, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		for _, w := range m.waiters[k] {
			w <- commitResult{err: err}
		}
		delete(m.waiters, k)
	}
}

func (m *committer) finish(keys []ckey, res commitResult, abandon bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	drop := map[ckey]bool{}
	for _, k := range keys {
		drop[k] = true
		delete(m.inQueue, k)
		for _, w := range m.waiters[k] {
			w <- res
		}
		delete(m.waiters, k)
	}
	kept := m.pending[:0]
	for _, x := range m.pending {
		if !drop[x.key()] {
			kept = append(kept, x)
		}
	}
	m.pending = kept
	_ = abandon
}

type settledGroup struct {
	keys    []ckey
	res     commitResult
	abandon bool
}

// filterCommitted0 splits a batch into commitments to send and those the chain already settled: the same
// commitment made by this member (done, journaled as such) or another one by this member under the same
// batch tag (abandoned with an error: the tag is derived from the stream and the sequence, so it is the
// same batch sequence committed twice with different content). Copies of a tag by other members are not
// this node's and do not count.
func (c *Client) filterCommitted0(ctx context.Context, batch []Commitment) ([]Commitment, []settledGroup, error) {
	onChain := map[[32]byte][]CommittedBatch{}
	for lo := 0; lo < len(batch); lo += probeWindow {
		part := batch[lo:min(len(batch), lo+probeWindow)]
		tags := make([]any, len(part))
		for i, x := range part {
			tags[i] = x.Tag
		}
		found, err := c.filterCommitted(ctx, c.addrs.DeployBlock, 0, [][]any{tags, {c.from}})
		if err != nil {
			return nil, nil, err
		}
		for _, b := range found {
			onChain[b.Tag] = append(onChain[b.Tag], b)
		}
	}
	var send []Commitment
	var settled []settledGroup
	for _, x := range batch {
		list := onChain[x.Tag]
		if len(list) == 0 {
			send = append(send, x)
			continue
		}
		if i := slices.IndexFunc(list, func(b CommittedBatch) bool { return b.sameOnChain(x) }); i >= 0 {
			on := list[i]
			hash, herr := c.blockHash(ctx, on.Block)
			if herr != nil {
				return nil, nil, fmt.Errorf("pointers: header %d: %w", on.Block, herr)
			}
			r := Receipt{TxHash: on.TxHash, Block: on.Block, BlockHash: hash}
			if err := c.journal.append(&jrecord{kind: recDone, done: jdone{block: r.Block, blockHash: r.BlockHash, txHash: r.TxHash}, keys: []ckey{x.key()}}); err != nil {
				return nil, nil, err
			}
			settled = append(settled, settledGroup{keys: []ckey{x.key()}, res: commitResult{r: r}})
			continue
		}
		e := fmt.Errorf("pointers: commit (%x, %d): %w: %w (this member committed other content under the batch tag in block %d)", x.Tag[:4], x.Seq, ErrDuplicateSequence, ErrCommitmentConflict, list[0].Block)
		c.log.Error("committer: commitment rejected for good", "err", e)
		if err := c.journal.append(&jrecord{kind: recAbandon, keys: []ckey{x.key()}}); err != nil {
			return nil, nil, err
		}
		settled = append(settled, settledGroup{keys: []ckey{x.key()}, res: commitResult{err: e}, abandon: true})
	}
	return send, settled, nil
}

// TagOf is a helper for tests and tools: sha256 of a label as a 32-byte tag. Production tags are keyed
// hashes computed by the keys package.
func TagOf(label string) [32]byte { return sha256.Sum256([]byte(label)) }
