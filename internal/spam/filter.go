package spam

import (
	"math"
	"slices"
	"strings"
	"sync"
)

// Config holds the decision thresholds and the administrator's lists. It is
// configuration, not learned state: MarshalBinary does not include it.
type Config struct {
	// SpamThreshold is the score at or above which a comment is Spam
	// (provided the evidence is confident, see Check).
	SpamThreshold float64
	// UnsureThreshold is the score at or above which a comment is held.
	UnsureThreshold float64
	// DiscardThreshold is the score at or above which a comment with strong
	// evidence (block list, near-duplicate, history) is discarded.
	DiscardThreshold float64
	// MinCoverage is the share of the content's words the text model must
	// have seen in training for it to call Spam on its own.
	MinCoverage    float64
	BlockWords     []string // words or phrases, matched as whole words
	BlockDomains   []string // link or author-URL domains (and their subdomains)
	TrustedDomains []string // documentation hosts; nil = DefaultTrustedDomains
}

// DefaultConfig returns the configuration for a live blog starting from the
// starter model. The starter learned from YouTube and SMS, not from blog
// comments, so a Spam verdict demands more: a score of at least 0.95.
// Everything from 0.35 up to that goes to Unsure (moderation).
func DefaultConfig() Config {
	return Config{SpamThreshold: 0.95, UnsureThreshold: 0.35, DiscardThreshold: 0.995, MinCoverage: 0.4}
}

// InDomainConfig returns the configuration for a model trained on data from
// the same source it scores (Train, Evaluate): the thresholds tuned by
// cross-validation on the public train splits.
func InDomainConfig() Config {
	c := DefaultConfig()
	c.SpamThreshold = 0.6
	return c
}

// Filter is a learning comment-spam filter: a hashed-feature text model
// plus separate signals. It is safe for concurrent use; Check takes a read
// lock, Learn a write lock.
type Filter struct {
	mu    sync.RWMutex
	m     *model
	dup   *dupIndex
	cfg   Config
	lists lists
}

var tokPool = sync.Pool{New: func() any { return new(tokens) }}

// NewFilter returns a filter that starts from the embedded starter model.
func NewFilter() *Filter {
	m, d := starter()
	f := &Filter{m: m, dup: d}
	f.SetConfig(DefaultConfig())
	return f
}

// newEmptyFilter returns an untrained filter.
func newEmptyFilter(hp hyper) *Filter {
	f := &Filter{m: newModel(modelBits, hp), dup: newDupIndex()}
	f.SetConfig(DefaultConfig())
	return f
}

// modelBits is log2 of the number of hash buckets.
const modelBits = 20

// SetConfig replaces thresholds and lists.
func (f *Filter) SetConfig(c Config) {
	words := make([]string, 0, len(c.BlockWords))
	for _, w := range c.BlockWords {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			words = append(words, w)
		}
	}
	trusted := c.TrustedDomains
	if trusted == nil {
		trusted = DefaultTrustedDomains
	}
	f.mu.Lock()
	f.cfg = c
	f.lists = lists{words: words, blocked: domainSet(c.BlockDomains), trusted: domainSet(trusted)}
	f.mu.Unlock()
}

// Config returns the current configuration.
func (f *Filter) Config() Config {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.cfg
}

// Check scores a comment.
//
// Score is the calibrated text-model log-odds plus the signals' log-odds,
// squashed to [0,1]. The verdict needs confidence: Spam requires a score
// over SpamThreshold and either a strong signal (block list,
// near-duplicate of known spam, repeated spam history) or a text model that
// leans spam by itself on text it knows (at least MinCoverage of the words
// seen in training, and an English or unknown language). Anything else that
// scores high goes to Unsure. A filled honeypot is Discard.
func (f *Filter) Check(s Sample, h History) Result {
	t := tokPool.Get().(*tokens)
	defer tokPool.Put(t)

	f.mu.RLock()
	t.tokenize(&s, &f.m.hp.Tok)
	if cap(t.contrib) < len(t.labels) {
		t.contrib = make([]float32, len(t.labels), 2*len(t.labels))
	}
	contrib := t.contrib[:len(t.labels)]
	clear(contrib)
	m := f.m
	z := m.rawLogit(t, contrib)
	textLogit := float64(m.calA*z + m.calB)
	known, total := m.coverage(t)
	calA := m.calA
	hits := t.hits[:0]
	t.norm = normalizeForDup(t.norm[:0], t.low)
	if sig, ok := minhash(t.norm); ok && len(f.dup.sigs) > 0 {
		sim, _ := f.dup.nearest(&sig)
		if x, ok := dupHit(sim); ok {
			hits = append(hits, x)
		}
	}
	cfg := f.cfg
	hits = linkHits(t.links, &f.lists, hits)
	hits = authorURLHits(s.URL, t.links, &f.lists, hits)
	hits = blockWordHits(t.low, &s, &f.lists, hits)
	f.mu.RUnlock()

	honeypot := false
	if x, ok := honeypotHit(s.Honeypot); ok {
		hits = append(hits, x)
		honeypot = true
	}
	if x, ok := timingHit(s.SubmitDelay); ok {
		hits = append(hits, x)
	}
	if x, ok := postAgeHit(s.PostAge); ok {
		hits = append(hits, x)
	}
	hits = historyHits(h, hits)
	t.hits = hits

	logit := textLogit
	strong := false
	for _, x := range hits {
		logit += x.weight
		strong = strong || x.strong
	}
	score := sigmoid(logit)
	familiar := total == 0 || float64(known) >= cfg.MinCoverage*float64(total)
	if s.Lang != "" && !strings.HasPrefix(strings.ToLower(s.Lang), "en") {
		familiar = false
	}
	textSpam := familiar && sigmoid(textLogit) >= 0.5

	var v Verdict
	switch {
	case honeypot:
		v = Discard
	case score >= cfg.DiscardThreshold && strong:
		v = Discard
	case score >= cfg.SpamThreshold && (strong || textSpam):
		v = Spam
	case score >= cfg.UnsureThreshold:
		v = Unsure
	default:
		v = Ham
	}
	return Result{Score: score, Verdict: v, Reasons: reasons(t, contrib, float64(calA), hits)}
}

// reasons picks the heaviest features: text-model labels (character
// n-grams are credited to the word they came from, identical words merged)
// and signals.
func reasons(t *tokens, contrib []float32, calA float64, hits []hit) []Reason {
	type cand struct {
		lab int32
		w   float64
	}
	var top [2 * MaxReasons]cand
	n := 0
	for i, c := range contrib {
		w := float64(c) * calA
		if math.Abs(w) < 0.05 {
			continue
		}
		// insertion into a small sorted array
		if n < len(top) {
			top[n] = cand{int32(i), w}
			n++
		} else if math.Abs(w) <= math.Abs(top[n-1].w) {
			continue
		} else {
			top[n-1] = cand{int32(i), w}
		}
		for k := n - 1; k > 0 && math.Abs(top[k].w) > math.Abs(top[k-1].w); k-- {
			top[k], top[k-1] = top[k-1], top[k]
		}
	}
	out := make([]Reason, 0, MaxReasons+len(hits))
	for _, x := range hits {
		out = append(out, Reason{x.feature, x.weight})
	}
	for _, c := range top[:n] {
		d := t.describe(c.lab)
		merged := false
		for k := range out {
			if out[k].Feature == d {
				out[k].Weight += c.w
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, Reason{d, c.w})
		}
	}
	slices.SortStableFunc(out, func(a, b Reason) int {
		switch x, y := math.Abs(a.Weight), math.Abs(b.Weight); {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	if len(out) > MaxReasons {
		out = out[:MaxReasons]
	}
	for k := range out {
		out[k].Weight = math.Round(out[k].Weight*1000) / 1000
	}
	return out
}

// Learn updates the filter at once with a moderator's decision: the text
// model takes an online step, and spam content joins the near-duplicate
// index (ham content leaves it).
func (f *Filter) Learn(s Sample, spam bool) {
	t := tokPool.Get().(*tokens)
	defer tokPool.Put(t)
	f.mu.Lock()
	defer f.mu.Unlock()
	t.tokenize(&s, &f.m.hp.Tok)
	f.m.learnOne(t, spam)
	t.norm = normalizeForDup(t.norm[:0], t.low)
	if sig, ok := minhash(t.norm); ok {
		if spam {
			f.dup.add(&sig)
		} else {
			f.dup.forget(&sig)
		}
	}
}

// Reset returns the learned state to the starter model (configuration is
// kept).
func (f *Filter) Reset() {
	m, d := starter()
	f.mu.Lock()
	f.m, f.dup = m, d
	f.mu.Unlock()
}

// Stats describes the learned state.
type Stats struct {
	SpamLearned, HamLearned int // documents the text model has learned
	SpamSignatures          int // near-duplicate index entries
	MemoryBytes             int // approximate heap held by the learned state
}

// Stats reports the size of the learned state.
func (f *Filter) Stats() Stats {
	f.mu.RLock()
	defer f.mu.RUnlock()
	mem := len(f.m.w)*4 + len(f.m.cnt)*2 + len(f.m.known)*8
	mem += len(f.dup.sigs)*(dupBins*2) + len(f.dup.bands)*(8+24+8) + len(f.dup.sigs)*dupBands*4
	return Stats{int(f.m.nSpam), int(f.m.nHam), f.dup.live(), mem}
}
