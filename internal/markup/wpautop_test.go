package markup

import "testing"

// Expectations follow WordPress's own wpautop behaviour (and its unit tests
// in tests/phpunit/tests/formatting/autop.php where they exist).
func TestWpautop(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{" \n\t\n", ""},
		{"Hello", "<p>Hello</p>\n"},
		{"Hello\nWorld", "<p>Hello<br />\nWorld</p>\n"},
		{"a\n\nb", "<p>a</p>\n<p>b</p>\n"},
		{"a\n\n\n\nb\r\n\r\nc", "<p>a</p>\n<p>b</p>\n<p>c</p>\n"},
		{"line 1<br>\nline 2", "<p>line 1<br />\nline 2</p>\n"},
		{"line 1<br/>\nline 2", "<p>line 1<br />\nline 2</p>\n"},
		{"a<br><br>b", "<p>a</p>\n<p>b</p>\n"},
		{"<div>foo</div>", "<div>foo</div>\n"},
		{"<blockquote>foo</blockquote>", "<blockquote><p>foo</p></blockquote>\n"},
		{"<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"text\n<h2>x</h2>\nmore", "<p>text</p>\n<h2>x</h2>\n<p>more</p>\n"},
		{"<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n"},
		{"x\n<pre>1\n2</pre>\ny\n<pre>3</pre>", "<p>x</p>\n<pre>1\n2</pre>\n<p>y</p>\n<pre>3</pre>\n"},
		{`<img src="x" />`, "<p><img src=\"x\" /></p>\n"},
		{"<a href=\"x\"\ntitle=\"y\">l</a>", "<p><a href=\"x\"\ntitle=\"y\">l</a></p>\n"},
		{"<!-- a\nb -->\ntext", "<p><!-- a\nb --><br />\ntext</p>\n"},
		{"<script>a\nb</script>", "<p><script>a\nb</script></p>\n"},
		{"a <hr> b", "<p>a </p>\n<hr>\n<p> b</p>\n"}, // trim() only takes newlines
		{"<p>done</p>", "<p>done</p>\n"},
		{"<figure><img src=x>\n<figcaption>c</figcaption>\n</figure>", "<figure><img src=x><figcaption>c</figcaption></figure>\n"},
		{"[gallery ids=\"1,2\"]", "<p>[gallery ids=\"1,2\"]</p>\n"},
		// WP-Syntax's <pre lang> holds raw source code.
		{"<pre lang=\"java\">List<String> a = new ArrayList<>(); // a && b</pre>",
			"<pre lang=\"java\">List&lt;String&gt; a = new ArrayList&lt;&gt;(); // a &amp;&amp; b</pre>\n"},
		{"<pre lang=\"html\" escaped=\"true\">&lt;b&gt;</pre>", "<pre lang=\"html\" escaped=\"true\">&lt;b&gt;</pre>\n"},
		{"<pre class=\"x\"><b>bold</b></pre>", "<pre class=\"x\"><b>bold</b></pre>\n"},
	} {
		if got := wpautop(c.in); got != c.want {
			t.Errorf("wpautop(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestNewlinesToBr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\nb", "a<br />\nb"},
		{"a  \n  \nb", "a<br />\nb"},
		{"a<br />\nb", "a<br />\nb"},
		{"a<br /> \nb", "a<br /> <br />\nb"}, // PCRE retries one byte later, so does this
		{"a b", "a b"},
	} {
		if got := newlinesToBr(c.in); got != c.want {
			t.Errorf("newlinesToBr(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHTMLBlocksSkipAutop(t *testing.T) {
	r := New(Options{})
	got := r.HTML("<!-- wp:paragraph -->\n<p>a\nb</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator /-->")
	if want := "<p>a\nb</p>\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = r.HTML("Teaser.\n<!--more Read on-->\nRest.")
	if want := "<p>Teaser.</p>\n<p>Rest.</p>\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestHTMLKeepsWPSyntaxCode(t *testing.T) {
	r := New(Options{})
	got := r.HTML("Code:\n<pre lang=\"java\">Map<K, List<V>> m;</pre>\nDone.")
	want := "<p>Code:</p>\n<pre lang=\"java\">Map&lt;K, List&lt;V&gt;&gt; m;</pre>\n<p>Done.</p>\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
