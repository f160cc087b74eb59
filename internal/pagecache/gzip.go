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
// valid gzip stream. Only the CRC is computed per request.

// piece is one part of a body between holes, compressed.
type piece struct {
	raw  []byte
	flat []byte // raw DEFLATE, not final, byte-aligned
	crc  uint32
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
		ps[i] = piece{raw: p, flat: buf.Bytes(), crc: crc32.ChecksumIEEE(p)}
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
		crc = crc32.Update(crc, crc32.IEEETable, p.raw)
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
