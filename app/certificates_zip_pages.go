package app

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// "Download all certificates of a course as one ZIP": a background job
// (see certificates.StartZip) makes the file while this page shows how far
// it got, reloading itself every few seconds — no script needed — and then
// offers the download, streamed from the file storage.

// zipRefreshSeconds is how often the page reloads while the file is made.
const zipRefreshSeconds = 2

type certificatesZipPage struct {
	Page
	Course  *courses.Course
	Job     *certificates.ZipJob
	Size    string
	Created string
}

func (s *server) zipCourse(c *fiber.Ctx) (*courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.certs.Course(c.UserContext(), id)
}

func (s *server) certificatesZipPage(c *fiber.Ctx) error {
	course, err := s.zipCourse(c)
	if err != nil {
		return err
	}
	p := certificatesZipPage{Page: s.adminPage(c, "certificates.zip.title"), Course: course}
	job, err := s.certs.LatestZip(c.UserContext(), course.ID)
	switch {
	case err == nil:
		p.Job = job
		p.Size = strconv.FormatFloat(float64(job.SizeBytes)/(1<<20), 'f', 1, 64)
		p.Created = p.Time(job.CreatedAt)
		if !job.Finished() {
			// The Refresh header reloads the page like <meta http-equiv="refresh">.
			c.Set("Refresh", strconv.Itoa(zipRefreshSeconds))
		}
	case !isNotFound(err):
		return err
	}
	return s.render(c, "pages/admin/certificates_zip", p)
}

func isNotFound(err error) bool {
	he, ok := asHTTPError(err)
	return ok && he.Status == fiber.StatusNotFound
}

func (s *server) startCertificatesZipPage(c *fiber.Ctx) error {
	course, err := s.zipCourse(c)
	if err != nil {
		return err
	}
	if _, err := s.certs.StartZip(c.UserContext(), course.ID, currentUser(c).ID); err != nil {
		return err
	}
	return c.Redirect("/admin/certificates/courses/"+strconv.FormatInt(course.ID, 10)+"/zip", fiber.StatusSeeOther)
}

// downloadCertificatesZip streams a finished ZIP file: the response body is
// read from the file storage as the client takes it.
func (s *server) downloadCertificatesZip(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	job, err := s.certs.ZipJob(ctx, id)
	if err != nil {
		return err
	}
	course, err := s.certs.Course(ctx, job.CourseID)
	if err != nil {
		return err
	}
	// The body is read after this handler returns: the reader's context
	// must outlive the request's and is bounded on its own.
	streamCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
	r, size, err := s.certs.OpenZip(streamCtx, id)
	if err != nil {
		cancel()
		return err
	}
	name := "certificates-" + course.Slug + "-" + job.CreatedAt.UTC().Format("20060102") + ".zip"
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Context().SetBodyStream(&cancelReader{ReadCloser: r, cancel: cancel}, int(size))
	return nil
}

// cancelReader releases its context when the response has been sent.
type cancelReader struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (r *cancelReader) Close() error {
	err := r.ReadCloser.Close()
	r.cancel()
	return err
}
