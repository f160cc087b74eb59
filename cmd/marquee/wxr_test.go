package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"marquee/internal/sqldb/sqldbtest"
)

// TestImportExportWXR runs the commands as a user would: import a file,
// import it again from standard input, export, and import the export
// into a second site.
func TestImportExportWXR(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "wordpress", "testdata", "edge.xml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			out, _, err := runCmd(t, nil, "", "import", "wxr", "-db", dsn, "-train-spam", file)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			for _, want := range []string{"edge.example.com", "2 published", "1 private", "spam filter: learned from 3 comments"} {
				if !strings.Contains(out, want) {
					t.Errorf("summary lacks %q:\n%s", want, out)
				}
			}
			out, _, err = runCmd(t, map[string]string{"MARQUEE_DB": dsn}, string(src), "import", "wxr", "-")
			if err != nil || !strings.Contains(out, "already imported") || !strings.Contains(out, "posts:       0") {
				t.Errorf("second import: %v\n%s", err, out)
			}
			xml, _, err := runCmd(t, nil, "", "export", "wxr", "-db", dsn, "-base-url", "https://blog.example.org")
			if err != nil || !strings.Contains(xml, "<wp:wxr_version>1.2</wp:wxr_version>") || !strings.Contains(xml, "https://blog.example.org/child/") {
				t.Fatalf("export: %v\n%.500s", err, xml)
			}
			other := sqldbtest.DSNs(t)[name]
			out, _, err = runCmd(t, nil, xml, "import", "wxr", "-db", other, "-")
			if err != nil || !strings.Contains(out, "posts:       1 private, 1 published") || !strings.Contains(out, "pages:       2 published") {
				t.Errorf("import of the export: %v\n%s", err, out)
			}
		})
	}
	if _, _, err := runCmd(t, nil, "", "import", "wxr"); exitCode(err) != 2 {
		t.Errorf("import without a file: exit %d", exitCode(err))
	}
	if _, _, err := runCmd(t, nil, "", "import", "csv", "x"); exitCode(err) != 2 {
		t.Errorf("unknown format: exit %d", exitCode(err))
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte("<?xml version=\"1.0\"?>\n<rss><channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n<item><title>x</title>\n"), 0o644)
	_, _, err = runCmd(t, nil, "", "import", "wxr", "-db", filepath.Join(dir, "s.db"), bad)
	if err == nil || !strings.Contains(err.Error(), "line") {
		t.Errorf("truncated file: %v", err)
	}
}
