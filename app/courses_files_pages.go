package app

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/aula-platform/aula/courses"
)

// Course files: upload (page and API), list, delete, and serving them.

// uploadForm is the field an upload comes in.
const uploadField = "file"

// errNoFile: the upload form was sent without a file.
var errNoFile = validationError(map[string]message{uploadField: {Key: "validation.required"}})

// upload stores the file of the request's "file" field in the course.
func (s *server) upload(c *fiber.Ctx, courseID int64) (*courses.Asset, error) {
	fh, err := c.FormFile(uploadField)
	if err != nil {
		return nil, errNoFile
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("app: open upload: %w", err)
	}
	defer f.Close()
	return s.courses.UploadAsset(c.UserContext(), actor(c), courseID, fh.Filename, f)
}

// uploadRefused reports whether err is about the file itself (its type,
// its size, its absence), which the upload form shows next to the field.
func uploadRefused(err error) bool {
	return errors.Is(err, courses.ErrFileType) || errors.Is(err, courses.ErrTooLarge) || errors.Is(err, errNoFile)
}

// uploadAssetPage takes a file from the dashboard's upload form, then
// shows the dashboard with the file's URL to paste into Markdown.
func (s *server) uploadAssetPage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	a, err := s.upload(c, acc.Course.ID)
	if err != nil {
		if !uploadRefused(err) {
			return err
		}
		return s.renderManage(c, acc, nil, err)
	}
	return s.redirectWithFlash(c, managePath(acc.Course.ID)+"?uploaded="+strconv.FormatInt(a.ID, 10)+"#files", "courses.flash.uploaded")
}

func (s *server) deleteAssetPage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	aid, err := paramID(c, "aid")
	if err != nil {
		return err
	}
	if err := s.courses.DeleteAsset(c.UserContext(), actor(c), acc.Course.ID, aid); err != nil {
		return err
	}
	return s.redirectWithFlash(c, managePath(acc.Course.ID)+"#files", "courses.flash.file_deleted")
}

// serveAsset sends a course file to those who may read the course's
// modules, and its cover to whoever may see the course (courses.Service.Asset
// decides). The bytes under an asset never change, so the SHA-256 is a
// strong ETag: a browser asks again with If-None-Match and gets 304 without
// the file. The cover of a published course may be cached for an hour
// anywhere; every other file only by the browser, which checks each time,
// so a learner who withdraws or an instructor removed stops getting it.
func (s *server) serveAsset(c *fiber.Ctx) error {
	aid, err := paramID(c, "aid")
	if err != nil {
		return err
	}
	courseID, err := strconv.ParseInt(c.Params("ref"), 10, 64)
	if err != nil {
		acc, err := s.courseAccess(c, "ref")
		if err != nil {
			return err
		}
		courseID = acc.Course.ID
	}
	ctx := c.UserContext()
	a, acc, err := s.courses.Asset(ctx, actor(c), courseID, aid)
	if errors.Is(err, courses.ErrForbidden) && currentUser(c) == nil {
		return errUnauthorized // a learner following a link before signing in
	}
	if err != nil {
		return err
	}
	if c.Query("size") == "page" && a.IsImage() {
		// The version module pages show (pageImages): smaller, made once.
		// Its ETag follows from the original's, so a browser revalidating
		// it costs neither the version's row nor opening its blob.
		if fileCacheHeaders(c, acc, a, pageImageETag(a)) {
			return c.SendStatus(fiber.StatusNotModified)
		}
		r, f, ok, err := s.courses.PageImage(ctx, a)
		if err != nil {
			return err
		}
		if ok {
			return sendPageImage(c, a, r, f)
		}
	}
	etag := `"` + a.SHA256 + `"`
	if fileCacheHeaders(c, acc, a, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	disposition := "attachment"
	if a.IsImage() {
		disposition = "inline"
	}
	// With object storage that signs links, the download goes straight
	// from the store (ranges included); the link expires, so the redirect
	// itself is never cached.
	if link, ok, err := s.courses.AssetLink(ctx, a, contentDisposition(disposition, a.FileName)); err != nil {
		return err
	} else if ok {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		return c.Redirect(link, fiber.StatusFound)
	}
	f, err := s.courses.OpenAsset(ctx, a)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(disposition, a.FileName))
	// Byte ranges let a download that broke on a slow link go on where it
	// stopped, instead of starting a 20 MB file again.
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	if header := c.Get(fiber.HeaderRange); header != "" && ifRangeMatches(c.Get(fiber.HeaderIfRange), etag) {
		start, end, ok := parseByteRange(header, a.SizeBytes)
		switch {
		case !ok:
			f.Close()
			c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes */%d", a.SizeBytes))
			return c.SendStatus(fiber.StatusRequestedRangeNotSatisfiable)
		case end >= start:
			if _, err := f.Seek(start, io.SeekStart); err != nil {
				f.Close()
				return err
			}
			c.Status(fiber.StatusPartialContent)
			c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes %d-%d/%d", start, end, a.SizeBytes))
			c.Response().SetBodyStream(limitedFile{io.LimitReader(f, end-start+1), f}, int(end-start+1))
			return nil
		}
	}
	// fasthttp closes f once the body is sent.
	c.Response().SetBodyStream(f, int(a.SizeBytes))
	return nil
}

// fileCacheHeaders sets the ETag and Cache-Control of a version of course
// file a (the original, its page or card version, each with its own etag)
// and reports whether the client has it already (answer 304): public
// files may be cached anywhere, the others by the browser only, asking
// again each time.
func fileCacheHeaders(c *fiber.Ctx, acc *courses.Access, a *courses.Asset, etag string) bool {
	c.Set(fiber.HeaderETag, etag)
	if acc.PublicFile(a.ID) {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	}
	return etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag)
}

// pageImageETag is the ETag of image a's page version. Resizing is
// deterministic and a version is made once per original and width, so
// the original's content and the width name the version's bytes.
func pageImageETag(a *courses.Asset) string {
	return `"page-` + strconv.Itoa(courses.PageImageWidth) + `-` + a.SHA256 + `"`
}

// sendPageImage sends the smaller version r of image a, cacheable like
// the original and under its own ETag (serveAsset set the headers).
func sendPageImage(c *fiber.Ctx, a *courses.Asset, r *courses.Rendition, f io.ReadSeekCloser) error {
	c.Set(fiber.HeaderContentType, r.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition("inline", a.FileName))
	// fasthttp closes f once the body is sent.
	c.Response().SetBodyStream(f, int(r.SizeBytes))
	return nil
}

// limitedFile is part of a file that fasthttp closes once it is sent.
type limitedFile struct {
	io.Reader
	io.Closer
}

// ifRangeMatches reports whether a range request may be honoured: without
// If-Range, or when If-Range names the current content (the strong ETag).
func ifRangeMatches(header, etag string) bool {
	return header == "" || header == etag
}

// parseByteRange reads a single-range header ("bytes=0-499", "bytes=500-",
// "bytes=-500") for content of size bytes. ok is false for a range that
// cannot be satisfied (416); a header that asks for several ranges, or
// that cannot be read, yields end < start: "send it all", as RFC 9110
// lets a server ignore such a header.
func parseByteRange(header string, size int64) (start, end int64, ok bool) {
	spec, found := strings.CutPrefix(header, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, -1, true
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, -1, true
	}
	if first == "" { // the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil {
			return 0, -1, true
		}
		if n <= 0 || size == 0 {
			return 0, 0, false
		}
		return max(size-n, 0), size - 1, true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, -1, true
	}
	if start >= size {
		return 0, 0, false
	}
	end = size - 1
	if last != "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < start {
			return 0, -1, true
		}
		end = min(n, size-1)
	}
	return start, end, true
}

// etagMatches reports whether an If-None-Match header names etag (weakly
// compared, as RFC 9110 says for If-None-Match).
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// contentDisposition builds the header that names a download: a plain
// ASCII filename for old clients and the real name, accents and all, as
// filename* (RFC 6266 with RFC 5987 encoding) for the others.
func contentDisposition(kind, name string) string {
	return kind + `; filename="` + asciiFileName(name) + `"; filename*=UTF-8''` + encodeRFC5987(name)
}

// asciiFileName spells a name in printable ASCII: accents dropped
// ("Relatório" → "Relatorio"), anything else, quotes and backslashes
// included, replaced by "_".
func asciiFileName(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// encodeRFC5987 percent-encodes every byte of s outside RFC 5987's attr-char.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
