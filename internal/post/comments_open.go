package post

import "time"

// CommentsOpenAt reports whether p accepts new comments at now: its own
// switch is on and, when the site closes old discussions, it is recent
// enough.
func (p *Post) CommentsOpenAt(now time.Time, closeAfterDays int) bool {
	if !p.CommentsOpen {
		return false
	}
	if closeAfterDays > 0 && !p.PublishedAt.IsZero() && now.Sub(p.PublishedAt) > time.Duration(closeAfterDays)*24*time.Hour {
		return false
	}
	return true
}
