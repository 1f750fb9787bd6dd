package proxywire

import (
	"fmt"
	"sort"
)

// Purposes of use are codes of HL7 v3 PurposeOfUse (the ActReason code
// system, http://terminology.hl7.org/CodeSystem/v3-ActReason), never free
// text: a purpose is written to every proxy's hash-chained access log, which
// erasure does not touch, so text typed there (a name, a date of birth) would
// outlive the patient's erasure. These are the codes of the PurposeOfUse
// value set.
var purposeOfUse = map[string]string{
	"TREAT":     "treatment",
	"ETREAT":    "emergency treatment",
	"BTG":       "break the glass",
	"ERTREAT":   "emergency room treatment",
	"CLINTRL":   "clinical trial",
	"COC":       "coordination of care",
	"POPHLTH":   "population health",
	"CAREMGT":   "care management",
	"HPAYMT":    "healthcare payment",
	"CLMATTCH":  "claim attachment",
	"COVAUTH":   "coverage authorization",
	"COVERAGE":  "coverage under policy or program",
	"ELIGDTRM":  "eligibility determination",
	"ELIGVER":   "eligibility verification",
	"ENROLLM":   "enrollment",
	"REMITADV":  "remittance advice",
	"HOPERAT":   "healthcare operations",
	"HACCRED":   "health accreditation",
	"HCOMPL":    "health compliance",
	"HDECD":     "decedent treatment",
	"HDIRECT":   "directory",
	"HDM":       "health delivery management",
	"HLEGAL":    "legal",
	"HOUTCOMS":  "health outcome measure",
	"HPRGRP":    "health program reporting",
	"HQUALIMP":  "health quality improvement",
	"HSYSADMIN": "health system administration",
	"MEMADMIN":  "member administration",
	"PATADMIN":  "patient administration",
	"PATSFTY":   "patient safety",
	"PERFMSR":   "performance measure",
	"RECORDMGT": "records management",
	"TRAIN":     "training",
	"HTEST":     "test health data",
	"HMARKT":    "healthcare marketing",
	"HRESCH":    "healthcare research",
	"CLINTRCH":  "clinical trial research",
	"DSRCH":     "disease specific healthcare research",
	"POARCH":    "public health research",
	"PATRQT":    "patient requested",
	"FAMRQT":    "family requested",
	"PWATRNY":   "power of attorney",
	"SUPNWK":    "support network",
	"PUBHLTH":   "public health",
	"DISASTER":  "disaster",
	"THREAT":    "threat",
	"GOV":       "government",
	"FRAUD":     "fraud",
	"DONAT":     "donation",
	"LABELING":  "labeling",
	"METAMGT":   "metadata management",
	"MILCDM":    "military command",
	"SYSDEV":    "system development",
}

// CheckPurpose refuses a purpose of use that is not an HL7 v3 PurposeOfUse
// code.
func CheckPurpose(code string) error {
	if _, ok := purposeOfUse[code]; !ok {
		return fmt.Errorf("purpose of use %q is not an HL7 v3 PurposeOfUse code (TREAT, ETREAT, HPAYMT, HOPERAT, PATRQT, ...; the list is in p2p/purpose.go)", code[:min(len(code), 32)])
	}
	return nil
}

// PurposeCodes lists the accepted codes, sorted.
func PurposeCodes() []string {
	out := make([]string, 0, len(purposeOfUse))
	for c := range purposeOfUse {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// PurposeDisplay is the code's display name ("" for an unknown code).
func PurposeDisplay(code string) string { return purposeOfUse[code] }
