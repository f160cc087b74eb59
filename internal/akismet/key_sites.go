package akismet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GET|POST /1.2/key-sites — api_key, month (YYYY-MM, default this month),
// filter, format (json|csv), order (total|spam|ham|missed_spam|
// false_positives), limit (default 500), offset → the sites that used the
// key that month with their counts:
//
//	{"2024-05": [{"site": "example.com", "api_calls": 3, "spam": 1, "ham": 2,
//	  "missed_spam": 0, "false_positives": 0, "is_revoked": false}],
//	 "limit": 500, "offset": 0, "total": 1}
func (h *Handler) KeySites(w http.ResponseWriter, r *http.Request) {
	c := h.begin(w, r)
	if c == nil {
		return
	}
	q := SitesQuery{Month: Month(c.now), Filter: c.form.Get("filter"), Order: strings.TrimSpace(c.form.Get("order")), Limit: 500}
	if m := strings.TrimSpace(c.form.Get("month")); m != "" {
		if _, err := time.Parse("2006-01", m); err != nil || len(m) != 7 {
			h.invalid(w, http.StatusOK, `Invalid "month" value: give it as YYYY-MM, e.g. `+Month(c.now)+`.`)
			return
		}
		q.Month = m
	}
	if _, ok := siteOrders[q.Order]; !ok {
		h.invalid(w, http.StatusOK, `Invalid "order" value: use total, spam, ham, missed_spam or false_positives.`)
		return
	}
	var ok bool
	if q.Limit, ok = intField(c, "limit", 500, 1); !ok {
		h.invalid(w, http.StatusOK, `Invalid "limit" value: give a whole number of at least 1.`)
		return
	}
	if q.Offset, ok = intField(c, "offset", 0, 0); !ok {
		h.invalid(w, http.StatusOK, `Invalid "offset" value: give a whole number of at least 0.`)
		return
	}
	q.Limit = min(q.Limit, 10000)
	format := strings.ToLower(strings.TrimSpace(c.form.Get("format")))
	if format != "" && format != "json" && format != "csv" {
		h.invalid(w, http.StatusOK, `Invalid "format" value: use json or csv.`)
		return
	}
	sites, total, err := h.Keys.Sites(r.Context(), c.key.ID, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if format == "csv" {
		h.keySitesCSV(w, c, q, sites, total)
		return
	}
	type siteJSON struct {
		Site           string `json:"site"`
		APICalls       int64  `json:"api_calls"`
		Spam           int64  `json:"spam"`
		Ham            int64  `json:"ham"`
		MissedSpam     int64  `json:"missed_spam"`
		FalsePositives int64  `json:"false_positives"`
		IsRevoked      bool   `json:"is_revoked"`
	}
	list := make([]siteJSON, len(sites))
	for i, s := range sites {
		list[i] = siteJSON{s.Site, s.Calls, s.Spam, s.Ham, s.MissedSpam, s.FalsePositives, c.key.Revoked()}
	}
	h.json(w, r, map[string]any{q.Month: list, "limit": q.Limit, "offset": q.Offset, "total": total})
}

// keySitesCSV writes key-sites as the spec's CSV.
func (h *Handler) keySitesCSV(w http.ResponseWriter, c *call, q SitesQuery, sites []SiteUsage, total int) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Active sites for %s during %s (limit:%d, offset: %d, total: %d)\n", c.raw, q.Month, q.Limit, q.Offset, total)
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"Site", "Total API Calls", "Spam", "Ham", "Missed Spam", "False Positives", "Is Revoked"})
	for _, s := range sites {
		cw.Write([]string{s.Site, itoa(s.Calls), itoa(s.Spam), itoa(s.Ham), itoa(s.MissedSpam), itoa(s.FalsePositives),
			strconv.FormatBool(c.key.Revoked())})
	}
	cw.Flush()
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// intField reads a whole-number field of at least least, def when absent.
func intField(c *call, name string, def, least int) (int, bool) {
	s := strings.TrimSpace(c.form.Get(name))
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < least {
		return 0, false
	}
	return n, true
}
