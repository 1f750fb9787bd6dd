package node

// CapabilityStatement is what GET /fhir/metadata answers: exactly what the
// /fhir base supports (docs/FHIR.md), nothing more. Observations are
// created (one at a time, or in transaction and batch Bundles, with
// conditional create on identifier); Consents are created (they become
// grants). There is no read or search: readings leave the node only
// encrypted, to a granted clinician (vaultnode fetch --format fhir).
func CapabilityStatement() map[string]any {
	return map[string]any{
		"resourceType": "CapabilityStatement",
		"url":          "urn:vaultnode:capability-statement",
		"version":      "1",
		"name":         "VaultnodeFHIRServer",
		"title":        "vaultnode FHIR R4 endpoint",
		"status":       "active",
		"experimental": false,
		"date":         "2026-12-02",
		"publisher":    "vaultnode",
		"description":  "Device Observations in (create, transaction, batch; conditional create on identifier), Consent in (becomes grants). No read or search.",
		"kind":         "instance",
		"software":     map[string]any{"name": "vaultnode"},
		"implementation": map[string]any{
			"description": "vaultnode node API, FHIR base /fhir",
		},
		"fhirVersion": "4.0.0", // R4; 4.0.1 (its technical correction, same wire format) is not in the R4 JSON schema's value set
		"format":      []any{"application/fhir+json", "json"},
		"rest": []any{map[string]any{
			"mode":          "server",
			"documentation": "Every request needs a bearer token (role device for Observations, operator for Consent). Observations must be signed by the device: X-Vaultnode-Signature, base64 Ed25519 over \"vaultnode/device-fhir/v1\\n\" || device id || \"\\n\" || body, device id in ?device= or X-Vaultnode-Device. A device declaring its firmware sends X-Vaultnode-Firmware: VERSION HEXIMAGE and signs \"vaultnode/device-fhir/v2\\n\" || device id || \"\\n\" || \"firmware \" || VERSION || \" \" || HEXIMAGE || \"\\n\" || body instead.",
			"security": map[string]any{
				"cors":        false,
				"description": "Bearer tokens per role (device, operator, dpo); device signatures on every Observation submission.",
			},
			"resource": []any{
				map[string]any{
					"type":              "Observation",
					"documentation":     "One numeric reading per Observation (valueQuantity, LOINC or MDC code, UCUM unit, effectiveDateTime/Instant, subject by Patient/<id> or an identifier of a configured system). ifNoneExist: identifier=system|value only.",
					"interaction":       []any{map[string]any{"code": "create"}},
					"versioning":        "no-version",
					"readHistory":       false,
					"updateCreate":      false,
					"conditionalCreate": true,
					"conditionalRead":   "not-supported",
					"conditionalUpdate": false,
					"conditionalDelete": "not-supported",
				},
				map[string]any{
					"type":              "Consent",
					"documentation":     "A patient-privacy Consent with one permit provision becomes one grant per stream (docs/FHIR.md section 2).",
					"interaction":       []any{map[string]any{"code": "create"}},
					"conditionalCreate": false,
					"conditionalRead":   "not-supported",
					"conditionalUpdate": false,
					"conditionalDelete": "not-supported",
				},
			},
			"interaction": []any{
				map[string]any{"code": "transaction", "documentation": "Bundles of Observation creates, stored whole or not at all"},
				map[string]any{"code": "batch", "documentation": "Bundles of Observation creates, stored whole or not at all (as a transaction)"},
			},
		}},
	}
}
