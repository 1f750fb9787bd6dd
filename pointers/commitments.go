package pointers

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
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

// Commitment is what goes on chain per batch (docs/PRODUCT.md §2): stream tag, sequence, root CID (binary CIDv1),
// Merkle root of the readings' salted hashes and reading count.
type Commitment struct {
	Tag        [32]byte
	Seq        uint64
	RootCID    []byte
	MerkleRoot [32]byte
	Count      uint32
}

// Validate checks the shape the contract enforces.
func (c Commitment) Validate() error {
	switch {
	case c.Tag == [32]byte{}:
		return fmt.Errorf("commitment seq %d: %w: zero stream tag", c.Seq, ErrBadInput)
	case len(c.RootCID) == 0 || len(c.RootCID) > MaxCIDLen:
		return fmt.Errorf("commitment %x/%d: %w: root CID length %d (1..%d)", c.Tag[:4], c.Seq, ErrBadInput, len(c.RootCID), MaxCIDLen)
	case c.Count == 0:
		return fmt.Errorf("commitment %x/%d: %w: zero reading count", c.Tag[:4], c.Seq, ErrBadInput)
	}
	return nil
}

func (c Commitment) key() ckey { return ckey{c.Tag, c.Seq} }

func (c Commitment) equal(o Commitment) bool {
	return c.Tag == o.Tag && c.Seq == o.Seq && bytes.Equal(c.RootCID, o.RootCID) && c.MerkleRoot == o.MerkleRoot && c.Count == o.Count
}

// CommittedBatch is a commitment as found on chain.
type CommittedBatch struct {
	Commitment
	Block  uint64
	TxHash common.Hash
}

// StreamState is the on-chain summary of a stream.
type StreamState struct {
	Head       [16]byte // hash chain over every commitment of the stream (zero: none yet)
	LastSeq    uint64
	FirstBlock uint64
	LastBlock  uint64
	// Owner is the member that owns the stream (zero before its first commitment or claim): only it
	// commits to the stream and records grants on it.
	Owner common.Address
}

// Exists reports whether the stream has any commitment.
func (s StreamState) Exists() bool { return s.Head != [16]byte{} }

// chainStep is the contract's hash chain step:
// bytes16(keccak256(abi.encode(prev, tag, seq, keccak256(cid), merkleRoot, count))).
func chainStep(prev [16]byte, c Commitment) [16]byte {
	p := make([]byte, 32)
	copy(p, prev[:]) // bytes16 is left-aligned in its ABI word
	u64 := common.LeftPadBytes(bigU(c.Seq).Bytes(), 32)
	cnt := common.LeftPadBytes(bigU(uint64(c.Count)).Bytes(), 32)
	cidHash := crypto.Keccak256(c.RootCID)
	var out [16]byte
	copy(out[:], crypto.Keccak256(p, c.Tag[:], u64, cidHash, c.MerkleRoot[:], cnt))
	return out
}

// Stream returns the on-chain state of a stream (Count == 0: nothing committed).
func (c *Client) Stream(ctx context.Context, tag [32]byte) (StreamState, error) {
	out, err := c.call(ctx, "stream", c.addrs.Commitments, c.commitments.PackStream(tag))
	if err != nil {
		return StreamState{}, err
	}
	s, err := c.commitments.UnpackStream(out)
	if err != nil {
		return StreamState{}, fmt.Errorf("pointers: stream: %w", err)
	}
	return StreamState{Head: s.Head, LastSeq: s.LastSeq, FirstBlock: uint64(s.FirstBlock), LastBlock: uint64(s.LastBlock), Owner: s.Owner}, nil
}

// StreamCommitments lists every commitment of a stream in sequence order, from the chain's event logs,
// and checks the list against the stream's on-chain hash chain (ErrTampered on mismatch).
func (c *Client) StreamCommitments(ctx context.Context, tag [32]byte) ([]CommittedBatch, error) {
	st, err := c.Stream(ctx, tag)
	if err != nil {
		return nil, err
	}
	if !st.Exists() {
		return nil, nil
	}
	list, err := c.filterCommitted(ctx, st.FirstBlock, st.LastBlock, [][]any{{tag}})
	if err != nil {
		return nil, err
	}
	if err := verifyStream(list, st.Head); err != nil {
		return nil, fmt.Errorf("pointers: stream %x: %w", tag[:4], err)
	}
	return list, nil
}

// verifyStream checks that list, in order, reproduces the on-chain hash chain head.
func verifyStream(list []CommittedBatch, head [16]byte) error {
	var h [16]byte
	for _, b := range list {
		h = chainStep(h, b.Commitment)
	}
	if h != head {
		return fmt.Errorf("%w: the %d commitments in the logs do not reproduce the on-chain hash chain", ErrTampered, len(list))
	}
	return nil
}

// LookupCommitment finds the commitment (tag, seq) on chain.
func (c *Client) LookupCommitment(ctx context.Context, tag [32]byte, seq uint64) (CommittedBatch, error) {
	st, err := c.Stream(ctx, tag)
	if err != nil {
		return CommittedBatch{}, err
	}
	if !st.Exists() || seq > st.LastSeq {
		return CommittedBatch{}, fmt.Errorf("pointers: commitment %x/%d: %w", tag[:4], seq, ethereum.NotFound)
	}
	list, err := c.filterCommitted(ctx, st.FirstBlock, st.LastBlock, [][]any{{tag}, {seq}})
	if err != nil {
		return CommittedBatch{}, err
	}
	if len(list) == 0 {
		return CommittedBatch{}, fmt.Errorf("pointers: commitment %x/%d: %w", tag[:4], seq, ethereum.NotFound)
	}
	return list[0], nil
}

func (c *Client) filterCommitted(ctx context.Context, from, to uint64, query [][]any) ([]CommittedBatch, error) {
	ev := c.commitments.GetABI().Events["Committed"]
	topics, err := abi.MakeTopics(query...)
	if err != nil {
		return nil, fmt.Errorf("pointers: committed topics: %w", err)
	}
	topics = append([][]common.Hash{{ev.ID}}, topics...)
	logs, err := c.filterLogs(ctx, ethereum.FilterQuery{FromBlock: bigU(from), ToBlock: bigU(to), Addresses: []common.Address{c.addrs.Commitments}, Topics: topics})
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
			Commitment: Commitment{Tag: e.Tag, Seq: e.Seq, RootCID: e.RootCid, MerkleRoot: e.MerkleRoot, Count: e.Count},
			Block:      logs[i].BlockNumber, TxHash: logs[i].TxHash,
		})
	}
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
//
// The queue is then put back in sequence order within each stream: a node
// that started while the chain was unreachable has queued its new batches
// before reconciliation requeues the older ones, and the contract takes a
// stream's sequence numbers only in increasing order (a later one first
// would make the earlier one a "duplicate" for good).
func (m *committer) requeue(cs []Commitment) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range cs {
		if !m.inQueue[x.key()] {
			m.inQueue[x.key()] = true
			m.pending = append(m.pending, x)
		}
	}
	slices.SortStableFunc(m.pending, func(a, b Commitment) int {
		if c := bytes.Compare(a.Tag[:], b.Tag[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
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
			m.c.txFailed.Add(1)
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

	// Drop what the chain already has (idempotence by (tag, seq)): the stream's last sequence is at or
	// above the commitment's.
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
				m.fail(keys, err)
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
	tags, seqs, cids, roots, counts := make([][32]byte, n), make([]uint64, n), make([][]byte, n), make([][32]byte, n), make([]uint32, n)
	for i, x := range cs {
		tags[i], seqs[i], cids[i], roots[i], counts[i] = x.Tag, x.Seq, x.RootCID, x.MerkleRoot, x.Count
	}
	data := m.c.commitments.PackCommit(tags, seqs, cids, roots, counts)
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

// filterCommitted0 splits a batch into commitments to send and those the chain already settled: same
// content on chain (done, journaled as such) or a conflicting/lower sequence (abandoned with an error).
func (c *Client) filterCommitted0(ctx context.Context, batch []Commitment) ([]Commitment, []settledGroup, error) {
	states := map[[32]byte]StreamState{}
	var send []Commitment
	var settled []settledGroup
	lastSent := map[[32]byte]uint64{}
	for _, x := range batch {
		st, ok := states[x.Tag]
		if !ok {
			var err error
			if st, err = c.Stream(ctx, x.Tag); err != nil {
				return nil, nil, err
			}
			states[x.Tag] = st
		}
		if prev, ok := lastSent[x.Tag]; ok && x.Seq <= prev {
			// Enqueued out of order behind a higher sequence of the same stream: the contract would
			// reject it. Leave it for a later pass (it will be settled against the chain then).
			continue
		}
		if (!st.Exists() || x.Seq > st.LastSeq) && st.Owner != (common.Address{}) && st.Owner != c.from {
			// Another member's stream: the contract refuses every new commitment to it from us (one
			// the chain already holds is settled below like any other).
			e := fmt.Errorf("pointers: commit (%x, %d): %w: the stream belongs to member %s", x.Tag[:4], x.Seq, ErrNotOwner, st.Owner)
			c.log.Error("committer: commitment rejected for good", "err", e)
			if err := c.journal.append(&jrecord{kind: recAbandon, keys: []ckey{x.key()}}); err != nil {
				return nil, nil, err
			}
			settled = append(settled, settledGroup{keys: []ckey{x.key()}, res: commitResult{err: e}, abandon: true})
			continue
		}
		if !st.Exists() || x.Seq > st.LastSeq {
			send = append(send, x)
			lastSent[x.Tag] = x.Seq
			continue
		}
		on, err := c.LookupCommitment(ctx, x.Tag, x.Seq)
		switch {
		case err == nil && on.Commitment.equal(x):
			hash, herr := c.blockHash(ctx, on.Block)
			if herr != nil {
				return nil, nil, fmt.Errorf("pointers: header %d: %w", on.Block, herr)
			}
			r := Receipt{TxHash: on.TxHash, Block: on.Block, BlockHash: hash}
			if err := c.journal.append(&jrecord{kind: recDone, done: jdone{block: r.Block, blockHash: r.BlockHash, txHash: r.TxHash}, keys: []ckey{x.key()}}); err != nil {
				return nil, nil, err
			}
			settled = append(settled, settledGroup{keys: []ckey{x.key()}, res: commitResult{r: r}})
		case err == nil || errors.Is(err, ethereum.NotFound):
			var e error
			if err == nil {
				e = fmt.Errorf("pointers: commit (%x, %d): %w: %w (stream's last sequence on chain is %d)", x.Tag[:4], x.Seq, ErrDuplicateSequence, ErrCommitmentConflict, st.LastSeq)
			} else {
				e = fmt.Errorf("pointers: commit (%x, %d): %w (stream's last sequence on chain is %d)", x.Tag[:4], x.Seq, ErrDuplicateSequence, st.LastSeq)
			}
			c.log.Error("committer: commitment rejected for good", "err", e)
			if err := c.journal.append(&jrecord{kind: recAbandon, keys: []ckey{x.key()}}); err != nil {
				return nil, nil, err
			}
			settled = append(settled, settledGroup{keys: []ckey{x.key()}, res: commitResult{err: e}, abandon: true})
		default:
			return nil, nil, err
		}
	}
	return send, settled, nil
}

// TagOf is a helper for tests and tools: sha256 of a label as a 32-byte tag. Production tags are keyed
// hashes computed by the keys package.
func TagOf(label string) [32]byte { return sha256.Sum256([]byte(label)) }
