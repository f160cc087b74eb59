package wxr

import (
	"testing"

	"marquee/internal/fixture"
)

// TestThemeUnitTestData reads WordPress's Theme Unit Test export, a real
// WXR 1.2 file (https namespaces, mixed CDATA and plain text), and checks
// the numbers counted independently in the file.
func TestThemeUnitTestData(t *testing.T) {
	items := readAll(t, fixture.Path(t, "fixtures/wxr/themeunittestdata.wordpress.xml"))

	var (
		site       Site
		authors    []Author
		categories = map[string]Category{}
		tags       []Tag
		terms      = map[string]int{} // taxonomy → count
		types      = map[string]int{}
		statuses   = map[string]map[string]int{} // post_type → status → count
		approved   = map[string]int{}
		ctypes     = map[string]int{}
		comments   int
		childPages int
		postmeta   int
		maxDepth   int
		titles     = map[string]bool{}
	)
	for i, it := range items {
		switch v := it.(type) {
		case Site:
			if i != 0 {
				t.Errorf("Site is record %d, want 0", i)
			}
			site = v
		case Author:
			authors = append(authors, v)
		case Category:
			categories[v.Nicename] = v
		case Tag:
			tags = append(tags, v)
		case Term:
			terms[v.Taxonomy]++
		case Post:
			titles[v.Title] = true
			postmeta += len(v.Meta)
			types[v.Type]++
			if statuses[v.Type] == nil {
				statuses[v.Type] = map[string]int{}
			}
			statuses[v.Type][v.Status]++
			if v.Type == "page" && v.Parent != 0 {
				childPages++
			}
			parent := map[int64]int64{}
			for _, c := range v.Comments {
				comments++
				approved[c.Approved]++
				ctypes[c.Type]++
				parent[c.ID] = c.Parent
			}
			for id := range parent {
				depth := 1
				for p := parent[id]; p != 0 && depth <= len(parent); p = parent[p] {
					depth++
				}
				maxDepth = max(maxDepth, depth)
			}
		}
	}

	want := Site{
		Title:       "Theme Unit Test Data",
		Link:        "https://wpthemetestdata.wordpress.com",
		Description: "Just another WordPress website with a purposefully really long description",
		PubDate:     "Tue, 27 Jan 2015 14:56:57 +0000",
		Language:    "en",
		WXRVersion:  "1.2",
		BaseSiteURL: "https://wordpress.com/",
		BaseBlogURL: "https://wpthemetestdata.wordpress.com",
	}
	if site != want {
		t.Errorf("site = %+v", site)
	}

	checkCounts(t, "post types", types, map[string]int{"post": 58, "page": 21, "attachment": 37, "nav_menu_item": 70})
	checkCounts(t, "post statuses", statuses["post"], map[string]int{"publish": 56, "future": 1, "draft": 1})
	checkCounts(t, "page statuses", statuses["page"], map[string]int{"publish": 21})
	checkCounts(t, "comment_approved", approved, map[string]int{"1": 30, "0": 3})
	checkCounts(t, "comment_type", ctypes, map[string]int{"": 28, "comment": 1, "pingback": 2, "trackback": 2})
	checkCounts(t, "term taxonomies", terms, map[string]int{"category": 1, "nav_menu": 6})
	if comments != 33 {
		t.Errorf("comments = %d, want 33", comments)
	}
	if maxDepth != 10 {
		t.Errorf("deepest comment thread = %d, want 10", maxDepth)
	}
	if childPages != 13 {
		t.Errorf("%d pages have a parent, want 13", childPages)
	}
	if postmeta != 737 {
		t.Errorf("postmeta = %d, want 737", postmeta)
	}

	if len(authors) != 2 || authors[0].Login != "themedemos" || authors[1].DisplayName != "Theme Reviewer" ||
		authors[1].FirstName != "Theme" || authors[1].LastName != "Review" {
		t.Errorf("authors = %+v", authors)
	}
	if len(categories) != 68 || len(tags) != 110 {
		t.Errorf("%d categories, %d tags; want 68, 110", len(categories), len(tags))
	}
	withParent := 0
	for _, c := range categories {
		if c.Parent == "" {
			continue
		}
		withParent++
		if _, ok := categories[c.Parent]; !ok {
			t.Errorf("category %q: parent %q not exported", c.Nicename, c.Parent)
		}
	}
	if withParent != 10 {
		t.Errorf("%d categories have a parent, want 10", withParent)
	}
	if c := categories["6-1"]; c.TermID != 12 || c.Name != "6.1" {
		t.Errorf("category 6-1 = %+v", c)
	}
	for _, title := range []string{"Ελληνικά-Greek", "Επίπεδο 2 -Second Greek level", "Επίπεδο 3"} {
		if !titles[title] {
			t.Errorf("title %q missing", title)
		}
	}
}

func checkCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s[%q] = %d, want %d", what, k, got[k], n)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected %q (%d)", what, k, n)
		}
	}
}
