package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cid "github.com/ipfs/go-cid"
)

const crashEnv = "VAULTNODE_STORE_CRASH_CHILD"

func crashDEK(seq uint64) *[32]byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	k := sha256.Sum256(append([]byte("crash-test-dek"), b[:]...))
	return &k
}

// TestCrashChild is the child process of TestAcknowledgedBatchesSurviveSIGKILL:
// it writes batches from two goroutines forever and prints each root once
// PutBatch has returned (the acknowledgement).
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("child process of the crash test")
	}
	ctx := context.Background()
	s, err := Open(ctx, dir, nil)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := uint64(0); ; i++ {
				seq := i*2 + uint64(w)
				p := SealParams{DEK: crashDEK(seq), Capsule: []byte("capsule"), Seq: seq, Stream: "glucose", Patient: testPatient}
				sb, err := s.SealAndPut(ctx, p, testReadings(1000, ""))
				if err != nil {
					fmt.Println("ERR", err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Printf("ACK %s %d\n", sb.Root, seq)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// A batch acknowledged by PutBatch survives the process being killed with
// SIGKILL immediately afterwards.
func TestAcknowledgedBatchesSurviveSIGKILL(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip()
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type ack struct {
		root cid.Cid
		seq  uint64
	}
	var acks []ack
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(60 * time.Second)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "ERR" {
			t.Fatalf("child: %s", sc.Text())
		}
		if f[0] != "ACK" || len(f) != 3 {
			continue
		}
		c, err := cid.Decode(f[1])
		if err != nil {
			t.Fatalf("bad ack %q", sc.Text())
		}
		seq, _ := strconv.ParseUint(f[2], 10, 64)
		acks = append(acks, ack{c, seq})
		if len(acks) == 40 || time.Now().After(deadline) {
			// Kill mid-stream: the writers are in the middle of more batches.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	// Lines the child printed before dying were acknowledged too.
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "ACK" {
			if c, err := cid.Decode(f[1]); err == nil {
				seq, _ := strconv.ParseUint(f[2], 10, 64)
				acks = append(acks, ack{c, seq})
			}
		}
	}
	_ = cmd.Wait()
	if len(acks) < 10 {
		t.Fatalf("only %d acknowledgements before the kill", len(acks))
	}
	s := openTest(t, dir)
	defer s.Close()
	ctx := context.Background()
	for _, a := range acks {
		o, err := s.Open(ctx, a.root, crashDEK(a.seq))
		if err != nil {
			t.Fatalf("acknowledged batch seq %d (%s) lost after SIGKILL: %v", a.seq, a.root, err)
		}
		if len(o.Readings) != 1000 || o.Header.Seq != a.seq {
			t.Fatalf("batch %s: %d readings, seq %d", a.root, len(o.Readings), o.Header.Seq)
		}
	}
	t.Logf("%d acknowledged batches all open after SIGKILL", len(acks))
}
