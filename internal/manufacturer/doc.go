// Package manufacturer is the application layer of a device manufacturer: its identity (a chain account
// and the Ed25519 key that signs its firmware releases, sealed together in one key file) and the lifecycle
// registry operations only a manufacturer performs: registering its models (UDI-DI) and units (UDI-PI,
// bound to the unit's device key), publishing firmware releases and changing their status (recall), and the
// first three custody steps of its implants (manufactured, sterilised, shipped).
//
// A manufacturer runs no vaultnode node and holds no readings: it talks to the consortium's chain over
// JSON-RPC with the contract addresses of the deployment (contracts.json), after a consortium admin has
// admitted its account (`vaultnode manufacturer admit`, service.AdmitManufacturer).
//
// Promises: the key file is sealed at rest (Argon2id, keys.Seal) and never printed; every input is checked
// before anything is sent, and a refusal names what was wrong; each write waits until the chain has mined
// it and reports its block and transaction.
package manufacturer
