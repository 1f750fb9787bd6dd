package p2p

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
)

// Every p2p protocol message and every access-log record is a frame: its
// length as a 4-byte big-endian integer, then that many bytes. The reader
// says how large a frame it accepts.
const (
	frameHeaderLen = 4
	// frameChunk is how much readFrame allocates ahead of the bytes it has
	// read, so that a length prefix alone cannot make it allocate the limit.
	frameChunk = 64 << 10
)

// writeFrame writes b as one frame, in one Write.
func writeFrame(w io.Writer, b []byte) error {
	if uint64(len(b)) > math.MaxUint32 {
		return fmt.Errorf("frame of %d bytes is too large for its 4-byte length", len(b))
	}
	buf := make([]byte, 0, frameHeaderLen+len(b))
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(b)))
	_, err := w.Write(append(buf, b...))
	return err
}

// readFrame reads one frame of at most max bytes. A reader that ends
// before the frame starts gives io.EOF, one that ends inside it
// io.ErrUnexpectedEOF; a frame longer than max is refused, before its body
// is read, with an ErrMalformed naming its length and the limit.
func readFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [frameHeaderLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if max < 0 || uint64(n) > uint64(max) {
		return nil, malformed("frame of %d bytes exceeds the %d-byte limit", n, max)
	}
	b := make([]byte, 0, min(int(n), frameChunk))
	for len(b) < int(n) {
		k := min(int(n)-len(b), frameChunk)
		b = slices.Grow(b, k)
		m, err := io.ReadFull(r, b[len(b):len(b)+k])
		b = b[:len(b)+m]
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}
