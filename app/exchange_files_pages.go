package app

import (
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/exchange"
)

// An offer's page with its files: the offering institution's delegates
// (and admins) attach and delete them through CSRF forms; whoever sees the
// exchange downloads them (docs/exchange.md).

func offerPath(id int64) string { return "/offers/" + strconv.FormatInt(id, 10) }

// offerFileURL is where a file of an offer is downloaded, its name last
// so that a saved download keeps it.
func offerFileURL(f exchange.OfferFile) string {
	return fmt.Sprintf("%s/files/%d/%s", offerPath(f.OfferID), f.ID, url.PathEscape(f.FileName))
}

type offerPage struct {
	Page
	Detail *exchange.OfferDetail
	Labels map[string]string
	Errors map[string]string
}

// FileURL is the download address of f, for the template.
func (offerPage) FileURL(f exchange.OfferFile) string { return offerFileURL(f) }

// offerPage is /offers/{id}: the offer, its themes in the reader's
// language and its files.
func (s *server) offerPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderOffer(c, id, nil)
}

// renderOffer shows the offer's page, with errs next to the upload field
// after a refused upload.
func (s *server) renderOffer(c *fiber.Ctx, id int64, errs map[string]string) error {
	d, err := s.exchange.Offer(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	labels, err := s.exchangeThemeLabels(c)
	if err != nil {
		return err
	}
	p := s.page(c, "exchange2.offer.title")
	p.Title, p.Nav = d.Offer.Title, "exchanges"
	return s.render(c, "pages/exchange/offer", offerPage{Page: p, Detail: d, Labels: labels, Errors: errs})
}

// uploadOfferFilePage takes a file from the offer page's form.
func (s *server) uploadOfferFilePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.attachOfferFile(c, id); err != nil {
		if !uploadRefused(err) {
			return err
		}
		c.Status(statusOf(err))
		return s.renderOffer(c, id, s.translateFields(c, err))
	}
	return s.redirectWithFlash(c, offerPath(id)+"#files", "exchange2.flash.uploaded")
}

// deleteOfferFilePage is the form that takes a file off an offer.
func (s *server) deleteOfferFilePage(c *fiber.Ctx) error {
	id, fid, err := paramIDs(c, "id", "fid")
	if err != nil {
		return err
	}
	if err := s.exchange.DeleteFile(c.UserContext(), exchangeActor(c), id, fid); err != nil {
		return err
	}
	return s.redirectWithFlash(c, offerPath(id)+"#files", "exchange2.flash.file_deleted")
}

// attachOfferFile hands the request's file to the exchange, which opens
// the multipart body only once it knows the user may attach.
func (s *server) attachOfferFile(c *fiber.Ctx, offerID int64) (*exchange.OfferFile, error) {
	var opened io.Closer
	defer closeOpened(&opened)
	return s.exchange.AttachFile(c.UserContext(), exchangeActor(c), offerID, func() (*exchange.Upload, error) {
		name, body, err := formFile(c, &opened)
		if err != nil {
			return nil, err
		}
		return &exchange.Upload{Name: name, Body: body}, nil
	})
}

// serveOfferFile sends a file of an offer to those who see its exchange
// (pages and API).
func (s *server) serveOfferFile(c *fiber.Ctx) error {
	id, fid, err := paramIDs(c, "id", "fid")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	f, err := s.exchange.OfferFile(ctx, exchangeActor(c), id, fid)
	if err != nil {
		return err
	}
	return sendStoredFile(c, storedFile{SHA256: f.SHA256, ContentType: f.ContentType, FileName: f.FileName, Size: f.SizeBytes},
		func() (io.ReadSeekCloser, error) { return s.exchange.OpenFile(ctx, f) })
}
