package akismet

import (
	"net/http"
	"strconv"
)

// GET|POST /1.2/usage-limit — api_key → this month's comment-check calls:
//
//	{"limit": "none", "usage": 42, "percentage": "0.00", "throttled": false}
//
// Keys have no monthly limit ("none"); throttled says whether the key is
// over its rate limit right now.
func (h *Handler) UsageLimit(w http.ResponseWriter, r *http.Request) {
	c := h.begin(w, r)
	if c == nil {
		return
	}
	n, err := h.Keys.MonthCalls(r.Context(), c.key.ID, Month(c.now))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.json(w, r, struct {
		Limit      string `json:"limit"`
		Usage      int64  `json:"usage"`
		Percentage string `json:"percentage"`
		Throttled  bool   `json:"throttled"`
	}{"none", n, "0.00", h.throttled(c.key.ID)})
}

// throttled reports whether the key's next request would be refused.
func (h *Handler) throttled(id int64) bool {
	blocked, _ := h.limit.Blocked(strconv.FormatInt(id, 10))
	return blocked
}
