package main

import (
	"fmt"
	"strings"

	"marquee/internal/spam"
)

func cmdSpam(e *env, args []string) error {
	const usage = "usage: marquee spam eval|train|reset [flags]"
	if len(args) == 0 {
		return usageError(usage)
	}
	switch args[0] {
	case "eval":
		return cmdSpamEval(e, args[1:])
	case "train":
		return cmdSpamTrain(e, args[1:])
	case "reset":
		return cmdSpamReset(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, usage)
		return nil
	}
	return usageError(fmt.Sprintf("unknown spam command %q (eval, train, reset)", args[0]))
}

// cmdSpamEval trains a fresh model on labelled files and measures it on
// another; it reads only author, content, email, url and ip.
func cmdSpamEval(e *env, args []string) error {
	fs := newFlags(e, "spam eval", "\n\nTrains a fresh model on the -train files (JSON Lines, as in the shared spam data),\nclassifies every item of -test, writes id<TAB>spam|ham<TAB>score lines to -predictions\nand prints precision, recall, F1, accuracy, ham false-positive rate and MCC.")
	train := fs.String("train", "", "comma-separated JSON Lines files to learn from (required)")
	test := fs.String("test", "", "JSON Lines file to classify (required)")
	pred := fs.String("predictions", "", "where to write the predictions (required)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *train == "" || *test == "" || *pred == "" {
		return usageError("-train, -test and -predictions are required")
	}
	var files []string
	for _, f := range strings.Split(*train, ",") {
		if f = strings.TrimSpace(f); f != "" {
			files = append(files, f)
		}
	}
	_, err := spam.Evaluate(files, *test, *pred, e.stdout)
	return err
}

// cmdSpamTrain adds labelled examples to a site's model, as if a moderator
// had judged each of them.
func cmdSpamTrain(e *env, args []string) error {
	fs := newFlags(e, "spam train", " FILE…\n\nTeaches the site's spam filter from JSON Lines files of labelled comments.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("give at least one JSON Lines file to train on")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	total := 0
	for _, path := range fs.Args() {
		ex, err := spam.ReadJSONL(path)
		if err != nil {
			return err
		}
		for _, x := range ex {
			if err := a.Spam.Learn(e.ctx, spam.SiteModel, x.Sample(), x.Spam()); err != nil {
				return err
			}
		}
		total += len(ex)
	}
	if err := a.Spam.Snapshot(e.ctx, spam.SiteModel); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Taught the spam filter %d labelled comments.\n", total)
	return nil
}

func cmdSpamReset(e *env, args []string) error {
	fs := newFlags(e, "spam reset", "\n\nReturns the site's spam filter to the starter model it shipped with.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Spam.Reset(e.ctx, spam.SiteModel); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "The spam filter is back to its starter model.")
	return nil
}
