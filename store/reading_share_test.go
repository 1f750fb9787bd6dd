package store

import (
	"testing"
)

// TestOpenBatchReadingsWithChangingFields: OpenBatch shares a reading's
// strings with the reading before it when the bytes are equal; readings
// whose device, unit or code change from one to the next still come back
// exactly as sealed (the changes keep their length, so only the bytes
// tell them apart).
func TestOpenBatchReadingsWithChangingFields(t *testing.T) {
	rs := testReadings(12, "glucose")
	for i := range rs {
		rs[i].Device = []string{"cgm-11", "cgm-11", "cgm-22"}[i%3]
		rs[i].Unit = []string{"mg/dL", "kg/m2"}[i%2]
		rs[i].Code = []string{"", "loinc:15074-8", "loinc:15075-5", "loinc:15075-5"}[i%4]
	}
	_, ob := sealInMemory(t, testParams(t, 1), rs)
	for i := range rs {
		if ob.Readings[i] != rs[i] {
			t.Fatalf("reading %d: %+v, sealed %+v", i, ob.Readings[i], rs[i])
		}
	}
}
