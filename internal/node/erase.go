package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"

	"github.com/vaultnode/vaultnode/erasure"
	"github.com/vaultnode/vaultnode/keys"
	"github.com/vaultnode/vaultnode/pointers"
)

// PatientStreams returns the patient's pseudonym, stream tags and the roots
// of every committed or locally indexed batch of those streams: what an
// erasure must purge. It must be called before the keys are destroyed.
func (n *Node) PatientStreams(ctx context.Context, patient string) (keys.Patient, []keys.Tag, []cid.Cid, error) {
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		return pt, nil, nil, fmt.Errorf("%w: unknown patient", ErrNotFound)
	}
	var tags []keys.Tag
	seen := map[cid.Cid]bool{}
	var roots []cid.Cid
	for _, s := range pt.Streams {
		t := n.Keys.StreamTag(pt.Pseudonym, s)
		tags = append(tags, t)
		local, err := n.LocalBatches(ctx, t)
		if err != nil {
			return pt, nil, nil, err
		}
		st, err := n.Keys.Stream(ctx, pt.Pseudonym, s)
		if err != nil {
			return pt, nil, nil, err
		}
		cs, err := n.Chain.StreamCommitments(ctx, pointers.StreamSecret(st.ChainSecret), n.Chain.Account())
		if err != nil {
			return pt, nil, nil, err
		}
		for _, c := range cs {
			if r, err := cid.Cast(c.RootCID); err == nil {
				local = append(local, r)
			}
		}
		for _, r := range local {
			if !seen[r] {
				seen[r] = true
				roots = append(roots, r)
			}
		}
	}
	return pt, tags, roots, nil
}

// Erase erases a patient everywhere through the erasure workflow and returns
// the signed certificate (also kept under DIR/erasures).
func (n *Node) Erase(ctx context.Context, patient, requestRef, reason string) (*erasure.Result, error) {
	if n.Eraser == nil {
		return nil, fmt.Errorf("erasure needs the p2p network (run it through the daemon)")
	}
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		// The same request again once the keys are gone (an erasure that
		// waited for the chain, or a DPO asking for the certificate again):
		// the request reference still names it.
		if res, rerr := n.Eraser.ResumeRequest(ctx, requestRef); !errors.Is(rerr, erasure.ErrNoJournal) {
			return res, rerr
		}
		if errors.Is(err, keys.ErrDestroyed) {
			return nil, fmt.Errorf("%w: patient already erased", ErrNotFound)
		}
		return nil, fmt.Errorf("%w: unknown patient", ErrNotFound)
	}
	res, err := n.Eraser.Erase(ctx, erasure.Request{Patient: pt.Pseudonym, RequestRef: requestRef, Reason: reason})
	if err == nil || errors.Is(err, pointers.ErrPending) {
		// The keys are gone: the patient's queued requests and tokens name
		// no one from now on.
		id := "pending"
		if res != nil {
			id = res.ID.String()
		}
		if ferr := n.forgetPatientRequests(ctx, pt, requestRef, id); ferr != nil {
			n.Log.Error("erasure: closing the patient's requests and tokens", "err", ferr)
		}
	}
	if errors.Is(err, pointers.ErrPending) {
		return nil, fmt.Errorf("erasure of request %q: the keys are destroyed and the purge ordered; the on-chain record waits for the chain, and the daemon finishes the erasure when it answers; run the same erase command again for the certificate: %w",
			requestRef, err)
	}
	if err != nil {
		if errors.Is(err, erasure.ErrBadRequest) {
			return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
		}
		return nil, err
	}
	return res, nil
}

// RefuseErasure refuses a patient's erasure request on an Art. 17(3) ground
// (erasure.ParseGround: legal-obligation, public-health,
// archiving-research, legal-claims): recorded on-chain, nothing destroyed;
// it returns the signed refusal document for the patient.
func (n *Node) RefuseErasure(ctx context.Context, patient, requestRef, ground, reason string) ([]byte, error) {
	if n.Eraser == nil {
		return nil, fmt.Errorf("refusing an erasure needs the erasure workflow (run it through the daemon)")
	}
	g, err := erasure.ParseGround(ground)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	pt, err := n.Keys.ResolvePatient(ctx, patient)
	if err != nil {
		if errors.Is(err, keys.ErrDestroyed) {
			return nil, fmt.Errorf("%w: patient already erased", ErrNotFound)
		}
		return nil, fmt.Errorf("%w: unknown patient", ErrNotFound)
	}
	doc, err := n.Eraser.Refuse(ctx, erasure.RefusalRequest{Patient: pt.Pseudonym, RequestRef: requestRef, Reason: reason, Ground: g})
	if err == nil {
		if derr := n.decideErasureRequests(ctx, PatientLabel(pt), requestRef, "refused", g.String()); derr != nil {
			n.Log.Error("erasure refusal: closing the patient's requests", "err", derr)
		}
	}
	if errors.Is(err, erasure.ErrBadRequest) {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	return doc, err
}

// VerifyCertificate checks an erasure certificate against the chain
// (erasure.Verify). A certificate that does not hold is ErrIntegrity.
func VerifyCertificate(ctx context.Context, chain erasure.ChainReader, b []byte) (*erasure.Verification, error) {
	if err := CheckCertificateShape(b); err != nil {
		return nil, err
	}
	c, err := erasure.Verify(ctx, b, chain)
	if err != nil {
		if errors.Is(err, erasure.ErrInvalidCertificate) {
			return nil, fmt.Errorf("%w: %w", ErrIntegrity, err)
		}
		return nil, err
	}
	return c, nil
}

// CheckCertificateShape tells something that is not a certificate at all
// (bad input) from a certificate that may not hold (an integrity failure,
// decided by VerifyCertificate).
func CheckCertificateShape(b []byte) error {
	var probe struct {
		Format *string `json:"format"`
	}
	if json.Unmarshal(b, &probe) != nil || probe.Format == nil {
		return fmt.Errorf("%w: not an erasure certificate (a JSON object with a format member)", ErrBadInput)
	}
	return nil
}
