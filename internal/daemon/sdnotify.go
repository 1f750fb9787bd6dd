// The sd_notify protocol of systemd (Type=notify services): readiness,
// watchdog pings and the stopping notice.

package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"
)

// sdNotify sends state to the service manager over $NOTIFY_SOCKET (the
// sd_notify protocol: one datagram on a unix socket; "@" starts an abstract
// socket name). Without $NOTIFY_SOCKET it does nothing and returns false.
func sdNotify(state string) (bool, error) { return sdNotifyWith(os.Getenv("NOTIFY_SOCKET"), state) }

func sdNotifyWith(addr, state string) (bool, error) {
	if addr == "" {
		return false, nil
	}
	if addr[0] != '/' && addr[0] != '@' {
		return false, fmt.Errorf("NOTIFY_SOCKET %q: not a unix socket path", addr)
	}
	ua := &net.UnixAddr{Name: addr, Net: "unixgram"}
	if addr[0] == '@' {
		ua.Name = "\x00" + addr[1:]
	}
	c, err := net.DialUnix("unixgram", nil, ua)
	if err != nil {
		return false, fmt.Errorf("sd_notify: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return false, fmt.Errorf("sd_notify: %w", err)
	}
	return true, nil
}

// watchdogInterval is half of $WATCHDOG_USEC when the watchdog is meant for
// this process ($WATCHDOG_PID unset or ours), else 0.
func watchdogInterval() time.Duration {
	us, err := strconv.ParseUint(os.Getenv("WATCHDOG_USEC"), 10, 63)
	if err != nil || us == 0 {
		return 0
	}
	if p := os.Getenv("WATCHDOG_PID"); p != "" && p != strconv.Itoa(os.Getpid()) {
		return 0
	}
	return time.Duration(us) * time.Microsecond / 2
}

// systemdNotify tells systemd (Type=notify) that the daemon is ready, pings
// the watchdog while ctx lives, and sends STOPPING=1 when ctx ends (the
// daemon's shutdown signal). The daemon starts it once the API listens;
// it returns when ctx ends.
func systemdNotify(ctx context.Context, lg *slog.Logger) {
	ok, err := sdNotify("READY=1\nSTATUS=serving\nMAINPID=" + strconv.Itoa(os.Getpid()))
	if err != nil {
		lg.Warn("systemd notify", "err", err)
	}
	if !ok {
		return
	}
	var tick <-chan time.Time
	if iv := watchdogInterval(); iv > 0 {
		t := time.NewTicker(iv)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			if _, err := sdNotify("STOPPING=1\nSTATUS=shutting down"); err != nil {
				lg.Warn("systemd notify", "err", err)
			}
			return
		case <-tick:
			if _, err := sdNotify("WATCHDOG=1"); err != nil && !errors.Is(err, context.Canceled) {
				lg.Warn("systemd watchdog", "err", err)
			}
		}
	}
}
