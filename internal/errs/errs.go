// Package errs gives domain errors a kind, so that the HTTP layers can turn
// them into statuses in exactly one place (Status) and stores never return
// (nil, nil) for "not found".
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

const (
	Internal     Kind = iota // a bug or an outage: log it, say sorry
	Invalid                  // the input is wrong: say which field and why
	NotFound                 // the thing does not exist (or is hidden)
	Conflict                 // the input clashes with existing data
	Unauthorized             // no or bad credentials
	Forbidden                // known caller, not allowed
	TooLarge                 // the body or a field is over its limit
	TooMany                  // throttled
	Unavailable              // a dependency (the database) is down
)

// Error is a domain error carrying a message meant for a person.
type Error struct {
	Kind    Kind
	Field   string // the offending input field, when there is one
	Message string
	Err     error         // the cause, for logs; never shown
	Retry   time.Duration // for TooMany and Unavailable: when to try again
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of kind k with a formatted message.
func E(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Field builds an Invalid error naming the input field at fault.
func Field(field, format string, args ...any) error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches kind k and a message to a cause.
func Wrap(k Kind, err error, format string, args ...any) error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...), Err: err}
}

// Throttled is a TooMany error saying when to come back.
func Throttled(retry time.Duration, format string, args ...any) error {
	return &Error{Kind: TooMany, Message: fmt.Sprintf(format, args...), Retry: retry}
}

// RetryAfter is how long the caller should wait before trying again, in
// whole seconds as the Retry-After header wants them (0: not said).
func RetryAfter(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Retry > 0 {
		return int((e.Retry + time.Second - 1) / time.Second)
	}
	return 0
}

// KindOf reports the kind of err; errors without one are Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Message is what a person may be shown about err: the domain message, or a
// generic sentence for internal errors whose details belong in the log.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// Fields maps each input field named by the errors in err (one, or several
// joined with errors.Join) to its first message: a form marks them all.
func Fields(err error) map[string]string {
	m := map[string]string{}
	var walk func(error)
	walk = func(err error) {
		var e *Error
		switch x := err.(type) {
		case nil:
		case interface{ Unwrap() []error }:
			for _, c := range x.Unwrap() {
				walk(c)
			}
		default:
			if errors.As(err, &e) && e.Field != "" {
				if _, ok := m[e.Field]; !ok {
					m[e.Field] = e.Message
				}
			}
		}
	}
	walk(err)
	return m
}

// Status is the single mapping from error kinds to HTTP statuses.
func Status(err error) int {
	switch KindOf(err) {
	case Invalid:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case TooMany:
		return http.StatusTooManyRequests
	case Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// SetHeaders adds the headers that go with err's status: Retry-After for
// throttling (as the error says) and for an unavailable database (5 s).
func SetHeaders(h http.Header, err error) {
	switch KindOf(err) {
	case TooMany:
		if s := RetryAfter(err); s > 0 {
			h.Set("Retry-After", strconv.Itoa(s))
		} else {
			h.Set("Retry-After", "60")
		}
	case Unavailable:
		if s := RetryAfter(err); s > 0 {
			h.Set("Retry-After", strconv.Itoa(s))
		} else {
			h.Set("Retry-After", "5")
		}
	}
}
