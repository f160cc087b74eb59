package main

import "errors"

// cmdAkismet is being written (issue: Speak the Akismet API).
func cmdAkismet(e *env, args []string) error {
	return errors.New("akismet: not available yet")
}
