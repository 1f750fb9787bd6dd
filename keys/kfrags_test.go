package keys

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestKFragsStoredSealedAndDeletedPhysically(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "kfrags")
	tagA, tagB := [32]byte{0xA}, [32]byte{0xB}
	g1, g2, g3 := [32]byte{1}, [32]byte{2}, [32]byte{3}
	kf := func(g [32]byte) []byte { return bytes.Repeat([]byte{0xC0, g[0], 0x5E, 0xC2}, 77) }
	for _, x := range []struct{ g, tag [32]byte }{{g1, tagA}, {g2, tagA}, {g3, tagB}} {
		if err := ks.PutKFrag(ctx, x.g, x.tag, kf(x.g)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ks.KFrag(ctx, g2)
	if err != nil || !bytes.Equal(got, kf(g2)) {
		t.Fatalf("load: %v", err)
	}
	if _, err := ks.KFrag(ctx, [32]byte{9}); !errors.Is(err, ErrNoKFrag) {
		t.Fatalf("unknown grant: %v", err)
	}
	ks = reopen(t, ks, dir, "kfrags")
	var inClear []needle
	for _, g := range [][32]byte{g1, g2, g3} {
		inClear = append(inClear, secretNeedles("kfrag", kf(g))...)
	}
	if hits := scanDir(t, dir, inClear); len(hits) != 0 {
		t.Fatalf("kfrag bytes in clear on disk: %v", hits)
	}
	sealedA := sealedNeedles("sealed kfrag", rawValues(t, ks, keyKFragStreamPrefix(tagA)))
	if hits := scanDir(t, dir, sealedA); len(hits) == 0 {
		t.Fatal("scan cannot find the sealed kfrags it is meant to prove gone")
	}

	// Revoking one grant removes exactly its kfrag.
	if ok, err := ks.DeleteKFrag(ctx, g3); err != nil || !ok {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if ok, _ := ks.DeleteKFrag(ctx, g3); ok {
		t.Fatal("second delete reported a kfrag")
	}
	// Erasing stream A removes both of its kfrags, physically.
	n, err := ks.DeleteStreamKFrags(ctx, tagA)
	if err != nil || n != 2 {
		t.Fatalf("delete stream: %d %v", n, err)
	}
	for _, g := range [][32]byte{g1, g2, g3} {
		if _, err := ks.KFrag(ctx, g); !errors.Is(err, ErrNoKFrag) {
			t.Fatalf("grant %x still has a kfrag: %v", g[0], err)
		}
	}
	ks.Close()
	if hits := scanDir(t, dir, sealedA); len(hits) != 0 {
		t.Fatalf("deleted kfrags still on disk: %v", hits)
	}
}

func TestProxySeedStable(t *testing.T) {
	ctx := context.Background()
	ks, dir := newTestKeystore(t, "seed")
	a, err := ks.ProxySeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ks = reopen(t, ks, dir, "seed")
	b, err := ks.ProxySeed(ctx)
	if err != nil || !bytes.Equal(a, b) || len(a) != 32 {
		t.Fatalf("proxy seed changed across reopen: %v", err)
	}
	ks.Close()
	if hits := scanDir(t, dir, secretNeedles("proxy seed", a)); len(hits) != 0 {
		t.Fatalf("proxy seed in clear on disk: %v", hits)
	}
}
