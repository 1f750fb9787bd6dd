// Package proxywire is the re-encryption proxy protocol's wire format, apart
// from the libp2p host that carries it: the grantee's signed request for one
// cfrag (ReencryptRequest), the proxy's answer and its outcomes, the
// grantee's keys (GranteeKey, Grantee) and the HL7 v3 purpose-of-use codes a
// request may carry.
//
// It promises strict decoding (every parser refuses trailing bytes, unknown
// versions and out-of-range fields with ErrMalformed) and no dependency on
// libp2p, so that a grantee's client builds anywhere Go does, including the
// console's WebAssembly build in a browser. Package p2p serves the protocol
// and re-exports these names.
package proxywire
