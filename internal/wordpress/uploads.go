package wordpress

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"marquee/internal/errs"
	"marquee/internal/media"
	"marquee/internal/post"
	"marquee/internal/wxr"
)

// fetchWorkers bounds the files read, downloaded and re-encoded at once;
// decodeWorkers the images decoded and re-encoded (which take memory).
const (
	fetchWorkers  = 4
	decodeWorkers = 2
)

// downloadBudget bounds the time all the downloads of an import take;
// the files not downloaded by then are reported with reasonBudget.
var downloadBudget = 30 * time.Minute

// userAgent names the import to the old site's server.
const userAgent = "Mozilla/5.0 (compatible; Marquee WordPress import)"

// Why an upload was not imported, as the summary counts them.
const (
	reasonNotImage = "not an image: the media library keeps JPEG, PNG, GIF and WebP images"
	reasonMissing  = "not in the uploads folder"
	reasonFetch    = "the download failed"
	reasonBad      = "not a readable image"
	reasonHuge     = "too large for the media library"
	reasonBudget   = "not downloaded: the downloads took longer than the import allows"
)

func reasonTooLarge(limit int64) string {
	return fmt.Sprintf("larger than %d MiB, the most the media library takes", limit>>20)
}

// uploading reports whether the import is asked to bring the files.
func (im *Importer) uploading() bool { return im.UploadsDir != "" || im.FetchUploads }

func (im *Importer) maxUploadBytes() int64 {
	if im.MaxUploadBytes > 0 {
		return min(im.MaxUploadBytes, media.MaxBytes)
	}
	return media.MaxBytes
}

// prepareUploads runs before the import's transaction: it reads the whole
// document once (refusing a damaged one, as Check does), finds the files
// its attachments and bodies name, reads or downloads those not imported
// before and re-encodes them, keeping the results in a temporary file
// until the transaction stores them.
func (im *Importer) prepareUploads(ctx context.Context, r io.Reader, sum *Summary) (*matcher, *spool, error) {
	if im.Media == nil {
		return nil, nil, errors.New("wordpress: importing uploads needs a media store")
	}
	if im.UploadsDir != "" {
		if st, err := os.Stat(im.UploadsDir); err != nil {
			return nil, nil, fmt.Errorf("the uploads folder: %w", err)
		} else if !st.IsDir() {
			return nil, nil, fmt.Errorf("the uploads folder %s is not a folder", im.UploadsDir)
		}
	}
	source, m, err := planUploads(r)
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, nil // no channel: the import says so
	}
	if _, err := im.loadExisting(ctx, im.DB, source, m); err != nil {
		return nil, nil, err
	}
	for _, u := range m.uploads {
		if u.existing && u.listed {
			sum.Existing["upload"]++
		}
	}
	sp, err := im.collect(ctx, m, sum.Uploads)
	if err != nil {
		return nil, nil, err
	}
	return m, sp, nil
}

// planUploads reads a document and returns its source key and a matcher
// that knows every upload its attachments and post bodies name.
func planUploads(r io.Reader) (string, *matcher, error) {
	var source string
	var m *matcher
	urls := map[string]bool{}
	// Bad records are counted by the import pass that follows.
	err := eachItem(wxr.NewReader(bufio.NewReaderSize(r, 1<<20)), func(it wxr.Item) error {
		switch v := it.(type) {
		case wxr.Site:
			source = siteSource(v)
			m = newMatcher(v.BaseSiteURL, v.BaseBlogURL, v.Link)
		case wxr.Post:
			if m == nil {
				return nil
			}
			switch typ := strings.ToLower(strings.TrimSpace(v.Type)); typ {
			case "attachment":
				m.attachment(v)
			case "post", "page", "":
				walkRefs(v.Content, func(raw string, _ bool) (string, int, bool) {
					if fileLike(raw) {
						urls[strings.TrimSpace(raw)] = true
					}
					return "", 0, false
				})
			}
		}
		return nil
	}, func(error) {})
	if err != nil {
		return "", nil, err
	}
	if m == nil {
		return "", nil, nil
	}
	m.bodyFiles(urls)
	return source, m, nil
}

// fileLike tells URLs whose path ends in a file name with an extension.
func fileLike(raw string) bool {
	if !strings.Contains(raw, "/") || len(raw) > 2048 {
		return false
	}
	p := raw
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	e := path.Ext(p)
	return len(e) >= 2 && len(e) <= 6 && !strings.Contains(e, "/")
}

// attachment records an attachment's file.
func (m *matcher) attachment(v wxr.Post) {
	raw := strings.TrimSpace(v.AttachmentURL)
	if raw == "" {
		raw = strings.TrimSpace(v.GUID)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return // the import skips it and says so
	}
	rel, base := attachmentRel(u.Path, metaValue(v.Meta, "_wp_attached_file"))
	if rel == "" {
		return
	}
	m.addBase(hostOf(u), base)
	m.add(&upload{rel: rel, url: raw, files: []fileRef{{rel, raw}}, attachment: true, listed: true,
		creator: strings.TrimSpace(v.Creator), sizes: attachmentSizes(metaValue(v.Meta, "_wp_attachment_metadata"), rel)})
}

// datedRe is a path ending in WordPress's year/month folders.
var datedRe = regexp.MustCompile(`^(.*/)(\d{4}/\d{2}/[^/]+)$`)

// attachmentRel splits the path of an attachment's URL into the uploads
// folder and the file's path in it: _wp_attached_file tells it when the
// export has it, else /wp-content/uploads/ or the year/month folders do.
func attachmentRel(p, attached string) (rel, base string) {
	if strings.HasSuffix(p, "/") {
		return "", ""
	}
	a := strings.TrimSpace(attached)
	if a != "" && !strings.HasPrefix(a, "/") && !strings.Contains(a, ":") && strings.HasSuffix(p, "/"+a) {
		return a, p[:len(p)-len(a)]
	}
	if i := strings.Index(lowerASCII(p), "/"+uploadsPath); i >= 0 {
		n := i + 1 + len(uploadsPath)
		return p[n:], p[:n]
	}
	if sm := datedRe.FindStringSubmatch(p); sm != nil {
		return sm[2], sm[1]
	}
	i := strings.LastIndex(p, "/")
	return p[i+1:], p[:i+1]
}

func metaValue(ms []wxr.Meta, key string) string {
	for _, m := range ms {
		if strings.TrimSpace(m.Key) == key {
			return m.Value
		}
	}
	return ""
}

// bodyFiles records the uploads post bodies reference: the resized copies
// of known files (so that their old addresses redirect too), and files
// the export does not list as attachments (an export of posts only, an
// image whose attachment was deleted but not its file).
func (m *matcher) bodyFiles(urls map[string]bool) {
	raws := make([]string, 0, len(urls))
	for raw := range urls {
		raws = append(raws, raw)
	}
	sort.Strings(raws)
	for _, raw := range raws {
		r, ok := m.under(raw)
		if !ok || path.Ext(r.rel) == "" {
			continue
		}
		lrel := strings.ToLower(r.rel)
		if t, ok := m.lookup(r.rel); ok {
			t.u.listed = true
			if t.w > 0 || t.h > 0 {
				if _, known := t.u.sizes[lrel]; !known {
					if t.u.sizes == nil {
						t.u.sizes = map[string][2]int{}
					}
					t.u.sizes[lrel] = [2]int{t.w, t.h}
				}
			}
			continue
		}
		scheme, host := r.scheme, r.hostAs
		if scheme == "" {
			scheme = m.scheme
		}
		if host == "" {
			host = m.siteHost
		}
		at := func(rel string) string {
			if host == "" {
				return ""
			}
			return scheme + "://" + host + (&url.URL{Path: r.base + rel}).EscapedPath()
		}
		u := &upload{rel: r.rel, listed: true}
		// Indexes into r.rel come from an ASCII-only lower-casing, which
		// keeps its byte offsets (strings.ToLower does not).
		if sm := resizedRe.FindStringSubmatch(lowerASCII(r.rel)); sm != nil {
			// A copy: the file is its original, if there is one.
			orig := r.rel[:len(sm[1])] + r.rel[len(r.rel)-len(sm[4]):]
			u.rel = orig
			u.sizes = map[string][2]int{lrel: {atoi(sm[2]), atoi(sm[3])}}
			u.files = []fileRef{{orig, at(orig)}, {r.rel, at(r.rel)}}
		} else {
			u.files = []fileRef{{r.rel, at(r.rel)}}
		}
		u.url = u.files[0].url
		m.add(u)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// querier is the database or the import's transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadExisting adds to m the uploads earlier imports of source brought,
// with their media, and returns how many there are. An upload whose media
// was deleted since stays known, so that it is not brought back, but no
// reference is pointed at it.
func (im *Importer) loadExisting(ctx context.Context, q querier, source string, m *matcher) (int, error) {
	if im.Media == nil {
		return 0, nil
	}
	type row struct {
		key, guid string
		id        int64
	}
	rows, err := q.QueryContext(ctx, `SELECT wp_key, local_id, guid FROM wp_map
		WHERE source = $1 AND kind = 'attachment' AND wp_key LIKE 'upload:%' ORDER BY wp_key`, source)
	if err != nil {
		return 0, err
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key, &r.id, &r.guid); err != nil {
			rows.Close()
			return 0, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range rs {
		md, err := im.Media.ByID(ctx, r.id)
		if errs.KindOf(err) == errs.NotFound {
			md, err = nil, nil
		}
		if err != nil {
			return 0, err
		}
		u := m.byKey[r.key]
		if u == nil {
			rel := strings.TrimPrefix(r.key, "upload:")
			u = &upload{rel: rel, url: r.guid}
			// rel is lower-cased, perhaps to another length than the path's.
			if pu, err := url.Parse(r.guid); err == nil && pu.Host != "" && len(pu.Path) >= len(rel) &&
				strings.EqualFold(pu.Path[len(pu.Path)-len(rel):], rel) {
				m.addBase(hostOf(pu), pu.Path[:len(pu.Path)-len(rel)])
			}
			u = m.add(u)
		}
		u.existing, u.media = true, md
	}
	return len(rs), nil
}

// collect reads or downloads the files of the uploads not imported yet
// and re-encodes them, at most fetchWorkers at once. Files it cannot get
// are counted in us, each with its reason.
func (im *Importer) collect(ctx context.Context, m *matcher, us *UploadSummary) (*spool, error) {
	limit := im.maxUploadBytes()
	var todo []*upload
	for _, u := range m.uploads {
		switch {
		case u.existing:
		case !imageExt(u.rel):
			us.skip(reasonNotImage, quoteName(u.rel))
		default:
			todo = append(todo, u)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	roots, closeRoots, err := im.openRoots()
	if err != nil {
		return nil, err
	}
	defer closeRoots()
	client := im.HTTPClient
	if client == nil {
		client = defaultClient(im.AllowPrivateHosts)
		defer client.CloseIdleConnections()
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx) // a fatal error stops the other workers
	defer cancel()
	dctx, cancelDownloads := context.WithTimeout(ctx, downloadBudget)
	defer cancelDownloads()
	decodes := make(chan struct{}, decodeWorkers)
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		done     int
		fatalErr error
		last     = time.Now()
	)
	jobs := make(chan *upload)
	for range min(fetchWorkers, len(todo)) {
		wg.Go(func() {
			for u := range jobs {
				data, from, err := im.getFile(ctx, dctx, roots, client, u, limit)
				var p *media.Prepared
				if err == nil {
					var perr error
					decodes <- struct{}{}
					p, perr = media.Prepare(path.Base(u.rel), bytes.NewReader(data))
					<-decodes
					switch {
					case perr == nil:
					case errs.KindOf(perr) == errs.TooLarge:
						err = &skipError{reasonHuge, errs.Message(perr)}
					default:
						err = &skipError{reasonBad, errs.Message(perr)}
					}
				}
				var kept *spooled
				if err == nil {
					kept, err = sp.keep(p)
				}
				mu.Lock()
				var se *skipError
				switch {
				case errors.As(err, &se):
					us.skip(se.reason, quoteName(u.rel)+se.detailText())
				case err != nil:
					if fatalErr == nil {
						fatalErr = err
						cancel()
					}
				default:
					u.prepared = kept
					if from == "local" {
						us.Local++
					} else {
						us.Fetched++
					}
				}
				done++
				if im.Progress != nil && (done == len(todo) || time.Since(last) > 2*time.Second) {
					last = time.Now()
					fmt.Fprintf(im.Progress, "uploads: %d of %d files read\n", done, len(todo))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, u := range todo {
		select {
		case jobs <- u:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := cmpErr(parent.Err(), fatalErr); err != nil {
		sp.Close()
		return nil, err
	}
	for _, items := range us.SkippedItems {
		sort.Strings(items)
	}
	if im.UploadsDir != "" && us.Local == 0 && len(todo) > 0 {
		us.Notes = append(us.Notes, fmt.Sprintf("none of the %d files was found in %s: is it the uploads folder, the one that holds the year folders (2013/, 2014/…)?", len(todo), im.UploadsDir))
	}
	return sp, nil
}

// quoteName is a file name as the summary shows it: quoted when it holds
// characters that are not printable (a new line would forge a line).
func quoteName(name string) string {
	if q := strconv.Quote(name); q[1:len(q)-1] != name {
		return q
	}
	return name
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// skipError is why one file was not imported.
type skipError struct{ reason, detail string }

func (e *skipError) Error() string { return e.reason + e.detailText() }

func (e *skipError) detailText() string {
	if e.detail == "" {
		return ""
	}
	return ": " + e.detail
}

// imageExt tells the file names of the images the media library takes.
func imageExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// openRoots opens the uploads folder, and the uploads folders inside it
// for a user who gave the WordPress folder or wp-content instead.
func (im *Importer) openRoots() ([]*os.Root, func(), error) {
	if im.UploadsDir == "" {
		return nil, func() {}, nil
	}
	var roots []*os.Root
	closeAll := func() {
		for _, r := range roots {
			r.Close()
		}
	}
	for i, dir := range []string{im.UploadsDir, filepath.Join(im.UploadsDir, "wp-content", "uploads"), filepath.Join(im.UploadsDir, "uploads")} {
		r, err := os.OpenRoot(dir)
		if err != nil {
			if i == 0 {
				return nil, closeAll, fmt.Errorf("the uploads folder: %w", err)
			}
			continue
		}
		roots = append(roots, r)
	}
	return roots, closeAll, nil
}

// getFile returns an upload's file from the uploads folder or, failing
// that and when asked to, from its old address. Downloads use dctx, the
// import's context with the downloads' time budget.
func (im *Importer) getFile(ctx, dctx context.Context, roots []*os.Root, client *http.Client, u *upload, limit int64) ([]byte, string, error) {
	var localErr error // other than not found: the next folder or the download may do
	for _, f := range u.files {
		for _, root := range roots {
			data, err := readLocal(root, f.rel, limit)
			if err == nil {
				return data, "local", nil
			}
			if errors.Is(err, errTooLarge) {
				return nil, "", &skipError{reason: reasonTooLarge(limit)}
			}
			if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) && localErr == nil {
				localErr = err
			}
		}
	}
	if !im.FetchUploads {
		if localErr != nil {
			return nil, "", &skipError{reasonMissing, localErr.Error()}
		}
		return nil, "", &skipError{reason: reasonMissing}
	}
	var last error
	for _, f := range u.files {
		if f.url == "" {
			continue
		}
		if ctx.Err() == nil && dctx.Err() != nil {
			return nil, "", &skipError{reason: reasonBudget}
		}
		data, err := download(dctx, client, f.url, limit)
		if err == nil {
			return data, "fetched", nil
		}
		if errors.Is(err, errTooLarge) {
			return nil, "", &skipError{reason: reasonTooLarge(limit)}
		}
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		if dctx.Err() != nil {
			return nil, "", &skipError{reason: reasonBudget}
		}
		last = fmt.Errorf("%s: %w", f.url, err)
	}
	if last == nil {
		return nil, "", &skipError{reasonFetch, "no address to download it from"}
	}
	return nil, "", &skipError{reasonFetch, last.Error()}
}

var errTooLarge = errors.New("too large")

func readLocal(root *os.Root, rel string, limit int64) ([]byte, error) {
	// Only a regular file: opening a FIFO would block.
	if st, err := root.Stat(filepath.FromSlash(rel)); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	f, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	if st.Size() > limit {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, err
}

// lowerASCII lower-cases the ASCII letters of s only. Unlike
// strings.ToLower it keeps s's length, so that indexes found in the
// result are indexes of s.
func lowerASCII(s string) string {
	i := strings.IndexFunc(s, func(c rune) bool { return 'A' <= c && c <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// privateAddrError is a connection the default client refused: the old
// site's addresses come from the document, which must not make the
// import fetch from the machine or the network it runs on (and publish
// what it finds in the media library).
type privateAddrError struct{ addr string }

func (e *privateAddrError) Error() string {
	return "refused: the address " + e.addr + " is on a private network"
}

// sharedAddrs is the carrier-grade NAT range (RFC 6598), where some
// clouds serve their metadata.
var sharedAddrs = netip.MustParsePrefix("100.64.0.0/10")

// publicAddr tells whether ip is an address on the internet: not
// loopback, private (RFC 1918, fc00::/7, RFC 6598), link-local,
// unspecified ("this network", 0.0.0.0/8), broadcast or multicast.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsUnspecified() && !ip.IsMulticast() && !ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() &&
		!(ip.Is4() && (ip.As4()[0] == 0 || ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}))) &&
		!sharedAddrs.Contains(ip)
}

// refusePrivate is a net.Dialer's Control: it sees the address actually
// connected to, after DNS and for every redirect.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &privateAddrError{address}
	}
	if !publicAddr(ap.Addr()) {
		return &privateAddrError{ap.Addr().Unmap().String()}
	}
	return nil
}

// defaultClient downloads with timeouts, following at most five
// redirects and only to http and https addresses. Unless allowPrivate,
// it connects only to public addresses (see refusePrivate).
func defaultClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	return &http.Client{
		Timeout: 2 * time.Minute,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       30 * time.Second,
			MaxIdleConnsPerHost:   fetchWorkers,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to a %s: address", req.URL.Scheme)
			}
			return nil
		},
	}
}

// download fetches one file of at most limit bytes.
func download(ctx context.Context, client *http.Client, raw string, limit int64) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("not an http or https address")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	res, err := client.Do(req)
	if err != nil {
		var pe *privateAddrError
		if errors.As(err, &pe) {
			return nil, pe
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			if ue.Timeout() {
				return nil, errors.New("timed out")
			}
			err = ue.Err
		}
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", res.Status)
	}
	if res.ContentLength > limit {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	return data, nil
}

// spool keeps prepared images in a temporary file until the transaction
// stores them, so that a site's thousands of images are not held in memory.
type spool struct {
	mu   sync.Mutex
	f    *os.File
	size int64
}

// spooled is an image whose variants' bytes wait in the spool.
type spooled struct {
	p  *media.Prepared
	at [][2]int64 // offset and length of each variant's bytes
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "marquee-uploads-*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f}, nil
}

func (sp *spool) keep(p *media.Prepared) (*spooled, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	s := &spooled{p: p}
	for _, v := range p.Variants {
		if _, err := sp.f.WriteAt(v.Data, sp.size); err != nil {
			return nil, fmt.Errorf("keeping a prepared image: %w", err)
		}
		s.at = append(s.at, [2]int64{sp.size, int64(len(v.Data))})
		sp.size += int64(len(v.Data))
		v.Data = nil
	}
	return s, nil
}

// load gives s's variants their bytes back; release takes them again.
func (sp *spool) load(s *spooled) (*media.Prepared, error) {
	for i, v := range s.p.Variants {
		b := make([]byte, s.at[i][1])
		if _, err := sp.f.ReadAt(b, s.at[i][0]); err != nil {
			return nil, fmt.Errorf("reading a prepared image back: %w", err)
		}
		v.Data = b
	}
	return s.p, nil
}

func (sp *spool) release(s *spooled) {
	for _, v := range s.p.Variants {
		v.Data = nil
	}
}

// Close removes the temporary file.
func (sp *spool) Close() error {
	if sp == nil {
		return nil
	}
	err := sp.f.Close()
	return errors.Join(err, os.Remove(sp.f.Name()))
}

// setupUploads readies the rewriting of references once the channel is
// read: with the uploads prepared before the transaction, or, on an
// import without them, with what earlier imports of the site brought.
func (s *state) setupUploads(v wxr.Site) error {
	if s.prepared != nil {
		s.up = s.prepared
		return nil
	}
	if s.Media == nil {
		return nil
	}
	m := newMatcher(v.BaseSiteURL, v.BaseBlogURL, v.Link)
	n, err := s.loadExisting(s.ctx, s.tx, s.source, m)
	if n > 0 {
		s.up = m
	}
	return err
}

// storeUploads stores the prepared uploads in the media library, records
// them in wp_map and their old addresses in wp_redirects. It runs before
// the first post, so that every body can point at them, and after the
// authors, who become the uploaders.
func (s *state) storeUploads() error {
	if s.stored {
		return nil
	}
	s.stored = true
	if s.up == nil || s.spool == nil {
		return nil
	}
	for _, u := range s.up.uploads {
		if u.prepared == nil {
			continue
		}
		if _, ok, err := s.lookup("attachment", u.key()); err != nil {
			return err
		} else if ok { // an import that ran meanwhile
			s.sum.Existing["upload"]++
			continue
		}
		p, err := s.spool.load(u.prepared)
		if err != nil {
			return err
		}
		md, err := s.Media.InsertTx(s.ctx, s.tx, s.authors[strings.ToLower(u.creator)], p)
		s.spool.release(u.prepared)
		if err != nil {
			return fmt.Errorf("upload %s: %w", u.rel, err)
		}
		u.media = md
		if err := s.remember("attachment", u.key(), md.ID, "", u.url); err != nil {
			return err
		}
		s.sum.Uploads.Imported++
		if err := s.uploadRedirects(u); err != nil {
			return err
		}
	}
	return nil
}

// uploadRedirects sends the old addresses of an upload's file and of the
// copies WordPress made to the media library, and the attachment's
// addresses an earlier import sent to the old file to its new one.
func (s *state) uploadRedirects(u *upload) error {
	orig := u.media.URL(media.Original)
	if u.attachment {
		if _, err := s.tx.ExecContext(s.ctx, "UPDATE wp_redirects SET url = $1 WHERE kind = 'url' AND url = $2", orig, u.url); err != nil {
			return err
		}
	}
	p, ok := s.localPath(u.url)
	if !ok || len(p) < len(u.rel) || !strings.EqualFold(p[len(p)-len(u.rel):], u.rel) {
		return nil
	}
	base := p[:len(p)-len(u.rel)]
	if err := s.redirect(base+u.rel, "url", 0, 0, orig); err != nil {
		return err
	}
	names := make([]string, 0, len(u.sizes))
	for k := range u.sizes {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		wh := u.sizes[k]
		v := variant(u.media, wh[0], wh[1], false)
		if err := s.redirect(base+k, "url", 0, 0, u.media.URL(v.Name)); err != nil {
			return err
		}
	}
	return nil
}

// rewriteNew points a new post's body at the imported uploads.
func (s *state) rewriteNew(body string) (string, int) {
	if s.up == nil {
		return body, 0
	}
	return s.up.rewrite(body)
}

// rewriteExisting points the body of a post an earlier import created at
// the uploads, when this import brings them; the post store renders it
// again. A post since rewritten in Markdown is left as it is.
func (s *state) rewriteExisting(id int64) error {
	if s.up == nil || !s.uploading() {
		return nil
	}
	var n int
	err := s.Posts.RewriteBodyTx(s.ctx, s.tx, id, func(f post.Format, body string) (string, bool) {
		nb, found := s.up.rewrite(body)
		if found > 0 && f != post.HTML {
			s.sum.note("post %d is written in Markdown now: its %d references to old uploads were left as they are", id, found)
			return body, false
		}
		n = found
		return nb, found > 0
	})
	if errs.Is(err, errs.NotFound) {
		return nil // deleted since
	}
	if err != nil || n == 0 {
		return err
	}
	s.sum.References += n
	s.sum.RewrittenPosts++
	return nil
}
