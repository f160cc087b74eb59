package wordpress

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/media"
	"marquee/internal/post"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/web"
)

const uploadsFixture = "testdata/uploads.xml"

func testPicture(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	return img
}

func jpegFile(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testPicture(w, h), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngFile(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testPicture(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// oldFiles are the files of the fixture's uploads folder that are images
// the media library takes.
func oldFiles(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"2013/01/harbour.jpg":   jpegFile(t, 1200, 800),
		"2013/02/logo.png":      pngFile(t, 400, 100),
		"2012/12/old-photo.jpg": jpegFile(t, 400, 300),
	}
}

// uploadsDir writes a copy of the old site's uploads folder: the images,
// a PDF and a photo too large for the media library.
func uploadsDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fullUploadsDir(t *testing.T) string {
	files := oldFiles(t)
	files["2013/02/report.pdf"] = []byte("%PDF-1.4\n%…\n")
	dir := uploadsDir(t, files)
	if err := os.MkdirAll(filepath.Join(dir, "2013", "03"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Sparse: nothing is written.
	if err := os.Truncate(filepath.Join(dir, "2013", "03", "huge.jpg"), media.MaxBytes+1); err != nil {
		huge, err := os.Create(filepath.Join(dir, "2013", "03", "huge.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		huge.Truncate(media.MaxBytes + 1)
		huge.Close()
	}
	return dir
}

func newUploadEnv(db *sqldb.DB) *env {
	e := newEnv(db)
	e.im.Media = media.NewStore(db)
	return e
}

// importUploads imports the fixture with the options set, from a pipe
// when pipe is set (no Seek: the import copies it first).
func (e *env) importUploads(t *testing.T, dir string, fetch bool, client *http.Client, pipe bool) *Summary {
	t.Helper()
	im := *e.im
	im.UploadsDir, im.FetchUploads, im.HTTPClient = dir, fetch, client
	f, err := os.Open(uploadsFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if pipe {
		r = io.MultiReader(f)
	}
	sum, err := im.Import(context.Background(), r)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

func summaryText(s *Summary) string {
	var b bytes.Buffer
	s.WriteTo(&b)
	return b.String()
}

// mediaIDs returns the media library's images by file name.
func mediaIDs(t *testing.T, db *sqldb.DB) map[string]int64 {
	t.Helper()
	ms, _, err := media.NewStore(db).List(context.Background(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, m := range ms {
		if _, dup := out[m.Filename]; dup {
			t.Errorf("%s stored twice", m.Filename)
		}
		out[m.Filename] = m.ID
	}
	return out
}

// checkImported checks the media, the bodies and the redirects of a site
// into which the fixture's uploads were imported.
func checkImported(t *testing.T, e *env) (ids map[string]int64) {
	t.Helper()
	ids = mediaIDs(t, e.db)
	if len(ids) != 3 || ids["harbour.jpg"] == 0 || ids["logo.png"] == 0 || ids["old-photo.jpg"] == 0 {
		t.Fatalf("media = %v, want harbour.jpg, logo.png, old-photo.jpg", ids)
	}
	h, l, o := ids["harbour.jpg"], ids["logo.png"], ids["old-photo.jpg"]
	ps := e.all(t)
	harbour, about, winter := ps["a-day-at-the-harbour"], ps["about"], ps["winter"]
	if harbour == nil || about == nil || winter == nil {
		t.Fatalf("posts: %v", keys(ps))
	}
	for _, p := range []*post.Post{harbour, about, winter} {
		if p.Format != post.HTML {
			t.Errorf("%s: format %s", p.Slug, p.Format)
		}
		for _, old := range []string{"oldblog.example/wp-content/uploads/2013/01", "oldblog.example/wp-content/uploads/2013/02/logo",
			`"/wp-content/uploads/2013/02/logo.png"`, "old-photo-300x225", "harbour-"} {
			if strings.Contains(p.Body, old) || strings.Contains(p.BodyHTML, old) {
				t.Errorf("%s still refers to %s:\n%s\n---\n%s", p.Slug, old, p.Body, p.BodyHTML)
			}
		}
	}
	for _, want := range []string{
		fmt.Sprintf(`<a href="/media/%d/original/harbour.jpg">`, h),
		fmt.Sprintf(`src="/media/%d/thumb/harbour.jpg"`, h),
		fmt.Sprintf(`srcset="/media/%d/thumb/harbour.jpg 320w, /media/%d/original/harbour.jpg 1200w"`, h, h),
		fmt.Sprintf(`<img src="/media/%d/original/logo.png" alt="Logo">`, l),
		`alt="The harbour at dawn"`, `sizes="(max-width: 300px) 100vw, 300px"`,
		// Not imported: they keep their addresses.
		`<a href="https://www.oldblog.example/wp-content/uploads/2013/02/report.pdf">`,
		`<img src="https://www.oldblog.example/wp-content/uploads/2013/03/missing.jpg" alt="">`,
		`<img src="https://elsewhere.example/wp-content/uploads/2013/01/harbour.jpg" alt="">`,
		"\n\nThe logo, by a site-relative path: ", // the rest of the source as it was
	} {
		if !strings.Contains(harbour.Body, want) {
			t.Errorf("harbour body lacks %s:\n%s", want, harbour.Body)
		}
	}
	if strings.Count(harbour.Body, fmt.Sprintf(`/media/%d/thumb/harbour.jpg`, h)) != 3 { // src, srcset, the 150×150
		t.Errorf("harbour body:\n%s", harbour.Body)
	}
	for _, want := range []string{fmt.Sprintf(`src="/media/%d/thumb/harbour.jpg"`, h), fmt.Sprintf(`href="/media/%d/original/harbour.jpg"`, h),
		fmt.Sprintf(`src="/media/%d/original/logo.png"`, l)} {
		if !strings.Contains(harbour.BodyHTML, want) {
			t.Errorf("harbour HTML lacks %s:\n%s", want, harbour.BodyHTML)
		}
	}
	if want := fmt.Sprintf(`<!-- wp:image {"id":11,"sizeSlug":"full","url":"/media/%d/original/logo.png"} -->`+"\n"+
		`<figure class="wp-block-image size-full"><img src="/media/%d/original/logo.png" alt="" class="wp-image-11"/></figure>`, l, l); !strings.Contains(about.Body, want) {
		t.Errorf("about body:\n%s\nwant\n%s", about.Body, want)
	}
	if want := fmt.Sprintf(`<img src="/media/%d/thumb/old-photo.jpg" width="300" height="225" alt="Snow">`, o); !strings.Contains(winter.Body, want) {
		t.Errorf("winter body:\n%s", winter.Body)
	}
	var uploader int64
	if err := e.db.QueryRowContext(context.Background(), "SELECT coalesce(uploader_id, 0) FROM media WHERE id = $1", h).Scan(&uploader); err != nil {
		t.Fatal(err)
	}
	if uploader == 0 || uploader != harbour.AuthorID {
		t.Errorf("harbour.jpg uploaded by %d, want Ann (%d)", uploader, harbour.AuthorID)
	}
	checkRedirects(t, e, map[string]string{
		"/wp-content/uploads/2013/01/harbour.jpg":           fmt.Sprintf("/media/%d/original/harbour.jpg", h),
		"/wp-content/uploads/2013/01/harbour-300x200.jpg":   fmt.Sprintf("/media/%d/thumb/harbour.jpg", h),
		"/wp-content/uploads/2013/01/harbour-150x150.jpg":   fmt.Sprintf("/media/%d/thumb/harbour.jpg", h),
		"/wp-content/uploads/2013/01/harbour-768x512.jpg":   fmt.Sprintf("/media/%d/medium/harbour.jpg", h), // only in the metadata
		"/wp-content/uploads/2013/01/harbour-1024x683.jpg":  fmt.Sprintf("/media/%d/original/harbour.jpg", h),
		"/wp-content/uploads/2013/02/logo.png":              fmt.Sprintf("/media/%d/original/logo.png", l),
		"/wp-content/uploads/2012/12/old-photo.jpg":         fmt.Sprintf("/media/%d/original/old-photo.jpg", o),
		"/wp-content/uploads/2012/12/old-photo-300x225.jpg": fmt.Sprintf("/media/%d/thumb/old-photo.jpg", o),
		"/?attachment_id=10":                                fmt.Sprintf("/media/%d/original/harbour.jpg", h),
		"/2013/01/15/a-day-at-the-harbour/harbour/":         fmt.Sprintf("/media/%d/original/harbour.jpg", h),
		"/?attachment_id=11":                                fmt.Sprintf("/media/%d/original/logo.png", l),
		"/?attachment_id=12":                                "https://www.oldblog.example/wp-content/uploads/2013/02/report.pdf",
		"/?attachment_id=13":                                "https://www.oldblog.example/wp-content/uploads/2013/03/missing.jpg",
		"/wp-content/uploads/2013/03/missing.jpg":           "",
	})
	return ids
}

// checkRedirects asks the public site for old addresses: each must answer
// 301 to its new one ("": not redirected), and the media it leads to serve.
func checkRedirects(t *testing.T, e *env, want map[string]string) {
	t.Helper()
	h, err := web.New(web.Deps{Posts: e.posts, Settings: e.settings, Sessions: account.NewStore(e.db), Comments: e.comments,
		Redirects: NewRedirects(e.db), Media: e.im.Media})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for from, to := range want {
		res, err := client.Get(srv.URL + from)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if to == "" { // no redirect: the address is simply not found
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d → %q, want 404", from, res.StatusCode, res.Header.Get("Location"))
			}
			continue
		}
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
			t.Errorf("GET %s: %d → %q, want 301 → %q", from, res.StatusCode, res.Header.Get("Location"), to)
			continue
		}
		if !strings.HasPrefix(to, "/media/") {
			continue
		}
		res, err = client.Get(srv.URL + to)
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || err != nil {
			t.Errorf("GET %s (from %s): %d, %v", to, from, res.StatusCode, err)
			continue
		}
		if strings.Contains(to, "/thumb/") && max(cfg.Width, cfg.Height) != 320 || strings.Contains(to, "/medium/") && max(cfg.Width, cfg.Height) != 800 {
			t.Errorf("GET %s: a %d×%d %s", to, cfg.Width, cfg.Height, format)
		}
	}
}

func bodies(t *testing.T, e *env) string {
	var b strings.Builder
	for _, slug := range []string{"a-day-at-the-harbour", "about", "winter"} {
		p := e.all(t)[slug]
		if p == nil {
			t.Fatalf("%s missing", slug)
		}
		b.WriteString(p.Body + "\x00" + p.BodyHTML + "\x00" + p.Summary + "\x00")
	}
	return b.String()
}

func tableCounts(t *testing.T, e *env) string {
	var parts []string
	for _, table := range []string{"posts", "media", "media_variants", "wp_map", "wp_redirects", "wp_attachments", "users"} {
		parts = append(parts, fmt.Sprintf("%s %d", table, e.count(t, "SELECT count(*) FROM "+table)))
	}
	return strings.Join(parts, ", ")
}

// TestUploadsFromFolder imports the fixture with a copy of its uploads
// folder, then again with it and without it: the second and third runs
// change nothing.
func TestUploadsFromFolder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newUploadEnv(db)
		dir := fullUploadsDir(t)
		sum := e.importUploads(t, dir, false, nil, false)
		u := sum.Uploads
		if u == nil || u.Imported != 3 || u.Local != 3 || u.Fetched != 0 {
			t.Fatalf("uploads = %+v", u)
		}
		for reason, want := range map[string]int{reasonNotImage: 1, reasonMissing: 1, reasonTooLarge(media.MaxBytes): 1} {
			if u.Skipped[reason] != want {
				t.Errorf("skipped[%q] = %d, want %d (%v)", reason, u.Skipped[reason], want, u.Skipped)
			}
		}
		if sum.References != 10 || sum.RewrittenPosts != 3 {
			t.Errorf("%d references in %d posts rewritten, want 10 in 3", sum.References, sum.RewrittenPosts)
		}
		text := summaryText(sum)
		for _, want := range []string{
			"attachments: 5 new",
			"uploads:     3 imported into the media library (3 found in " + dir + "), 3 not imported (below)",
			"references:  10 in 3 posts and pages now point at the media library",
			"1 × not an image: the media library keeps JPEG, PNG, GIF and WebP images\n    - 2013/02/report.pdf\n",
			"1 × not in the uploads folder\n    - 2013/03/missing.jpg\n",
			"1 × larger than 10 MiB, the most the media library takes\n    - 2013/03/huge.jpg\n",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("summary lacks %q:\n%s", want, text)
			}
		}
		ids := checkImported(t, e)
		before, state := bodies(t, e), tableCounts(t, e)

		// The same flags again: nothing read, nothing new.
		again := e.importUploads(t, dir, false, nil, false)
		if again.Total() != 0 || again.Redirects != 0 || again.References != 0 || again.Uploads.Imported != 0 ||
			again.Uploads.Local != 0 || again.Existing["upload"] != 3 {
			t.Errorf("second import:\n%s", summaryText(again))
		}
		if !strings.Contains(summaryText(again), "uploads:     0 imported") || !strings.Contains(summaryText(again), "3 upload") {
			t.Errorf("second import's summary:\n%s", summaryText(again))
		}
		// Without the flags: nothing either.
		plain := e.importFile(t, uploadsFixture)
		if plain.Total() != 0 || plain.Redirects != 0 || plain.References != 0 || plain.Uploads != nil {
			t.Errorf("import without the flags:\n%s", summaryText(plain))
		}
		if strings.Contains(summaryText(plain), "references:") {
			t.Errorf("summary without the flags:\n%s", summaryText(plain))
		}
		if bodies(t, e) != before || tableCounts(t, e) != state {
			t.Errorf("a second import changed the site: %s, was %s", tableCounts(t, e), state)
		}
		if got := mediaIDs(t, db); fmt.Sprint(got) != fmt.Sprint(ids) {
			t.Errorf("media %v, was %v", got, ids)
		}
	})
}

// TestUploadsAfterPlainImport: a site imported without its files gets
// them from a second run, which points the posts already imported at them.
func TestUploadsAfterPlainImport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newUploadEnv(db)
		first := e.importFile(t, uploadsFixture)
		if first.References != 0 || first.Uploads != nil || e.count(t, "SELECT count(*) FROM media") != 0 {
			t.Fatalf("plain import:\n%s", summaryText(first))
		}
		if p := e.all(t)["a-day-at-the-harbour"]; !strings.Contains(p.Body, "https://www.oldblog.example/wp-content/uploads/2013/01/harbour-300x200.jpg") {
			t.Fatalf("body = %s", p.Body)
		}
		checkRedirects(t, e, map[string]string{
			"/?attachment_id=10":                      "https://www.oldblog.example/wp-content/uploads/2013/01/harbour.jpg",
			"/wp-content/uploads/2013/01/harbour.jpg": "",
		})
		updated := e.all(t)["a-day-at-the-harbour"].UpdatedAt

		sum := e.importUploads(t, fullUploadsDir(t), false, nil, true)
		if sum.Uploads.Imported != 3 || sum.References != 10 || sum.RewrittenPosts != 3 || len(sum.Posts) != 0 || sum.Existing["post"] != 2 {
			t.Errorf("second import:\n%s", summaryText(sum))
		}
		checkImported(t, e)
		if p := e.all(t)["a-day-at-the-harbour"]; !p.UpdatedAt.Equal(updated) || p.Summary == "" {
			t.Errorf("updated %v, was %v; summary %q", p.UpdatedAt, updated, p.Summary)
		}
		again := e.importUploads(t, fullUploadsDir(t), false, nil, false)
		if again.Total() != 0 || again.References != 0 {
			t.Errorf("third import:\n%s", summaryText(again))
		}
	})
}

// oldSite serves the fixture's files as the old host would, on http and
// https: a 404 for the lost photo and a never-ending one for the huge.
type oldSite struct {
	mu       sync.Mutex
	requests map[string]int
	files    map[string][]byte
	client   *http.Client
}

func newOldSite(t *testing.T) *oldSite {
	o := &oldSite{requests: map[string]int{}, files: oldFiles(t)}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel := strings.TrimPrefix(r.URL.Path, "/wp-content/uploads/")
		o.mu.Lock()
		o.requests[r.Host+" "+rel]++
		o.mu.Unlock()
		if r.UserAgent() != userAgent {
			http.Error(w, "who are you", http.StatusForbidden)
			return
		}
		if rel == "2013/03/huge.jpg" {
			chunk := bytes.Repeat([]byte{0xFF}, 1<<16)
			for range (media.MaxBytes >> 16) + 2 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			return
		}
		data, ok := o.files[rel]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	})
	plain, secure := httptest.NewServer(h), httptest.NewTLSServer(h)
	t.Cleanup(plain.Close)
	t.Cleanup(secure.Close)
	// Every host name leads to these two servers, by port.
	dialer := &net.Dialer{}
	o.client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			to := plain.Listener.Addr().String()
			if strings.HasSuffix(addr, ":443") {
				to = secure.Listener.Addr().String()
			}
			return dialer.DialContext(ctx, network, to)
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
	return o
}

func (o *oldSite) asked(key string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.requests[key]
}

// TestFetchUploads downloads the files from the old site; the missing and
// the oversized file are reported, not fatal. Combined with a folder, only
// what the folder lacks is downloaded.
func TestFetchUploads(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		old := newOldSite(t)
		e := newUploadEnv(db)
		sum := e.importUploads(t, "", true, old.client, true)
		u := sum.Uploads
		if u.Imported != 3 || u.Fetched != 3 || u.Local != 0 {
			t.Errorf("uploads = %+v", u)
		}
		for reason, want := range map[string]int{reasonNotImage: 1, reasonFetch: 1, reasonTooLarge(media.MaxBytes): 1} {
			if u.Skipped[reason] != want {
				t.Errorf("skipped[%q] = %d, want %d (%v)", reason, u.Skipped[reason], want, u.Skipped)
			}
		}
		text := summaryText(sum)
		for _, want := range []string{
			"uploads:     3 imported into the media library (3 downloaded), 3 not imported (below)",
			"1 × the download failed\n    - 2013/03/missing.jpg: https://www.oldblog.example/wp-content/uploads/2013/03/missing.jpg: HTTP 404 Not Found\n",
			"1 × larger than 10 MiB, the most the media library takes\n    - 2013/03/huge.jpg\n",
			"    - 2013/02/report.pdf\n",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("summary lacks %q:\n%s", want, text)
			}
		}
		for key, want := range map[string]int{
			"www.oldblog.example 2013/01/harbour.jpg":   1,
			"oldblog.example 2013/02/logo.png":          1, // its attachment_url is http://oldblog.example
			"www.oldblog.example 2012/12/old-photo.jpg": 1, // only in a body, by its resized copy: the original first
			"www.oldblog.example 2013/03/missing.jpg":   1,
			"www.oldblog.example 2013/02/report.pdf":    0, // not an image: not downloaded
		} {
			if n := old.asked(key); n != want {
				t.Errorf("%s asked %d times, want %d (%v)", key, n, want, old.requests)
			}
		}
		checkImported(t, e)

		again := e.importUploads(t, "", true, old.client, false)
		if again.Total() != 0 || again.Uploads.Fetched != 0 || again.Existing["upload"] != 3 {
			t.Errorf("second import:\n%s", summaryText(again))
		}
		if n := old.asked("www.oldblog.example 2013/01/harbour.jpg"); n != 1 {
			t.Errorf("harbour.jpg downloaded again (%d)", n)
		}

		// A folder with one of the files, and the rest from the old site.
		old = newOldSite(t)
		other := newUploadEnv(sqldbtest.Open(t, freshDSN(t, db)))
		dir := uploadsDir(t, map[string][]byte{"2013/01/harbour.jpg": jpegFile(t, 1200, 800)})
		sum = other.importUploads(t, dir, true, old.client, false)
		if sum.Uploads.Local != 1 || sum.Uploads.Fetched != 2 || sum.Uploads.Imported != 3 || old.asked("www.oldblog.example 2013/01/harbour.jpg") != 0 {
			t.Errorf("folder and downloads:\n%s", summaryText(sum))
		}
		if !strings.Contains(summaryText(sum), "(1 found in "+dir+", 2 downloaded)") {
			t.Errorf("summary:\n%s", summaryText(sum))
		}
		checkImported(t, other)
	})
}

// TestUploadsFolderErrors: a folder that does not exist fails the import
// before anything is written; one without any of the files says so.
func TestUploadsFolderErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newUploadEnv(db)
		im := *e.im
		im.UploadsDir = filepath.Join(t.TempDir(), "nope")
		f, err := os.Open(uploadsFixture)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := im.Import(context.Background(), f); err == nil || !strings.Contains(err.Error(), "uploads folder") {
			t.Errorf("err = %v", err)
		}
		if n := e.count(t, "SELECT count(*) FROM posts"); n != 0 {
			t.Errorf("%d posts", n)
		}
		empty := t.TempDir()
		sum := e.importUploads(t, empty, false, nil, false)
		if sum.Uploads.Imported != 0 || sum.References != 0 || !strings.Contains(summaryText(sum), "none of the 5 files was found in "+empty) {
			t.Errorf("empty folder:\n%s", summaryText(sum))
		}
		// The WordPress folder itself, rather than its uploads folder, does too.
		root := uploadsDir(t, nil)
		for rel, data := range oldFiles(t) {
			p := filepath.Join(root, "wp-content", "uploads", filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, data, 0o644)
		}
		sum = e.importUploads(t, root, false, nil, false)
		if sum.Uploads.Imported != 3 || sum.References != 10 || sum.RewrittenPosts != 3 {
			t.Errorf("WordPress folder:\n%s", summaryText(sum))
		}
		checkImported(t, e)
	})
}

// wxrDoc is a WXR document of a site at link with these items.
func wxrDoc(link string, items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Blog</title>
	<link>` + link + `</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>` + link + `</wp:base_site_url>
	<wp:base_blog_url>` + link + `</wp:base_blog_url>
` + strings.Join(items, "\n") + `
</channel>
</rss>
`
}

// wxrItem is an item of type typ; attachmentURL is for an attachment.
func wxrItem(id int, typ, body, attachmentURL string) string {
	s := fmt.Sprintf(`<item><title>Item %d</title><dc:creator>ann</dc:creator><guid isPermaLink="false">https://blog.example/?p=%[1]d</guid>
		<content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%[1]d</wp:post_id>
		<wp:post_date>2013-01-15 10:00:00</wp:post_date><wp:post_date_gmt>2013-01-15 10:00:00</wp:post_date_gmt>
		<wp:post_name>item-%[1]d</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>
		<wp:post_type>%[3]s</wp:post_type>`, id, body, typ)
	if attachmentURL != "" {
		s += "<wp:attachment_url><![CDATA[" + attachmentURL + "]]></wp:attachment_url>"
	}
	return s + "</item>"
}

// importDoc imports doc with the uploads options set by set.
func (e *env) importDoc(t *testing.T, doc string, set func(*Importer)) *Summary {
	t.Helper()
	im := *e.im
	if set != nil {
		set(&im)
	}
	sum, err := im.Import(context.Background(), strings.NewReader(doc))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

// TestUploadsNonASCIICase: strings.ToLower changes the length of some
// runes ('Ⱥ' 2 bytes, 'ⱥ' 3); paths with them import without panicking,
// and match.
func TestUploadsNonASCIICase(t *testing.T) {
	long := strings.Repeat("Ȿ", 30) // 'Ȿ' 2 bytes, 'ɀ' 3
	for name, c := range map[string]struct {
		link  string
		items []string
		files map[string]bool
		want  int // uploads imported
	}{
		"resized copy in a body": {"https://blog.example",
			[]string{wxrItem(1, "post", `<img src="/wp-content/uploads/ȺȺȺȺȺȺȺȺȺ-1x1.jpg">`, "")}, nil, 0},
		"attachment under a non-ASCII folder": {"https://blog.example",
			[]string{wxrItem(1, "attachment", "", "https://blog.example/ȺȺȺȺȺȺȺȺȺȺ/wp-content/uploads/a.jpg"),
				wxrItem(2, "post", `<img src="https://blog.example/ȺȺȺȺȺȺȺȺȺȺ/wp-content/uploads/a.jpg">`, "")},
			map[string]bool{"a.jpg": true}, 1},
		"site under a non-ASCII folder": {"https://blog.example/ȺȺȺȺȺȺȺȺȺȺ",
			[]string{wxrItem(1, "post", `<img src="https://blog.example/ȺȺȺȺȺȺȺȺȺȺ/wp-content/uploads/b.jpg"><img src="/ȺȺȺȺȺȺȺȺȺȺ/wp-content/uploads/b-1x1.jpg">`, "")},
			map[string]bool{"b.jpg": true}, 1},
		"long non-ASCII file name": {"https://blog.example",
			[]string{wxrItem(1, "attachment", "", "https://blog.example/wp-content/uploads/2013/01/"+long+".jpg"),
				wxrItem(2, "post", `<img src="/wp-content/uploads/2013/01/`+long+`-1x1.jpg">`, "")},
			map[string]bool{"2013/01/" + long + ".jpg": true}, 1},
	} {
		t.Run(name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				files := map[string][]byte{}
				for rel := range c.files {
					files[rel] = jpegFile(t, 40, 30)
				}
				dir := uploadsDir(t, files)
				e := newUploadEnv(db)
				doc := wxrDoc(c.link, c.items...)
				sum := e.importDoc(t, doc, func(im *Importer) { im.UploadsDir = dir })
				if sum.Uploads.Imported != c.want {
					t.Errorf("imported %d, want %d:\n%s", sum.Uploads.Imported, c.want, summaryText(sum))
				}
				if c.want > 0 && sum.References == 0 {
					t.Errorf("no reference rewritten:\n%s", summaryText(sum))
				}
				// Again, without the folder: the uploads imported are
				// loaded from the database.
				e.importDoc(t, doc, nil)
				e.importDoc(t, doc, func(im *Importer) { im.UploadsDir = dir })
			})
		})
	}
}

// TestFetchRefusesPrivate: without a client of its own, the import does
// not download from loopback, private or link-local addresses (the
// document names them); each file is reported, the import goes on.
func TestFetchRefusesPrivate(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"} {
		if publicAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s is public", s)
		}
	}
	for _, s := range []string{"93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"} {
		if !publicAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s is not public", s)
		}
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		asked := 0
		var mu sync.Mutex
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			asked++
			mu.Unlock()
			w.Write(jpegFile(t, 40, 30))
		}))
		defer srv.Close()
		doc := wxrDoc("https://blog.example",
			wxrItem(1, "attachment", "", srv.URL+"/wp-content/uploads/2013/01/a.jpg"),
			wxrItem(2, "attachment", "", "http://169.254.169.254/latest/x.png"))
		e := newUploadEnv(db)
		sum := e.importDoc(t, doc, func(im *Importer) { im.FetchUploads = true })
		text := summaryText(sum)
		if sum.Uploads.Imported != 0 || sum.Uploads.Skipped[reasonFetch] != 2 || asked != 0 ||
			!strings.Contains(text, "2013/01/a.jpg: "+srv.URL+"/wp-content/uploads/2013/01/a.jpg: refused: the address 127.0.0.1 is on a private network") ||
			!strings.Contains(text, "refused: the address 169.254.169.254 is on a private network") {
			t.Errorf("asked %d times:\n%s", asked, text)
		}
		if n := e.count(t, "SELECT count(*) FROM media"); n != 0 {
			t.Errorf("%d media stored", n)
		}
		// A mirror on a private network, when the importer allows it.
		sum = e.importDoc(t, doc, func(im *Importer) { im.FetchUploads, im.AllowPrivateHosts = true, true })
		if sum.Uploads.Imported != 1 || asked != 1 {
			t.Errorf("allowed, asked %d times:\n%s", asked, summaryText(sum))
		}
	})
}

// TestDownloadBudget: files not downloaded within the budget are
// reported, and a FIFO in the folder is passed over, not opened.
func TestDownloadBudget(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		old := newOldSite(t)
		defer func(d time.Duration) { downloadBudget = d }(downloadBudget)
		downloadBudget = 0
		dir := uploadsDir(t, nil)
		os.MkdirAll(filepath.Join(dir, "2013", "01"), 0o755)
		if err := syscall.Mkfifo(filepath.Join(dir, "2013", "01", "harbour.jpg"), 0o644); err != nil {
			t.Skip(err)
		}
		e := newUploadEnv(db)
		sum := e.importUploads(t, dir, true, old.client, false)
		if sum.Uploads.Imported != 0 || sum.Uploads.Skipped[reasonBudget] != 5 || old.asked("www.oldblog.example 2013/01/harbour.jpg") != 0 {
			t.Errorf("budget:\n%s", summaryText(sum))
		}
	})
}
