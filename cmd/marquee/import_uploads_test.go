package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"marquee/internal/sqldb/sqldbtest"
)

// uploadsFixture is the WordPress package's export with uploads: a post
// showing harbour.jpg (by its old address, a resized copy and a srcset),
// a page showing logo.png, a PDF, a lost photo and a huge one.
var uploadsFixture = filepath.Join("..", "..", "internal", "wordpress", "testdata", "uploads.xml")

func picture(t *testing.T, w, h int, asPNG bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestImportUploads runs `import wxr -uploads DIR` and `-fetch-uploads`
// as a user would, and the mistakes a user can make with them.
func TestImportUploads(t *testing.T) {
	files := map[string][]byte{
		"2013/01/harbour.jpg": picture(t, 600, 400, false),
		"2013/02/logo.png":    picture(t, 400, 100, true),
	}
	dir := t.TempDir()
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			out, errOut, err := runCmd(t, nil, "", "import", "wxr", "-db", dsn, "-uploads", dir, uploadsFixture)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			for _, want := range []string{
				"uploads:     2 imported into the media library (2 found in " + dir + "), 4 not imported (below)",
				"references:  9 in 2 posts and pages now point at the media library",
				"1 × not an image", "    - 2013/02/report.pdf",
				"3 × not in the uploads folder", "    - 2013/03/missing.jpg",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("summary lacks %q:\n%s", want, out)
				}
			}
			if !strings.Contains(errOut, "uploads: 5 of 5 files read") {
				t.Errorf("progress: %q", errOut)
			}
			out, _, err = runCmd(t, map[string]string{"MARQUEE_DB": dsn}, "", "import", "wxr", "-uploads", dir, uploadsFixture)
			if err != nil || !strings.Contains(out, "uploads:     0 imported") || !strings.Contains(out, "2 upload") ||
				!strings.Contains(out, "references:  0 in 0 posts and pages") {
				t.Errorf("second import: %v\n%s", err, out)
			}
			out, _, err = runCmd(t, nil, "", "import", "wxr", "-db", dsn, uploadsFixture)
			if err != nil || strings.Contains(out, "uploads:") || !strings.Contains(out, "posts:       0") {
				t.Errorf("import without -uploads: %v\n%s", err, out)
			}
		})
	}

	// -fetch-uploads, from standard input, against a stand-in for the
	// old site: the files the folder lacks are downloaded.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/wp-content/uploads/2012/12/old-photo.jpg" {
			w.Write(picture(t, 400, 300, false))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	src, err := os.ReadFile(uploadsFixture)
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.NewReplacer("https://www.oldblog.example", srv.URL, "http://oldblog.example", srv.URL).Replace(string(src))
	db := filepath.Join(t.TempDir(), "fetch.db")
	// Without -fetch-private the stand-in, on 127.0.0.1, is refused.
	out, _, err := runCmd(t, nil, doc, "import", "wxr", "-db", filepath.Join(t.TempDir(), "refused.db"), "-uploads", dir, "-fetch-uploads", "-")
	if err != nil || !strings.Contains(out, "uploads:     2 imported into the media library (2 found in "+dir+", 0 downloaded)") ||
		!strings.Contains(out, "2013/03/missing.jpg: "+srv.URL+"/wp-content/uploads/2013/03/missing.jpg: refused: the address 127.0.0.1 is on a private network") {
		t.Errorf("-fetch-uploads to 127.0.0.1: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, nil, doc, "import", "wxr", "-db", db, "-uploads", dir, "-fetch-uploads", "-fetch-private", "-")
	if err != nil || !strings.Contains(out, "uploads:     3 imported into the media library (2 found in "+dir+", 1 downloaded)") ||
		!strings.Contains(out, "2013/03/missing.jpg: "+srv.URL+"/wp-content/uploads/2013/03/missing.jpg: HTTP 404 Not Found") {
		t.Errorf("-fetch-uploads: %v\n%s", err, out)
	}

	// Mistakes.
	missing := filepath.Join(t.TempDir(), "uploads")
	other := filepath.Join(t.TempDir(), "site.db")
	_, _, err = runCmd(t, nil, "", "import", "wxr", "-db", other, "-uploads", missing, uploadsFixture)
	if exitCode(err) != 1 || err.Error() != "-uploads "+missing+": no such folder (give the copy of the old site's wp-content/uploads)" {
		t.Errorf("missing folder: exit %d, %v", exitCode(err), err)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("the database was created before the folder was checked")
	}
	_, _, err = runCmd(t, nil, "", "import", "wxr", "-db", other, "-uploads", uploadsFixture, uploadsFixture)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a file for a folder: exit %d, %v", exitCode(err), err)
	}
	if _, _, err := runCmd(t, nil, "", "import", "wxr", "-uploads"); exitCode(err) != 2 {
		t.Errorf("-uploads without its folder: exit %d, %v", exitCode(err), err)
	}
	out, _, err = runCmd(t, nil, "", "import", "wxr", "-h")
	if err != nil || !strings.Contains(out, "-uploads folder") || !strings.Contains(out, "-fetch-uploads") || !strings.Contains(out, "-fetch-private") {
		t.Errorf("help: %v\n%s", err, out)
	}
}
