package app

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/spreadsheet"
)

// exportTimeout bounds one streamed export. Larger ones belong in a
// background job; this only keeps a stalled reader from holding a
// connection for ever.
const exportTimeout = 5 * time.Minute

// streamCSV answers with a CSV file written by write while it is sent:
// rows go out as they are read from the database, so a large export never
// sits in memory. Everything that can refuse the export (who asks, the
// filters) must have been checked before: once the first byte is sent,
// the status is 200, and a failure midway can only cut the file short,
// which is logged.
//
// Every CSV download of the pages writes through here (reports, events,
// exchanges), so each follows the reader's language the same way: ";"
// and decimal commas for Spanish and both Portugueses, "," for English
// (spreadsheet.Writer).
func (s *server) streamCSV(c *fiber.Ctx, fileName string, write func(context.Context, *spreadsheet.Writer) error) error {
	format := spreadsheet.Format{Semicolon: decimalComma(lang(c))}
	return s.streamBody(c, fileName, func(ctx context.Context, w io.Writer) error {
		out, err := spreadsheet.New(w, format)
		if err == nil {
			err = write(ctx, out)
		}
		if err == nil {
			err = out.Close()
		}
		return err
	})
}

// streamBody answers with the CSV file fileName that write writes to w
// while it is sent, under the rules of streamCSV.
func (s *server) streamBody(c *fiber.Ctx, fileName string, write func(context.Context, io.Writer) error) error {
	// The body is written after this handler returns: its context must
	// outlive the request's and is bounded on its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), exportTimeout)
	log := s.log.With(slog.String("export", fileName))
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+fileName+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer cancel()
		if err := write(ctx, w); err != nil {
			log.Error("export cut short", slog.Any("err", err))
		}
	})
	return nil
}
