package p2p

import (
	"context"
	"sync"
	"time"
)

// headReader shares chain-head reads between concurrent callers without
// making any of them staler: a caller joins a read only if that read starts
// after the caller arrived (the read in flight when it arrives is not
// joined; the next one is). Each answer is as fresh as a read of the caller's
// own, while a busy proxy asks the chain once per round trip, not once per
// request (the per-request reads serialized on the chain client).
type headReader struct {
	read    func(context.Context) (uint64, error)
	timeout time.Duration

	mu      sync.Mutex
	running *headRead // started, not finished
	next    *headRead // starts when running finishes
}

type headRead struct {
	done chan struct{}
	head uint64
	err  error
}

func newHeadReader(read func(context.Context) (uint64, error)) *headReader {
	return &headReader{read: read, timeout: 10 * time.Second}
}

// Head returns the chain head read by a call that started after Head was
// called.
func (r *headReader) Head(ctx context.Context) (uint64, error) {
	r.mu.Lock()
	var c *headRead
	switch {
	case r.running == nil:
		c = &headRead{done: make(chan struct{})}
		r.running = c
		go r.run(c)
	case r.next != nil:
		c = r.next
	default:
		c = &headRead{done: make(chan struct{})}
		r.next = c
	}
	r.mu.Unlock()
	select {
	case <-c.done:
		return c.head, c.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run performs c, then the read queued behind it, if any. The goroutine is
// owned by the reader and ends when no caller waits for a read.
func (r *headReader) run(c *headRead) {
	for c != nil {
		ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
		c.head, c.err = r.read(ctx)
		cancel()
		close(c.done)
		r.mu.Lock()
		c = r.next
		r.running, r.next = c, nil
		r.mu.Unlock()
	}
}
