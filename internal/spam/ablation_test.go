package spam

import (
	"fmt"
	"os"
	"testing"

	"marquee/internal/fixture"
)

// TestAblation prints what each part contributes on the dev splits and the
// blog-like eval half. It is slow-ish and informational: SPAM_ABLATION=1.
func TestAblation(t *testing.T) {
	if os.Getenv("SPAM_ABLATION") == "" {
		t.Skip("set SPAM_ABLATION=1 to print the ablation table")
	}
	type variant struct {
		name string
		hp   func(*hyper)
		dup  bool
		cfg  func(*Config)
	}
	vs := []variant{
		{"full", func(*hyper) {}, true, func(*Config) {}},
		{"no near-dup index", func(*hyper) {}, false, func(*Config) {}},
		{"no char n-grams", func(h *hyper) { h.Tok.CharMax = 0 }, true, func(*Config) {}},
		{"no bigrams", func(h *hyper) { h.Tok.Bigrams = false }, true, func(*Config) {}},
		{"no meta features", func(h *hyper) { h.Tok.Meta = false }, true, func(*Config) {}},
		{"no author words", func(h *hyper) { h.Tok.Author = false }, true, func(*Config) {}},
		{"uniform feature values", func(h *hyper) {
			h.Tok.WChar, h.Tok.WBigram, h.Tok.WAuthor, h.Tok.WMeta, h.Tok.WLink = 1, 1, 1, 1, 1
		}, true, func(*Config) {}},
		{"eta 0.5, 12 epochs", func(h *hyper) { h.Eta, h.Epochs = 0.5, 12 }, true, func(*Config) {}},
		{"no coverage rule", func(*hyper) {}, true, func(c *Config) { c.MinCoverage = 0 }},
		{"threshold 0.5", func(*hyper) {}, true, func(c *Config) { c.SpamThreshold = 0.5 }},
	}
	for _, ds := range []string{"youtube", "sms"} {
		tr, err := ReadJSONL(fixture.Path(t, "data/spam/"+ds+".train.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		dev, err := ReadJSONL(fixture.Path(t, "data/spam/"+ds+".dev.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			hp := defaultHyper
			v.hp(&hp)
			f := trainWith(tr, hp, v.dup)
			c := InDomainConfig()
			v.cfg(&c)
			f.SetConfig(c)
			var m Metrics
			for _, e := range dev {
				m.Add(e.Spam(), f.Check(e.Sample(), History{}).IsSpam())
			}
			m.Compute()
			fmt.Printf("%-8s %-24s %v\n", ds, v.name, m)
		}
	}
	blog := blogEval(t)
	for _, v := range []struct {
		name string
		cfg  func(*Config)
	}{
		{"starter default", func(*Config) {}},
		{"no trusted domains", func(c *Config) { c.TrustedDomains = []string{} }},
		{"spam threshold 0.6", func(c *Config) { c.SpamThreshold = 0.6 }},
		{"no coverage rule", func(c *Config) { c.MinCoverage = 0 }},
		{"in-domain config", func(c *Config) { *c = InDomainConfig() }},
	} {
		f := NewFilter()
		c := DefaultConfig()
		v.cfg(&c)
		f.SetConfig(c)
		var m Metrics
		for _, e := range blog {
			m.Add(e.Spam(), f.Check(e.Sample(), History{}).IsSpam())
		}
		m.Compute()
		fmt.Printf("blog     %-24s %v\n", v.name, m)
	}
}
