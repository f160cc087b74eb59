package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// avatarKey is a keyed hash of an e-mail address: stable for a commenter,
// useless for finding their address (unlike Gravatar's plain MD5).
func avatarKey(secret []byte, email, author string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("avatar\x00" + strings.ToLower(strings.TrimSpace(email)) + "\x00" + author))
	return hex.EncodeToString(m.Sum(nil)[:10])
}

// GET /avatar/{key} — a generated identicon: no request leaves the site.
func (h *Handler) AvatarShow(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimSuffix(r.PathValue("key"), ".svg")
	b, err := hex.DecodeString(key)
	if err != nil || len(b) != 10 {
		h.NotFound(w, r)
		return
	}
	hue := int(b[0]) * 360 / 256
	var cells strings.Builder
	for y := range 5 {
		for x := range 3 {
			bit := (int(b[1+y]) >> x) & 1
			if bit == 1 {
				fmt.Fprintf(&cells, `<rect x="%d" y="%d" width="1" height="1"/>`, x, y)
				if x < 2 {
					fmt.Fprintf(&cells, `<rect x="%d" y="%d" width="1" height="1"/>`, 4-x, y)
				}
			}
		}
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 7 7" width="64" height="64">`+
		`<rect x="-1" y="-1" width="7" height="7" fill="hsl(%d,45%%,92%%)"/><g fill="hsl(%d,55%%,45%%)">%s</g></svg>`,
		hue, hue, cells.String())
}
