package node

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/hkdf"

	"github.com/vaultnode/vaultnode/internal/atomicfile"
)

// APICertFile is the self-signed certificate of the API in the repo (no
// secret: its private key is derived from the node identity, like the chain
// key, and never stored).
const APICertFile = "api.crt"

// apiCertLifetime is how long a self-signed API certificate is valid; the
// daemon renews it when less than apiCertRenew is left.
const (
	apiCertLifetime = 5 * 365 * 24 * time.Hour
	apiCertRenew    = 30 * 24 * time.Hour
)

// apiTLSKey is the API's ECDSA P-256 key: a scalar from
// HKDF-SHA256(identity, "vaultnode/api-tls-key/v1/<counter>").
func (n *Node) apiTLSKey() (*ecdsa.PrivateKey, error) {
	id, err := n.Keys.NodeIdentity()
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	raw, err := id.Raw()
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	defer wipe(raw)
	for i := range 16 {
		b := make([]byte, 32)
		if _, err := io.ReadFull(hkdf.New(sha256.New, raw, nil, fmt.Appendf(nil, "vaultnode/api-tls-key/v1/%d", i)), b); err != nil {
			return nil, err
		}
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b)
		wipe(b)
		if err == nil {
			return k, nil
		}
	}
	return nil, errors.New("derive API TLS key: no valid scalar")
}

// apiCertHosts are the names the self-signed certificate covers: the
// loopback names, and the host of api.addr.
func apiCertHosts(addr string) (ips []net.IP, names []string) {
	ips = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	names = []string{"localhost"}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return ips, names
	}
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() && !ip.IsUnspecified() {
			ips = append(ips, ip)
		}
	} else if host != "localhost" {
		names = append(names, host)
	}
	return ips, names
}

// certCovers reports whether cert is for pub, covers every host and is valid
// for longer than apiCertRenew.
func certCovers(cert *x509.Certificate, pub *ecdsa.PublicKey, ips []net.IP, names []string) bool {
	cp, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || !cp.Equal(pub) || time.Until(cert.NotAfter) < apiCertRenew || time.Now().Before(cert.NotBefore) {
		return false
	}
	for _, ip := range ips {
		if cert.VerifyHostname(ip.String()) != nil {
			return false
		}
	}
	for _, n := range names {
		if cert.VerifyHostname(n) != nil {
			return false
		}
	}
	return true
}

// EnsureAPICert writes the repo's self-signed API certificate (api.crt) for
// the key derived from the node identity, unless the one there is for that
// key, covers the API's address and is not about to expire. It returns the
// certificate and its key.
func (n *Node) EnsureAPICert(dir string) (tls.Certificate, error) {
	key, err := n.apiTLSKey()
	if err != nil {
		return tls.Certificate{}, err
	}
	ips, names := apiCertHosts(n.Cfg.API.Addr)
	path := filepath.Join(dir, APICertFile)
	if b, err := os.ReadFile(path); err == nil {
		if blk, _ := pem.Decode(b); blk != nil && blk.Type == "CERTIFICATE" {
			if c, err := x509.ParseCertificate(blk.Bytes); err == nil && certCovers(c, &key.PublicKey, ips, names) {
				return tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key, Leaf: c}, nil
			}
		}
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "vaultnode API " + n.PeerID().String()},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(apiCertLifetime),
		// Self-signed: it is its own trust anchor (pinned by the CLI with
		// --api-cert, by curl with --cacert), so it is marked as a CA that
		// can sign nothing else.
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           ips,
		DNSNames:              names,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("API certificate: %w", err)
	}
	if err := atomicfile.Write(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, fmt.Errorf("API certificate: %w", err)
	}
	c, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, nil
}

// APITLS is the TLS configuration the API serves with and the certificate
// file clients pin, from the config: plainHTTP (loopback only) gives nil;
// api.tls.certFile/keyFile a certificate of the operator's; otherwise the
// repo's self-signed certificate (EnsureAPICert).
func (n *Node) APITLS(dir string) (*tls.Config, string, error) {
	c := n.Cfg.API
	if c.PlainHTTP {
		host, _, err := net.SplitHostPort(c.Addr)
		if ip := net.ParseIP(host); err != nil || ((ip == nil || !ip.IsLoopback()) && host != "localhost") {
			return nil, "", fmt.Errorf("config api.plainHTTP: only for a loopback api.addr, not %s", c.Addr)
		}
		return nil, "", nil
	}
	var cert tls.Certificate
	certFile := filepath.Join(dir, APICertFile)
	if c.TLS != nil && (c.TLS.CertFile != "" || c.TLS.KeyFile != "") {
		if c.TLS.CertFile == "" || c.TLS.KeyFile == "" {
			return nil, "", errors.New("config api.tls: give both certFile and keyFile")
		}
		certFile = c.TLS.CertFile
		if !filepath.IsAbs(certFile) {
			certFile = filepath.Join(dir, certFile)
		}
		keyFile := c.TLS.KeyFile
		if !filepath.IsAbs(keyFile) {
			keyFile = filepath.Join(dir, keyFile)
		}
		if st, err := os.Stat(keyFile); err == nil && st.Mode().Perm()&0o077 != 0 {
			return nil, "", fmt.Errorf("config api.tls.keyFile %s: mode %v, readable by others (chmod 600)", keyFile, st.Mode().Perm())
		}
		var err error
		if cert, err = tls.LoadX509KeyPair(certFile, keyFile); err != nil {
			return nil, "", fmt.Errorf("config api.tls: %w", err)
		}
	} else {
		var err error
		if cert, err = n.EnsureAPICert(dir); err != nil {
			return nil, "", err
		}
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, certFile, nil
}

// CertFingerprint is the SHA-256 of a certificate's DER encoding, in hex
// (what `openssl x509 -fingerprint -sha256` shows, without the colons).
func CertFingerprint(der []byte) string {
	h := sha256.Sum256(der)
	return hex.EncodeToString(h[:])
}

// PEMCertFingerprint is CertFingerprint of the first certificate in a PEM
// file's contents, or "".
func PEMCertFingerprint(b []byte) string {
	blk, _ := pem.Decode(bytes.TrimSpace(b))
	if blk == nil || blk.Type != "CERTIFICATE" {
		return ""
	}
	return CertFingerprint(blk.Bytes)
}
