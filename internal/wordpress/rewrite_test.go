package wordpress

import (
	"strings"
	"testing"

	"marquee/internal/media"
)

// testMatcher knows a 2000×1333 photo stored as media 7, a "-scaled" one
// as media 8 and a WordPress.com-hosted one as media 9.
func testMatcher() *matcher {
	m := newMatcher("https://www.blog.example", "https://www.blog.example", "https://www.blog.example/")
	variants := func(w, h int) []media.VariantInfo {
		return []media.VariantInfo{{Name: "original", Width: w, Height: h}, {Name: "large", Width: 1600, Height: 1600 * h / w},
			{Name: "medium", Width: 800, Height: 800 * h / w}, {Name: "thumb", Width: 320, Height: 320 * h / w}}
	}
	m.add(&upload{rel: "2013/01/Photo.jpg", media: &media.Media{ID: 7, Filename: "photo.jpg", Variants: variants(2000, 1333)}})
	m.addBase("cdn.blog.example", "/wp-content/uploads/")
	m.add(&upload{rel: "2020/05/big-scaled.jpg", media: &media.Media{ID: 8, Filename: "big-scaled.jpg", Variants: variants(2560, 1707)},
		sizes: attachmentSizes(`a:1:{s:5:"sizes";a:1:{s:6:"medium";a:4:{s:4:"file";s:15:"big-300x200.jpg";s:5:"width";i:300;s:6:"height";i:200;}}s:14:"original_image";s:7:"big.jpg";}`, "2020/05/big-scaled.jpg")})
	m.addBase("blogexample.files.wordpress.com", "/")
	m.add(&upload{rel: "2008/06/canola.jpg", media: &media.Media{ID: 9, Filename: "canola.jpg", Variants: variants(1000, 750)[:1]}})
	m.add(&upload{rel: "2013/01/report.pdf"}) // not stored
	return m
}

func TestMatcherForms(t *testing.T) {
	m := testMatcher()
	for raw, want := range map[string]string{
		"https://www.blog.example/wp-content/uploads/2013/01/Photo.jpg":                        "/media/7/original/photo.jpg",
		"http://www.blog.example/wp-content/uploads/2013/01/Photo.jpg":                         "/media/7/original/photo.jpg",
		"https://blog.example/wp-content/uploads/2013/01/Photo.jpg":                            "/media/7/original/photo.jpg",
		"//blog.example/wp-content/uploads/2013/01/photo.jpg":                                  "/media/7/original/photo.jpg",
		"/wp-content/uploads/2013/01/Photo.jpg":                                                "/media/7/original/photo.jpg",
		"  /wp-content/uploads/2013/01/Photo.jpg?ver=2#top ":                                   "/media/7/original/photo.jpg",
		"https://WWW.BLOG.EXAMPLE/wp-content/uploads/2013/01/Photo-300x200.jpg":                "/media/7/thumb/photo.jpg",
		"https://www.blog.example/wp-content/uploads/2013/01/Photo-150x150.jpg":                "/media/7/thumb/photo.jpg",
		"https://www.blog.example/wp-content/uploads/2013/01/Photo-768x512.jpg":                "/media/7/medium/photo.jpg",
		"https://www.blog.example/wp-content/uploads/2013/01/Photo-1024x682.jpg":               "/media/7/large/photo.jpg",
		"https://www.blog.example/wp-content/uploads/2013/01/Photo-1800x1200.jpg":              "/media/7/original/photo.jpg",
		"https://i0.wp.com/www.blog.example/wp-content/uploads/2013/01/Photo.jpg":              "/media/7/original/photo.jpg",
		"https://i2.wp.com/blog.example/wp-content/uploads/2013/01/Photo.jpg?resize=300%2C200": "/media/7/thumb/photo.jpg",
		"https://cdn.blog.example/wp-content/uploads/2013/01/Photo-300x200.jpg":                "/media/7/thumb/photo.jpg",
		"https://www.blog.example/wp-content/uploads/2020/05/big.jpg":                          "/media/8/original/big-scaled.jpg",
		"https://www.blog.example/wp-content/uploads/2020/05/big-300x200.jpg":                  "/media/8/thumb/big-scaled.jpg",
		"https://www.blog.example/wp-content/uploads/2020/05/big-1024x683.jpg":                 "/media/8/large/big-scaled.jpg", // not in the metadata: by its name
		"https://blogexample.files.wordpress.com/2008/06/canola.jpg?w=300":                     "/media/9/original/canola.jpg",
		"https://blogexample.files.wordpress.com/2008/06/canola-300x225.jpg":                   "/media/9/original/canola.jpg",

		"https://www.blog.example/wp-content/uploads/2013/01/other.jpg":  "",
		"https://elsewhere.example/wp-content/uploads/2013/01/Photo.jpg": "",
		"https://www.blog.example/2013/01/Photo.jpg":                     "",
		"wp-content/uploads/2013/01/Photo.jpg":                           "",
		"ftp://www.blog.example/wp-content/uploads/2013/01/Photo.jpg":    "",
		"https://www.blog.example/wp-content/uploads/2013/01/report.pdf": "", // known, not stored
		"https://www.blog.example/wp-content/uploads/":                   "",
		"data:image/png;base64,AAAA":                                     "",
	} {
		got, _, _ := m.resolve(raw, false)
		if got != want {
			t.Errorf("resolve(%q) = %q, want %q", raw, got, want)
		}
	}
	if got, _, _ := m.resolve("https://www.blog.example/wp-content/uploads/2013/01/Photo-300x200.jpg", true); got != "/media/7/original/photo.jpg" {
		t.Errorf("a link gets %q, want the original", got)
	}
}

func TestRewriteBody(t *testing.T) {
	m := testMatcher()
	src := `<p>Intro &amp; <b>more</b> a < b <3</p>
[caption id="attachment_5" align="alignright" width="300"]<a href='https://www.blog.example/wp-content/uploads/2013/01/Photo.jpg' data-x="1"><IMG SRC="https://www.blog.example/wp-content/uploads/2013/01/Photo-300x200.jpg" alt="A &quot;quoted&quot; photo" srcset="https://www.blog.example/wp-content/uploads/2013/01/Photo-300x200.jpg 300w,https://www.blog.example/wp-content/uploads/2013/01/Photo-1024x682.jpg 1024w, https://www.blog.example/wp-content/uploads/2013/01/Photo-1536x1023.jpg 1536w, https://www.blog.example/wp-content/uploads/2013/01/Photo.jpg 2000w, https://elsewhere.example/x.jpg 3000w"></a> A caption[/caption]
<!-- wp:cover {"url":"https://www.blog.example/wp-content/uploads/2020/05/big-scaled.jpg","id":8} -->
<pre lang="php"><?php echo "<img src='/wp-content/uploads/2013/01/Photo.jpg'>"; ?></pre>
<script>var u = "/wp-content/uploads/2013/01/Photo.jpg";</script>
<div class="wp-block-cover" style="background-position:50% 50%;background-image:url('https://www.blog.example/wp-content/uploads/2013/01/Photo-300x200.jpg')"></div>
<a href="https://www.blog.example/wp-content/uploads/2013/01/report.pdf">PDF</a>`
	got, n := m.rewrite(src)
	want := `<p>Intro &amp; <b>more</b> a < b <3</p>
[caption id="attachment_5" align="alignright" width="300"]<a href="/media/7/original/photo.jpg" data-x="1"><img src="/media/7/thumb/photo.jpg" alt="A &#34;quoted&#34; photo" srcset="/media/7/thumb/photo.jpg 320w, /media/7/large/photo.jpg 1600w, /media/7/original/photo.jpg 2000w, https://elsewhere.example/x.jpg 3000w"></a> A caption[/caption]
<!-- wp:cover {"url":"/media/8/original/big-scaled.jpg","id":8} -->
<pre lang="php"><?php echo "<img src='/media/7/original/photo.jpg'>"; ?></pre>
<script>var u = "/wp-content/uploads/2013/01/Photo.jpg";</script>
<div class="wp-block-cover" style="background-position:50% 50%;background-image:url(&#39;/media/7/thumb/photo.jpg&#39;)"></div>
<a href="https://www.blog.example/wp-content/uploads/2013/01/report.pdf">PDF</a>`
	if got != want || n != 9 {
		t.Errorf("rewrite = %d\n%s\nwant 9\n%s", n, got, want)
	}
	// A body without references is returned byte for byte, even broken.
	for _, s := range []string{"", "plain text", "<p>unclosed <b attr='x", "<a href=\"/about/\">About</a> <!-- comment", "a <br/> b\r\n<img src=x>"} {
		if got, n := m.rewrite(s); got != s || n != 0 {
			t.Errorf("rewrite(%q) = %q, %d", s, got, n)
		}
	}
}

func TestParseSrcset(t *testing.T) {
	// As browsers read it: a URL runs to white space, so "c,d.jpg" is one.
	got := parseSrcset(" a.jpg 300w,b.jpg  2x , c,d.jpg,, e.jpg")
	want := []srcsetCandidate{{"a.jpg", "300w"}, {"b.jpg", "2x"}, {"c,d.jpg", ""}, {"e.jpg", ""}}
	if len(got) != len(want) {
		t.Fatalf("parseSrcset = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("candidate %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestAttachmentRel(t *testing.T) {
	for _, c := range []struct{ path, attached, rel, base string }{
		{"/wp-content/uploads/2013/01/a.jpg", "2013/01/a.jpg", "2013/01/a.jpg", "/wp-content/uploads/"},
		{"/blog/wp-content/uploads/2013/01/a.jpg", "", "2013/01/a.jpg", "/blog/wp-content/uploads/"},
		{"/files/2013/01/a.jpg", "2013/01/a.jpg", "2013/01/a.jpg", "/files/"},
		{"/2008/06/canola.jpg", "", "2008/06/canola.jpg", "/"},
		{"/media/a.jpg", "/home/www/wp-content/uploads/a.jpg", "a.jpg", "/media/"},
		{"/wp-content/uploads/", "", "", ""},
	} {
		rel, base := attachmentRel(c.path, c.attached)
		if rel != c.rel || base != c.base {
			t.Errorf("attachmentRel(%q, %q) = %q, %q; want %q, %q", c.path, c.attached, rel, base, c.rel, c.base)
		}
	}
	if !strings.Contains(reasonTooLarge(media.MaxBytes), "10 MiB") {
		t.Error(reasonTooLarge(media.MaxBytes))
	}
}
