package site

import (
	"context"
	"database/sql"
	"strconv"
)

// Field binds one key of the settings table to a field of a struct T, so
// that a group of settings (the site's, the privacy policy's) is a table
// of one line per setting.
type Field[T any] struct {
	Key string
	Get func(*T) string
	Set func(*T, string) // a value that does not parse leaves the field as it is
}

// String binds a text setting.
func String[T any](key string, p func(*T) *string) Field[T] {
	return Field[T]{key, func(t *T) string { return *p(t) }, func(t *T, v string) { *p(t) = v }}
}

// Int binds a whole-number setting.
func Int[T any](key string, p func(*T) *int) Field[T] {
	return Field[T]{key, func(t *T) string { return strconv.Itoa(*p(t)) }, func(t *T, v string) {
		if n, err := strconv.Atoi(v); err == nil {
			*p(t) = n
		}
	}}
}

// Bool binds a yes/no setting.
func Bool[T any](key string, p func(*T) *bool) Field[T] {
	return Field[T]{key, func(t *T) string { return strconv.FormatBool(*p(t)) }, func(t *T, v string) {
		if b, err := strconv.ParseBool(v); err == nil {
			*p(t) = b
		}
	}}
}

// SaveFields writes every field of v into the settings table within tx.
func SaveFields[T any](ctx context.Context, tx *sql.Tx, fields []Field[T], v *T) error {
	for _, f := range fields {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, f.Key, f.Get(v)); err != nil {
			return err
		}
	}
	return nil
}
