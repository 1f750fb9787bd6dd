package console

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// wasmAsset is the gzip-compressed WebAssembly client, when it was built.
const wasmAsset = "vaultnode.wasm.gz"

// csp allows the page its own scripts, styles and API, and the compilation
// of its WebAssembly module; nothing from elsewhere, nothing inline.
const csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; worker-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// HasWASM reports whether the binary carries the clinician's WebAssembly client.
func HasWASM() bool {
	_, err := fs.Stat(assets, "assets/"+wasmAsset)
	return err == nil
}

// Handler serves the console under prefix (e.g. "/ui/").
func Handler(prefix string) http.Handler {
	sub, _ := fs.Sub(assets, "assets")
	files := http.FileServerFS(sub)
	return http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		p := path.Clean("/" + r.URL.Path)
		if p == "/vaultnode.wasm" {
			serveWASM(w, r)
			return
		}
		if strings.HasSuffix(p, ".gz") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
}

// serveWASM serves the compressed module as application/wasm (browsers
// compile it while it streams in); a client that does not take gzip gets
// it decompressed.
func serveWASM(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/" + wasmAsset)
	if err != nil {
		http.Error(w, "this vaultnode binary was built without the console's WebAssembly client: build it with `make build`", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/wasm")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(b)
		return
	}
	gunzipTo(w, b)
}
