package node

import (
	"context"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/vaultnode/vaultnode/pointers"
)

// An init that fails leaves nothing behind: no half-made repo that a second
// init would refuse ("already holds a repo"), no key file protecting nothing,
// and whatever the directory held before is untouched.
func TestInitFailureLeavesNothing(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadRPC := "http://" + l.Addr().String()
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("new directory", func(t *testing.T) {
		tmp := t.TempDir()
		dir, kf := filepath.Join(tmp, "repo"), filepath.Join(tmp, "node.key")
		c := DefaultConfig()
		c.Chain.RPC = deadRPC
		_, err := Init(ctx, dir, InitOptions{Config: c, KeyFile: kf, Argon2: testArgon})
		if err == nil {
			t.Fatal("init against a chain nobody serves succeeded")
		}
		for _, p := range []string{dir, kf} {
			if _, serr := os.Stat(p); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("%s left behind after a failed init (%v)", p, err)
			}
		}
	})
	t.Run("existing directory and key file", func(t *testing.T) {
		tmp := t.TempDir()
		dir, kf := filepath.Join(tmp, "repo"), filepath.Join(tmp, "node.key")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		key := make([]byte, 32)
		if err := os.WriteFile(kf, key, 0o600); err != nil {
			t.Fatal(err)
		}
		c := DefaultConfig()
		c.Chain.RPC = deadRPC
		if _, err := Init(ctx, dir, InitOptions{Config: c, KeyFile: kf, Argon2: testArgon}); err == nil {
			t.Fatal("init against a chain nobody serves succeeded")
		}
		ents, _ := os.ReadDir(dir)
		if len(ents) != 1 || ents[0].Name() != "notes.txt" {
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Errorf("after a failed init the directory holds %v, want only the user's notes.txt", names)
		}
		if _, err := os.Stat(kf); err != nil {
			t.Errorf("the operator's own key file was removed: %v", err)
		}
	})
}

// The first member on an external chain deploys the contracts with an
// account derived from the identity init creates, so it cannot be funded
// beforehand: init names the account, keeps the repo, and a second init on
// the same repo, once the account is funded, finishes.
func TestInitUnfundedAccountResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	adminKey, err := pointers.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	chain, err := pointers.Open(ctx, pointers.Config{ChainDir: t.TempDir(), Key: adminKey, PeerID: []byte("peer-admin"),
		ProxyKey: make([]byte, 32), ServeRPC: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()

	tmp := t.TempDir()
	dir, kf := filepath.Join(tmp, "repo"), filepath.Join(tmp, "node.key")
	c := DefaultConfig()
	c.Chain.RPC = chain.Embedded().RPCURL()
	_, err = Init(ctx, dir, InitOptions{Config: c, KeyFile: kf, Argon2: testArgon})
	if !errors.Is(err, pointers.ErrUnfunded) {
		t.Fatalf("init with an unfunded account: %v, want ErrUnfunded", err)
	}
	acct := regexp.MustCompile(`0x[0-9a-fA-F]{40}`).FindString(err.Error())
	if acct == "" || !strings.Contains(err.Error(), "again to finish") {
		t.Fatalf("the error does not name the account to fund and what to do next: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, initPendingFile)); err != nil {
		t.Fatalf("the repo was not kept for a second init: %v", err)
	}
	// Still unfunded: the same answer, the repo still kept.
	if _, err := Init(ctx, dir, InitOptions{Argon2: testArgon}); !errors.Is(err, pointers.ErrUnfunded) {
		t.Fatalf("second init, still unfunded: %v", err)
	}
	if _, err := chain.Fund(ctx, common.HexToAddress(acct), new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	res, err := Init(ctx, dir, InitOptions{Argon2: testArgon})
	if err != nil {
		t.Fatalf("init after funding: %v", err)
	}
	if !strings.EqualFold(res.Account, acct) || res.Contract.Consortium == (common.Address{}) {
		t.Fatalf("init result %+v: want account %s and deployed contracts", res, acct)
	}
	if _, err := os.Stat(filepath.Join(dir, initPendingFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there after init finished", initPendingFile)
	}
	// A finished repo is not initialised twice.
	if _, err := Init(ctx, dir, InitOptions{Argon2: testArgon}); err == nil || !strings.Contains(err.Error(), "already holds a repo") {
		t.Errorf("third init: %v, want 'already holds a repo'", err)
	}
	n, err := Open(ctx, dir, Options{Offline: true})
	if err != nil {
		t.Fatalf("open the finished repo: %v", err)
	}
	ok, err := n.Chain.IsMember(ctx, n.Chain.Account())
	n.Close()
	if err != nil || !ok {
		t.Fatalf("the deploying node is not a consortium member: %v %v", ok, err)
	}
}
