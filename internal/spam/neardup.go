package spam

import (
	"encoding/binary"
	"errors"
)

// Near-duplicate detection of content already marked spam.
//
// Content is normalised (lower case, digits -> 0, everything that is not a
// letter or digit -> one space), cut into overlapping 5-byte shingles, and
// summarised by a one-permutation MinHash signature of dupBins 16-bit
// values. Signatures are indexed by LSH bands of dupRows bins, so a lookup
// costs a few map probes. Only signatures are kept: no text.

const (
	dupBins     = 32
	dupRows     = 4
	dupBands    = dupBins / dupRows
	dupShingle  = 5
	dupMinLen   = 24     // normalised bytes; shorter texts are not indexed
	dupMinBins  = 8      // non-empty bins needed for a usable signature
	dupEmpty    = 0xFFFF // marks an empty bin
	dupCapacity = 50000  // signatures kept; the oldest half goes when full
)

type signature [dupBins]uint16

// dupIndex is an in-memory LSH index of spam signatures.
type dupIndex struct {
	sigs  []signature
	bands map[uint64][]int32
}

func newDupIndex() *dupIndex {
	return &dupIndex{bands: make(map[uint64][]int32)}
}

// normalizeForDup appends the normalised form of already lower-cased text.
func normalizeForDup(dst, low []byte) []byte {
	space := true
	for _, c := range low {
		switch {
		case 'a' <= c && c <= 'z', c >= 0x80:
			dst = append(dst, c)
			space = false
		case '0' <= c && c <= '9':
			dst = append(dst, '0')
			space = false
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		}
	}
	return dst
}

// minhash computes the signature of normalised text; ok is false when the
// text is too short to compare meaningfully.
func minhash(norm []byte) (sig signature, ok bool) {
	if len(norm) < dupMinLen {
		return sig, false
	}
	var mins [dupBins]uint32
	for i := range mins {
		mins[i] = ^uint32(0)
	}
	for i := 0; i+dupShingle <= len(norm); i++ {
		var x uint64
		for _, c := range norm[i : i+dupShingle] {
			x = x<<8 | uint64(c)
		}
		h := mix64(x + 0x9E3779B97F4A7C15)
		b := h >> 59 // top 5 bits: bin (dupBins = 32)
		if v := uint32(h); v < mins[b] {
			mins[b] = v
		}
	}
	n := 0
	for i, m := range mins {
		if m == ^uint32(0) {
			sig[i] = dupEmpty
			continue
		}
		v := uint16(m >> 16)
		if v == dupEmpty {
			v--
		}
		sig[i] = v
		n++
	}
	return sig, n >= dupMinBins
}

// similarity estimates the Jaccard similarity of two signatures.
func similarity(a, b *signature) float64 {
	eq, n := 0, 0
	for i := range a {
		if a[i] == dupEmpty && b[i] == dupEmpty {
			continue
		}
		n++
		if a[i] == b[i] {
			eq++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(eq) / float64(n)
}

func bandKey(sig *signature, band int) (uint64, bool) {
	x := uint64(band) << 56
	for _, v := range sig[band*dupRows : (band+1)*dupRows] {
		if v == dupEmpty {
			return 0, false
		}
		x = x*0x100000001B3 ^ uint64(v)
	}
	return mix64(x), true
}

// nearest returns the highest similarity to an indexed signature (0 if
// no candidate shares a band).
func (d *dupIndex) nearest(sig *signature) (best float64, at int) {
	at = -1
	for b := 0; b < dupBands; b++ {
		k, ok := bandKey(sig, b)
		if !ok {
			continue
		}
		for _, id := range d.bands[k] {
			if s := similarity(sig, &d.sigs[id]); s > best {
				best, at = s, int(id)
			}
		}
	}
	return best, at
}

// add indexes a signature unless an almost identical one is there already.
func (d *dupIndex) add(sig *signature) {
	if s, _ := d.nearest(sig); s >= 0.95 {
		return
	}
	if len(d.sigs) >= dupCapacity {
		keep := append([]signature(nil), d.sigs[len(d.sigs)/2:]...)
		d.sigs = d.sigs[:0]
		d.bands = make(map[uint64][]int32)
		for i := range keep {
			d.insert(&keep[i])
		}
	}
	d.insert(sig)
}

func (d *dupIndex) insert(sig *signature) {
	id := int32(len(d.sigs))
	d.sigs = append(d.sigs, *sig)
	for b := 0; b < dupBands; b++ {
		if k, ok := bandKey(sig, b); ok {
			d.bands[k] = append(d.bands[k], id)
		}
	}
}

// forget blanks indexed signatures very similar to sig (the content was
// marked ham after all).
func (d *dupIndex) forget(sig *signature) {
	for {
		s, at := d.nearest(sig)
		if s < 0.9 || at < 0 {
			return
		}
		for i := range d.sigs[at] {
			d.sigs[at][i] = dupEmpty
		}
	}
}

func (s *signature) live() bool {
	for _, v := range s {
		if v != dupEmpty {
			return true
		}
	}
	return false
}

// live counts the signatures not forgotten.
func (d *dupIndex) live() int {
	n := 0
	for i := range d.sigs {
		if d.sigs[i].live() {
			n++
		}
	}
	return n
}

func (d *dupIndex) clone() *dupIndex {
	c := newDupIndex()
	for i := range d.sigs {
		if d.sigs[i].live() {
			c.insert(&d.sigs[i])
		}
	}
	return c
}

// appendBinary writes the signatures (count, then 2 bytes per bin).
func (d *dupIndex) appendBinary(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(d.live()))
	for i := range d.sigs {
		if !d.sigs[i].live() { // forgotten
			continue
		}
		for _, v := range d.sigs[i] {
			b = binary.LittleEndian.AppendUint16(b, v)
		}
	}
	return b
}

var errShort = errors.New("truncated data")

func (d *dupIndex) readBinary(b []byte) ([]byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > dupCapacity {
		return nil, errors.New("bad near-duplicate index size")
	}
	b = b[k:]
	if uint64(len(b)) < n*dupBins*2 {
		return nil, errShort
	}
	for i := uint64(0); i < n; i++ {
		var s signature
		for j := range s {
			s[j] = binary.LittleEndian.Uint16(b)
			b = b[2:]
		}
		d.insert(&s)
	}
	return b, nil
}
