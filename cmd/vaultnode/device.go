package main

import (
	"context"
	"fmt"
	"io"

	"github.com/vaultnode/vaultnode/internal/service"
)

// enrollDevice enrols device id and writes its private key to keyFile.
func enrollDevice(ctx context.Context, svc service.Service, id, keyFile string) (service.Device, error) {
	dev, priv, err := svc.EnrollDevice(ctx, id)
	if err != nil {
		return dev, err
	}
	defer clear(priv)
	return dev, service.WriteDeviceKey(keyFile, dev.ID, priv)
}

// signBatch signs raw with the device key in keyPath and prints the signed
// batch (JSON lines) or, for a FHIR document, the signature.
func signBatch(w io.Writer, g *globals, keyPath string, raw []byte, fhir bool, fw *service.Firmware) error {
	id, priv, err := service.ReadDeviceKey(keyPath)
	if err != nil {
		return err
	}
	defer clear(priv)
	if fhir {
		sig := service.SignFHIR(priv, id, fw, raw)
		return g.out(w, map[string]any{"device": id, "signature": sig}, func(w io.Writer) { fmt.Fprintln(w, sig) })
	}
	batch, sig, count := service.SignedLines(priv, id, fw, raw)
	if g.json {
		return g.out(w, map[string]any{"device": id, "readings": count, "signature": sig, "batch": string(batch)}, nil)
	}
	_, err = w.Write(batch)
	return err
}
