package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ipfs/go-cid"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/vaultnode/vaultnode/internal/fault"
	"github.com/vaultnode/vaultnode/internal/node"
	"github.com/vaultnode/vaultnode/internal/service"
)

// maxAnswer bounds what the client reads of one answer.
const maxAnswer = 256 << 20

// Client calls one daemon.
type Client struct {
	base  string
	token func(role string) string
	hc    *http.Client
}

var _ service.Service = (*Client)(nil)

// BaseURL is the API URL an --api value names (a URL, or a multiaddr as
// kubo's --api takes), or s itself when it is neither.
func BaseURL(s string) string {
	if strings.HasPrefix(s, "/") {
		if u, err := apiURLOfMultiaddr(s); err == nil {
			return u
		}
	}
	return strings.TrimRight(s, "/")
}

// Option configures a Client.
type Option func(*options)

type options struct {
	certFile string
}

// PinCert makes the client trust, for an https API, only the certificate in
// the PEM file (the repo's api.crt, or the CA of the API's certificate);
// "" keeps the system's roots.
func PinCert(file string) Option { return func(o *options) { o.certFile = file } }

// New is a client of the daemon whose API is at base (https://host:port,
// http://host:port, or a multiaddr); token returns the bearer token to send
// for a role ("" sends none).
func New(base string, token func(role string) string, opts ...Option) (*Client, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if strings.HasPrefix(base, "/") {
		// A multiaddr, as kubo's --api takes: /ip4/127.0.0.1/tcp/5780[/https].
		u, err := apiURLOfMultiaddr(base)
		if err != nil {
			return nil, fault.Usagef("daemon API address %q: %v", base, err)
		}
		base = u
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fault.Usagef("daemon API address %q: want http://HOST:PORT or a multiaddr /ip4/HOST/tcp/PORT", base)
	}
	if token == nil {
		token = func(string) string { return "" }
	}
	hc := http.DefaultClient
	if u.Scheme == "https" {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if o.certFile != "" {
			pem, err := os.ReadFile(o.certFile)
			if err != nil {
				return nil, fault.Usagef("API certificate (--api-cert): %v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fault.Usagef("API certificate %s: no PEM certificate in it", o.certFile)
			}
			tc.RootCAs = pool
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = tc
		hc = &http.Client{Transport: tr}
	} else if o.certFile != "" {
		return nil, fault.Usagef("an API certificate (--api-cert) was given for a plain http:// API address %s: use https://", base)
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, hc: hc}, nil
}

// request is one API call.
type request struct {
	role, method, path string
	ctype              string
	header             map[string]string
	body               io.Reader
}

// do sends r and returns the answer's body; an error answer becomes the
// error of its class (fault.FromAPI) with the daemon's message.
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, r.body)
	if err != nil {
		return nil, fault.AsUsage(fmt.Errorf("daemon API: %w", err))
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	// Errors as {"error","code"}, also on the FHIR routes.
	req.Header.Set("Accept", "application/json")
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if t := c.token(r.role); r.role != "" && t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ua x509.UnknownAuthorityError
		var hn x509.HostnameError
		if errors.As(err, &ua) || errors.As(err, &hn) {
			return nil, &fault.Error{Class: fault.Usage, Msg: fmt.Sprintf("the daemon at %s has a certificate this client does not trust: %v (pin the daemon's certificate, its repo's api.crt, with --api-cert FILE or $VAULTNODE_API_CERT)", c.base, err)}
		}
		return nil, &fault.Error{Class: fault.Internal, Msg: fmt.Sprintf("the daemon at %s does not answer: %v", c.base, err)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("daemon at %s: reading the answer: %w", c.base, err)
	}
	// A write the daemon journaled because the chain is unreachable is
	// answered 202 with the error body of class "pending".
	if resp.StatusCode >= 300 || (resp.StatusCode == http.StatusAccepted && bytes.Contains(b, []byte(`"code":"pending"`))) {
		var e struct {
			Error string `json:"error"`
			Code  string `json:"code"`
		}
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = fmt.Sprintf("the daemon answered %s: %s", resp.Status, bytes.TrimSpace(b[:min(len(b), 200)]))
		}
		return b, fault.FromAPI(resp.StatusCode, e.Code, e.Error)
	}
	return b, nil
}

// call sends r and decodes a JSON answer into out (when not nil).
func (c *Client) call(ctx context.Context, r request, out any) error {
	b, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%w: the daemon's answer to %s %s is not what the API documents: %v", node.ErrIntegrity, r.method, r.path, err)
	}
	return nil
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

func (c *Client) Identity(ctx context.Context) (*service.Identity, error) {
	var id service.Identity
	if err := c.call(ctx, request{method: "GET", path: "/v1/id"}, &id); err != nil {
		return nil, err
	}
	id.API = c.base
	return &id, nil
}

func (c *Client) RecallImpact(ctx context.Context, model, firmware string) (*service.RecallImpact, error) {
	var ri service.RecallImpact
	q := url.Values{"model": {model}, "firmware": {firmware}}
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/recalls/impact?" + q.Encode()}, &ri); err != nil {
		return nil, err
	}
	return &ri, nil
}

func (c *Client) ConsortiumRecallImpact(ctx context.Context, model, firmware string) (*service.ConsortiumRecallImpact, error) {
	var ri service.ConsortiumRecallImpact
	q := url.Values{"model": {model}, "firmware": {firmware}}
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/recalls/impact/consortium?" + q.Encode()}, &ri); err != nil {
		return nil, err
	}
	return &ri, nil
}

func (c *Client) RecordUpdate(ctx context.Context, device, version string, from, to [32]byte, sig []byte) (*service.UpdateResult, error) {
	var r service.UpdateResult
	body := map[string]string{"version": version, "fromImage": hex.EncodeToString(from[:]), "toImage": hex.EncodeToString(to[:]),
		"signature": base64.StdEncoding.EncodeToString(sig)}
	if err := c.call(ctx, request{role: "device", method: "POST", path: "/v1/devices/" + url.PathEscape(device) + "/updates", ctype: "application/json", body: jsonBody(body)}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func (c *Client) ReleaseQuarantine(ctx context.Context, device string) (bool, error) {
	var r struct {
		Released bool `json:"released"`
	}
	if err := c.call(ctx, request{role: "operator", method: "DELETE", path: "/v1/devices/" + url.PathEscape(device) + "/quarantine"}, &r); err != nil {
		return false, err
	}
	return r.Released, nil
}

func (c *Client) RecordCustody(ctx context.Context, device, step, patient string) (*service.CustodyResult, error) {
	var r service.CustodyResult
	body := map[string]string{"step": step}
	if patient != "" {
		body["patient"] = patient
	}
	if err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/devices/" + url.PathEscape(device) + "/custody", ctype: "application/json", body: jsonBody(body)}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func (c *Client) Implants(ctx context.Context, patient string) ([]service.Implant, error) {
	var r []service.Implant
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/patients/" + url.PathEscape(patient) + "/implants"}, &r); err != nil {
		return nil, err
	}
	return r, nil
}

func (c *Client) AdmitManufacturer(ctx context.Context, account, signingKey, name string) (*service.Manufacturer, error) {
	var m service.Manufacturer
	err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/manufacturers", ctype: "application/json",
		body: jsonBody(map[string]string{"account": account, "signingKey": signingKey, "name": name})}, &m)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func (c *Client) FHIRDevices(ctx context.Context) (map[string]any, error) {
	var b map[string]any
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/devices?format=fhir"}, &b); err != nil {
		return nil, err
	}
	return b, nil
}

func (c *Client) DeviceHistory(ctx context.Context, id string) (*service.DeviceHistory, error) {
	var h service.DeviceHistory
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/devices/" + url.PathEscape(id) + "/history"}, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

func (c *Client) EnrollUnit(ctx context.Context, id, udi string, pub ed25519.PublicKey) (service.Device, error) {
	var out service.Device
	err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/devices/units", ctype: "application/json",
		body: jsonBody(map[string]string{"id": id, "udi": udi, "publicKey": hex.EncodeToString(pub)})}, &out)
	return out, err
}

func (c *Client) EnrollDevice(ctx context.Context, id string) (service.Device, ed25519.PrivateKey, error) {
	var out struct {
		service.Device
		Seed string `json:"privateKeySeed"`
	}
	err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/devices", ctype: "application/json", body: jsonBody(map[string]string{"id": id})}, &out)
	if err != nil {
		return service.Device{}, nil, err
	}
	seed, err := hex.DecodeString(out.Seed)
	defer clear(seed)
	if err != nil || len(seed) != ed25519.SeedSize {
		return service.Device{}, nil, fmt.Errorf("%w: the daemon sent a malformed device key", node.ErrIntegrity)
	}
	return out.Device, ed25519.NewKeyFromSeed(seed), nil
}

func (c *Client) RevokeDevice(ctx context.Context, id string) (service.Device, error) {
	var d service.Device
	err := c.call(ctx, request{role: "operator", method: "DELETE", path: "/v1/devices/" + url.PathEscape(id)}, &d)
	return d, err
}

func (c *Client) Devices(ctx context.Context) ([]service.Device, error) {
	var ds []service.Device
	err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/devices"}, &ds)
	return ds, err
}

func (c *Client) CreatePatient(ctx context.Context, mrn string, streams []string) (service.Patient, error) {
	var p service.Patient
	err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/patients", ctype: "application/json",
		body: jsonBody(map[string]any{"mrn": mrn, "streams": streams})}, &p)
	return p, err
}

func (c *Client) Patients(ctx context.Context) ([]service.Patient, error) {
	var ps []service.Patient
	err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/patients"}, &ps)
	return ps, err
}

func (c *Client) Ingest(ctx context.Context, device string, batch io.Reader) (*service.Receipt, error) {
	var rc service.Receipt
	err := c.call(ctx, request{role: "device", method: "POST", path: "/v1/readings?device=" + url.QueryEscape(device), ctype: "application/x-ndjson", body: batch}, &rc)
	if err != nil {
		return nil, err
	}
	return &rc, nil
}

func (c *Client) IngestFHIR(ctx context.Context, device string, doc []byte, sig []byte, fw *service.Firmware) (*service.Receipt, error) {
	var rc service.Receipt
	h := map[string]string{"X-Vaultnode-Signature": base64.StdEncoding.EncodeToString(sig)}
	if fw != nil {
		h[node.FirmwareHeaderName] = service.FirmwareHeader(fw)
	}
	err := c.call(ctx, request{role: "device", method: "POST", path: "/fhir?device=" + url.QueryEscape(device), ctype: "application/fhir+json",
		header: h, body: bytes.NewReader(doc)}, &rc)
	if err != nil {
		return nil, err
	}
	return &rc, nil
}

func (c *Client) Grant(ctx context.Context, r service.GrantRequest) (*service.GrantResult, error) {
	var res service.GrantResult
	err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/grants", ctype: "application/json", body: jsonBody(service.GrantBodyOf(r))}, &res)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (c *Client) Revoke(ctx context.Context, id string) (*service.Revocation, error) {
	var rv service.Revocation
	if err := c.call(ctx, request{role: "operator", method: "DELETE", path: "/v1/grants/" + url.PathEscape(id)}, &rv); err != nil {
		return nil, err
	}
	return &rv, nil
}

func (c *Client) GrantStatus(ctx context.Context, id string) (*service.GrantView, error) {
	var v service.GrantView
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/grants/" + url.PathEscape(id)}, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

func (c *Client) ImportConsent(ctx context.Context, consent []byte, m, n int) (*service.ConsentResult, error) {
	var res service.ConsentResult
	err := c.call(ctx, request{role: "operator", method: "POST", path: fmt.Sprintf("/fhir/Consent?threshold=%d&proxies=%d", m, n),
		ctype: "application/fhir+json", body: bytes.NewReader(consent)}, &res)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (c *Client) Audit(ctx context.Context, patient string) ([]service.AuditEntry, error) {
	q := "/v1/audit"
	if patient != "" {
		q += "?patient=" + url.QueryEscape(patient)
	}
	var es []service.AuditEntry
	err := c.call(ctx, request{role: "operator", method: "GET", path: q}, &es)
	return es, err
}

func (c *Client) CreatePatientToken(ctx context.Context, name, patient string, ttl time.Duration) (*service.CreatedToken, error) {
	var out service.CreatedToken
	b := service.PatientTokenBody{Name: name, Patient: patient, Expires: int64(ttl / time.Second)}
	return &out, c.call(ctx, request{role: "operator", method: "POST", path: "/v1/tokens/patient", ctype: "application/json", body: jsonBody(b)}, &out)
}

func (c *Client) ProveClaim(ctx context.Context, r service.ClaimRequest) (*service.Claim, error) {
	var claim service.Claim
	if err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/claims", ctype: "application/json", body: jsonBody(r)}, &claim); err != nil {
		return nil, err
	}
	return &claim, nil
}

func (c *Client) Disclosures(ctx context.Context, patient, requestRef string) (*service.DisclosureReport, error) {
	var rep service.DisclosureReport
	q := url.Values{}
	if patient != "" {
		q.Set("patient", patient)
	}
	if requestRef != "" {
		q.Set("requestRef", requestRef)
	}
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/audit/disclosures?" + q.Encode()}, &rep); err != nil {
		return nil, err
	}
	return &rep, nil
}

func (c *Client) Verify(ctx context.Context, roots []cid.Cid, patient string) ([]service.VerifyResult, error) {
	q := url.Values{}
	for _, r := range roots {
		q.Add("cid", r.String())
	}
	if patient != "" {
		q.Set("patient", patient)
	}
	var res []service.VerifyResult
	if err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/verify?" + q.Encode()}, &res); err != nil {
		return nil, err
	}
	return res, service.VerifyError(res)
}

func (c *Client) Erase(ctx context.Context, patient, requestRef, reason string) (*service.Erasure, error) {
	b, err := c.do(ctx, request{role: "dpo", method: "POST", path: "/v1/erasures", ctype: "application/json",
		body: jsonBody(service.EraseBody{Patient: patient, RequestRef: requestRef, Reason: reason})})
	if err != nil {
		return nil, err
	}
	var cert struct {
		ErasureID string   `json:"erasureId"`
		Pending   []string `json:"pending"`
	}
	if err := json.Unmarshal(b, &cert); err != nil {
		return nil, fmt.Errorf("%w: the daemon's erasure certificate is not JSON: %v", node.ErrIntegrity, err)
	}
	if cert.Pending == nil {
		cert.Pending = []string{}
	}
	return &service.Erasure{ID: cert.ErasureID, Certificate: b, Pending: cert.Pending}, nil
}

func (c *Client) RefuseErasure(ctx context.Context, patient, requestRef, ground, reason string) ([]byte, error) {
	b, err := c.do(ctx, request{role: "dpo", method: "POST", path: "/v1/erasures/refusals", ctype: "application/json",
		body: jsonBody(service.RefusalBody{Patient: patient, RequestRef: requestRef, Ground: ground, Reason: reason})})
	return b, err
}

func (c *Client) VerifyErasure(ctx context.Context, certificate []byte) (*service.ErasureCheck, error) {
	var chk service.ErasureCheck
	if err := c.call(ctx, request{method: "POST", path: "/v1/erasures/verify", ctype: "application/json", body: bytes.NewReader(certificate)}, &chk); err != nil {
		return nil, err
	}
	return &chk, nil
}

func (c *Client) VerifyClaim(ctx context.Context, claim []byte) (*service.ClaimVerification, error) {
	var v service.ClaimVerification
	if err := c.call(ctx, request{method: "POST", path: "/v1/claims/verify", ctype: "application/json", body: bytes.NewReader(claim)}, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

func (c *Client) Members(ctx context.Context) ([]service.Member, error) {
	var ms []service.Member
	err := c.call(ctx, request{role: "operator", method: "GET", path: "/v1/members"}, &ms)
	return ms, err
}

func (c *Client) AddMember(ctx context.Context, account, peerID, proxyKey string) (*service.Member, error) {
	var m service.Member
	err := c.call(ctx, request{role: "operator", method: "POST", path: "/v1/members", ctype: "application/json",
		body: jsonBody(map[string]string{"account": account, "peerId": peerID, "proxyKey": proxyKey})}, &m)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Close does nothing: a client holds no connection of its own.
func (c *Client) Close() error { return nil }

// apiURLOfMultiaddr turns /ip4|ip6|dns|dns4|dns6/HOST/tcp/PORT[/http|/https]
// into the URL of the API.
func apiURLOfMultiaddr(s string) (string, error) {
	m, err := ma.NewMultiaddr(s)
	if err != nil {
		return "", err
	}
	var host, port string
	scheme := "http"
	for _, c := range m {
		switch c.Protocol().Code {
		case ma.P_IP4, ma.P_DNS, ma.P_DNS4, ma.P_DNS6:
			host = c.Value()
		case ma.P_IP6:
			host = "[" + c.Value() + "]"
		case ma.P_TCP:
			port = c.Value()
		case ma.P_HTTP:
		case ma.P_HTTPS:
			scheme = "https"
		default:
			return "", fmt.Errorf("protocol %s is not an HTTP API address", c.Protocol().Name)
		}
	}
	if host == "" || port == "" {
		return "", fmt.Errorf("want a host and a tcp port")
	}
	return scheme + "://" + host + ":" + port, nil
}
