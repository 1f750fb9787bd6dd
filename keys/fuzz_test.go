package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// FuzzDecodeHeader: the KEYSTORE header decoder never panics, accepts only
// valid headers, and a decoded header re-encodes to one that decodes the same.
func FuzzDecodeHeader(f *testing.F) {
	h, err := newHeader(make([]byte, keystoreIDLen), testPass(), testArgon2, make([]byte, dataKeySize), newDetReader("fz"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(h.encode())
	kf, _ := KeyFileBytes(bytes.Repeat([]byte{1}, 32))
	h2, _ := newHeader(make([]byte, keystoreIDLen), kf, testArgon2, make([]byte, dataKeySize), newDetReader("fz"))
	f.Add(h2.encode())
	f.Add([]byte(`{"format":"vaultnode-keystore","version":1}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := decodeHeader(b)
		if err != nil {
			return
		}
		h2, err := decodeHeader(h.encode())
		if err != nil {
			t.Fatalf("re-encoded header does not decode: %v", err)
		}
		if !bytes.Equal(h.ad(), h2.ad()) || !bytes.Equal(h.WrappedKey, h2.WrappedKey) || !bytes.Equal(h.Nonce, h2.Nonce) {
			t.Fatal("header changed across re-encoding")
		}
	})
}

// FuzzDecodeRecords: every record decoder never panics, and whatever it
// accepts is canonical (re-encodes to the same bytes).
func FuzzDecodeRecords(f *testing.F) {
	pub := make([]byte, ed25519.PublicKeySize)
	seeds := [][]byte{
		(&nodeRecord{identity: []byte{8, 1, 18, 64, 1}, tagKey: make([]byte, 32), created: 5}).encode(),
		(&deviceRecord{id: "cgm-1", pub: pub, status: DeviceActive, enrolled: 1, seed: make([]byte, 32)}).encode(),
		(&deviceRecord{id: "cgm-1", pub: pub, status: DeviceRevoked, enrolled: 1, revoked: 2}).encode(),
		(&rootRecord{root: make([]byte, 32), created: 7}).encode(),
		(&metaRecord{mrn: "MRN-1"}).encode(),
		(&streamRecord{sk: make([]byte, 32), pk: make([]byte, 34), created: 1}).encode(),
		(&mrnRecord{pseudonym: make([]byte, 32)}).encode(),
		(&tombstoneRecord{destroyed: 1, keyIDs: []KeyID{{1}, {2}}}).encode(),
		(&backupPatient{root: make([]byte, 32), created: 1, mrn: "M"}).encode(),
		(&backupStream{name: "ecg", rec: streamRecord{sk: make([]byte, 32), pk: make([]byte, 34), created: 1}}).encode(),
		(&backupTomb{tomb: tombstoneRecord{destroyed: 1, keyIDs: []KeyID{{3}}}}).encode(),
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	f.Add(uint8(5), (&streamRecord{sk: make([]byte, 32), pk: make([]byte, 34), created: 1, // with key epochs
		epochs: []epochKey{{sk: make([]byte, 32), pk: make([]byte, 34), created: 2}}}).encode())
	// Indexed like seeds: kind%11 picks the decoder.
	decoders := [...]func([]byte) ([]byte, bool){
		reencoder(decodeNodeRecord), reencoder(decodeDeviceRecord), reencoder(decodeDeviceRecord),
		reencoder(decodeRootRecord), reencoder(decodeMetaRecord), reencoder(decodeStreamRecord),
		reencoder(decodeMRNRecord), reencoder(decodeTombstoneRecord), reencoder(decodeBackupPatient),
		reencoder(decodeBackupStream), reencoder(decodeBackupTomb),
	}
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		k := int(kind) % len(decoders)
		if enc, ok := decoders[k](b); ok && !bytes.Equal(enc, b) {
			t.Fatalf("kind %d: accepted a non-canonical encoding", k)
		}
	})
}

// reencoder is decode followed by the record's encode: the re-encoding of b,
// and whether decode accepted b.
func reencoder[T interface{ encode() []byte }](decode func([]byte) (T, error)) func([]byte) ([]byte, bool) {
	return func(b []byte) ([]byte, bool) {
		r, err := decode(b)
		if err != nil {
			return nil, false
		}
		return r.encode(), true
	}
}

// FuzzOpenValue: decrypting a stored value never panics and accepts nothing
// but an authentic value for its key.
func FuzzOpenValue(f *testing.F) {
	a, _ := chacha20poly1305.NewX(make([]byte, 32))
	ks := &Keystore{id: make([]byte, 16), opts: Options{Rand: newDetReader("ov")}}
	k := []byte("p/key")
	good := ks.seal(a, k, []byte("record"))
	f.Add(good)
	f.Add(good[:10])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, v []byte) {
		pt, err := openValue(a, ks.id, k, v)
		if err == nil && (!bytes.Equal(v, good) || string(pt) != "record") {
			t.Fatal("accepted a forged value")
		}
	})
}

// FuzzBackupPayload: the decrypted backup payload decoder never panics and
// accepts only canonical payloads.
func FuzzBackupPayload(f *testing.F) {
	pt := seedBackupPayload()
	f.Add(pt)
	f.Add(pt[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeBackupPayload(b)
		if err != nil {
			return
		}
		if !bytes.Equal(c.encode(), b) {
			t.Fatal("accepted a non-canonical payload")
		}
	})
}

// seedBackupPayload is a valid payload with one of each entry kind.
func seedBackupPayload() []byte {
	p := Pseudonym{1}
	c := &backupContents{
		node:    &nodeRecord{identity: []byte{8, 1, 18, 64, 1}, tagKey: make([]byte, 32), created: 5},
		devices: []*deviceRecord{{id: "cgm-1", pub: make([]byte, 32), status: DeviceActive, enrolled: 1, seed: make([]byte, 32)}},
		patients: []*backupPatient{{p: p, root: make([]byte, 32), created: 1, mrn: "MRN-F", streams: []*backupStream{
			{p: p, name: "glucose", rec: streamRecord{sk: make([]byte, 32), pk: make([]byte, 34), created: 1}}}}},
		tombs: []*backupTomb{{tag: Tag{2}, tomb: tombstoneRecord{destroyed: 1, keyIDs: []KeyID{{3}}}}},
	}
	return c.encode()
}

// FuzzBackupFile: the backup file parser (framing, header, decryption)
// never panics on arbitrary bytes and accepts nothing that was altered.
func FuzzBackupFile(f *testing.F) {
	kf, _ := KeyFileBytes(bytes.Repeat([]byte{5}, 32))
	good, err := sealBackup(seedBackupPayload(), kf, testArgon2, newDetReader("fzf"))
	if err != nil {
		f.Fatal(err)
	}
	pass, err := sealBackup(seedBackupPayload(), testPass(), testArgon2, newDetReader("fzp"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(pass)
	f.Add(good[:len(backupMagic)+4])
	f.Add([]byte(backupMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, _, _, err := splitBackup(b)
		if err != nil {
			return
		}
		if h.KDF == kdfArgon2id && (h.Argon2.MemoryKiB > 1024 || h.Argon2.Time > 2) {
			t.Skip("expensive KDF parameters")
		}
		for _, cred := range []Credential{kf, testPass()} {
			_, pt, err := openBackup(b, cred)
			if err == nil && !bytes.Equal(b, good) && !bytes.Equal(b, pass) {
				t.Fatal("accepted an altered backup")
			}
			wipe(pt)
		}
	})
}

// FuzzDecodeTLV: the generic field decoder never panics; accepted input is
// fully consumed with strictly increasing tags.
func FuzzDecodeTLV(f *testing.F) {
	f.Add([]byte{1, 2, 'a', 'b', 3, 0})
	f.Add([]byte{1, 0x80, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := decodeTLV("fuzz", b, ^uint64(1), 0)
		if err != nil {
			return
		}
		var w tlvWriter
		for tag := byte(1); tag <= maxTag; tag++ {
			if fl.has(tag) {
				w.bytes(tag, fl.v[tag])
			}
		}
		if !bytes.Equal(w.b, b) && !(len(b) == 0 && len(w.b) == 0) {
			t.Fatalf("non-canonical TLV accepted: %x", b)
		}
		_ = binary.MaxVarintLen64
	})
}

// FuzzParseInputs: the parsers and validators of caller input (pseudonym
// text, stream names, device ids, MRNs) never panic, and an accepted
// pseudonym round-trips.
func FuzzParseInputs(f *testing.F) {
	f.Add("0000000000000000000000000000000000000000000000000000000000000000")
	f.Add("glucose")
	f.Add("cgm-17")
	f.Add("MRN\x00")
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParsePseudonym(s); err == nil {
			if q, err := ParsePseudonym(p.String()); err != nil || q != p {
				t.Fatalf("pseudonym %q does not round-trip", s)
			}
		}
		if ValidateStreamName(s) == nil && (len(s) == 0 || len(s) > maxStreamLen) {
			t.Fatalf("stream name %q accepted", s)
		}
		if ValidateDeviceID(s) == nil && (len(s) == 0 || len(s) > maxDeviceIDLen) {
			t.Fatalf("device id %q accepted", s)
		}
		_ = ValidateMRN(s)
	})
}
