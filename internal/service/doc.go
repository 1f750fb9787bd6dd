// Package service is the one application interface of a vaultnode node:
// every operation a user or integrator performs (patients, devices, ingest,
// grants, fetch, audit, disclosures, erasure, membership) is a method of
// Service. It has two implementations with the same behaviour and the same
// errors (internal/fault classes):
//
//   - Local runs the operation on a repo this process opened (internal/node);
//   - internal/client runs it through a running daemon's HTTP API.
//
// The CLI is written once against Service and picks the implementation: the
// daemon's API when one serves the repo, the repo otherwise. The daemon's
// HTTP server (internal/httpapi) calls Local. The request and result types
// the interface uses are defined here (the JSON the API speaks), so the CLI
// needs no lower package.
//
// Operations that only make sense on a repo that no daemon holds (init,
// backup, restore, master-key rotation) are plain functions of this package.
package service
