package spam

import (
	"math"
	"math/rand/v2"
	"slices"
)

// model is the learned text model: logistic regression over hashed
// features (weighted by family, L2-normalised per document), trained by
// SGD with a per-feature step size that shrinks with the number of
// documents the feature was seen in (an AdaGrad-like schedule whose only
// state is a 16-bit count), and a Platt calibration of the logit fitted on
// cross-validated predictions.
type model struct {
	bits uint8
	mask uint32
	w    []float32 // logistic-regression weights per bucket
	cnt  []uint16  // documents containing the bucket (saturating)
	// known is a bitset of word hashes seen in training, used to tell
	// text that looks like nothing learned (coverage).
	known []uint64
	bias  float32
	nSpam uint32 // spam documents learned
	nHam  uint32 // ham documents learned
	// Platt calibration: p = sigmoid(calA*z + calB).
	calA, calB float32
	hp         hyper
}

// hyper holds the training hyper-parameters; they are serialized with the
// model so that online learning continues the same way after a reload.
type hyper struct {
	Eta    float32 // base step size
	Lambda float32 // L2 penalty
	Epochs int     // batch training passes
	Tok    tokOpts
}

var defaultHyper = hyper{Eta: 20, Lambda: 1e-4, Epochs: 30, Tok: defaultTokOpts}

const knownBits = 20

func newModel(bits uint8, hp hyper) *model {
	n := 1 << bits
	return &model{
		bits: bits, mask: uint32(n - 1),
		w: make([]float32, n), cnt: make([]uint16, n),
		known: make([]uint64, (1<<knownBits)/64),
		calA:  1, hp: hp,
	}
}

func (m *model) clone() *model {
	c := *m
	c.w = append([]float32(nil), m.w...)
	c.cnt = append([]uint16(nil), m.cnt...)
	c.known = append([]uint64(nil), m.known...)
	return &c
}

func (m *model) isKnown(h uint32) bool {
	i := h & (1<<knownBits - 1)
	return m.known[i>>6]&(1<<(i&63)) != 0
}

func (m *model) setKnown(h uint32) {
	i := h & (1<<knownBits - 1)
	m.known[i>>6] |= 1 << (i & 63)
}

// coverage returns how many of the content words were seen in training.
// Links count as known words: a link is a pattern every model has learned.
func (m *model) coverage(t *tokens) (known, total int) {
	for _, h := range t.wordH {
		if m.isKnown(h) {
			known++
		}
	}
	return known + len(t.links), len(t.wordH) + len(t.links)
}

// rawLogit is the uncalibrated score of a tokenized document. If contrib is
// non-nil, each feature's contribution is added to contrib[label].
func (m *model) rawLogit(t *tokens, contrib []float32) float32 {
	x := t.scale()
	z := m.bias
	for _, f := range t.feats {
		c := m.w[f.h&m.mask] * x * f.v
		z += c
		if contrib != nil && f.lab >= 0 {
			contrib[f.lab] += c
		}
	}
	return z
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// doc is a tokenized training document.
type doc struct {
	idx  []uint32
	v    []float32 // feature values, already scaled
	lr   []float32 // step sizes (batch training: counts are fixed)
	spam bool
}

func (m *model) makeDoc(t *tokens, spam bool) doc {
	d := doc{idx: make([]uint32, len(t.feats)), v: make([]float32, len(t.feats)), spam: spam}
	x := t.scale()
	for k, f := range t.feats {
		d.idx[k] = f.h & m.mask
		d.v[k] = f.v * x
	}
	return d
}

// count adds a document's features to the counts (each bucket once).
func (m *model) count(t *tokens, d *doc) {
	if d.spam {
		m.nSpam++
	} else {
		m.nHam++
	}
	for _, h := range t.wordH {
		m.setKnown(h)
	}
	u := slices.Clone(d.idx)
	slices.Sort(u)
	u = slices.Compact(u)
	for _, i := range u {
		if m.cnt[i] < math.MaxUint16 {
			m.cnt[i]++
		}
	}
}

func (m *model) stepSizes(d *doc) {
	if d.lr == nil {
		d.lr = make([]float32, len(d.idx))
	}
	for k, i := range d.idx {
		d.lr[k] = m.hp.Eta / float32(math.Sqrt(float64(1+int(m.cnt[i]))))
	}
}

// step does one SGD step on a document and returns the prediction before
// the step.
func (m *model) step(d *doc) float64 {
	z := m.bias
	for k, i := range d.idx {
		z += m.w[i] * d.v[k]
	}
	y := float32(0)
	if d.spam {
		y = 1
	}
	p := sigmoid(float64(z))
	g := float32(p) - y
	lam := m.hp.Lambda
	for k, i := range d.idx {
		m.w[i] -= d.lr[k] * (g*d.v[k] + lam*m.w[i])
	}
	m.bias -= 0.05 * m.hp.Eta * g
	return p
}

// learnOne is the online update: count the document, then take SGD steps
// until it is on the right side with some margin (at most a few).
func (m *model) learnOne(t *tokens, spam bool) {
	d := m.makeDoc(t, spam)
	m.count(t, &d)
	m.stepSizes(&d)
	for it := 0; it < 4; it++ {
		p := m.step(&d)
		if (spam && p > 0.9) || (!spam && p < 0.1) {
			break
		}
	}
}

// trainBatch fits the model to documents from scratch-counted state.
func (m *model) trainBatch(ts []*tokens, labels []bool, seed uint64) {
	docs := make([]doc, len(ts))
	for k, t := range ts {
		docs[k] = m.makeDoc(t, labels[k])
		m.count(t, &docs[k])
	}
	for k := range docs {
		m.stepSizes(&docs[k])
	}
	order := make([]int, len(docs))
	for k := range order {
		order[k] = k
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for e := 0; e < m.hp.Epochs; e++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, k := range order {
			m.step(&docs[k])
		}
	}
}

// fitPlatt fits p = sigmoid(a*z+b) to held-out logits by Newton's method
// (Platt 1999, with his smoothed targets).
func fitPlatt(z []float32, y []bool) (a, b float32) {
	var np, nn float64
	for _, s := range y {
		if s {
			np++
		} else {
			nn++
		}
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	A, B := 1.0, 0.0
	for it := 0; it < 100; it++ {
		var g1, g2, h11, h12, h22 float64
		for k, zz := range z {
			t := lo
			if y[k] {
				t = hi
			}
			f := float64(zz)
			p := sigmoid(A*f + B)
			d := p - t
			w := p * (1 - p)
			g1 += d * f
			g2 += d
			h11 += w*f*f + 1e-9
			h12 += w * f
			h22 += w + 1e-9
		}
		det := h11*h22 - h12*h12
		if det <= 0 {
			break
		}
		dA := (h22*g1 - h12*g2) / det
		dB := (h11*g2 - h12*g1) / det
		A -= dA
		B -= dB
		if math.Abs(dA)+math.Abs(dB) < 1e-7 {
			break
		}
	}
	return float32(A), float32(B)
}
