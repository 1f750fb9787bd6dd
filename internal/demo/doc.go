// Package demo tells the whole vaultnode story on one machine: three peers
// in this process on an embedded chain, a device's readings ingested,
// granted, fetched, refused after revocation and erased, each step narrated
// with what it proved. It is what `vaultnode demo` (and `make demo`) runs.
package demo
