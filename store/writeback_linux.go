package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing the range back to disk
// without waiting (durability still comes from the final fsync).
func startWriteback(f *os.File, off, n uint64) {
	_ = unix.SyncFileRange(int(f.Fd()), int64(off), int64(n), unix.SYNC_FILE_RANGE_WRITE)
}
