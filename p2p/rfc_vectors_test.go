package p2p

// Known-answer tests against vectors published in RFCs, for the primitives
// the proxies use: HPKE (RFC 9180) in exactly the suite and mode kfrags are
// sealed with, and Ed25519 (RFC 8032), which signs re-encryption requests
// and grantee keys (and, in reencrypt/, kfrags).
//
// Every value below is copied from the RFC text (section cited above each
// table), not produced by the code under test.

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudflare/circl/hpke"
)

func rfcHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex in test vector %q: %v", s, err)
	}
	return b
}

// RFC 9180, Appendix A.2.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// ChaCha20Poly1305, Base Setup Information): mode 0, kem_id 32, kdf_id 1,
// aead_id 3 — kfragSuite, used in base mode by SealKFragFor / OpenKFrag.
const (
	rfc9180A21Info         = "4f6465206f6e2061204772656369616e2055726e"
	rfc9180A21IkmE         = "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b"
	rfc9180A21PkEm         = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a"
	rfc9180A21SkEm         = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600"
	rfc9180A21IkmR         = "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df"
	rfc9180A21PkRm         = "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a"
	rfc9180A21SkRm         = "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb"
	rfc9180A21Enc          = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a"
	rfc9180A21SharedSecret = "0bbe78490412b4bbea4812666f7916932b828bba79942424abb65244930d69a7"
)

// RFC 9180, Appendix A.2.1.1 (Encryptions): the sequence numbers the RFC
// lists, all with pt "Beauty is truth, truth beauty" and aad "Count-<seq>".
const rfc9180A21Pt = "4265617574792069732074727574682c20747275746820626561757479"

var rfc9180A21Encryptions = []struct {
	seq     int
	aad, ct string
}{
	{0, "436f756e742d30",
		"1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"},
	{1, "436f756e742d31",
		"6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c"},
	{2, "436f756e742d32",
		"71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b"},
	{4, "436f756e742d34",
		"63357a2aa291f5a4e5f27db6baa2af8cf77427c7c1a909e0b37214dd47db122bb153495ff0b02e9e54a50dbe16"},
	{255, "436f756e742d323535",
		"18ab939d63ddec9f6ac2b60d61d36a7375d2070c9b683861110757062c52b8880a5f6b3936da9cd6c23ef2a95c"},
	{256, "436f756e742d323536",
		"7a4a13e9ef23978e2c520fd4d2e757514ae160cd0cd05e556ef692370ca53076214c0c40d4c728d6ed9e727a5b"},
}

// RFC 9180, Appendix A.2.1.2 (Exported Values), L = 32.
var rfc9180A21Exports = []struct{ context, value string }{
	{"", "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e"},
	{"00", "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69"},
	{"54657374436f6e74657874", "5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53"},
}

// TestRFC9180HPKEBaseX25519ChaCha20Poly1305 drives circl's HPKE through the
// same API the kfrag sealing uses (kfragKEM, kfragSuite, ProxyKeyFromSeed,
// NewSender/Setup/Seal, NewReceiver/Setup/Open). circl's Setup draws the
// ephemeral key as DeriveKeyPair(ikmE) from the reader it is given, so
// feeding it the vector's ikmE makes sealing fully deterministic: enc, every
// listed ciphertext and every exported value are checked, not only opening.
func TestRFC9180HPKEBaseX25519ChaCha20Poly1305(t *testing.T) {
	if kfragKEM != hpke.KEM_X25519_HKDF_SHA256 || kfragSuite != hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305) {
		t.Fatal("kfragSuite is no longer DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305: use that suite's RFC 9180 vectors")
	}
	s := kfragKEM.Scheme()
	info := rfcHex(t, rfc9180A21Info)
	ikmE := rfcHex(t, rfc9180A21IkmE)

	// DeriveKeyPair(ikmR) is how a proxy key comes from its keystore seed.
	proxy, err := ProxyKeyFromSeed(rfcHex(t, rfc9180A21IkmR))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := proxy.PublicBytes(), rfcHex(t, rfc9180A21PkRm); !bytes.Equal(got, want) {
		t.Errorf("ProxyKeyFromSeed(ikmR) public key = %x, RFC 9180 A.2.1 pkRm %x", got, want)
	}
	if got, _ := proxy.priv.MarshalBinary(); !bytes.Equal(got, rfcHex(t, rfc9180A21SkRm)) {
		t.Errorf("ProxyKeyFromSeed(ikmR) private key = %x, RFC 9180 A.2.1 skRm %s", got, rfc9180A21SkRm)
	}
	pkE, skE := s.DeriveKeyPair(ikmE)
	if got, _ := pkE.MarshalBinary(); !bytes.Equal(got, rfcHex(t, rfc9180A21PkEm)) {
		t.Errorf("DeriveKeyPair(ikmE) public key = %x, RFC 9180 A.2.1 pkEm %s", got, rfc9180A21PkEm)
	}
	if got, _ := skE.MarshalBinary(); !bytes.Equal(got, rfcHex(t, rfc9180A21SkEm)) {
		t.Errorf("DeriveKeyPair(ikmE) private key = %x, RFC 9180 A.2.1 skEm %s", got, rfc9180A21SkEm)
	}

	// The KEM alone: Encap with ikmE, Decap with skR.
	pkR, err := s.UnmarshalBinaryPublicKey(rfcHex(t, rfc9180A21PkRm))
	if err != nil {
		t.Fatal(err)
	}
	enc, ss, err := s.EncapsulateDeterministically(pkR, ikmE)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, rfcHex(t, rfc9180A21Enc)) {
		t.Errorf("Encap enc = %x, RFC 9180 A.2.1 %s", enc, rfc9180A21Enc)
	}
	if !bytes.Equal(ss, rfcHex(t, rfc9180A21SharedSecret)) {
		t.Errorf("Encap shared_secret = %x, RFC 9180 A.2.1 %s", ss, rfc9180A21SharedSecret)
	}
	if ss2, err := s.Decapsulate(proxy.priv, rfcHex(t, rfc9180A21Enc)); err != nil || !bytes.Equal(ss2, rfcHex(t, rfc9180A21SharedSecret)) {
		t.Errorf("Decap shared_secret = %x (%v), RFC 9180 A.2.1 %s", ss2, err, rfc9180A21SharedSecret)
	}

	// SetupBaseS / SetupBaseR and the context's Seal, Open and Export.
	sender, err := kfragSuite.NewSender(pkR, info)
	if err != nil {
		t.Fatal(err)
	}
	enc, sealer, err := sender.Setup(bytes.NewReader(ikmE))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, rfcHex(t, rfc9180A21Enc)) {
		t.Fatalf("Setup enc = %x, RFC 9180 A.2.1 %s", enc, rfc9180A21Enc)
	}
	receiver, err := kfragSuite.NewReceiver(proxy.priv, info)
	if err != nil {
		t.Fatal(err)
	}
	opener, err := receiver.Setup(enc)
	if err != nil {
		t.Fatal(err)
	}

	pt := rfcHex(t, rfc9180A21Pt)
	listed := map[int]int{}
	for i, e := range rfc9180A21Encryptions {
		listed[e.seq] = i
	}
	last := rfc9180A21Encryptions[len(rfc9180A21Encryptions)-1].seq
	for seq := 0; seq <= last; seq++ {
		aad := []byte("Count-" + strconv.Itoa(seq))
		ct, err := sealer.Seal(pt, aad)
		if err != nil {
			t.Fatalf("seq %d: Seal: %v", seq, err)
		}
		if i, ok := listed[seq]; ok {
			e := rfc9180A21Encryptions[i]
			if want := rfcHex(t, e.aad); !bytes.Equal(aad, want) {
				t.Fatalf("seq %d: aad %x, RFC lists %x", seq, aad, want)
			}
			want := rfcHex(t, e.ct)
			if !bytes.Equal(ct, want) {
				t.Errorf("seq %d: Seal = %x, RFC 9180 A.2.1.1 ct %x", seq, ct, want)
			}
			ct = want // the receiver opens the RFC's ciphertext
		}
		got, err := opener.Open(ct, aad)
		if err != nil {
			t.Fatalf("seq %d: Open: %v", seq, err)
		}
		if !bytes.Equal(got, pt) {
			t.Errorf("seq %d: Open = %x, want %x", seq, got, pt)
		}
	}

	for _, x := range rfc9180A21Exports {
		want := rfcHex(t, x.value)
		ctx := rfcHex(t, x.context)
		if got := sealer.Export(ctx, 32); !bytes.Equal(got, want) {
			t.Errorf("sender Export(%x, 32) = %x, RFC 9180 A.2.1.2 %x", ctx, got, want)
		}
		if got := opener.Export(ctx, 32); !bytes.Equal(got, want) {
			t.Errorf("receiver Export(%x, 32) = %x, RFC 9180 A.2.1.2 %x", ctx, got, want)
		}
	}
}

// RFC 8032, Section 7.1 (Test Vectors for Ed25519): TEST 1, TEST 2, TEST 3
// and TEST SHA(abc) (whose message is SHA-512("abc")).
var rfc8032Ed25519 = []struct {
	name, secret, public, msg, sig string
}{
	{
		"TEST 1",
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" +
			"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
	},
	{
		"TEST 2",
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
			"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
	},
	{
		"TEST 3",
		"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
		"af82",
		"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac" +
			"18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
	},
	{
		"TEST SHA(abc)",
		"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		"ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
		"ddaf35a193617abacc417349ae204131" +
			"12e6fa4e89a97ea20a9eeee64b55d39a" +
			"2192992a274fc1a836ba3c23a3feebbd" +
			"454d4423643ce80e2a9ac94fa54ca49f",
		"dc2a4459e7369633a52b1bf277839a00" +
			"201009a3efbf3ecb69bea2186c26b589" +
			"09351fc9ac90b3ecfdfbc7c66431e030" +
			"3dca179c138ac17ad9bef1177331a704",
	},
}

// TestRFC8032Ed25519 checks crypto/ed25519 (NewKeyFromSeed, Sign, Verify) as
// the grantee keys and request signatures use it.
func TestRFC8032Ed25519(t *testing.T) {
	for _, v := range rfc8032Ed25519 {
		seed, pub := rfcHex(t, v.secret), rfcHex(t, v.public)
		msg, sig := rfcHex(t, v.msg), rfcHex(t, v.sig)

		priv := ed25519.NewKeyFromSeed(seed)
		if got := priv.Public().(ed25519.PublicKey); !bytes.Equal(got, pub) {
			t.Errorf("%s: public key %x, RFC 8032 7.1 gives %x", v.name, got, pub)
		}
		if got := ed25519.Sign(priv, msg); !bytes.Equal(got, sig) {
			t.Errorf("%s: signature %x, RFC 8032 7.1 gives %x", v.name, got, sig)
		}
		if !ed25519.Verify(pub, msg, sig) {
			t.Errorf("%s: Verify rejects the RFC signature", v.name)
		}
		bad := append([]byte(nil), sig...)
		bad[0] ^= 1
		if ed25519.Verify(pub, msg, bad) {
			t.Errorf("%s: Verify accepts a signature with a flipped bit", v.name)
		}
		if ed25519.Verify(pub, append(append([]byte(nil), msg...), 0), sig) {
			t.Errorf("%s: Verify accepts the signature for another message", v.name)
		}
	}
}
