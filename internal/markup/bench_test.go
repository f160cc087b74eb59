package markup

import (
	"fmt"
	"strings"
	"testing"
)

// longPost generates a post of about words words that uses most features.
func longPost(words int) string {
	vocab := strings.Fields("the film opens on a crowded freeway where drivers sing and dance " +
		"it's a love letter to jazz and to the city that \"never sleeps\" -- or so they say...")
	var b strings.Builder
	n, para := 0, 0
	for n < words {
		para++
		switch para % 6 {
		case 1:
			fmt.Fprintf(&b, "## Part %d\n\n", para)
		case 3:
			b.WriteString("- [x] first *item*\n- second with `code`\n- third, see https://example.com/notes\n\n")
			n += 12
		case 5:
			b.WriteString("```go\nfmt.Println(\"hello\")\n```\n\n> A quoted line\n> and another.\n\n")
			n += 8
		}
		for i := 0; i < 60; i++ {
			w := vocab[(para*7+i)%len(vocab)]
			switch i {
			case 10:
				w = "**" + w + "**"
			case 20:
				w = "[" + w + "](https://example.com/" + w + ")"
			case 30:
				w += "\n"
			}
			b.WriteString(w)
			b.WriteByte(' ')
		}
		n += 60
		b.WriteString("\n\n")
	}
	return b.String()
}

func BenchmarkMarkdownLong(b *testing.B) {
	r := New(Options{})
	src := longPost(1000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Markdown(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComment(b *testing.B) {
	r := New(Options{})
	src := "Loved it! **Really** loved the _ending_, though it's bittersweet.\n" +
		"See https://example.com/review and [my blog](https://blog.example.net).\n\n" +
		"> Here's to the ones who dream\n\nA <b>tag</b> shown as text and `some code`."
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		r.Comment(src)
	}
}

func BenchmarkHTMLLong(b *testing.B) {
	r := New(Options{})
	src := strings.ReplaceAll(longPost(1000), "**", "")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		r.HTML(src)
	}
}

func TestLongPostSize(t *testing.T) {
	r := New(Options{})
	out, err := r.Markdown(longPost(1000))
	if err != nil {
		t.Fatal(err)
	}
	if n := WordCount(out); n < 900 || n > 1200 {
		t.Errorf("generated post has %d words, want about 1000", n)
	}
	if why := unsafeReason(out); why != "" {
		t.Error(why)
	}
}
