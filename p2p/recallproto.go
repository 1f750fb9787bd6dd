package p2p

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

// RecallImpactProtocol is the libp2p protocol over which a member asks another member what it holds from one
// firmware of one device model: the answering member's own recall-impact report (counts, time ranges and
// UDIs of its devices; never a patient). Only members connect (the gater); the report is the answerer's to
// shape, and this package carries it as opaque JSON.
const RecallImpactProtocol = "/vaultnode/recall-impact/1.0.0"

// RecallImpactAnswer makes this member's report for a model (GTIN-14) and firmware version, as JSON.
type RecallImpactAnswer func(ctx context.Context, model, version string) (json.RawMessage, error)

type recallImpactRequest struct {
	Model   string `json:"model"`
	Version string `json:"version"`
}

type recallImpactResponse struct {
	Report json.RawMessage `json:"report,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// recallImpactTimeout bounds one answer (a scan of the model's firmware index and one registry read);
// recallImpactBusy bounds the answers in progress.
const (
	recallImpactTimeout = 10 * time.Second
	recallImpactBusy    = 2
)

// ServeRecallImpact answers RecallImpactProtocol requests with answer. Its failures go back as a message
// (the asking operator sees which member could not answer and why), never as a dropped stream.
func ServeRecallImpact(h host.Host, answer RecallImpactAnswer) {
	// Each answer scans the model's firmware index: at most recallImpactBusy at a time, whoever asks.
	busy := make(chan struct{}, recallImpactBusy)
	serveFrames(h, RecallImpactProtocol, func(raw []byte) ([]byte, error) {
		req, err := parseRecallImpactRequest(raw)
		if err != nil {
			return json.Marshal(recallImpactResponse{Error: err.Error()})
		}
		select {
		case busy <- struct{}{}:
			defer func() { <-busy }()
		default:
			return json.Marshal(recallImpactResponse{Error: "busy: too many recall-impact requests in progress, ask again"})
		}
		ctx, cancel := context.WithTimeout(context.Background(), recallImpactTimeout)
		defer cancel()
		rep, err := answer(ctx, req.Model, req.Version)
		if err != nil {
			return json.Marshal(recallImpactResponse{Error: err.Error()})
		}
		return json.Marshal(recallImpactResponse{Report: rep})
	})
}

// ErrRecallImpactRefused: the member answered with an error instead of a report.
var ErrRecallImpactRefused = errors.New("member could not report")

// RequestRecallImpact asks member pid for its report on a model and firmware version (the JSON it made).
func RequestRecallImpact(ctx context.Context, h host.Host, pid peer.ID, model, version string) (json.RawMessage, error) {
	raw, err := json.Marshal(recallImpactRequest{Model: model, Version: version})
	if err != nil {
		return nil, err
	}
	b, err := roundTrip(ctx, h, pid, RecallImpactProtocol, raw)
	if err != nil {
		return nil, fmt.Errorf("p2p: recall impact from %s: %w", pid, err)
	}
	rep, err := parseRecallImpactResponse(b)
	if err != nil {
		return nil, fmt.Errorf("p2p: recall impact from %s: %w", pid, err)
	}
	return rep, nil
}

// maxRecallField bounds the model and version a request names (a GTIN-14; a version is at most 64 bytes).
const maxRecallField = 64

// parseRecallImpactRequest reads a request: a model and a version, both present and short.
func parseRecallImpactRequest(raw []byte) (recallImpactRequest, error) {
	var req recallImpactRequest
	if err := json.Unmarshal(raw, &req); err != nil || req.Model == "" || req.Version == "" ||
		len(req.Model) > maxRecallField || len(req.Version) > maxRecallField {
		return recallImpactRequest{}, errors.New("malformed recall-impact request")
	}
	return req, nil
}

// parseRecallImpactResponse reads an answer: a report (JSON, opaque here) or the member's refusal.
func parseRecallImpactResponse(b []byte) (json.RawMessage, error) {
	var resp recallImpactResponse
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("malformed answer: %w", err)
	}
	if resp.Error != "" {
		return nil, fmt.Errorf("%w: %.256s", ErrRecallImpactRefused, resp.Error)
	}
	if len(resp.Report) == 0 || !json.Valid(resp.Report) {
		return nil, errors.New("malformed answer: no report")
	}
	return resp.Report, nil
}
