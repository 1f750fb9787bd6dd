package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
	"github.com/vaultnode/vaultnode/p2p"
)

// reencrypt: with a JSON body (service.RelayRequest), the daemon relays the
// signed request to the grant's proxies over libp2p and returns their
// cfrags and refusals; with a binary body (the request itself,
// application/octet-stream), this node's own proxy answers it. The
// grantee's signature authenticates the request either way.
func (s *Server) reencrypt(w http.ResponseWriter, r *http.Request) {
	raw, err := readAll(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		s.relay(w, r, raw)
		return
	}
	resp := s.n.Proxy.HandleBytes(r.Context(), raw)
	if resp.Outcome == p2p.Granted {
		writeJSON(w, http.StatusOK, map[string]any{"outcome": resp.Outcome.String(), "message": resp.Message,
			"cfrag": base64.StdEncoding.EncodeToString(resp.CFrag.Bytes())})
		return
	}
	c := fault.OfRefusal(resp.Outcome.String())
	writeJSON(w, c.Status, apiError{Error: resp.Outcome.String() + ": " + resp.Message, Code: c.Code})
}

func (s *Server) relay(w http.ResponseWriter, r *http.Request, raw []byte) {
	var b service.RelayRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		s.badInput(w, "JSON body: %v", err)
		return
	}
	req, err := p2p.ParseReencryptRequest(b.Request)
	if err != nil {
		s.badInput(w, "request: %v", err)
		return
	}
	if !req.VerifySignature() {
		s.fail(w, fmt.Errorf("%w: the request's signature does not verify with its grantee key", node.ErrBadSignature))
		return
	}
	if b.Want < 0 || b.Want > 255 {
		s.badInput(w, "want must be 0..255")
		return
	}
	ans, g, err := s.n.Relay(r.Context(), req, b.Want, b.Exclude)
	if err != nil {
		s.fail(w, err)
		return
	}
	if ans == nil {
		ans = []node.RelayAnswer{}
	}
	want := b.Want
	if want == 0 {
		want = int(g.M)
	}
	rep := service.RelayReply{Grant: hex.EncodeToString(g.ID[:]), Threshold: int(g.M), Want: want, Answers: ans, Outcome: "granted"}
	granted := 0
	outcomes := map[string]bool{}
	var reasons []string
	for _, a := range ans {
		if a.Outcome == p2p.Granted.String() {
			granted++
			continue
		}
		outcomes[a.Outcome] = true
		reason := a.Outcome
		if a.Message != "" {
			reason += " (" + a.Message + ")"
		}
		reasons = append(reasons, reason)
	}
	if granted >= want {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	rep.Outcome = "refused"
	c := fault.AccessRefused
	if len(outcomes) == 1 && granted == 0 {
		c = fault.OfRefusal(ans[0].Outcome)
	}
	rep.Error = fmt.Sprintf("%d of %d cfrags: %s", granted, want, strings.Join(reasons, ", "))
	rep.Code = c.Code
	writeJSON(w, c.Status, rep)
}
