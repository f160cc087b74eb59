// Command gen trains the starter spam model on the public labelled sets in
// ../shared/data/spam (train and dev splits of the YouTube Spam Collection
// and the SMS Spam Collection, CC BY 4.0; see ../README.md) and writes
// internal/spam/starter.model.
//
//	go run ./internal/spam/gen            # from the repository root
//	go generate ./internal/spam
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"marquee/internal/fixture"
	"marquee/internal/spam"
)

func main() {
	log.SetFlags(0)
	root, err := fixture.RepoRoot()
	if err != nil {
		log.Fatal(err)
	}
	data := flag.String("data", filepath.Join(filepath.Dir(root), "shared", "data", "spam"), "directory of the labelled JSONL files")
	out := flag.String("out", filepath.Join(root, "internal", "spam", "starter.model"), "output file")
	flag.Parse()

	var ex []spam.Example
	for _, name := range []string{"youtube.train", "youtube.dev", "sms.train", "sms.dev"} {
		e, err := spam.ReadJSONL(filepath.Join(*data, name+".jsonl"))
		if err != nil {
			log.Fatal(err)
		}
		ex = append(ex, e...)
	}
	// Half of the hand-written blog-like set (odd item numbers) joins the
	// training data, four times, to pull the starter towards blog comments; the
	// even half is kept for evaluation (TestBlogStarter).
	blog, err := spam.ReadJSONL(filepath.Join(root, "internal", "spam", "testdata", "blog.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	nb := 0
	for _, e := range blog {
		if spam.BlogTrainSplit(e.ID) {
			ex = append(ex, e, e, e, e)
			nb++
		}
	}
	fmt.Printf("%d blog-like examples (x4) in training\n", nb)
	start := time.Now()
	f := spam.Train(ex)
	b, err := f.MarshalBinary()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
	st := f.Stats()
	fmt.Printf("trained on %d examples in %v; wrote %s (%d bytes; %d spam signatures; ~%d MB in memory)\n",
		len(ex), time.Since(start).Round(time.Millisecond), *out, len(b), st.SpamSignatures, st.MemoryBytes>>20)
}
