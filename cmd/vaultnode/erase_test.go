package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// After an erasure the custodian keeps nothing that maps the patient's
// stream tags to its batches or grants: no batch index, no sequence record,
// no grant index, no ingest record naming a batch, no FHIR identifier record
// naming one (conditional create), in any file of the repo. The scan finds the
// markers in a copy taken before the erasure, so it proves something.
func TestEraseLeavesNoStreamIndex(t *testing.T) {
	r := newRepo(t)
	r.must("patient", "create", "--mrn", "MRN-2")
	var lines []string
	for i := 0; i < 3; i++ {
		lines = append(lines, readingLine("cgm-1", "MRN-1", i, 5.5), readingLine("cgm-1", "MRN-2", i, 6.5))
	}
	r.signed("b.jsonl", strings.Join(lines, "\n")+"\n")
	var rc struct {
		Batches []struct {
			Patient string `json:"patient"`
			Root    string `json:"root"`
		} `json:"batches"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "ingest", "--device", "cgm-1", "b.jsonl")), &rc); err != nil {
		t.Fatal(err)
	}
	// A FHIR Observation with identifiers: the node remembers where each
	// identifier was stored (ifNoneExist).
	sig := r.signFHIR("obs.json", fhirExample(t, "observation-glucose-kept.json"))
	var fr struct {
		Batches []struct {
			Patient string `json:"patient"`
			Root    string `json:"root"`
		} `json:"batches"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "ingest", "--device", "cgm-1", "--sig", sig, "obs.json")), &fr); err != nil || len(fr.Batches) != 1 {
		t.Fatalf("FHIR ingest receipt: %v %+v", err, fr)
	}
	rc.Batches = append(rc.Batches, fr.Batches...)
	var pl []struct {
		MRN       string `json:"mrn"`
		Pseudonym string `json:"pseudonym"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "patient", "list")), &pl); err != nil {
		t.Fatal(err)
	}
	var erasedRoots []string
	for _, p := range pl {
		for _, b := range rc.Batches {
			if p.MRN == "MRN-1" && b.Patient == p.Pseudonym {
				erasedRoots = append(erasedRoots, b.Root)
			}
		}
	}
	if len(erasedRoots) == 0 {
		t.Fatalf("no batch of MRN-1 in the receipt %+v (patients %+v)", rc, pl)
	}
	r.must("keygen", "--out", "clin.key")
	r.must("grant", "--patient", "MRN-1", "--stream", "glucose", "--to", "clin.pub", "--until", "1h", "--threshold", "1")
	before := filepath.Join(r.dir, "before")
	if out, err := exec.Command("cp", "-a", filepath.Join(r.dir, "repo"), before).CombinedOutput(); err != nil {
		t.Fatalf("copy the repo: %v %s", err, out)
	}
	r.must("erase", "--patient", "MRN-1", "--request-ref", "DSAR-SCAN", "--certificate", "cert.json")
	var cert struct {
		Streams []struct {
			Tag string `json:"tag"`
		} `json:"streams"`
		Recipients []struct {
			GrantID string `json:"grantId"`
		} `json:"recipients"`
	}
	if err := json.Unmarshal([]byte(r.read("cert.json")), &cert); err != nil || len(cert.Streams) == 0 {
		t.Fatalf("certificate: %v", err)
	}
	var markers [][]byte
	for _, root := range erasedRoots {
		markers = append(markers, []byte(root)) // the ingest record (and the identifier record of the FHIR one) names it
	}
	for _, s := range cert.Streams {
		markers = append(markers, []byte("/vaultnode/batch/"+s.Tag+"/"), []byte("/vaultnode/seq/"+s.Tag))
	}
	if len(cert.Recipients) != 1 {
		t.Fatalf("certificate recipients: %+v", cert.Recipients)
	}
	for _, s := range cert.Streams {
		markers = append(markers, []byte("/vaultnode/grant/"+s.Tag+"/"+cert.Recipients[0].GrantID))
	}
	found := func(dir string) map[string]string {
		out := map[string]string{}
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, m := range markers {
				if bytes.Contains(b, m) {
					out[string(m)] = p
				}
			}
			return nil
		})
		return out
	}
	if f := found(before); len(f) != len(markers) {
		t.Fatalf("before the erasure the scan finds %d of %d markers (%v): it proves nothing", len(f), len(markers), f)
	}
	if f := found(filepath.Join(r.dir, "repo")); len(f) != 0 {
		t.Fatalf("after the erasure the custodian still indexes the patient's streams: %v", f)
	}
	r.must("verify", "--patient", "MRN-2") // the other patient's batches are intact
}

// Verifying with no repo: something that is not a certificate is bad input
// (as through a repo), --contracts alone is a usage error, and an endpoint
// that does not answer is named; nothing is written.
func TestErasureVerifyWithoutRepoBadInput(t *testing.T) {
	r := newRepo(t)
	r.write("empty.json", "{}")
	r.want(1, "not an erasure certificate", "", "erasure", "verify", "empty.json", "--chain-rpc", "http://127.0.0.1:1")
	r.want(2, "--contracts goes with --chain-rpc", "", "erasure", "verify", "empty.json", "--contracts", "x.json")
	r.write("c.json", `{"format":"vaultnode-erasure-certificate/2","chain":{"chainId":1,"registry":"0x0000000000000000000000000000000000000001","consortium":"0x0000000000000000000000000000000000000001","grants":"0x0000000000000000000000000000000000000001"}}`)
	r.want(1, "chain node unavailable", "", "erasure", "verify", "c.json", "--chain-rpc", "http://127.0.0.1:1")
}
