package admin

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"marquee/internal/account"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestSettings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/settings"), 200, `name="title"`, `value="Marquee"`, `name="time_zone"`)

		good := url.Values{"title": {"My blog"}, "tagline": {"Notes"}, "base_url": {"https://blog.example.org/"},
			"posts_per_page": {"7"}, "time_zone": {"Europe/Berlin"}, "language": {"de"}}
		r := e.post(c, "/admin/settings", good)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		st, _ := e.settings.Get(ctx)
		if st.Title != "My blog" || st.BaseURL != "https://blog.example.org" || st.PostsPerPage != 7 || st.TimeZone != "Europe/Berlin" || st.Language != "de" {
			t.Fatalf("%+v", st)
		}
		expect(t, e.get(c, "/admin/settings?flash=settings"), 200, "Settings saved", `value="Europe/Berlin"`)

		// Bad values: the form again, 422, values kept, message at the field.
		bad := url.Values{"title": {"Another title"}, "tagline": {"kept tagline"}, "base_url": {""}, "posts_per_page": {"7"}, "time_zone": {"Mars/Olympus"}}
		expect(t, e.post(c, "/admin/settings", bad), http.StatusUnprocessableEntity,
			`id="time_zone-error"`, "not a known time zone", `value="Mars/Olympus"`, `value="Another title"`, `value="kept tagline"`)
		bad.Set("time_zone", "UTC")
		bad.Set("posts_per_page", "many")
		expect(t, e.post(c, "/admin/settings", bad), http.StatusUnprocessableEntity, `id="posts_per_page-error"`, `value="many"`)
		bad.Set("posts_per_page", "7")
		bad.Set("base_url", "ftp://x")
		expect(t, e.post(c, "/admin/settings", bad), http.StatusUnprocessableEntity, `id="base_url-error"`)
		// Every wrong field at once, unparsable or out of range.
		bad.Set("posts_per_page", "many")
		bad.Set("time_zone", "Mars/Olympus")
		expect(t, e.post(c, "/admin/settings", bad), http.StatusUnprocessableEntity,
			`id="base_url-error"`, `id="posts_per_page-error"`, `id="time_zone-error"`, "3 problems in all")
		if st, _ := e.settings.Get(ctx); st.Title != "My blog" {
			t.Errorf("bad settings were saved: %+v", st)
		}
	})
}

var secretRe = regexp.MustCompile(`id="secret" class="snippet secret" value="([^"]+)"`)

func TestUsers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/users"), 200, "admin@example.org", "Add a user")

		// With a password.
		r := e.post(c, "/admin/users", url.Values{"email": {"ed@example.org"}, "name": {"Ed"}, "role": {"editor"}, "password": {"a long enough password"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		ed, err := e.accounts.ByEmail(ctx, "ed@example.org")
		if err != nil || ed.Role != account.Editor || ed.Name != "Ed" {
			t.Fatalf("%+v %v", ed, err)
		}
		// Generated: shown once, and it works.
		r = e.post(c, "/admin/users", url.Values{"email": {"gen@example.org"}, "role": {"author"}})
		expect(t, r, http.StatusCreated, "not shown again")
		m := secretRe.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("no generated password on the page")
		}
		e.loggedIn("gen@example.org", m[1])

		// Errors keep what was typed.
		expect(t, e.post(c, "/admin/users", url.Values{"email": {"not-an-address"}, "name": {"Kept Name"}, "role": {"author"}}),
			http.StatusUnprocessableEntity, `id="email-error"`, `value="Kept Name"`, `value="not-an-address"`)
		expect(t, e.post(c, "/admin/users", url.Values{"email": {"ed@example.org"}, "role": {"author"}}),
			http.StatusConflict, "already exists")
		expect(t, e.post(c, "/admin/users", url.Values{"email": {"x@example.org"}, "role": {"author"}, "password": {"short"}}),
			http.StatusUnprocessableEntity, "at least 10 characters")
		// Every wrong field at once.
		expect(t, e.post(c, "/admin/users", url.Values{"email": {"nope"}, "role": {"king"}, "password": {"short"}}),
			http.StatusUnprocessableEntity, `id="email-error"`, `id="role-error"`, `id="password-error"`)

		// Role change.
		r = e.post(c, "/admin/users/"+itoa(ed.ID)+"/role", url.Values{"role": {"author"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		if u, _ := e.accounts.ByID(ctx, ed.ID); u.Role != account.Author || u.Name != "Ed" {
			t.Errorf("%+v", u)
		}

		// The last admin can be neither demoted nor deleted; the page says so.
		expect(t, e.post(c, "/admin/users/"+itoa(e.admin.ID)+"/role", url.Values{"role": {"editor"}}),
			http.StatusConflict, "last administrator")
		expect(t, e.get(c, "/admin/users/"+itoa(e.admin.ID)+"/delete"), 200, "your own account")
		expect(t, e.post(c, "/admin/users/"+itoa(e.admin.ID)+"/delete", nil), http.StatusConflict, "last administrator")
		if _, err := e.accounts.ByID(ctx, e.admin.ID); err != nil {
			t.Fatal("the last admin was deleted")
		}

		// Deleting someone else.
		r = e.post(c, "/admin/users/"+itoa(ed.ID)+"/delete", nil)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		if _, err := e.accounts.ByID(ctx, ed.ID); err == nil {
			t.Error("user survives delete")
		}

		// An imported account gets a password from an admin, then logs in.
		imp, _ := e.accounts.Create(ctx, "imported@example.org", "", account.Author, "")
		r = e.post(c, "/admin/users/"+itoa(imp.ID)+"/password", nil)
		expect(t, r, 200, "imported@example.org")
		m = secretRe.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("no new password on the page")
		}
		e.loggedIn("imported@example.org", m[1])
	})
}

func TestPasswordChange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		other := e.loggedIn("admin@example.org", adminPass) // another browser
		expect(t, e.get(c, "/admin/account"), 200, `name="current_password"`)

		// Wrong current password, mismatch, too short.
		expect(t, e.post(c, "/admin/account/password", url.Values{"current_password": {"nope nope nope"}, "new_password": {"new password 123"}, "confirm_password": {"new password 123"}}),
			http.StatusUnprocessableEntity, `id="current_password-error"`)
		expect(t, e.post(c, "/admin/account/password", url.Values{"current_password": {adminPass}, "new_password": {"new password 123"}, "confirm_password": {"other"}}),
			http.StatusUnprocessableEntity, `id="confirm_password-error"`)
		expect(t, e.post(c, "/admin/account/password", url.Values{"current_password": {adminPass}, "new_password": {"short"}, "confirm_password": {"short"}}),
			http.StatusUnprocessableEntity, `id="new_password-error"`)

		r := e.post(c, "/admin/account/password", url.Values{"current_password": {adminPass}, "new_password": {"new password 123"}, "confirm_password": {"new password 123"}})
		if r.StatusCode != http.StatusSeeOther || sessionCookie(r) == nil {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		// This browser goes on with a fresh session; the other is logged out.
		expect(t, e.get(c, "/admin/account?flash=password"), 200, "Your password has been changed")
		if r := e.get(other, "/admin/"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("other session survives the change: %d", r.StatusCode)
		}
		if r := e.login(e.client(), "admin@example.org", adminPass); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("old password still works: %d", r.StatusCode)
		}
		e.loggedIn("admin@example.org", "new password 123")

		// Own name.
		if r := e.post(c, "/admin/account", url.Values{"name": {"Ada L."}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d", r.StatusCode)
		}
		expect(t, e.get(c, "/admin/account"), 200, `value="Ada L."`)
	})
}

func TestTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/tokens"), 200, "No tokens")
		expect(t, e.post(c, "/admin/tokens", url.Values{"name": {" "}}), http.StatusUnprocessableEntity, `id="name-error"`)
		r := e.post(c, "/admin/tokens", url.Values{"name": {"backup script"}})
		expect(t, r, http.StatusCreated, "not shown again")
		m := secretRe.FindStringSubmatch(r.body)
		if m == nil || !strings.HasPrefix(m[1], account.TokenPrefix) {
			t.Fatal("no token on the page")
		}
		if u, err := e.accounts.TokenUser(ctx, m[1]); err != nil || u.ID != e.admin.ID {
			t.Fatalf("%v %v", u, err)
		}
		r = e.get(c, "/admin/tokens")
		expect(t, r, 200, "backup script", "admin@example.org")
		if strings.Contains(r.body, m[1]) {
			t.Error("the listing shows the secret")
		}
		ts, _ := e.accounts.Tokens(ctx)
		if r := e.post(c, "/admin/tokens/"+itoa(ts[0].ID)+"/revoke", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d", r.StatusCode)
		}
		if _, err := e.accounts.TokenUser(ctx, m[1]); err == nil {
			t.Error("revoked token still works")
		}
		expect(t, e.post(c, "/admin/tokens/"+itoa(ts[0].ID)+"/revoke", nil), http.StatusNotFound)
	})
}

func TestNotFoundAndSlash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/nothing-here"), http.StatusNotFound, "no admin page")
		if r := e.get(e.client(), "/admin/nothing-here"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous 404: %d", r.StatusCode)
		}
		if r := e.get(c, "/admin"); r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != "/admin/" {
			t.Errorf("/admin: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
	})
}
