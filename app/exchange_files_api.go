package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/exchange"
)

// The API of offers' files (docs/api.md); the download is served by
// serveOfferFile on both groups.

type offerFileJSON struct {
	ID          int64     `json:"id"`
	OfferID     int64     `json:"offer_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	URL         string    `json:"url"`
	CreatedAt   time.Time `json:"created_at"`
}

func offerFilesJSON(list []exchange.OfferFile) []offerFileJSON {
	out := make([]offerFileJSON, len(list))
	for i, f := range list {
		out[i] = offerFileJSONOf(f)
	}
	return out
}

func offerFileJSONOf(f exchange.OfferFile) offerFileJSON {
	return offerFileJSON{ID: f.ID, OfferID: f.OfferID, FileName: f.FileName, ContentType: f.ContentType,
		SizeBytes: f.SizeBytes, SHA256: f.SHA256, URL: offerFileURL(f), CreatedAt: f.CreatedAt.UTC()}
}

// uploadOfferFile is POST /api/v1/offers/{id}/files, multipart with the
// file in "file".
func (s *server) uploadOfferFile(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := s.attachOfferFile(c, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(offerFileJSONOf(*f))
}

// listOfferFiles is GET /api/v1/offers/{id}/files.
func (s *server) listOfferFiles(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.OfferFiles(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(listOf(offerFilesJSON(list)))
}

// deleteOfferFile is DELETE /api/v1/offers/{id}/files/{fid}.
func (s *server) deleteOfferFile(c *fiber.Ctx) error {
	return onTwoIDs(c, "fid", exchangeActor(c), s.exchange.DeleteFile)
}
