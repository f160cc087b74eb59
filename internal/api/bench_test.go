package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"marquee/internal/account"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb/sqldbtest"
)

// BenchmarkCreatePost measures POST /api/v1/posts through the handler, on
// SQLite: token check, decoding, rendering, the insert and the read-back.
func BenchmarkCreatePost(b *testing.B) {
	db := sqldbtest.Open(b, sqldbtest.DSNs(b)["sqlite"])
	ctx := context.Background()
	accounts := account.NewStore(db)
	u, err := accounts.Create(ctx, "bench@example.org", "Bench", account.Author, "")
	if err != nil {
		b.Fatal(err)
	}
	tok, err := accounts.CreateToken(ctx, u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	h := New(Deps{
		Accounts: accounts,
		Posts:    post.NewStore(db, markup.New(markup.Options{})),
		Settings: site.NewStore(db),
		BaseURL:  testBase,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	mux := h.Mux()
	body := strings.Repeat("A paragraph with *some* **Markdown** and a [link](https://example.org).\n\n", 20)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		in := fmt.Sprintf(`{"title": "Post number %d", "body": %q, "status": "published", "tags": ["go", "bench"]}`, i, body)
		req := httptest.NewRequest("POST", "/api/v1/posts", strings.NewReader(in))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
