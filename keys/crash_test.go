package keys

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const crashChildEnv = "VAULTNODE_KEYS_CRASH_CHILD"

// TestCrashChild is the child process of TestSIGKILLDuringDestroy: it
// creates and destroys patients in a loop, printing each acknowledged step,
// until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("child process of TestSIGKILLDuringDestroy")
	}
	ctx := context.Background()
	ks, err := Open(ctx, dir, testPass(), testOptions(fmt.Sprint("child", os.Getpid())))
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		p, err := ks.CreatePatient(ctx, fmt.Sprintf("MRN-CRASH-%d-%d", os.Getpid(), i))
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		if _, err := ks.CreateStream(ctx, p.Pseudonym, "glucose"); err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		root := rawValues(t, ks, keyRoot(p.Pseudonym))[string(keyRoot(p.Pseudonym))]
		fmt.Printf("C %s %x\n", p.Pseudonym, root[1:25]) // acknowledged: pseudonym, nonce of the sealed root
		if i%2 == 0 {
			fmt.Printf("X %s\n", p.Pseudonym) // destroy starting
			if _, err := ks.Destroy(ctx, p.Pseudonym); err != nil {
				fmt.Println("ERR", err)
				os.Exit(1)
			}
			fmt.Printf("D %s\n", p.Pseudonym) // destroy acknowledged
		}
	}
}

// TestSIGKILLDuringDestroy kills a process that is creating and destroying
// patients, at several moments, and checks after each kill: every
// acknowledged creation survived, every acknowledged destruction holds, a
// destruction cut short is either not started or complete after Open, and
// no destroyed patient's sealed root record is left in any file.
func TestSIGKILLDuringDestroy(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("in child")
	}
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "crash")
	ks.Close()
	created := map[Pseudonym][]byte{}
	destroyed := map[Pseudonym]bool{}
	inflight := map[Pseudonym]bool{}
	for round, after := range []int{7, 12, 20} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		lines := 0
		deadline := time.Now().Add(60 * time.Second)
		last := ""
		// Kill right after a "destroy starting" line: most likely in the
		// middle of Destroy.
		for (lines < after || last != "X") && sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 2 {
				continue
			}
			if f[0] == "ERR" {
				cmd.Process.Kill()
				t.Fatalf("child: %s", sc.Text())
			}
			p, err := ParsePseudonym(f[1])
			if err != nil {
				continue
			}
			switch f[0] {
			case "C":
				created[p], _ = hex.DecodeString(f[2])
			case "X":
				inflight[p] = true
			case "D":
				delete(inflight, p)
				destroyed[p] = true
			}
			lines++
			last = f[0]
			if time.Now().After(deadline) {
				break
			}
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if lines < after {
			t.Fatalf("round %d: child printed only %d lines", round, lines)
		}

		ks, err := Open(ctx, dir, testPass(), testOptions(fmt.Sprint("parent", round)))
		if err != nil {
			t.Fatalf("round %d: Open after SIGKILL: %v", round, err)
		}
		var gone []needle
		for p, nonce := range created {
			_, err := ks.Patient(ctx, p)
			switch {
			case destroyed[p]:
				if !errors.Is(err, ErrDestroyed) {
					t.Fatalf("round %d: acknowledged destruction lost: %v", round, err)
				}
				gone = append(gone, needle{"sealed root of destroyed " + p.String()[:8], nonce})
			case inflight[p]:
				t.Logf("round %d: killed during a destruction; after Open: %v", round, err)
				if errors.Is(err, ErrDestroyed) {
					destroyed[p] = true
					gone = append(gone, needle{"sealed root of destroyed " + p.String()[:8], nonce})
				} else if err != nil {
					t.Fatalf("round %d: patient whose destruction was cut short: %v", round, err)
				}
			default:
				if err != nil {
					t.Fatalf("round %d: acknowledged patient lost: %v", round, err)
				}
			}
		}
		ks.Close()
		if hits := scanDir(t, dir, gone); len(hits) > 0 {
			t.Fatalf("round %d: destroyed records on disk after crash and Open: %v", round, hits)
		}
		clear(inflight)
		if ents, _ := os.ReadDir(filepath.Join(dir, dbDir)); len(ents) == 0 {
			t.Fatal("empty database directory")
		}
	}
	if len(destroyed) == 0 {
		t.Fatal("no destruction acknowledged")
	}
}
