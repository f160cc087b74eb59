package spam

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/fixture"
)

func TestStarterLoads(t *testing.T) {
	if _, _, err := unmarshalState(starterModel); err != nil {
		t.Fatalf("embedded starter.model: %v (run go generate ./internal/spam)", err)
	}
	st := NewFilter().Stats()
	if st.SpamLearned < 1000 || st.HamLearned < 3000 || st.SpamSignatures < 500 {
		t.Errorf("starter looks untrained: %+v", st)
	}
	t.Logf("starter: %d bytes serialized, %+v", len(starterModel), st)
}

func TestCheckBasics(t *testing.T) {
	f := NewFilter()
	spam := f.Check(Sample{Author: "Casino Bonus", Content: "WIN BIG!!! Free spins and 200% casino bonus, claim now at http://best-casino-bonus-247.com call +1 888 555 0199"}, History{})
	if !spam.IsSpam() || spam.Score < 0.95 {
		t.Errorf("obvious spam: %v %.3f %v", spam.Verdict, spam.Score, spam.Reasons)
	}
	if len(spam.Reasons) == 0 || len(spam.Reasons) > MaxReasons {
		t.Errorf("reasons: %v", spam.Reasons)
	}
	for _, r := range spam.Reasons {
		if r.Feature == "" {
			t.Errorf("empty reason in %v", spam.Reasons)
		}
	}
	ham := f.Check(Sample{Author: "Dana", Content: "Thanks, this fixed my build. I had GOFLAGS set globally and forgot about it."}, History{})
	if ham.Verdict != Ham {
		t.Errorf("plain ham: %v %.3f %v", ham.Verdict, ham.Score, ham.Reasons)
	}
	if r := f.Check(Sample{}, History{}); r.Score < 0 || r.Score > 1 || r.IsSpam() {
		t.Errorf("empty sample: %+v", r)
	}
}

// Unfamiliar text (other languages, code) never reaches Spam from the text
// model alone.
func TestUnfamiliarIsNotSpam(t *testing.T) {
	f := NewFilter()
	for _, s := range []Sample{
		{Content: "Vielen Dank für die ausführliche Erklärung, das hat mir sehr geholfen!", Lang: "de"},
		{Content: "```\nfor i := range xs { if xs[i] == nil { panic(\"nil\") } }\n```"},
		{Content: "这个方法在 Windows 上也能用吗？谢谢"},
	} {
		if r := f.Check(s, History{}); r.IsSpam() {
			t.Errorf("%q: %v %.3f %v", s.Content, r.Verdict, r.Score, r.Reasons)
		}
	}
}

// A new campaign marked spam twice is caught the third time.
func TestLearnNewCampaign(t *testing.T) {
	f := NewFilter()
	campaign := []string{
		"Hello friend, my uncle made 4 BTC with the Zentrix quantum arbitrage bot, ask Zentrix support on Telegram @zentrixbot",
		"Hi friend, my cousin made 6 BTC with the Zentrix quantum arbitrage bot, ask Zentrix support on Telegram @zentrixhelp",
		"Dear friend, my sister made 9 BTC with the Zentrix quantum arbitrage bot, ask Zentrix support on Telegram @zentrix_ai",
	}
	// an unrelated variant that shares the campaign's vocabulary only
	other := "The Zentrix quantum arbitrage bot doubled my savings, message the Zentrix team today"
	before := f.Check(Sample{Content: campaign[2]}, History{})
	beforeOther := f.Check(Sample{Content: other}, History{})
	f.Learn(Sample{Content: campaign[0]}, true)
	f.Learn(Sample{Content: campaign[1]}, true)
	after := f.Check(Sample{Content: campaign[2]}, History{})
	if !after.IsSpam() {
		t.Errorf("third campaign message not caught: %v %.3f (before %.3f) %v", after.Verdict, after.Score, before.Score, after.Reasons)
	}
	afterOther := f.Check(Sample{Content: other}, History{})
	if afterOther.Score <= beforeOther.Score {
		t.Errorf("text model did not generalise: %.3f -> %.3f", beforeOther.Score, afterOther.Score)
	}
	// ...and legitimate comments are unaffected
	if r := f.Check(Sample{Content: "Thanks for the clear explanation of arbitrage in the second section."}, History{}); r.IsSpam() {
		t.Errorf("ham after learning: %v %.3f", r.Verdict, r.Score)
	}
	// Marking it ham takes it back out of the near-duplicate index.
	f.Learn(Sample{Content: campaign[1]}, false)
	f.Reset()
	if r := f.Check(Sample{Content: campaign[2]}, History{}); r.Score != before.Score {
		t.Errorf("Reset did not restore the starter: %.4f vs %.4f", r.Score, before.Score)
	}
}

func TestLearnHam(t *testing.T) {
	f := NewFilter()
	s := Sample{Content: "Subscribed to the newsletter, please keep the Kubernetes series coming"}
	before := f.Check(s, History{}).Score
	f.Learn(s, false)
	if after := f.Check(s, History{}).Score; after >= before {
		t.Errorf("learning ham did not lower the score: %.3f -> %.3f", before, after)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	f := NewFilter()
	f.Learn(Sample{Content: "Exclusive offer from Quorvex pharmacy, cheap pills shipped overnight to your door"}, true)
	f.Learn(Sample{Content: "The Quorvex library has a bug in its parser, see the issue tracker"}, false)
	b, err := f.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var g Filter
	if err := g.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	b2, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Error("marshal(unmarshal(x)) != x")
	}
	for _, s := range []string{"Exclusive offer from Quorvex pharmacy, cheap pills", "Thanks for the post!", "bug in the Quorvex parser"} {
		a, c := f.Check(Sample{Content: s}, History{}), g.Check(Sample{Content: s}, History{})
		if a.Verdict != c.Verdict || abs(a.Score-c.Score) > 1e-3 {
			t.Errorf("%q: %v %.4f vs %v %.4f", s, a.Verdict, a.Score, c.Verdict, c.Score)
		}
	}
	st := g.Stats()
	if st.SpamLearned != f.Stats().SpamLearned || st.SpamSignatures != f.Stats().SpamSignatures {
		t.Errorf("stats differ: %+v vs %+v", st, f.Stats())
	}
	t.Logf("serialized size %d bytes", len(b))
	// corrupt input is an error, never a panic, and leaves the filter as it was
	for _, bad := range [][]byte{nil, []byte("MQSP"), []byte("XXXX\x01abc"), b[:len(b)/2], append(slices.Clone(b[:5]), 1, 2, 3)} {
		if err := g.UnmarshalBinary(bad); err == nil {
			t.Errorf("UnmarshalBinary(%d bytes) accepted corrupt data", len(bad))
		}
	}
	if g.Stats() != st {
		t.Error("failed unmarshal changed the filter")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestConcurrentCheckLearn(t *testing.T) {
	f := NewFilter()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				s := Sample{Content: fmt.Sprintf("comment %d from goroutine %d, visit http://x%d.com", i, g, i%7)}
				f.Check(s, History{})
				if i%50 == 0 {
					f.Learn(s, i%100 == 0)
				}
			}
		}()
	}
	wg.Wait()
}

// blogEval returns the half of testdata/blog.jsonl that the starter model
// was not trained on.
func blogEval(t *testing.T) []Example {
	ex, err := ReadJSONL("testdata/blog.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out []Example
	for _, e := range ex {
		if !BlogTrainSplit(e.ID) {
			out = append(out, e)
		}
	}
	return out
}

// The starter model on blog-like comments: at most 3% of ham blocked.
func TestBlogStarter(t *testing.T) {
	f := NewFilter()
	var m Metrics
	verdicts := map[string]map[Verdict]int{"ham": {}, "spam": {}}
	for _, e := range blogEval(t) {
		r := f.Check(e.Sample(), History{})
		m.Add(e.Spam(), r.IsSpam())
		verdicts[e.Label][r.Verdict]++
		if !e.Spam() && r.IsSpam() {
			t.Logf("ham blocked: %s %.3f %q %v", e.ID, r.Score, e.Content, r.Reasons)
		}
	}
	m.Compute()
	t.Logf("blog eval half: %v; verdicts %v", m, verdicts)
	if m.FP+m.TN < 45 || m.TP+m.FN < 30 {
		t.Fatalf("blog eval set too small: %v", m)
	}
	if m.FPR > 0.03 {
		t.Errorf("blog ham FPR %.3f > 0.03", m.FPR)
	}
	if m.Recall < 0.7 {
		t.Errorf("blog spam recall %.3f < 0.7", m.Recall)
	}
	// most of the rest must at least be held for moderation
	if held := verdicts["spam"][Unsure] + m.TP; float64(held) < 0.95*float64(m.TP+m.FN) {
		t.Errorf("only %d of %d blog spam blocked or held", held, m.TP+m.FN)
	}
}

func TestReadJSONLErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.jsonl", "{\"id\":\"a\",\"author\":null,\"content\":\"hi\",\"label\":\"ham\",\"date\":\"2013\"}\n\n{\"id\":\"b\",\"content\":\"buy\",\"label\":\"spam\"}\n")
	ex, err := ReadJSONL(good)
	if err != nil || len(ex) != 2 || ex[0].Author != "" || !ex[1].Spam() {
		t.Fatalf("good file: %v %+v", err, ex)
	}
	for name, body := range map[string]string{
		"broken.jsonl":  "{\"id\":\"a\",\"content\":\"x\"}\n{\"id\":\n",
		"nocont.jsonl":  "{\"id\":\"a\",\"content\":\"x\"}\n{\"id\":\"b\"}\n",
		"badlab.jsonl":  "{\"id\":\"a\",\"content\":\"x\"}\n{\"id\":\"b\",\"content\":\"x\",\"label\":\"maybe\"}\n",
		"notobj.jsonl":  "{\"id\":\"a\",\"content\":\"x\"}\n[1,2]\n",
		"badtype.jsonl": "{\"id\":\"a\",\"content\":\"x\"}\n{\"content\":5}\n",
	} {
		p := write(name, body)
		_, err := ReadJSONL(p)
		if err == nil || !strings.Contains(err.Error(), p+":2:") {
			t.Errorf("%s: error %v should name file and line 2", name, err)
		}
	}
	if _, err := ReadJSONL(filepath.Join(dir, "missing.jsonl")); err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Evaluate([]string{filepath.Join(dir, "missing.jsonl")}, good, "", nil); err == nil {
		t.Error("Evaluate with a missing train file succeeded")
	}
	if _, err := Evaluate([]string{good}, filepath.Join(dir, "broken.jsonl"), "", nil); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("Evaluate with a broken test file: %v", err)
	}
	f := NewFilter()
	if n, err := f.TrainFile(good); err != nil || n != 2 {
		t.Errorf("TrainFile: %d %v", n, err)
	}
}

// Check latency: p99 well under a millisecond.
func TestCheckLatency(t *testing.T) {
	path := fixture.Path(t, "data/spam/youtube.dev.jsonl")
	ex, err := ReadJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFilter()
	var d []time.Duration
	for range 3 {
		for _, e := range ex {
			s := e.Sample()
			start := time.Now()
			f.Check(s, History{})
			d = append(d, time.Since(start))
		}
	}
	slices.Sort(d)
	p50, p99 := d[len(d)/2], d[len(d)*99/100]
	t.Logf("Check latency p50 %v p99 %v max %v", p50, p99, d[len(d)-1])
	if p99 > 500*time.Microsecond {
		t.Errorf("p99 %v", p99)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "http://", "www.", "a@b.c", "\xff\xfe", "0800 555 0199", "```code```", "😀😀", strings.Repeat("x", 300)} {
		f.Add(s, s, s)
	}
	flt := NewFilter()
	f.Fuzz(func(t *testing.T, content, author, url string) {
		s := Sample{Content: content, Author: author, URL: url, Email: author + "@" + url}
		r := flt.Check(s, History{})
		if r.Score < 0 || r.Score > 1 || r.Score != r.Score {
			t.Fatalf("score %v", r.Score)
		}
		if len(r.Reasons) > MaxReasons {
			t.Fatalf("%d reasons", len(r.Reasons))
		}
		switch r.Verdict {
		case Ham, Unsure, Spam, Discard:
		default:
			t.Fatalf("verdict %q", r.Verdict)
		}
		tk := tok(s)
		for _, f := range tk.feats {
			if f.lab >= int32(len(tk.labels)) {
				t.Fatal("label out of range")
			}
		}
	})
}

func publicExamples(b *testing.B) []Example {
	var all []Example
	for _, n := range []string{"youtube.train", "youtube.dev", "sms.train", "sms.dev"} {
		ex, err := ReadJSONL(fixture.Path(b, "data/spam/"+n+".jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, ex...)
	}
	return all
}

// BenchmarkCheck: classification throughput on one goroutine over the
// public comments (go test -bench Check -cpu 1).
func BenchmarkCheck(b *testing.B) {
	ex := publicExamples(b)
	samples := make([]Sample, len(ex))
	for i, e := range ex {
		samples[i] = e.Sample()
	}
	f := NewFilter()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.Check(samples[i%len(samples)], History{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}

// BenchmarkTrain: training a fresh filter on all public data (train + dev
// of both sets), including the cross-validated calibration.
func BenchmarkTrain(b *testing.B) {
	ex := publicExamples(b)
	for b.Loop() {
		Train(ex)
	}
}
