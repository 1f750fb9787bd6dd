package zkclaim

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc"
	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/pedersen"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// Encodings (version 1). Points are gnark-crypto's compressed encodings (G1 32 bytes, G2 64 bytes), decoded
// with the on-curve and subgroup checks. Integers are big-endian. The proof and verifying-key encodings are
// parsed here, field by field, with every count fixed by the kind, because gnark's own decoders allocate
// whatever length prefix the input claims: a verifier reads these from strangers. Decoding then encoding
// gives back the same bytes.
//
//	proof:         "VNZP" 0x01 kind  Ar(G1) Bs(G2) Krs(G1)  n(u8)  n × commitment(G1)  pok(G1)
//	verifying key: "VNZV" 0x01 kind  capacity(u32)  α β δ (G1)  β γ δ (G2)  K[nbPublic+1+n] (G1)
//	               n × (G, GSigmaNeg) (G2)  n × (m(u8), m × committed public index(u16))
//	proving key:   "VNZK" 0x01 kind  capacity(u32)  len(u64) constraint system (gnark)  len(u64) proving key
//	               (gnark, uncompressed)  SHA-256 of everything before it
//
// n is the kind's number of commitments (0 for exceeds, 1 for count and range); for exceeds pok is the
// point at infinity. The proving key is the custodian's own file, too large to parse by hand; its checksum
// is verified before gnark sees a byte, so a damaged file is refused instead of decoded.

const codecVersion = 1

var (
	proofMagic = []byte("VNZP")
	vkMagic    = []byte("VNZV")
	pkMagic    = []byte("VNZK")
)

// ErrEncoding is wrapped by every decoding failure.
var ErrEncoding = errors.New("zkclaim: malformed encoding")

// maxPKFile bounds a proving-key file (a capacity-8192 count key should be about 1.3 GB uncompressed, by its
// point counts).
const maxPKFile = 8 << 30

const (
	g1Size = curve.SizeOfG1AffineCompressed
	g2Size = curve.SizeOfG2AffineCompressed
)

// reader consumes a byte slice; the first failure sticks and the remaining reads return zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrEncoding, fmt.Sprintf(format, args...))
	}
}

func (r *reader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < n {
		r.fail("%s: %d bytes left, need %d", what, len(r.b), n)
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u8(what string) uint8 {
	if b := r.take(1, what); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16(what string) uint16 {
	if b := r.take(2, what); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32(what string) uint32 {
	if b := r.take(4, what); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64(what string) uint64 {
	if b := r.take(8, what); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

func (r *reader) g1(p *curve.G1Affine, what string) {
	if b := r.take(g1Size, what); b != nil && !isCompressed(b[0]) {
		r.fail("%s: not a compressed G1 point", what)
	} else if b != nil {
		if _, err := p.SetBytes(b); err != nil {
			r.fail("%s: %v", what, err)
		}
	}
}

func (r *reader) g2(p *curve.G2Affine, what string) {
	if b := r.take(g2Size, what); b != nil && !isCompressed(b[0]) {
		r.fail("%s: not a compressed G2 point", what)
	} else if b != nil {
		if _, err := p.SetBytes(b); err != nil {
			r.fail("%s: %v", what, err)
		}
	}
}

// isCompressed reads gnark-crypto's metadata bits (the top two): 0b10 and 0b11 are compressed points,
// 0b01 the compressed point at infinity; 0b00 is uncompressed, which would make SetBytes read past the
// fixed-size slot.
func isCompressed(b byte) bool { return b&0b1100_0000 != 0 }

// header reads magic, version and kind.
func (r *reader) header(magic []byte, what string) Kind {
	if m := r.take(len(magic), what+" magic"); m != nil && !bytes.Equal(m, magic) {
		r.fail("%s: magic %q, want %q", what, m, magic)
	}
	if v := r.u8(what + " version"); r.err == nil && v != codecVersion {
		r.fail("%s: version %d, want %d", what, v, codecVersion)
	}
	k := Kind(r.u8(what + " kind"))
	if r.err == nil && !k.valid() {
		r.fail("%s: unknown kind %d", what, k)
	}
	return k
}

func (r *reader) end(what string) error {
	if r.err == nil && len(r.b) != 0 {
		r.fail("%s: %d trailing bytes", what, len(r.b))
	}
	return r.err
}

func appendG1(b []byte, p *curve.G1Affine) []byte { x := p.Bytes(); return append(b, x[:]...) }
func appendG2(b []byte, p *curve.G2Affine) []byte { x := p.Bytes(); return append(b, x[:]...) }

// MarshalBinary encodes a proof.
func (p *Proof) MarshalBinary() ([]byte, error) {
	if len(p.proof.Commitments) > 255 {
		return nil, fmt.Errorf("zkclaim: proof with %d commitments", len(p.proof.Commitments))
	}
	b := append(append([]byte(nil), proofMagic...), codecVersion, byte(p.Kind))
	b = appendG1(b, &p.proof.Ar)
	b = appendG2(b, &p.proof.Bs)
	b = appendG1(b, &p.proof.Krs)
	b = append(b, byte(len(p.proof.Commitments)))
	for i := range p.proof.Commitments {
		b = appendG1(b, &p.proof.Commitments[i])
	}
	return appendG1(b, &p.proof.CommitmentPok), nil
}

// UnmarshalProof decodes a proof; its number of commitments must be its kind's.
func UnmarshalProof(data []byte) (*Proof, error) {
	r := &reader{b: data}
	kind := r.header(proofMagic, "proof")
	p := &groth16bn254.Proof{}
	r.g1(&p.Ar, "proof Ar")
	r.g2(&p.Bs, "proof Bs")
	r.g1(&p.Krs, "proof Krs")
	n := int(r.u8("proof commitment count"))
	if r.err == nil && n != shapes[kind].nbCommitments {
		r.fail("%s proof with %d commitments, want %d", kind, n, shapes[kind].nbCommitments)
	}
	if r.err == nil && n > 0 {
		p.Commitments = make([]curve.G1Affine, n)
		for i := range p.Commitments {
			r.g1(&p.Commitments[i], "proof commitment")
		}
	}
	r.g1(&p.CommitmentPok, "proof commitment pok")
	if r.err == nil && n == 0 && !p.CommitmentPok.IsInfinity() {
		r.fail("proof without commitments carries a commitment proof")
	}
	if err := r.end("proof"); err != nil {
		return nil, err
	}
	return &Proof{Kind: kind, proof: p}, nil
}

// MarshalBinary encodes a verifying key.
func (vk *VerifyingKey) MarshalBinary() ([]byte, error) {
	v := vk.vk
	b := append(append([]byte(nil), vkMagic...), codecVersion, byte(vk.Kind))
	b = binary.BigEndian.AppendUint32(b, uint32(vk.Capacity))
	b = appendG1(b, &v.G1.Alpha)
	b = appendG1(b, &v.G1.Beta)
	b = appendG1(b, &v.G1.Delta)
	b = appendG2(b, &v.G2.Beta)
	b = appendG2(b, &v.G2.Gamma)
	b = appendG2(b, &v.G2.Delta)
	sh := shapes[vk.Kind]
	if len(v.G1.K) != sh.nbPublic+1+sh.nbCommitments || len(v.CommitmentKeys) != sh.nbCommitments ||
		len(v.PublicAndCommitmentCommitted) != sh.nbCommitments {
		return nil, fmt.Errorf("zkclaim: %s verifying key of an unexpected shape (%d K points, %d commitments)",
			vk.Kind, len(v.G1.K), len(v.CommitmentKeys))
	}
	for i := range v.G1.K {
		b = appendG1(b, &v.G1.K[i])
	}
	for i := range v.CommitmentKeys {
		b = appendG2(b, &v.CommitmentKeys[i].G)
		b = appendG2(b, &v.CommitmentKeys[i].GSigmaNeg)
	}
	for _, committed := range v.PublicAndCommitmentCommitted {
		b = append(b, byte(len(committed)))
		for _, idx := range committed {
			b = binary.BigEndian.AppendUint16(b, uint16(idx))
		}
	}
	return b, nil
}

// UnmarshalVerifyingKey decodes a verifying key.
func UnmarshalVerifyingKey(data []byte) (*VerifyingKey, error) {
	r := &reader{b: data}
	kind := r.header(vkMagic, "verifying key")
	capacity := int(r.u32("verifying key capacity"))
	if r.err == nil {
		if _, err := checkCapacity(capacity); err != nil {
			r.fail("verifying key: %v", err)
		}
	}
	v := &groth16bn254.VerifyingKey{}
	r.g1(&v.G1.Alpha, "vk alpha")
	r.g1(&v.G1.Beta, "vk beta1")
	r.g1(&v.G1.Delta, "vk delta1")
	r.g2(&v.G2.Beta, "vk beta2")
	r.g2(&v.G2.Gamma, "vk gamma2")
	r.g2(&v.G2.Delta, "vk delta2")
	if r.err != nil {
		return nil, r.err
	}
	sh := shapes[kind]
	v.G1.K = make([]curve.G1Affine, sh.nbPublic+1+sh.nbCommitments)
	for i := range v.G1.K {
		r.g1(&v.G1.K[i], "vk K")
	}
	if sh.nbCommitments > 0 {
		v.CommitmentKeys = make([]pedersen.VerifyingKey, sh.nbCommitments)
		v.PublicAndCommitmentCommitted = make([][]int, sh.nbCommitments)
	}
	for i := range v.CommitmentKeys {
		r.g2(&v.CommitmentKeys[i].G, "vk commitment key G")
		r.g2(&v.CommitmentKeys[i].GSigmaNeg, "vk commitment key GSigmaNeg")
	}
	for i := range v.PublicAndCommitmentCommitted {
		m := int(r.u8("vk committed count"))
		if r.err == nil && m > sh.nbPublic {
			r.fail("vk commits to %d public inputs of %d", m, sh.nbPublic)
		}
		if r.err != nil {
			break
		}
		v.PublicAndCommitmentCommitted[i] = make([]int, m)
		for j := range v.PublicAndCommitmentCommitted[i] {
			idx := int(r.u16("vk committed index"))
			if r.err == nil && (idx < 1 || idx > sh.nbPublic) {
				r.fail("vk committed index %d outside [1, %d]", idx, sh.nbPublic)
			}
			v.PublicAndCommitmentCommitted[i][j] = idx
		}
	}
	if err := r.end("verifying key"); err != nil {
		return nil, err
	}
	if err := v.Precompute(); err != nil {
		return nil, fmt.Errorf("%w: verifying key: %w", ErrEncoding, err)
	}
	return &VerifyingKey{Kind: kind, Capacity: capacity, vk: v}, nil
}

// WriteTo writes the proving key in its file encoding.
func (pk *ProvingKey) WriteTo(w io.Writer) (int64, error) {
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(w, h)}
	head := append(append([]byte(nil), pkMagic...), codecVersion, byte(pk.Kind))
	head = binary.BigEndian.AppendUint32(head, uint32(pk.Capacity))
	if _, err := cw.Write(head); err != nil {
		return cw.n, err
	}
	// Each part is length-prefixed, so it is buffered once to learn its length.
	var part bytes.Buffer
	for _, wt := range []func(io.Writer) (int64, error){pk.ccs.WriteTo, pk.pk.WriteRawTo} {
		part.Reset()
		if _, err := wt(&part); err != nil {
			return cw.n, fmt.Errorf("zkclaim: encode %s proving key: %w", pk.Kind, err)
		}
		if _, err := cw.Write(binary.BigEndian.AppendUint64(nil, uint64(part.Len()))); err != nil {
			return cw.n, err
		}
		if _, err := cw.Write(part.Bytes()); err != nil {
			return cw.n, err
		}
	}
	n, err := w.Write(h.Sum(nil))
	return cw.n + int64(n), err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// UnmarshalProvingKey decodes a proving key file's bytes: header and checksum first, then gnark's decoders.
func UnmarshalProvingKey(data []byte) (*ProvingKey, error) {
	if len(data) < sha256.Size {
		return nil, fmt.Errorf("%w: proving key: %d bytes", ErrEncoding, len(data))
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	r := &reader{b: body}
	kind := r.header(pkMagic, "proving key")
	capacity := int(r.u32("proving key capacity"))
	if r.err == nil {
		if _, err := checkCapacity(capacity); err != nil {
			r.fail("proving key: %v", err)
		}
	}
	if r.err == nil {
		if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
			r.fail("proving key: checksum mismatch (damaged file)")
		}
	}
	ccsBytes := r.take(int(min(r.u64("ccs length"), uint64(len(body)+1))), "constraint system")
	pkBytes := r.take(int(min(r.u64("pk length"), uint64(len(body)+1))), "proving key body")
	if err := r.end("proving key"); err != nil {
		return nil, err
	}
	ccs := groth16.NewCS(ecc.BN254)
	if _, err := ccs.ReadFrom(bytes.NewReader(ccsBytes)); err != nil {
		return nil, fmt.Errorf("%w: proving key constraint system: %w", ErrEncoding, err)
	}
	if got, want := ccs.GetNbPublicVariables(), shapes[kind].nbPublic+1; got != want {
		return nil, fmt.Errorf("%w: %s constraint system with %d public variables, want %d", ErrEncoding, kind, got, want)
	}
	pk := &groth16bn254.ProvingKey{}
	// The checksum has vouched for the bytes: skip the subgroup checks of millions of points. A wrong key
	// could only make the custodian's own proofs fail verification.
	if _, err := pk.UnsafeReadFrom(bytes.NewReader(pkBytes)); err != nil {
		return nil, fmt.Errorf("%w: proving key body: %w", ErrEncoding, err)
	}
	return &ProvingKey{Kind: kind, Capacity: capacity, ccs: ccs, pk: pk}, nil
}

// WriteProvingKeyFile and WriteVerifyingKeyFile write a key to path, atomically (temporary file, rename).
func WriteProvingKeyFile(path string, pk *ProvingKey) error {
	return writeFileAtomic(path, func(w io.Writer) error { _, err := pk.WriteTo(w); return err })
}

func WriteVerifyingKeyFile(path string, vk *VerifyingKey) error {
	b, err := vk.MarshalBinary()
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// ReadProvingKeyFile and ReadVerifyingKeyFile read what the writers wrote.
func ReadProvingKeyFile(path string) (*ProvingKey, error) {
	b, err := readFileLimited(path, maxPKFile)
	if err != nil {
		return nil, err
	}
	pk, err := UnmarshalProvingKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pk, nil
}

func ReadVerifyingKeyFile(path string) (*VerifyingKey, error) {
	b, err := readFileLimited(path, 1<<20)
	if err != nil {
		return nil, err
	}
	vk, err := UnmarshalVerifyingKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return vk, nil
}

func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("zkclaim: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("zkclaim: read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrEncoding, path, limit)
	}
	return b, nil
}

func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("zkclaim: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("zkclaim: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("zkclaim: sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("zkclaim: close %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("zkclaim: %w", err)
	}
	return nil
}
