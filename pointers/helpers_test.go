package pointers

import (
	"context"
	"crypto/ecdsa"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

func testTag(label string) [32]byte { return TagOf("test/" + label) }

// testCommitment is the commitment of batch seq of the test stream whose chain secret is stream.
func testCommitment(stream [32]byte, seq uint64, cid []byte, root [32]byte, count uint32) Commitment {
	return StreamSecret(stream).Commitment(seq, cid, root, count)
}

// openEmbedded opens a Client on a fresh embedded chain in a temp dir.
func openEmbedded(t testing.TB) (*Client, *ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cl, err := Open(context.Background(), Config{ChainDir: dir, Key: key, CommitInterval: 100 * time.Millisecond, PeerID: []byte("peer-0"), ProxyKey: []byte("proxy-0")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl, key, dir
}
