package main

import "errors"

// cmdImport and cmdExport are being written (issue: Leave WordPress in one command).
func cmdImport(e *env, args []string) error { return errors.New("import: not available yet") }

func cmdExport(e *env, args []string) error { return errors.New("export: not available yet") }
