// Package benchutil holds what the benchmarks of several packages share.
package benchutil

import (
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time (user+system, all threads, so GC is
// included) used by this process so far. Benchmarks report the difference per
// operation as "cpu-ns/op": on a machine shared with other work, CPU time per
// operation is what "per core" targets mean and is far less disturbed by the
// other load than wall time.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
