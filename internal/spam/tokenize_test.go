package spam

import (
	"slices"
	"testing"
)

func tok(s Sample) *tokens {
	t := new(tokens)
	t.tokenize(&s, &defaultTokOpts)
	return t
}

func labelsOf(t *tokens, kind byte) []string {
	var out []string
	for i, l := range t.labels {
		if l.kind == kind {
			out = append(out, t.labelText(int32(i)))
		}
	}
	return out
}

func hasFeature(t *tokens, kind byte, s string) bool {
	h := hashString(kind, s)
	for _, f := range t.feats {
		if f.h == h {
			return true
		}
	}
	return false
}

func TestTokenizeWordsAndCase(t *testing.T) {
	tk := tok(Sample{Content: "Don’t SUBSCRIBE, it's great!"})
	got := labelsOf(tk, kWord)
	want := []string{"don't", "subscribe", "it's", "great"}
	if !slices.Equal(got, want) {
		t.Fatalf("words = %q, want %q", got, want)
	}
	if !hasFeature(tk, kWord, "subscribe") || hasFeature(tk, kWord, "SUBSCRIBE") {
		t.Error("case folding failed")
	}
	if !hasFeature(tk, kMeta, "exclamation mark") {
		t.Error("missing exclamation feature")
	}
	// bigram and char n-grams present
	if !slices.ContainsFunc(tk.feats, func(f feature) bool {
		return f.h == hashPair(kBigram, hashString(kWord, "don't"), hashString(kWord, "subscribe"))
	}) {
		t.Error("missing bigram")
	}
	if !hasFeature(tk, kChar, "<sub") || !hasFeature(tk, kChar, "ibe>") {
		t.Error("missing char n-grams")
	}
}

func TestTokenizeLinks(t *testing.T) {
	tk := tok(Sample{Content: "see https://www.Casino-Example.com/bonus?x=1, bit.ly/abc and docs at pkg.go.dev. Mail me: bob@spam-mail.co.uk",
		Email: "x@Gmail.com", URL: "http://blog.example.org/about"})
	var domains []string
	for _, l := range tk.links {
		domains = append(domains, l.domain)
	}
	want := []string{"casino-example.com", "bit.ly", "go.dev"}
	if !slices.Equal(domains, want) {
		t.Fatalf("link domains = %q, want %q", domains, want)
	}
	if tk.links[2].host != "pkg.go.dev" {
		t.Errorf("host = %q", tk.links[2].host)
	}
	for _, d := range []string{"casino-example.com", "spam-mail.co.uk"} {
		if !hasFeature(tk, kDomain, d) {
			t.Errorf("missing domain feature %q", d)
		}
	}
	if !hasFeature(tk, kEmail, "gmail.com") || !hasFeature(tk, kURLF, "example.org") {
		t.Error("missing e-mail / URL field domain")
	}
	if !hasFeature(tk, kPath, "bonus") {
		t.Error("missing path word")
	}
	if !hasFeature(tk, kMeta, "contains 3+ links") {
		t.Error("missing link count")
	}
	// code is not a link
	tk = tok(Sample{Content: "call http.HandleFunc and os.Exit(1) in main.go"})
	if len(tk.links) != 0 {
		t.Errorf("code mistaken for links: %+v", tk.links)
	}
}

func TestTokenizeNumbersAndPhones(t *testing.T) {
	tk := tok(Sample{Content: "Call 0800 555 0199 or text WIN to 87121 for £1000"})
	if tk.phones != 1 {
		t.Errorf("phones = %d, want 1", tk.phones)
	}
	for _, m := range []string{"phone number", "money amount"} {
		if !hasFeature(tk, kMeta, m) {
			t.Errorf("missing %q", m)
		}
	}
	if !hasFeature(tk, kShape, "00000") {
		t.Error("missing digit shape of 87121")
	}
	if tok(Sample{Content: "version 1.2.3 released in 2024"}).phones != 0 {
		t.Error("version number counted as phone")
	}
}

func TestTokenizeAuthorAndScripts(t *testing.T) {
	tk := tok(Sample{Author: "Best SEO Agency", Content: "спасибо 😀"})
	if got := labelsOf(tk, kAuthor); !slices.Equal(got, []string{"best", "seo", "agency"}) {
		t.Errorf("author words = %q", got)
	}
	if !hasFeature(tk, kMeta, "non-Latin script") || !hasFeature(tk, kMeta, "emoji") {
		t.Error("missing script / emoji features")
	}
	if got := labelsOf(tk, kWord); !slices.Equal(got, []string{"спасибо"}) {
		t.Errorf("words = %q", got)
	}
	if tk := tok(Sample{Content: "Use `x := f()` then {}"}); !hasFeature(tk, kMeta, "code markup") || !hasFeature(tk, kMeta, "code-like punctuation") {
		t.Error("missing code features")
	}
}

func TestRegistrable(t *testing.T) {
	for in, want := range map[string]string{
		"www.example.com": "example.com", "a.b.example.co.uk": "example.co.uk",
		"example.com": "example.com", "localhost": "localhost", "x.com.br": "x.com.br",
	} {
		if got := registrable(in); got != want {
			t.Errorf("registrable(%q) = %q, want %q", in, got, want)
		}
	}
}
