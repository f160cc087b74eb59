package comment

import (
	"strings"
	"testing"

	"marquee/internal/errs"
	"marquee/internal/site"
	"marquee/internal/spam"
)

func TestDecideFollowsWordPressOrder(t *testing.T) {
	rules := site.Defaults().Comments
	rules.ModerationWords = "casino"
	rules.DisallowedWords = "viagra\n203.0.113."
	d := func(content string) *Draft {
		return &Draft{Author: "A", Email: "a@example.org", Content: content, IP: "198.51.100.4"}
	}
	spamRes := &spam.Result{Verdict: spam.Spam}
	unsure := &spam.Result{Verdict: spam.Unsure}
	for _, c := range []struct {
		name      string
		draft     *Draft
		links     int
		prior     bool
		moderator bool
		filter    *spam.Result
		want      Status
	}{
		{"known commenter, clean", d("hello"), 0, true, false, nil, Approved},
		{"first comment", d("hello"), 0, false, false, nil, Pending},
		{"too many links", d("x"), 3, true, false, nil, Pending},
		{"moderation word", d("best Casino"), 0, true, false, nil, Pending},
		{"disallowed word beats everything but moderators", d("cheap VIAGRA"), 0, true, false, nil, Trash},
		{"disallowed address", &Draft{Author: "A", Email: "a@example.org", Content: "hi", IP: "203.0.113.9"}, 0, true, false, nil, Trash},
		{"filter says spam", d("hello"), 0, true, false, spamRes, Spam},
		{"filter unsure holds a known commenter", d("hello"), 0, true, false, unsure, Pending},
		{"moderators are approved", d("cheap viagra"), 9, false, true, spamRes, Approved},
	} {
		if got := Decide(rules, c.draft, c.links, c.prior, c.moderator, c.filter); got.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Reason, c.want)
		}
	}
	rules.HoldAll = true
	if got := Decide(rules, d("hello"), 0, true, false, nil); got.Status != Pending {
		t.Errorf("hold all: %s", got.Status)
	}
}

func TestDraftValidate(t *testing.T) {
	rules := site.Defaults().Comments
	for _, c := range []struct {
		d     Draft
		field string
	}{
		{Draft{Author: "A", Email: "a@example.org", Content: " "}, "comment"},
		{Draft{Email: "a@example.org", Content: "x"}, "author"},
		{Draft{Author: "A", Content: "x"}, "email"},
		{Draft{Author: "A", Email: "not mail", Content: "x"}, "email"},
		{Draft{Author: "A", Email: "a@example.org", URL: "javascript:alert(1)", Content: "x"}, "url"},
		{Draft{Author: "A", Email: "a@example.org", Content: strings.Repeat("x", 5001)}, "comment"},
		{Draft{Author: "A\x00", Email: "a@example.org", Content: "x"}, "author"},
	} {
		err := c.d.Validate(rules)
		e, ok := err.(*errs.Error)
		if !ok || e.Field != c.field {
			t.Errorf("%+v: %v, want an error on %s", c.d, err, c.field)
		}
	}
	ok := Draft{Author: " Ann ", Email: "Ann@Example.org", URL: "example.org/me", Content: "Hi\r\nthere"}
	if err := ok.Validate(rules); err != nil || ok.Author != "Ann" || ok.Email != "ann@example.org" || ok.URL != "https://example.org/me" || ok.Content != "Hi\nthere" {
		t.Fatalf("normalised %+v, %v", ok, err)
	}
}

func TestTreeDepths(t *testing.T) {
	cs := []*Comment{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}, {ID: 4}, {ID: 5, ParentID: 99}}
	roots := Tree(cs, false)
	if len(roots) != 3 || roots[0].ID != 1 || roots[2].ID != 5 {
		t.Fatalf("roots: %v", roots)
	}
	if roots[0].Children[0].Children[0].Depth != 3 {
		t.Fatal("depth of a reply to a reply")
	}
	if r := Tree(cs, true); r[0].ID != 5 {
		t.Fatal("newest first")
	}
}
