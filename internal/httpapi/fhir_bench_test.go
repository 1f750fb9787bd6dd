package httpapi

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vaultnode/vaultnode/internal/node"
)

// fhirBundle1000 is a transaction Bundle of n glucose Observations of
// MRN-1 by cgm-1, distinct per k (their times).
func fhirBundleN(n, k int) []byte {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(k*n) * time.Second)
	var sb strings.Builder
	sb.WriteString(`{"resourceType":"Bundle","type":"transaction","entry":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"fullUrl":"urn:uuid:00000000-0000-4000-8000-%012d","resource":{"resourceType":"Observation","identifier":[{"system":"urn:example:cgm-1","value":"%d-%d"}],"status":"final",`+
			`"code":{"coding":[{"system":"http://loinc.org","code":"15074-8","display":"Glucose [Moles/volume] in Blood"}]},"subject":{"reference":"Patient/MRN-1"},"device":{"reference":"Device/cgm-1"},`+
			`"effectiveDateTime":"%s","valueQuantity":{"value":%.1f,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}},"request":{"method":"POST","url":"Observation"}}`,
			i, k, i, t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339), 4+float64(i%60)/10)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// BenchmarkFHIRTransaction1000 is FHIR transaction ingest end to end
// through the API handler: token, signature, strict R4 decoding of 1,000
// Observations, the validation table, patient resolution, sealing, durable
// store, commitment journal, the transaction-response Bundle. One node,
// offline (no replication), as BenchmarkNodeIngest100k.
func BenchmarkFHIRTransaction1000(b *testing.B) {
	e := newFHIREnv(b, 0)
	const n = 1000
	bodies := make([][]byte, 0, 64)
	for k := range 64 {
		bodies = append(bodies, fhirBundleN(n, k))
	}
	b.SetBytes(int64(len(bodies[0])))
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if i == len(bodies) {
			b.StopTimer()
			bodies = append(bodies, fhirBundleN(n, i))
			b.StartTimer()
		}
		rec := e.post(b, "/fhir", bodies[i], "")
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
		i++
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkParseFHIR1000: the FHIR parse path alone (a 1,000-Observation
// transaction Bundle to a device batch).
func BenchmarkParseFHIR1000(b *testing.B) {
	body := fhirBundleN(1000, 0)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := node.ParseFHIR(body, "cgm-1"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "obs/s")
}
