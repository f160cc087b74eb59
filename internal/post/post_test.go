package post_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"marquee/internal/errs"
	"marquee/internal/post"
)

func TestSplitTags(t *testing.T) {
	for in, want := range map[string][]post.Tag{
		"":                  nil,
		" , ,":              nil,
		"go":                {{Name: "go"}},
		" Go , travel,,go ": {{Name: "Go"}, {Name: "travel"}, {Name: "go"}}, // as typed: Validate slugs, the store drops repeats
	} {
		if got := post.SplitTags(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitTags(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseTypeAndStatus(t *testing.T) {
	for _, s := range []string{"post", "page"} {
		if got, err := post.ParseType(s); err != nil || string(got) != s {
			t.Errorf("ParseType(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"draft", "scheduled", "published", "private"} {
		if got, err := post.ParseStatus(s); err != nil || string(got) != s {
			t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
		}
	}
	// As written: no trimming or case folding, and "" is not a value.
	for _, s := range []string{"", "Post", " post", "article"} {
		_, err := post.ParseType(s)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Field != "type" || e.Message != "type must be post or page" {
			t.Errorf("ParseType(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "Draft", "live", "all"} {
		_, err := post.ParseStatus(s)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Field != "status" || e.Message != "status must be published, draft, scheduled or private" {
			t.Errorf("ParseStatus(%q): %v", s, err)
		}
	}
	// Validate reports the same errors.
	p := &post.Post{Title: "T", Type: "article", Status: "live"}
	err := p.Validate()
	for _, want := range []string{"type must be post or page", "status must be published, draft, scheduled or private"} {
		if err == nil || !slices.Contains(strings.Split(err.Error(), "\n"), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
}
