package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Physical deletion of chunks in badger's value log (docs/STORE.md
// "Deletion"). DropPrefix removes the keys from the LSM tree and, through
// the compactions it runs, records how many bytes of each value-log file are
// now dead. Value-log GC then rewrites every file with dead bytes (copying
// the live entries to the head file) and deletes it. The head file is never
// collected, so first it is retired: filler values are written until badger
// opens a new head.

const prefixFiller = 'f'

// maxVlogFid returns the highest value-log file number in the directory.
func (s *Store) maxVlogFid() (int, error) {
	es, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, fmt.Errorf("store: list %s: %w", s.dir, err)
	}
	max := 0
	for _, e := range es {
		if n, ok := strings.CutSuffix(e.Name(), ".vlog"); ok {
			if id, err := strconv.Atoi(n); err == nil && id > max {
				max = id
			}
		}
	}
	return max, nil
}

// rotateVlogLocked makes badger start a new value-log head file.
func (s *Store) rotateVlogLocked() error {
	before, err := s.maxVlogFid()
	if err != nil {
		return err
	}
	const fillerSize = 1 << 20
	const perTxn = 4
	filler := make([]byte, fillerSize)
	var keys [][]byte
	defer func() {
		// The fillers are zeros: a logical delete is enough.
		_ = s.db.Update(func(txn *badger.Txn) error {
			for _, k := range keys {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	for i := 0; i < int(s.db.Opts().ValueLogFileSize)/(fillerSize*perTxn)+2; i++ {
		err := s.db.Update(func(txn *badger.Txn) error {
			for j := range perTxn {
				k := binary.BigEndian.AppendUint64([]byte{prefixFiller}, uint64(i*perTxn+j))
				keys = append(keys, k)
				if err := txn.Set(k, filler); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: rotate value log: %w", err)
		}
		after, err := s.maxVlogFid()
		if err != nil {
			return err
		}
		if after > before {
			return nil
		}
	}
	return errors.New("store: value log did not rotate")
}

// vlogPurgeLocked rewrites every value-log file holding dead values.
func (s *Store) vlogPurgeLocked() error {
	if err := s.rotateVlogLocked(); err != nil {
		return err
	}
	for range 10000 {
		err := s.db.RunValueLogGC(1e-9)
		switch {
		case err == nil:
			continue
		case errors.Is(err, badger.ErrNoRewrite):
			return nil
		case errors.Is(err, badger.ErrRejected):
			time.Sleep(5 * time.Millisecond)
		default:
			return fmt.Errorf("store: value-log GC: %w", err)
		}
	}
	return errors.New("store: value-log GC did not converge")
}
