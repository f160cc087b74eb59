package akismet

import (
	"strings"
)

// require reports the first of the named fields that is missing, as a
// debug message; "" when all are there.
func (c *call) require(names ...string) string {
	for _, n := range names {
		if strings.TrimSpace(c.form.Get(n)) == "" {
			return `Empty "` + n + `" value: the field ` + n + ` is required.`
		}
	}
	return ""
}

// isTest reports whether the client marked the call as a test (is_test):
// it is answered as usual but neither counted nor learned from.
func (c *call) isTest() bool { return truthy(c.form.Get("is_test")) }

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// site is the site the call is counted under.
func (c *call) site() string { return siteOf(c.form.Get("blog")) }

// The documented test triggers.
const (
	testSpamAuthor = "viagra-test-123"
	testSpamEmail  = "akismet-guaranteed-spam@example.com"
)
