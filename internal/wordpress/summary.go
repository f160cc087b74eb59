package wordpress

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// maxSkipDetails bounds the skipped items listed one by one; the rest are
// only counted, so that a summary of a huge export stays readable and small.
const maxSkipDetails = 100

// Summary is what an import did, for the person who ran it.
type Summary struct {
	Source     string // the WordPress site, as keyed in wp_map
	WXRVersion string

	Authors    int // accounts created
	Categories int // categories recorded (each also a tag)
	Tags       int // Marquee tags created from categories and tags
	// Posts counts created posts and pages by "type status", e.g.
	// "post published", "page draft".
	Posts map[string]int
	// Comments counts created comments by status, CommentTypes by type.
	Comments     map[string]int
	CommentTypes map[string]int
	Attachments  int // kept as references to their original URLs
	Redirects    int // old addresses recorded
	// Existing counts records found already imported (by kind), left as
	// they were.
	Existing map[string]int
	// Skipped counts what was not imported, by reason; SkippedItems lists
	// the first ones with what they were.
	Skipped      map[string]int
	SkippedItems []string
	// Notes are changes made to fit Marquee (a title given to an untitled
	// post, a reply whose parent is missing moved to the top level).
	Notes   []string
	Trained int // comments the spam filter learned from

	// Uploads is what became of the attachments' files when the import
	// was asked to bring them (-uploads, -fetch-uploads); nil otherwise.
	Uploads *UploadSummary
	// References counts the src, href and srcset entries of post and page
	// bodies pointed at imported uploads, in RewrittenPosts bodies.
	References, RewrittenPosts int
}

// UploadSummary is what an import did with the old site's files.
type UploadSummary struct {
	Dir      string // the uploads folder read, if any
	Fetch    bool   // whether what it lacks was downloaded
	Imported int    // files stored in the media library
	Local    int    // files found in Dir
	Fetched  int    // files downloaded
	// Skipped counts the files not imported by reason; SkippedItems
	// lists them by reason, each as its path in the uploads folder and
	// what went wrong (the summary prints the first ones).
	Skipped      map[string]int
	SkippedItems map[string][]string
	Notes        []string
}

func newUploadSummary(dir string, fetch bool) *UploadSummary {
	return &UploadSummary{Dir: dir, Fetch: fetch, Skipped: map[string]int{}, SkippedItems: map[string][]string{}}
}

func (u *UploadSummary) skip(reason, what string) {
	u.Skipped[reason]++
	u.SkippedItems[reason] = append(u.SkippedItems[reason], what)
}

// SkippedTotal is the number of files not imported.
func (u *UploadSummary) SkippedTotal() int {
	n := 0
	for _, v := range u.Skipped {
		n += v
	}
	return n
}

func newSummary() *Summary {
	return &Summary{Posts: map[string]int{}, Comments: map[string]int{}, CommentTypes: map[string]int{},
		Existing: map[string]int{}, Skipped: map[string]int{}}
}

func (s *Summary) skip(reason, what string) {
	s.Skipped[reason]++
	if what != "" && len(s.SkippedItems) < maxSkipDetails {
		s.SkippedItems = append(s.SkippedItems, what+": "+reason)
	}
}

func (s *Summary) note(format string, args ...any) {
	if len(s.Notes) < maxSkipDetails {
		s.Notes = append(s.Notes, fmt.Sprintf(format, args...))
	}
}

// Total returns the number of records the import created.
func (s *Summary) Total() int {
	n := s.Authors + s.Categories + s.Tags + s.Attachments
	if s.Uploads != nil {
		n += s.Uploads.Imported
	}
	for _, v := range s.Posts {
		n += v
	}
	for _, v := range s.Comments {
		n += v
	}
	return n
}

// WriteTo prints the summary as the import command shows it.
func (s *Summary) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Imported from %s (WXR %s):\n", s.Source, s.WXRVersion)
	fmt.Fprintf(&b, "  authors:     %d new (they must set a password before logging in)\n", s.Authors)
	fmt.Fprintf(&b, "  categories:  %d new (Marquee has tags only: each is also a tag)\n", s.Categories)
	fmt.Fprintf(&b, "  tags:        %d new (from categories and tags)\n", s.Tags)
	for _, typ := range []string{"post", "page"} {
		var parts []string
		for _, k := range sortedKeys(s.Posts) {
			if t, st, _ := strings.Cut(k, " "); t == typ {
				parts = append(parts, fmt.Sprintf("%d %s", s.Posts[k], st))
			}
		}
		if len(parts) == 0 {
			parts = []string{"0"}
		}
		fmt.Fprintf(&b, "  %-12s %s\n", typ+"s:", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, "  comments:    %s", counts(s.Comments))
	if len(s.CommentTypes) > 0 {
		fmt.Fprintf(&b, " (%s)", counts(s.CommentTypes))
	}
	b.WriteString("\n")
	if s.Uploads == nil {
		fmt.Fprintf(&b, "  attachments: %d kept as links to their original URLs\n", s.Attachments)
	} else {
		u := s.Uploads
		fmt.Fprintf(&b, "  attachments: %d new\n", s.Attachments)
		var from []string
		if u.Dir != "" {
			from = append(from, fmt.Sprintf("%d found in %s", u.Local, u.Dir))
		}
		if u.Fetch {
			from = append(from, fmt.Sprintf("%d downloaded", u.Fetched))
		}
		fmt.Fprintf(&b, "  uploads:     %d imported into the media library (%s)", u.Imported, strings.Join(from, ", "))
		if n := u.SkippedTotal(); n > 0 {
			fmt.Fprintf(&b, ", %d not imported (below)", n)
		}
		b.WriteString("\n")
	}
	if s.References > 0 || s.Uploads != nil {
		fmt.Fprintf(&b, "  references:  %d in %d %s now point at the media library\n", s.References, s.RewrittenPosts, plural(s.RewrittenPosts, "post or page", "posts and pages"))
	}
	fmt.Fprintf(&b, "  redirects:   %d old addresses now lead to their new ones\n", s.Redirects)
	if len(s.Existing) > 0 {
		fmt.Fprintf(&b, "  already imported, left as they were: %s\n", counts(s.Existing))
	}
	if s.Trained > 0 {
		fmt.Fprintf(&b, "  spam filter: learned from %d comments\n", s.Trained)
	}
	if len(s.Skipped) > 0 {
		b.WriteString("Skipped:\n")
		for _, k := range sortedKeys(s.Skipped) {
			fmt.Fprintf(&b, "  %d × %s\n", s.Skipped[k], k)
		}
		for _, it := range s.SkippedItems {
			fmt.Fprintf(&b, "    - %s\n", it)
		}
	}
	if u := s.Uploads; u != nil && (len(u.Skipped) > 0 || len(u.Notes) > 0) {
		b.WriteString("Uploads not imported (references to them keep their old addresses):\n")
		listed := 0
		for _, k := range sortedKeys(u.Skipped) {
			fmt.Fprintf(&b, "  %d × %s\n", u.Skipped[k], k)
			items := u.SkippedItems[k]
			for i, it := range items {
				if listed == maxSkipDetails {
					fmt.Fprintf(&b, "    - and %d more\n", len(items)-i)
					break
				}
				listed++
				fmt.Fprintf(&b, "    - %s\n", it)
			}
		}
		for _, n := range u.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	if len(s.Notes) > 0 {
		b.WriteString("Notes:\n")
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
