//go:build js && wasm

package main

import (
	"encoding/binary"
	"math"
)

// putFloat writes f as JavaScript's Float64Array holds it (little-endian on
// every platform browsers run on).
func putFloat(b []byte, f float64) { binary.LittleEndian.PutUint64(b, math.Float64bits(f)) }
