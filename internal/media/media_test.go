package media

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	// a red top-left corner, to check orientation
	for y := range min(h, 4) {
		for x := range min(w, 4) {
			img.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	return img
}

// gpsMarker stands for the GPS coordinates a phone writes into EXIF.
const gpsMarker = "GPSLatitude=48.8584N;GPSLongitude=2.2945E"

// exifJPEG is a JPEG carrying an APP1 Exif block with an orientation tag
// and a GPS IFD holding gpsMarker.
func exifJPEG(t testing.TB, w, h int, orientation uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// TIFF: header, IFD0 with Orientation and GPSInfo pointer, GPS IFD with
	// one ASCII entry pointing at the marker.
	var tiff bytes.Buffer
	le := binary.LittleEndian
	tiff.WriteString("II")
	binary.Write(&tiff, le, uint16(42))
	binary.Write(&tiff, le, uint32(8))
	// IFD0 at 8: 2 entries
	binary.Write(&tiff, le, uint16(2))
	binary.Write(&tiff, le, [6]uint16{0x0112, 3, 1, 0, orientation, 0})
	gpsOff := uint32(8 + 2 + 2*12 + 4)
	binary.Write(&tiff, le, uint16(0x8825))
	binary.Write(&tiff, le, uint16(4))
	binary.Write(&tiff, le, uint32(1))
	binary.Write(&tiff, le, gpsOff)
	binary.Write(&tiff, le, uint32(0)) // no next IFD
	// GPS IFD: 1 entry
	binary.Write(&tiff, le, uint16(1))
	dataOff := gpsOff + 2 + 12 + 4
	binary.Write(&tiff, le, uint16(2)) // GPSLatitude
	binary.Write(&tiff, le, uint16(2)) // ASCII
	binary.Write(&tiff, le, uint32(len(gpsMarker)+1))
	binary.Write(&tiff, le, dataOff)
	binary.Write(&tiff, le, uint32(0))
	tiff.WriteString(gpsMarker + "\x00")
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out = append(out, seg...)
	return append(out, buf.Bytes()[2:]...)
}

func pngBytes(t testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExifOrientationParse(t *testing.T) {
	for o := uint16(1); o <= 8; o++ {
		if got := exifOrientation(exifJPEG(t, 8, 8, o)); got != int(o) {
			t.Errorf("orientation %d read as %d", o, got)
		}
	}
	if got := exifOrientation(pngBytes(t, 4, 4)); got != 1 {
		t.Errorf("PNG orientation %d", got)
	}
}

func TestUpload(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := NewStore(db)

		t.Run("jpeg with exif and gps", func(t *testing.T) {
			src := exifJPEG(t, 1000, 500, 6) // shown rotated: 500 wide, 1000 high
			if !bytes.Contains(src, []byte(gpsMarker)) {
				t.Fatal("test image lacks its GPS marker")
			}
			m, err := s.Upload(ctx, 0, "../Holiday Photo.JPG", bytes.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			if m.Filename != "holiday-photo.jpg" {
				t.Errorf("filename %q", m.Filename)
			}
			want := map[string][2]int{"original": {500, 1000}, "medium": {400, 800}, "thumb": {160, 320}}
			if len(m.Variants) != len(want) {
				t.Errorf("variants %+v, want %v", m.Variants, want)
			}
			for name, wh := range want {
				v, err := s.Variant(ctx, m.ID, name)
				if err != nil {
					t.Fatal(name, err)
				}
				if v.Name != name || v.Width != wh[0] || v.Height != wh[1] || v.ContentType != "image/jpeg" {
					t.Errorf("%s: got %s %dx%d %s", name, v.Name, v.Width, v.Height, v.ContentType)
				}
				if bytes.Contains(v.Data, []byte("Exif")) || bytes.Contains(v.Data, []byte("GPS")) || bytes.Contains(v.Data, []byte("48.8584")) {
					t.Errorf("%s still carries EXIF/GPS data", name)
				}
				img, err := jpeg.Decode(bytes.NewReader(v.Data))
				if err != nil {
					t.Fatal(err)
				}
				if b := img.Bounds(); b.Dx() != wh[0] || b.Dy() != wh[1] {
					t.Errorf("%s decodes as %v", name, b)
				}
				// Orientation 6: the top-left red corner ends up top-right.
				r, g, _, _ := img.At(img.Bounds().Dx()-1, 0).RGBA()
				if name == "original" && (r>>8 < 200 || g>>8 > 80) {
					t.Errorf("orientation not applied: top-right pixel r=%d g=%d", r>>8, g>>8)
				}
			}
			// large was not made (source is 1000 px): the original answers.
			v, err := s.Variant(ctx, m.ID, "large")
			if err != nil || v.Name != "original" {
				t.Errorf("large fallback: %v %v", v, err)
			}
			if _, err := s.Variant(ctx, m.ID, "huge"); !errs.Is(err, errs.NotFound) {
				t.Errorf("unknown size: %v", err)
			}
			if !strings.HasPrefix(m.Markdown(), "![holiday photo](/media/") || !strings.Contains(m.Markdown(), "/original/holiday-photo.jpg)") {
				t.Errorf("markdown %q", m.Markdown())
			}
		})

		t.Run("png big", func(t *testing.T) {
			m, err := s.Upload(ctx, 0, "diagram.gif", bytes.NewReader(pngBytes(t, 3000, 1500)))
			if err != nil {
				t.Fatal(err)
			}
			if m.Filename != "diagram.png" {
				t.Errorf("filename %q", m.Filename)
			}
			got := map[string]string{}
			for _, v := range m.Variants {
				got[v.Name] = strings.Join([]string{v.ContentType, strconv.Itoa(v.Width), strconv.Itoa(v.Height)}, " ")
			}
			want := map[string]string{
				"original": "image/png 2560 1280", "large": "image/png 1600 800",
				"medium": "image/png 800 400", "thumb": "image/png 320 160",
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: %q, want %q", k, got[k], w)
				}
			}
			if !m.Has("large") || !strings.Contains(m.Markdown(), "/large/") {
				t.Errorf("markdown %q", m.Markdown())
			}
		})

		t.Run("gif first frame", func(t *testing.T) {
			var buf bytes.Buffer
			pal := image.NewPaletted(image.Rect(0, 0, 40, 30), color.Palette{color.Black, color.White})
			if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{1, 1}}); err != nil {
				t.Fatal(err)
			}
			gifData := buf.Bytes()
			_, err := s.Upload(ctx, 7, "anim.gif", bytes.NewReader(gifData))
			if err == nil {
				t.Fatal("an unknown uploader id should fail the foreign key") // id 7 does not exist
			}
			m, err := s.Upload(ctx, 0, "anim.gif", bytes.NewReader(gifData))
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Variants) != 1 || m.Variants[0].Width != 40 || m.Variants[0].ContentType != "image/png" {
				t.Errorf("%+v", m.Variants)
			}
		})

		t.Run("rejects", func(t *testing.T) {
			cases := map[string][]byte{
				"text":      []byte("hello, I am not an image"),
				"html":      []byte("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
				"truncated": pngBytes(t, 50, 50)[:60],
				"empty":     nil,
			}
			for name, b := range cases {
				if _, err := s.Upload(ctx, 0, "x.png", bytes.NewReader(b)); !errs.Is(err, errs.Invalid) {
					t.Errorf("%s: %v, want Invalid", name, err)
				}
			}
			big := make([]byte, MaxBytes+10)
			copy(big, pngBytes(t, 10, 10))
			if _, err := s.Upload(ctx, 0, "x.png", bytes.NewReader(big)); !errs.Is(err, errs.TooLarge) {
				t.Errorf("big file: %v", err)
			}
			// A decompression bomb: a valid PNG header claiming 10000×10000.
			bomb := bombPNG(t, 10000, 10000)
			if _, err := s.Upload(ctx, 0, "bomb.png", bytes.NewReader(bomb)); !errs.Is(err, errs.TooLarge) || !strings.Contains(errs.Message(err), "megapixels") {
				t.Errorf("bomb: %v", err)
			}
		})

		t.Run("list and delete", func(t *testing.T) {
			ms, total, err := s.List(ctx, 2, 0)
			if err != nil {
				t.Fatal(err)
			}
			if total != 3 || len(ms) != 2 || ms[0].ID < ms[1].ID || len(ms[0].Variants) == 0 {
				t.Fatalf("list: total %d, %d items", total, len(ms))
			}
			if err := s.Delete(ctx, ms[0].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Variant(ctx, ms[0].ID, "original"); !errs.Is(err, errs.NotFound) {
				t.Errorf("after delete: %v", err)
			}
			if err := s.Delete(ctx, ms[0].ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("second delete: %v", err)
			}
		})
	})
}

// bombPNG is a PNG whose header claims w×h but whose data is tiny.
func bombPNG(t testing.TB, w, h int) []byte {
	b := pngBytes(t, 1, 1)
	// IHDR's type and data sit at bytes 12..29, its CRC at 29..33.
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestURL(t *testing.T) {
	if got := URL(12, "thumb", "a b.jpg"); got != "/media/12/thumb/a%20b.jpg" {
		t.Errorf("URL = %q", got)
	}
	for in, want := range map[string]string{
		`C:\Users\me\Summer 2024!!.PNG`: "summer-2024.png",
		"../../etc/passwd":              "passwd.png",
		"...":                           "image.png",
		"<script>.png":                  "script.png",
	} {
		if got := cleanName(in, ".png"); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPrepareInsertTx: an import prepares images before its transaction
// and stores them in it; a rolled-back transaction stores nothing.
func TestPrepareInsertTx(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := NewStore(db)
		p, err := Prepare("Old Logo.PNG", bytes.NewReader(pngBytes(t, 400, 100)))
		if err != nil {
			t.Fatal(err)
		}
		if p.Filename != "old-logo.png" || len(p.Variants) != 2 || p.Variants[0].Name != Original || len(p.Variants[0].Data) == 0 {
			t.Fatalf("prepared %q with %d variants", p.Filename, len(p.Variants))
		}
		rollback := errors.New("roll back")
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := s.InsertTx(ctx, tx, 0, p); err != nil {
				return err
			}
			return rollback
		})
		if err != rollback {
			t.Fatal(err)
		}
		if _, total, _ := s.List(ctx, 10, 0); total != 0 {
			t.Errorf("%d images after a rollback", total)
		}
		var m *Media
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			m, err = s.InsertTx(ctx, tx, 0, p)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		v, err := s.Variant(ctx, m.ID, "thumb")
		if err != nil || v.Width != 320 || v.Height != 80 || v.Filename != "old-logo.png" || m.URL("thumb") != URL(m.ID, "thumb", "old-logo.png") {
			t.Errorf("stored %+v, %v", m, err)
		}
		for _, bad := range [][]byte{nil, []byte("%PDF-1.4")} {
			if _, err := Prepare("x.pdf", bytes.NewReader(bad)); errs.KindOf(err) != errs.Invalid {
				t.Errorf("Prepare(%q) = %v", bad, err)
			}
		}
	})
}
