package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/vaultnode/vaultnode/internal/service"
	"github.com/vaultnode/vaultnode/pointers"
)

// verifyAsOutsider checks the certificate as an auditor would: in an empty
// directory with no repo, against the chain's RPC endpoint, with the
// consortium's published contract addresses. With self (the vaultnode
// binary) it is a separate process; a copy with one character of the
// request reference changed must be rejected (exit 4). Nothing may be left
// in the auditor's directory but the two files it was given.
func verifyAsOutsider(ctx context.Context, dir, self string, cert []byte, rpcURL string, addrs pointers.Addresses, lg *slog.Logger) (string, error) {
	aud := filepath.Join(dir, "auditor")
	if err := os.MkdirAll(aud, 0o700); err != nil {
		return "", err
	}
	ab, err := json.MarshalIndent(addrs, "", "  ")
	if err != nil {
		return "", err
	}
	tampered := bytes.Replace(cert, []byte("DSAR-2026-0042"), []byte("DSAR-2026-0043"), 1)
	for name, b := range map[string][]byte{"contracts.json": ab, "cert.json": cert, "tampered.json": tampered} {
		if err := os.WriteFile(filepath.Join(aud, name), b, 0o600); err != nil {
			return "", err
		}
	}
	var chk *service.ErasureCheck
	how := "in this process (no repo opened)"
	if self != "" {
		how = "as a separate process: vaultnode erasure verify cert.json --chain-rpc " + rpcURL + " --contracts contracts.json"
		run := func(file string) ([]byte, int, error) {
			return runOutsider(ctx, self, aud, "--json", "erasure", "verify", file, "--chain-rpc", rpcURL, "--contracts", "contracts.json")
		}
		out, code, err := run("cert.json")
		if err != nil {
			return "", fmt.Errorf("the auditor's check failed (exit %d): %v", code, err)
		}
		if err := json.Unmarshal(out, &chk); err != nil {
			return "", fmt.Errorf("the auditor's check printed no result: %v", err)
		}
		if _, code, _ := run("tampered.json"); code != 4 {
			return "", fmt.Errorf("a tampered certificate was not rejected by the auditor's process (exit %d, want 4)", code)
		}
	} else {
		if chk, err = service.VerifyErasureOnChain(ctx, rpcURL, filepath.Join(aud, "contracts.json"), cert, lg); err != nil {
			return "", err
		}
		if _, err := service.VerifyErasureOnChain(ctx, rpcURL, filepath.Join(aud, "contracts.json"), tampered, lg); err == nil {
			return "", errors.New("a tampered certificate was not rejected")
		}
	}
	if !chk.Valid {
		return "", fmt.Errorf("certificate %s: %d member(s) missing", chk.Status, len(chk.Missing))
	}
	ents, err := os.ReadDir(aud)
	if err != nil {
		return "", err
	}
	if len(ents) != 3 {
		return "", fmt.Errorf("the auditor's directory holds %d entries after the check, want the 3 files it was given", len(ents))
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s\n", how)
	fmt.Fprintf(&s, "%s: %d of %d members acknowledged, %d recipient grant(s) revoked, deletion record in tx %s\n",
		chk.Status, chk.Acks, len(chk.Members), chk.Recipients, short(chk.Tx))
	for _, c := range chk.Checks {
		fmt.Fprintf(&s, "  checked: %-17s %s\n", c.Name, c.Detail)
	}
	fmt.Fprintf(&s, "a copy with the request reference altered is rejected (exit 4)")
	return s.String(), nil
}

// verifyClaimAsOutsider checks a claim file as an auditor would: in an empty directory with no repo and no
// key, against the chain's RPC endpoint with the consortium's contract addresses, as a separate process
// when self is the vaultnode binary. A copy with the threshold and its words altered must be rejected.
func verifyClaimAsOutsider(ctx context.Context, dir, self string, claim []byte, rpcURL string, addrs pointers.Addresses, lg *slog.Logger) (string, error) {
	aud := filepath.Join(dir, "claim-auditor")
	if err := os.MkdirAll(aud, 0o700); err != nil {
		return "", err
	}
	ab, err := json.MarshalIndent(addrs, "", "  ")
	if err != nil {
		return "", err
	}
	tampered := bytes.Replace(bytes.Replace(claim, []byte(`"threshold": 389`), []byte(`"threshold": 300`), 1), []byte("3.89 mmol/L"), []byte("3.00 mmol/L"), 1)
	if bytes.Equal(tampered, claim) {
		return "", errors.New("the claim file does not state the expected threshold")
	}
	for name, b := range map[string][]byte{"contracts.json": ab, "claim.json": claim, "tampered.json": tampered} {
		if err := os.WriteFile(filepath.Join(aud, name), b, 0o600); err != nil {
			return "", err
		}
	}
	var v *service.ClaimVerification
	how := "in this process (no repo opened)"
	if self != "" {
		how = "as a separate process: vaultnode claim verify claim.json --chain-rpc " + rpcURL + " --contracts contracts.json"
		run := func(file string) ([]byte, int, error) {
			return runOutsider(ctx, self, aud, "--json", "claim", "verify", file, "--chain-rpc", rpcURL, "--contracts", "contracts.json")
		}
		out, code, err := run("claim.json")
		if err != nil {
			return "", fmt.Errorf("the auditor's check of the claim failed (exit %d): %v", code, err)
		}
		if err := json.Unmarshal(out, &v); err != nil {
			return "", fmt.Errorf("the auditor's check printed no result: %v", err)
		}
		if _, code, _ := run("tampered.json"); code != 4 {
			return "", fmt.Errorf("a tampered claim was not rejected by the auditor's process (exit %d, want 4)", code)
		}
	} else {
		if v, err = service.VerifyClaimOnChain(ctx, rpcURL, filepath.Join(aud, "contracts.json"), claim, lg); err != nil {
			return "", err
		}
		if _, err := service.VerifyClaimOnChain(ctx, rpcURL, filepath.Join(aud, "contracts.json"), tampered, lg); err == nil {
			return "", errors.New("a tampered claim was not rejected")
		}
	}
	if !v.Valid || v.OnChain != "accepted" || len(v.Recorded) == 0 {
		return "", fmt.Errorf("the auditor's check: valid %v, chain's verifier %q, %d on-chain records", v.Valid, v.OnChain, len(v.Recorded))
	}
	return fmt.Sprintf("auditor, %s\nvalid; the chain's verifier accepts it too; %d on-chain record(s); a copy claiming \"≤ 3.00\" is rejected (exit 4)", how, len(v.Recorded)), nil
}

// runOutsider runs the vaultnode binary self in the auditor's directory aud with no repo anywhere it could
// look (an empty home, an absent repo path) and returns its stdout, exit code and, on failure, its stderr.
func runOutsider(ctx context.Context, self, aud string, args ...string) ([]byte, int, error) {
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Dir = aud
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + aud, "VAULTNODE_REPO=" + filepath.Join(aud, "no-repo")}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out, ee.ExitCode(), fmt.Errorf("%s", strings.TrimSpace(stderr.String()))
	}
	return out, 0, err
}
