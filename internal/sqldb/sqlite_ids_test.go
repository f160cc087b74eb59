package sqldb

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestStableIDsUpgrade: a site created before migration 13 keeps every row,
// id, index, trigger and foreign key through the rebuild, and from then on
// never hands a deleted row's id to a new one.
func TestStableIDsUpgrade(t *testing.T) {
	ctx := context.Background()
	db, err := openSQLite(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.migrateTo(ctx, nil, 12); err != nil {
		t.Fatal(err)
	}
	now := Now()
	for _, q := range []string{
		`INSERT INTO users (id, email, role, created_at, updated_at) VALUES (1, 'w@example.org', 'admin', $1, $1)`,
		`INSERT INTO posts (id, type, title, slug, body, author_id, status, published_at, created_at, updated_at, visible_at)
			VALUES (1, 'post', 'Night walk', 'night-walk', 'The piano plays by the river.', 1, 'published', $1, $1, $1, $1)`,
		`INSERT INTO posts (id, type, title, slug, body, status, created_at, updated_at) VALUES (2, 'post', 'Gone', 'gone', 'x', 'draft', $1, $1)`,
		`INSERT INTO tags (id, name, slug) VALUES (1, 'Film', 'film')`,
		`INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1)`,
		`INSERT INTO comments (id, post_id, content, content_html, status, created_at, updated_at) VALUES (1, 1, 'a', '<p>a</p>', 'approved', $1, $1)`,
		`INSERT INTO comments (id, post_id, parent_id, content, content_html, status, created_at, updated_at) VALUES (2, 1, 1, 'b', '<p>b</p>', 'approved', $1, $1)`,
		`INSERT INTO comments (id, post_id, content, content_html, status, created_at, updated_at) VALUES (3, 1, 'spam', '<p>spam</p>', 'spam', $1, $1)`,
		`DELETE FROM posts WHERE id = 2`,
	} {
		if _, err := db.ExecContext(ctx, q, now); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.migrateTo(ctx, nil, -1); err != nil {
		t.Fatal(err)
	}
	one := func(q string, args ...any) (n int64) { // on the writer: it sees its own settings
		t.Helper()
		if err := db.WriteQueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := one("SELECT count(*) FROM sqlite_master WHERE name IN ('posts', 'comments', 'users') AND sql LIKE '%AUTOINCREMENT%'"); n != 3 {
		t.Fatalf("%d of posts, comments, users rebuilt", n)
	}
	if one("SELECT count(*) FROM comments")+one("SELECT count(*) FROM posts")+one("SELECT count(*) FROM post_tags") != 5 {
		t.Fatal("rows lost in the rebuild")
	}
	if one("SELECT parent_id FROM comments WHERE id = 2") != 1 {
		t.Fatal("thread lost")
	}
	if one("SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'piano'") != 1 {
		t.Fatal("full-text index lost")
	}
	if one("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'posts' AND type = 'trigger'") != 3 ||
		one("SELECT count(*) FROM sqlite_master WHERE name = 'posts_visible'") != 1 {
		t.Fatal("triggers or indexes lost")
	}
	// Foreign keys are on again, and still cascade.
	if one("PRAGMA foreign_keys") != 1 {
		t.Fatal("foreign keys left off")
	}
	// The newest comment goes (spam emptied): its id is not given again.
	if _, err := db.ExecContext(ctx, "DELETE FROM comments WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	if id := one(`INSERT INTO comments (post_id, content, content_html, status, created_at, updated_at) VALUES (1, 'c', '<p>c</p>', 'pending', $1, $1) RETURNING id`, now); id != 4 {
		t.Fatalf("new comment got id %d, want 4", id)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM posts WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	if one("SELECT count(*) FROM comments")+one("SELECT count(*) FROM post_tags") != 0 {
		t.Fatal("deleting a post no longer cascades to its comments and tags")
	}
}

// TestEveryIDTableAutoincrements: migration 13 rebuilt the tables that
// existed then; a table added later must declare AUTOINCREMENT itself.
func TestEveryIDTableAutoincrements(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "new.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT m.name, m.sql FROM pragma_table_list l JOIN sqlite_master m ON m.name = l.name
		WHERE l.schema = 'main' AND l.type = 'table'`) // not FTS5's shadow tables: SQLite manages those
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			t.Fatal(err)
		}
		if rowidKey.MatchString(ddl) {
			n++
			if !strings.Contains(strings.ToUpper(ddl), "AUTOINCREMENT") {
				t.Errorf("table %s is keyed by id INTEGER PRIMARY KEY without AUTOINCREMENT: deleted ids would be reused", name)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d id tables found", n)
	}
}
