package console

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
)

func gunzipTo(w http.ResponseWriter, b []byte) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		http.Error(w, "corrupt WebAssembly asset", http.StatusInternalServerError)
		return
	}
	_, _ = io.Copy(w, zr)
}
