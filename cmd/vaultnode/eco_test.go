package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultnode/vaultnode/internal/fhirschema"
)

func fhirExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "node", "testdata", "fhir", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// signFHIR writes a FHIR document into the work dir and returns the device
// cgm-1's signature of it.
func (r *repo) signFHIR(name, doc string) string {
	r.t.Helper()
	r.write(name, doc)
	return strings.TrimSpace(r.must("device", "sign", "--fhir", "--key", "dev.key", name))
}

// consentFor writes the example Consent naming the clinician key in keyFile.
func (r *repo) consentFor(name, keyFile string, edit func(string) string) string {
	r.t.Helper()
	pub := strings.TrimSpace(r.read(strings.TrimSuffix(keyFile, ".key") + ".pub")) // keygen's public key file
	doc := strings.Replace(fhirExample(r.t, "consent-glucose-clinician.json"),
		"50010e042284a5a1deb90f813fd1bf119940ff3d1bd132b665ef5e588f539f6d1635ef1ceb44ecce9b9f3e6d07f94c0495b40b890006bb59029d95ca1e62fc5b1d28", pub, 1)
	if edit != nil {
		doc = edit(doc)
	}
	return r.write(name, doc)
}

func countBatches(t *testing.T, r *repo) int {
	t.Helper()
	var vs []any
	if err := json.Unmarshal([]byte(r.must("--json", "verify", "--patient", "MRN-1")), &vs); err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

// FHIR in, Consent to grants, AuditEvent and disclosures out, on one node
// without a daemon.
func TestEcoFHIRConsentAudit(t *testing.T) {
	r := newRepo(t)
	// A Bundle with one bad entry: refused whole, naming the element.
	bad := r.signFHIR("bad.json", fhirExample(t, "bundle-invalid-unit.json"))
	r.want(1, "Bundle.entry[3].resource.valueQuantity.unit", "", "ingest", "--device", "cgm-1", "--sig", bad, "bad.json")
	// The good transaction Bundle: 4 readings in 3 streams.
	sig := r.signFHIR("tx.json", fhirExample(t, "bundle-transaction.json"))
	out := r.must("ingest", "--device", "cgm-1", "--sig", sig, "tx.json")
	for _, want := range []string{"4 readings from cgm-1", "glucose seq 1", "spo2 seq 1", "heart-rate seq 1"} {
		if !strings.Contains(out, want) {
			t.Fatalf("transaction Bundle: %q missing in %s", want, out)
		}
	}
	if n := countBatches(t, r); n != 3 {
		t.Fatalf("%d batches after the transaction Bundle, want 3", n)
	}
	// The refused Bundle again, after data exists: still nothing stored.
	r.want(1, "valueQuantity.unit", "", "ingest", "--device", "cgm-1", "--sig", bad, "bad.json")
	if n := countBatches(t, r); n != 3 {
		t.Fatalf("%d batches after a refused Bundle, want 3", n)
	}
	csig := r.signFHIR("coll.json", fhirExample(t, "bundle-collection.json"))
	if out := r.must("ingest", "--device", "cgm-1", "--sig", csig, "coll.json"); !strings.Contains(out, "glucose seq 2") {
		t.Fatalf("collection Bundle: %s", out)
	}

	// Consent: two grants (glucose, spo2) for the clinician named by key.
	r.must("keygen", "--out", "clin.key")
	r.consentFor("deny.json", "clin.key", func(s string) string { return strings.Replace(s, `"type": "permit"`, `"type": "deny"`, 1) })
	r.want(1, "Consent.provision.type", "", "consent", "import", "deny.json")
	r.consentFor("nested.json", "clin.key", func(s string) string {
		return strings.Replace(s, `"type": "permit",`, `"type": "permit", "provision": [{"type": "deny"}],`, 1)
	})
	r.want(1, "Consent.provision.provision", "", "consent", "import", "nested.json")
	r.want(3, "", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose") // refused consents granted nothing
	r.consentFor("consent.json", "clin.key", nil)
	var cres struct {
		Grants []struct {
			ID string `json:"id"`
		} `json:"grants"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "consent", "import", "--threshold", "1", "consent.json")), &cres); err != nil {
		t.Fatal(err)
	}
	if len(cres.Grants) != 2 {
		t.Fatalf("%d grants from the consent, want 2 (glucose, spo2)", len(cres.Grants))
	}
	// The readings as a FHIR Bundle of Observations (valid R4).
	fb := r.must("fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose", "--format", "fhir")
	fhirschema.Check(t, "fetch --format fhir", []byte(fb))
	var fhirOut struct {
		Type  string `json:"type"`
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(fb), &fhirOut); err != nil || fhirOut.Type != "collection" || len(fhirOut.Entry) != 4 ||
		fhirOut.Entry[0].Resource.ResourceType != "Observation" {
		t.Fatalf("fetch --format fhir (want 4 glucose Observations): %v\n%s", err, fb)
	}
	r.want(3, "", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "heart-rate") // not in the consent
	// The consent's purpose (TREAT) is enforced by the proxies: payment is refused.
	r.want(3, "purpose-not-consented", "", "fetch", "--key", "clin.key", "--patient", "MRN-1", "--stream", "glucose", "--purpose", "HPAYMT")

	// AuditEvent export: one per access, with the patient entity.
	var pl []struct {
		Pseudonym string `json:"pseudonym"`
		MRN       string `json:"mrn"`
	}
	if err := json.Unmarshal([]byte(r.must("--json", "patient", "list")), &pl); err != nil || len(pl) != 1 {
		t.Fatalf("patient list: %v %v", pl, err)
	}
	var bundle struct {
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
				Outcome      string `json:"outcome"`
				Type         struct {
					Code string `json:"code"`
				} `json:"type"`
				Entity []struct {
					What struct {
						Identifier struct {
							Value string `json:"value"`
						} `json:"identifier"`
					} `json:"what"`
					Role struct {
						Code string `json:"code"`
					} `json:"role"`
				} `json:"entity"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(r.must("audit", "--fhir", "--patient", "MRN-1")), &bundle); err != nil {
		t.Fatal(err)
	}
	granted := 0
	for _, e := range bundle.Entry {
		ev := e.Resource
		if ev.ResourceType != "AuditEvent" || ev.Type.Code != "rest" {
			t.Fatalf("not a BALP AuditEvent: %+v", ev)
		}
		patients := 0
		for _, en := range ev.Entity {
			if en.Role.Code == "1" && en.What.Identifier.Value == pl[0].Pseudonym {
				patients++
			}
		}
		if patients != 1 {
			t.Fatalf("AuditEvent without exactly one patient entity: %+v", ev)
		}
		if ev.Outcome == "0" {
			granted++
		}
	}
	if granted != 2 { // two glucose batches, one proxy
		t.Fatalf("%d granted AuditEvents, want 2", granted)
	}

	// Accounting of disclosures with proofs, verified against the chain.
	r.must("disclosures", "--patient", "MRN-1", "-o", "d.json")
	var rep struct {
		Disclosures []struct {
			Recipient     string          `json:"recipient"`
			RecipientName string          `json:"recipientName"`
			Purpose       string          `json:"purpose"`
			Stream        string          `json:"stream"`
			Proof         json.RawMessage `json:"proof"`
		} `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(r.read("d.json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Disclosures) != 2 {
		t.Fatalf("%d disclosures, want 2", len(rep.Disclosures))
	}
	for _, d := range rep.Disclosures {
		if d.RecipientName != "Dr. A. Osei" || d.Purpose != "TREAT" || d.Stream != "glucose" || len(d.Proof) < 10 {
			t.Fatalf("disclosure %+v", d)
		}
	}
	if out := r.must("disclosures", "verify", "d.json"); strings.Count(out, "proven against the chain") != 2 {
		t.Fatalf("verify: %s", out)
	}
	r.write("d2.json", strings.Replace(r.read("d.json"), `"purpose": "TREAT"`, `"purpose": "HRESCH"`, 1))
	r.want(4, "purpose", "", "disclosures", "verify", "d2.json")
	r.want(1, "not an accounting of disclosures", "", "disclosures", "verify", "consent.json")

	// The accounting outlives an erasure: the patient can no longer be named,
	// so the DPO asks by the erasure's request reference. The report names
	// the erasure, carries nothing identifying, and still verifies.
	r.must("erase", "--patient", "MRN-1", "--request-ref", "DSAR-ECO", "--certificate", "eco-cert.json")
	// Art. 19: the certificate lists the recipient with what it fetched.
	var cert struct {
		Recipients []struct {
			Accesses *int `json:"accesses"`
		} `json:"recipients"`
		AccessesFrom string `json:"accessesFrom"`
	}
	if err := json.Unmarshal([]byte(r.read("eco-cert.json")), &cert); err != nil || len(cert.Recipients) == 0 || !strings.Contains(cert.AccessesFrom, "access logs") {
		t.Fatalf("certificate recipients: %+v %v", cert, err)
	}
	fetched := 0
	for _, rc := range cert.Recipients {
		if rc.Accesses == nil {
			t.Fatalf("a recipient without its access count: %s", r.read("eco-cert.json"))
		}
		fetched += *rc.Accesses
	}
	if fetched != granted {
		t.Fatalf("the certificate's recipients fetched %d times, the access log granted %d", fetched, granted)
	}
	r.want(1, "unknown patient", "", "disclosures", "--patient", "MRN-1")
	r.must("disclosures", "--request-ref", "DSAR-ECO", "-o", "e.json")
	erased := r.read("e.json")
	var erep struct {
		Patient     string            `json:"patient"`
		Erasure     string            `json:"erasure"`
		Disclosures []json.RawMessage `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(erased), &erep); err != nil {
		t.Fatal(err)
	}
	if len(erep.Disclosures) != 2 || erep.Patient != "" || len(erep.Erasure) != 64 || strings.Contains(erased, "MRN-1") || strings.Contains(erased, "glucose") {
		t.Fatalf("accounting after the erasure: %s", erased)
	}
	if out := r.must("disclosures", "verify", "e.json"); strings.Count(out, "proven against the chain") != 2 {
		t.Fatalf("verify after the erasure: %s", out)
	}
	r.want(1, "no erasure for request", "", "disclosures", "--request-ref", "DSAR-NONE")
}
