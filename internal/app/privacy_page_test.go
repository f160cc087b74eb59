package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"marquee/internal/app"
)

// TestPrivacyPageFollowsThePolicy: the page is written from the policy,
// the administrator's own Markdown is rendered and sanitised, and a change
// shows on the next view even though the page is cached.
func TestPrivacyPageFollowsThePolicy(t *testing.T) {
	ctx := context.Background()
	a, srv := newApp(t, app.Config{})
	anon := &http.Client{}
	_, page := fetch(t, anon, srv.URL+"/privacy/")
	if !strings.Contains(page, "deleted 30 days after your comment is moderated") {
		t.Fatal("the default retention is not stated")
	}
	fetch(t, anon, srv.URL+"/privacy/") // cached now
	pol, err := a.Privacy.LoadPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pol.IPRetentionDays, pol.TruncateIPs = 7, true
	pol.Contact = "privacy@example.org"
	pol.TextAbove = "We *care* about this.<script>alert(1)</script>"
	if err := a.Privacy.SavePolicy(ctx, pol); err != nil {
		t.Fatal(err)
	}
	_, page = fetch(t, anon, srv.URL+"/privacy/")
	for _, want := range []string{"deleted 7 days after", "/24 network", "mailto:privacy@example.org", "We <em>care</em> about this."} {
		if !strings.Contains(page, want) {
			t.Errorf("privacy page lacks %q after the policy changed", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("the administrator's text was not sanitised")
	}
}
