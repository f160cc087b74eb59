package pagecache

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// A page with per-request holes (the reply form's token) is compressed
// once, in pieces: each piece between holes as raw DEFLATE blocks ending on
// a byte boundary (a sync flush), so that at serve time the filled holes go
// in as stored (uncompressed) blocks between them and the whole is one
// valid gzip stream. Per request, only the fills' CRC is computed: the
// pieces' CRCs, computed once, are combined into it (as zlib's
// crc32_combine does), instead of reading the whole page again.

// piece is one part of a body between holes, compressed.
type piece struct {
	raw   []byte
	flat  []byte // raw DEFLATE, not final, byte-aligned
	crc   uint32
	shift uint32 // x^(8·len(raw)) mod the CRC polynomial, for crcCombine
}

// pieces compresses parts once. The last piece ends the stream.
func compressPieces(parts [][]byte) []piece {
	ps := make([]piece, len(parts))
	for i, p := range parts {
		var buf bytes.Buffer
		z, _ := flate.NewWriter(&buf, flate.BestCompression)
		z.Write(p)
		if i == len(parts)-1 {
			z.Close() // final block
		} else {
			z.Flush() // sync flush: byte-aligned, not final
		}
		ps[i] = piece{raw: p, flat: buf.Bytes(), crc: crc32.ChecksumIEEE(p), shift: crcShift(len(p))}
	}
	return ps
}

var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// appendGzip appends the pieces with fills between them as one gzip stream.
func appendGzip(b []byte, ps []piece, fills []string) []byte {
	b = append(b, gzipHeader...)
	var crc uint32
	var size uint32
	for i, p := range ps {
		b = append(b, p.flat...)
		crc = multModP(p.shift, crc) ^ p.crc
		size += uint32(len(p.raw))
		if i < len(fills) {
			f := []byte(fills[i])
			for len(f) > 0 { // stored blocks hold at most 65535 bytes
				n := min(len(f), 65535)
				var hdr [5]byte
				hdr[0] = 0 // BFINAL=0, BTYPE=00 (stored), byte-aligned already
				binary.LittleEndian.PutUint16(hdr[1:], uint16(n))
				binary.LittleEndian.PutUint16(hdr[3:], ^uint16(n))
				b = append(b, hdr[:]...)
				b = append(b, f[:n]...)
				crc = crc32.Update(crc, crc32.IEEETable, f[:n])
				size += uint32(n)
				f = f[n:]
			}
		}
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], size)
	return append(b, trailer[:]...)
}

// The CRC-32 (IEEE, reflected) of A followed by B is
// multModP(x^(8·len(B)), crc(A)) ^ crc(B): the CRC is linear, and the
// pre- and post-inversions cancel out. After zlib's crc32.c.
const crcPoly = 0xedb88320

// multModP multiplies a and b modulo the CRC polynomial (reflected bit order).
func multModP(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// crcShift is x^(8·n) modulo the CRC polynomial: appending n bytes
// multiplies a CRC by it.
func crcShift(n int) uint32 {
	p := uint32(1) << 31 // x^0
	x := uint32(1) << 23 // x^8: one byte
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			p = multModP(x, p)
		}
		x = multModP(x, x)
	}
	return p
}
