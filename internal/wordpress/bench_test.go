package wordpress

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/wxr"
)

// BenchmarkImportLarge imports a generated export of 10,000 posts with
// 100,000 comments (MARQUEE_BENCH_POSTS changes the number of posts; ten
// comments each) into a fresh database per iteration, and reports the
// peak Go heap and the process's peak resident memory:
//
//	go test ./internal/wordpress -run '^$' -bench ImportLarge -benchtime 1x
//	MARQUEE_TEST_POSTGRES=postgres://… go test … (PostgreSQL too)
func BenchmarkImportLarge(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("MARQUEE_BENCH_POSTS")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "large.xml")
	if err := generate(path, n, 10); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	for name, dsn := range sqldbtest.DSNs(b) {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if i > 0 {
					dsn = sqldbtest.DSNs(b)[name]
				}
				e := newEnv(sqldbtest.Open(b, dsn))
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				stop := peakHeap()
				b.StartTimer()
				sum, err := e.im.Import(context.Background(), f)
				b.StopTimer()
				peak := stop()
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				if sum.Posts["post published"] != n || sum.Comments["approved"] != n*10 {
					b.Fatalf("imported %v posts, %v comments", sum.Posts, sum.Comments)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(maxRSS())/(1<<20), "maxrss-MB")
				b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
			}
		})
	}
}

// generate writes a WXR file of n posts with c approved comments each, a
// thread of replies, three categories and a tag.
func generate(path string, n, c int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := wxr.NewWriter(bw, wxr.Site{Title: "Big", Link: "https://big.example.com", BaseSiteURL: "https://big.example.com",
		BaseBlogURL: "https://big.example.com", Language: "en"})
	if err != nil {
		return err
	}
	w.WriteAuthor(wxr.Author{ID: 1, Login: "writer", Email: "writer@big.example.com", DisplayName: "Writer"})
	for i, name := range []string{"news", "essays", "notes"} {
		w.WriteCategory(wxr.Category{TermID: int64(i + 1), Nicename: name, Name: name})
	}
	w.WriteTag(wxr.Tag{TermID: 10, Slug: "go", Name: "Go"})
	base := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	body := "<p>Paragraph one of a generated post, long enough to look like writing, with a <a href=\"https://example.org/\">link</a>.</p>\n\nSecond paragraph, plain text, a few more words to render.<!--more-->\n\nThird paragraph after the fold."
	cid := int64(0)
	for i := 1; i <= n; i++ {
		at := base.Add(time.Duration(i) * time.Hour)
		p := wxr.Post{Title: fmt.Sprintf("Generated post %d", i), Link: fmt.Sprintf("https://big.example.com/%s/post-%d/", at.Format("2006/01/02"), i),
			PubDate: at.Format(time.RFC1123Z), Creator: "writer", GUID: fmt.Sprintf("https://big.example.com/?p=%d", i), Content: body,
			ID: int64(i), PostDate: at.Format(wxr.DateLayout), PostDateGMT: at.Format(wxr.DateLayout), PostModified: at.Format(wxr.DateLayout),
			PostModifiedGMT: at.Format(wxr.DateLayout), CommentStatus: "open", PingStatus: "open", Name: fmt.Sprintf("post-%d", i),
			Status: "publish", Type: "post",
			Categories: []wxr.PostCategory{{Domain: "category", Nicename: "news", Name: "news"}, {Domain: "post_tag", Nicename: "go", Name: "Go"}}}
		for j := 0; j < c; j++ {
			cid++
			parent := int64(0)
			if j%2 == 1 {
				parent = cid - 1
			}
			ct := at.Add(time.Duration(j+1) * time.Minute)
			p.Comments = append(p.Comments, wxr.Comment{ID: cid, Author: fmt.Sprintf("Reader %d", j), AuthorEmail: fmt.Sprintf("r%d@example.net", j),
				AuthorIP: "192.0.2.1", Date: ct.Format(wxr.DateLayout), DateGMT: ct.Format(wxr.DateLayout),
				Content: fmt.Sprintf("Comment %d on post %d: I agree with <em>most</em> of this.", cid, i), Approved: "1", Parent: parent})
		}
		if err := w.WritePost(p); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// peakHeap samples the Go heap until the returned function is called,
// which returns the largest HeapInuse seen.
func peakHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	go func() {
		defer close(stopped)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		sample()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// maxRSS is the process's peak resident set size in bytes (Linux reports KiB).
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024
}
