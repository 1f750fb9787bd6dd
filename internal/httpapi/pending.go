package httpapi

import (
	"encoding/hex"
	"net/http"
)

// streamPending serves GET /v1/streams/{tag}/pending: how many batches of
// the stream this node acknowledged that the chain does not list yet
// (known: this node is the stream's custodian and can tell). A fetch
// through the API waits for them, or reports them (node.FetchFrom).
func (s *Server) streamPending(w http.ResponseWriter, r *http.Request) {
	b, err := hex.DecodeString(r.PathValue("tag"))
	if err != nil || len(b) != 32 {
		s.badInput(w, "the stream tag must be 64 hex digits")
		return
	}
	n, known, err := s.n.PendingOfStream(r.Context(), [32]byte(b))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pending": n, "known": known})
}
