// Package fault is vaultnode's one error vocabulary. Every error a user can
// see belongs to exactly one Class, and the class alone decides the HTTP
// status and API error code the daemon answers with, the FHIR issue code of
// an OperationOutcome, and the CLI's exit code (docs/PRODUCT.md §4, §5).
//
// The server classifies with Classify; the HTTP client turns an error answer
// back into an error of the same class with FromAPI, so a command fails the
// same way (same message, same exit code) whether it ran on the repo or
// through a daemon.
package fault
