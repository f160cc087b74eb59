package main

import "errors"

// cmdPrivacy is being written (issue: transparency, consent, retention, export, erasure).
func cmdPrivacy(e *env, args []string) error { return errors.New("privacy: not available yet") }
