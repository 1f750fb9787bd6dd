package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentUse drives the keystore from many goroutines at once, as
// the daemon does (run with -race): creates, reads, lists, exports and
// destroys interleave, and every result stays consistent.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	ks, _ := newTestKeystore(t, "conc")
	const workers, perWorker = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*8)
	destroyed := make(chan Pseudonym, workers*perWorker)
	kept := make(chan Pseudonym, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				p, err := ks.CreatePatient(ctx, fmt.Sprintf("MRN-%d-%d", w, i))
				if err != nil {
					errs <- err
					return
				}
				s, err := ks.EnsureStream(ctx, p.Pseudonym, "glucose")
				if err != nil {
					errs <- err
					return
				}
				for j := 0; j < 5; j++ {
					got, err := ks.Stream(ctx, p.Pseudonym, "glucose")
					if err != nil || !got.PublicKey.Equal(s.PublicKey) {
						errs <- fmt.Errorf("stream read: %v", err)
					}
				}
				sk, err := ks.StreamSecretKey(ctx, p.Pseudonym, "glucose")
				if err != nil || !sk.PublicKey().Equal(s.PublicKey) {
					errs <- fmt.Errorf("secret key: %v", err)
				} else {
					sk.Wipe()
				}
				if _, err := ks.Patients(ctx); err != nil {
					errs <- err
				}
				if i%2 == 0 {
					if _, err := ks.Destroy(ctx, p.Pseudonym); err != nil {
						errs <- err
					}
					destroyed <- p.Pseudonym
				} else {
					kept <- p.Pseudonym
				}
				if i == 1 {
					var buf bytes.Buffer
					if _, err := ks.Export(ctx, &buf, Passphrase([]byte("x"))); err != nil {
						errs <- err
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	close(destroyed)
	close(kept)
	for err := range errs {
		t.Error(err)
	}
	for p := range destroyed {
		if _, err := ks.Stream(ctx, p, "glucose"); !errors.Is(err, ErrDestroyed) {
			t.Errorf("destroyed patient's stream = %v", err)
		}
	}
	n := 0
	for p := range kept {
		n++
		if _, err := ks.Stream(ctx, p, "glucose"); err != nil {
			t.Errorf("kept patient's stream = %v", err)
		}
	}
	ps, err := ks.Patients(ctx)
	if err != nil || len(ps) != n {
		t.Fatalf("Patients = %d, %v; want %d", len(ps), err, n)
	}
}
