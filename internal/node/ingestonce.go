package node

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"

	"github.com/vaultnode/vaultnode/keys"
)

// Exactly-once ingest. A device or an EHR interface retries after every
// timeout, so the same signed submission arrives again. Each submission has
// an identity (derived.ingestID: the device and the bytes it signed); the
// node records, under that identity, the sequence numbers it reserved for
// the submission's batches before sealing them, and the stored roots once
// they are durable. A retry of an acknowledged submission gets the same
// receipt and stores nothing; a retry while the first is in flight waits
// until the first has stored its batches (seqMu), then only replicates
// them again; a retry after a crash mid-ingest reuses the
// reserved sequence numbers and the batches already stored, so no reading
// is stored twice. Records are kept for IngestRetryWindow: a submission
// sent again later than that is taken as new.

// IngestRetryWindow is how long a submission's identity is remembered.
const IngestRetryWindow = 24 * time.Hour

// ingestRecord is what the node keeps about one submission. It names no
// patient or stream: a retry carries those itself.
type ingestRecord struct {
	Version  int        `json:"v"`
	Time     int64      `json:"t"` // unix seconds of the first attempt
	Seqs     []uint64   `json:"seqs"`
	Done     bool       `json:"done,omitempty"`
	Roots    []string   `json:"roots,omitempty"`
	Replicas [][]string `json:"replicas,omitempty"`
}

func ingestKey(id [32]byte) ds.Key {
	return ds.NewKey("/vaultnode/ingest/id/" + hex.EncodeToString(id[:]))
}

// ingestTimeKey orders the records by age for pruning.
func ingestTimeKey(t int64, id [32]byte) ds.Key {
	return ds.NewKey(fmt.Sprintf("/vaultnode/ingest/t/%020d/%s", t, hex.EncodeToString(id[:])))
}

// loadIngest returns the record of submission id, or nil.
func (n *Node) loadIngest(ctx context.Context, id [32]byte) (*ingestRecord, error) {
	b, err := n.Store.Datastore().Get(ctx, ingestKey(id))
	if errors.Is(err, ds.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ingest record: %w", err)
	}
	var r ingestRecord
	if err := json.Unmarshal(b, &r); err != nil || r.Version != 1 {
		return nil, fmt.Errorf("ingest record: %w", keys.ErrCorrupt)
	}
	if time.Since(time.Unix(r.Time, 0)) > IngestRetryWindow {
		return nil, nil
	}
	return &r, nil
}

// saveIngest writes the record of submission id (and, for a new record, its
// place in the age index).
func (n *Node) saveIngest(ctx context.Context, id [32]byte, r *ingestRecord, isNew bool) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if isNew {
		if err := n.Store.Datastore().Put(ctx, ingestTimeKey(r.Time, id), nil); err != nil {
			return fmt.Errorf("ingest record: %w", err)
		}
	}
	if err := n.Store.Datastore().Put(ctx, ingestKey(id), b); err != nil {
		return fmt.Errorf("ingest record: %w", err)
	}
	return nil
}

// pruneIngest forgets (at most limit) records older than the retry window.
func (n *Node) pruneIngest(ctx context.Context, now time.Time, limit int) error {
	// No Orders: the store iterates keys in order already, and the times
	// are zero-padded, so the oldest come first; an Orders clause would
	// make the query read and sort every record before the first.
	res, err := n.Store.Datastore().Query(ctx, dsq.Query{Prefix: "/vaultnode/ingest/t/", KeysOnly: true, Limit: limit})
	if err != nil {
		return err
	}
	defer res.Close()
	cutoff := now.Add(-IngestRetryWindow).Unix()
	for r := range res.Next() {
		if r.Error != nil {
			return r.Error
		}
		parts := strings.Split(strings.TrimPrefix(r.Key, "/vaultnode/ingest/t/"), "/")
		if len(parts) != 2 {
			continue
		}
		t, err := strconv.ParseInt(parts[0], 10, 64)
		if err != nil {
			continue
		}
		if t >= cutoff {
			break
		}
		raw, err := hex.DecodeString(parts[1])
		if err != nil || len(raw) != 32 {
			continue
		}
		if err := n.Store.Datastore().Delete(ctx, ingestKey([32]byte(raw))); err != nil {
			return err
		}
		if err := n.Store.Datastore().Delete(ctx, ds.NewKey(r.Key)); err != nil {
			return err
		}
	}
	return nil
}

// storedRoot is the root this node indexed for (tag, seq), if any: a batch
// stored by an attempt that did not finish.
func (n *Node) storedRoot(ctx context.Context, t keys.Tag, seq uint64) (cid.Cid, bool, error) {
	b, err := n.Store.Datastore().Get(ctx, ds.NewKey(fmt.Sprintf("%s%020d", batchPrefix(t), seq)))
	if errors.Is(err, ds.ErrNotFound) {
		return cid.Undef, false, nil
	}
	if err != nil {
		return cid.Undef, false, err
	}
	c, err := cid.Cast(b)
	if err != nil {
		return cid.Undef, false, fmt.Errorf("batch index: %w", keys.ErrCorrupt)
	}
	return c, true, nil
}
