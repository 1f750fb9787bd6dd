package daemon

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/net/netutil"

	"github.com/vaultnode/vaultnode/internal/httpapi"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// Options say how the daemon reports.
type Options struct {
	Logger *slog.Logger
	// Out receives the start banner, or with JSON one JSON line per event
	// ("ready" with the addresses, "stopped"), for supervisors and scripts.
	Out  io.Writer
	JSON bool
}

// maxAPIConns bounds the API's open connections.
const maxAPIConns = 256

// upkeepEvery is how often the daemon anchors its access log and retries
// purges other members have not acknowledged.
const upkeepEvery = 30 * time.Second

// Run serves the repo in dir until ctx ends.
func Run(ctx context.Context, dir string, o Options) error {
	lg := o.Logger
	c, err := node.LoadConfig(dir)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(c.API.Addr)
	if err != nil {
		return fmt.Errorf("config api.addr: %w", err)
	}
	if ip := net.ParseIP(host); !c.API.AllowRemote && (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return fmt.Errorf("config api.addr %s is not a loopback address (set api.allowRemote to expose it)", c.API.Addr)
	}
	tokens, err := node.LoadTokens(dir)
	if err != nil {
		return err
	}
	n, err := node.Open(ctx, dir, node.Options{Logger: lg})
	if err != nil {
		return err
	}
	defer n.Close()
	if ids, err := n.Eraser.ResumeAll(ctx); err != nil {
		lg.Error("resume erasures", "err", err)
	} else if len(ids) > 0 {
		lg.Info("finished interrupted erasures", "count", len(ids))
	}
	tlsConf, certFile, err := n.APITLS(dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.API.Addr)
	if err != nil {
		return fmt.Errorf("HTTP API: %w", err)
	}
	api := httpapi.New(n, tokens, lg)
	calls, err := node.OpenAPILog(dir)
	if err != nil {
		return err
	}
	defer calls.Close()
	api.SetCallLog(calls)
	if !c.API.AllowRemote {
		api.AllowHosts(ln.Addr().String())
	}
	// A client that sends its request slowly or idles holds a connection
	// for a bounded time only; answers (a relayed fetch waits up to 60 s for
	// blocks from members) get longer.
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	// At most maxAPIConns connections at a time (slow or idle clients
	// included; the rest wait in the kernel's accept queue).
	ln = netutil.LimitListener(ln, maxAPIConns)
	apiURL := "http://" + ln.Addr().String()
	info := map[string]any{"pid": os.Getpid(), "api": apiURL, "addrs": n.Addrs(), "peerId": n.PeerID().String()}
	if tlsConf != nil {
		// HTTPS: clients pin the certificate in certFile (--api-cert).
		srv.TLSConfig = tlsConf
		apiURL = "https://" + ln.Addr().String()
		if abs, err := filepath.Abs(certFile); err == nil {
			certFile = abs
		}
		info["api"], info["apiCert"] = apiURL, certFile
		if b, err := os.ReadFile(certFile); err == nil {
			info["apiCertSha256"] = node.PEMCertFingerprint(b)
		}
		ln = tls.NewListener(ln, tlsConf)
	}
	if e := n.Chain.Embedded(); e != nil && e.RPCURL() != "" {
		info["chainRpc"] = e.RPCURL()
	}
	ib, _ := json.MarshalIndent(info, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, node.DaemonFile), append(ib, '\n'), 0o600); err != nil {
		ln.Close()
		return err
	}
	defer os.Remove(filepath.Join(dir, node.DaemonFile))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	bg, stopBG := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { upkeep(bg, n, lg) })
	wg.Go(func() { systemdNotify(ctx, lg) })
	lg.Info("daemon running", "api", apiURL, "peer", n.PeerID().String(), "addrs", n.Addrs())
	announce(o, info, apiURL, n)

	var serveErr error
	select {
	case <-ctx.Done():
		lg.Info("shutting down")
	case serveErr = <-errc:
	}
	// Finish in-flight requests (an acknowledged batch is already durable), then stop.
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	stopBG()
	wg.Wait()
	// Give the committer a moment to put acknowledged batches on chain
	// (they are journaled either way and committed at the next start).
	fctx, fcancel := context.WithTimeout(context.Background(), 10*time.Second)
	service.Flush(fctx, n)
	fcancel()
	if o.JSON {
		event(o.Out, map[string]any{"event": "stopped"})
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return n.Close()
}

// upkeep anchors the access log on chain and retries pending purges and
// re-keys until ctx ends.
func upkeep(ctx context.Context, n *node.Node, lg *slog.Logger) {
	t := time.NewTicker(upkeepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// Without the chain, an anchor would only pile up in the chain
			// journal; the next tick after the chain returns anchors the lot.
			if n.Chain.Ready() && n.Chain.CheckLive(ctx) == nil {
				if _, _, err := n.Access.Anchor(ctx, n.Chain); err != nil {
					lg.Warn("anchor access log", "err", err)
				}
				// Erasures left waiting for the chain (their record journaled
				// during an outage) are finished: recorded, verified, certified.
				if ids, err := n.Eraser.ResumeAll(ctx); err != nil {
					lg.Warn("finish erasures waiting for the chain", "err", err)
				} else if len(ids) > 0 {
					lg.Info("finished erasures that waited for the chain", "count", len(ids))
				}
			}
			if _, err := n.Eraser.RetryPending(ctx); err != nil {
				lg.Warn("retry pending purges", "err", err)
			}
			// Grants that missed a stream-key rotation get its kfrags.
			if _, err := n.RetryRekeys(ctx); err != nil {
				lg.Warn("retry grants missing a stream key epoch", "err", err)
			}
		}
	}
}

// announce tells o.Out that the daemon serves.
func announce(o Options, info map[string]any, apiURL string, n *node.Node) {
	if o.Out == nil {
		return
	}
	if o.JSON {
		ready := map[string]any{"event": "ready"}
		for k, v := range info {
			ready[k] = v
		}
		event(o.Out, ready)
		return
	}
	fmt.Fprintf(o.Out, "vaultnode daemon: API %s, peer %s\n", apiURL, n.PeerID())
	for _, a := range n.Addrs() {
		fmt.Fprintf(o.Out, "  p2p %s\n", a)
	}
}

func event(w io.Writer, v map[string]any) {
	if w == nil {
		return
	}
	b, _ := json.Marshal(v)
	fmt.Fprintf(w, "%s\n", b)
}
