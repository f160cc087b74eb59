package spam

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Binary format (little endian), DEFLATE-compressed after the 5-byte
// header "MQSP" + version:
//
//	hyper-parameters, bits, bias, calibration, document counts
//	buckets in use: count, then per bucket: index delta (uvarint),
//	    document count (uvarint), weight (int16, scaled by the max |w|)
//	known-word bitset: count of set bits, then deltas (uvarint)
//	near-duplicate index: count, then 32 x uint16 per signature
//
// Everything is hashes and numbers; no training text is stored.

const (
	magic         = "MQSP"
	formatVersion = 1
)

// MarshalBinary serialises the learned state (text model and
// near-duplicate index; not the Config).
func (f *Filter) MarshalBinary() ([]byte, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return marshalState(f.m, f.dup)
}

// UnmarshalBinary replaces the learned state with one produced by
// MarshalBinary. On error the filter is unchanged.
func (f *Filter) UnmarshalBinary(data []byte) error {
	m, d, err := unmarshalState(data)
	if err != nil {
		return err
	}
	f.mu.RLock()
	zero := f.lists.trusted == nil // a Filter declared, not made by NewFilter
	f.mu.RUnlock()
	if zero {
		f.SetConfig(DefaultConfig())
	}
	f.mu.Lock()
	f.m, f.dup = m, d
	f.mu.Unlock()
	return nil
}

func putF32(b []byte, v float32) []byte {
	return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
}

func marshalState(m *model, d *dupIndex) ([]byte, error) {
	var b []byte
	hp := m.hp
	b = putF32(b, hp.Eta)
	b = putF32(b, hp.Lambda)
	b = binary.AppendUvarint(b, uint64(hp.Epochs))
	o := hp.Tok
	b = append(b, byte(o.CharMin), byte(o.CharMax), flags(o.Bigrams, o.Author, o.Meta, o.PathWords))
	for _, v := range []float32{o.WChar, o.WBigram, o.WAuthor, o.WMeta, o.WLink} {
		b = putF32(b, v)
	}
	b = append(b, m.bits)
	b = putF32(b, m.bias)
	b = putF32(b, m.calA)
	b = putF32(b, m.calB)
	b = binary.AppendUvarint(b, uint64(m.nSpam))
	b = binary.AppendUvarint(b, uint64(m.nHam))

	var maxW float32
	used := 0
	for i, w := range m.w {
		if w != 0 || m.cnt[i] != 0 {
			used++
		}
		maxW = max(maxW, float32(math.Abs(float64(w))))
	}
	q := float32(1)
	if maxW > 0 {
		q = maxW / 32767
	}
	b = putF32(b, q)
	b = binary.AppendUvarint(b, uint64(used))
	prev := -1
	for i, w := range m.w {
		if w == 0 && m.cnt[i] == 0 {
			continue
		}
		b = binary.AppendUvarint(b, uint64(i-prev))
		prev = i
		b = binary.AppendUvarint(b, uint64(m.cnt[i]))
		b = binary.LittleEndian.AppendUint16(b, uint16(int16(math.Round(float64(w/q)))))
	}
	set := 0
	for _, x := range m.known {
		set += popcount(x)
	}
	b = binary.AppendUvarint(b, uint64(set))
	prev = -1
	for i := range len(m.known) * 64 {
		if m.known[i>>6]&(1<<(i&63)) != 0 {
			b = binary.AppendUvarint(b, uint64(i-prev))
			prev = i
		}
	}
	b = d.appendBinary(b)

	var out bytes.Buffer
	out.WriteString(magic)
	out.WriteByte(formatVersion)
	zw, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func popcount(x uint64) int {
	n := 0
	for x != 0 {
		x &= x - 1
		n++
	}
	return n
}

func flags(bs ...bool) byte {
	var f byte
	for i, v := range bs {
		if v {
			f |= 1 << i
		}
	}
	return f
}

// reader decodes the uncompressed payload, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("spam model: bad %s", what)
	}
}

func (r *reader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) f32(what string) float32 {
	if r.err != nil || len(r.b) < 4 {
		r.fail(what)
		return 0
	}
	v := math.Float32frombits(binary.LittleEndian.Uint32(r.b))
	r.b = r.b[4:]
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		r.fail(what)
		return 0
	}
	return v
}

func (r *reader) byte1(what string) byte {
	if r.err != nil || len(r.b) < 1 {
		r.fail(what)
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func unmarshalState(data []byte) (*model, *dupIndex, error) {
	if len(data) < 5 || string(data[:4]) != magic {
		return nil, nil, errors.New("spam model: not a Marquee spam model")
	}
	if data[4] != formatVersion {
		return nil, nil, fmt.Errorf("spam model: unsupported version %d", data[4])
	}
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data[5:])), 256<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("spam model: %v", err)
	}
	r := &reader{b: raw}
	var hp hyper
	hp.Eta = r.f32("eta")
	hp.Lambda = r.f32("lambda")
	hp.Epochs = int(r.uvarint("epochs"))
	o := &hp.Tok
	o.CharMin = int(r.byte1("tokenizer"))
	o.CharMax = int(r.byte1("tokenizer"))
	fl := r.byte1("tokenizer")
	o.Bigrams, o.Author, o.Meta, o.PathWords = fl&1 != 0, fl&2 != 0, fl&4 != 0, fl&8 != 0
	o.WChar, o.WBigram, o.WAuthor = r.f32("weights"), r.f32("weights"), r.f32("weights")
	o.WMeta, o.WLink = r.f32("weights"), r.f32("weights")
	if o.CharMax > 8 || o.CharMin > o.CharMax || (o.CharMax > 0 && o.CharMin < 1) || hp.Epochs > 1000 {
		r.fail("tokenizer")
	}
	bits := r.byte1("bits")
	if r.err == nil && (bits < 10 || bits > 24) {
		r.fail("bits")
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	m := newModel(bits, hp)
	m.bias, m.calA, m.calB = r.f32("bias"), r.f32("calibration"), r.f32("calibration")
	m.nSpam, m.nHam = uint32(r.uvarint("counts")), uint32(r.uvarint("counts"))
	q := r.f32("scale")
	used := r.uvarint("buckets")
	if used > uint64(len(m.w)) {
		r.fail("buckets")
	}
	i := -1
	for k := uint64(0); k < used && r.err == nil; k++ {
		i += int(r.uvarint("bucket"))
		if i < 0 || i >= len(m.w) {
			r.fail("bucket index")
			break
		}
		c := r.uvarint("bucket count")
		m.cnt[i] = uint16(min(c, math.MaxUint16))
		if len(r.b) < 2 {
			r.fail("weight")
			break
		}
		m.w[i] = float32(int16(binary.LittleEndian.Uint16(r.b))) * q
		r.b = r.b[2:]
	}
	set := r.uvarint("known words")
	if set > uint64(len(m.known)*64) {
		r.fail("known words")
	}
	i = -1
	for k := uint64(0); k < set && r.err == nil; k++ {
		i += int(r.uvarint("known word"))
		if i < 0 || i >= len(m.known)*64 {
			r.fail("known word")
			break
		}
		m.known[i>>6] |= 1 << (i & 63)
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	d := newDupIndex()
	rest, err := d.readBinary(r.b)
	if err != nil {
		return nil, nil, fmt.Errorf("spam model: %v", err)
	}
	if len(rest) != 0 {
		return nil, nil, errors.New("spam model: trailing data")
	}
	return m, d, nil
}
