package daemon

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSdNotify(t *testing.T) {
	if ok, err := sdNotifyWith("", "READY=1"); ok || err != nil {
		t.Fatalf("without NOTIFY_SOCKET: %v %v", ok, err)
	}
	if _, err := sdNotifyWith("relative/path", "READY=1"); err == nil {
		t.Fatal("accepted a relative NOTIFY_SOCKET")
	}
	for _, abstract := range []bool{false, true} {
		name := filepath.Join(t.TempDir(), "n.sock")
		addr := name
		la := &net.UnixAddr{Name: name, Net: "unixgram"}
		if abstract {
			addr = "@vaultnode-test-" + filepath.Base(filepath.Dir(name))
			la.Name = "\x00" + addr[1:]
		}
		ln, err := net.ListenUnixgram("unixgram", la)
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("NOTIFY_SOCKET", addr)
		t.Setenv("WATCHDOG_USEC", "100000")
		t.Setenv("WATCHDOG_PID", "")
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); systemdNotify(ctx, slog.New(slog.DiscardHandler)) }()
		read := func() string {
			_ = ln.SetReadDeadline(time.Now().Add(5 * time.Second))
			b := make([]byte, 256)
			n, err := ln.Read(b)
			if err != nil {
				t.Fatal(err)
			}
			return string(b[:n])
		}
		if s := read(); !strings.HasPrefix(s, "READY=1") {
			t.Fatalf("first message %q", s)
		}
		if s := read(); s != "WATCHDOG=1" {
			t.Fatalf("watchdog message %q", s)
		}
		cancel()
		<-done
		var last string
		for {
			s := read()
			if s != "WATCHDOG=1" {
				last = s
				break
			}
		}
		if !strings.HasPrefix(last, "STOPPING=1") {
			t.Fatalf("last message %q", last)
		}
		ln.Close()
	}
}
