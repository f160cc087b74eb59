package spam

import (
	"strings"
	"testing"
	"time"
)

func TestHoneypot(t *testing.T) {
	if _, ok := honeypotHit(""); ok {
		t.Error("empty honeypot fired")
	}
	if _, ok := honeypotHit("  "); ok {
		t.Error("blank honeypot fired")
	}
	if h, ok := honeypotHit("http://x"); !ok || !h.strong || h.weight <= 0 {
		t.Errorf("filled honeypot: %+v %v", h, ok)
	}
	f := NewFilter()
	r := f.Check(Sample{Content: "Thanks, great post!", Honeypot: "x"}, History{})
	if r.Verdict != Discard || r.Reasons[0].Feature != "honeypot field filled" {
		t.Errorf("honeypot verdict %v reasons %v", r.Verdict, r.Reasons)
	}
}

func TestTiming(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		fire bool
	}{{0, false}, {1200 * time.Millisecond, true}, {3 * time.Second, true}, {30 * time.Second, false}} {
		h, ok := timingHit(c.d)
		if ok != c.fire || (ok && (h.strong || h.weight <= 0)) {
			t.Errorf("timingHit(%v) = %+v, %v", c.d, h, ok)
		}
	}
	if h, _ := timingHit(1200 * time.Millisecond); h.feature != "submitted 1.2s after page load" {
		t.Errorf("feature = %q", h.feature)
	}
	// too fast alone is not a verdict
	f := NewFilter()
	r := f.Check(Sample{Content: "Thanks, this fixed my build.", SubmitDelay: 500 * time.Millisecond}, History{})
	if r.IsSpam() {
		t.Errorf("fast submit alone gave %v (%.2f)", r.Verdict, r.Score)
	}
	slow := f.Check(Sample{Content: "Thanks, this fixed my build."}, History{})
	if r.Score <= slow.Score {
		t.Errorf("fast submit did not raise the score: %.3f <= %.3f", r.Score, slow.Score)
	}
}

func TestPostAge(t *testing.T) {
	if _, ok := postAgeHit(30 * 24 * time.Hour); ok {
		t.Error("new post fired")
	}
	if h, ok := postAgeHit(3 * 365 * 24 * time.Hour); !ok || h.strong || h.feature != "post is 3 years old" {
		t.Errorf("old post: %+v %v", h, ok)
	}
}

func testLists() *lists {
	return &lists{words: []string{"viagra", "free money"}, blocked: domainSet([]string{"casino-example.com"}), trusted: domainSet(DefaultTrustedDomains)}
}

func TestLinkHits(t *testing.T) {
	l := testLists()
	hits := linkHits([]link{{"www.casino-example.com", "casino-example.com"}}, l, nil)
	if len(hits) != 1 || !hits[0].strong || !strings.Contains(hits[0].feature, "blocked domain casino-example.com") {
		t.Errorf("blocked: %+v", hits)
	}
	hits = linkHits([]link{{"pkg.go.dev", "go.dev"}}, l, nil)
	if len(hits) != 1 || hits[0].weight >= 0 {
		t.Errorf("trusted: %+v", hits)
	}
	hits = linkHits([]link{{"bit.ly", "bit.ly"}}, l, nil)
	if len(hits) != 1 || hits[0].weight <= 0 || hits[0].strong {
		t.Errorf("shortener: %+v", hits)
	}
	many := []link{{"a.com", "a.com"}, {"b.com", "b.com"}, {"c.com", "c.com"}, {"d.com", "d.com"}}
	hits = linkHits(many, l, nil)
	if len(hits) != 1 || hits[0].feature != "4 links" || hits[0].weight <= 0 {
		t.Errorf("many links: %+v", hits)
	}
	if hits := linkHits([]link{{"example.org", "example.org"}}, l, nil); len(hits) != 0 {
		t.Errorf("plain link: %+v", hits)
	}
}

func TestAuthorURLHits(t *testing.T) {
	l := testLists()
	if h := authorURLHits("https://shop.casino-example.com/", nil, l, nil); len(h) != 1 || !h[0].strong {
		t.Errorf("blocked author URL: %+v", h)
	}
	h := authorURLHits("https://seo-agency.example.com", []link{{"seo-agency.example.com", "example.com"}}, l, nil)
	if len(h) != 1 || h[0].weight <= 0 || h[0].strong {
		t.Errorf("author URL linked in text: %+v", h)
	}
	if h := authorURLHits("https://viagra-shop.net", nil, l, nil); len(h) != 1 || !h[0].strong {
		t.Errorf("block word in author URL: %+v", h)
	}
	if h := authorURLHits("https://nora.blog", nil, l, nil); len(h) != 0 {
		t.Errorf("plain author URL: %+v", h)
	}
}

func TestHistoryHits(t *testing.T) {
	if h := historyHits(History{}, nil); len(h) != 0 {
		t.Errorf("empty history: %+v", h)
	}
	h := historyHits(History{ApprovedByEmail: 3}, nil)
	if len(h) != 1 || h[0].weight >= 0 {
		t.Errorf("approved: %+v", h)
	}
	h = historyHits(History{SpamByEmail: 2, SpamByIP: 5}, nil)
	if len(h) != 2 || !h[0].strong || !h[1].strong {
		t.Errorf("spammer: %+v", h)
	}
	if h := historyHits(History{SpamByIP: 1}, nil); len(h) != 1 || h[0].strong {
		t.Errorf("one spam from IP should be weak: %+v", h)
	}
	f := NewFilter()
	a := f.Check(Sample{Content: "Interesting, thanks"}, History{})
	b := f.Check(Sample{Content: "Interesting, thanks"}, History{ApprovedByEmail: 4})
	c := f.Check(Sample{Content: "Interesting, thanks"}, History{SpamByEmail: 3, SpamByIP: 3})
	if !(b.Score < a.Score && a.Score < c.Score) || !c.IsSpam() {
		t.Errorf("history scores %.3f %.3f %.3f (%v)", b.Score, a.Score, c.Score, c.Verdict)
	}
}

func TestBlockWords(t *testing.T) {
	l := testLists()
	if w := matchBlockWord("buy viagra now", l.words); w != "viagra" {
		t.Errorf("match = %q", w)
	}
	if w := matchBlockWord("viagrafoo and free moneyx", l.words); w != "" {
		t.Errorf("partial word matched %q", w)
	}
	if w := matchBlockWord("get free money!", l.words); w != "free money" {
		t.Errorf("phrase match = %q", w)
	}
	s := Sample{Author: "Viagra Shop"}
	if h := blockWordHits([]byte("hello"), &s, l, nil); len(h) != 1 || !h[0].strong {
		t.Errorf("author block word: %+v", h)
	}
	f := NewFilter()
	c := DefaultConfig()
	c.BlockWords = []string{"Acme Pills"}
	c.BlockDomains = []string{"casino-example.com"}
	f.SetConfig(c)
	if r := f.Check(Sample{Content: "Thanks! Try acme pills."}, History{}); !r.IsSpam() {
		t.Errorf("blocked word: %v %.3f", r.Verdict, r.Score)
	}
	if r := f.Check(Sample{Content: "nice", URL: "http://www.casino-example.com"}, History{}); !r.IsSpam() {
		t.Errorf("blocked author domain: %v %.3f", r.Verdict, r.Score)
	}
}

func TestNearDuplicate(t *testing.T) {
	norm := func(s string) signature {
		sig, ok := minhash(normalizeForDup(nil, lowerInto(nil, s)))
		if !ok {
			t.Fatalf("no signature for %q", s)
		}
		return sig
	}
	a := norm("Earn 500 dollars a day from home with this simple trick, visit my profile now")
	b := norm("Earn 700 dollars a day from home with this simple trick!! visit my profile now")
	c := norm("The second diagram has the arrows reversed: the client sends FIN first.")
	if s := similarity(&a, &b); s < dupThreshold {
		t.Errorf("near-duplicates similarity %.2f", s)
	}
	if s := similarity(&a, &c); s > 0.2 {
		t.Errorf("unrelated similarity %.2f", s)
	}
	if _, ok := minhash(normalizeForDup(nil, []byte("nice song"))); ok {
		t.Error("short text got a signature")
	}
	d := newDupIndex()
	d.add(&a)
	if s, _ := d.nearest(&b); s < dupThreshold {
		t.Errorf("index lookup %.2f", s)
	}
	if s, _ := d.nearest(&c); s != 0 && s > 0.2 {
		t.Errorf("index false match %.2f", s)
	}
	d.add(&a) // duplicate is not stored twice
	if d.live() != 1 {
		t.Errorf("live = %d", d.live())
	}
	buf := d.appendBinary(nil)
	e := newDupIndex()
	if rest, err := e.readBinary(buf); err != nil || len(rest) != 0 || e.live() != 1 {
		t.Fatalf("round trip: %v %d %d", err, len(rest), e.live())
	}
	d.forget(&b)
	if s, _ := d.nearest(&b); s >= dupThreshold || d.live() != 0 {
		t.Errorf("forget failed: %.2f live %d", s, d.live())
	}
	if h, ok := dupHit(0.8); !ok || !h.strong {
		t.Errorf("dupHit: %+v", h)
	}
}
