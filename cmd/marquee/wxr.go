package main

import (
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"

	"marquee/internal/wordpress"
)

const importUsage = "usage: marquee import wxr [-db DB] [-train-spam] [-uploads DIR] [-fetch-uploads [-fetch-private]] FILE (FILE - reads standard input)"

// cmdImport dispatches `marquee import FORMAT`; WXR is the only format.
func cmdImport(e *env, args []string) error {
	if len(args) == 0 {
		return usageError(importUsage)
	}
	switch args[0] {
	case "wxr":
		return cmdImportWXR(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, importUsage)
		return nil
	}
	return usageError(fmt.Sprintf("unknown import format %q (wxr)", args[0]))
}

func cmdImportWXR(e *env, args []string) error {
	fs := newFlags(e, "import wxr", " FILE\n\nImports a WordPress export (Tools → Export, WXR 1.0–1.2) in one transaction:\n"+
		"a damaged file imports nothing. Importing the same file again adds nothing.\nFILE - reads standard input.\n\n"+
		"With -uploads or -fetch-uploads the images the site uploaded go to the media library, posts\n"+
		"point at them there, and their old addresses (/wp-content/uploads/…) redirect to them.")
	db := dbFlag(e, fs)
	train := fs.Bool("train-spam", false, "teach the spam filter from the imported spam (as spam) and approved comments (as ham)")
	uploads := fs.String("uploads", "", "a copy of the old site's wp-content/uploads `folder`: import the images found there")
	fetch := fs.Bool("fetch-uploads", false, "download the images the -uploads folder lacks (all of them without it) from the old site")
	private := fs.Bool("fetch-private", false, "let -fetch-uploads download from loopback and private-network addresses, which it refuses\n"+
		"otherwise (the export names the addresses): only for a copy of the old site on your own network, or tests")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(importUsage)
	}
	if *uploads != "" {
		st, err := os.Stat(*uploads)
		if errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("-uploads %s: no such folder (give the copy of the old site's wp-content/uploads)", *uploads)
		}
		if err != nil {
			return fmt.Errorf("-uploads: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("-uploads %s: not a folder (give the copy of the old site's wp-content/uploads)", *uploads)
		}
	}
	var in io.Reader = e.stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	} else if in == nil {
		return usageError("no standard input to read")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	im := &wordpress.Importer{DB: a.DB, Posts: a.Posts, Comments: a.Comments, Render: a.Markup, Media: a.Media,
		UploadsDir: *uploads, FetchUploads: *fetch, AllowPrivateHosts: *private}
	if *uploads != "" || *fetch {
		im.Progress = e.stderr
	}
	if *train {
		im.Learner = a.Spam
	}
	sum, err := im.Import(e.ctx, in)
	if sum != nil {
		sum.WriteTo(e.stdout)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", fs.Arg(0), err)
	}
	// A running server drops the pages the import changed.
	a.ContentChanged(e.ctx)
	return nil
}

const exportUsage = "usage: marquee export wxr [-db DB] [-base-url URL] > FILE"

// cmdExport dispatches `marquee export FORMAT`; WXR is the only format.
func cmdExport(e *env, args []string) error {
	if len(args) == 0 {
		return usageError(exportUsage)
	}
	switch args[0] {
	case "wxr":
		return cmdExportWXR(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, exportUsage)
		return nil
	}
	return usageError(fmt.Sprintf("unknown export format %q (wxr)", args[0]))
}

func cmdExportWXR(e *env, args []string) error {
	fs := newFlags(e, "export wxr", "\n\nWrites the whole site as WordPress WXR 1.2 to standard output.")
	db := dbFlag(e, fs)
	base := fs.String("base-url", envOr(e, "MARQUEE_BASE_URL", ""), "the site's public address, for links, when the settings have none (env MARQUEE_BASE_URL)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(exportUsage)
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	x := &wordpress.Exporter{DB: a.DB, Posts: a.Posts, Comments: a.Comments, Settings: a.Settings, BaseURL: *base}
	return x.Export(e.ctx, e.stdout)
}
