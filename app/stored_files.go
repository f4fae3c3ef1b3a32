package app

import (
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"
)

// What the areas that take uploads into the shared blob store (library
// items, exchange offers) do alike: open the form's file once the domain
// allows it, and send a stored file back.

// formFile opens the request's upload field, for a domain's open callback;
// the file is kept in *opened for the handler to close once the domain is
// done with it. No file is errNoFile.
func formFile(c *fiber.Ctx, opened *io.Closer) (string, io.Reader, error) {
	fh, err := c.FormFile(uploadField)
	if err != nil {
		return "", nil, errNoFile
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Errorf("app: open upload: %w", err)
	}
	*opened = f
	return fh.Filename, f, nil
}

// closeOpened closes what formFile opened, if anything.
func closeOpened(opened *io.Closer) {
	if *opened != nil {
		(*opened).Close()
	}
}

// storedFile is a file in the blob store as a download needs it.
type storedFile struct {
	SHA256, ContentType, FileName string
	Size                          int64
}

// sendStoredFile sends f as an attachment. Its bytes never change under
// its hash, so the SHA-256 is a strong ETag; only the browser caches it,
// and it checks each time, so a reader who loses access stops getting it
// at once.
func sendStoredFile(c *fiber.Ctx, f storedFile, open func() (io.ReadSeekCloser, error)) error {
	etag := `"` + f.SHA256 + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	body, err := open()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition("attachment", f.FileName))
	c.Response().SetBodyStream(body, int(f.Size)) // fasthttp closes it
	return nil
}
