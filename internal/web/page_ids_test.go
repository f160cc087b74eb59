package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestPageIDsCoverTemplates: every id a template writes is reserved, so
// that no post body can take it.
func TestPageIDsCoverTemplates(t *testing.T) {
	literal := regexp.MustCompile(`\sid="([A-Za-z0-9_-]+)"`)
	templated := regexp.MustCompile(`\sid="comment-\{\{\.ID\}\}(-author)?"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	n := 0
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range literal.FindAllSubmatch(b, -1) {
			n++
			if !PageID(string(m[1])) {
				t.Errorf("%s: id %q is not in pageIDs", f, m[1])
			}
		}
		n += len(templated.FindAll(b, -1))
	}
	if n < 20 || !PageID("comment-42") || !PageID("comment-42-author") || PageID("comments-1") || PageID("intro") {
		t.Fatalf("%d ids found; PageID misreads comment ids", n)
	}
}
