// Package media keeps uploaded images in the database, so that every
// process serving the site sees the same files. Every upload is decoded and
// re-encoded into a few sizes: re-encoding drops whatever metadata the file
// carried (EXIF, GPS positions, camera serial numbers) and anything hidden
// after the image data.
package media

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// Limits on what an upload may be.
const (
	MaxBytes  = 10 << 20   // the file as sent
	MaxPixels = 40_000_000 // width × height, checked before decoding
)

// Size is one of the stored variants and the longest side it is scaled to.
type Size struct {
	Name string
	Max  int
}

// Sizes are the variants made from every upload, largest first. "original"
// always exists; the others only when they are smaller than the source.
var Sizes = []Size{
	{"original", 2560},
	{"large", 1600},
	{"medium", 800},
	{"thumb", 320},
}

// Original names the variant every upload has.
const Original = "original"

// Media is an uploaded image without its bytes.
type Media struct {
	ID         int64
	Filename   string // sanitised, with the extension of the stored type
	UploaderID int64  // 0 once the uploader's account is gone
	CreatedAt  time.Time
	Variants   []VariantInfo // largest first
}

// VariantInfo describes a stored variant.
type VariantInfo struct {
	Name        string
	ContentType string
	Width       int
	Height      int
	Bytes       int
}

// Variant is one stored size of an image, with its bytes.
type Variant struct {
	MediaID     int64
	Name        string
	Filename    string
	ContentType string
	Width       int
	Height      int
	Data        []byte
	CreatedAt   time.Time
}

// URL is the public address of a variant: /media/{id}/{variant}/{filename}.
func URL(id int64, variant, filename string) string {
	return "/media/" + strconv.FormatInt(id, 10) + "/" + url.PathEscape(variant) + "/" + url.PathEscape(filename)
}

// URL is the public address of one of m's variants.
func (m *Media) URL(variant string) string { return URL(m.ID, variant, m.Filename) }

// Has reports whether m has the named variant.
func (m *Media) Has(variant string) bool {
	for _, v := range m.Variants {
		if v.Name == variant {
			return true
		}
	}
	return false
}

// Size returns the named variant's description, or the original's.
func (m *Media) Size(variant string) VariantInfo {
	for _, v := range m.Variants {
		if v.Name == variant {
			return v
		}
	}
	for _, v := range m.Variants {
		if v.Name == Original {
			return v
		}
	}
	return VariantInfo{}
}

// Alt is a starting alternative text: the file's name without extension.
func (m *Media) Alt() string {
	base := strings.TrimSuffix(m.Filename, path.Ext(m.Filename))
	return strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(base))
}

// Markdown is the snippet that shows the image in a post: the "large" size
// when there is one, else the original.
func (m *Media) Markdown() string {
	v := "large"
	if !m.Has(v) {
		v = Original
	}
	alt := strings.NewReplacer("[", "", "]", "", "\\", "").Replace(m.Alt())
	return "![" + alt + "](" + m.URL(v) + ")"
}

// Store keeps images.
type Store struct{ db *sqldb.DB }

// NewStore returns a Store on db.
func NewStore(db *sqldb.DB) *Store { return &Store{db: db} }

// format is a decodable image type, recognised by its first bytes.
type format struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var (
	fmtJPEG = format{"jpeg", jpeg.DecodeConfig, jpeg.Decode}
	fmtPNG  = format{"png", png.DecodeConfig, png.Decode}
	fmtGIF  = format{"gif", gif.DecodeConfig, gif.Decode} // the first frame
	fmtWebP = format{"webp", webp.DecodeConfig, webp.Decode}
)

// sniff tells the type from the content; the name and the client's
// Content-Type are not believed.
func sniff(b []byte) (format, bool) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return fmtJPEG, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return fmtPNG, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return fmtGIF, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return fmtWebP, true
	}
	return format{}, false
}

// Upload checks, decodes and re-encodes an image and stores its variants.
func (s *Store) Upload(ctx context.Context, uploaderID int64, filename string, r io.Reader) (*Media, error) {
	p, err := Prepare(filename, r)
	if err != nil {
		return nil, err
	}
	var m *Media
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = s.InsertTx(ctx, tx, uploaderID, p)
		return err
	})
	if err != nil {
		return nil, s.db.Err(err, "the image could not be stored")
	}
	return m, nil
}

// Prepared is an image checked, decoded and re-encoded into its variants,
// not yet stored. Upload is Prepare and then InsertTx in a transaction of
// its own; an import that stores many images together with its other
// writes prepares them before it takes the write lock.
type Prepared struct {
	Filename string     // sanitised, with the extension of the stored type
	Variants []*Variant // largest first, with their Data; MediaID and Filename unset
}

// Prepare does what Upload does before storing: the same limits, checks
// and re-encoding, and the same errors.
func Prepare(filename string, r io.Reader) (*Prepared, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errs.Wrap(errs.TooLarge, err, "the file is larger than %d MiB", MaxBytes>>20)
		}
		return nil, errs.Wrap(errs.Invalid, err, "the upload could not be read")
	}
	if len(data) > MaxBytes {
		return nil, &errs.Error{Kind: errs.TooLarge, Field: "file", Message: fmt.Sprintf("the file is larger than %d MiB", MaxBytes>>20)}
	}
	if len(data) == 0 {
		return nil, errs.Field("file", "the file is empty")
	}
	variants, ext, err := process(data)
	if err != nil {
		return nil, err
	}
	return &Prepared{Filename: cleanName(filename, ext), Variants: variants}, nil
}

// InsertTx stores a prepared image inside the caller's transaction.
func (s *Store) InsertTx(ctx context.Context, tx *sql.Tx, uploaderID int64, p *Prepared) (*Media, error) {
	m := &Media{Filename: p.Filename, UploaderID: uploaderID, CreatedAt: sqldb.Now()}
	if err := tx.QueryRowContext(ctx, "INSERT INTO media (filename, uploader_id, created_at) VALUES ($1, $2, $3) RETURNING id",
		m.Filename, nullID(uploaderID), m.CreatedAt).Scan(&m.ID); err != nil {
		return nil, err
	}
	for _, v := range p.Variants {
		if _, err := tx.ExecContext(ctx, `INSERT INTO media_variants (media_id, variant, content_type, width, height, data)
			VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, v.Name, v.ContentType, v.Width, v.Height, v.Data); err != nil {
			return nil, err
		}
		m.Variants = append(m.Variants, VariantInfo{Name: v.Name, ContentType: v.ContentType, Width: v.Width, Height: v.Height, Bytes: len(v.Data)})
	}
	return m, nil
}

// process decodes data and returns its re-encoded variants and the
// extension of their type.
func process(data []byte) ([]*Variant, string, error) {
	f, ok := sniff(data)
	if !ok {
		return nil, "", errs.Field("file", "this file is not an image we accept: upload a JPEG, PNG, GIF or WebP image")
	}
	cfg, err := f.config(bytes.NewReader(data))
	if err != nil {
		return nil, "", errs.Wrap(errs.Invalid, err, "this %s image is damaged or uses a variant we cannot read", strings.ToUpper(f.name))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", errs.Field("file", "the image has no pixels")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, "", &errs.Error{Kind: errs.TooLarge, Field: "file",
			Message: fmt.Sprintf("the image is %d×%d pixels; the limit is %d megapixels", cfg.Width, cfg.Height, MaxPixels/1_000_000)}
	}
	src, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", errs.Wrap(errs.Invalid, err, "this %s image is damaged or uses a variant we cannot read", strings.ToUpper(f.name))
	}
	orient := 1
	if f.name == "jpeg" {
		orient = exifOrientation(data)
	}
	// JPEG stays JPEG; the others become PNG, which keeps transparency
	// (GIF keeps its first frame only), except opaque WebP photos.
	asJPEG := f.name == "jpeg" || (f.name == "webp" && opaque(src))
	ext, ctype := ".png", "image/png"
	if asJPEG {
		ext, ctype = ".jpg", "image/jpeg"
	}
	b := src.Bounds()
	longest := max(b.Dx(), b.Dy())
	var out []*Variant
	prev := src
	for _, sz := range Sizes {
		if sz.Name != Original && sz.Max >= longest {
			continue
		}
		img := prev
		if sz.Max < longest {
			img = scale(prev, sz.Max)
			prev = img // each smaller size is scaled from the one before: cheaper
		}
		img = orientImage(img, orient)
		var buf bytes.Buffer
		if asJPEG {
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
		} else {
			err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
		}
		if err != nil {
			return nil, "", fmt.Errorf("media: encode %s: %w", sz.Name, err)
		}
		ib := img.Bounds()
		out = append(out, &Variant{Name: sz.Name, ContentType: ctype, Width: ib.Dx(), Height: ib.Dy(), Data: buf.Bytes()})
	}
	return out, ext, nil
}

// scale fits img within a max×max box, keeping its proportions.
func scale(img image.Image, maxSide int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w >= h {
		h = max(1, (h*maxSide+w/2)/w)
		w = maxSide
	} else {
		w = max(1, (w*maxSide+h/2)/h)
		h = maxSide
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// cleanName keeps a readable, URL-safe file name: letters, digits, dots,
// hyphens and underscores, with the extension of the stored type.
func cleanName(name, ext string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	s := strings.Trim(b.String(), "-_")
	if s == "" || s == "." {
		s = "image"
	}
	return s + ext
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Variant returns one size of an image. A size that was not made because
// the image is smaller than it is answered with the original, so that every
// URL of the scheme works.
func (s *Store) Variant(ctx context.Context, id int64, variant string) (*Variant, error) {
	known := false
	for _, sz := range Sizes {
		known = known || sz.Name == variant
	}
	if !known {
		return nil, errs.E(errs.NotFound, "no such image size")
	}
	v := &Variant{MediaID: id}
	err := s.db.QueryRowContext(ctx, `SELECT v.variant, m.filename, v.content_type, v.width, v.height, v.data, m.created_at
		FROM media_variants v JOIN media m ON m.id = v.media_id
		WHERE v.media_id = $1 AND v.variant IN ($2, $3) ORDER BY CASE WHEN v.variant = $2 THEN 0 ELSE 1 END LIMIT 1`,
		id, variant, Original).Scan(&v.Name, &v.Filename, &v.ContentType, &v.Width, &v.Height, &v.Data, &v.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such image")
	}
	if err != nil {
		return nil, s.db.Err(err, "")
	}
	v.CreatedAt = v.CreatedAt.UTC()
	return v, nil
}

// ByID returns an image's description.
func (s *Store) ByID(ctx context.Context, id int64) (*Media, error) {
	m := &Media{}
	err := s.db.QueryRowContext(ctx, "SELECT id, filename, coalesce(uploader_id, 0), created_at FROM media WHERE id = $1", id).
		Scan(&m.ID, &m.Filename, &m.UploaderID, &m.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such image")
	}
	if err != nil {
		return nil, err
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return m, s.loadVariants(ctx, []*Media{m})
}

// List returns images newest first, and how many there are in all.
func (s *Store) List(ctx context.Context, limit, offset int) ([]*Media, int, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	offset = max(offset, 0)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM media").Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, filename, coalesce(uploader_id, 0), created_at FROM media ORDER BY id DESC LIMIT $1 OFFSET $2", limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ms []*Media
	for rows.Next() {
		m := &Media{}
		if err := rows.Scan(&m.ID, &m.Filename, &m.UploaderID, &m.CreatedAt); err != nil {
			return nil, 0, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	return ms, total, s.loadVariants(ctx, ms)
}

func (s *Store) loadVariants(ctx context.Context, ms []*Media) error {
	if len(ms) == 0 {
		return nil
	}
	byID := make(map[int64]*Media, len(ms))
	args := make([]any, len(ms))
	for i, m := range ms {
		byID[m.ID] = m
		args[i] = m.ID
	}
	rows, err := s.db.QueryContext(ctx, "SELECT media_id, variant, content_type, width, height, length(data) FROM media_variants WHERE media_id IN ("+
		sqldb.Placeholders(1, len(args))+") ORDER BY media_id, width * height DESC", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v VariantInfo
		if err := rows.Scan(&id, &v.Name, &v.ContentType, &v.Width, &v.Height, &v.Bytes); err != nil {
			return err
		}
		byID[id].Variants = append(byID[id].Variants, v)
	}
	return rows.Err()
}

// Delete removes an image and all its variants.
func (s *Store) Delete(ctx context.Context, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM media_variants WHERE media_id = $1", id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM media WHERE id = $1", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "no such image")
		}
		return nil
	})
}
