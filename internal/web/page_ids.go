package web

import "regexp"

// pageIDs are the ids the templates give the elements around a body.
// markup keeps a body's own ids (headings, raw HTML) off them, or a post
// could capture the skip link's #main, #comments or #respond; app passes
// PageID to markup.Options. TestPageIDsCoverTemplates keeps the list whole.
var pageIDs = map[string]bool{
	"main": true, "site-search": true, "nf-search": true, "archive-heading": true, "tags-heading": true,
	"comments": true, "comments-title": true, "respond": true, "reply-title": true, "cancel-reply": true,
	"commentform": true, "comment": true, "comment_parent": true, "author": true, "email": true, "url": true,
	"form-error": true, "hp-website": true, "post_password": true,
	"edit-title": true, "editform": true, "delete": true,
	"what-is-stored": true, "how-long": true, "cookies": true, "spam": true, "third-parties": true, "your-rights": true,
}

// commentElementID matches the ids of a comment and of its author's name.
var commentElementID = regexp.MustCompile(`^comment-\d+(?:-author)?$`)

// PageID reports whether the site's pages use id themselves.
func PageID(id string) bool { return pageIDs[id] || commentElementID.MatchString(id) }
