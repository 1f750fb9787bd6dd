package store

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ipfs/boxo/ipld/merkledag"
	blocks "github.com/ipfs/go-block-format"
	cid "github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
	"golang.org/x/crypto/hkdf"

	"github.com/vaultnode/vaultnode/store/merkle"
)

// Kind says what a sealed batch holds.
type Kind uint8

const (
	// KindReadings: canonical readings with a Merkle root over them.
	KindReadings Kind = 1
	// KindBlob: opaque bytes (bulk files, exports).
	KindBlob Kind = 2
)

// Limits of the batch format.
const (
	// DefaultChunkSize is the plaintext bytes per chunk block when
	// SealParams.ChunkSize is 0 (kubo's default chunk size too).
	DefaultChunkSize = 256 << 10
	// MinChunkSize and MaxChunkSize bound SealParams.ChunkSize. A chunk's
	// block (ciphertext + 16-byte tag) is at most MaxBlockSize < 1 MiB.
	MinChunkSize = 1 << 10
	MaxChunkSize = MaxBlockSize - 16
	// MaxChunks bounds the links of a root node (which must stay a valid block).
	MaxChunks = 16384
	// MaxCapsuleSize bounds the capsule stored in the root node.
	MaxCapsuleSize = 4096
	// MaxBatchReadings bounds the readings of one batch.
	MaxBatchReadings = 1 << 20
)

// SealParams are the inputs of sealing besides the data.
type SealParams struct {
	// DEK is the batch data key (from reencrypt.Encapsulate). Use a fresh
	// DEK per batch. Seal does not keep it.
	DEK *[32]byte
	// Capsule is the DEK's encapsulation, stored opaque in the root node and
	// bound into every chunk's associated data.
	Capsule []byte
	// StreamTag is the keyed stream tag committed on chain.
	StreamTag [32]byte
	// Seq is the batch sequence number within the stream.
	Seq uint64
	// Stream and Patient: for readings, every reading must carry exactly
	// these (a batch is one stream of one patient), else ErrUnknownStream.
	Stream  string
	Patient [32]byte
	// ChunkSize in plaintext bytes; 0 means DefaultChunkSize.
	ChunkSize int
}

// Header is the metadata in a batch root node, everything needed (with the
// DEK) to decrypt and verify the batch. Its encoding is in docs/STORE.md.
type Header struct {
	Version    uint8
	Kind       Kind
	StreamTag  [32]byte
	Seq        uint64
	Count      uint32   // readings (0 for blobs)
	MerkleRoot [32]byte // root of the readings' salted hashes (zero for blobs)
	Nonce      [32]byte // random per batch; makes chunk keys unique even if a DEK were reused
	ChunkSize  uint32
	ChunkCount uint32
	PlainLen   uint64
	Capsule    []byte
}

// SealedBatch is a sealed batch ready to store: its blocks (chunks first,
// root last) and root CID. It holds ciphertext only.
type SealedBatch struct {
	Root   cid.Cid
	Header Header
	Blocks []blocks.Block
}

// Getter serves the batch's blocks from memory: a batch just sealed opens
// without being stored (OpenBatch(ctx, sb.Getter(), sb.Root, dek)).
func (b *SealedBatch) Getter() BlockGetter {
	m := make(memBlocks, len(b.Blocks))
	for _, bl := range b.Blocks {
		m[bl.Cid().KeyString()] = bl
	}
	return m
}

type memBlocks map[string]blocks.Block

func (m memBlocks) GetBlock(_ context.Context, c cid.Cid) (blocks.Block, error) {
	if b, ok := m[c.KeyString()]; ok {
		return b, nil
	}
	return nil, ipld.ErrNotFound{Cid: c}
}

// Size returns the total bytes of the batch's blocks.
func (b *SealedBatch) Size() int {
	n := 0
	for _, bl := range b.Blocks {
		n += len(bl.RawData())
	}
	return n
}

const headerVersion = 1

var headerMagic = [3]byte{'V', 'N', 'B'}

const headerFixed = 3 + 1 + 1 + 32 + 8 + 4 + 32 + 32 + 4 + 4 + 8 + 2

// MarshalBinary encodes the header (docs/STORE.md "Root node").
func (h *Header) MarshalBinary() ([]byte, error) {
	if len(h.Capsule) == 0 || len(h.Capsule) > MaxCapsuleSize {
		return nil, fmt.Errorf("%w: capsule of %d bytes (1..%d)", ErrInvalidParams, len(h.Capsule), MaxCapsuleSize)
	}
	b := make([]byte, 0, headerFixed+len(h.Capsule))
	b = append(b, headerMagic[:]...)
	b = append(b, h.Version, byte(h.Kind))
	b = append(b, h.StreamTag[:]...)
	b = binary.BigEndian.AppendUint64(b, h.Seq)
	b = binary.BigEndian.AppendUint32(b, h.Count)
	b = append(b, h.MerkleRoot[:]...)
	b = append(b, h.Nonce[:]...)
	b = binary.BigEndian.AppendUint32(b, h.ChunkSize)
	b = binary.BigEndian.AppendUint32(b, h.ChunkCount)
	b = binary.BigEndian.AppendUint64(b, h.PlainLen)
	b = binary.BigEndian.AppendUint16(b, uint16(len(h.Capsule)))
	b = append(b, h.Capsule...)
	return b, nil
}

// UnmarshalHeader decodes and validates a header (the Data of a root node).
func UnmarshalHeader(b []byte) (*Header, error) {
	if len(b) < headerFixed || [3]byte(b[:3]) != headerMagic {
		return nil, fmt.Errorf("%w: bad magic or short header (%d bytes)", ErrNotBatch, len(b))
	}
	h := &Header{Version: b[3], Kind: Kind(b[4])}
	if h.Version != headerVersion {
		return nil, fmt.Errorf("%w: header version %d, this build reads %d", ErrNotBatch, h.Version, headerVersion)
	}
	p := 5
	copy(h.StreamTag[:], b[p:])
	p += 32
	h.Seq = binary.BigEndian.Uint64(b[p:])
	h.Count = binary.BigEndian.Uint32(b[p+8:])
	p += 12
	copy(h.MerkleRoot[:], b[p:])
	p += 32
	copy(h.Nonce[:], b[p:])
	p += 32
	h.ChunkSize = binary.BigEndian.Uint32(b[p:])
	h.ChunkCount = binary.BigEndian.Uint32(b[p+4:])
	h.PlainLen = binary.BigEndian.Uint64(b[p+8:])
	capLen := int(binary.BigEndian.Uint16(b[p+16:]))
	p += 18
	if len(b)-p != capLen {
		return nil, fmt.Errorf("%w: capsule length %d but %d bytes follow", ErrNotBatch, capLen, len(b)-p)
	}
	h.Capsule = append([]byte(nil), b[p:]...)
	if err := h.validate(); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *Header) validate() error {
	switch {
	case h.Kind != KindReadings && h.Kind != KindBlob:
		return fmt.Errorf("%w: unknown kind %d", ErrNotBatch, h.Kind)
	case len(h.Capsule) == 0 || len(h.Capsule) > MaxCapsuleSize:
		return fmt.Errorf("%w: capsule of %d bytes", ErrNotBatch, len(h.Capsule))
	case h.ChunkSize < MinChunkSize || h.ChunkSize > MaxChunkSize:
		return fmt.Errorf("%w: chunk size %d", ErrNotBatch, h.ChunkSize)
	case h.ChunkCount > MaxChunks:
		return fmt.Errorf("%w: %d chunks", ErrNotBatch, h.ChunkCount)
	case uint64(h.ChunkCount) != (h.PlainLen+uint64(h.ChunkSize)-1)/uint64(h.ChunkSize):
		return fmt.Errorf("%w: %d chunks cannot hold %d bytes in chunks of %d", ErrNotBatch, h.ChunkCount, h.PlainLen, h.ChunkSize)
	case h.Kind == KindReadings && (h.Count == 0 || h.Count > MaxBatchReadings || uint64(h.Count) > h.PlainLen/minReadingSize):
		return fmt.Errorf("%w: readings batch with %d readings in %d bytes", ErrNotBatch, h.Count, h.PlainLen)
	case h.Kind == KindBlob && (h.Count != 0 || h.MerkleRoot != [32]byte{}):
		return fmt.Errorf("%w: blob with a reading count or Merkle root", ErrNotBatch)
	}
	return nil
}

// batchKeys are the per-batch keys derived from the DEK and the batch nonce.
type batchKeys struct {
	aead    cipher.AEAD
	saltKey [32]byte
}

func deriveKeys(dek *[32]byte, nonce *[32]byte) (*batchKeys, error) {
	var okm [64]byte
	defer clear(okm[:])
	r := hkdf.New(sha256.New, dek[:], nonce[:], []byte("vaultnode/store/v1 batch keys"))
	if _, err := io.ReadFull(r, okm[:]); err != nil {
		return nil, fmt.Errorf("store: derive batch keys: %w", err)
	}
	g, err := newChunkAEAD(okm[:32])
	if err != nil {
		return nil, err
	}
	k := &batchKeys{aead: g}
	copy(k.saltKey[:], okm[32:])
	return k, nil
}

func (k *batchKeys) wipe() { clear(k.saltKey[:]) }

// salts returns n 32-byte salts: AES-256-CTR keystream under the salt key
// (counter block zero, then up; the whole 128-bit block counts).
func (k *batchKeys) salts(n int) ([][32]byte, error) {
	out := make([][32]byte, n)
	buf, err := saltStream(&k.saltKey, 32*n)
	if err != nil {
		return nil, err
	}
	for i := range out {
		copy(out[i][:], buf[32*i:])
	}
	clear(buf)
	return out, nil
}

// bindDigest is the part of every chunk's associated data that binds it to
// its batch: kind, stream tag, sequence, nonce, chunk size and capsule.
func bindDigest(h *Header) [32]byte {
	d := sha256.New()
	d.Write([]byte("vaultnode/store/v1 chunk-ad"))
	var b [1 + 32 + 8 + 32 + 4 + 2]byte
	b[0] = byte(h.Kind)
	copy(b[1:], h.StreamTag[:])
	binary.BigEndian.PutUint64(b[33:], h.Seq)
	copy(b[41:], h.Nonce[:])
	binary.BigEndian.PutUint32(b[73:], h.ChunkSize)
	binary.BigEndian.PutUint16(b[77:], uint16(len(h.Capsule)))
	d.Write(b[:])
	d.Write(h.Capsule)
	var out [32]byte
	d.Sum(out[:0])
	return out
}

// chunkAD is bindDigest || u64 index || u8 final; chunkNonce is
// u64 index || 3 zero bytes || u8 final (the STREAM construction of age:
// chunks cannot be reordered, dropped at the end, or moved between batches).
func chunkAD(bind *[32]byte, i uint64, final bool) (ad [41]byte, nonce [12]byte) {
	copy(ad[:], bind[:])
	binary.BigEndian.PutUint64(ad[32:], i)
	binary.BigEndian.PutUint64(nonce[:], i)
	if final {
		ad[40], nonce[11] = 1, 1
	}
	return ad, nonce
}

var (
	rawPrefix  = cid.Prefix{Version: 1, Codec: cid.Raw, MhType: mh.SHA2_256, MhLength: -1}
	rootPrefix = cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256}
)

func rawBlock(data []byte) (blocks.Block, error) {
	c, err := rawPrefix.Sum(data)
	if err != nil {
		return nil, fmt.Errorf("store: hash chunk: %w", err)
	}
	return blocks.NewBlockWithCid(data, c)
}

func checkParams(p *SealParams) (int, error) {
	if p.DEK == nil {
		return 0, fmt.Errorf("%w: no DEK", ErrInvalidParams)
	}
	if len(p.Capsule) == 0 || len(p.Capsule) > MaxCapsuleSize {
		return 0, fmt.Errorf("%w: capsule of %d bytes (1..%d)", ErrInvalidParams, len(p.Capsule), MaxCapsuleSize)
	}
	cs := p.ChunkSize
	if cs == 0 {
		cs = DefaultChunkSize
	}
	if cs < MinChunkSize || cs > MaxChunkSize {
		return 0, fmt.Errorf("%w: chunk size %d (%d..%d)", ErrInvalidParams, cs, MinChunkSize, MaxChunkSize)
	}
	return cs, nil
}

// Seal encrypts readings into a batch: canonical encoding, salted Merkle
// tree, AES-256-GCM chunks under keys derived from the DEK, and a dag-pb root
// node holding the header and links to the chunks. It does no I/O; store the
// result with Store.PutBatch(es). Bad input (no readings, a reading too large
// or malformed, a reading of another stream or patient) is refused before
// anything is produced.
func Seal(p SealParams, readings []Reading) (*SealedBatch, error) {
	cs, err := checkParams(&p)
	if err != nil {
		return nil, err
	}
	if len(readings) == 0 {
		return nil, ErrEmptyBatch
	}
	if len(readings) > MaxBatchReadings {
		return nil, fmt.Errorf("%w: %d readings (limit %d)", ErrBatchTooLarge, len(readings), MaxBatchReadings)
	}
	if p.Stream == "" {
		return nil, fmt.Errorf("%w: no stream name", ErrInvalidParams)
	}
	// Encode; record each reading's end offset.
	size := 0
	for i := range readings {
		r := &readings[i]
		if err := checkReading(r); err != nil {
			return nil, fmt.Errorf("reading %d: %w", i, err)
		}
		if r.Stream != p.Stream {
			return nil, fmt.Errorf("reading %d: %w: stream %q, batch stream %q", i, ErrUnknownStream, r.Stream, p.Stream)
		}
		if r.Patient != p.Patient {
			return nil, fmt.Errorf("reading %d: %w: another patient", i, ErrUnknownStream)
		}
		size += encodedSize(r)
	}
	chunks := (size + cs - 1) / cs
	if chunks > MaxChunks {
		return nil, fmt.Errorf("%w: %d bytes of readings", ErrBatchTooLarge, size)
	}
	// One buffer holds plaintext and, after in-place encryption, ciphertext.
	buf := make([]byte, 0, size+16*chunks)
	ends := make([]int, len(readings))
	for i := range readings {
		buf = AppendReading(buf, &readings[i])
		ends[i] = len(buf)
	}
	h := Header{
		Version: headerVersion, Kind: KindReadings, StreamTag: p.StreamTag, Seq: p.Seq,
		Count: uint32(len(readings)), ChunkSize: uint32(cs), ChunkCount: uint32(chunks),
		PlainLen: uint64(len(buf)), Capsule: append([]byte(nil), p.Capsule...),
	}
	if _, err := rand.Read(h.Nonce[:]); err != nil {
		return nil, fmt.Errorf("store: batch nonce: %w", err)
	}
	keys, err := deriveKeys(p.DEK, &h.Nonce)
	if err != nil {
		return nil, err
	}
	defer keys.wipe()
	salts, err := keys.salts(len(readings))
	if err != nil {
		return nil, err
	}
	leaves := make([][32]byte, len(readings))
	start := 0
	for i, end := range ends {
		leaves[i] = readingLeaf(&salts[i], buf[start:end])
		start = end
	}
	clear(salts)
	h.MerkleRoot = merkle.Root(leaves)
	sb, err := sealChunks(&h, keys, buf)
	clear(buf[:cap(buf)])
	return sb, err
}

// sealChunks encrypts plain (len(plain)+16*chunks <= cap(plain)) chunk by
// chunk into fresh blocks and builds the root node.
func sealChunks(h *Header, keys *batchKeys, plain []byte) (*SealedBatch, error) {
	bind := bindDigest(h)
	cs := int(h.ChunkSize)
	n := int(h.ChunkCount)
	out := make([]byte, 0, len(plain)+16*n)
	bl := make([]blocks.Block, 0, n+1)
	for i := 0; i < n; i++ {
		pt := plain[i*cs : min((i+1)*cs, len(plain))]
		ad, nonce := chunkAD(&bind, uint64(i), i == n-1)
		at := len(out)
		out = keys.aead.Seal(out, nonce[:], pt, ad[:])
		b, err := rawBlock(out[at:len(out):len(out)])
		if err != nil {
			return nil, err
		}
		bl = append(bl, b)
	}
	refs := make([]chunkRef, len(bl))
	for i, b := range bl {
		refs[i] = chunkRef{b.Cid(), len(b.RawData())}
	}
	root, err := buildRoot(h, refs)
	if err != nil {
		return nil, err
	}
	bl = append(bl, root)
	return &SealedBatch{Root: root.Cid(), Header: *h, Blocks: bl}, nil
}

// chunkRef is a chunk's CID and block size, as linked from the root.
type chunkRef struct {
	c    cid.Cid
	size int
}

func buildRoot(h *Header, chunks []chunkRef) (blocks.Block, error) {
	hb, err := h.MarshalBinary()
	if err != nil {
		return nil, err
	}
	nd := merkledag.NodeWithData(hb)
	if err := nd.SetCidBuilder(rootPrefix); err != nil {
		return nil, fmt.Errorf("store: root builder: %w", err)
	}
	links := make([]*ipld.Link, len(chunks))
	for i, c := range chunks {
		links[i] = &ipld.Link{Cid: c.c, Size: uint64(c.size)}
	}
	if err := nd.SetLinks(links); err != nil {
		return nil, fmt.Errorf("store: root links: %w", err)
	}
	raw := nd.RawData()
	if len(raw) > MaxBlockSize {
		return nil, fmt.Errorf("%w: root node of %d bytes", ErrBatchTooLarge, len(raw))
	}
	return blocks.NewBlockWithCid(raw, nd.Cid())
}

// BlockGetter is what opening or replicating a batch needs: the Store, a
// boxo blockservice or blockservice session (which fetch over bitswap), or
// any boxo blockstore wrapped with FromBlockstore.
type BlockGetter interface {
	GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error)
}

// FromBlockstore adapts a boxo blockstore (Get) to a BlockGetter.
func FromBlockstore(bs interface {
	Get(context.Context, cid.Cid) (blocks.Block, error)
}) BlockGetter {
	return blockstoreGetter{bs}
}

type blockstoreGetter struct {
	bs interface {
		Get(context.Context, cid.Cid) (blocks.Block, error)
	}
}

func (g blockstoreGetter) GetBlock(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	return g.bs.Get(ctx, c)
}

// getBlock fetches c and checks it; failures that mean "the data is not
// what the CID promises" are *IntegrityError naming c.
func getBlock(ctx context.Context, bg BlockGetter, c cid.Cid, what string) ([]byte, error) {
	b, err := bg.GetBlock(ctx, c)
	if err != nil {
		var ie *IntegrityError
		if errors.As(err, &ie) {
			return nil, err
		}
		if ipld.IsNotFound(err) {
			return nil, integrityErr(c, what+" is missing", err)
		}
		return nil, fmt.Errorf("store: get %s %s: %w", what, c, err)
	}
	if err := verifyBlock(c, b.RawData()); err != nil {
		return nil, err
	}
	return b.RawData(), nil
}

// ReadRoot fetches and decodes a batch root: its header (with the capsule
// needed to recover the DEK) and its chunk CIDs.
func ReadRoot(ctx context.Context, bg BlockGetter, root cid.Cid) (*Header, []cid.Cid, error) {
	_, h, cs, err := readRoot(ctx, bg, root)
	return h, cs, err
}

// readRoot is ReadRoot that also returns the root block's verified bytes.
func readRoot(ctx context.Context, bg BlockGetter, root cid.Cid) ([]byte, *Header, []cid.Cid, error) {
	if root.Type() != cid.DagProtobuf || root.Prefix().MhType != mh.SHA2_256 {
		return nil, nil, nil, fmt.Errorf("%w: %s is not a dag-pb sha2-256 CID", ErrNotBatch, root)
	}
	// Through a bitswap session the root is asked for again when it stalls,
	// like chunks: a want sent to a peer that restarted meanwhile (same peer
	// id, new process) is never answered, and a replica asked to copy a
	// batch just before its custodian was killed waited for the root until
	// its fetch timed out.
	var raw []byte
	if err := fetchInOrder(ctx, bg, []cid.Cid{root}, "batch root", func(_ int, d []byte) error { raw = d; return nil }); err != nil {
		return nil, nil, nil, err
	}
	h, cs, err := decodeRoot(root, raw)
	return raw, h, cs, err
}

// DecodeRoot decodes the bytes of a batch root node (not checked against a
// CID; ReadRoot does that).
func DecodeRoot(raw []byte) (*Header, []cid.Cid, error) {
	return decodeRoot(cid.Undef, raw)
}

func decodeRoot(root cid.Cid, raw []byte) (*Header, []cid.Cid, error) {
	nd, err := merkledag.DecodeProtobuf(raw)
	if err != nil {
		return nil, nil, integrityErr(root, "root is not dag-pb", fmt.Errorf("%w: %w", ErrNotBatch, err))
	}
	h, err := UnmarshalHeader(nd.Data())
	if err != nil {
		return nil, nil, integrityErr(root, "bad batch header", err)
	}
	links := nd.Links()
	if len(links) != int(h.ChunkCount) {
		return nil, nil, integrityErr(root, fmt.Sprintf("header says %d chunks, node links %d", h.ChunkCount, len(links)), ErrNotBatch)
	}
	cids := make([]cid.Cid, len(links))
	for i, l := range links {
		p := l.Cid.Prefix()
		if p.Version != 1 || p.Codec != cid.Raw || p.MhType != mh.SHA2_256 {
			return nil, nil, integrityErr(root, fmt.Sprintf("chunk link %d is %s, not a raw sha2-256 CIDv1", i, l.Cid), ErrNotBatch)
		}
		cids[i] = l.Cid
	}
	return h, cids, nil
}

// decryptChunks fetches, checks and decrypts every chunk into one buffer.
func decryptChunks(ctx context.Context, bg BlockGetter, h *Header, chunks []cid.Cid, keys *batchKeys, root cid.Cid, w func([]byte) error) error {
	bind := bindDigest(h)
	var total uint64
	var pt []byte
	err := fetchInOrder(ctx, bg, chunks, "chunk", func(i int, ct []byte) error {
		c := chunks[i]
		final := i == len(chunks)-1
		var err error
		ad, nonce := chunkAD(&bind, uint64(i), final)
		pt, err = keys.aead.Open(pt[:0], nonce[:], ct, ad[:])
		if err != nil {
			return integrityErr(c, fmt.Sprintf("chunk %d does not authenticate (altered, swapped, reordered or wrong key)", i), nil)
		}
		if (!final && len(pt) != int(h.ChunkSize)) || len(pt) > int(h.ChunkSize) || len(pt) == 0 {
			return integrityErr(c, fmt.Sprintf("chunk %d has %d bytes, chunk size %d", i, len(pt), h.ChunkSize), nil)
		}
		total += uint64(len(pt))
		return w(pt)
	})
	clear(pt)
	if err != nil {
		return err
	}
	if total != h.PlainLen {
		return integrityErr(root, fmt.Sprintf("decrypted %d bytes, header says %d", total, h.PlainLen), nil)
	}
	return nil
}

// OpenedBatch is a decrypted, verified readings batch.
type OpenedBatch struct {
	Root     cid.Cid
	Header   Header
	Readings []Reading
	leaves   [][32]byte
	salts    [][32]byte
}

// Proof returns the inclusion proof of reading i against Header.MerkleRoot.
func (o *OpenedBatch) Proof(i int) (*Proof, error) {
	if i < 0 || i >= len(o.leaves) {
		return nil, fmt.Errorf("%w: no reading %d in a batch of %d", ErrProof, i, len(o.leaves))
	}
	path, err := merkle.InclusionProof(o.leaves, i)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}
	return &Proof{Index: uint32(i), Count: uint32(len(o.leaves)), Salt: o.salts[i], Path: path}, nil
}

// OpenBatch fetches the batch at root, decrypts it with dek and verifies
// everything: block hashes, chunk authentication (binding capsule, stream
// tag, sequence, index and end), sizes, reading count and Merkle root. Any
// failure is an *IntegrityError naming the CID at fault (a wrong DEK shows as
// the first chunk failing to authenticate). The caller should compare
// Header.StreamTag, Seq, Count and MerkleRoot with the on-chain commitment.
func OpenBatch(ctx context.Context, bg BlockGetter, root cid.Cid, dek *[32]byte) (*OpenedBatch, error) {
	h, chunks, keys, err := openRoot(ctx, bg, root, dek, KindReadings)
	if err != nil {
		return nil, err
	}
	defer keys.wipe()
	// Grow with the data that authenticates, not with what the header claims.
	plain := make([]byte, 0, min(h.PlainLen, 16<<20))
	err = decryptChunks(ctx, bg, h, chunks, keys, root, func(p []byte) error {
		plain = append(plain, p...)
		return nil
	})
	defer clear(plain)
	if err != nil {
		return nil, err
	}
	salts, err := keys.salts(int(h.Count))
	if err != nil {
		return nil, err
	}
	o := &OpenedBatch{Root: root, Header: *h, Readings: make([]Reading, 0, h.Count), salts: salts,
		leaves: make([][32]byte, 0, h.Count)}
	enc := make([]byte, 0, 256)
	for p := 0; p < len(plain); {
		if len(o.Readings) == int(h.Count) {
			return nil, integrityErr(root, fmt.Sprintf("more than the %d readings the header declares", h.Count), nil)
		}
		var prev *Reading
		if k := len(o.Readings); k > 0 {
			prev = &o.Readings[k-1]
		}
		r, n, err := decodeReading(plain[p:], prev)
		if err != nil {
			return nil, integrityErr(root, fmt.Sprintf("reading %d does not decode", len(o.Readings)), err)
		}
		// The leaf hashes these bytes; the reading handed on must be exactly
		// what they say: it re-encodes to them (a decoder that dropped or
		// changed a field would fail here). With the root check below this
		// ties each decoded reading to the committed root, as VerifyAll does,
		// without hashing twice. (The decoder validated the fields.)
		if enc = AppendReading(enc[:0], &r); !bytes.Equal(enc, plain[p:p+n]) {
			return nil, integrityErr(root, fmt.Sprintf("reading %d is not in its canonical encoding", len(o.Readings)), nil)
		}
		o.leaves = append(o.leaves, readingLeaf(&salts[len(o.Readings)], plain[p:p+n]))
		o.Readings = append(o.Readings, r)
		p += n
	}
	if len(o.Readings) != int(h.Count) {
		return nil, integrityErr(root, fmt.Sprintf("%d readings, header declares %d", len(o.Readings), h.Count), nil)
	}
	if merkle.Root(o.leaves) != h.MerkleRoot {
		return nil, integrityErr(root, "readings do not hash to the header's Merkle root", nil)
	}
	return o, nil
}

// Open is OpenBatch on this store.
func (s *Store) Open(ctx context.Context, root cid.Cid, dek *[32]byte) (*OpenedBatch, error) {
	return OpenBatch(ctx, s, root, dek)
}

// openRoot reads and checks the root of a sealed object of kind want and
// derives its chunk keys from dek (the caller wipes them).
func openRoot(ctx context.Context, bg BlockGetter, root cid.Cid, dek *[32]byte, want Kind) (*Header, []cid.Cid, *batchKeys, error) {
	h, chunks, err := ReadRoot(ctx, bg, root)
	if err != nil {
		return nil, nil, nil, err
	}
	if h.Kind != want {
		what := map[Kind]string{KindReadings: "readings", KindBlob: "a blob"}
		return nil, nil, nil, fmt.Errorf("%w: %s holds %s, not %s", ErrNotBatch, root, what[h.Kind], what[want])
	}
	keys, err := deriveKeys(dek, &h.Nonce)
	if err != nil {
		return nil, nil, nil, err
	}
	return h, chunks, keys, nil
}
