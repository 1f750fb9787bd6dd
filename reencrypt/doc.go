// Package reencrypt implements the key-encapsulation part of Umbral, a
// threshold proxy re-encryption scheme (NuCypher, "Umbral: a threshold proxy
// re-encryption scheme"), over the ristretto255 group. Work in progress: see
// docs/PRE.md.
package reencrypt
